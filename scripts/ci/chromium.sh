#!/usr/bin/env bash
# Makes sure headless Chromium and its driver are there for the report's browser test:
#   scripts/ci/chromium.sh   installs Debian's chromium and chromium-driver if missing (needs root
#                            and apt), then prints the two paths: browser, then driver
set -euo pipefail

find_browser() { command -v chromium || command -v chromium-browser || true; }
find_driver() { command -v chromedriver || true; }

if [[ -z "$(find_browser)" || -z "$(find_driver)" ]]; then
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    echo "chromium.sh: chromium and chromium-driver are not installed and cannot be installed here (needs root and apt-get): install them" >&2
    exit 1
  fi
  echo "chromium.sh: installing chromium and chromium-driver with apt-get..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
fi
find_browser
find_driver
