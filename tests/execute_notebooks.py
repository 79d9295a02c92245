"""Execute notebooks in parallel, stop at the first failure, and measure each one's time and peak memory.

    python tests/execute_notebooks.py [options] NOTEBOOK...

The driver starts ``--jobs`` worker processes (``--serve``) and hands each one notebook at a time (one line on
its standard input); a worker starts a fresh kernel of the project for every notebook, with the notebook's
folder as working directory, and executes it with nbclient (``--one`` runs a single notebook the same way). The
workers live as long as the run: the Python that drives nbclient starts once per job, not once per notebook.
When a cell raises (a failing assert), the driver kills every other running notebook at once, prints the
notebook, the cell and the error (the assert's line and message), and exits 1 — a broken page stops the run
within seconds, not at its end.

One extra cell, appended at the end and never saved, reads in the kernel its CPU time (user + system, its
own and its reaped children's), its peak resident memory (``getrusage``), and the BLAS kernel it really ran
(threadpoolctl); a notebook that fails before that cell is measured from the kernel the worker reaped. The
driver writes a table of them (``--table``) and fails if a notebook is above the budget: ``--cpu-limit`` seconds of CPU (with one BLAS
thread, the time the notebook takes on one core, whatever the machine's load) and ``--mem-limit`` MiB.

``--expect-arch NAME`` fails unless every kernel reports that OpenBLAS kernel (the portable run uses it to
prove that ``OPENBLAS_CORETYPE`` really took effect). ``--cache DIR`` stores each executed notebook in a
jupyter-cache at DIR, the notebooks themselves stay untouched: the book build (tests/build_book.py) fills it, then
Jupyter Book takes every notebook's outputs from it (``execute_notebooks: cache``) instead of executing it again.
"""
import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import json as _j, resource as _r, numpy as _np, threadpoolctl as _t\n"
         "_u = [_r.getrusage(w) for w in (_r.RUSAGE_SELF, _r.RUSAGE_CHILDREN)]\n"
         "print('NNLIB-PROBE ' + _j.dumps({'blas': [{k: i.get(k) for k in ('internal_api', 'architecture', "
         "'num_threads')} for i in _t.threadpool_info()], 'cpu': sum(u.ru_utime + u.ru_stime for u in _u), "
         "'peak_kib': max(u.ru_maxrss for u in _u)}))")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Run first in every kernel, never saved: the book's figures are drawn at twice the pixels ('retina', sharp on a
# high-density screen, shown at their size in inches) and every PNG records its smallest text and a description
# (nnlib.book.figures: the alt text of the page's image, and what tests/book/layout.py measures).
# No progress bar is saved either (it would show the build machine's speed): tqdm's notebook bar ignores
# TQDM_DISABLE (it passes disable=False itself), so its constructor gets disable=True as a default.
SETUP = ("%config InlineBackend.figure_formats = ['retina']\n"
         "from nnlib.book import figures as _figures\n_figures.install()\ndel _figures\n"
         "import functools as _ft, tqdm.auto as _ta\n"
         "_ta.tqdm.__init__ = _ft.partialmethod(_ta.tqdm.__init__, disable=True)\ndel _ft, _ta")
KERNEL_ENV = {"TQDM_DISABLE": "1"}  # and the terminal bar


# ------------------------------------------------------------------------------------------ one notebook
def _error_of(nb):
    """(cell index, code cell number, source line, 'Name: message') of the cell that raised, from its outputs."""
    code_no = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        code_no += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                tb = [ANSI.sub("", t) for t in out.get("traceback", [])]
                # IPython marks the failing line with ----> in the frame of the cell itself (the first frame).
                lines = "\n".join(tb).splitlines()
                marked = [l for l in lines if re.match(r"\s*-+>", l)]
                line = re.sub(r"^\s*-+>\s*\d*\s*", "", marked[0]) if marked else ""
                return i, code_no, line.strip(), f"{out.get('ename')}: {out.get('evalue')}"
    return None


#: How many times a kernel that dies before running any cell is started.
KERNEL_STARTS = 3

#: Seconds of one wait for the kernel's reply on its shell channel (see :func:`_wait_in_slices`).
SHELL_SLICE = 0.5


def _wait_in_slices(channel):
    """Make `channel.get_msg(timeout)` wait in slices of :data:`SHELL_SLICE` seconds, up to `timeout` in all.

    nbclient awaits a cell's ``execute_reply`` with one ``poll`` of the shell socket for the whole cell
    timeout. When the cell opens widgets (the live explorers), that poll can miss the reply's wake-up and sleep
    until the timeout expires, then find the reply: the cell takes 300 s instead of 1 s
    (jupyter/nbclient#312; seen in one run of three of learning-rate.ipynb). A poll that ends every half
    second looks at the socket again, so a missed wake-up costs half a second."""
    from queue import Empty
    one_wait = channel.get_msg

    async def get_msg(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SHELL_SLICE if deadline is None else min(SHELL_SLICE, deadline - time.monotonic())
            try:
                return await one_wait(timeout=max(left, 0))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    channel.get_msg = get_msg


def client_class():
    """nbclient's NotebookClient, waiting for each reply in slices (:func:`_wait_in_slices`)."""
    from nbclient import NotebookClient

    class Client(NotebookClient):
        async def async_start_new_kernel_client(self):
            kc = await super().async_start_new_kernel_client()
            _wait_in_slices(kc.shell_channel)
            return kc

    return Client


def run_one(path, save, timeout):
    """Execute one notebook; print one JSON line with the outcome and the measures; if it ran, write it to save."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP))
    os.environ.update(KERNEL_ENV)
    # No timing in the cells' metadata: jupyter-cache matches a notebook by its code cells and their metadata.
    def new_client():
        return client_class()(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                              resources={"metadata": {"path": str(path.parent)}})

    client = new_client()
    result = {"notebook": str(path), "ok": True}

    def kill_kernel(*_):  # stopped by the driver: take the kernel (a session of its own) down with us
        try:
            os.killpg(os.getpgid(client.km.provisioner.process.pid), signal.SIGKILL)
        except Exception:
            pass
        os._exit(143)

    signal.signal(signal.SIGTERM, kill_kernel)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # the kernels this worker reaped so far
    start = time.perf_counter()
    try:
        for attempt in range(KERNEL_STARTS):
            try:
                client.execute()
                break
            except RuntimeError as err:
                # The kernel died before it ran a single cell (two kernels starting at once can race for the
                # same ports): start a fresh one. A kernel that dies while a cell runs is not retried.
                if "before replying to kernel_info" not in str(err) or attempt == KERNEL_STARTS - 1:
                    raise
                print(f"kernel did not start ({err}); starting another", file=sys.stderr, flush=True)
                client = new_client()
    except CellTimeoutError as err:
        result.update(ok=False, error=f"a cell ran longer than {timeout} s ({err.__class__.__name__})")
    except CellExecutionError as err:
        found = _error_of(nb)
        if found:
            i, code_no, line, msg = found
            i, code_no = i - 1, code_no - 1  # the set-up cell is not the notebook's
            result.update(ok=False, cell=i, code_cell=code_no, line=line, error=msg)
        else:
            result.update(ok=False, error=str(err)[-2000:])
    except Exception as err:  # the kernel died (out of memory, a crash): say so
        result.update(ok=False, error=f"{type(err).__name__}: {err}")
    result["wall"] = time.perf_counter() - start
    # Without the probe's reading (the notebook failed first): what the reaped kernel used. Its peak is the
    # largest of every kernel this worker reaped, an upper bound.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["cpu"] = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    result["peak_mib"] = usage.ru_maxrss / 1024  # Linux reports KiB
    probe = nb.cells.pop()
    nb.cells.pop(0)
    for cell in nb.cells:  # numbered as if the set-up cell had not run
        if cell.cell_type == "code" and cell.get("execution_count"):
            cell.execution_count -= 1
            for out in cell.get("outputs", []):
                if out.get("execution_count"):
                    out["execution_count"] -= 1
    for out in probe.get("outputs", []):
        text = out.get("text", "")
        if text.startswith("NNLIB-PROBE "):
            reading = json.loads(text[len("NNLIB-PROBE "):])
            result.update(blas=reading["blas"], cpu=reading["cpu"], peak_mib=reading["peak_kib"] / 1024)
    if save and result["ok"]:
        nbformat.write(nb, save)
    print("NNLIB-RESULT " + json.dumps(result), flush=True)


def serve(timeout):
    """A worker of the driver: for each line {"notebook": ..., "save": ...} on standard input, run that notebook
    (:func:`run_one`), which prints its result line; end at the end of the input."""
    for line in sys.stdin:
        job = json.loads(line)
        run_one(job["notebook"], job.get("save"), timeout)


# ------------------------------------------------------------------------------------------ the driver
def openblas(result):
    """(architecture, threads) of the OpenBLAS that numpy's kernel used, or (None, None)."""
    for lib in result.get("blas") or []:
        if lib.get("internal_api") == "openblas":
            return lib.get("architecture"), lib.get("num_threads")
    return None, None


def _rel(p):
    """The notebook's path in the book (relative to the repository)."""
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def cache_notebook(cache_dir, executed, source):
    """Store the executed copy of the notebook source in the jupyter-cache at cache_dir."""
    from jupyter_cache import get_cache  # only the book build needs it

    get_cache(str(cache_dir)).cache_notebook_file(str(executed), uri=str(Path(source).resolve()),
                                                  check_validity=False, overwrite=True)
    Path(executed).unlink()


def describe_failure(r, label):
    where = f"cell {r['cell']} (code cell {r['code_cell']})" if "cell" in r else "the notebook as a whole"
    text = f"\n*** NOTEBOOK FAILED{label}: {_rel(r['notebook'])}, {where}\n    {r['error']}"
    if r.get("line"):
        text += f"\n    at: {r['line']}"
    return text + "\n"


def write_table(results, path, label):
    rows = sorted(results, key=lambda r: -r.get("cpu", 0))
    lines = [f"# Notebook budget{label}: CPU seconds of the kernel (one BLAS thread: its time on one core), "
             f"wall seconds, peak resident memory", "",
             f"| notebook | CPU s | wall s | peak MiB | BLAS kernel | threads | ok |",
             "|---|---:|---:|---:|---|---:|---|"]
    for r in rows:
        arch, threads = openblas(r)
        lines.append(f"| {_rel(r['notebook'])} | {r.get('cpu', 0):.1f} | {r.get('wall', 0):.1f} | "
                     f"{r.get('peak_mib', 0):.0f} | {arch or '?'} | {threads or '?'} | {'yes' if r['ok'] else 'NO'} |")
    Path(path).write_text("\n".join(lines) + "\n")


class Worker:
    """A worker process (``--serve``) of the driver, in a session of its own, and the notebook it runs."""

    def __init__(self, timeout):
        import tempfile
        self.stderr = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: never full, read when it dies
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", "--timeout", str(timeout)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     text=True, start_new_session=True, cwd=ROOT)
        self.notebook = self.save = None

    def run(self, notebook, save):
        self.notebook, self.save = notebook, save
        self.proc.stdin.write(json.dumps({"notebook": str(Path(notebook).resolve()), "save": save}) + "\n")
        self.proc.stdin.flush()

    def result(self):
        """The result of its notebook (called once its output is readable: it waits for the whole line); a
        worker that died says so, with the end of what it wrote on stderr."""
        line = self.proc.stdout.readline()
        while line and not line.startswith("NNLIB-RESULT "):  # only result lines are expected: skip others
            line = self.proc.stdout.readline()
        if line:
            return json.loads(line[len("NNLIB-RESULT "):])
        self.proc.wait()
        self.stderr.seek(0)
        return {"notebook": str(Path(self.notebook).resolve()), "ok": False,
                "error": f"the notebook runner exited with code {self.proc.returncode}: "
                         f"{self.stderr.read().strip()[-1500:]}"}

    def stop(self, sig):
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass


def drive(args):
    import selectors

    label = f" [{args.label}]" if args.label else ""
    queue = list(args.notebooks)
    if not queue:
        print("execute_notebooks: no notebook given", file=sys.stderr)
        return 2
    results, failed, failures = [], None, []
    if args.cache:
        Path(args.cache).mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    workers = [Worker(args.timeout) for _ in range(min(args.jobs, len(queue)))]
    selector = selectors.DefaultSelector()

    def stop_all():
        """Stop the workers: each one kills its kernel on SIGTERM; SIGKILL what is left."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for w in workers:
                w.stop(sig)
            deadline = time.monotonic() + 5
            while any(w.proc.poll() is None for w in workers) and time.monotonic() < deadline:
                time.sleep(0.1)

    signal.signal(signal.SIGTERM, lambda *_: (stop_all(), sys.exit(143)))
    try:
        for w in workers:
            selector.register(w.proc.stdout, selectors.EVENT_READ, w)
            nb = queue.pop(0)
            w.run(nb, str(Path(args.cache) / f"executing-{id(w)}.ipynb") if args.cache else None)
        while selector.get_map() and failed is None:
            for key, _ in selector.select():
                w = key.data
                nb = w.notebook
                r = w.result()
                results.append(r)
                arch, threads = openblas(r)
                problems = []
                if r["ok"] and args.expect_arch and (arch or "").lower() != args.expect_arch.lower():
                    problems.append(f"ran the OpenBLAS kernel {arch!r}, not {args.expect_arch!r}")
                if r["ok"] and args.expect_threads and threads != args.expect_threads:
                    problems.append(f"ran {threads} BLAS threads, not {args.expect_threads}")
                if r.get("cpu", 0) > args.cpu_limit:
                    problems.append(f"took {r['cpu']:.1f} s of CPU (limit {args.cpu_limit:g} s on one core)")
                if r.get("peak_mib", 0) > args.mem_limit:
                    problems.append(f"peaked at {r['peak_mib']:.0f} MiB (limit {args.mem_limit:g} MiB)")
                if problems:
                    r.update(ok=False, error=r.get("error") or "; ".join(problems))
                if r["ok"] and args.cache:
                    cache_notebook(args.cache, w.save, nb)
                status = "ok  " if r["ok"] else "FAIL"
                print(f"{status} {r.get('cpu', 0):6.1f} s CPU {r.get('peak_mib', 0):6.0f} MiB  "
                      f"{arch or '?'}/{threads or '?'}  {_rel(nb)}", flush=True)
                if not r["ok"]:
                    if not args.keep_going:
                        failed = r
                        break
                    print(describe_failure(r, label), flush=True)
                    failures.append(r)
                save = w.save
                if w.proc.poll() is not None:  # the worker died (its result said so): another takes its place
                    selector.unregister(w.proc.stdout)
                    if not queue:
                        continue
                    w = Worker(args.timeout)
                    workers.append(w)
                    selector.register(w.proc.stdout, selectors.EVENT_READ, w)
                if queue:
                    w.run(queue.pop(0), save)
                else:
                    selector.unregister(w.proc.stdout)
                    w.proc.stdin.close()
    finally:
        stop_all()
        if args.table:
            write_table(results, args.table, label)
    if failed is not None:
        print(describe_failure(failed, label), flush=True)
        return 1
    print(f"{len(results)} notebooks executed{label} in {time.perf_counter() - start:.0f} s"
          + (f", {len(failures)} failed" if failures else ""), flush=True)
    return 1 if failures else 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="*")
    p.add_argument("--one", help=argparse.SUPPRESS)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=int, default=300, help="seconds a cell may run")
    p.add_argument("--cache", help="store the executed notebooks in a jupyter-cache in this folder")
    p.add_argument("--save", help=argparse.SUPPRESS)  # --one: where to write the executed notebook
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # a worker of the driver
    p.add_argument("--table", help="write the table of CPU time and peak memory here (Markdown)")
    p.add_argument("--cpu-limit", type=float, default=60.0, help="CPU seconds a notebook may take")
    p.add_argument("--mem-limit", type=float, default=1024.0, help="MiB of peak memory a notebook may take")
    p.add_argument("--expect-arch", help="fail unless numpy's OpenBLAS ran this kernel (e.g. Haswell)")
    p.add_argument("--expect-threads", type=int, help="fail unless OpenBLAS ran this many threads")
    p.add_argument("--keep-going", action="store_true", help="run every notebook, report all failures")
    p.add_argument("--label", default="", help="a name for this run in messages and the table")
    args = p.parse_args(argv)
    if args.one:
        run_one(args.one, args.save, args.timeout)
        return 0
    if args.serve:
        serve(args.timeout)
        return 0
    return drive(args)


if __name__ == "__main__":
    sys.exit(main())
