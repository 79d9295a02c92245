"""Run an exercise notebook's solution cells once, then rerun one check cell with wrong answers swapped in.

Shared by the exercise tests: they prove each check rejects plausible wrong answers with the notebook's own
check cells.
"""
import contextlib
import io
from pathlib import Path

import nbformat

SOLUTIONS = Path(__file__).resolve().parents[1] / "exercises" / "solutions"


class Notebook:
    """The code cells of a solution notebook, run once; `check(cell_marker, **answers)` reruns one check cell."""

    def __init__(self, name):
        nb = nbformat.read(SOLUTIONS / name, as_version=4)
        skip = {"remove-cell", "solution-only"}
        self.cells = [c.source for c in nb.cells
                      if c.cell_type == "code" and not skip & set(c.metadata.get("tags", []))]
        self.ns = {}
        for source in self.cells:
            self._run(source)
        self.solutions = dict(self.ns)

    def _run(self, source):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(source, self.ns)  # noqa: S102 - the repository's own notebook
        return out.getvalue()

    def check(self, marker, **answers):
        """Output of the check cell containing `marker`, with `answers` in place of the solutions."""
        self.ns.update(self.solutions)
        self.ns.update(answers)
        cell = next(c for c in self.cells if marker in c and "check.check_" in c)
        return self._run(cell)


def assert_rejected(out, *words):
    assert "✘ Not quite." in out, out
    assert "Traceback" not in out and "could not use" not in out, out
    for word in words:
        assert word in out, f"{word!r} missing from:\n{out}"
