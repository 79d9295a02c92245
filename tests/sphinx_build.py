"""Run one Sphinx build of the book through Jupyter Book 1, with any output and doctree folder.

    python tests/sphinx_build.py CONFIG --builder html --out _build/html/es --doctrees _build/.doctrees-es [-W]

``jupyter-book build`` always writes to ``<path-output>/_build/<builder>``; the Spanish edition lives in
``_build/html/es`` and the message extraction must not share the HTML build's doctrees (the ``gettext`` builder
needs an environment of its own), so tests/build_book.py and tests/translations.py call Jupyter Book's own
``build_sphinx`` here with the folders they need. CONFIG is a Jupyter Book ``_config.yml`` (written by them).
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("config", help="the Jupyter Book configuration to build with")
    p.add_argument("--builder", default="html")
    p.add_argument("--out", required=True, help="the output folder")
    p.add_argument("--doctrees", required=True, help="the doctree folder (the environment)")
    p.add_argument("-W", action="store_true", help="warnings are errors (the build goes on and fails at the end)")
    args = p.parse_args(argv)
    from jupyter_book.sphinx import build_sphinx
    status = build_sphinx(str(ROOT), str(ROOT / args.out), doctreedir=str(ROOT / args.doctrees),
                          noconfig=True, path_config=str(Path(args.config).resolve()), builder=args.builder,
                          confoverrides={"external_toc_path": str(ROOT / "_toc.yml"), "latex_individualpages": False,
                                         "nitpicky": True},
                          warningiserror=args.W, keep_going=args.W, freshenv=True)
    if isinstance(status, Exception):
        raise status
    return status


if __name__ == "__main__":
    sys.exit(main())
