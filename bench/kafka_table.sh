#!/usr/bin/env bash
# The README's Kafka table: every configuration of `autoriza kafka-bench`,
# in interleaved rounds (each round runs every row once, so a slow minute of
# the machine hits every row alike rather than one). Writes one CSV line per
# run and prints min-max per row at the end.
#   bash bench/kafka_table.sh [ROUNDS] [OUT.csv]     (defaults: 3, kafka-table.csv)
# Needs the Release binary: cmake --build build/release -j2 --target autoriza
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
OUT=${2:-kafka-table.csv}
BIN=build/release/autoriza
[ -x "$BIN" ] || { echo "kafka_table: $BIN is missing (cmake --build build/release --target autoriza)" >&2; exit 1; }
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
echo "row,round,tx_per_s,p50_ms,p99_ms,cpu_us_per_tx,errors" >"$OUT"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
total=$((ROUNDS * ${#rows[@]})) done_runs=0
for ((round = 1; round <= ROUNDS; round++)); do
  for row in "${rows[@]}"; do
    name=${row%%|*} args=${row#*|}
    done_runs=$((done_runs + 1))
    echo "[$done_runs/$total] round $round: $name" >&2
    # shellcheck disable=SC2086  # args is a list of options
    "$BIN" kafka-bench --data tests/fixtures $args --json "$json" >/dev/null 2>&1 || echo "  (run reported errors)" >&2
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(",".join([sys.argv[2], sys.argv[3]] + [str(round(j[k], 3)) for k in ("tx_per_s","p50_ms","p99_ms","cpu_us_per_tx","errors")]))' \
      "$json" "$name" "$round" >>"$OUT"
  done
done
python3 - "$OUT" <<'PY'
import csv, sys
rows = {}
for r in csv.DictReader(open(sys.argv[1])):
    rows.setdefault(r["row"], []).append(r)
print("| row | tx/s | p50 ms | p99 ms | CPU µs/tx |\n|---|---|---|---|---|")
for name, runs in rows.items():
    span = lambda k, f: f"{f(min(float(x[k]) for x in runs))}-{f(max(float(x[k]) for x in runs))}"
    print(f"| {name} | {span('tx_per_s', lambda v: f'{v:,.0f}')} | {span('p50_ms', lambda v: f'{v:.1f}')} | "
          f"{span('p99_ms', lambda v: f'{v:.1f}')} | {span('cpu_us_per_tx', lambda v: f'{v:.0f}')} |")
PY
echo "per run: $OUT" >&2
