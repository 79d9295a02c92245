"""How thick is each page of the book? Visible code lines per chapter page, and functions defined twice.

    python tools/page_stats.py            # the per-page table (Markdown) and the summary
    python tools/page_stats.py --check    # exit 1 unless the targets of issue #14 hold

A code line is *visible* when its cell shows its input in the rendered book: not tagged ``hide-input``,
``remove-input`` or ``remove-cell``. Blank lines and lines holding only a comment are not counted, and a
statement wrapped over several lines to fit the book's 80-column code (issue #15) counts as one line: the
measure is the number of logical lines, so re-wrapping code does not make a page look thicker.
"""

import argparse
import ast
import io
import tokenize
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HIDDEN = {"hide-input", "remove-input", "remove-cell"}
MEDIAN_LIMIT, PAGE_LIMIT = 40, 100


def _cells(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def _source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def visible_lines(path):
    """Non-blank, non-comment lines of code a reader sees on the rendered page."""
    n = 0
    for cell in _cells(path):
        if cell["cell_type"] != "code" or HIDDEN & set(cell.get("metadata", {}).get("tags", [])):
            continue
        n += logical_lines(_source(cell))
    return n


def logical_lines(source):
    """Statements of `source` (a bracketed expression over several lines is one); IPython magics count one each."""
    lines = [l for l in source.splitlines() if not l.lstrip().startswith(("%", "!"))]
    magics = len(source.splitlines()) - len(lines)
    try:
        tokens = tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline)
        return magics + sum(1 for t in tokens if t.type == tokenize.NEWLINE)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return magics + sum(1 for l in lines if l.strip() and not l.strip().startswith("#"))


def defined_names(path):
    """Names of the functions and classes a notebook defines at the top level of its cells."""
    names = set()
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        src = "\n".join(line for line in _source(cell).splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        names |= {node.name for node in tree.body
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return names


def chapter_pages():
    return sorted((ROOT / "chapters").rglob("*.ipynb"))


def notebooks():
    """The notebooks whose code is the book's own: chapter pages and exercise solutions (the student
    versions are generated from the solutions and define the same answer functions by design)."""
    return chapter_pages() + sorted((ROOT / "exercises" / "solutions").glob("*.ipynb"))


def twice_defined():
    where = defaultdict(list)
    for nb in notebooks():
        for name in defined_names(nb):
            where[name].append(str(nb.relative_to(ROOT)))
    return {name: pages for name, pages in sorted(where.items()) if len(pages) > 1}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail unless the thin-page targets hold")
    args = parser.parse_args(argv)
    counts = {str(p.relative_to(ROOT)): visible_lines(p) for p in chapter_pages()}
    print("| page | visible code lines |\n|---|---:|")
    for page, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"| {page} | {n} |")
    median, worst = statistics.median(counts.values()), max(counts.values())
    twice = twice_defined()
    print(f"\n{len(counts)} chapter pages, {sum(counts.values())} visible code lines; median {median:g} "
          f"(target ≤ {MEDIAN_LIMIT}), largest {worst} (target ≤ {PAGE_LIMIT})")
    print(f"functions or classes defined in more than one notebook: {len(twice)}")
    for name, pages in twice.items():
        print(f"  {name}: {', '.join(pages)}")
    ok = median <= MEDIAN_LIMIT and worst <= PAGE_LIMIT and not twice
    if args.check and not ok:
        print("targets not met", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
