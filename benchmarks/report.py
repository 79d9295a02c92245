"""What every benchmark script writes around its table: the machine, the load, the goals.

A results file (``benchmarks/results*.md``) says when and where it was measured and how busy the machine
was, and ends with its goals, each ratio against the number it must reach. The scripts share these helpers
(they run as ``python benchmarks/bench_*.py``, so ``import report`` finds this file)::

    import report

    started = report.start()                      # before measuring: the time and the load now
    ...                                           # measure
    goals = [report.Goal("1×28×28, nnlib / PyTorch", t_nn / t_pt, 1.25, "×", better="lower")]
    lines = ["# Title", ""] + report.header(__file__, ["numpy", "torch"], started) + [...]
    lines += report.goals_section(goals) + report.footer(started)

``python benchmarks/report.py`` prints the goals of every results file: ``make bench`` ends with it.
Nothing here is a test: numbers depend on the machine, its BLAS and whatever else it is doing.
"""

import datetime
import importlib
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

try:
    from threadpoolctl import threadpool_info
except ImportError:                                       # pragma: no cover
    threadpool_info = None

HERE = Path(__file__).resolve().parent
GOALS_TITLE = "## Against the goals"
# module name -> what the header calls it
NAMES = {"numpy": "numpy", "sklearn": "scikit-learn", "torch": "PyTorch", "scipy": "SciPy"}


# ------------------------------------------------------------------------- the machine and its load

class Start(NamedTuple):
    """When a run started (UTC) and the load average (1, 5, 15 minutes) then."""
    when: datetime.datetime
    load: tuple


def start():
    """The time and the load now: call it before measuring, give it to `header` and `footer`."""
    return Start(datetime.datetime.now(datetime.timezone.utc), os.getloadavg())


def cores():
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                                # pragma: no cover (not Linux)
        return os.cpu_count() or 1


def cpu_model():
    """The CPU's 'model name' from /proc/cpuinfo (else what platform knows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:                                       # pragma: no cover (not Linux)
        pass
    return platform.processor() or platform.machine()


def blas():
    """Each BLAS loaded: library, version, kernel ('architecture') and threads, e.g.
    'openblas 0.3.31.188.0 (SkylakeX kernel, 1 thread) in numpy'."""
    if threadpool_info is None:                           # pragma: no cover
        return "unknown (threadpoolctl not installed)"
    seen = []
    for info in threadpool_info():
        if info["user_api"] != "blas":
            continue
        owner = Path(info["filepath"]).parent.name.split(".")[0]          # numpy.libs -> numpy
        n = info["num_threads"]
        text = (f"{info['internal_api']} {info['version']} ({info.get('architecture') or '?'} kernel, "
                f"{n} thread{'s' if n != 1 else ''}) in {owner}")
        if text not in seen:
            seen.append(text)
    seen.sort(key=lambda text: not text.endswith(" in numpy"))             # numpy's first
    return "; ".join(seen) or "none found"


def version(module):
    """'numpy 2.4.6', 'PyTorch 2.13.0+cpu', or 'PyTorch not installed'."""
    name = NAMES.get(module, module)
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return f"{name} not installed"
    return f"{name} {getattr(mod, '__version__', '?')}"


def loads(load):
    return ", ".join(f"{v:.2f}" for v in load)


def header(script, libs=("numpy",), started=None):
    """The lines that open a results file, after its title.

    script: the script's path (``__file__``; the command-line arguments are added when it is the program
    running) or the command to show; libs: module names whose versions to give ('numpy', 'sklearn',
    'torch', ...; a missing one reads 'PyTorch not installed'); started: `start()` before measuring
    (default: now). They say when (UTC), with what (versions, BLAS and its kernel), on what (CPU model,
    cores) and the load average (1, 5, 15 min) at the start."""
    started = started or start()
    command = str(script)
    if command.endswith(".py"):
        args = sys.argv[1:] if Path(sys.argv[0]).resolve() == Path(script).resolve() else []
        command = " ".join([f"benchmarks/{Path(script).name}", *args])
    when = started.when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"Measured {when} with `{command}`: {', '.join(version(m) for m in libs)}, "
        f"Python {platform.python_version()}; BLAS {blas()}; CPU {cpu_model()}, {cores()} cores "
        f"({platform.machine()}); load average {loads(started.load)} at the start (1, 5, 15 min).",
        "",
    ]


def busy(started, end_load=None):
    """Whether other processes competed for the CPUs: the 1-minute load at the start ≥ cores − 0.5, or at
    the end ≥ cores + 0.5 (by then the benchmark's own thread counts about 1)."""
    end_load = os.getloadavg() if end_load is None else end_load
    return started.load[0] >= cores() - 0.5 or end_load[0] >= cores() + 0.5


def footer(started):
    """The lines that close a results file: the load average at the end, and a warning when the machine
    was busy. started: what `start()` returned (or the load average tuple at the start)."""
    if not isinstance(started, Start):
        started = Start(datetime.datetime.now(datetime.timezone.utc), tuple(started))
    end = os.getloadavg()
    lines = ["", f"Load average {loads(end)} at the end (1, 5, 15 min)."]
    if busy(started, end):
        lines += ["", f"**Warning: the machine was busy** (load average {started.load[0]:.2f} at the start, "
                  f"{end[0]:.2f} at the end, on {cores()} cores). CPU times of one thread suffer less "
                  "than wall-clock times, but caches and memory are shared: rerun on a quiet machine "
                  "before trusting a ratio near its goal."]
    return lines


# ---------------------------------------------------------------------------------------- goals

def number(x):
    """3 significant figures at most, no exponent: 1.62, 32.4, 150, 21635."""
    return f"{x:.2f}" if abs(x) < 10 else f"{x:.1f}" if abs(x) < 100 else f"{x:,.0f}"


def with_unit(text, unit):
    return text + (unit if unit in ("×", "%", "") else f" {unit}")


@dataclass
class Goal:
    """One measured value against its goal.

    label: what was measured, e.g. 'MNIST-shaped float32, nnlib / scikit-learn'; value: the measurement
    (None when it could not be made, e.g. PyTorch not installed; `why` says so); goal: the bound; unit:
    '×', '%', 'ms', 'µs'...; better: 'higher' (value ≥ goal is met) or 'lower' (value ≤ goal is met).
    For '%' give value and goal in percent (80, not 0.8)."""
    label: str
    value: float | None
    goal: float
    unit: str = "×"
    better: str = "higher"
    why: str = "not measured"

    def __post_init__(self):
        if self.better not in ("higher", "lower"):
            raise ValueError(f"Goal.better: expected 'higher' or 'lower', got {self.better!r}")
        if self.value is not None:
            self.value = float(self.value)

    @property
    def met(self):
        """True or False; None when the value was not measured."""
        if self.value is None:
            return None
        return self.value >= self.goal if self.better == "higher" else self.value <= self.goal

    def line(self):
        """'- MNIST-shaped float32, nnlib / scikit-learn: 1.62× (goal ≥ 1.5×): met'."""
        bound = f"goal {'≥' if self.better == 'higher' else '≤'} {with_unit(f'{self.goal:g}', self.unit)}"
        if self.value is None:
            return f"- {self.label}: – ({bound}): {self.why}"
        return (f"- {self.label}: {with_unit(number(self.value), self.unit)} ({bound}): "
                f"{'met' if self.met else 'not met'}")


def summary(goals):
    """'k of n goals met' (and how many could not be measured)."""
    goals = list(goals)
    met = sum(g.met is True for g in goals)
    missing = sum(g.met is None for g in goals)
    return f"{met} of {len(goals)} goals met" + (f" ({missing} not measured)" if missing else "")


def goals_section(goals, note=""):
    """Print and return the markdown section '## Against the goals': one `Goal.line` each, then the
    summary. note: a sentence under the title (e.g. '1 thread, nnlib as used by default')."""
    goals = list(goals)
    lines = ["", GOALS_TITLE, ""] + ([note, ""] if note else [])
    lines += [g.line() for g in goals] + ["", summary(goals) + "."]
    print("\n".join(lines[1:]))
    return lines


# ----------------------------------------------------------------------------------------- timing

class Timing(NamedTuple):
    """Seconds of process CPU time per call: the median and the best of the repeats."""
    median: float
    best: float


def side_by_side(fns, repeats, warmup=1):
    """Time each function in `fns` `repeats` times, in turn (a load from other processes hits them
    alike), after `warmup` calls each. The process's CPU time (time.process_time), which other
    processes inflate much less than the wall clock: meaningful with one thread (set
    OMP_NUM_THREADS=1 or use threadpoolctl), since it adds up the threads. One Timing per function."""
    for fn in fns:
        for _ in range(warmup):
            fn()
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times):
            t0 = time.process_time()
            fn()
            ts.append(time.process_time() - t0)
    return [Timing(statistics.median(ts), min(ts)) for ts in times]


def cpu_seconds(fn, repeats, warmup=1):
    """The Timing (median, best CPU seconds per call) of one function: see `side_by_side`."""
    return side_by_side([fn], repeats, warmup)[0]


def torch_or_none(threads=None):
    """The torch module, or None when it is not installed; threads: set torch's thread count."""
    try:
        import torch
    except ImportError:
        return None
    if threads is not None:
        torch.set_num_threads(threads)
    return torch


# ------------------------------------------------------------------- the summary that make bench prints

def goal_lines(path):
    """The goal lines ('- ...') of a results file's '## Against the goals' section (title may go on)."""
    lines, inside = [], False
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            inside = line.startswith(GOALS_TITLE)
        elif inside and line.startswith("- "):
            lines.append(line)
    return lines


def main(paths=None):
    """Print every goal line of every results file, then how many are met. Returns that count as a dict."""
    paths = sorted(paths or HERE.glob("results*.md"))
    met = not_met = other = 0
    for path in paths:
        lines = goal_lines(path)
        measured = next((l for l in Path(path).read_text(encoding="utf-8").splitlines()
                         if l.startswith("Measured ")), "Measured: (no date line)")
        print(f"\n{Path(path).name}: {measured.split(' with ')[0]}")
        print("\n".join(f"  {l}" for l in lines) if lines else f"  (no '{GOALS_TITLE}' section)")
        met += sum(l.endswith(": met") for l in lines)
        not_met += sum(l.endswith(": not met") for l in lines)
        other += sum(not l.endswith((": met", ": not met")) for l in lines)
    counts = {"met": met, "not met": not_met, "other": other}
    print(f"\nAll results: {met} of {met + not_met + other} goals met"
          + (f" ({other} not measured or without a verdict)" if other else "") + ".")
    return counts


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or None)
