#!/usr/bin/env bash
# Build the book for the tests with its notebooks executed in parallel (Jupyter Book 1 executes them one at a
# time, which made the build most of make test's time). Usage: tests/build_book_parallel.sh OUT_DIR [JOBS]
#   1. copy the sources to OUT_DIR/src (not .venv, node_modules, _build, .git; _vendor is linked);
#   2. execute every notebook of the book in place there, JOBS at a time, each in its own folder, with the
#      project's kernel; a cell that raises (a failing assert) fails this step and names the notebook;
#   3. build the book from the executed copies with execution off (the rest of _config.yml unchanged:
#      -W -n, stderr output is an error), into OUT_DIR/_build/html.
# `make book` still lets Jupyter Book execute (execute_notebooks: force); this is the same work, faster.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$1"
JOBS="${2:-2}"
SRC="$OUT/src"
mkdir -p "$SRC"
cd "$ROOT"
tar --exclude=./.venv --exclude=./node_modules --exclude=./_build --exclude=./.git --exclude=./_vendor \
    -cf - . | tar -xf - -C "$SRC"
ln -s "$ROOT/_vendor" "$SRC/_vendor"
sed -i 's/^  execute_notebooks: force$/  execute_notebooks: "off"/' "$SRC/_config.yml"
grep -q 'execute_notebooks: "off"' "$SRC/_config.yml" || { echo "could not switch execution off in _config.yml"; exit 1; }
unset MPLBACKEND  # kernels must draw inline figures
PY="$ROOT/.venv/bin/python"
"$PY" tests/toc.py "$SRC" | grep '\.ipynb$' \
  | xargs -P "$JOBS" -I{} "$ROOT/.venv/bin/jupyter-execute" --inplace --timeout=120 "{}"
"$ROOT/.venv/bin/jupyter-book" build "$SRC" --builder html -W -n --keep-going --path-output "$OUT"
