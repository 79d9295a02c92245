"""Run an exercise notebook's solution cells once, then rerun one check cell with wrong answers swapped in.

Shared by the exercise tests (tests/check/): they prove each check rejects plausible wrong answers with the
notebook's own check cells. ``tests/check/conftest.py`` gives them the fixture ``notebook(name)``.
"""
import contextlib
import io
from pathlib import Path

import nbformat

SOLUTIONS = Path(__file__).resolve().parents[1] / "exercises" / "solutions"


class Notebook:
    """The code cells of a solution notebook, run once; `check(marker, **answers)` reruns one check cell.

    Cells tagged ``remove-cell`` (the Colab set-up) or ``solution-only`` are left out, and so is every cell
    containing one of the strings in `leave_out` (e.g. a training cell the checks do not need).
    """

    def __init__(self, name, leave_out=()):
        nb = nbformat.read(SOLUTIONS / name, as_version=4)
        skip = {"remove-cell", "solution-only"}
        self.name = name
        self.cells = [c.source for c in nb.cells
                      if c.cell_type == "code" and not skip & set(c.metadata.get("tags", []))
                      and not any(text in c.source for text in leave_out)]
        self.ns = {}
        self.printed = "".join(self._run(source, self.ns) for source in self.cells)
        self._after_the_run = dict(self.ns)
        with contextlib.suppress(ImportError):  # close the notebook's figures
            import matplotlib.pyplot as plt
            plt.close("all")

    def _run(self, source, namespace):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(source, self.name, "exec"), namespace)  # noqa: S102 - the repository's own notebook
        return out.getvalue()

    def check(self, marker, **answers):
        """Output of the one check cell containing `marker`, run with `answers` in place of the solutions.

        The cell runs in the notebook's own namespace (the solutions' functions look their helpers up there),
        which is put back as the run left it afterwards: `ns` always holds the solutions, and one check never
        changes what the next one sees.
        """
        cells = [c for c in self.cells if marker in c and "check.check_" in c]
        if len(cells) != 1:
            raise LookupError(f"{self.name}: {len(cells)} check cells contain {marker!r}; give a marker of one")
        self.ns.update(answers)
        try:
            return self._run(cells[0], self.ns)
        finally:
            self.ns.clear()
            self.ns.update(self._after_the_run)


def assert_rejected(out, *words):
    """The printed `out` of a check rejects the answer kindly: the Expected/Got/Hint message, `words`, no traceback.

    `out` may hold more than one check's message (a notebook cell that runs several): one of them must be a
    rejection.
    """
    assert "✘ Not quite." in out, out
    for word in ("Expected:", "Got:", "Hint:", *words):
        assert word in out, f"{word!r} missing from:\n{out}"
    assert "Traceback" not in out and "could not use" not in out, out
    return out
