#!/usr/bin/env bash
# Draws web/icon-192.png and web/icon-512.png from web/icon.svg with Debian's
# /usr/bin/chromium (headless, no network, transparent background). Run once
# after editing the SVG and commit the PNGs; the build only embeds them.
#
#   bash adapters/affiliate_app/make-icons.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$here/web/icon.svg" "$tmp/icon.svg"
for size in 192 512; do
  cat > "$tmp/icon-$size.html" <<HTML
<!doctype html><html><body style="margin:0;background:transparent">
<img src="icon.svg" width="$size" height="$size" style="display:block" alt=""></body></html>
HTML
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-background-networking --default-background-color=00000000 --user-data-dir="$tmp/profile" \
    --window-size="$size,$size" --screenshot="$here/web/icon-$size.png" "file://$tmp/icon-$size.html" 2>/dev/null
  echo "wrote web/icon-$size.png"
done
