"""Shared by every test folder: the test helpers in tests/ (toc, notebook_runner, minibook, execute_notebooks,
portable) are importable by name, beside the folders that mirror nnlib's parts.

A test that reads the built book (it uses the fixture ``book``, or ``server`` or ``book_log`` which use it) is
marked ``needs_book`` here, whatever its module: make test runs every other test beside the book build
(``pytest -m "not needs_book"``, one module per worker: the unit tests, and the slow tests that build a
one-page book of their own or check that a failing notebook stops make test), then the ``needs_book`` tests
once the book is built. ``make test-fast`` runs only the tests not marked slow.
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

#: The fixtures of tests/book/conftest.py that give the built book (_build/html) or what its build printed.
BUILT_BOOK = {"book", "server", "book_log"}


def pytest_collection_modifyitems(items):
    for item in items:
        if BUILT_BOOK & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.needs_book)
