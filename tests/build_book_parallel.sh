#!/usr/bin/env bash
# Build the book for the tests with its notebooks executed in parallel (Jupyter Book 1 executes them one at a
# time, which made the build most of make test's time). Usage: tests/build_book_parallel.sh OUT_DIR [JOBS]
#   1. copy the sources to OUT_DIR/src (not .venv, node_modules, _build, .git; _vendor is linked);
#   2. execute every notebook of the book in place there, JOBS at a time, each in its own folder, with the
#      project's kernel (tests/execute_notebooks.py). A cell that raises (a failing assert) stops this step at
#      once: the other notebooks are killed, and the notebook, the cell and the assert are printed. A notebook
#      above the budget (60 s of CPU on one core, 1 GiB of memory) fails it too; the table of every notebook's
#      CPU time and peak memory is written to OUT_DIR/notebook-budget.md;
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
mapfile -t NOTEBOOKS < <("$PY" "$ROOT/tests/toc.py" "$SRC" | grep '\.ipynb$')
"$PY" "$ROOT/tests/execute_notebooks.py" --inplace --jobs "$JOBS" --table "$OUT/notebook-budget.md" --base "$SRC" "${NOTEBOOKS[@]}"
"$ROOT/.venv/bin/jupyter-book" build "$SRC" --builder html -W -n --keep-going --path-output "$OUT"
