"""The helpers of make pdf (tests/build_pdf.py) that need no browser: the table of contents it prints, where the
first printing's marks landed, and the printed edition's own words in both languages. The PDFs themselves are
checked by tests/book/test_pdf.py (make test-pdf)."""
import re
from pathlib import Path

from build_pdf import WORDS, page_of_marks, toc_parts
from toc import toc_files

ROOT = Path(__file__).resolve().parents[1]


def test_the_printed_parts_hold_every_page_of_the_book_in_its_order():
    parts = toc_parts()
    printed = [f for part in parts for ch in part["chapters"] for f in (ch["file"], *ch["sections"])]
    assert printed == toc_files()[1:]
    assert [re.match(r"\d+ · ", p["caption"]) is not None for p in parts] == [True] * 8 + [False]


def test_marks_are_found_on_their_page_counted_from_one():
    text = "title page\fQZ0QZ\nContents QZ1QZ\fQZ2QZ 1.1 The connectionist model QZ1QZ\f"
    assert page_of_marks(text) == {0: 2, 1: 2, 2: 3}
    assert page_of_marks("no marks\fat all") == {}


def test_both_editions_have_every_word_and_the_same_placeholders():
    assert WORDS["en"].keys() == WORDS["es"].keys()
    for key, english in WORDS["en"].items():
        assert set(re.findall(r"\{\w+\}", english)) == set(re.findall(r"\{\w+\}", WORDS["es"][key])), key
        assert WORDS["es"][key] and WORDS["es"][key] != english or key in {"page"}, key
