#!/usr/bin/env bash
# Install Debian's Chromium (and its WebDriver) for the browser tests, if missing.
# Prints only the browser's executable path on stdout (ARMSWATCH_TEST_CHROMIUM);
# progress goes to stderr. Playwright drives this browser: it never downloads one.
# Idempotent: safe to run again.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "== installing Chromium from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium chromium-driver >&2
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "error: $CHROMIUM is still missing after installing the chromium package" >&2
  exit 1
fi
# Debian's launcher is a shell script that prints stray warnings of its own on stderr; the
# version line is on stdout. Fail here, not in the tests, if the browser cannot start at all.
if ! version="$("$CHROMIUM" --version 2>/dev/null)" || [ -z "$version" ]; then
  echo "error: $CHROMIUM --version failed" >&2
  exit 1
fi
echo "   $version" >&2
echo "$CHROMIUM"
