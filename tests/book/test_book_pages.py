"""Every page of the built book works in a browser with the network off (headless Debian chromium).

For each page of _toc.yml: no request leaves the machine, no JavaScript error, the math is typeset (no raw TeX
left in the prose), every image loads, and a page whose notebook draws figures shows at least one. A separate
module from tests/book/test_book.py; the fixtures (the built book, its server, the browser) are in
tests/book/conftest.py, and pytest-xdist spreads the pages over its workers.
"""
from pathlib import Path

import pytest
from toc import toc_files

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

PAGES = [f + ".html" for f in toc_files()]
# Pages without a formula (MathJax has nothing to typeset there).
NO_MATH = {"index.html", "chapters/appendix/bibliography.html", "chapters/appendix/benchmarks.html",
           "chapters/02-deep/deep-learning-scale.html", "chapters/07-applications/overview.html"}


def _draws_figures(notebook):
    """True if a code cell of the notebook uses matplotlib (directly or through nnlib.book.plot)."""
    if not notebook.exists():
        return False
    import nbformat
    code = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code")
    return "matplotlib" in code or "nnlib.book.plot" in code or "import plot" in code


@pytest.mark.parametrize("path", PAGES)
def test_page_works_offline(server, open_page, path):
    page, outside, errors = open_page(f"{server}/{path}")
    assert not outside, f"{path} tried to reach the internet: {outside}"
    assert not errors, f"{path} has JavaScript errors: {errors}"
    if path not in NO_MATH:
        page.wait_for_selector("mjx-container", state="attached", timeout=20000)
        # prose only: code cells legitimately contain LaTeX strings
        raw = page.evaluate("""() => { const a = document.querySelector('article').cloneNode(true);
            a.querySelectorAll('pre, code, .cell_input, mjx-container, script').forEach(e => e.remove());
            return a.innerText; }""")
        leftovers = [m for m in ("\\frac", "$$", "\\theta", "\\begin{") if m in raw]
        assert not leftovers, f"{path} shows raw TeX outside code: {leftovers}"
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    assert not broken, f"{path} has images that do not load: {broken}"
    if _draws_figures(ROOT / path.replace(".html", ".ipynb")):
        n_img = page.evaluate("document.querySelectorAll('article img').length")
        assert n_img >= 1, f"{path} plots figures, but the page shows none"
