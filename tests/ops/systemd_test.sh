#!/usr/bin/env bash
# The service units of ops/systemd pass `systemd-analyze verify` with no
# warning (an unknown key is only a warning there: any output fails here),
# carry the hardening ops/README.md promises, and start the binary with
# options it accepts. Usage: systemd_test.sh AUTORIZA UNITS_DIR
set -uo pipefail
BIN=$(realpath "$1")
UNITS=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: no systemd-analyze"
  exit 77
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
count=0
for unit in "$UNITS"/*.service; do
  name=$(basename "$unit")
  count=$((count + 1))
  # A template is verified as its instance 0; the binary is the one built.
  [[ $name == *@.service ]] && name=${name/@./@0.}
  sed "s|/usr/local/bin/autoriza|$BIN|g" "$unit" >"$TMP/$name"
  if ! systemd-analyze verify --man=no "$TMP/$name" >"$TMP/out" 2>&1 || [ -s "$TMP/out" ]; then
    fail "$name: $(cat "$TMP/out")"
  fi
  for line in "User=autoriza" "NoNewPrivileges=yes" "ProtectSystem=strict" "PrivateTmp=yes" "ProtectHome=yes" \
              "UMask=0077" "LimitNOFILE=" "KillSignal=SIGTERM" "CapabilityBoundingSet=" "ExecStartPre=$BIN config check"; do
    grep -q "^$line" "$TMP/$name" || fail "$name lacks $line"
  done
  # Units that may serve TLS reload their certificate on `systemctl reload` (SIGHUP).
  if ! grep -qE '^ExecStart=.*--role (validator|projections)' "$TMP/$name"; then
    grep -q '^ExecReload=/bin/kill -HUP \$MAINPID' "$TMP/$name" || fail "$name lacks ExecReload (SIGHUP reloads TLS)"
  fi
  # The options of ExecStart are serve's (the file's keys are checked by ExecStartPre).
  exec_line=$(grep '^ExecStart=' "$TMP/$name" | sed -e 's/^ExecStart=//' -e 's/%i/0/g' -e 's|--config [^ ]*||')
  # shellcheck disable=SC2086
  $exec_line --help >"$TMP/help" 2>&1 || fail "$name: '$exec_line' is refused: $(head -3 "$TMP/help")"
done
[ "$count" -ge 4 ] || fail "expected the embedded unit and the three Kafka roles, found $count units"
[ "$failures" -eq 0 ] && echo "systemd units: $count verified"
exit "$failures"
