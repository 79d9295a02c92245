"""The fixtures of the exercise tests: ``notebook(name)``, a solution notebook run once per test session, and
the checks' messages on one line each."""
import pytest
from notebook_runner import Notebook

from nnlib.check import _feedback


@pytest.fixture(autouse=True)
def one_line_messages(monkeypatch):
    """The checks' messages unwrapped, one line each, so that a test can look for a phrase in them.

    A student sees them wrapped at 80 columns (``_feedback._WIDTH``); test_check.py tests the wrapping.
    """
    monkeypatch.setattr(_feedback, "_WIDTH", None)


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """The checks speak English in these tests, whatever NNLIB_LANG says (test_language.py tests Spanish)."""
    monkeypatch.setattr(_feedback, "_LANGUAGE", "en")


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
