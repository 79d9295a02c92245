"""Shared by every test folder: the test helpers in tests/ (toc, notebook_runner, minibook, execute_notebooks,
portable) are importable by name, beside the folders that mirror nnlib's parts.

No hook here orders or groups the tests: make test runs the unit tests beside the book build
(``pytest -m "not slow"``, one module per worker), then the tests marked slow once the book is built.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
