#!/usr/bin/env bash
# The whole suite in one pytest run, so its closing line counts every test:
#   tests/                unit tests of nnlib, exercise checks, the book build and the browser check
#   exercises/solutions/  every exercise notebook, top to bottom, with nbval (--nbval-lax: a cell fails only
#                         if it raises; the notebooks assert what they claim)
# The chapters are executed for the book build (tests/build_book_parallel.sh: every page's notebook executed,
# JOBS at a time, then built with -W -n; a failing assert fails the build and names the notebook), which starts
# first, in the background; pytest runs beside it and runs tests/test_book*.py last (tests/conftest.py): they
# wait for the build, then check it and its pages on the two workers. Every chapter runs once.
# Student versions of the exercises are run by tests/test_exercises.py (they may fail only with
# NotImplementedError). --dist loadfile keeps a notebook's cells on one worker.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${1:-2}"
start=$(date +%s)
# One BLAS thread per process: the build and the workers share the cores, no oversubscription.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
BOOK_DIR="$(mktemp -d)"
(bash tests/build_book_parallel.sh "$BOOK_DIR" "$JOBS" > "$BOOK_DIR/build.log" 2>&1; echo $? > "$BOOK_DIR/rc") &
BUILD_PID=$!
trap 'kill $BUILD_PID 2>/dev/null || true' EXIT
export NNLIB_BOOK_DIR="$BOOK_DIR"
.venv/bin/python -m pytest -n "$JOBS" --dist loadfile --nbval-lax -p no:cacheprovider \
  tests exercises/solutions "${@:2}"
echo "make test took $(( $(date +%s) - start )) s"
