#!/usr/bin/env bash
# Self-test of validate-openapi.mjs: a valid OpenAPI 3.1 document passes,
# broken ones fail with the right error, usage/IO errors exit 2, and a URL is
# fetched (with AUTORIZA_KEY as the Bearer key) from a throwaway local server.
#
#   bash tests/npm/install.sh && bash tests/npm/validate-openapi-test.sh
#
# Prints "N passed, M failed"; exits 1 when anything failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
validator="$here/validate-openapi.mjs"
fx="$here/fixtures"
passed=0
failed=0
tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -d "$here/node_modules/@seriousme/openapi-schema-validator" ]; then
  echo "validate-openapi-test: tests/npm/node_modules missing: run bash tests/npm/install.sh first" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# expect NAME WANT_EXIT WANT_TEXT ARG... : runs the validator with ARG..., checks
# its exit code and that its output (stdout+stderr) contains WANT_TEXT.
expect() {
  local name="$1" want_rc="$2" want_text="$3"
  shift 3
  local out rc
  out="$(node "$validator" "$@" 2>&1)"
  rc=$?
  if [ "$rc" -eq "$want_rc" ] && { [ -z "$want_text" ] || grep -qF -- "$want_text" <<<"$out"; }; then
    passed=$((passed + 1))
    echo "ok   $name (exit $rc)"
  else
    failed=$((failed + 1))
    echo "FAIL $name: exit $rc, wanted $want_rc with output containing: $want_text"
    sed 's/^/     | /' <<<"$out"
  fi
}

# valid
expect "valid 3.1 document" 0 "openapi: valid (3 paths, 3 operations)" "$fx/valid.json"

# the official OpenAPI 3.1 schema
expect "missing info" 1 "error: #: must have required property 'info'" "$fx/invalid-missing-info.json"
expect "response without description" 1 \
  "error: #/paths/~1v1~1eligibility/post/responses/200: must have required property 'description'" \
  "$fx/invalid-response-no-description.json"
expect "misspelt requestBody field" 1 "unevaluated properties: 'contnt'" "$fx/invalid-unknown-field.json"
expect "openapi 3.0.3 is not 3.1" 1 'error: #/openapi: must be "3.1.x"' "$fx/invalid-openapi-3.0.json"
expect "Schema Object against the 2020-12 meta-schema" 1 \
  "error: #/components/schemas/Error/properties/code/type:" "$fx/invalid-schema-object.json"

# references
expect "bad \$ref" 1 \
  'error: #/paths/~1v1~1eligibility/post/responses/200/content/application~1json/schema/$ref: unresolvable reference "#/components/schemas/EligibilityVerdict"' \
  "$fx/invalid-bad-ref.json"

# project conventions
expect "operation without summary" 1 \
  'error: #/paths/~1v1~1transactions~1{id}/get: GET /v1/transactions/{id}: operation has no non-empty "summary"' \
  "$fx/invalid-no-summary.json"
expect "operation without operationId" 1 'operation has no "operationId"' "$fx/invalid-no-operationid.json"
expect "duplicate operationId" 1 'operationId "checkEligibility" is already used' "$fx/invalid-duplicate-operationid.json"
expect "operation without 4xx response" 1 "operation declares no 4xx response" "$fx/invalid-no-4xx.json"
expect "not JSON" 1 "error: #: not JSON" "$fx/not-json.txt"

# usage and I/O errors
expect "no argument" 2 "usage:"
expect "two arguments" 2 "usage:" "$fx/valid.json" "$fx/valid.json"
expect "missing file" 2 "cannot read" "$tmp/does-not-exist.json"

# a URL, from a throwaway server on the loopback that wants "Authorization: Bearer test-key"
node --input-type=module - "$fx/valid.json" "$tmp/port" <<'EOF' &
import http from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
const [doc, portFile] = process.argv.slice(2);
const body = readFileSync(doc);
const server = http.createServer((req, res) => {
  if (req.url !== "/openapi.json") { res.writeHead(404); res.end("not found"); return; }
  if (req.headers.authorization !== "Bearer test-key") { res.writeHead(401); res.end("no key"); return; }
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => writeFileSync(portFile, String(server.address().port)));
setTimeout(() => process.exit(0), 60000).unref(); // never outlives the test for long
process.on("SIGTERM", () => server.close(() => process.exit(0)));
EOF
server_pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
if [ -s "$tmp/port" ]; then
  port="$(cat "$tmp/port")"
  url="http://127.0.0.1:$port/openapi.json"
  AUTORIZA_KEY=test-key expect "URL with AUTORIZA_KEY" 0 "openapi: valid (3 paths, 3 operations)" "$url"
  AUTORIZA_KEY= expect "URL without key: HTTP 401" 2 "HTTP 401" "$url"
  AUTORIZA_KEY=test-key expect "URL not found: HTTP 404" 2 "HTTP 404" "http://127.0.0.1:$port/nope.json"
  kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=""
  expect "URL nobody listens on" 2 "cannot fetch" "$url"
else
  failed=$((failed + 1))
  echo "FAIL local test server did not start"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
