#!/usr/bin/env bash
# The project's test command: lint, type-check, then the test suite (with a throw-away PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
ruff check .
mypy .
pytest -n 2 "$@"
