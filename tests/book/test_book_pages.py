"""Every page of the built book works in a browser with the network off (headless Debian chromium).

For each page of _toc.yml: no request leaves the machine, no JavaScript error, the math is typeset (no raw TeX
left in the prose), every image loads, and a page whose notebook draws figures shows at least one. A separate
module from tests/test_book.py so that, under make test, the two run on two workers once the book is built.
"""
import pytest
from test_book import NO_MATH, PAGES, ROOT, _open, book, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


def _draws_figures(notebook):
    """True if a code cell of the notebook uses matplotlib (directly or through nnlib.book.plot)."""
    if not notebook.exists():
        return False
    import nbformat
    code = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code")
    return "matplotlib" in code or "nnlib.book.plot" in code or "import plot" in code


@pytest.mark.parametrize("path", PAGES)
def test_page_works_offline(server, browser, path):
    page, outside, errors = _open(browser, f"{server}/{path}")
    try:
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
    finally:
        page.close()
