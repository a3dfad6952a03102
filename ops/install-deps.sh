#!/usr/bin/env bash
# Installs everything autoriza needs to build, test and run on Debian 12.
# Idempotent: safe to run again; only apt-get, nothing downloaded from elsewhere.
# (python3 and universal-ctags run ops/check-layers.py; cairo, pango and the
# DejaVu fonts draw the PDFs of adapters/print, poppler-utils reads them back
# in tests/print; chromium runs the browser tests, zbar-tools' zbarimg reads
# the QR codes they see; the openssl command makes the TLS tests'
# certificates; the Node test tools come from npm through
# tests/npm/install.sh, which ops/test.sh calls.)
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  librdkafka-dev librocksdb-dev
  libflatbuffers-dev flatbuffers-compiler
  libboost-dev libssl-dev openssl
  libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  libqrencode-dev zlib1g-dev libjemalloc-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils
  chromium zbar-tools
  clang-14 libclang-rt-14-dev
  python3 universal-ctags systemd prometheus
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
