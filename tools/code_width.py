"""List the lines of code the book shows that are wider than its column (80 characters).

The book shows three kinds of code: the code cells of its notebooks (unless tagged ``remove-cell`` or
``remove-input``; ``hide-input`` cells are shown when the reader opens them), fenced code blocks in markdown,
and nnlib's own source through ``literalinclude`` (``:pyobject:`` or ``:start-at:``/``:end-at:``).
At 1280 px the column shows 80 characters of code (the book's CSS sets code to 13 px); longer lines would
need sideways scrolling, and what is cut is usually the comment a student should read, so a long comment
goes on its own line above the code it explains.

    .venv/bin/python tools/code_width.py            # every long line, then the count per file
    .venv/bin/python tools/code_width.py --check    # exit 1 if there is one (used by tests/book/test_code_width.py)
    .venv/bin/python tools/code_width.py chapters/05-variants/optimizers.ipynb
"""
import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
WIDTH = 80
HIDDEN = {"remove-cell", "remove-input"}
FENCE = re.compile(r"^(```+|~~~+)\s*(\{code-cell\}|\{code-block\}|\{code\}|python|py|text|pycon)?\b", re.M)
INCLUDE = re.compile(r"```\{literalinclude\}\s+(\S+)\n((?::[\w-]+:.*\n)*)")


def _fenced_code(markdown):
    """Lines inside fenced code blocks of a markdown text (directives other than code are skipped)."""
    lines, inside, fence = [], False, ""
    directives = []  # fences of the open non-code directives ({admonition}, {note}, ...): prose inside
    for line in markdown.split("\n"):
        stripped = line.strip()
        if not inside:
            m = re.match(r"^(```+|~~~+)\s*(\S*)", stripped)
            if m and not m.group(2) and directives and m.group(1) == directives[-1]:
                directives.pop()  # the closing fence of a directive, not the opening of a code block
            elif m and (m.group(2) in ("", "python", "py", "text", "pycon", "{code-cell}", "{code-block}",
                                        "{code}", "ipython3", "python3") or m.group(2).startswith("{code")
                          or not m.group(2).startswith("{")):  # any language: bash, console, ...
                inside, fence = True, m.group(1)
            elif m and m.group(2).startswith("{"):
                directives.append(m.group(1))
        elif stripped.startswith(fence) and stripped.strip("`~") == "":
            inside = False
        elif not stripped.startswith(":") or not stripped.endswith(":") and ":" not in stripped[1:]:
            lines.append(line)
    return lines


def _included(page, markdown):
    """(file, lines) for each literalinclude of the page: the lines the book shows."""
    out = []
    for m in INCLUDE.finditer(markdown):
        target = (page.parent / m.group(1)).resolve()
        if not target.exists():
            continue
        opts = dict(re.findall(r":([\w-]+):\s*(.*)", m.group(2)))
        text = target.read_text()
        src = text.split("\n")
        if "pyobject" in opts:
            node = _find(ast.parse(text), opts["pyobject"].strip())
            if node is None:
                continue
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            shown = src[first - 1:node.end_lineno]
        else:
            start = next((i for i, l in enumerate(src) if opts.get("start-at", "\0").strip() in l), 0)
            end = next((i for i, l in enumerate(src) if i >= start and opts.get("end-at", "\0").strip() in l),
                       len(src) - 1)
            shown = src[start:end + 1]
        out.append((target, shown))
    return out


def _find(tree, dotted):
    node = tree
    for name in dotted.split("."):
        node = next((n for n in ast.iter_child_nodes(node)
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name),
                    None)
        if node is None:
            return None
    return node


def _rel(path):
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def long_lines(path, width=WIDTH):
    """[(where, length, line)] of the code lines the page at `path` shows that are longer than `width`."""
    path = Path(path)
    found = []
    chunks = []  # (where, lines)
    if path.suffix == ".ipynb":
        import nbformat
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            tags = set(cell.metadata.get("tags", []))
            if cell.cell_type == "code" and not tags & HIDDEN:
                chunks.append((f"{_rel(path)} cell {i}", cell.source.split("\n")))
            elif cell.cell_type == "markdown":
                chunks.append((f"{_rel(path)} cell {i}", _fenced_code(cell.source)))
                for target, lines in _included(path, cell.source):
                    chunks.append((f"{_rel(target)} (shown on {path.name})", lines))
    else:
        text = path.read_text()
        chunks.append((str(_rel(path)), _fenced_code(text)))
        for target, lines in _included(path, text):
            chunks.append((f"{_rel(target)} (shown on {path.name})", lines))
    for where, lines in chunks:
        for line in lines:
            if len(line) > width:
                found.append((where, len(line), line))
    return found


def book_pages():
    from toc import toc_files
    for f in toc_files():
        for ext in (".ipynb", ".md"):
            if (ROOT / (f + ext)).exists():
                yield ROOT / (f + ext)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="*", type=Path)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    pages = [p.resolve() for p in args.pages] or list(book_pages())
    seen, per_file = set(), {}
    for page in pages:
        for where, n, line in long_lines(page):
            key = (where.split(" (shown")[0], line)
            if key in seen:
                continue
            seen.add(key)
            per_file[where.split(" ")[0]] = per_file.get(where.split(" ")[0], 0) + 1
            if not args.check or len(seen) <= 50:
                print(f"{where}: {n} chars: {line.strip()[:100]}")
    for f, n in sorted(per_file.items(), key=lambda kv: -kv[1]):
        print(f"{n:5d}  {f}")
    print(f"{len(seen)} shown code lines longer than {WIDTH} characters")
    return 1 if (args.check and seen) else 0


if __name__ == "__main__":
    sys.exit(main())
