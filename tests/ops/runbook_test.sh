#!/usr/bin/env bash
# Follows ops/runbook.md's embedded procedures on a real `autoriza serve`:
# the blocks marked `<!-- test: NAME -->` there are run here line by line,
# as written, with shims for what a test cannot do (systemctl starts and
# stops a server as ops/systemd/autoriza.service would; sudo -u and the
# `az` helper run the binary under test; install is skipped). A wrong
# command or flag in the runbook fails this test.
# Checks: an upgrade (backup, check with the "new" binary, SIGTERM restart)
# and a stop/start under a stream of commands lose and duplicate no
# acknowledged command; API key rotation (new key 200, old key 401); backup
# while serving, restore, and the restored store's replay digests equal the
# original's; rebuilding the projections gives the same register and billing.
# Usage: runbook_test.sh AUTORIZA DATA RUNBOOK
set -uo pipefail
BIN=$(realpath "$1")
DATA=$(realpath "$2")
RUNBOOK=$3
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
die() { echo "FAIL: $*"; [ -f "$TMP/serve.log" ] && tail -20 "$TMP/serve.log"; exit 1; }

# --- the runbook's variables ("Before you start"), pointing into $TMP ---
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
STORE=$TMP/lib/store
BACKUPS=$TMP/lib/backups
URL=http://127.0.0.1:$port
CONFIG=$TMP/autoriza.toml
NEW=$BIN  # the "new" binary of the upgrade
mkdir -p "$BACKUPS"
cat >"$CONFIG" <<EOF
store = "$STORE"
data = "$DATA"
partitions = 2
http = "127.0.0.1:$port"
log-format = "text"
EOF
LOG=$TMP/serve.log

# --- shims ---
az() { "$BIN" "$@"; }
sudo() {
  [ "${1:-}" = -u ] && shift 2
  "$@"
}
install() { :; }  # the binary under test is already "installed"
start_server() {  # ExecStartPre and ExecStart of ops/systemd/autoriza.service
  "$BIN" config check "$CONFIG" >>"$LOG" 2>&1 || return 1
  "$BIN" serve --config "$CONFIG" --store "$STORE" >>"$LOG" 2>&1 &
  pid=$!
}
stop_server() {  # KillSignal=SIGTERM, then wait for the exit
  [ -n "$pid" ] || return 0
  kill -TERM "$pid"
  wait "$pid"
  local rc=$?
  pid=
  [ "$rc" -eq 0 ] || echo "serve exited with $rc after SIGTERM" >&2
  return "$rc"
}
systemctl() {
  [ "${2:-}" = autoriza ] || { echo "shim: unexpected systemctl $*" >&2; return 1; }
  case "$1" in
    start) start_server ;;
    stop) stop_server ;;
    restart) stop_server && start_server ;;
    status) [ -n "$pid" ] && kill -0 "$pid" ;;
    *) echo "shim: unexpected systemctl $*" >&2; return 1 ;;
  esac
}
journalctl() {
  local n=10
  while [ $# -gt 0 ]; do
    [ "$1" = -n ] && n=$2
    shift
  done
  tail -n "$n" "$LOG"
}
slept=0
sleep() {  # the runbook's wait loops: give up after 60 s
  slept=$((slept + 1))
  [ "$slept" -le 60 ] || die "waited over 60 s in a runbook block (server log below)"
  command sleep "$@"
}

# Runs the runbook block NAME line by line in this shell; its output goes
# to $TMP/NAME.out. A failing line is a failure of the runbook.
run_block() {
  local name=$1 line
  local block
  block=$(awk -v tag="<!-- test: $name -->" '
    $0 == tag { want = 1; next }
    want && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }' "$RUNBOOK")
  [ -n "$block" ] || die "no block '$name' in $RUNBOOK"
  slept=0
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    if ! eval "$line" >>"$TMP/$name.out" 2>&1; then
      fail "runbook block '$name': this line failed: $line"
      tail -5 "$TMP/$name.out"
      return 1
    fi
  done <<<"$block"
  return 0
}

# --- start (runbook: Start) ---
run_block start || die "the server did not start"
KEY=$(grep '^provider-LAB127,' "$STORE/dev-keys.csv" | cut -d, -f3)
AUTORIZA_KEY=$(grep '^admin,' "$STORE/dev-keys.csv" | cut -d, -f3)
export AUTORIZA_KEY
[ -n "$KEY" ] && [ -n "$AUTORIZA_KEY" ] || die "no development keys"
post() {  # post KEY COMMAND BODY -> "status body"
  curl -s -w '\n%{http_code}' -H "Authorization: Bearer $1" "$URL/v1/$2" -d "$3"
}
authorize_body() {
  echo "{\"request_id\":\"$1\",\"provider\":\"LAB127\",\"credential\":\"110000783851\",\"prescribed_on\":\"2026-11-20\",\"prescriber\":{\"kind\":\"MD\",\"license\":\"1234\"},\"items\":[{\"code\":\"000118\"},{\"code\":\"000012\",\"qty\":2}]}"
}
tx_of() { grep -o '"transaction":"[^"]*"' | head -1 | cut -d'"' -f4; }

# Something for the billing: three orders, each consumed.
for i in 1 2 3; do
  tx=$(post "$KEY" authorize "$(authorize_body "base-$i")" | tx_of)
  post "$KEY" consume "{\"request_id\":\"base-c$i\",\"provider\":\"LAB127\",\"credential\":\"110000783851\",\"order\":\"$tx\",\"items\":[0]}" |
    tail -1 | grep -q '^200$' || fail "consume of $tx"
done

# --- a stream of commands through an upgrade and a stop/start ---
# Each client sends authorizations with fresh request ids and writes
# "request_id http_status transaction" for every try.
client() {
  local n=0 out code rc
  while [ ! -f "$TMP/stop-load" ]; do
    n=$((n + 1))
    out=$(curl -s --max-time 10 -w '\n%{http_code}' -H "Authorization: Bearer $KEY" "$URL/v1/authorize" -d "$(authorize_body "$1-$n")")
    rc=$?
    code=$(tail -1 <<<"$out")
    [ "$code" = 200 ] || code="$code/curl-$rc"  # curl 7: refused; 52, 56: closed without an answer
    echo "$1-$n $code $(tx_of <<<"$out")" >>"$TMP/load-$1"
    [ "$code" = 200 ] || command sleep 0.05
  done
}
for c in a b c d; do
  client "$c" &
  loaders+=($!)
done
command sleep 2
run_block upgrade-backup || die "upgrade: backup"
run_block upgrade-check || die "upgrade: check"
grep -q '^rebuilt state equals live state' "$TMP/upgrade-check.out" || fail "upgrade check: no equal replay"
run_block upgrade-restart || die "upgrade: restart"
grep -q 'draining and stopping' "$LOG" || fail "no 'draining and stopping' in the log after SIGTERM"
command sleep 1.5
run_block stop || die "stop"
run_block start || die "start after stop"
command sleep 1.5
touch "$TMP/stop-load"
for l in "${loaders[@]}"; do wait "$l"; done
loaders=()
cat "$TMP"/load-* >"$TMP/load"
acked=$(awk '$2 == 200' "$TMP/load" | wc -l)
refused=$(awk '$2 != 200' "$TMP/load" | wc -l)
[ "$acked" -gt 20 ] || fail "only $acked commands acknowledged under load"

# Every acknowledged transaction is there after the restarts, and a retry
# of its request id answers the same transaction.
while read -r rid code tx; do
  [ "$code" = 200 ] || continue
  [ -n "$tx" ] || { fail "$rid: 200 without a transaction"; continue; }
  got=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$URL/v1/transactions/$tx")
  [ "$got" = 200 ] || fail "acknowledged $rid ($tx) is lost: GET answers $got"
  again=$(post "$KEY" authorize "$(authorize_body "$rid")")
  [ "$(tail -1 <<<"$again")" = 200 ] && [ "$(tx_of <<<"$again")" = "$tx" ] ||
    fail "retry of acknowledged $rid does not answer $tx: $(head -c 200 <<<"$again")"
done <"$TMP/load"
dup=$(awk '$2 == 200 {print $3}' "$TMP/load" | sort | uniq -d | head -3)
[ -z "$dup" ] || fail "one transaction answered to two request ids: $dup"
# What was not acknowledged (connection closed or refused during the stops)
# is retried as a switch would: each request id ends up decided exactly once.
awk '$2 != 200 {print $1}' "$TMP/load" | while read -r rid; do
  again=$(post "$KEY" authorize "$(authorize_body "$rid")")
  [ "$(tail -1 <<<"$again")" = 200 ] || echo "FAIL: retry of $rid: $(head -c 200 <<<"$again")"
done >"$TMP/retries"
[ -s "$TMP/retries" ] && fail "retries after the restarts: $(head -3 "$TMP/retries")"
"$BIN" replay --store "$STORE" --export csv --type authorize --no-progress 2>/dev/null |
  python3 -c '
import csv, sys
rows = [r["request_id"] for r in csv.DictReader(sys.stdin) if not r["request_id"].startswith("base-")]
sent = {l.split()[0] for l in open(sys.argv[1])}
if len(rows) != len(set(rows)): print("FAIL: request ids recorded twice:", sorted({r for r in rows if rows.count(r) > 1})[:5])
if set(rows) != sent: print("FAIL: recorded and sent request ids differ:", sorted(set(rows) ^ sent)[:5])
' "$TMP/load" >"$TMP/export-check"
[ -s "$TMP/export-check" ] && fail "event log: $(cat "$TMP/export-check")"

# --- rotate an API key (runbook: Rotate API keys) ---
run_block keys-add || die "keys add"
NEW_KEY=$(sed -n 's/^key //p' "$TMP/keys-add.out")
NEW_KEY_ID=$(sed -n 's/^key_id //p' "$TMP/keys-add.out")
[ -n "$NEW_KEY" ] || die "keys add printed no key: $(cat "$TMP/keys-add.out")"
code=$(post "$NEW_KEY" eligibility '{"request_id":"k1","provider":"LAB127","credential":"110000783851"}' | tail -1)
[ "$code" = 200 ] || fail "the new key is not accepted ($code)"
code=$(post "$KEY" eligibility '{"request_id":"k2","provider":"LAB127","credential":"110000783851"}' | tail -1)
[ "$code" = 200 ] || fail "the old key stopped working before its revocation ($code)"
OLD_KEY_ID=$("$BIN" keys list --url "$URL" --key "$AUTORIZA_KEY" --format csv |
  awk -F, -v new="$NEW_KEY_ID" '$2 == "provider-LAB127" && $1 != new {print $1}')
[ -n "$OLD_KEY_ID" ] || die "no old key of provider-LAB127 in keys list"
run_block keys-revoke || die "keys revoke"
code=$(post "$KEY" eligibility '{"request_id":"k3","provider":"LAB127","credential":"110000783851"}' | tail -1)
[ "$code" = 401 ] || fail "the revoked key answers $code, not 401"
code=$(post "$NEW_KEY" eligibility '{"request_id":"k4","provider":"LAB127","credential":"110000783851"}' | tail -1)
[ "$code" = 200 ] || fail "the new key is refused after the old one's revocation ($code)"
KEY=$NEW_KEY

# --- backup while serving, restore, replay digests (runbook: Backup, Restore) ---
run_block backup || die "backup"
grep -q '^backup: {' "$TMP/backup.out" || fail "backup: $(cat "$TMP/backup.out")"
run_block restore || die "restore"
grep -q '^rebuilt state equals live state' "$TMP/restore.out" || fail "replay of the restored store: $(tail -3 "$TMP/restore.out")"
run_block restore-swap || die "restore: swap"
# The store served until the swap took no command after the backup: its
# replay digests are the restored store's.
old=$(ls -d "$STORE".before-restore.* | head -1)
"$BIN" replay --store "$old" --into "$TMP/old-replayed" --no-progress >"$TMP/old-replay.out" 2>&1 ||
  fail "replay of the original store: $(tail -3 "$TMP/old-replay.out")"
digests() { sed -n '/^table /,/^rebuilt/p' "$1" | grep -v '^rebuilt'; }
[ -n "$(digests "$TMP/restore.out")" ] || fail "no digest table in the restore's replay"
[ "$(digests "$TMP/restore.out")" = "$(digests "$TMP/old-replay.out")" ] ||
  fail "digests differ: restored $(digests "$TMP/restore.out" | tr '\n' ' ') original $(digests "$TMP/old-replay.out" | tr '\n' ' ')"
some_tx=$(awk '$2 == 200 {print $3; exit}' "$TMP/load")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$URL/v1/transactions/$some_tx")
[ "$code" = 200 ] || fail "the restored server does not answer $some_tx ($code)"
code=$(post "$(grep '^provider-LAB127,' "$STORE/dev-keys.csv" | cut -d, -f3)" eligibility \
  '{"request_id":"k5","provider":"LAB127","credential":"110000783851"}' | tail -1)
[ "$code" = 401 ] || fail "the key revoked before the backup is accepted by the restored server ($code)"

# --- rebuild the projections (runbook: Rebuild the projections) ---
caught_up() {  # every projection's lag 0
  for _ in $(seq 1 100); do
    curl -s -H "Authorization: Bearer $AUTORIZA_KEY" "$URL/v1/projections" |
      python3 -c 'import json,sys; sys.exit(0 if all(p["lag"] == 0 for p in json.load(sys.stdin)["items"]) else 1)' && return 0
    command sleep 0.2
  done
  fail "the projections did not catch up"
}
month=$(date -u -d '-3 hours' +%Y-%m)  # billing months are local (-03:00)
reads() {
  curl -s -H "Authorization: Bearer $KEY" "$URL/v1/providers/LAB127/billing/$month"
  echo
  curl -s -H "Authorization: Bearer $KEY" "$URL/v1/providers/LAB127/register?limit=1000"
}
caught_up
reads >"$TMP/reads-before"
grep -q '"items":0' "$TMP/reads-before" && fail "the billing has no items to compare"
run_block check-projections || die "check projections"
grep -q 'equal to live$' "$TMP/check-projections.out" || fail "projections check: $(cat "$TMP/check-projections.out")"
run_block rebuild-projections || die "rebuild projections"
[ -d "$STORE.projections.old" ] || fail "the old projections were not moved aside"
caught_up
reads >"$TMP/reads-after"
cmp -s "$TMP/reads-before" "$TMP/reads-after" ||
  fail "register/billing differ after the rebuild: $(diff "$TMP/reads-before" "$TMP/reads-after" | head -c 400)"

systemctl stop autoriza || fail "the last stop failed"
[ "$failures" -eq 0 ] && echo "runbook: all checks passed ($acked commands acknowledged; tries not acknowledged during two SIGTERM restarts: $(awk '$2 != 200 {print $2}' "$TMP/load" | sort | uniq -c | tr -s " \n" " "))"
exit "$failures"
