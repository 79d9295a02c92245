"""Every "Part N" and "slide N" cross-reference of the book names the right part.

The book has one part per section of the slides, in the slides' order (``_toc.yml``), so "Part N" of the
book and section N of the lecture are the same thing. Three checks read the markdown of every page of
the table of contents, sentence by sentence:

(a) a "slide N" (or "slides N–M") mention is paired with the nearest "Part"/"Section" mention of its
    sentence (within ``NEAR`` characters, with no list or table cell between them: "slide 7 and Section 3"
    names two places), and the slide must lie in that section of the slides (``SECTIONS``, checked against
    ``outline.yaml``'s ``meta.index`` when the outline is beside the repository:
    section n runs from its index slide to the slide before the next section's);
(b) a "Part N" mention is paired with the nearest page link ({doc}, {ref} or a markdown link) or topic
    word of ``TOPICS`` in its sentence (within ``NEAR`` characters, in the same table cell and clause); if
    it is a link, ``_toc.yml`` must put that page in part N;
(c) if it is a topic word, N must be a part where the book treats that topic.

"Part N:" (an exercise's own parts, as in the heading "## Part 1: the update") is not a reference to the
book, nor is any "Part N" of an exercise notebook unless its sentence says "of the lecture" or "of this
book" or links a page. The last tests plant wrong mentions in a temporary page and show that each check
catches them. The whole file runs in well under 2 s.
"""

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from toc import ROOT, page_markdown, toc_files

OUTLINE = ROOT.parent / "shared" / "seed" / "outline.yaml"
LAST_SLIDE = 70   # slide 70 closes section 8 (Notación); no section follows it
# section of the slides -> (its index slide, its last slide), from the slides' index ("▷ 2, 18, 23, ...")
SECTIONS = {1: (2, 17), 2: (18, 22), 3: (23, 38), 4: (39, 52), 5: (53, 55), 6: (56, 66), 7: (67, 68),
            8: (69, LAST_SLIDE)}

# topic word (a regular expression, matched case-insensitively) -> the parts that treat it, read from
# the captions and page titles of _toc.yml
TOPICS = {
    r"playground": {3, 4},                     # slide 34 links it; the offline widget is on learning-rate
    r"momentum": {5},                          # slide 55, chapters/05-variants/momentum
    r"initiali[sz]ation": {4},                 # deep-activations, problems-and-solutions
    r"normali[sz]ation": {4},                  # encoding, normalization
    r"residual": {4},                          # residual-and-dropout
    r"drop-?out": {4},                         # residual-and-dropout
    r"regulari[sz]ation": {4},                 # regularization
    r"early stopping|overfitting": {4},        # convergence
    r"vanishing gradient|exploding gradient": {4},  # problems-and-solutions, deep-activations
    r"gradient clipping": {4},                 # gradient-clipping
    r"data augmentation": {4},                 # data-augmentation
    r"learning rate": {4},                     # learning-rate (slide 40)
    r"posterior": {4},                         # properties (slide 51)
    r"mini-?batch BackProp|incremental BackProp": {3, 5},  # algorithm (slides 35-36), slide 54
    r"adaptive optimi[sz]ers?|Adam|RMSProp|Adagrad|Adadelta": {3, 5},  # slide 37's list, optimizers
    r"convolution(?:al)?|CNN": {6},            # convolution, cnn-digits
    r"recurrent|LSTM|GRU|sequence-to-sequence": {6},
    r"applications?": {7},
    r"cross-entropy": {3},                     # learning-the-weights
    r"universal approximation": {1},           # mlp-regressor
    r"BackProp (?:recursion|equations)|derivation of BackProp": {3},  # derivation
}
NEAR = 80   # characters between a part mention and the link or topic word it is paired with

PART = re.compile(
    r"\b(?P<word>Parts?|[Ss]ections?)\s+(?P<a>\d+)(?!\d|\.\d)"
    r"(?:\s*(?:–|-|and|to)\s*(?P<b>\d+)(?!\d|\.\d))?(?P<colon>\s*:)?")
SLIDE = re.compile(r"\b[Ss]lides?\s+(?P<a>\d+)(?:\s*(?:–|-|and|to)\s*(?P<b>\d+))?")
LINK = re.compile(
    r"\{doc\}`(?:[^`<]*<(?P<doc>[^>`]+)>|(?P<doc_bare>[^`<]+))`"
    r"|\{ref\}`(?:[^`<]*<(?P<ref>[^>`]+)>|(?P<ref_bare>[^`<]+))`"
    r"|\]\((?P<md>[^)\s#]+\.(?:ipynb|md))(?:#[^)]*)?\)")
LABEL = re.compile(r"^\((?P<label>[^)\s]+)\)=[ \t]*$|^[ \t]*:name:[ \t]*(?P<name>\S+)", re.MULTILINE)
# a sentence ends at . ! ? ; followed by white space, or at a blank line or a heading
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*(\[{$`\"])(?!Redes Neuronales)|\n[ \t]*\n|\n(?=#)|\n(?=\* )|\n(?=- )|\n(?=\|)")
# between a slide and the part it is paired with: no list and no table cell boundary ("slide 7 and Section 3")
LIST = re.compile(r",|;|/|\||\band\b|\bor\b")
# the pages' opening formula, "slides 24 and 25 of the lecture *5. Redes Neuronales Multicapa*, the opening of
# Part 3": the title between a slide and its part is not a list
TITLE = re.compile(r"^\s*of the lecture \*[^*]*\*,")
# between a part and the link or topic it is paired with: no table cell boundary, no clause boundary
CLAUSE = re.compile(r";|\|")


def slide_sections():
    """{section number: range of its slides}: section n runs from its index slide to the slide before the
    next section's (the index of the slides, checked against outline.yaml below)."""
    return {n: range(first, last + 1) for n, (first, last) in SECTIONS.items()}


def toc_parts():
    """{page path without suffix: part number} for the numbered parts of _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    parts = {}
    for part in toc["parts"]:
        number = re.match(r"\s*(\d+)\s*·", part["caption"])
        if not number:
            continue

        def walk(entries, n=int(number.group(1))):
            for entry in entries:
                parts[entry["file"]] = n
                walk(entry.get("sections", []), n)

        walk(part["chapters"])
    return parts


def book_pages():
    """(page path without suffix, file) of every page of the table of contents."""
    for page in toc_files():
        for suffix in (".ipynb", ".md"):
            if (ROOT / (page + suffix)).exists():
                yield page, ROOT / (page + suffix)


def labels_of_pages(pages):
    """{label: page} for every (label)= line and :name: of the given (page, file) pairs."""
    found = {}
    for page, path in pages:
        for m in LABEL.finditer(page_markdown(path)):
            found[m.group("label") or m.group("name")] = page
    return found


def sentences(text):
    """The sentences of a text, each with its offset in the text."""
    start = 0
    for m in SENTENCE_END.finditer(text):
        yield start, text[start:m.start()]
        start = m.end()
    yield start, text[start:]


def _numbers(m):
    a = int(m.group("a"))
    b = int(m.group("b")) if m.group("b") else a
    return set(range(a, b + 1)) if b >= a else {a, b}


def _target(m, page, labels):
    """The page (path without suffix, from the root) a link match points to, or None."""
    doc = m.group("doc") or m.group("doc_bare")
    if doc:
        doc = doc.strip()
        base = "" if doc.startswith("/") else os.path.dirname(page)
        return os.path.normpath(os.path.join(base, doc.lstrip("/"))).removesuffix(".ipynb").removesuffix(".md")
    ref = m.group("ref") or m.group("ref_bare")
    if ref:
        return labels.get(ref.strip())
    md = m.group("md")
    if md and "://" not in md:
        return os.path.normpath(os.path.join(os.path.dirname(page), md)).rsplit(".", 1)[0]
    return None


def _distance(a, b):
    """Characters between two matches (0 if they overlap)."""
    return max(0, max(a.start(), b.start()) - min(a.end(), b.end()))


def _between(text, a, b):
    """The text between two matches."""
    return text[min(a.end(), b.end()):max(a.start(), b.start())]


def problems(page, text, parts, sections, labels):
    """The wrong part/slide cross-references of one page's markdown, as readable strings."""
    exercise = page.startswith("exercises/")
    found = []
    for offset, sentence in sentences(text):
        flat = " ".join(sentence.split())
        mentions = []
        for m in PART.finditer(flat):
            if m.group("colon"):
                continue   # "Part 1:" names a part of an exercise or of a proof
            if exercise and not re.search(r"of (?:the|this) (?:lecture|book)|\{doc\}|\{ref\}", flat):
                continue
            mentions.append(m)
        if not mentions:
            continue
        where = f"{page}: «{flat[:200]}»"
        # (a) slides against the nearest part or section
        for s in SLIDE.finditer(flat):
            m = min(mentions, key=lambda m: _distance(m, s))
            if _distance(m, s) > NEAR or LIST.search(TITLE.sub("", _between(flat, m, s))):
                continue
            numbers = _numbers(m)
            slides = _numbers(s)
            if not any(all(k in sections.get(n, ()) for k in slides) for n in numbers):
                found.append(f"(a) slide(s) {sorted(slides)} are not in {m.group(0).strip()}: {where}")
        for m in mentions:
            numbers = _numbers(m)
            # (b) and (c): the nearest page link or topic word decides what the mention refers to
            links = [(l, _target(l, page, labels)) for l in LINK.finditer(flat)]
            candidates = [(l, "link", t) for l, t in links if t in parts]
            candidates += [(t, "topic", allowed) for pattern, allowed in TOPICS.items()
                           for t in re.finditer(rf"\b(?:{pattern})", flat, re.IGNORECASE)]
            candidates = [c for c in candidates
                          if _distance(c[0], m) <= NEAR and not CLAUSE.search(_between(flat, c[0], m))]
            if not candidates:
                continue
            near, kind, what = min(candidates, key=lambda c: _distance(c[0], m))
            if kind == "link" and parts[what] not in numbers:
                found.append(f"(b) {m.group(0).strip()} next to a link to {what}, which is in Part "
                             f"{parts[what]}: {where}")
            if kind == "topic" and not numbers & what:
                found.append(f"(c) {m.group(0).strip()} next to '{near.group(0)}', which is in Part(s) "
                             f"{sorted(what)}: {where}")
    return found


@pytest.fixture(scope="module")
def book():
    pages = list(book_pages())
    return pages, toc_parts(), slide_sections(), labels_of_pages(pages)


def test_the_slide_sections_are_the_outlines():
    if not OUTLINE.exists():
        pytest.skip(f"the slides' outline is not beside the repository ({OUTLINE})")
    # only the meta block: the whole outline takes a second to parse
    meta = OUTLINE.read_text(encoding="utf-8").split("\n  counts:")[0]
    index = yaml.safe_load(meta)["meta"]["index"]
    starts = [(item["n"], item["page"]) for item in index]
    ends = [page - 1 for _, page in starts[1:]] + [LAST_SLIDE]
    assert {n: (page, end) for (n, page), end in zip(starts, ends)} == SECTIONS


def test_the_parts_are_the_slide_sections():
    parts = toc_parts()
    assert parts["chapters/05-variants/momentum"] == 5
    assert parts["chapters/04-practice/learning-rate"] == 4
    assert parts["exercises/solutions/05-xor-weights"] == 1
    assert sorted(set(parts.values())) == list(range(1, 9))


def test_every_part_and_slide_reference_is_right(book):
    pages, parts, sections, labels = book
    found = [p for page, path in pages for p in problems(page, page_markdown(path), parts, sections, labels)]
    assert not found, "\n".join(found)


PLANTED = """# A planted page

This page follows slides 37 and 38 of the lecture *5. Redes Neuronales Multicapa*, the last two of Part 4.

The TensorFlow Playground widget is in Part 5 of this book.

Momentum, the *BackProp con momentum* of slide 55 (Part 3), speeds up training.

The lost figure of slide 41 (Part 3) showed the validation error.

The {doc}`momentum page <../05-variants/momentum>` (Part 4) shows a saddle.

## Part 1: an exercise heading, not a reference to Part 9 of anything
"""

RIGHT = """# A right page

This page follows slides 37 and 38 of the lecture *5. Redes Neuronales Multicapa*, the last two of Part 3.

The TensorFlow Playground widget is in Part 4 of this book.

Momentum, the *BackProp con momentum* of slide 55 (Part 5), speeds up training.

The lost figure of slide 41 (Part 4) showed the validation error.

The {doc}`momentum page <../05-variants/momentum>` (Part 5) shows a saddle.

## Part 1: an exercise heading
"""


def test_the_checks_catch_planted_mistakes(book, tmp_path):
    _, parts, sections, labels = book
    page = tmp_path / "planted.md"
    page.write_text(PLANTED, encoding="utf-8")
    found = problems("chapters/04-practice/planted", page_markdown(page), parts, sections, labels)
    kinds = sorted(p[:3] for p in found)
    # slides 37-38 in Part 4, slide 55 in Part 3, slide 41 in Part 3; the momentum link next to Part 4;
    # the playground in Part 5, momentum in Part 3 (topics)
    assert kinds == ["(a)", "(a)", "(a)", "(b)", "(c)", "(c)"], "\n".join(found)
    page.write_text(RIGHT, encoding="utf-8")
    assert problems("chapters/04-practice/right", page_markdown(page), parts, sections, labels) == []


def test_a_planted_notebook_is_read_too(book, tmp_path):
    _, parts, sections, labels = book
    notebook = tmp_path / "planted.ipynb"
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["Residual connections (Part 6) help."]},
             {"cell_type": "code", "metadata": {}, "source": ["# Part 6 in a comment is not read"],
              "outputs": [], "execution_count": None}]
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    found = problems("chapters/02-deep/planted", page_markdown(notebook), parts, sections, labels)
    assert len(found) == 1 and found[0].startswith("(c)"), found
