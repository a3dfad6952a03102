#!/usr/bin/env bash
# A full disk (engine/store_health.h): `autoriza serve` on a small tmpfs,
# mounted in this test's own mount namespace (nothing of it is seen outside).
#   A. serving: the disk fills below the reserve -> commands 503 STORE_FULL,
#      /healthz "degraded" with the reason, autoriza_store_writable 0, reads
#      200; the filler removed -> commands taken again without a restart.
#   B. a restart with 1 MiB free starts, serves reads, refuses commands, and
#      takes them once there is room.
#   C. with no reserve, RocksDB's own writes fail (ENOSPC in the WAL): the
#      process stays up, nothing failed is acknowledged, the partition
#      reloads its state once there is room.
# Every transaction acknowledged (200 with an id) before, during and after is
# read back at the end, and the store replays to the very state it holds.
# Usage: disk_full_test.sh AUTORIZA DATA. Exit 77 (CTest SKIP) when no mount
# namespace or tmpfs can be made here (needs root or CAP_SYS_ADMIN).
set -uo pipefail
BIN=$1
DATA=$2
MIB=$((1 << 20))

if [ -z "${AUTORIZA_DISK_NS:-}" ]; then
  for tool in unshare mount fallocate curl python3; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
  done
  if ! why=$(unshare --mount --propagation private true 2>&1); then
    echo "SKIP: cannot make a mount namespace here (unshare --mount: $why); the test needs root or CAP_SYS_ADMIN"
    exit 77
  fi
  AUTORIZA_DISK_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi

TMP=$(mktemp -d)
DISK=$TMP/disk
STORE=$DISK/store
mkdir -p "$DISK"
if ! why=$(mount -t tmpfs -o size=192m,mode=0700 autoriza-disk-test "$DISK" 2>&1); then
  rm -rf "$TMP"
  echo "SKIP: cannot mount a tmpfs in this mount namespace ($why)"
  exit 77
fi
pid=
failures=0
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  if [ "$failures" -gt 0 ]; then  # what the servers said, for the CI log
    for log in "$TMP"/serve-*.log; do [ -f "$log" ] && { echo "--- $(basename "$log")"; tail -15 "$log"; }; done
  fi
  umount "$DISK" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$port
ACKED=$TMP/acknowledged  # one transaction id a line

start() {  # start LOG [serve options...]: waits for /healthz
  local log=$1
  shift
  "$BIN" serve --data "$DATA" --store "$STORE" --http "127.0.0.1:$port" --log-format text "$@" >"$TMP/$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do
    curl -sf "$URL/healthz" >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  fail "serve did not start ($log): $(tail -5 "$TMP/$log")"
  return 1
}
stop() {
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=
}
free_bytes() { df -B1 --output=avail "$DISK" | tail -1 | tr -d ' '; }
fill_leaving() {  # a filler file leaving about $1 bytes free
  local size=$(($(free_bytes) - $1))
  [ "$size" -gt 0 ] && fallocate -l "$size" "$DISK/filler-$RANDOM"
}
unfill() { rm -f "$DISK"/filler-*; }
# eligibility ID: prints the HTTP status; a 200's transaction id goes to ACKED.
eligibility() {
  local code
  code=$(curl -s -o "$TMP/answer" -w '%{http_code}' -D "$TMP/headers" -H "Authorization: Bearer $KEY" "$URL/v1/eligibility" \
    -d "{\"request_id\":\"$1\",\"provider\":\"LAB127\",\"credential\":\"110000783851\"}")
  if [ "$code" = 200 ]; then
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["transaction"])' "$TMP/answer" >>"$ACKED" ||
      fail "a 200 without a transaction: $(cat "$TMP/answer")"
  fi
  echo "$code"
}
health_status() { curl -s "$URL/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
wait_health() {  # wait_health ok|degraded: at most 10 s (the store is checked every second)
  for _ in $(seq 1 100); do
    [ "$(health_status)" = "$1" ] && return 0
    sleep 0.1
  done
  fail "/healthz did not become $1: $(curl -s "$URL/healthz")"
  return 1
}
metric() { curl -s -H "Authorization: Bearer $ADMIN" "$URL/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
check_refused() {  # check_refused PHASE: a command is 503 STORE_FULL with a Spanish message; reads go on
  local code
  code=$(eligibility "$1-refused")
  [ "$code" = 503 ] || fail "$1: a command on a full disk answered $code: $(cat "$TMP/answer")"
  grep -q '"code":"STORE_FULL"' "$TMP/answer" || fail "$1: no STORE_FULL code: $(cat "$TMP/answer")"
  grep -q 'disco del almacén' "$TMP/answer" || fail "$1: the message does not say the disk is full: $(cat "$TMP/answer")"
  grep -qi '^retry-after:' "$TMP/headers" || fail "$1: the 503 has no Retry-After"
  curl -s "$URL/healthz" | grep -q '"reason":"el disco del almacén' || fail "$1: /healthz gives no reason: $(curl -s "$URL/healthz")"
  [ "$(metric autoriza_store_writable)" = 0 ] || fail "$1: autoriza_store_writable is not 0"
  [ "$(metric autoriza_store_refused_writes_total)" -ge 1 ] 2>/dev/null || fail "$1: no refused write counted"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$URL/v1/transactions/$(head -1 "$ACKED")")
  [ "$code" = 200 ] || fail "$1: a read on a full disk answered $code"
}
check_resumed() {  # check_resumed PHASE: commands taken again, without a restart
  wait_health ok
  [ "$(metric autoriza_store_writable)" = 1 ] || fail "$1: autoriza_store_writable is not 1"
  for i in 1 2 3; do
    code=$(eligibility "$1-after-$i")
    [ "$code" = 200 ] || fail "$1: a command after freeing space answered $code: $(cat "$TMP/answer")"
  done
}

# --- A. serving, the disk fills below the reserve -------------------------
start serve-a.log --disk-reserve-mib 16 || exit 1
KEY=$(grep '^provider-LAB127,' "$STORE/dev-keys.csv" | cut -d, -f3)
ADMIN=$(grep '^admin,' "$STORE/dev-keys.csv" | cut -d, -f3)
[ -n "$KEY" ] && [ -n "$ADMIN" ] || { echo "FAIL: no development keys"; exit 1; }
for i in $(seq 1 20); do
  code=$(eligibility "a-before-$i")
  [ "$code" = 200 ] || fail "A: command $i before the disk filled answered $code"
done
[ "$(health_status)" = ok ] || fail "A: /healthz not ok before the disk filled"
[ "$(metric autoriza_store_writable)" = 1 ] || fail "A: autoriza_store_writable is not 1 before the disk filled"
fill_leaving $((8 * MIB))
wait_health degraded
check_refused A
unfill
check_resumed A

# --- B. a restart with 1 MiB free -----------------------------------------
stop
fill_leaving $((1 * MIB))
echo "B: restarting with $(($(free_bytes) / 1024)) KiB free"
if start serve-b.log --disk-reserve-mib 16; then
  wait_health degraded
  check_refused B
  unfill
  check_resumed B
fi
unfill

# --- C. no reserve: RocksDB's own writes fail ------------------------------
stop
fill_leaving $((1 * MIB))
if start serve-c.log --disk-reserve-mib 0; then
  fill_leaving $((64 * 1024))  # started with 1 MiB; now a few dozen commands fill the WAL
  refused=0
  for i in $(seq 1 3000); do
    code=$(eligibility "c-during-$i")
    [ "$code" = 200 ] && continue
    [ "$code" = 503 ] && { refused=1; break; }
    fail "C: command $i answered $code: $(cat "$TMP/answer")"
    break
  done
  if [ "$refused" = 1 ]; then
    echo "C: the store refused writes after $((i - 1)) commands"
    grep -q '"code":"STORE_FULL"' "$TMP/answer" || fail "C: the failed commit's answer is not STORE_FULL: $(cat "$TMP/answer")"
    kill -0 "$pid" 2>/dev/null || fail "C: the server died on a failed write: $(tail -5 "$TMP/serve-c.log")"
    wait_health degraded
    check_refused C
    sleep 7  # RocksDB's own recovery, when on, aborted the process about 6 s after a failed write
    kill -0 "$pid" 2>/dev/null || fail "C: the server died after a failed write: $(tail -5 "$TMP/serve-c.log")"
    unfill
    check_resumed C
    [ "$(metric 'autoriza_partition_failed_commits_total{partition="0"}')" -ge 1 ] 2>/dev/null ||
      fail "C: no failed commit counted"
    [ "$(metric 'autoriza_partition_reloads_total{partition="0"}')" -ge 1 ] 2>/dev/null ||
      fail "C: the partition did not reload its state"
  else
    fail "C: 3000 commands on a disk with 64 KiB free never failed"
  fi
fi
unfill

# --- every acknowledged transaction is there; the store replays to itself ---
stop
start serve-end.log || exit 1
acked=$(wc -l <"$ACKED")
# One kept-alive connection for them all (curl per id took most of the test's time).
read -r read_back missing examples < <(python3 - "$port" "$KEY" "$ACKED" <<'PY'
import http.client, sys
port, key, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ids = [line.strip() for line in open(path) if line.strip()]
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
missing = []
for transaction in ids:
    connection.request("GET", "/v1/transactions/" + transaction, headers={"Authorization": "Bearer " + key})
    answer = connection.getresponse()
    answer.read()
    if answer.status != 200:
        missing.append(f"{transaction}:{answer.status}")
print(len(ids), len(missing), ",".join(missing[:3]) or "-")
PY
)
[ "${read_back:-0}" = "$acked" ] || fail "read back ${read_back:-none} of $acked acknowledged transactions"
[ "${missing:-1}" = 0 ] || fail "${missing:-?} of $acked acknowledged transactions are missing (${examples:-})"
stop
"$BIN" replay --store "$STORE" --into "$TMP/replayed" >"$TMP/replay.log" 2>&1 || fail "replay: $(tail -5 "$TMP/replay.log")"
grep -q "^rebuilt state equals live state" "$TMP/replay.log" || fail "replay did not report equal digests: $(tail -5 "$TMP/replay.log")"
grep -q "Assertion\|Aborted" "$TMP"/serve-*.log && fail "a server aborted: $(grep -h "Assertion\|Aborted" "$TMP"/serve-*.log | head -3)"

[ "$failures" -eq 0 ] && echo "full disk: all checks passed; $acked acknowledged transactions read back, replay equal"
exit "$failures"
