#!/usr/bin/env bash
# Builds and runs the whole test suite of autoriza on a Debian 12 machine:
#   1. installs missing packages (ops/install-deps.sh, apt-get only);
#   2. Release build; every CTest test: unit, e2e (real sockets), crash
#      (kill -9 under load), scenario (tests/scenarios);
#   3. the conformance scenarios of ../shared/scenarios when that folder exists;
#   4. ASan+UBSan build of the unit tests, run;
#   5. libFuzzer targets (clang, tests/fuzz), each for FUZZ_SECONDS (30).
# Ends with one line "N passed, M failed" over everything it ran.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
LOGS=$ROOT/build/logs
bash ops/install-deps.sh || exit 1
mkdir -p "$LOGS"
# ccache keeps its default cache (~/.cache/ccache) so repeated runs on one machine rebuild little.

passed=0
failed=0
count_ctest() {  # adds the counts of a ctest log
  local line total fails
  line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$1" | tail -1)
  if [ -z "$line" ]; then failed=$((failed + 1)); return; fi
  fails=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
  total=$(echo "$line" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
  passed=$((passed + total - fails))
  failed=$((failed + fails))
}
count_scenarios() {  # adds the last "N passed, M failed" of a scenario log
  local line
  line=$(grep -E "^[0-9]+ passed, [0-9]+ failed$" "$1" | tail -1)
  if [ -z "$line" ]; then failed=$((failed + 1)); return; fi
  passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
  failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
}

echo "== Release build"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >"$LOGS/cmake-release.log" 2>&1 || { cat "$LOGS/cmake-release.log"; exit 1; }
cmake --build build/release -j"$JOBS" 2>&1 | tail -n 3
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1

echo "== Tests (unit, e2e, crash, scenario)"
ctest --test-dir build/release --output-on-failure -j"$JOBS" --timeout 600 2>&1 | tee "$LOGS/ctest-release.log" | grep -vE "^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed"
count_ctest "$LOGS/ctest-release.log"

if [ -d "$ROOT/../shared/scenarios" ]; then
  echo "== Conformance scenarios of ../shared"
  build/release/adapters/autoriza scenario --data "$ROOT/../shared/fixtures" "$ROOT"/../shared/scenarios/*.jsonl 2>&1 | tee "$LOGS/shared-scenarios.log"
  count_scenarios "$LOGS/shared-scenarios.log"
fi

echo "== ASan+UBSan build, unit tests"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DAUTORIZA_SANITIZE=ON >"$LOGS/cmake-asan.log" 2>&1 || { cat "$LOGS/cmake-asan.log"; exit 1; }
cmake --build build/asan -j"$JOBS" --target engine_tests adapters_tests replay_tests 2>&1 | tail -n 3
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan -L unit -j"$JOBS" --output-on-failure --timeout 600 2>&1 | tee "$LOGS/ctest-asan.log" | grep -vE "^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed"
count_ctest "$LOGS/ctest-asan.log"

echo "== Fuzz (libFuzzer + ASan/UBSan, ${FUZZ_SECONDS:-30} s per target; tests/fuzz/README.md)"
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
  -DAUTORIZA_FUZZ=ON -DAUTORIZA_TESTS=OFF >"$LOGS/cmake-fuzz.log" 2>&1 || { cat "$LOGS/cmake-fuzz.log"; exit 1; }
cmake --build build/fuzz -j"$JOBS" --target fuzz_targets 2>&1 | tail -n 3
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
mkdir -p build/fuzz/artifacts
for fuzzer in build/fuzz/*_fuzz; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer" _fuzz)
  mkdir -p "build/fuzz/corpus/$name"  # inputs found by earlier runs; the seeds stay in tests/fuzz/corpus
  dict=(); [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
  if "$fuzzer" "${dict[@]}" -max_total_time="$FUZZ_SECONDS" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="build/fuzz/artifacts/$name-" "build/fuzz/corpus/$name" "tests/fuzz/corpus/$name" \
       >"$LOGS/fuzz-$name.log" 2>&1; then
    echo "fuzz $name: ok, $(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$LOGS/fuzz-$name.log" | grep -oE '[0-9]+$') inputs in ${FUZZ_SECONDS} s"
    passed=$((passed + 1))
  else
    echo "fuzz $name: FAILED (log $LOGS/fuzz-$name.log; input in build/fuzz/artifacts/; tests/fuzz/README.md says how it becomes a regression)"
    grep -m5 -E "ERROR|runtime error|Invariant|SUMMARY|artifact" "$LOGS/fuzz-$name.log"
    failed=$((failed + 1))
  fi
done

echo "suite: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
