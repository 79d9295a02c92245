"""The Spanish edition (issue #18): built beside the English one, every page linked to its twin, no English
sentence left, the themes' words in Spanish, and a sample of its pages working in a browser with the network off.

_build/html/es/ is built by tests/build_book.py from the same sources with the catalogs of locales/es/
(_ext/editions.py). What stays English by design is left out of the checks: code, math, what a cell printed or
drew, the API reference's docstrings and the bibliography's titles.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from toc import toc_files

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build"
PAGES = [f + ".html" for f in toc_files()]
pytestmark = pytest.mark.slow

# Small words that Spanish prose never needs and English prose can hardly do without.
ENGLISH = {"the", "and", "of", "is", "are", "which", "with", "that", "this", "for", "from", "by", "be", "it",
           "its", "we", "you", "or", "an", "on", "at", "was", "were", "has", "have", "each", "every", "when",
           "where", "what", "into", "than", "then", "there", "their", "these", "those", "can", "does", "not"}
# Whatever stays English by design: code, math, cell outputs, docstrings, citations' titles, the page's scripts,
# and italics: the Spanish edition gives the English term in italics beside the Spanish one (and quotes English
# figure legends in italics).
KEEP_ENGLISH_TAGS = {"em", "pre", "code", "script", "style", "mjx-container"}
KEEP_ENGLISH_CLASSES = {"cell_input", "cell_output", "output", "math", "citation", "bibliography", "highlight",
                        "nnlib-frames", "widget-subarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _read(path):
    return path.read_text(encoding="utf-8")


def _target(page, href):
    return (page.parent / href.split("#")[0]).resolve()


@pytest.mark.parametrize("edition", ["es"])
def test_the_edition_built_with_no_warning(book, edition):
    log = (BUILD / f"book-{edition}.log").read_text()
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR|CRITICAL", line)]
    assert "build succeeded" in log and not warnings, "\n".join(warnings[:20] or log.splitlines()[-30:])


def test_every_page_has_its_spanish_twin_and_each_links_to_the_other(book):
    problems = []
    for path in PAGES:
        en, es = book / path, book / "es" / path
        if not es.exists():
            problems.append(f"es/{path} was not built")
            continue
        for page, lang, other, twin in ((en, "en", "es", es), (es, "es", "en", en)):
            html = _read(page)
            if not re.search(rf'<html[^>]* lang="{lang}"', html):
                problems.append(f"{page.relative_to(book)}: <html> has not lang={lang}")
            switch = re.search(rf'<p class="nnlib-language"><a href="([^"]+)" hreflang="{other}"', html)
            if not switch or _target(page, switch.group(1)) != twin.resolve():
                problems.append(f"{page.relative_to(book)}: no language switch to {twin.relative_to(book)}")
            for hreflang, expected in (("en", en), ("es", es)):
                alt = re.search(rf'<link rel="alternate" hreflang="{hreflang}" href="([^"]+)"', html)
                if not alt or _target(page, alt.group(1)) != expected.resolve():
                    problems.append(f"{page.relative_to(book)}: no <link rel=alternate hreflang={hreflang}>")
    assert not problems, "\n".join(problems[:30])


class _Prose(HTMLParser):
    """The text of a page's <article>, without what stays English by design."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.inside = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.inside += 1
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skip = tag in KEEP_ENGLISH_TAGS or bool(classes & KEEP_ENGLISH_CLASSES) or (tag == "dl" and "py" in classes)
        self.stack.append((tag, skip or bool(self.stack and self.stack[-1][1])))

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside -= 1
        for i in range(len(self.stack) - 1, -1, -1):  # close up to the matching tag
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.inside and not (self.stack and self.stack[-1][1]):
            self.text.append(data)


def _prose(html):
    parser = _Prose()
    parser.feed(html)
    return " ".join(parser.text)


def english_sentences(text):
    """The sentences of `text` that read as English: three or more of the small English words, a quarter of its words."""
    found = []
    for sentence in re.split(r"(?<=[.!?;:])\s+|\n+", text):
        words = re.findall(r"[A-Za-zÁÉÍÓÚáéíóúñÑüÜ']+", sentence.lower())
        hits = [w for w in words if w in ENGLISH]
        if len(hits) >= 3 and len(hits) >= 0.25 * len(words):
            found.append(" ".join(sentence.split())[:160])
    return found


def test_the_detector_finds_an_english_sentence_and_passes_spanish():
    assert english_sentences("The network is trained by gradient descent with the BackProp algorithm.")
    assert not english_sentences("La red se entrena por descenso por gradiente con el algoritmo BackProp "
                                 "(en inglés, *the backpropagation algorithm*).")


# Pages whose body is English by design: the API reference's pages are mostly its docstrings, and the
# benchmarks page shows the results files that every `make bench` rewrites (their prose around is translated,
# and checked by tests/test_translations.py like every other message).
ENGLISH_BY_DESIGN = ("chapters/appendix/api/", "chapters/appendix/api.html", "chapters/appendix/benchmarks.html")


def test_no_english_sentence_is_left_on_a_spanish_page(book):
    left = {}
    for path in PAGES:
        if path.startswith(ENGLISH_BY_DESIGN):
            continue
        found = english_sentences(_prose(_read(book / "es" / path)))
        if found:
            left[path] = found
    assert not left, "English sentences on Spanish pages:\n" + "\n".join(
        f"  es/{p}: {s[:3]}" for p, s in list(left.items())[:15])


def test_the_themes_words_are_spanish(book):
    """No label, tooltip, placeholder or alt text of the themes is left in English on a Spanish page."""
    english = {"Toggle primary sidebar", "Toggle secondary sidebar", "Search this book...", "Launch on Binder",
               "Launch on Colab", "Launch interactive content", "Source repositories", "Source repository",
               "Open issue", "Open an issue", "Download this page", "Download the student notebook",
               "Link to this heading", "Print to PDF", "Fullscreen mode", "Binder logo", "Colab logo",
               "Main", "Page", "previous page", "next page", "Contents", "Search", "Descarga esta pagina"}
    wrong = {}
    for path in PAGES:
        html = _read(book / "es" / path)
        found = {v for v in re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', html) if v in english}
        if found:
            wrong[path] = sorted(found)
    assert not wrong, f"English words of the themes on Spanish pages: {list(wrong.items())[:5]}"


# The home page, a derivation full of math, a page with a pre-rendered explorer (widgets), the notation page
# with the glossary, and an exercise with its checks' messages. Every Spanish page is checked without a browser
# above (its twin, its language switch, no English sentence, the themes' words); every English page, built from
# the same sources and assets, in the browser (tests/book/test_book_pages.py).
SAMPLE = ["index.html", "chapters/03-backprop/derivation.html", "chapters/04-practice/learning-rate.html",
          "chapters/08-notation/notation.html", "exercises/solutions/01-sigmoid-derivative.html"]


@pytest.mark.parametrize("path", SAMPLE)
def test_a_spanish_page_works_offline_and_switches_to_the_same_english_page(book, server, open_page, path):
    page, outside, errors = open_page(f"{server}/es/{path}", wait_until="load")
    assert page.evaluate("document.documentElement.lang") == "es"
    if page.evaluate("document.querySelector('.math') !== null"):
        page.wait_for_selector("mjx-container", state="attached", timeout=20000)
        page.evaluate("MathJax.startup.promise")
        raw = page.evaluate("""() => { const a = document.querySelector('article').cloneNode(true);
            a.querySelectorAll('pre, code, .cell_input, mjx-container, script').forEach(e => e.remove());
            return a.innerText; }""")
        assert not [m for m in ("\\frac", "$$", "\\theta", "\\begin{") if m in raw], f"es/{path} shows raw TeX"
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    assert not broken, f"es/{path} has images that do not load: {broken}"
    page.click(".nnlib-language a")
    page.wait_for_load_state("load")
    assert page.url == f"{server}/{path}", f"the switch on es/{path} led to {page.url}"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click(".nnlib-language a")
    page.wait_for_load_state("load")
    assert page.url == f"{server}/es/{path}", f"the switch on {path} led to {page.url}"
    assert not errors, f"es/{path} has JavaScript errors: {errors}"
    assert not outside, f"es/{path} tried to reach the internet: {outside}"


def test_the_exercise_checks_speak_spanish_in_the_spanish_edition(book):
    """The Spanish edition ran the exercise solutions with NNLIB_LANG=es: their checks' messages are Spanish."""
    checked, english = 0, []
    for path in PAGES:
        if not path.startswith("exercises/solutions/"):
            continue
        en, es = _read(book / path), _read(book / "es" / path)
        if "✔ Correct!" in en:
            checked += 1
            if "✔ Correct!" in es or "✔ ¡Correcto!" not in es:
                english.append(path)
    assert checked >= 20, f"only {checked} exercise pages show a check's message"
    assert not english, f"Spanish exercise pages whose checks speak English: {english}"
