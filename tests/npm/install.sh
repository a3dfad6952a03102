#!/usr/bin/env bash
# Installs autoriza's Node test tools (tests/npm) exactly as pinned in
# package-lock.json. Idempotent: does nothing when node_modules is up to date.
#
#   bash tests/npm/install.sh
#
# - node/npm missing: installs Debian's nodejs and npm with apt-get (needs root).
# - runs `npm ci` when node_modules is missing or older than package-lock.json.
# - never downloads a browser: browser tests use Debian's /usr/bin/chromium.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

# Browser-bearing packages (playwright, puppeteer) must not fetch their own build.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PUPPETEER_SKIP_DOWNLOAD=1
export npm_config_update_notifier=false

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "tests/npm/install.sh: node or npm not found; installing Debian's nodejs and npm (apt-get install -y nodejs npm)"
  if [ "$(id -u)" -ne 0 ]; then
    echo "tests/npm/install.sh: need root for apt-get; install nodejs and npm first" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q nodejs npm
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
# 18 is Debian 12's own nodejs (the machines have 20): both have global fetch.
if [ "$node_major" -lt 18 ]; then
  echo "tests/npm/install.sh: node $(node --version) is too old: need >= 18 (global fetch)" >&2
  exit 1
fi

# npm ci writes node_modules/.package-lock.json last: its age tells whether the
# tree matches the lockfile.
stamp="node_modules/.package-lock.json"
if [ -f "$stamp" ] && [ ! "package-lock.json" -nt "$stamp" ] && [ ! "package.json" -nt "$stamp" ]; then
  echo "tests/npm/install.sh: node_modules up to date (node $(node --version), npm $(npm --version))"
  exit 0
fi

echo "tests/npm/install.sh: npm ci in tests/npm (node $(node --version), npm $(npm --version))"
npm ci --no-audit --no-fund
touch "$stamp"
echo "tests/npm/install.sh: installed"
