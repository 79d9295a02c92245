"""make test stops at once when a notebook of the book fails, and says which notebook, cell and assert.

A temporary copy of the repository gets a deliberately failing assert in the book's first notebook; its
``tests/run_all.sh`` runs with a pytest test that would otherwise wait ten minutes. The run must exit non-zero
long before that, name the notebook, the cell and the assert, and leave the rest of the book unexecuted.
"""
import os
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from toc import toc_files

import execute_notebooks

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
ASSERT = 'assert 1 + 1 == 3, "a deliberately failing assert"'


def _copy_of_the_repository(dest):
    subprocess.run(f"tar --exclude=./.venv --exclude=./node_modules --exclude=./_build --exclude=./.git "
                   f"--exclude=./_vendor -cf - . | tar -xf - -C {dest}", shell=True, cwd=ROOT, check=True)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    (dest / "_vendor").symlink_to(ROOT / "_vendor")


def _first_notebook():
    return next(f + ".ipynb" for f in toc_files() if (ROOT / (f + ".ipynb")).exists())


def test_a_failing_notebook_stops_make_test_at_once(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _copy_of_the_repository(repo)
    first = _first_notebook()
    nb = nbformat.read(repo / first, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    nb.cells.insert(code[1] + 1, nbformat.v4.new_code_cell("x = 2\n" + ASSERT + "\ny = 3"))
    nbformat.write(nb, repo / first)
    (repo / "tests" / "test_waits.py").write_text("import time\n\ndef test_waits():\n    time.sleep(600)\n")
    env = {k: v for k, v in os.environ.items() if k not in ("NNLIB_BOOK_DIR", "PYTEST_XDIST_WORKER")}
    start = time.monotonic()
    proc = subprocess.run(["bash", "tests/run_all.sh", "2", "tests/test_waits.py"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=500)
    elapsed = time.monotonic() - start
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert first in out and "cell" in out and ASSERT in out, out
    assert "AssertionError: a deliberately failing assert" in out, out
    assert elapsed < 240, f"make test took {elapsed:.0f} s to stop after a failing notebook:\n{out}"
    book_dir = next(l.split("full log: ")[1].rstrip(")") for l in out.splitlines() if "full log: " in l)
    log = Path(book_dir).read_text()
    executed = sum(line.startswith("ok ") for line in log.splitlines())
    assert executed < 10, f"the rest of the book went on after the failure ({executed} notebooks ran):\n{log}"


def test_the_runner_names_the_cell_and_the_line(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A page"), nbformat.v4.new_code_cell("a = 1"),
                nbformat.v4.new_code_cell("b = 2\n" + ASSERT)]
    path = tmp_path / "page.ipynb"
    nbformat.write(nb, path)
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), execute_notebooks.__file__, str(path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "page.ipynb, cell 2 (code cell 2)" in proc.stdout, proc.stdout
    assert f"at: {ASSERT}" in proc.stdout, proc.stdout


def test_a_notebook_over_its_budget_fails_and_the_table_says_so(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\ns = sum(float(np.sqrt(i)) for i in range(300_000))")]
    path = tmp_path / "heavy.ipynb"
    nbformat.write(nb, path)
    table = tmp_path / "budget.md"
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), execute_notebooks.__file__, "--cpu-limit", "0.01",
                           "--table", str(table), str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "s of CPU (limit 0.01 s on one core)" in proc.stdout, proc.stdout
    row = next(l for l in table.read_text().splitlines() if "heavy.ipynb" in l)
    assert row.endswith("| NO |") and "numpy" not in row, row
