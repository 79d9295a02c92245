"""The printable edition (issue #19): _build/pdf/book-en.pdf and book-es.pdf, which ``make pdf`` prints.

Run by ``make test-pdf`` (which runs make pdf first) and by CI after make test; make test leaves them out (marker
``pdf``). Each PDF is read with Debian's poppler-utils (pdfinfo, pdftotext, pdfimages) and checked against the
HTML edition that make book built (_build/html, _build/html/es): every part and page title is in it, on the page
its table of contents gives; no unresolved reference, no page-number placeholder, no TeX left outside code; at
least as many pictures as the book's figures; the answers and solutions at the end of the parts; under 50 MB.
"""
import re
import subprocess
from html.parser import HTMLParser

import pytest
from toc import toc_files

from build_pdf import OUT, WORDS

pytestmark = [pytest.mark.slow, pytest.mark.pdf]
EDITIONS = ["en", "es"]
PAGES = toc_files()[1:]  # the home page is printed as "About this book", under another title


def _run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def _flat(text):
    """One line of words: pdftotext breaks lines and hyphenates nothing, Chromium breaks at spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


class _Collect(HTMLParser):
    """The text of the first <h1> (math left out: MathJax's glyphs do not come back as TeX), the toctree's part
    captions, the content images and the code of a page."""

    def __init__(self):
        super().__init__()
        self.stack, self.h1, self.h1_done, self.captions, self.images, self.code = [], [], False, [], 0, []
        self._caption = None
        self.inline, self._inline = [], None  # the text of each inline code element

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        self.stack.append((tag, classes))
        if tag == "img" and "_static/" not in (a.get("src") or "") and self._inside("bd-article"):
            self.images += 1
        if tag == "span" and "caption-text" in classes:
            self._caption = []
        if tag == "code" and not self._inside(tag="pre"):
            self._inline = []

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        if tag == "pre":
            self.code.append("\n")
        if tag == "code" and self._inline is not None:
            self.inline.append("".join(self._inline))
            self._inline = None
        if tag == "h1" and self.h1:
            self.h1_done = True
        if tag == "span" and self._caption is not None:
            self.captions.append("".join(self._caption).strip())
            self._caption = None

    def _inside(self, cls=None, tag=None):
        return any((cls and cls in c) or (tag and t == tag) for t, c in self.stack)

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)
        if self._inside(tag="h1") and not self.h1_done and not self._inside("math") \
                and not self._inside("headerlink"):
            self.h1.append(data)
        if self._inside(tag="pre"):
            self.code.append(data)
        if self._inline is not None:
            self._inline.append(data)


def _page(path):
    c = _Collect()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def _pieces(title):
    """The parts of a title between its formulas, each long enough to look for."""
    return [p for p in (_flat(s) for s in re.split(r"\s{2,}|\(\s*\)", title)) if len(p) >= 3]


@pytest.fixture(scope="module", params=EDITIONS)
def printed(request, book):
    language = request.param
    path = OUT / f"book-{language}.pdf"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make pdf` (make test-pdf runs it first)")
    html = book if language == "en" else book / language
    pages = _run("pdftotext", "-enc", "UTF-8", str(path), "-").split("\f")[:-1]
    return {"language": language, "path": path, "html": html, "pages": pages,
            "flat": [_flat(p) for p in pages], "all": _flat(" ".join(pages)),
            "info": _run("pdfinfo", str(path)), "layout": _run("pdftotext", "-layout", "-enc", "UTF-8", "-l", "12",
                                                                str(path), "-").split("\f")}


def test_it_opens_as_an_a4_book_under_50_mb(printed):
    info = dict(line.split(":", 1) for line in printed["info"].splitlines() if ":" in line)
    assert int(info["Pages"]) >= 300, info["Pages"]
    assert "595.92 x 842.88" in info["Page size"], info["Page size"]  # A4
    assert printed["path"].stat().st_size < 50 * 2**20, f"{printed['path'].stat().st_size / 2**20:.1f} MiB"
    assert len(printed["pages"]) == int(info["Pages"])


def test_every_part_and_page_title_is_printed(printed):
    captions = list(dict.fromkeys(_page(printed["html"] / "index.html").captions))  # the menu is there twice
    assert len(captions) == 9, captions
    missing = [c for c in captions if _flat(re.sub(r"^\d+ · ", "", c)) not in printed["all"]]
    for doc in PAGES:
        title = "".join(_page(printed["html"] / f"{doc}.html").h1)
        missing += [f"{doc}: {piece!r}" for piece in _pieces(title) if piece not in printed["all"]]
    assert not missing, missing


# A line of the table of contents (pdftotext -layout): its number, its title, its page.
TOC_LINE = re.compile(r"^\s*([0-9A-H]+(?:\.[0-9]+)*)\s+(\S.*?\S)\s+(\d+)\s*$")


def test_the_contents_give_the_page_each_chapter_begins_on(printed):
    about = WORDS[printed["language"]]["about"]
    first = re.search(rf"^\s*{about}\s+(\d+)\s*$", printed["layout"][1], re.M)  # the contents' first line
    assert first, printed["layout"][1][:500]
    entries = []
    for page in printed["layout"][1:int(first.group(1)) - 1]:  # the pages of the contents
        entries += [m.groups() for m in map(TOC_LINE.match, page.splitlines()) if m]
    assert len(entries) >= 130, f"only {len(entries)} numbered lines in the contents"
    wrong = []
    for number, title, page in entries:
        text = printed["flat"][int(page) - 1]
        # the heading on that page: its number, then the title (pdftotext may break a long one)
        if not re.search(re.escape(number) + r"\s", text) or _flat(title)[:25] not in text:
            wrong.append(f"{number} {title!r} -> page {page}")
    assert not wrong, wrong[:10]


def test_no_unresolved_reference_and_every_page_number_filled_in(printed):
    text = printed["all"]
    word = WORDS[printed["language"]]["page"]
    assert "??" not in text
    assert not re.search(r"QZ\d+QZ", text), "a page-number mark was printed"
    assert f"({word} 000)" not in text and not re.search(r"\s000\s*$", printed["layout"][1], re.M)
    refs = re.findall(rf"\({re.escape(word)} (\d+)\)", text)
    assert len(refs) >= 200, len(refs)
    assert all(1 <= int(r) <= len(printed["pages"]) for r in refs)


def test_no_tex_is_left_outside_code(printed):
    pages = [_page(printed["html"] / f"{doc}.html") for doc in PAGES]
    code = _flat(" ".join("".join(page.code) for page in pages))  # code blocks
    inline = {t for page in pages for t in page.inline if "$" in t or "\\" in t}  # inline code: ``$g_S$``
    raw = re.compile(r"\\(frac|dfrac|sum|theta|rho|mathbf|begin|left|right|partial)\b|\$\$|\\\(|\\\[")
    left = []
    for number, page in enumerate(printed["pages"], start=1):
        for line in page.splitlines():
            prose = line
            for t in inline:
                prose = prose.replace(t, "")
            if (raw.search(prose) or "$" in prose) and _flat(line) not in code:
                left.append(f"page {number}: {line.strip()[:100]}")
    assert "Math input error" not in printed["all"]
    assert not left, left[:10]


def test_every_figure_is_in_it(printed):
    figures = sum(_page(printed["html"] / f"{doc}.html").images for doc in PAGES)
    images = _run("pdfimages", "-list", str(printed["path"])).splitlines()[2:]
    assert figures >= 100, figures
    assert len(images) >= figures, f"{len(images)} images in the PDF, {figures} figures in the book"
    # at print resolution: pdfimages gives each image's pixels per inch as printed (columns x-ppi, y-ppi)
    ppi = sorted(min(int(line.split()[12]), int(line.split()[13])) for line in images)
    low = [p for p in ppi if p < 150]
    assert len(low) <= len(ppi) // 20 and ppi[len(ppi) // 2] >= 180, f"median {ppi[len(ppi) // 2]} ppi; below 150: {low}"


def test_answers_and_solutions_are_at_the_end_of_the_parts(printed):
    words = WORDS[printed["language"]]
    heads = [p for p in printed["flat"] if p.startswith(words["answers"])]
    assert len(heads) >= 7, f"{len(heads)} pages begin with {words['answers']!r}"
    assert printed["all"].count(words["solutionAt"]) >= 33
    assert printed["all"].count(words["answerAt"]) >= 88


def test_the_pdf_has_bookmarks_and_links(printed):
    data = printed["path"].read_bytes()
    assert b"/Outlines" in data
    assert data.count(b"/Link") >= 500
