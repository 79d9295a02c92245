"""The fixture of the exercise tests: ``notebook(name)``, a solution notebook run once per test session."""
import pytest
from notebook_runner import Notebook


@pytest.fixture(scope="session")
def notebook():
    """``notebook(name, leave_out=())``: exercises/solutions/`name` with its code cells run (once, then reused).

    Returns a :class:`notebook_runner.Notebook`; ``notebook(name).check(marker, **answers)`` reruns the check cell
    containing `marker` with wrong answers swapped in, ``notebook(name).ns`` is the namespace after the run.
    """
    loaded = {}

    def load(name, leave_out=()):
        key = (name, tuple(leave_out))
        if key not in loaded:
            loaded[key] = Notebook(name, leave_out)
        return loaded[key]

    return load
