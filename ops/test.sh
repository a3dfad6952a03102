#!/usr/bin/env bash
# Builds and runs the whole test suite of autoriza on a Debian 12 machine:
#   1. installs missing packages (ops/install-deps.sh, apt-get only);
#   2. one build, build/ci: clang 14 with ASan+UBSan at -O1, unity build,
#      ccache; the binary, every test, the benchmarks (built, not run) and
#      the libFuzzer targets;
#   3. every CTest test under the sanitizers: unit, e2e (real sockets),
#      crash (kill -9 under load), scenario (tests/scenarios), kafka (mock
#      cluster started by the tests);
#   4. the conformance scenarios of ../shared/scenarios when that folder exists;
#   5. each libFuzzer target for FUZZ_SECONDS (20), two at a time.
# Ends with one line "N passed, M failed" over everything it ran.
# The Release build (g++, -O3) is what ops/demo.sh and the benchmarks use.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
CTEST_JOBS=${CTEST_JOBS:-4}  # tests wait on sockets, fsync and Kafka group joins: more than the cores
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
BUILD=$ROOT/build/ci
LOGS=$ROOT/build/logs
bash ops/install-deps.sh || exit 1
bash tests/npm/install.sh || exit 1  # the OpenAPI validator (pinned in tests/npm/package-lock.json)
mkdir -p "$LOGS"
# ccache keeps its default cache (~/.cache/ccache) so repeated runs on one machine rebuild little.
started=$(date +%s)
stage() { echo "== $1 ($(( $(date +%s) - started )) s)"; }

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

stage "Build: clang 14, ASan+UBSan, tests, benchmarks and fuzz targets ($BUILD)"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DAUTORIZA_SANITIZE=ON -DAUTORIZA_FUZZ=ON \
  -DCMAKE_UNITY_BUILD=ON >"$LOGS/cmake-ci.log" 2>&1 || { cat "$LOGS/cmake-ci.log"; exit 1; }
cmake --build "$BUILD" -j"$JOBS" 2>&1 | tee "$LOGS/build-ci.log" | grep -E "error|warning|FAILED" | head -n 50
[ "${PIPESTATUS[0]}" -eq 0 ] || { tail -n 30 "$LOGS/build-ci.log"; exit 1; }

stage "Tests (unit, e2e, crash, scenario, kafka) under ASan+UBSan"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp"  # fontconfig's process-long caches only
ctest --test-dir "$BUILD" --output-on-failure -j"$CTEST_JOBS" --timeout 600 2>&1 | tee "$LOGS/ctest-ci.log" \
  | grep -vE "^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed|^ *Start +[0-9]+: "
count_ctest "$LOGS/ctest-ci.log"

if [ -d "$ROOT/../shared/scenarios" ]; then
  stage "Conformance scenarios of ../shared"
  "$BUILD/autoriza" scenario --data "$ROOT/../shared/fixtures" "$ROOT"/../shared/scenarios/*.jsonl 2>&1 | tee "$LOGS/shared-scenarios.log"
  count_scenarios "$LOGS/shared-scenarios.log"
fi

stage "Fuzz (libFuzzer + ASan/UBSan, $FUZZ_SECONDS s per target; tests/fuzz/README.md)"
mkdir -p "$BUILD/fuzz/artifacts"
fuzz_one() {  # runs one target; its verdict goes to $LOGS/fuzz-<name>.verdict
  local fuzzer=$1 name dict=()
  name=$(basename "$fuzzer" _fuzz)
  mkdir -p "$BUILD/fuzz/corpus/$name"  # inputs found by earlier runs; the seeds stay in tests/fuzz/corpus
  [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
  if "$fuzzer" "${dict[@]}" -max_total_time="$FUZZ_SECONDS" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$BUILD/fuzz/artifacts/$name-" "$BUILD/fuzz/corpus/$name" \
       "tests/fuzz/corpus/$name" >"$LOGS/fuzz-$name.log" 2>&1; then
    echo "fuzz $name: ok, $(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$LOGS/fuzz-$name.log" \
      | grep -oE '[0-9]+$') inputs in $FUZZ_SECONDS s" >"$LOGS/fuzz-$name.verdict"
  else
    { echo "fuzz $name: FAILED (log $LOGS/fuzz-$name.log; input in $BUILD/fuzz/artifacts/; tests/fuzz/README.md says how it becomes a regression)"
      grep -m5 -E "ERROR|runtime error|Invariant|SUMMARY|artifact" "$LOGS/fuzz-$name.log"; } >"$LOGS/fuzz-$name.verdict"
  fi
}
fuzzers=("$BUILD"/fuzz/*_fuzz)
rm -f "$LOGS"/fuzz-*.verdict
for ((i = 0; i < ${#fuzzers[@]}; i += 2)); do
  fuzz_one "${fuzzers[i]}" &
  [ $((i + 1)) -lt ${#fuzzers[@]} ] && fuzz_one "${fuzzers[i + 1]}" &
  wait
done
for fuzzer in "${fuzzers[@]}"; do
  verdict="$LOGS/fuzz-$(basename "$fuzzer" _fuzz).verdict"
  cat "$verdict" 2>/dev/null || echo "fuzz $(basename "$fuzzer"): no verdict"
  if grep -q ": ok," "$verdict" 2>/dev/null; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done

stage "Done"
echo "suite: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
