#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (its own browser download cannot
# reach its servers here). Installs it when missing on Debian as root; otherwise says what to install.
# A Chinese font too, so the console's 中文 pages are drawn (and measured) with real glyphs, not boxes.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

has_cjk_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; }
ensure_cjk_font() {
  has_cjk_font && return 0
  if can_install; then
    echo "ensure-chromium: installing a Chinese font (fonts-wqy-microhei) for the console's 中文 pages" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null && return 0
  fi
  # Not fatal: the pages still work; Chinese is drawn as boxes and its widths are estimates.
  echo "ensure-chromium: no Chinese font; install one (Debian: apt-get install -y fonts-wqy-microhei) to see 中文 pages" >&2
}

if [ ! -x "$browser" ] && can_install; then
  echo "ensure-chromium: installing Debian's chromium for the browser tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ -x "$browser" ]; then
  ensure_cjk_font
  exit 0
fi
echo "ensure-chromium: no Chromium at $browser." >&2
echo "  Install it (Debian: apt-get update && apt-get install -y chromium), or point CHROMIUM_PATH at one." >&2
exit 1
