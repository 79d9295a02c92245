"""Build the book into _build/html: the one build, run by ``make book`` and by ``make test``.

    python tests/build_book.py [--jobs N]

1. Execute every notebook of the book (the chapters and the exercise solutions, as listed in _toc.yml), N at a
   time, with tests/execute_notebooks.py. A cell that raises (a failing assert) stops the build at once and
   prints the notebook, the cell and the assert; a notebook above its budget (60 s of CPU on one core, 1 GiB of
   memory) fails it too. The table of every notebook's CPU time and peak memory is written to
   _build/notebook-budget.md. The executed notebooks go into a jupyter-cache, _build/.jupyter_cache, emptied
   first (so nothing is stale after an edit to nnlib); the notebooks of the repository stay stripped.
2. Build the HTML with Jupyter Book, ``-W -n --keep-going`` (a warning, or a line a notebook printed on stderr,
   fails the build), with _config.yml as it is except ``execute_notebooks: cache`` on that cache: Jupyter Book
   takes each notebook's outputs from the cache instead of executing the notebooks again, one at a time. That
   configuration is written to _build/config.yml and passed with ``--config``. The build's output is copied to
   _build/book.log, which the book's tests (tests/book/test_book.py) read.

Exit status: 1 if a notebook failed (nothing is built), else Jupyter Book's.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from toc import toc_files

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"


def notebooks():
    """The notebooks of the book, in the order of _toc.yml."""
    return [str(ROOT / (f + ".ipynb")) for f in toc_files() if (ROOT / (f + ".ipynb")).exists()]


def config():
    """_config.yml with execution from the cache; its one relative path (the local extension) made absolute."""
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    cfg["execute"].update(execute_notebooks="cache", cache=str(CACHE))
    cfg["sphinx"]["local_extensions"] = {name: str(ROOT / path)
                                         for name, path in cfg["sphinx"]["local_extensions"].items()}
    return cfg


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--jobs", type=int, default=2, help="notebooks executed at a time")
    args = p.parse_args(argv)
    for old in ("html", ".doctrees", ".jupyter_cache"):
        shutil.rmtree(BUILD / old, ignore_errors=True)
    BUILD.mkdir(exist_ok=True)
    # One BLAS thread per kernel (the budget is the time on one core; the jobs share the cores), and inline
    # figures: a kernel must not inherit a non-interactive MPLBACKEND.
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    runner = [sys.executable, str(ROOT / "tests" / "execute_notebooks.py"), "--jobs", str(args.jobs),
              "--cache", str(CACHE), "--table", str(BUILD / "notebook-budget.md"), *notebooks()]
    if subprocess.run(runner, env=env).returncode != 0:
        return 1
    print("Notebook budget (the five heaviest; all in _build/notebook-budget.md):")
    print("\n".join((BUILD / "notebook-budget.md").read_text().splitlines()[2:9]), flush=True)

    (BUILD / "config.yml").write_text(yaml.safe_dump(config(), allow_unicode=True, sort_keys=False))
    jb = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--config",
          str(BUILD / "config.yml"), "--builder", "html", "-W", "-n", "--keep-going", "--path-output", str(ROOT)]
    start = time.perf_counter()
    with open(BUILD / "book.log", "w") as log:
        proc = subprocess.Popen(jb, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in proc.stdout:
            sys.stdout.write(line)
            log.write(line)
    status = proc.wait()
    print(f"Jupyter Book built the HTML in {time.perf_counter() - start:.0f} s", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
