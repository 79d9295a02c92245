"""The exercise notebooks: student versions up to date, no solution left in them, and they run.

The solution notebooks are pages of the book: ``make test`` executes them with the chapters
(tests/execute_notebooks.py), and ``make test-portable`` under several BLAS kernels; not here.
"""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from execute_notebooks import client_class

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
SOLUTIONS = sorted((EXERCISES / "solutions").glob("[0-9]*.ipynb"))
STUDENTS = sorted(EXERCISES.glob("[0-9]*.ipynb"))


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_student", EXERCISES / "make_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ms = _load_generator()


def _read(path):
    return nbformat.read(path, as_version=4)


def _code_sources(nb):
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def _solution_lines(source):
    """The lines between the markers of one code cell."""
    lines, inside = [], False
    for line in source.split("\n"):
        if line.strip() == ms.BEGIN:
            inside = True
        elif line.strip() == ms.END:
            inside = False
        elif inside:
            lines.append(line.strip())
    return lines


def test_every_solution_has_a_student_version_and_back():
    assert SOLUTIONS, "no solution notebooks found"
    assert [p.name for p in SOLUTIONS] == [p.name for p in STUDENTS]


def test_student_versions_are_up_to_date(tmp_path):
    written = ms.write_all(out=tmp_path)
    assert sorted(p.name for p in written) == [p.name for p in SOLUTIONS]
    for path in STUDENTS:
        fresh, committed = _read(tmp_path / path.name), _read(path)
        assert [(c.cell_type, c.source) for c in committed.cells] == [(c.cell_type, c.source) for c in fresh.cells], (
            f"{path.name} is stale: run `python exercises/make_student.py`")
        assert path.read_text(encoding="utf-8") == (tmp_path / path.name).read_text(encoding="utf-8"), (
            f"{path.name} differs from a fresh generation (metadata or format): run `python exercises/make_student.py`")
    assert ms.stale() == []


def test_generation_is_deterministic(tmp_path):
    for path in SOLUTIONS:
        assert ms.render(path) == ms.render(path)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_markers_are_balanced(path):
    nb = _read(path)
    blocks = 0
    for index, cell in enumerate(nb.cells):
        text = cell.source
        if cell.cell_type != "code":
            assert ms.BEGIN not in text and ms.END not in text, f"cell {index}: markers outside a code cell"
            continue
        ms.strip_solution(text, f"{path.name}, cell {index}")  # raises on unbalanced markers
        begins = sum(line.strip() == ms.BEGIN for line in text.split("\n"))
        ends = sum(line.strip() == ms.END for line in text.split("\n"))
        assert begins == ends, f"cell {index}: {begins} BEGIN and {ends} END markers"
        blocks += begins
    assert blocks > 0, f"{path.name} has no solution block"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_student_version_has_no_solution_left(path):
    student = _read(EXERCISES / path.name)
    code = "\n".join(_code_sources(student))
    assert ms.BEGIN not in code and ms.END not in code
    student_lines = {line.strip() for line in code.split("\n")}
    for source in _code_sources(_read(path)):
        for line in _solution_lines(source):
            if len(line) >= 10 and not line.startswith("#"):
                assert line not in student_lines, f"solution line left in the student version: {line!r}"
    assert f'raise NotImplementedError("{ms.MESSAGE}")' in code
    assert not any(ms.SOLUTION_ONLY in c.metadata.get("tags", []) for c in student.cells)


@pytest.mark.parametrize("path", SOLUTIONS + STUDENTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_notebooks_are_committed_without_outputs(path):
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_notebook_reads_well_in_the_book(path):
    nb = _read(path)
    number = int(path.name[:2])
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith(f"# Exercise {number}: ")
    # sphinx-exercise's gated directives: start/end alternate, every solution names an exercise of the page.
    sequence, labels, targets = [], set(), []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for kind, edge, rest in re.findall(r"\{(exercise|solution)-(start|end)\}([^\n]*\n(?:[ \t]*:.*\n)*)",
                                           cell.source + "\n"):
            sequence.append((kind, edge))
            if kind == "exercise" and edge == "start":
                label = re.search(r":label:\s*(\S+)", rest)
                assert label, f"exercise-start without :label: in {path.name}"
                labels.add(label.group(1))
            if kind == "solution" and edge == "start":
                targets.append(rest.split("\n")[0].strip())
                assert ":class: dropdown" in rest, "the solution must be a collapsed dropdown"
        if "{" in cell.source and "-start}" in cell.source:
            assert ms.is_gated_directive(cell), f"a gated directive cell with more than options:\n{cell.source}"
    assert sequence, f"{path.name} has no gated exercise"
    for (kind, edge), (kind2, edge2) in zip(sequence[::2], sequence[1::2]):
        assert (edge, edge2, kind) == ("start", "end", kind2), sequence
    assert len(sequence) % 2 == 0
    assert targets and set(targets) <= labels


def test_strip_solution_keeps_indentation_and_the_rest():
    source = ("def f(z):\n    \"\"\"Doc.\"\"\"\n"
              "    ### BEGIN SOLUTION\n    y = z\n    return y\n    ### END SOLUTION\n\nx = 1")
    assert ms.strip_solution(source) == (
        f'def f(z):\n    """Doc."""\n    raise NotImplementedError("{ms.MESSAGE}")\n\nx = 1')


@pytest.mark.parametrize("source", [
    "### BEGIN SOLUTION\nx = 1",
    "x = 1\n### END SOLUTION",
    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n### END SOLUTION",
])
def test_strip_solution_rejects_unbalanced_markers(source):
    with pytest.raises(ValueError, match="SOLUTION"):
        ms.strip_solution(source, "cell 3")


def test_only_directive_only_cells_are_dropped():
    md = nbformat.v4.new_markdown_cell
    assert ms.is_gated_directive(md("```{exercise-start} A title\n:label: ex-a\n:nonumber:\n```"))
    assert ms.is_gated_directive(md("```{solution-end}\n```"))
    assert not ms.is_gated_directive(md("```{exercise-start}\n:label: ex-a\nThe task, in prose.\n```"))
    assert not ms.is_gated_directive(md("```{solution-end}\n```\nMore text."))
    assert not ms.is_gated_directive(md("```{note}\n:class: dropdown\n```"))


def test_check_mode_lists_stale_notebooks(tmp_path, capsys):
    assert ms.main(["--check", "--out", str(tmp_path)]) == 1
    assert "stale" in capsys.readouterr().out
    assert ms.main(["--out", str(tmp_path)]) == 0
    assert ms.main(["--check", "--out", str(tmp_path)]) == 0


# Run before each student notebook in the shared kernel: an empty namespace, no result of an earlier notebook's
# checks, the exercises' folder as the working directory (what a fresh kernel would give).
FRESH = ("get_ipython().run_line_magic('reset', '-f')\n"
         "import os, sys\nos.chdir({folder!r})\n"
         "if 'nnlib.check._feedback' in sys.modules: sys.modules['nnlib.check._feedback']._RESULTS.clear()\n")


@pytest.fixture(scope="module")
def kernel():
    """One kernel for all the student notebooks (a fresh one for each cost about 1.5 s of CPU: 33 of them ran
    beside the book build in make test), its namespace emptied before each notebook (``FRESH``)."""
    client = client_class()(nbformat.v4.new_notebook(), kernel_name="python3", timeout=120, allow_errors=True,
                            resources={"metadata": {"path": str(EXERCISES)}})
    client.km = client.create_kernel_manager()
    client.start_new_kernel()
    client.start_new_kernel_client()
    yield client
    client._cleanup_kernel()


def _run_in(client, nb):
    client.nb = nb
    client.reset_execution_trackers()
    client.execute_cell(nbformat.v4.new_code_cell(FRESH.format(folder=str(EXERCISES))), -1, store_history=False)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            client.execute_cell(cell, index)


@pytest.mark.parametrize("path", STUDENTS, ids=lambda p: p.stem)
def test_student_notebook_runs_and_fails_only_with_not_implemented(path, kernel):
    nb = _read(path)
    _run_in(kernel, nb)
    checks = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert all(o.ename == "NotImplementedError" for o in errors), (
            f"cell {index} failed with {[(o.ename, o.evalue) for o in errors]}")
        if "check.check_" in cell.source:
            checks += 1
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert not errors, f"check cell {index} shows a traceback"
            assert "Not answered yet" in text, f"check cell {index} printed {text!r}"
            assert "Traceback" not in text
    assert checks > 0
