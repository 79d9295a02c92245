#!/usr/bin/env bash
# make test: the whole suite. Usage: tests/run_all.sh [JOBS [PYTEST_ARGS...]]
#   - the book: tests/build_book_parallel.sh executes every notebook of the book (the chapters and the exercise
#     solutions, from _toc.yml), JOBS at a time, then builds the HTML from the executed copies (-W -n). It runs
#     in the background from the start;
#   - pytest runs beside it: tests/ (unit tests of nnlib, gradient checks, exercise checks, the student versions
#     of the exercises), then tests/book/test_book*.py last (tests/conftest.py), which wait for the build and check it
#     and its pages. --dist loadgroup keeps a module's tests on one worker (tests/conftest.py).
# Fail fast: the moment the build fails (a notebook's cell raised, a notebook went over its budget, a warning),
# this script prints what failed — the notebook, the cell and the assert — stops pytest and exits 1.
# The table of every notebook's CPU time and peak memory is copied to _build/notebook-budget.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${1:-2}"
PYTEST_ARGS=("${@:2}")
[ ${#PYTEST_ARGS[@]} -gt 0 ] || PYTEST_ARGS=(tests)
start=$(date +%s)
# One BLAS thread per process: the build and the workers share the cores, no oversubscription.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
BOOK_DIR="$(mktemp -d)"
export NNLIB_BOOK_DIR="$BOOK_DIR"
# The build in a session of its own (so that stopping it stops all of it); its status is written whatever the
# build returns (the old subshell inherited `set -e` and exited before writing it, and the book tests waited).
setsid bash -c 'bash tests/build_book_parallel.sh "$0" "$1" > "$0/build.log" 2>&1; echo $? > "$0/rc"' \
  "$BOOK_DIR" "$JOBS" &
BUILD_PID=$!
# pytest in a session of its own, so that stopping it stops its xdist workers and their kernels too.
setsid .venv/bin/python -m pytest -n "$JOBS" --dist loadgroup -p no:cacheprovider "${PYTEST_ARGS[@]}" &
PYTEST_PID=$!
stop_all() {
  kill -TERM -- "-$PYTEST_PID" 2>/dev/null || true
  kill -TERM -- "-$BUILD_PID" 2>/dev/null || true
}
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT TERM

report_build_failure() {
  local log="$BOOK_DIR/build.log"
  echo
  echo "================ make test: the book build failed — stopping the other tests ================"
  if grep -q '^\*\*\* NOTEBOOK FAILED' "$log"; then
    sed -n '/^\*\*\* NOTEBOOK FAILED/,/^$/p' "$log"
  elif grep -qE 'WARNING:|ERROR:|CRITICAL:' "$log"; then
    grep -E 'WARNING:|ERROR:|CRITICAL:' "$log" | head -40
  else
    tail -n 40 "$log"
  fi
  echo "(full log: $log)"
}

while kill -0 "$PYTEST_PID" 2>/dev/null; do
  if [ -s "$BOOK_DIR/rc" ] && [ "$(cat "$BOOK_DIR/rc")" != 0 ]; then
    report_build_failure
    stop_all
    wait "$PYTEST_PID" 2>/dev/null || true
    echo "make test FAILED after $(( $(date +%s) - start )) s"
    exit 1
  fi
  sleep 1
done
rc=0
wait "$PYTEST_PID" || rc=$?
if [ -s "$BOOK_DIR/notebook-budget.md" ]; then
  mkdir -p _build && cp "$BOOK_DIR/notebook-budget.md" _build/notebook-budget.md
  echo "Notebook budget (the five heaviest; all in _build/notebook-budget.md):"
  sed -n '3,9p' _build/notebook-budget.md
fi
echo "make test took $(( $(date +%s) - start )) s"
exit "$rc"
