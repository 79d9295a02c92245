"""Every "next page" / "previous page" of the book links the page that really is next / previous.

Pages get inserted (issue #17 added eight), and a sentence written for the old order then lies. The
reading order is the one of ``_toc.yml``: the root, then the chapter pages of every part, in order; an
exercise (a section under a chapter page) is not a step of it, and its "next page" is its chapter page's.
Every sentence of a page's markdown (chapter pages and exercise solutions) that says

* "next page" or "following page" must carry a ``{doc}`` link to the next chapter page;
* "previous page", "preceding page" or "page before" must carry a ``{doc}`` link to the previous one;
* "first page of Part N" / "last page of Part N" must carry a ``{doc}`` link to that page of part N.

A sentence that names its page by a link alone ("the {doc}`two-layer perceptron page
<two-layer-perceptron>`") is never checked: it stays true when pages move. The last test plants wrong
sentences in a temporary page and shows that each is caught. The file runs in well under 1 s.
"""
import os
import re
from pathlib import Path

import yaml
from toc import page_markdown

ROOT = Path(__file__).resolve().parents[2]

NEXT = re.compile(r"\b(?:next|following) page\b", re.IGNORECASE)
PREVIOUS = re.compile(r"\b(?:previous|preceding) page\b|\bpage before\b", re.IGNORECASE)
END_OF_PART = re.compile(r"\b(?P<which>first|last) page of Part (?P<n>\d+)\b", re.IGNORECASE)
DOC = re.compile(r"\{doc\}`(?:[^`<]*<(?P<target>[^>`]+)>|(?P<bare>[^`<]+))`")
# a sentence ends at . ! ? followed by white space and a capital (or markup), or at a blank line
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*(\[{$`\"])|\n[ \t]*\n")


def reading_order(toc_path=ROOT / "_toc.yml"):
    """(chapter pages in reading order, {page: its part number or None}, {exercise: its chapter page})."""
    toc = yaml.safe_load(Path(toc_path).read_text(encoding="utf-8"))
    order, part_of, owner = [toc["root"]], {toc["root"]: None}, {}

    def sections(entries, chapter):
        for entry in entries:
            owner[entry["file"]] = chapter
            sections(entry.get("sections", []), chapter)

    for part in toc["parts"]:
        number = re.match(r"\s*(\d+)\s*·", part.get("caption", ""))
        for entry in part["chapters"]:
            order.append(entry["file"])
            part_of[entry["file"]] = int(number.group(1)) if number else None
            sections(entry.get("sections", []), entry["file"])
    return order, part_of, owner


def links(page, sentence):
    """The pages (paths from the root, without suffix) that the {doc} links of a sentence point to."""
    found = set()
    for m in DOC.finditer(sentence):
        doc = (m.group("target") or m.group("bare")).strip()
        base = "" if doc.startswith("/") else os.path.dirname(page)
        path = os.path.normpath(os.path.join(base, doc.lstrip("/")))
        found.add(path.removesuffix(".ipynb").removesuffix(".md"))
    return found


def problems(page, text, order, part_of, owner):
    """The sentences of one page's markdown whose "next/previous page" is not linked to the right page."""
    chapter = owner.get(page, page)
    if chapter not in order:
        return []
    i = order.index(chapter)
    neighbours = {"next": order[i + 1] if i + 1 < len(order) else None,
                  "previous": order[i - 1] if i > 0 else None}
    found = []
    for sentence in SENTENCE_END.split(text):
        flat = " ".join(sentence.split())
        linked = links(page, flat)
        for word, pattern in (("next", NEXT), ("previous", PREVIOUS)):
            if pattern.search(flat) and neighbours[word] not in linked:
                found.append(f"{page}: says '{word} page' (that is {neighbours[word]}) "
                             f"but links {sorted(linked) or 'nothing'}: «{flat[:160]}»")
        for m in END_OF_PART.finditer(flat):
            pages = [p for p in order if part_of.get(p) == int(m.group("n"))]
            want = (pages[0] if m.group("which").lower() == "first" else pages[-1]) if pages else None
            if want not in linked:
                found.append(f"{page}: says '{m.group(0)}' (that is {want}) "
                             f"but links {sorted(linked) or 'nothing'}: «{flat[:160]}»")
    return found


def test_next_and_previous_pages_are_linked_and_right():
    order, part_of, owner = reading_order()
    found = []
    for page in order + sorted(owner):
        for suffix in (".ipynb", ".md"):
            path = ROOT / (page + suffix)
            if path.exists():
                found += problems(page, page_markdown(path), order, part_of, owner)
    assert not found, "\n".join(found)


def test_the_check_catches_planted_mistakes(tmp_path):
    # a toc of four pages in two parts, an exercise under the second page
    toc = {"format": "jb-book", "root": "index", "parts": [
        {"caption": "1 · One", "chapters": [{"file": "a/first"},
                                             {"file": "a/second", "sections": [{"file": "ex/01"}]}]},
        {"caption": "2 · Two", "chapters": [{"file": "b/third"}]}]}
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    order, part_of, owner = reading_order(tmp_path / "_toc.yml")
    assert order == ["index", "a/first", "a/second", "b/third"] and owner == {"ex/01": "a/second"}

    page = tmp_path / "second.md"
    good = ("As the {doc}`previous page <first>` showed, x. The {doc}`next page <../b/third>` is next. "
            "The {doc}`second` page is the last page of Part 1. Nothing here.")
    page.write_text(good, encoding="utf-8")
    assert problems("a/second", page_markdown(page), order, part_of, owner) == []

    planted = [
        "The next page says more.",                                  # no link at all
        "The {doc}`next page <first>` says more.",                   # link to the wrong page
        "The following page, {doc}`/a/first`, says more.",           # ditto, absolute link
        "As the previous page showed.",                              # no link
        "The page before, {doc}`../b/third`, showed it.",            # the wrong page
        "This is the last page of Part 1 ({doc}`first`).",           # the wrong end of the part
        "See {doc}`../b/third`, the first page of Part 1.",          # the wrong part
    ]
    for sentence in planted:
        page.write_text("A first sentence. " + sentence + " A last one.", encoding="utf-8")
        assert len(problems("a/second", page_markdown(page), order, part_of, owner)) == 1, sentence
    # an exercise's next page is its chapter page's
    assert problems("ex/01", "Then the {doc}`next page <../b/third>`.", order, part_of, owner) == []
    assert len(problems("ex/01", "Then the {doc}`next page <../a/second>`.", order, part_of, owner)) == 1
