#!/usr/bin/env bash
# The whole suite in one pytest run, so its closing line counts every test:
#   tests/                unit tests of nnlib, exercise checks, the book build and the browser check
#   chapters/, exercises/solutions/   every notebook, top to bottom, with nbval (--nbval-lax: a cell fails
#                         only if it raises; the notebooks assert what they claim)
# Student versions of the exercises are run by tests/test_exercises.py (they may fail only with
# NotImplementedError). --dist loadfile keeps a notebook's cells on one worker.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${1:-2}"
start=$(date +%s)
# One BLAS thread per worker: two workers on two cores, no oversubscription.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
# A Python that lives in a venv with the kernel installed there.
.venv/bin/python -m pytest -n "$JOBS" --dist loadfile --nbval-lax -p no:cacheprovider \
  tests chapters exercises/solutions "${@:2}"
echo "make test took $(( $(date +%s) - start )) s"
