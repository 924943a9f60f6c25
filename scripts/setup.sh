#!/usr/bin/env bash
# One-command set-up: a virtual environment with councilguard and its pinned dependencies.
# Everything comes from PyPI by package name; nothing is downloaded at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
[ -d .venv ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
# A real IMAP server (dovecot) for the archive importer's tests; Debian's package, started by the tests
if [ "$(id -u)" = 0 ] && [ ! -x /usr/sbin/dovecot ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
fi
# A real browser for the web app's end-to-end and accessibility tests (tests/web/e2e): Debian's Chromium,
# its driver, and its English (UK) locale (so date fields read dd/mm/yyyy as they do for the council)
if [ "$(id -u)" = 0 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] \
    || [ ! -f /usr/lib/chromium/locales/en-GB.pak ]; }; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
    chromium-l10n >/dev/null
fi
# axe-core, the accessibility rules those tests inject into each page, from npm into a git-ignored folder
AXE_VERSION=4.14.1
if [ ! -f .cache/axe-core/node_modules/axe-core/axe.min.js ] \
    || ! grep -q "\"version\": \"$AXE_VERSION\"" .cache/axe-core/node_modules/axe-core/package.json; then
  if command -v npm >/dev/null 2>&1; then
    npm install --prefix .cache/axe-core --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
  else
    echo "setup: npm is missing, so axe-core is not installed and tests/web/e2e will fail" >&2
  fi
fi
