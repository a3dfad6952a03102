#!/usr/bin/env bash
# `autoriza serve --config FILE` and `autoriza config check FILE`
# (app/config_file.h): the example of ops/ is valid; unknown keys and bad
# values are reported with their lines; a served file's keys take effect and
# the command line overrides them. Usage: config_file_test.sh AUTORIZA EXAMPLE
set -uo pipefail
BIN=$1
EXAMPLE=$2
TMP=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$TMP"' EXIT
pid=
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$BIN" config check "$EXAMPLE" >"$TMP/out" 2>&1 || fail "the example is refused: $(cat "$TMP/out")"

cat >"$TMP/bad.toml" <<'TOML'
http = "127.0.0.1:1"
partitions = 999
nosuch = 1
[tcp]
port = "abc"
TOML
if "$BIN" config check "$TMP/bad.toml" >"$TMP/out" 2>&1; then fail "a bad file is accepted"; fi
grep -q "bad.toml:2: --partitions: Value 999 not in range 1 to 256" "$TMP/out" || fail "no line 2 range error: $(cat "$TMP/out")"
grep -q "bad.toml:3: unknown key 'nosuch'" "$TMP/out" || fail "no line 3 unknown key: $(cat "$TMP/out")"
grep -q "bad.toml:5: .*--tcp-port" "$TMP/out" || fail "no line 5 tcp port error: $(cat "$TMP/out")"
# The limit of failed authentications per address is a key like any option.
printf 'auth_failures_max = 5\nauth-failures-window = 0\n' >"$TMP/auth.toml"
if "$BIN" config check "$TMP/auth.toml" >"$TMP/out" 2>&1; then fail "auth-failures-window = 0 is accepted"; fi
grep -q "auth.toml:2: --auth-failures-window: Value 0 not in range 1 to 86400" "$TMP/out" ||
  fail "no line 2 auth-failures-window error: $(cat "$TMP/out")"
grep -q "auth.toml:1" "$TMP/out" && fail "auth_failures_max is not a key: $(cat "$TMP/out")"
# A trusted proxy that is not an address or a network is named with its line.
printf 'trusted-proxies = "10.0.0.0/8, proxy.example"\n' >"$TMP/proxy.toml"
if "$BIN" config check "$TMP/proxy.toml" >"$TMP/out" 2>&1; then fail "a trusted proxy by name is accepted"; fi
grep -q "proxy.toml:1: --trusted-proxies: 'proxy.example' is not an address or a network" "$TMP/out" ||
  fail "no line 1 trusted-proxies error: $(cat "$TMP/out")"
printf 'http = \n' >"$TMP/syntax.toml"
"$BIN" config check "$TMP/syntax.toml" >"$TMP/out" 2>&1
grep -q "syntax.toml:1: not TOML" "$TMP/out" || fail "no syntax error with its line: $(cat "$TMP/out")"
# serve refuses to start on a bad file, saying why.
if "$BIN" serve --config "$TMP/bad.toml" >"$TMP/out" 2>&1; then fail "serve started on a bad file"; fi
grep -q "unknown key 'nosuch'" "$TMP/out" || fail "serve did not say why: $(cat "$TMP/out")"

# The file's keys take effect; --http on the command line overrides its http.
port_file=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
port_flag=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$TMP/serve.toml" <<TOML
store = "$TMP/store"
http = "127.0.0.1:$port_file"
log_format = "text"
public-url = "https://afiliados.example.org/"
TOML
"$BIN" serve --config "$TMP/serve.toml" --http "127.0.0.1:$port_flag" >"$TMP/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q "autoriza serving HTTP" "$TMP/serve.log" && break
  sleep 0.1
done
grep -q "autoriza serving HTTP on 127.0.0.1:$port_flag (store $TMP/store" "$TMP/serve.log" ||
  fail "the command line's --http or the file's store was not used: $(cat "$TMP/serve.log")"
grep -q '^{' "$TMP/serve.log" && fail "log-format = \"text\" of the file was not used"
curl -sf "http://127.0.0.1:$port_flag/healthz" >/dev/null || fail "no answer on the command line's port"

[ "$failures" -eq 0 ] && echo "config file: all checks passed"
exit "$failures"
