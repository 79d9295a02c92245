"""The errata appendix lists every erratum box of the book, and every link of it points somewhere.

An *erratum box* is a MyST admonition whose title starts with "Erratum", in a markdown cell of a
notebook or in a markdown file under ``chapters/`` or ``exercises/``. Each box must carry a label
(a ``(name)=`` line right above it), and ``chapters/appendix/errata.md`` must link to that label with
``{ref}``. In the other direction, every ``{ref}`` target of the appendix must be a label (or a
figure's ``:name:``) that exists in the book. The two checks read the sources, not the built book.
The last tests plant a miss in a temporary copy and show that the checks catch it.
"""

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
APPENDIX = ROOT / "chapters" / "appendix" / "errata.md"
FOLDERS = ("chapters", "exercises")

# a label line, then (optionally) the opening fence of an admonition-like directive and its title
BOX = re.compile(
    r"^(?:\((?P<label>[^)\s]+)\)=[ \t]*\n)?[ \t]*(?:`{3,}|:{3,})"
    r"\{(?:admonition|warning|note|important|caution|attention|danger|tip|hint)\}"
    r"[ \t]*(?P<title>[^\n]*)$", re.MULTILINE)
LABEL = re.compile(r"^\((?P<label>[^)\s]+)\)=[ \t]*$", re.MULTILINE)
NAME = re.compile(r"^[ \t]*:name:[ \t]*(?P<label>\S+)[ \t]*$", re.MULTILINE)
REF = re.compile(r"\{ref\}`(?:[^`<]*<(?P<target>[^>`]+)>|(?P<bare>[^`<]+))`")


def markdown_sources(root):
    """Yield (path, text) for every markdown file and markdown cell under root's chapters and exercises."""
    for folder in FOLDERS:
        for path in sorted((Path(root) / folder).rglob("*")):
            if "_build" in path.parts or ".ipynb_checkpoints" in path.parts:
                continue
            if path.suffix == ".md":
                yield path, path.read_text(encoding="utf-8")
            elif path.suffix == ".ipynb":
                notebook = nbformat.read(path, as_version=4)
                for cell in notebook.cells:
                    if cell.cell_type == "markdown":
                        yield path, cell.source


def erratum_boxes(root, appendix):
    """Return ({label: (path, title)}, [(path, title) of boxes without a label]) for the erratum boxes."""
    labelled, unlabelled = {}, []
    for path, text in markdown_sources(root):
        if Path(path).resolve() == Path(appendix).resolve():
            continue
        for match in BOX.finditer(text):
            if not match["title"].lower().startswith("erratum"):
                continue
            if match["label"]:
                labelled[match["label"]] = (path, match["title"])
            else:
                unlabelled.append((path, match["title"]))
    return labelled, unlabelled


def book_labels(root):
    """Every ``(label)=`` and ``:name:`` defined under root's chapters and exercises."""
    labels = set()
    for _, text in markdown_sources(root):
        labels |= {m["label"] for m in LABEL.finditer(text)}
        labels |= {m["label"] for m in NAME.finditer(text)}
    # figures' :name: can also sit in code cells' metadata (myst-nb); collect those too
    for folder in FOLDERS:
        for path in (Path(root) / folder).rglob("*.ipynb"):
            for cell in nbformat.read(path, as_version=4).cells:
                figure = cell.metadata.get("mystnb", {}).get("figure", {})
                if "name" in figure:
                    labels.add(figure["name"])
    return labels


def appendix_refs(appendix):
    """The {ref} targets of the appendix, in order."""
    text = Path(appendix).read_text(encoding="utf-8")
    return [(m["target"] or m["bare"]).strip() for m in REF.finditer(text)]


def missing_from_appendix(root, appendix):
    """Labels of erratum boxes the appendix does not link to, and the boxes that have no label."""
    labelled, unlabelled = erratum_boxes(root, appendix)
    refs = set(appendix_refs(appendix))
    missing = {label: where for label, where in labelled.items() if label not in refs}
    return missing, unlabelled


def dangling_refs(root, appendix):
    """The appendix's {ref} targets that no page defines."""
    labels = book_labels(root)
    return [ref for ref in appendix_refs(appendix) if ref not in labels]


def test_the_book_has_erratum_boxes():
    labelled, _ = erratum_boxes(ROOT, APPENDIX)
    assert len(labelled) >= 14, sorted(labelled)  # 14 when this test was written


def test_every_erratum_box_is_in_the_appendix():
    missing, unlabelled = missing_from_appendix(ROOT, APPENDIX)
    assert not unlabelled, (
        "erratum boxes without a (label)= line right above them: "
        + "; ".join(f"{p.relative_to(ROOT)}: {t}" for p, t in unlabelled))
    assert not missing, (
        "erratum boxes with no {ref} entry in chapters/appendix/errata.md: "
        + "; ".join(f"{label} ({p.relative_to(ROOT)}: {t})" for label, (p, t) in missing.items()))


def test_every_appendix_ref_exists():
    dangling = dangling_refs(ROOT, APPENDIX)
    assert not dangling, f"{{ref}} targets in errata.md that no page defines: {dangling}"


def _tiny_book(tmp_path, box_label, appendix_text):
    chapter = tmp_path / "chapters" / "x"
    chapter.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(
        "# A page\n\n"
        f"({box_label})=\n"
        "```{admonition} Erratum: something the slide gets wrong\n:class: warning\nText.\n```\n"),
        nbformat.v4.new_markdown_cell("(other-label)=\n## A section\n")]
    nbformat.write(notebook, chapter / "page.ipynb")
    appendix = tmp_path / "chapters" / "appendix" / "errata.md"
    appendix.parent.mkdir(parents=True)
    appendix.write_text(appendix_text, encoding="utf-8")
    return appendix


def test_a_planted_box_missing_from_the_appendix_is_caught(tmp_path):
    appendix = _tiny_book(tmp_path, "erratum-planted",
                          "# Errata\n\nSee {ref}`the section <other-label>`.\n")
    missing, unlabelled = missing_from_appendix(tmp_path, appendix)
    assert list(missing) == ["erratum-planted"] and not unlabelled
    assert dangling_refs(tmp_path, appendix) == []
    # once listed, it passes
    appendix.write_text("See {ref}`the box <erratum-planted>`.\n", encoding="utf-8")
    assert missing_from_appendix(tmp_path, appendix) == ({}, [])


def test_a_planted_dangling_ref_is_caught(tmp_path):
    appendix = _tiny_book(tmp_path, "erratum-planted",
                          "{ref}`erratum-planted`, {ref}`gone <erratum-deleted>`\n")
    assert missing_from_appendix(tmp_path, appendix) == ({}, [])
    assert dangling_refs(tmp_path, appendix) == ["erratum-deleted"]


def test_a_planted_box_without_label_is_caught(tmp_path):
    chapter = tmp_path / "chapters" / "y"
    chapter.mkdir(parents=True)
    (chapter / "page.md").write_text(
        "# Page\n\n```{admonition} Erratum: no label\nText.\n```\n", encoding="utf-8")
    appendix = tmp_path / "errata.md"
    appendix.write_text("# Errata\n", encoding="utf-8")
    missing, unlabelled = missing_from_appendix(tmp_path, appendix)
    assert missing == {} and [t for _, t in unlabelled] == ["Erratum: no label"]
