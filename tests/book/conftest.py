"""Fixtures of the book's tests: the built book, a local web server, and Debian's chromium.

``book`` is the HTML that ``make book`` (tests/build_book.py) built into _build/html; make test builds it
before it runs these tests, and they never build it themselves. The fixtures are session-scoped: under
pytest-xdist each worker starts one server and one browser, whichever tests it gets.
"""
import os
from pathlib import Path

import pytest
from build_pdf import BROWSER_ARGS, CHROMIUM, serve_folder

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build"


@pytest.fixture(scope="session")
def book():
    """The folder of the built book's HTML (_build/html)."""
    if not (ROOT / "_vendor" / "mathjax" / "tex-chtml.js").exists():
        pytest.fail("_vendor/ is missing: run `make assets` (make book does it) to fetch MathJax from npm")
    if not (BUILD / "html" / "index.html").exists() or not (BUILD / "book.log").exists():
        pytest.fail("no built book in _build/html: run `make book` first (make test builds it before these tests)")
    return BUILD / "html"


@pytest.fixture(scope="session")
def book_log(book):
    """What the last `make book` printed while it built the HTML (_build/book.log)."""
    return (BUILD / "book.log").read_text()


@pytest.fixture(scope="session")
def serve():
    """serve(folder) -> the URL of a web server on 127.0.0.1 serving that folder (stopped after the session)."""
    servers = []

    def start(folder):
        httpd = serve_folder(folder)
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in servers:
        httpd.shutdown()


@pytest.fixture(scope="session")
def server(book, serve):
    """The URL of the built book, served on 127.0.0.1."""
    return serve(book)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by Playwright; it resolves no host but 127.0.0.1."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium with apt-get")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """open_page(url, viewport=None) -> (page, outside, errors): the page loaded (at that {"width", "height"}), every request it made that is not to
    127.0.0.1, and its JavaScript errors. The browser cannot resolve any other host (see `browser`), so nothing
    leaves the machine; watching requests is cheaper than routing each one. Pages are closed after the test."""
    pages = []

    def open_(url, viewport=None, wait_until="networkidle"):
        page = browser.new_page(viewport=viewport) if viewport else browser.new_page()
        pages.append(page)
        outside, errors = [], []
        page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
                else outside.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until=wait_until)
        return page, outside, errors

    yield open_
    for page in pages:
        if not page.is_closed():
            page.close()


@pytest.fixture(scope="session")
def widget_book(tmp_path_factory):
    """A one-page book with the real configuration, a plain slider and a pre-rendered explorer, built offline
    (no kernel in the browser). Shared by the tests that need it; they are in one xdist group, so it is built
    once per run."""
    from minibook import build_one_page_book
    return build_one_page_book(tmp_path_factory, "Widgets",
                               "import ipywidgets as w\nfrom nnlib.book import widgets\n"
                               "display(w.FloatLogSlider(value=0.1, description='rho'))\n"
                               "widgets.learning_rate_frames(rhos=(0.5, 1.0, 1.5, 2.5), steps=8)")
