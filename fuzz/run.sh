#!/usr/bin/env bash
# Fuzz the PDF, OFD, XLSX and CSV readers for SECONDS each (default 60), not part of CI.
# Needs the optional extra: .venv/bin/pip install -e '.[fuzz]'
# Crashes (any exception other than DocumentReadError) are saved as fuzz/out/<format>/crash-*;
# replay one with: .venv/bin/python -m fuzz.fuzz_readers FORMAT fuzz/out/FORMAT/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
formats="${FUZZ_FORMATS:-pdf ofd xlsx csv}"
py=".venv/bin/python"
"$py" -c "import atheris" 2>/dev/null || { echo "atheris missing: .venv/bin/pip install -e '.[fuzz]'" >&2; exit 2; }
corpus="fuzz/corpus"
"$py" -m fuzz.seeds "$corpus"
status=0
for fmt in $formats; do
  out="fuzz/out/$fmt"
  mkdir -p "$out"
  echo "== fuzzing $fmt for ${seconds}s"
  "$py" -m fuzz.fuzz_readers "$fmt" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
    -max_len=262144 -artifact_prefix="$out/" "$corpus/$fmt" || status=$?
done
exit "$status"
