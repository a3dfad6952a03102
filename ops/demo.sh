#!/usr/bin/env bash
# Installs what is missing, builds autoriza (Release) and starts it on the
# embedded store with the sample data set, answering HTTP on 127.0.0.1:8080.
# Options after the script are passed to `autoriza serve` (e.g. --http 127.0.0.1:9090).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j2 --target autoriza
exec build/release/autoriza serve --data ops/sample-data --store ./autoriza-data --sample-family "$@"
