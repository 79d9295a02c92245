"""The book builds with zero warnings, and its pages work in a browser with the network off.

These tests check the book that ``make book`` built into _build/html (tests/build_book.py: every notebook
executed by tests/execute_notebooks.py, then Jupyter Book with ``-W -n`` and ``execute_notebooks: cache``,
taking the outputs from those executions); make test builds it first and runs these tests after it. A failing
assert in a chapter or an exercise solution stops that build, so a built book also proves the pages ran.
The browser check drives Debian's chromium with Playwright (tests/book/conftest.py): it serves the built HTML on
127.0.0.1, sees every request that would leave the machine, and checks math, images and a solution dropdown.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from toc import toc_files

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

CHAPTER = "chapters/01-multilayer/activation-functions.html"
EXERCISE = "exercises/solutions/01-sigmoid-derivative.html"


def test_book_builds_with_zero_warnings(book, book_log):
    warnings = [l for l in book_log.splitlines() if re.search(r"WARNING:|ERROR:|CRITICAL:", l)]
    assert "build succeeded" in book_log and not warnings, (
        "the book build has warnings or errors:\n" + "\n".join(warnings or book_log.splitlines()[-40:]))
    for f in toc_files():
        assert (book / (f + ".html")).exists(), f"{f}.html was not built"


@pytest.mark.parametrize("edition", ["en", "es"])
def test_every_stored_doctree_belongs_to_its_own_page(book, edition):
    """_ext/lean_doctrees.py: no node of a page's stored doctree links to another document, which would carry the
    whole build environment into the file (every notebook's widget state: 4.7 MB a page; the Spanish edition's
    doctrees were 649 MB, and loading them again cost each build about 30 s)."""
    import pickle
    folder = book.parent / ".doctrees" if edition == "en" else book.parent / edition / ".doctrees"
    files = sorted(folder.rglob("*.doctree"))
    assert len(files) >= len(toc_files()), f"{folder} holds {len(files)} doctrees"
    foreign = []
    for path in files:
        doctree = pickle.loads(path.read_bytes())
        if any(node.document is not doctree for node in doctree.findall(include_self=False)):
            foreign.append(str(path.relative_to(folder)))
    assert not foreign, f"doctrees with nodes of another document (and its environment): {foreign[:5]}"
    total = sum(path.stat().st_size for path in files)
    assert total < 100e6, f"the {edition} edition's doctrees take {total / 1e6:.0f} MB"


def test_every_notebook_was_executed_once_by_the_runner(book_log):
    """Jupyter Book took every notebook's outputs from the runner's cache: it executed none itself (it would,
    one at a time, for a notebook missing from the cache, e.g. one edited during the build)."""
    notebooks = [f for f in toc_files() if (ROOT / (f + ".ipynb")).exists()]
    cached = book_log.count("Using cached notebook")
    assert cached == len(notebooks) and "Executed notebook in" not in book_log, (
        f"{cached} of {len(notebooks)} notebooks came from the cache of tests/execute_notebooks.py")


def test_offline_assets_are_served_by_the_book(book):
    assert (book / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert (book / "_static" / "widgets" / "embed-amd.js").exists()
    page = (book / CHAPTER).read_text()
    assert "_static/mathjax/tex-chtml.js" in page
    assert not re.search(r"<script[^>]+src=\"https?://", page), "a page loads a script from the internet"


def test_notebook_pages_have_launch_buttons(book):
    """Binder and Colab buttons, built from the one repository URL in _config.yml."""
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    slug = repo.rstrip("/").split("github.com/")[1]
    page = (book / CHAPTER).read_text()
    assert f"mybinder.org/v2/gh/{slug}" in page, "no Binder launch button on a notebook page"
    assert f"colab.research.google.com/github/{slug}" in page, "no Colab launch button on a notebook page"


def test_solution_dropdown_opens(server, open_page):
    page, outside, _ = open_page(f"{server}/{EXERCISE}")
    sol = page.locator(".solution.dropdown").first
    assert sol.count() == 1, "the exercise page has no solution dropdown"
    body = sol.locator(".cell, .highlight").first
    assert not body.is_visible(), "the solution should start collapsed"
    sol.locator(".admonition-title, .toggle-button").first.click()
    body.wait_for(state="visible", timeout=5000)
    assert body.is_visible()
    assert not outside


def test_solution_markers_are_not_shown(book):
    """The ### BEGIN/END SOLUTION lines that make_student.py needs are dropped from the book's code (_ext)."""
    page = (book / EXERCISE).read_text()
    assert 'class="solution' in page and "sigmoid_prime" in page, "the exercise page shows no solution code"
    for marker in ("BEGIN SOLUTION", "END SOLUTION"):
        assert marker not in page, f"'{marker}' is shown on {EXERCISE}"


def test_a_request_to_the_internet_is_seen_and_goes_nowhere(serve, open_page, tmp_path):
    """The page checks would notice a page that loads something from the internet (and the browser cannot)."""
    (tmp_path / "outside.html").write_text('<html><body><img src="https://cdn.example.org/a.png">'
                                           '<script src="https://cdn.jsdelivr.net/npm/x.js"></script></body></html>')
    page, outside, _ = open_page(f"{serve(tmp_path)}/outside.html")
    loaded = page.evaluate("document.images[0].complete && document.images[0].naturalWidth > 0")
    assert sorted(outside) == ["https://cdn.example.org/a.png", "https://cdn.jsdelivr.net/npm/x.js"]
    assert not loaded


def test_citations_read_as_the_bibliography_labels(book):
    """A citation in the text ("Polyak, 1964", or the year of "Polyak (1964)") is part of the label of the entry
    it links to ("Polyak, 1964"), not "[Pol64]" (_ext/book_layout.py)."""
    from bs4 import BeautifulSoup, SoupStrainer
    bib = BeautifulSoup((book / "chapters/appendix/bibliography.html").read_text(), "html.parser")
    labels = {}
    for entry in bib.select("div.citation, dl.citation > dt, div[role=doc-biblioentry]"):
        label = entry.select_one(".label")
        if label is not None and entry.get("id"):
            labels[entry["id"]] = " ".join(label.get_text(" ", strip=True).strip("[] ").split())
    for label in bib.select("span.label"):
        owner = label.find_parent(id=True)
        if owner is not None:
            labels.setdefault(owner["id"], " ".join(label.get_text(" ", strip=True).strip("[] ").split()))
    assert labels, "no labels found on the bibliography page"
    wrong = set()
    citation = SoupStrainer("a", href=re.compile(r"bibliography\.html#"))      # only the links, parsed
    for f in toc_files():
        text = (book / (f + ".html")).read_text()
        if "bibliography.html#" not in text:
            continue
        for a in BeautifulSoup(text, "html.parser", parse_only=citation).find_all("a"):
            text = " ".join(a.get_text(" ", strip=True).split()).replace(" ,", ",")
            label = labels.get(a["href"].split("#")[-1], "")
            if not text or text not in label.replace(" ,", ","):
                wrong.add(f"{text!r} -> {label!r}")
    assert not wrong, f"citations that do not read as their bibliography label: {sorted(wrong)[:10]}"


def test_search_results_show_no_raw_tex(server, open_page):
    """Sphinx cuts search summaries from the pages' HTML, where math is TeX: _ext/static/book.js makes it text."""
    page, outside, errors = open_page(f"{server}/search.html?q=momentum")
    page.wait_for_selector("#search-results p.context", timeout=20000)
    page.wait_for_timeout(1000)
    summaries = page.evaluate("Array.from(document.querySelectorAll('#search-results p.context'))"
                              ".map(p => p.textContent)")
    assert len(summaries) >= 5, f"search finds too little: {summaries}"
    raw = [s for s in summaries if re.search(r"\\\(|\\\[|\\frac|\\theta|\\rho", s)]
    assert not raw and not errors and not outside, f"raw TeX in search results: {raw[:3]}"


class _Prose(HTMLParser):
    """The text of a page's article outside code, math, scripts and styles: what MathJax does not typeset."""

    SKIP = {"pre", "code", "script", "style", "mjx-container", "textarea"}

    def __init__(self):
        super().__init__()
        self.skip, self.text = [], []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in self.SKIP or "math" in classes or self.skip:
            if tag not in VOID:
                self.skip.append(tag)

    def handle_endtag(self, tag):
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def test_no_page_leaves_tex_in_its_prose(book):
    """A formula MyST did not recognise (say $$ inside a paragraph of a list item) is shown as raw TeX: every
    page of both editions, outside code and typeset math, has no $ before a symbol and no TeX command."""
    raw = re.compile(r"\$(?=[\\A-Za-z{])|\\(frac|dfrac|sum|theta|rho|mu|sigma|mathbf|hat|begin|left|right|partial|qquad)\b")
    found = []
    for path in sorted(book.glob("**/*.html")):
        if "_static" in path.parts or path.name in ("search.html", "genindex.html"):
            continue
        html = path.read_text(encoding="utf-8")
        article = html[html.find('<article'):html.find('</article>')]
        parser = _Prose()
        parser.feed(article)
        for m in raw.finditer("".join(parser.text)):
            found.append(f"{path.relative_to(book)}: …{m.string[max(0, m.start() - 40):m.end() + 40]!r}")
    assert not found, "\n".join(found[:10])
