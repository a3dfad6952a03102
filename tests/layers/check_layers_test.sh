#!/usr/bin/env bash
# Tests of ops/check-layers.py on small synthetic repositories built in a
# temporary folder: a clean tree passes; a planted upward include, a peer
# include, a cycle, a bare-name include, a 71-line function (and more) each
# fail with their message; an exception listed in layers.conf lets the long
# function pass. Needs python3 and Universal Ctags (universal-ctags).
# Ends with "N passed, M failed"; exits non-zero when a case failed.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCRIPT=$ROOT/ops/check-layers.py
PYTHON=${PYTHON:-python3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-layers-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
OUT=""
RC=0

# func_lines <name> <n>: a C++ function of exactly n lines (n >= 4), from the
# line of its name to its closing brace.
func_lines() {
  local name=$1 n=$2 i
  echo "int $name() {"
  echo "  int v = 0;"
  for ((i = 0; i < n - 4; i++)); do echo "  v += $i;"; done
  echo "  return v;"
  echo "}"
}

# make_base <dir>: a clean synthetic repository.
make_base() {
  local d=$1
  mkdir -p "$d"/{ops,schemas,engine/core,adapters/http,adapters/tcp,app,tests/support,tests/engine,build}
  cp "$SCRIPT" "$d/ops/check-layers.py"
  cat >"$d/ops/layers.conf" <<'EOF'
# test layers, lowest first
[layers]
schemas
engine/core
engine
adapters/http adapters/tcp   # peers
app

[long-functions]
EOF
  echo 'table State { a: int; }' >"$d/schemas/state.fbs"
  cat >"$d/engine/core/state.h" <<'EOF'
#pragma once
#include <string>
#include "schemas/state_generated.h"
/* a comment that mentions
#include "adapters/http/server.h"
   is no include */
int state();
EOF
  cat >"$d/engine/core/state.cc" <<'EOF'
#include "engine/core/state.h"

int state() { return 1; }
EOF
  {
    echo '#pragma once'
    echo '#include "engine/core/state.h"'
    echo 'namespace autoriza::engine {'
    echo 'class Engine {'
    echo ' public:'
    echo '  int run();'
    echo '};'
    echo '}  // namespace autoriza::engine'
  } >"$d/engine/engine.h"
  {
    echo '#include "engine/engine.h"'
    echo '#include "engine/core/state.h"'
    echo 'namespace autoriza::engine {'
    echo 'namespace {'
    func_lines helper 70  # exactly at the limit: allowed
    echo '}  // namespace'
    echo 'int Engine::run() {'
    echo '  auto f = [] {'
    echo '    return 1;'
    echo '  };'
    echo '  return f() + helper();'
    echo '}'
    echo '}  // namespace autoriza::engine'
  } >"$d/engine/engine.cc"
  cat >"$d/adapters/http/server.h" <<'EOF'
#pragma once
#include "engine/engine.h"
int http_server();
EOF
  cat >"$d/adapters/http/y.h" <<'EOF'
#pragma once
int y();
EOF
  cat >"$d/adapters/tcp/server.h" <<'EOF'
#pragma once
#include "engine/core/state.h"
int tcp_server();
EOF
  cat >"$d/app/main.cc" <<'EOF'
#include <cstdio>
#include "adapters/http/server.h"
#include "adapters/tcp/server.h"
#include "engine/engine.h"
int main() { return 0; }
EOF
  cat >"$d/tests/support/helper.h" <<'EOF'
#pragma once
#include "app/main.cc"
EOF
  {
    echo '#include "tests/support/helper.h"'
    echo '#include "adapters/http/server.h"'
    func_lines long_test_function 120  # tests are not measured
  } >"$d/tests/engine/engine_test.cc"
  # build/ is skipped: nothing in it is checked.
  cat >"$d/build/generated.h" <<'EOF'
#include "state.h"
#include "app/main.cc"
EOF
}

BASE=$TMP/base
make_base "$BASE"

n_case=0
# new_case: a fresh copy of the clean tree; its path in $R.
new_case() {
  n_case=$((n_case + 1))
  R=$TMP/case$n_case
  cp -r "$BASE" "$R"
}

# run_check <repo> [args...]: sets OUT (stdout + stderr) and RC.
run_check() {
  local repo=$1
  shift
  OUT=$("$PYTHON" "$repo/ops/check-layers.py" --repo "$repo" "$@" 2>&1)
  RC=$?
}

# expect <case name> <exit code> [text that the output must contain]...
expect() {
  local name=$1 rc=$2 ok=1 why=""
  shift 2
  if [ "$RC" != "$rc" ]; then
    ok=0
    why="exit $RC, expected $rc"
  fi
  local text
  for text in "$@"; do
    if ! grep -qF -- "$text" <<<"$OUT"; then
      ok=0
      why="${why:+$why; }output lacks: $text"
    fi
  done
  if [ $ok = 1 ]; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name: $why"
    sed 's/^/     | /' <<<"$OUT"
  fi
}

# expect_not <case name> <text that the output must not contain>
expect_not() {
  if grep -qF -- "$2" <<<"$OUT"; then
    failed=$((failed + 1))
    echo "FAIL $1: output contains: $2"
    sed 's/^/     | /' <<<"$OUT"
  else
    passed=$((passed + 1))
    echo "ok   $1"
  fi
}

# --- 1. a clean tree passes
run_check "$BASE"
expect "clean tree passes" 0 "layers: 10 files, " " includes checked, 0 problems"
if grep -qE '^layers: [0-9]+ files, [0-9]+ includes checked, [0-9]+ problems$' <<<"$OUT"; then
  passed=$((passed + 1)); echo "ok   summary line format"
else
  failed=$((failed + 1)); echo "FAIL summary line format"; sed 's/^/     | /' <<<"$OUT"
fi

# --- 2. a planted upward include fails, naming file and line
new_case
printf '#pragma once\n#include <vector>\n#include "adapters/http/y.h"\n' >"$R/engine/core/x.h"
run_check "$R"
expect "upward include fails" 1 \
  "engine/core/x.h:3: engine/core may not include adapters/http/y.h (adapters/http is above it in ops/layers.conf)" \
  "1 problems"

# --- longest prefix: engine/core is below engine
new_case
printf '#pragma once\n#include "engine/engine.h"\n' >"$R/engine/core/x.h"
run_check "$R"
expect "engine/core may not include engine" 1 \
  "engine/core/x.h:2: engine/core may not include engine/engine.h (engine is above it in ops/layers.conf)"

# --- 3. peers may not include each other
new_case
printf '#pragma once\n#include "engine/engine.h"\n#include "adapters/tcp/server.h"\n' >"$R/adapters/http/server.h"
run_check "$R"
expect "peer include fails" 1 \
  "adapters/http/server.h:3: adapters/http may not include adapters/tcp/server.h (adapters/tcp is beside it in ops/layers.conf)"

# --- cycles
new_case
printf '#pragma once\n#include "engine/b.h"\n' >"$R/engine/a.h"
printf '#pragma once\n\n#include "engine/a.h"\n' >"$R/engine/b.h"
run_check "$R"
expect "two-file cycle fails" 1 \
  "engine/a.h:2: include cycle: engine/a.h:2 includes engine/b.h, engine/b.h:3 includes engine/a.h"

new_case
printf '#include "engine/b.h"\n' >"$R/engine/a.h"
printf '#include "engine/c.h"\n' >"$R/engine/b.h"
printf '#include "engine/core/state.h"\n#include "engine/a.h"\n' >"$R/engine/c.h"
run_check "$R"
expect "three-file cycle fails" 1 \
  "include cycle: engine/a.h:1 includes engine/b.h, engine/b.h:1 includes engine/c.h, engine/c.h:2 includes engine/a.h" \
  "1 problems"

new_case
printf '#pragma once\n#include "engine/core/self.h"\n' >"$R/engine/core/self.h"
run_check "$R"
expect "self include fails" 1 "engine/core/self.h:2: include cycle: engine/core/self.h:2 includes engine/core/self.h"

# --- bare-name and other non-root includes
new_case
printf '#include "state.h"\n\nint state() { return 1; }\n' >"$R/engine/core/state.cc"
run_check "$R"
expect "bare-name include fails" 1 \
  'engine/core/state.cc:1: "state.h" is not a path from the repository root (did you mean "engine/core/state.h"?)'

new_case
printf '#include "../core/state.h"\n' >"$R/engine/rel.cc"
run_check "$R"
expect "relative include fails" 1 'engine/rel.cc:1: "../core/state.h" is not a path from the repository root'

new_case
printf '#include "schemas/missing_generated.h"\n' >"$R/engine/gen.cc"
run_check "$R"
expect "generated header without .fbs fails" 1 \
  'engine/gen.cc:1: "schemas/missing_generated.h" is not a path from the repository root'

new_case
printf '#include <engine/engine.h>\n' >"$R/app/angle.cc"
run_check "$R"
expect "angle include of a project file fails" 1 \
  'app/angle.cc:1: <engine/engine.h> names a project file: write #include "engine/engine.h"'

# --- tests/ and files in no layer
new_case
printf '#include "tests/support/helper.h"\n' >"$R/app/uses_tests.cc"
run_check "$R"
expect "including tests/ fails" 1 \
  "app/uses_tests.cc:1: app may not include tests/support/helper.h (nothing outside tests/ may include tests/)"

new_case
mkdir -p "$R/misc"
printf '#include "engine/engine.h"\n' >"$R/misc/tool.cc"
run_check "$R"
expect "file in no layer fails" 1 "misc/tool.cc: misc/tool.cc is in no layer of ops/layers.conf"

# --- 71-line functions
new_case
{ echo '#include "engine/engine.h"'; echo; func_lines long_one 71; } >"$R/engine/long.cc"
run_check "$R"
expect "71-line function fails" 1 "engine/long.cc:3: function long_one is 71 lines long (limit 70)"

cp -r "$R" "$R-exc"
echo 'engine/long.cc:long_one  # the test says so' >>"$R-exc/ops/layers.conf"
run_check "$R-exc"
expect "exception in layers.conf lets it pass" 0 "0 problems"

run_check "$R" --no-functions
expect "--no-functions skips the length check" 0 "0 problems"

run_check "$R" --list-long
expect "--list-long lists it" 0 "engine/long.cc:3: long_one (71 lines)" "1 functions over 70 lines"

new_case
echo 'engine/engine.cc:Engine::run  # no longer long' >>"$R/ops/layers.conf"
run_check "$R"
expect "stale exception fails" 1 \
  "ops/layers.conf:10: exception engine/engine.cc:Engine::run matches no function over 70 lines: remove it"

new_case
echo 'engine/engine.cc:Engine::run' >>"$R/ops/layers.conf"
run_check "$R"
expect "exception without reason is a setup error" 2 "give the reason"

# member function of a class in a namespace, with a lambda inside
new_case
{
  echo '#include "engine/engine.h"'
  echo 'namespace autoriza::engine {'
  echo 'int Engine::run() {'            # line 3
  echo '  auto inner = [](int a) {'
  for ((i = 0; i < 65; i++)); do echo "    a += $i;"; done
  echo '    return a;'
  echo '  };'
  echo '  return inner(1);'
  echo '}'                               # line 73: 71 lines
  echo '}  // namespace autoriza::engine'
} >"$R/engine/engine.cc"
run_check "$R"
expect "long member function with a lambda fails" 1 \
  "engine/engine.cc:3: function Engine::run is 71 lines long (limit 70)" "1 problems"
expect_not "the lambda is not reported on its own" "lambda"
echo 'engine/engine.cc:Engine::run  # allowed for the test' >>"$R/ops/layers.conf"
run_check "$R"
expect "exception for Class::method lets it pass" 0 "0 problems"

# function defined inside a class in a header
new_case
{
  echo '#pragma once'
  echo 'namespace autoriza {'
  echo 'struct Widget {'
  echo '  int size() const {'          # line 4
  for ((i = 0; i < 69; i++)); do echo "    // line $i"; done
  echo '  }'
  echo '};'
  echo '}  // namespace autoriza'
} >"$R/app/widget.h"
run_check "$R"
expect "long inline member function fails" 1 "app/widget.h:4: function Widget::size is 71 lines long (limit 70)"

# missing ctags
new_case
OUT=$(CTAGS=/nonexistent/ctags "$PYTHON" "$R/ops/check-layers.py" --repo "$R" 2>&1)
RC=$?
expect "missing ctags is a clear setup error" 2 "apt-get install universal-ctags"
OUT=$(CTAGS=/nonexistent/ctags "$PYTHON" "$R/ops/check-layers.py" --repo "$R" --no-functions 2>&1)
RC=$?
expect "--no-functions needs no ctags" 0 "0 problems"

# in a git work tree, untracked (not ignored) files are checked too
if command -v git >/dev/null; then
  new_case
  git -C "$R" init -q
  printf '/build/\n' >"$R/.gitignore"
  printf '#pragma once\n#include "adapters/http/y.h"\n' >"$R/engine/core/x.h"
  run_check "$R"
  expect "git tree: upward include in an untracked file fails" 1 \
    "engine/core/x.h:2: engine/core may not include adapters/http/y.h"
else
  echo "skip git tree case: git not installed"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
