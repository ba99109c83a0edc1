#!/usr/bin/env bash
# Installs everything evidence needs on a fresh Debian machine with Python 3.11:
# system packages from apt, a virtual environment in .venv, and the package with its extras.
# Usage: bash scripts/install.sh [dev]   ("dev" adds test, lint and browser-test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
want_dev="${1:-}"

apt_packages=(poppler-utils fonts-wqy-microhei)
if [ "$want_dev" = "dev" ]; then
  apt_packages+=(postgresql chromium)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
[ -d .venv ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# requirements.lock pins every dependency (scripts/lock.sh regenerates it): both installs resolve
# through it, so a fresh clone gets the versions the tests passed with, not whatever is newest.
if [ "$want_dev" = "dev" ]; then
  .venv/bin/python -m pip install -q -c requirements.lock -e ".[dev]"
else
  .venv/bin/python -m pip install -q -c requirements.lock -e .
fi
