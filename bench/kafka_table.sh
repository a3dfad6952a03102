#!/usr/bin/env bash
# The README's Kafka table: every configuration of `autoriza kafka-bench`,
# in interleaved rounds (each round runs every row once, so a slow minute of
# the machine hits every row alike rather than one). Writes one CSV line per
# run and prints min-max per row at the end.
#   bash bench/kafka_table.sh [ROUNDS] [OUT.csv] [ROW...]   (defaults: 3, kafka-table.csv, every row)
# Needs the Release binary: cmake --build build/release -j2 --target autoriza
# A/B: AUTORIZA_BINS="old/autoriza new/autoriza" runs every row with each
# binary in turn within each round, and the table adds each build's median
# tx/s and p99 as a ratio of the first's (the reference, same run).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
OUT=${2:-kafka-table.csv}
shift $(($# > 2 ? 2 : $#))
read -r -a BINS <<<"${AUTORIZA_BINS:-build/release/autoriza}"
for bin in "${BINS[@]}"; do
  [ -x "$bin" ] || { echo "kafka_table: $bin is missing (cmake --build build/release --target autoriza)" >&2; exit 1; }
done
ONE="--validators 1 --partitions 1"
OPEN="--rate 50000 --linger-ms 1 --fetch-wait-ms 1"
rows=(
  "closed-1x1-forwarding|--commands 300000 --no-mirror $ONE --linger-ms 5 --window 8192"
  "closed-1x1-mirror|--commands 300000 $ONE --linger-ms 5 --window 8192"
  "closed-2x2-forwarding|--commands 200000 --no-mirror"
  "closed-2x2-mirror|--commands 200000"
  "open50k-1x1-forwarding|--commands 400000 --no-mirror $ONE $OPEN"
  "open50k-1x1-forwarding-local-sync|--commands 400000 --no-mirror $ONE $OPEN --local-sync"
  "open50k-1x1-mirror|--commands 400000 $ONE $OPEN"
  "open25k-1x1-forwarding|--commands 200000 --no-mirror $ONE --rate 25000 --linger-ms 1 --fetch-wait-ms 1"
)
if [ $# -gt 0 ]; then  # only the rows named
  chosen=()
  for row in "${rows[@]}"; do
    for want in "$@"; do [ "${row%%|*}" = "$want" ] && chosen+=("$row"); done
  done
  [ ${#chosen[@]} -gt 0 ] || { echo "kafka_table: no row named $*" >&2; exit 2; }
  rows=("${chosen[@]}")
fi
echo "build,row,round,tx_per_s,p50_ms,p99_ms,cpu_us_per_tx,errors" >"$OUT"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
total=$((ROUNDS * ${#rows[@]} * ${#BINS[@]})) done_runs=0
for ((round = 1; round <= ROUNDS; round++)); do
  for row in "${rows[@]}"; do
    name=${row%%|*} args=${row#*|}
    for bin in "${BINS[@]}"; do
      done_runs=$((done_runs + 1))
      echo "[$done_runs/$total] round $round: $name ($bin)" >&2
      # shellcheck disable=SC2086  # args is a list of options
      "$bin" kafka-bench --data tests/fixtures $args --json "$json" >/dev/null 2>&1 || echo "  (run reported errors)" >&2
      python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(",".join(sys.argv[2:5] + [str(round(j[k], 3)) for k in ("tx_per_s","p50_ms","p99_ms","cpu_us_per_tx","errors")]))' \
        "$json" "$bin" "$name" "$round" >>"$OUT"
    done
  done
done
python3 - "$OUT" <<'PY'
import csv, statistics, sys
runs = list(csv.DictReader(open(sys.argv[1])))
builds = list(dict.fromkeys(r["build"] for r in runs))
groups = {}
for r in runs:
    groups.setdefault((r["row"], r["build"]), []).append(r)
ab = len(builds) > 1
head = "| row | build | tx/s | p50 ms | p99 ms | CPU µs/tx |" + (" tx/s ratio | p99 ratio |" if ab else "")
print(head)
print("|" + "---|" * (head.count("|") - 1))
median = lambda rs, k: statistics.median(float(x[k]) for x in rs)
for (name, build), rs in groups.items():
    span = lambda k, f: f"{f(min(float(x[k]) for x in rs))}-{f(max(float(x[k]) for x in rs))}"
    line = (f"| {name} | {build} | {span('tx_per_s', lambda v: f'{v:,.0f}')} | {span('p50_ms', lambda v: f'{v:.1f}')} | "
            f"{span('p99_ms', lambda v: f'{v:.1f}')} | {span('cpu_us_per_tx', lambda v: f'{v:.0f}')} |")
    if ab:
        ref = groups[(name, builds[0])]
        line += f" {median(rs, 'tx_per_s') / median(ref, 'tx_per_s'):.2f} | {median(rs, 'p99_ms') / median(ref, 'p99_ms'):.2f} |"
    print(line)
PY
echo "per run: $OUT" >&2
