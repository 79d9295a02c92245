"""make test stops at once when a notebook of the book fails, and says which notebook, cell and assert.

A temporary copy of the repository gets a deliberately failing assert in the book's first notebook, and its
unit tests are one test that would run ten minutes. ``make test`` runs the book build and the unit tests side by
side (make -j2); the failing notebook must stop both long before that: make test exits non-zero, names the
notebook, the cell and the assert, leaves the rest of the book unexecuted, and the unit test's process is gone.
"""
import os
import signal
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
WAITS = """import os, pathlib, time

def test_waits():
    pathlib.Path("waiting.pid").write_text(str(os.getpid()))
    time.sleep(600)
"""


def _copy_of_the_repository(dest):
    subprocess.run(f"tar --exclude=./.venv --exclude=./node_modules --exclude=./_build --exclude=./.git "
                   f"--exclude=./_vendor -cf - . | tar -xf - -C {dest}", shell=True, cwd=ROOT, check=True)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    (dest / "_vendor").symlink_to(ROOT / "_vendor")
    # The copy shares .venv and _vendor with the repository: its make must never remake them (a pip install -e
    # from the copy would point the shared nnlib at it). Its inputs are made older than their stamps.
    for name in ("requirements.txt", "pyproject.toml", "package.json", "package-lock.json"):
        os.utime(dest / name, (0, 0))


def _first_notebook():
    return next(f + ".ipynb" for f in toc_files() if (ROOT / (f + ".ipynb")).exists())


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_a_failing_notebook_stops_make_test_at_once(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _copy_of_the_repository(repo)
    first = _first_notebook()
    nb = nbformat.read(repo / first, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    # The notebook fails once the unit test beside it is running (it has written its pid), so that the run
    # proves the unit tests are stopped, not merely that they had not started.
    wait = (f"import pathlib, time\nfor _ in range(600):\n    if pathlib.Path({str(repo / 'waiting.pid')!r}).exists():"
            f"\n        break\n    time.sleep(0.2)\n")
    nb.cells.insert(code[1] + 1, nbformat.v4.new_code_cell(wait + "x = 2\n" + ASSERT + "\ny = 3"))
    nbformat.write(nb, repo / first)
    (repo / "tests" / "test_waits.py").write_text(WAITS)
    (repo / "tests" / "test_fail_fast.py").unlink()   # were make test to go on, never this test inside itself
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "PYTEST_XDIST_WORKER")}
    dry = subprocess.run(["make", "-n", "venv", "assets"], cwd=repo, env=env, capture_output=True, text=True)
    assert "pip" not in dry.stdout and "npm" not in dry.stdout, f"the copy would remake .venv or _vendor:\n{dry.stdout}"
    cmd = ["make", "test", "UNIT=tests/test_waits.py"]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=500)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)   # make test's trap stops the jobs it started
        out, _ = proc.communicate()
    elapsed = time.monotonic() - start
    assert proc.returncode != 0, out
    assert first in out and "cell" in out and ASSERT in out, out
    assert "AssertionError: a deliberately failing assert" in out, out
    assert elapsed < 240, f"make test took {elapsed:.0f} s to stop after a failing notebook:\n{out}"
    executed = sum(line.startswith("ok ") for line in out.splitlines())
    assert executed < 10, f"the rest of the book went on after the failure ({executed} notebooks ran):\n{out}"
    pid = int((repo / "waiting.pid").read_text())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(pid), f"the unit test beside the failing book (pid {pid}) is still running:\n{out}"


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


def test_keep_going_replaces_a_worker_that_dies(tmp_path):
    """The runner's workers live for the whole run; one that dies (here its notebook kills it) is reported as
    that notebook's failure and, with --keep-going, a fresh worker runs the notebooks after it."""
    paths = []
    for name, code in [("kills.ipynb", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"),
                       ("after.ipynb", "x = 1 + 1\nassert x == 2")]:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(code)]
        nbformat.write(nb, tmp_path / name)
        paths.append(str(tmp_path / name))
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), execute_notebooks.__file__, "--jobs", "1",
                           "--keep-going", *paths], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "kills.ipynb, the notebook as a whole" in proc.stdout and "the notebook runner exited" in proc.stdout
    assert any(l.startswith("ok") and l.endswith("after.ipynb") for l in proc.stdout.splitlines()), proc.stdout
    assert "2 notebooks executed" in proc.stdout and "1 failed" in proc.stdout, proc.stdout


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


def test_a_kernel_that_dies_before_any_cell_is_started_again(tmp_path, monkeypatch, capsys):
    """Two kernels starting at once can race for ports and one dies before kernel_info: that is retried; the
    notebook's own cells run once."""
    import nbclient

    path = tmp_path / "ok.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1 + 1\nassert x == 2")]
    nbformat.write(nb, path)
    real, calls = nbclient.NotebookClient.execute, []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(nbclient.NotebookClient, "execute", flaky)
    monkeypatch.setattr(execute_notebooks.signal, "signal", lambda *args: None)  # keep pytest's SIGTERM handler
    execute_notebooks.run_one(path, None, 60)
    out = capsys.readouterr()
    assert len(calls) == 2 and '"ok": true' in out.out, out
    assert "kernel did not start" in out.err

