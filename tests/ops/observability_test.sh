#!/usr/bin/env bash
# The alert rules and the dashboard name only metrics the server exports:
# a real `autoriza serve` (HTTP and binary TCP over TLS, with a certificate
# the `openssl` command makes here) answers a command, then
# every autoriza_* family named in ops/prometheus/alerts.yml and
# ops/grafana/autoriza.json must be on its /metrics page (histograms by
# their _bucket/_sum/_count). promtool (Debian's prometheus package) checks
# and unit-tests the rules when it is installed. Then a renewed certificate
# is reloaded by SIGHUP.
# Usage: observability_test.sh AUTORIZA REPO
set -uo pipefail
BIN=$1
REPO=$2
TMP=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null && wait $pid 2>/dev/null; rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

if command -v promtool >/dev/null; then
  (cd "$REPO/ops/prometheus" && promtool check rules alerts.yml && promtool test rules alerts_test.yml) >"$TMP/promtool" 2>&1 ||
    fail "promtool: $(cat "$TMP/promtool")"
else
  echo "note: no promtool (apt-get install prometheus): the rules' syntax is not checked here"
fi
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$REPO/ops/grafana/autoriza.json" || fail "the dashboard is not JSON"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
tcp=$(free_port)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
  -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >"$TMP/openssl.log" 2>&1 || fail "openssl: $(cat "$TMP/openssl.log")"
"$BIN" serve --data "$REPO/ops/sample-data" --store "$TMP/store" --http "127.0.0.1:$port" --tcp-port "$tcp" \
  --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" --log-format text >"$TMP/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
KEY=$(grep '^admin,' "$TMP/store/dev-keys.csv" | cut -d, -f3)
for _ in 1 2; do  # the second is a retry: replays are counted too
  curl -s -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/v1/eligibility" \
    -d '{"request_id":"m1","provider":"LAB127","credential":"110000783851"}'
done
curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/metrics" >"$TMP/metrics"
grep -q '^autoriza_commands_total' "$TMP/metrics" || fail "no metrics page: $(head -3 "$TMP/metrics")"
sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' "$TMP/metrics" | sort -u >"$TMP/families"

named=$(grep -ohE 'autoriza_[a-z_]+' "$REPO/ops/prometheus/alerts.yml" "$REPO/ops/grafana/autoriza.json" | sort -u)
checked=0
for m in $named; do
  family=$m
  for suffix in _bucket _sum _count; do
    if [[ $m == *$suffix ]] && grep -qx "${m%$suffix}" "$TMP/families"; then family=${m%$suffix}; fi
  done
  grep -qx "$family" "$TMP/families" || fail "$m is named but the server exports no such metric"
  checked=$((checked + 1))
done
[ "$checked" -ge 15 ] || fail "only $checked metrics named: the pattern missed them?"

# A renewed certificate (90 days instead of 30) is served after SIGHUP
# (`systemctl reload`), without a restart: the expiry metric moves, the
# handshake shows the new certificate, the process goes on.
metric() { curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/metrics" | sed -n "s/^$1 //p"; }
served() { openssl s_client -connect "127.0.0.1:$tcp" </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256; }
expiry_before=$(metric 'autoriza_tls_certificate_expiry_timestamp_seconds{port="'"$tcp"'"}')
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 -subj /CN=localhost \
  -keyout "$TMP/key.new" -out "$TMP/cert.new" >"$TMP/openssl.log" 2>&1 || fail "openssl: $(cat "$TMP/openssl.log")"
mv "$TMP/cert.new" "$TMP/cert.pem" && mv "$TMP/key.new" "$TMP/key.pem"
kill -HUP "$pid"
for _ in $(seq 1 100); do
  [ "$(metric 'autoriza_tls_certificate_reloads_total{port="'"$tcp"'",result="ok"}')" = 1 ] && break
  sleep 0.1
done
expiry_after=$(metric 'autoriza_tls_certificate_expiry_timestamp_seconds{port="'"$tcp"'"}')
python3 -c 'import sys; b, a = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if a - b > 59 * 86400 else 1)' \
  "${expiry_before:-0}" "${expiry_after:-0}" || fail "after SIGHUP the expiry went from '$expiry_before' to '$expiry_after'"
[ "$(served)" = "$(openssl x509 -in "$TMP/cert.pem" -noout -fingerprint -sha256)" ] ||
  fail "after SIGHUP the handshake shows another certificate: $(served)"
kill -0 "$pid" 2>/dev/null || fail "serve died of SIGHUP: $(tail -5 "$TMP/serve.log")"
grep -q "TLS certificate reloaded" "$TMP/serve.log" || fail "no reload in the log: $(tail -5 "$TMP/serve.log")"
[ "$failures" -eq 0 ] && echo "observability: $checked metrics named by the alerts and the dashboard, all exported; SIGHUP reloaded the certificate"
exit "$failures"
