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
3. At the same time (one core each), the Spanish edition (issue #18) from the same sources and a copy of the
   cache in which the exercise solutions were run again with NNLIB_LANG=es (their checks' messages in Spanish),
   with ``language: es`` and the words of locales/es/book.yml (_build/config-es.yml), through Jupyter Book's
   ``build_sphinx`` (tests/sphinx_build.py) with ``-W``: a message of a page without its translation in
   locales/es/LC_MESSAGES/ fails it (_ext/editions.py lists them in _build/translations-todo-es.txt). It is
   built in _build/es/html (MyST-NB writes a build's images beside its output folder) and then moved to
   _build/html/es/, so that one site holds both editions; its log is _build/book-es.log.

Exit status: 1 if a notebook failed (nothing is built), else the worst of the HTML builds'.
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


EDITIONS = {"es": "Spanish"}  # the editions besides English: language -> name (locales/<language>/)


def _merge(base, words):
    for key, value in words.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def edition_cache(language):
    """The jupyter-cache of an edition: the English one's copy, its exercise solutions run in its language."""
    return BUILD / f".jupyter_cache-{language}"


def config(language="en"):
    """_config.yml with execution from the cache; its one relative path (the local extension) made absolute.
    For another edition: its language, and its words for the title, author and footer (locales/<language>/book.yml)."""
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    cfg["execute"].update(execute_notebooks="cache", cache=str(CACHE if language == "en" else edition_cache(language)))
    if language != "en":
        cfg["sphinx"]["config"]["language"] = language
        _merge(cfg, yaml.safe_load((ROOT / "locales" / language / "book.yml").read_text()))
    cfg["sphinx"]["local_extensions"] = {name: str(ROOT / path)
                                         for name, path in cfg["sphinx"]["local_extensions"].items()}
    return cfg


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--jobs", type=int, default=2, help="notebooks executed at a time")
    args = p.parse_args(argv)
    for old in ("html", ".doctrees", ".jupyter_cache", *EDITIONS, *(edition_cache(e).name for e in EDITIONS)):
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
    # Each other edition: the exercise solutions again, with the checks speaking its language (NNLIB_LANG), into
    # a copy of the cache; the chapters' outputs (numbers, figures) are the same in every edition.
    for language in EDITIONS:
        cache = edition_cache(language)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(CACHE, cache)
        exercises = [nb for nb in notebooks() if "/exercises/solutions/" in nb]
        runner = [sys.executable, str(ROOT / "tests" / "execute_notebooks.py"), "--jobs", str(args.jobs),
                  "--cache", str(cache), "--table", str(BUILD / f"notebook-budget-{language}.md"), *exercises]
        print(f"The exercise solutions again, their checks in {EDITIONS[language]} (NNLIB_LANG={language}):",
              flush=True)
        if subprocess.run(runner, env={**env, "NNLIB_LANG": language}).returncode:
            return 1

    (BUILD / "config.yml").write_text(yaml.safe_dump(config(), allow_unicode=True, sort_keys=False))
    jb = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--config",
          str(BUILD / "config.yml"), "--builder", "html", "-W", "-n", "--keep-going", "--path-output", str(ROOT)]
    builds = {"English": (jb, BUILD / "book.log")}
    for language in EDITIONS:
        path = BUILD / f"config-{language}.yml"
        path.write_text(yaml.safe_dump(config(language), allow_unicode=True, sort_keys=False))
        builds[EDITIONS[language]] = (
            [sys.executable, str(ROOT / "tests" / "sphinx_build.py"), str(path), "--builder", "html",
             "--out", f"_build/{language}/html", "--doctrees", f"_build/{language}/.doctrees", "-W"],
            BUILD / f"book-{language}.log")
    status = _build_side_by_side(builds, env)
    for language in EDITIONS:  # each edition's site beside the English one: _build/html/es/
        built = BUILD / language / "html"
        if built.is_dir():
            shutil.move(str(built), str(BUILD / "html" / language))
    return status


def _build_side_by_side(builds, env, echo="English", what="HTML"):
    """Run the builds at once (each uses one core: Sphinx reads and writes serially), each into its log; the
    whole log of the one named `echo` is shown when it ends, the others' warnings and errors. The worst exit
    status."""
    start = time.perf_counter()
    procs = {}
    for name, (cmd, log) in builds.items():
        procs[name] = (subprocess.Popen(cmd, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT), log)
    status = 0
    for name, (proc, log) in procs.items():
        code = proc.wait()
        if name == echo:
            sys.stdout.write(log.read_text())
        else:
            text = log.read_text()
            problems = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line
                        or "Error" in line]
            print(f"The {name} edition: {'built' if code == 0 else 'FAILED'} (its log: {log.relative_to(ROOT)})")
            for line in problems[-40:]:
                print("  " + line)
            if code != 0 and not problems:
                print("\n".join(text.splitlines()[-30:]))
        status = status or code
    print(f"Jupyter Book built the {what} of {len(builds)} editions in {time.perf_counter() - start:.0f} s",
          flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
