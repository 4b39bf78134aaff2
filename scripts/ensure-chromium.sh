#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (its own browser download cannot
# reach its servers here). Installs it when missing on Debian as root; otherwise says what to install.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium for the browser tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$browser" ] && exit 0
fi
echo "ensure-chromium: no Chromium at $browser." >&2
echo "  Install it (Debian: apt-get update && apt-get install -y chromium), or point CHROMIUM_PATH at one." >&2
exit 1
