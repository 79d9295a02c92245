"""Every page of the built book works in a browser with the network off (headless Debian chromium).

For each page of _toc.yml, on a laptop (1280×800): no request leaves the machine, no JavaScript error, the math
is typeset (no raw TeX left in the prose), every image loads, and a page whose notebook draws figures shows at
least one. Then, on the laptop and on a phone (390×844), the page reads well (issue #15; what is measured and
how is in tests/book/layout.py): no sideways scrolling, code and equations within the column at 1280 px (on a
phone they scroll in their own box), tables that fit or scroll in their own box, figure text of at least 9 px
as shown, alt text on every image, no control that needs a kernel, no saved progress bar, one search box, no
empty top bar, a favicon, a title that does not fill a phone's screen; on exercise pages no answer outside a
dropdown and launch links to the student notebook; on a phone the menu button opens the contents. Pages with
a pre-rendered explorer: moving its slider changes the figure. A separate module from tests/book/test_book.py;
the fixtures (the built book, its server, the browser) are in tests/book/conftest.py, and pytest-xdist spreads
the pages over its workers.
"""
import re
from pathlib import Path

import pytest
from layout import MEASURE_JS, WIDTHS, menu_problems, problems
from toc import toc_files

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

PAGES = [f + ".html" for f in toc_files()]
# The API reference has one page per module, all made by autodoc from the same template: make test checks a
# sample of them (one in eight, and the reference's index); `make test-pages` checks the others, and CI runs it
# after make test, so every page is checked before a change lands (issue #18: room in make test's budget).
API_PAGES = [p for p in PAGES if p.startswith("chapters/appendix/api/")]
API_REST = [p for p in API_PAGES if p not in API_PAGES[::8]]


def _marked(paths):
    return [pytest.param(p, marks=pytest.mark.every_page) if p in API_REST else p for p in paths]
# A page has formulas when Sphinx marked some math in it (MathJax must then typeset them all).
HAS_MATH = "document.querySelector('.math') !== null"


def _draws_figures(notebook):
    """True if a code cell of the notebook uses matplotlib (directly or through nnlib.book.plot)."""
    if not notebook.exists():
        return False
    import nbformat
    code = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code")
    return "matplotlib" in code or "nnlib.book.plot" in code or "import plot" in code


def _layout(page, path, width):
    page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    if page.evaluate("document.querySelector('script[type=\"application/vnd.jupyter.widget-view+json\"]')"):
        page.wait_for_selector(".jupyter-widgets", state="attached", timeout=20000)  # drawn by the manager
        page.wait_for_timeout(300)
    found = problems(page.evaluate(MEASURE_JS), path, width)
    return "\n".join(f"  {kind}: {detail}" for kind, detail in found)


@pytest.mark.parametrize("path", _marked(PAGES))
def test_page_works_offline(book, server, open_page, path):
    w, h = WIDTHS["laptop"]
    # "load", not "networkidle": the requests made later (MathJax's fonts, the widgets) are still seen, since
    # `outside` is checked at the end of the test
    page, outside, errors = open_page(f"{server}/{path}", {"width": w, "height": h}, wait_until="load")
    assert not errors, f"{path} has JavaScript errors: {errors}"
    if page.evaluate(HAS_MATH):
        page.wait_for_selector("mjx-container", state="attached", timeout=20000)
        page.evaluate("MathJax.startup.promise")  # every formula typeset
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
    bad = _layout(page, path, "laptop")
    assert not bad, f"{path} at {w}×{h} (tests/book/layout.py measures it):\n{bad}"
    # The same page on a phone: the viewport shrinks and the page reflows, as on a phone turned to portrait
    # (one load per page for both widths keeps the browser check within make test's time budget).
    w, h = WIDTHS["phone"]
    page.set_viewport_size({"width": w, "height": h})
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # reflowed
    bad = _layout(page, path, "phone")
    menu = "\n".join(f"  {kind}" for kind, _ in menu_problems(page))
    assert not bad and not menu, f"{path} at {w}×{h} (tests/book/layout.py measures it):\n{bad}\n{menu}"
    assert not errors, f"{path} has JavaScript errors on a phone: {errors}"
    assert not outside, f"{path} tried to reach the internet: {outside}"


FRAMES = [p for p in PAGES if (ROOT / p.replace(".html", ".ipynb")).exists()
          and re.search(r"frames(_widget)?\(", (ROOT / p.replace(".html", ".ipynb")).read_text())]


@pytest.mark.parametrize("path", FRAMES)
def test_every_slider_of_the_static_page_changes_its_figure(server, open_page, path):
    """A pre-rendered explorer works with no kernel: one step of its slider shows another frame."""
    page, _, errors = open_page(f"{server}/{path}")
    page.wait_for_selector(".nnlib-frames .widget-slider", timeout=20000)
    boxes = page.locator(".nnlib-frames")
    assert boxes.count() >= 1
    for i in range(boxes.count()):
        box = boxes.nth(i)
        shown = "Array.from(el.querySelectorAll('img')).filter(i => i.offsetParent).map(i => i.src).join()"
        before = box.evaluate(f"el => {shown}")
        box.locator(".ui-slider-handle, .noUi-handle, [role=slider]").first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        after = box.evaluate(f"el => {shown}")
        assert before and after != before, f"{path}: the slider of explorer {i + 1} does not change its figure"
    assert not errors
