"""The code the book shows fits its 80-column code width (issue #15): tools/code_width.py finds no longer line."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import code_width  # noqa: E402


def test_no_shown_code_line_is_wider_than_80_characters():
    found = [hit for page in code_width.book_pages() for hit in code_width.long_lines(page)]
    listing = "\n".join(f"  {where}: {n} chars: {line.strip()[:90]}" for where, n, line in found[:40])
    assert not found, f"{len(found)} shown code lines are longer than 80 characters " \
                      f"(tools/code_width.py lists them):\n{listing}"


def test_the_tool_finds_a_long_line_and_a_long_included_object(tmp_path):
    nb = tmp_path / "page.md"
    nb.write_text("# T\n\n```python\n" + "x = 1  # " + "a" * 80 + "\n```\n")
    assert [n for _, n, _ in code_width.long_lines(nb)] == [89]
    assert code_width._find(__import__("ast").parse("class A:\n    def f(self):\n        pass\n"), "A.f") is not None
