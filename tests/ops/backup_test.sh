#!/usr/bin/env bash
# autoriza backup while serving under load, autoriza restore, and replay of
# the restored store to the same state digests (engine/backup.h).
# Usage: backup_test.sh AUTORIZA DATA
set -uo pipefail
BIN=$1
DATA=$2
TMP=$(mktemp -d)
pid=
loaders=()
cleanup() {
  for l in "${loaders[@]}"; do kill "$l" 2>/dev/null; done
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --data "$DATA" --store "$TMP/store" --http "127.0.0.1:$port" --log-format text >"$TMP/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
KEY=$(grep '^provider-LAB127,' "$TMP/store/dev-keys.csv" | cut -d, -f3)
[ -n "$KEY" ] || { echo "FAIL: no development key"; exit 1; }

# Load: two clients authorizing without pause while the backup is taken.
load() {
  local n=0
  while :; do
    n=$((n + 1))
    curl -s -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/v1/authorize" -d \
      "{\"request_id\":\"$1-$n\",\"provider\":\"LAB127\",\"credential\":\"110000783851\",\"prescribed_on\":\"2026-11-20\",\"prescriber\":{\"kind\":\"MD\",\"license\":\"1234\"},\"items\":[{\"code\":\"000118\"}]}"
  done
}
load a & loaders+=($!)
load b & loaders+=($!)
sleep 1
"$BIN" backup --store "$TMP/store" --to "$TMP/backup" --server "127.0.0.1:$port" >"$TMP/backup.log" 2>&1 ||
  fail "backup while serving: $(cat "$TMP/backup.log")"
sleep 0.5
for l in "${loaders[@]}"; do kill "$l" 2>/dev/null; wait "$l" 2>/dev/null; done
loaders=()
[ -f "$TMP/backup/store/CURRENT" ] || fail "the backup holds no store"
[ -f "$TMP/backup/store/dev-keys.csv" ] || fail "the backup lacks the store's other files"
[ "$(stat -c %a "$TMP/backup")" = "700" ] || fail "the backup folder is not 0700"
"$BIN" backup --store "$TMP/store" --to "$TMP/backup" --server "127.0.0.1:$port" >"$TMP/again.log" 2>&1 &&
  fail "a second backup into the same folder was accepted"
kill "$pid"; wait "$pid" 2>/dev/null; pid=

"$BIN" restore --from "$TMP/backup" --store "$TMP/restored" >"$TMP/restore.log" 2>&1 || fail "restore: $(cat "$TMP/restore.log")"
"$BIN" restore --from "$TMP/backup" --store "$TMP/restored" >"$TMP/restore2.log" 2>&1 && fail "restore over a store was accepted"
# The restored store replays to the very state it holds (digests of every table).
"$BIN" replay --store "$TMP/restored" --into "$TMP/replayed" >"$TMP/replay.log" 2>&1 || fail "replay of the restored store: $(tail -5 "$TMP/replay.log")"
grep -q "^rebuilt state equals live state" "$TMP/replay.log" || fail "replay did not report equal digests: $(tail -5 "$TMP/replay.log")"
# It serves: the events of the backup are there, and it takes new commands.
"$BIN" serve --store "$TMP/restored" --http "127.0.0.1:$port" --log-format text >"$TMP/serve2.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/v1/transactions/T-0-1")
[ "$code" = "200" ] || fail "the restored store does not answer its first transaction ($code)"
answer=$(curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/v1/eligibility" -d '{"request_id":"after","provider":"LAB127","credential":"110000783851"}')
echo "$answer" | grep -q '"ELIGIBLE"' || fail "the restored store does not take commands: $answer"

[ "$failures" -eq 0 ] && echo "backup and restore: all checks passed; $(tail -1 "$TMP/backup.log"); $(grep -m1 "^rebuilt .* events" "$TMP/replay.log")"
exit "$failures"
