#!/usr/bin/env bash
# Starts a development cluster on one machine: `autoriza devbroker` (the
# librdkafka MOCK cluster: development and tests only, data in memory), then,
# reading the bootstrap list it writes, loads the reference data into
# autoriza.reference and starts a gateway (HTTP 127.0.0.1:8080), two
# validator workers (consumer group) and a projections worker (HTTP :8081,
# reads only). Ctrl-C stops them all. Production: run each role with
# `autoriza serve --kafka HOST:PORT,... --role ROLE` on its own machine
# against a real cluster (ops/kafka.md).
#
# Usage: ops/kafka-dev-cluster.sh [BUILD_DIR] [DATA_DIR] [PARTITIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-build/release}/autoriza"
DATA="${2:-ops/sample-data}"
PARTITIONS="${3:-2}"
RUN="${AUTORIZA_CLUSTER_DIR:-./autoriza-cluster}"
[ -x "$BIN" ] || { echo "no $BIN: build it first (cmake --build ${1:-build/release} --target autoriza)" >&2; exit 2; }
mkdir -p "$RUN"
# Every role must share the master keys (token secrets are sealed by the
# gateway and opened by validators). Development keys, made once here:
if [ -z "${AUTORIZA_SECRET_KEYS:-}" ]; then
  [ -f "$RUN/dev-keys" ] || echo "1:$(openssl rand -hex 32)" > "$RUN/dev-keys"
  chmod 600 "$RUN/dev-keys"
  AUTORIZA_SECRET_KEYS="$(cat "$RUN/dev-keys")"
  export AUTORIZA_SECRET_KEYS
  echo "using development keys from $RUN/dev-keys (production sets AUTORIZA_SECRET_KEYS)"
fi
BOOT="$RUN/bootstrap"
rm -f "$BOOT"
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
"$BIN" devbroker --partitions "$PARTITIONS" --bootstrap-file "$BOOT" > "$RUN/devbroker.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$BOOT" ] && break; sleep 0.1; done
[ -s "$BOOT" ] || { echo "devbroker did not write $BOOT; see $RUN/devbroker.log" >&2; exit 1; }
echo "dev broker: $(cat "$BOOT")"
# Reference data into autoriza.reference; every role reads it from there.
"$BIN" load --kafka "$BOOT" --data "$DATA"
for i in 0 1; do
  "$BIN" serve --kafka "$BOOT" --role validator --partitions "$PARTITIONS" \
    --store "$RUN/validator-$i" > "$RUN/validator-$i.log" 2>&1 &
  pids+=($!)
  echo "validator $i: pid $! log $RUN/validator-$i.log"
done
"$BIN" serve --kafka "$BOOT" --role projections --partitions "$PARTITIONS" \
  --store "$RUN/projections" --http 127.0.0.1:8081 > "$RUN/projections.log" 2>&1 &
pids+=($!)
echo "projections: pid $! http://127.0.0.1:8081 log $RUN/projections.log"
"$BIN" serve --kafka "$BOOT" --role gateway --partitions "$PARTITIONS" \
  --store "$RUN/gateway" --http 127.0.0.1:8080 > "$RUN/gateway.log" 2>&1 &
pids+=($!)
echo "gateway: pid $! http://127.0.0.1:8080 log $RUN/gateway.log"
echo "API keys (Authorization: Bearer KEY): $RUN/gateway/dev-keys.csv and $RUN/projections/dev-keys.csv"
echo "running; Ctrl-C stops the cluster"
wait -n "${pids[@]}" || true
echo "a process exited; stopping the cluster (logs in $RUN)" >&2
