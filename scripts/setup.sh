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
