"""How make test schedules the tests on its workers (pytest-xdist, ``--dist loadgroup``).

- The book's tests (tests/book/test_book*.py) run last: under make test they wait for the book build started in the
  background (tests/run_all.sh).
- Each test module is one group, so its module-scoped fixtures (an executed exercise notebook, a browser) are
  set up once, on one worker — as ``--dist loadfile`` would do — except the page-by-page browser check, whose
  pages are split into two groups so that both workers check pages once the book is built.
"""
import sys
from pathlib import Path

import pytest

# The test helpers (notebook_runner, minibook, toc, execute_notebooks) live in tests/, beside the folders
# that mirror nnlib's parts.
sys.path.insert(0, str(Path(__file__).resolve().parent))

PAGE_GROUPS = 2


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups
def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.nodeid.startswith("tests/book/test_book"))  # stable: keeps the rest in order
    pages = 0
    for item in items:
        group = item.nodeid.split("::")[0]
        if group.endswith("test_book_pages.py"):
            group += f"[{pages % PAGE_GROUPS}]"
            pages += 1
        item.add_marker(pytest.mark.xdist_group(group))
