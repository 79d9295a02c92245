"""Checks of the notation page, its glossary, and the bibliography.

The glossary must translate every Spanish term of the slides (the ``glossary_es_en`` list of the
outline), define the terms the chapters link to with ``{term}``, and have no duplicate term lines
(Sphinx warns about them and the book is built with ``-W``). ``references.bib`` must parse without
warnings, hold the keys the book relies on, and every ``{cite}`` key used in ``chapters/`` and
``exercises/`` must be one of its entries.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NOTATION = ROOT / "chapters" / "08-notation" / "notation.md"
BIB = ROOT / "references.bib"
OUTLINE = ROOT.parent / "shared" / "seed" / "outline.yaml"

# Term lines the chapters link to with {term}, plus the companion additions for slide 43.
REQUIRED_TERMS = [
    "activation function", "sigmoid", "hyperbolic tangent", "rectified linear unit",
    "sign function", "step function", "softsign", "linear discriminant function",
    "homogeneous coordinates", "threshold", "weight vector", "logistic function",
    "leaky ReLU", "ELU", "maxout", "softmax",
]

# Works the slides cite, then the works the companion adds (keys used by the chapters).
SLIDE_KEYS = [
    "mcculloch1943logical", "hebb1949organization", "rochester1956tests",
    "rosenblatt1957perceptron", "rosenblatt1958perceptron", "widrow1960adaptive",
    "minsky1969perceptrons", "linnainmaa1970representation", "linnainmaa1976taylor",
    "werbos1974beyond", "rumelhart1986learning", "bishop1995neural", "ripley1996pattern",
    "ney1995probabilistic", "hinton2006reducing", "lecun2015deep", "huang1988neural",
    "huang2000classification", "daly2017deep", "dyrda2019deep", "russakovsky2015imagenet",
    "bishop2006pattern", "simard2003best", "brownlee2019exploding",
    "devilliers1993backpropagation", "phansalkar1994analysis", "goodfellow2016deep",
    "smilkov2016playground",
]
COMPANION_KEYS = [
    "nair2010relu", "maas2013leaky", "clevert2016elu", "goodfellow2013maxout",
    "bridle1990softmax", "elliott1993fast", "cybenko1989approximation",
    "hornik1991approximation", "glorot2010understanding", "ioffe2015batch", "ba2016layer",
    "srivastava2014dropout", "he2016deep", "pascanu2013difficulty", "kingma2015adam",
    "duchi2011adaptive", "zeiler2012adadelta", "tieleman2012rmsprop", "dozat2016incorporating",
    "nesterov1983method", "polyak1964some", "robbins1951stochastic", "bahdanau2015neural",
    "vaswani2017attention", "hochreiter1997long", "lecun1998gradient", "werbos1990backpropagation",
]

# {cite}`a,b`, {cite:p}`a`, {cite:t}`a; b` ...
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def glossary_block(text):
    """Return the lines inside the ```{glossary} fence of a MyST page."""
    match = re.search(r"^```\{glossary\}[^\n]*\n(.*?)^```\s*$", text, re.S | re.M)
    assert match, "notation.md has no ```{glossary} fenced block"
    return match.group(1).splitlines()


def glossary_terms(lines):
    """Term lines of a Sphinx glossary: non-blank, not indented, not an option (``:sorted:``)."""
    return [ln.strip() for ln in lines
            if ln.strip() and not ln[0].isspace() and not re.match(r":\w+:", ln)]


@pytest.fixture(scope="module")
def notation_text():
    return NOTATION.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def glossary(notation_text):
    return glossary_block(notation_text)


@pytest.fixture(scope="module")
def bib():
    import pybtex.database
    import pybtex.errors

    pybtex.errors.set_strict_mode(True)  # any pybtex warning becomes an exception
    try:
        return pybtex.database.parse_file(str(BIB))
    finally:
        pybtex.errors.set_strict_mode(False)


GLOSSARY_COPY = ROOT / "tests" / "fixtures" / "glossary_es_en.yaml"


@pytest.fixture(scope="module")
def outline_glossary():
    """The slides' Spanish -> English glossary (a copy kept in tests/fixtures)."""
    return yaml.safe_load(GLOSSARY_COPY.read_text(encoding="utf-8"))


def test_glossary_copy_matches_the_outline(outline_glossary):
    if not OUTLINE.exists():
        pytest.skip(f"the slides' outline is not beside the repository ({OUTLINE}); the copy in "
                    "tests/fixtures cannot be compared with it here")
    data = yaml.safe_load(OUTLINE.read_text(encoding="utf-8"))
    assert outline_glossary == data["glossary_es_en"], "tests/fixtures/glossary_es_en.yaml is out of date"


def test_glossary_is_sorted(glossary):
    assert ":sorted:" in glossary[:3], "the glossary should be sorted alphabetically (:sorted:)"


def test_every_spanish_term_of_the_slides_is_in_the_glossary(glossary, outline_glossary):
    text = "\n".join(glossary)
    missing = [entry["es"] for entry in outline_glossary if entry["es"] not in text]
    assert not missing, f"Spanish terms missing from the glossary: {missing}"


def test_every_outline_entry_has_a_glossary_entry(glossary, outline_glossary):
    """One entry per outline item: count the definitions that open with the Spanish term."""
    first_lines = [ln.strip() for ln in glossary if ln[:1].isspace() and ln.strip().startswith("*")]
    for entry in outline_glossary:
        assert any(ln.startswith(f"*{entry['es']}*") for ln in first_lines), (
            f"no glossary definition starts with the Spanish term *{entry['es']}*")
    assert len(first_lines) >= len(outline_glossary)


def test_required_term_lines_exist(glossary):
    terms = set(glossary_terms(glossary))
    missing = [t for t in REQUIRED_TERMS if t not in terms]
    assert not missing, f"term lines the chapters link to are missing: {missing}"


def test_term_lines_are_unique(glossary):
    terms = [t.lower() for t in glossary_terms(glossary)]
    duplicates = sorted({t for t in terms if terms.count(t) > 1})
    assert not duplicates, f"duplicate glossary terms (a Sphinx warning): {duplicates}"


def test_every_term_has_a_definition(glossary):
    """A group of term lines must be followed by an indented definition, not by a blank line."""
    for i, line in enumerate(glossary):
        if line.strip() and not line[0].isspace() and not re.match(r":\w+:", line):
            following = glossary[i + 1] if i + 1 < len(glossary) else ""
            assert following.strip(), f"term {line!r} is followed by a blank line"


def test_references_bib_parses_and_has_the_keys(bib):
    keys = set(bib.entries)
    missing = [k for k in SLIDE_KEYS + COMPANION_KEYS if k not in keys]
    assert not missing, f"references.bib lacks: {missing}"


def test_references_bib_formats_in_the_usual_styles(bib):
    """sphinxcontrib-bibtex formats entries with pybtex; a missing required field would break it."""
    from pybtex.plugin import find_plugin

    for name in ("alpha", "plain", "unsrt"):
        style = find_plugin("pybtex.style.formatting", name)()
        formatted = list(style.format_bibliography(bib))
        assert len(formatted) == len(bib.entries)


def test_names_are_spelled_right(bib):
    surnames = {key: [p.last_names[-1] for p in entry.persons.get("author", [])]
                for key, entry in bib.entries.items()}
    assert surnames["mcculloch1943logical"] == ["McCulloch", "Pitts"]
    assert surnames["ripley1996pattern"] == ["Ripley"]
    assert surnames["phansalkar1994analysis"] == ["Phansalkar", "Sastry"]
    assert surnames["devilliers1993backpropagation"] == ["Villiers", "Barnard"]
    assert bib.entries["rochester1956tests"].fields["year"] == "1956"


def cite_keys_in(path):
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        text = "\n".join("".join(c.get("source", "")) for c in cells)
    else:
        text = path.read_text(encoding="utf-8")
    for match in CITE_ROLE.finditer(text):
        for key in re.split(r"[,;]", match.group(1)):
            if key.strip():
                yield key.strip()


def test_every_cited_key_exists(bib):
    keys = set(bib.entries)
    unknown = []
    for folder in ("chapters", "exercises"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".md", ".ipynb"} and ".ipynb_checkpoints" not in path.parts:
                unknown += [f"{path.relative_to(ROOT)}: {k}" for k in cite_keys_in(path)
                            if k not in keys]
    assert not unknown, f"{{cite}} keys not in references.bib: {unknown}"
