"""The book builds with zero warnings, and its pages work in a browser with the network off.

The build executes every notebook (``execute_notebooks: force``, ``allow_errors: false``), so it also proves
the pages run: a failing assert in a chapter or an exercise solution fails the build. (Under make test the
notebooks are executed once, by tests/execute_notebooks.py, before the build; tests/run_all.sh stops the whole
run the moment one fails.)
The browser check drives Debian's chromium with Playwright: it serves the built HTML on 127.0.0.1,
refuses every request that would leave the machine, and checks math, images and a solution dropdown.
"""
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from toc import toc_files

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.slow

PAGES = [f + ".html" for f in toc_files()]
CHAPTER = "chapters/01-multilayer/activation-functions.html"
EXERCISE = "exercises/solutions/01-sigmoid-derivative.html"
# Pages without a formula (MathJax has nothing to typeset there).
NO_MATH = {"index.html", "chapters/appendix/bibliography.html", "chapters/appendix/benchmarks.html",
           "chapters/02-deep/deep-learning-scale.html", "chapters/07-applications/overview.html"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The book built once into a temporary folder: (html dir, return code, build log).

    tests/run_all.sh (make test) starts the build in the background before pytest, in the folder named by
    NNLIB_BOOK_DIR, so that it runs on one core while the other tests use the other; this module runs last
    (tests/conftest.py) and waits for it. Run alone, the fixture builds the book itself.
    """
    if not (ROOT / "_vendor" / "mathjax" / "tex-chtml.js").exists():
        pytest.fail("_vendor/ is missing: run `make assets` (make test does it) to fetch MathJax from npm")
    prebuilt = os.environ.get("NNLIB_BOOK_DIR")
    if prebuilt:
        out = Path(prebuilt)
        deadline = time.monotonic() + 1800
        while not (out / "rc").exists():
            assert time.monotonic() < deadline, f"the background book build in {out} did not finish in 30 minutes"
            time.sleep(2)
        rc = int((out / "rc").read_text().strip() or 1)
        return out / "_build" / "html", rc, (out / "build.log").read_text()
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # kernels must draw inline figures
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "--builder", "html", "-W", "-n", "--keep-going", "--path-output", str(out)],
        capture_output=True, text=True, timeout=1800, env=env,
    )
    log = proc.stdout + proc.stderr
    (out / "build.log").write_text(log)
    return out / "_build" / "html", proc.returncode, log


def test_book_builds_with_zero_warnings(book):
    html, rc, log = book
    warnings = [l for l in log.splitlines() if re.search(r"WARNING:|ERROR:|CRITICAL:", l)]
    assert rc == 0 and not warnings, "the book build has warnings or errors:\n" + "\n".join(warnings or log.splitlines()[-40:])
    for page in PAGES:
        assert (html / page).exists(), f"{page} was not built"


def test_offline_assets_are_served_by_the_book(book):
    html, _, _ = book
    assert (html / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert (html / "_static" / "widgets" / "embed-amd.js").exists()
    page = (html / CHAPTER).read_text()
    assert "_static/mathjax/tex-chtml.js" in page
    assert not re.search(r"<script[^>]+src=\"https?://", page), "a page loads a script from the internet"


def test_notebook_pages_have_launch_buttons(book):
    """Binder and Colab buttons, built from the one repository URL in _config.yml."""
    import yaml
    html, _, _ = book
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    slug = repo.rstrip("/").split("github.com/")[1]
    page = (html / CHAPTER).read_text()
    assert f"mybinder.org/v2/gh/{slug}" in page, "no Binder launch button on a notebook page"
    assert f"colab.research.google.com/github/{slug}" in page, "no Colab launch button on a notebook page"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(book):
    html, rc, _ = book
    if rc != 0:
        pytest.fail("the book did not build; see test_book_builds_with_zero_warnings")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(html)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium with apt-get")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],   # no host but this one
        )
        yield b
        b.close()


def _open(browser, url):
    """Open url and record every request that is not to 127.0.0.1 (the browser cannot resolve any other host:
    see `browser`, so nothing leaves the machine; watching requests is cheaper than routing each one)."""
    page = browser.new_page()
    outside = []
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
            else outside.append(r.url))
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, outside, errors


@pytest.fixture(scope="module")
def widget_book(tmp_path_factory):
    """A one-page book with the real configuration and a slider, built offline (no kernel in the browser)."""
    from minibook import build_one_page_book
    return build_one_page_book(tmp_path_factory, "Slider",
                               "import ipywidgets as w\nw.FloatLogSlider(value=0.1, description='rho')")


def test_widgets_are_drawn_offline(widget_book, browser):
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(widget_book)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        page, outside, errors = _open(browser, f"http://127.0.0.1:{httpd.server_address[1]}/index.html")
        page.wait_for_selector(".widget-slider", timeout=20000)
        assert "rho" in page.locator(".widget-slider").first.inner_text()
        assert not outside, f"the widget page tried to reach the internet: {outside}"
        assert not errors, f"JavaScript errors on the widget page: {errors}"
        page.close()
    finally:
        httpd.shutdown()


def test_solution_dropdown_opens(server, browser):
    page, outside, _ = _open(browser, f"{server}/{EXERCISE}")
    try:
        sol = page.locator(".solution.dropdown").first
        assert sol.count() == 1, "the exercise page has no solution dropdown"
        body = sol.locator(".cell, .highlight").first
        assert not body.is_visible(), "the solution should start collapsed"
        sol.locator(".admonition-title, .toggle-button").first.click()
        body.wait_for(state="visible", timeout=5000)
        assert body.is_visible()
        assert not outside
    finally:
        page.close()


def test_solution_markers_are_not_shown(book):
    """The ### BEGIN/END SOLUTION lines that make_student.py needs are dropped from the book's code (_ext)."""
    html, _, _ = book
    page = (html / EXERCISE).read_text()
    assert 'class="solution' in page and "sigmoid_prime" in page, "the exercise page shows no solution code"
    for marker in ("BEGIN SOLUTION", "END SOLUTION"):
        assert marker not in page, f"'{marker}' is shown on {EXERCISE}"


def test_a_request_to_the_internet_is_seen_and_goes_nowhere(browser, tmp_path):
    """The page checks would notice a page that loads something from the internet (and the browser cannot)."""
    (tmp_path / "outside.html").write_text('<html><body><img src="https://cdn.example.org/a.png">'
                                           '<script src="https://cdn.jsdelivr.net/npm/x.js"></script></body></html>')
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        page, outside, _ = _open(browser, f"http://127.0.0.1:{httpd.server_address[1]}/outside.html")
        loaded = page.evaluate("document.images[0].complete && document.images[0].naturalWidth > 0")
        page.close()
    finally:
        httpd.shutdown()
    assert sorted(outside) == ["https://cdn.example.org/a.png", "https://cdn.jsdelivr.net/npm/x.js"]
    assert not loaded
