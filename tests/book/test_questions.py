"""The conceptual questions of the chapter pages (issue #17): a reader can test understanding without running code.

Each chapter page of Parts 1-7 ends with one markdown cell "## Check your understanding" (*Comprueba lo que has
entendido*): two or three numbered questions, each followed by its answer in a collapsed dropdown (a MyST
``{admonition} Answer`` with ``:class: dropdown``, as the optimizers page folds nnlib's code). The cell comes after
every code cell of the page (the questions need no code): at the end of the page, or just before a final
"What to remember" / "Summary" cell.

``PAGES`` is every chapter page of Parts 1-7 in ``_toc.yml``: a new chapter page comes with its questions.
"""
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from toc import toc_files  # noqa: E402

HEADING = "## Check your understanding"
PAGES = [f for f in toc_files() if re.match(r"chapters/0[1-7]-", f)]  # every chapter page of Parts 1-7
ANSWER = re.compile(r"^```\{admonition\} Answer\n:class: dropdown\n(.+?)\n```$", re.M | re.S)
QUESTION = re.compile(r"^\*\*(\d)\.\*\* \S", re.M)


def _cells(page):
    return nbformat.read(ROOT / f"{page}.ipynb", as_version=4).cells


def test_every_chapter_page_of_parts_1_to_7_is_checked():
    assert len(PAGES) >= 44 and len(PAGES) == len(set(PAGES))


def problems(cells, page="page"):
    """What is wrong with the questions cell of a page's `cells` (an empty list if nothing)."""
    found = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith(HEADING)]
    if len(found) != 1:
        return [f"{page}: {len(found)} cells start with {HEADING!r}"]
    i, errors = found[0], []
    after = cells[i + 1:]
    if not all(c.cell_type == "markdown" for c in after):
        errors.append(f"{page}: a code cell after the questions")
    text = cells[i].source
    if "*Comprueba lo que has entendido.*" not in text:
        errors.append(f"{page}: the Spanish title is missing")
    numbers = [int(n) for n in QUESTION.findall(text)]
    if numbers not in ([1, 2], [1, 2, 3]):
        errors.append(f"{page}: questions numbered {numbers}, not 1-2 or 1-3")
    answers = ANSWER.findall(text)
    # each answer follows its own question: question, answer, question, answer, ...
    order = sorted([(m.start(), "q") for m in QUESTION.finditer(text)]
                   + [(m.start(), "a") for m in ANSWER.finditer(text)])
    if [kind for _, kind in order] != ["q", "a"] * len(numbers):
        errors.append(f"{page}: questions and collapsed answers do not alternate: {[k for _, k in order]}")
    if not all(len(a.split()) >= 8 for a in answers):
        errors.append(f"{page}: an answer too short to say why")
    return errors


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.split("/")[-1])
def test_page_ends_with_its_questions(page):
    assert not problems(_cells(page), page)


def _planted(questions):
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    return [md("# Page"), code("x = 1"), md(questions), md("## What to remember\n\n* x")]


GOOD = (f"{HEADING}\n\n*Comprueba lo que has entendido.* Text.\n\n"
        "**1.** Why?\n\n```{admonition} Answer\n:class: dropdown\nBecause the page says so, for this reason.\n```\n\n"
        "**2.** How?\n\n```{admonition} Answer\n:class: dropdown\nLike this, as the page shows with its figure.\n```")


@pytest.mark.parametrize("change, words", [
    (lambda t: t.replace(":class: dropdown\nLike", "Like"), "do not alternate"),          # an open answer
    (lambda t: t.split("**2.**")[0], "numbered [1]"),                                       # one question only
    (lambda t: t.replace("Because the page says so, for this reason.", "Yes."), "too short"),
])
def test_a_planted_bad_cell_fails(change, words):
    assert problems(_planted(GOOD)) == []
    errors = problems(_planted(change(GOOD)))
    assert any(words in e for e in errors), errors


def test_questions_before_a_code_cell_fail():
    cells = _planted(GOOD)
    assert any("code cell after" in e for e in problems(cells[:2] + [cells[2], cells[1]]))
    assert problems(cells + [nbformat.v4.new_markdown_cell("## References")]) == []
