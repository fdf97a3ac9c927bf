#!/usr/bin/env bash
# Install Debian's Chromium (and fonts for Chinese and Arabic pages) when missing.
# Browser tests drive it through Playwright; nothing is downloaded at test time.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "Chromium is missing and apt-get is not available: browser tests will be skipped."
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Chromium is missing and we are not root: browser tests will be skipped."
    exit 0
  fi
fi
echo "==> installing chromium and fonts with apt-get"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  chromium fonts-wqy-microhei fonts-noto-core >/dev/null
