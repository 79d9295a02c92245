"""Generate the student versions of the exercise notebooks from their solutions.

How the exercises are made
--------------------------
``exercises/solutions/NN-name.ipynb`` is the one source of truth of an exercise: text, the
solution and the checks. Inside a code cell the solution sits between two marker lines::

    def tanh_prime(z):
        ### BEGIN SOLUTION
        return 1 - np.tanh(z) ** 2
        ### END SOLUTION

``exercises/NN-name.ipynb``, the student version, is generated from it: every block from
``### BEGIN SOLUTION`` to ``### END SOLUTION`` (markers included) becomes one
``raise NotImplementedError("...")`` line with the indentation of the BEGIN marker; outputs and
execution counts are removed; the markdown cells that hold nothing but a sphinx-exercise gated
directive (```` ```{exercise-start} ````, ``exercise-end``, ``solution-start``, ``solution-end``)
are dropped, since only the book uses them; so are the cells tagged ``solution-only``: prose that
would give the answer away, and the solution notebook's last cell, which asserts that every check
passed (also tagged ``remove-cell``, so the book hides it; nbval then fails on a broken solution).
Everything else is copied as it is, so the output is
the same for the same input.

The book shows the *solution* notebooks: their gated directives put the task in an exercise box
and the solution cells in a collapsed dropdown.

Usage (from the repository root)::

    python exercises/make_student.py            # write every student version
    python exercises/make_student.py --check    # exit 1 and list the stale ones; write nothing
    python exercises/make_student.py --out DIR  # write them into DIR instead

After editing a solution notebook, run the first command and commit both notebooks;
``tests/test_exercises.py`` fails while a student version is stale.
"""

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOLUTIONS = HERE / "solutions"
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
MESSAGE = "Your turn: write your answer here, then run the check below."
NB_VERSION = 4

# A markdown cell whose whole text is one gated directive of sphinx-exercise.
_GATED = re.compile(r"\A\s*(`{3,}|:{3,})\{(exercise|solution)-(start|end)\}[^\n]*\n"
                    r"(?:[ \t]*:[\w-]+:[^\n]*\n)*"  # option lines only, no text
                    r"[ \t]*\1[ \t]*\n?\s*\Z")
SOLUTION_ONLY = "solution-only"  # tag of code cells kept out of the student version


def strip_solution(source, where="cell"):
    """Replace each solution block of a code cell's `source` by ``raise NotImplementedError(...)``.

    Parameters
    ----------
    source : str
        The code cell's text.
    where : str
        Names the cell in error messages, e.g. ``"01-sigmoid-derivative.ipynb, cell 7"``.

    Raises
    ------
    ValueError
        If the markers are unbalanced (nested, an END without a BEGIN, or a BEGIN without an END).
    """
    out, indent = [], None
    for number, line in enumerate(source.split("\n"), start=1):
        text = line.strip()
        if text == BEGIN:
            if indent is not None:
                raise ValueError(f"{where}, line {number}: {BEGIN!r} inside another solution block")
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("{MESSAGE}")')
        elif text == END:
            if indent is None:
                raise ValueError(f"{where}, line {number}: {END!r} without a {BEGIN!r} before it")
            indent = None
        elif indent is None:
            out.append(line)
    if indent is not None:
        raise ValueError(f"{where}: {BEGIN!r} without an {END!r} after it")
    return "\n".join(out)


def is_gated_directive(cell):
    """True for a markdown cell that holds only a sphinx-exercise ``-start``/``-end`` directive."""
    return cell.cell_type == "markdown" and _GATED.match(cell.source + "\n") is not None


def make_student(nb, name="notebook"):
    """Return the student version of the solution notebook `nb` (a new NotebookNode)."""
    student = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(student.cells):
        if is_gated_directive(cell) or SOLUTION_ONLY in cell.metadata.get("tags", []):
            continue
        cell.setdefault("id", f"cell-{index}")
        if cell.cell_type == "code":
            cell.source = strip_solution(cell.source, f"{name}, cell {index}")
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        cells.append(cell)
    student.cells = cells
    student.metadata.pop("widgets", None)
    return student


def render(solution_path):
    """The student version of the notebook at `solution_path`, as the text to write."""
    path = Path(solution_path)
    nb = nbformat.read(path, as_version=NB_VERSION)
    student = make_student(nb, path.name)
    nbformat.validate(student)
    return nbformat.writes(student)


def solution_paths(solutions=SOLUTIONS):
    """The solution notebooks, sorted by name."""
    return sorted(Path(solutions).glob("[0-9]*.ipynb"))


def stale(solutions=SOLUTIONS, out=HERE):
    """Names of the student notebooks in `out` that are missing or differ from a fresh generation."""
    found = []
    for path in solution_paths(solutions):
        target = Path(out) / path.name
        if not target.exists() or target.read_text(encoding="utf-8") != render(path):
            found.append(target.name)
    return found


def write_all(solutions=SOLUTIONS, out=HERE):
    """Write the student version of every solution notebook into `out`; return the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in solution_paths(solutions):
        target = out / path.name
        text = render(path)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate the student exercise notebooks from the solutions.")
    parser.add_argument("--check", action="store_true", help="list stale student notebooks, exit 1 if any")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the student notebooks")
    args = parser.parse_args(argv)
    if args.check:
        names = stale(out=args.out)
        for name in names:
            print(f"stale: {args.out / name} (run: python exercises/make_student.py)")
        return 1 if names else 0
    written = write_all(out=args.out)
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("all student notebooks are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
