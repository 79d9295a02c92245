"""Speed of nnlib's activations against scikit-learn's (and PyTorch's, where installed), in one run.

Not a test: it prints a table and writes it, as markdown, to benchmarks/results-activations.md (the book's
benchmark appendix includes that file).

On a batch of N = 4096 rows and M = 256 units, float64, one thread: the forward computation g(φ) of the
sigmoid, tanh, ReLU and softmax, and the backward product g'(φ)·δ that BackProp computes at every layer.
nnlib's functions do more than scikit-learn's in-place helpers (``sklearn.neural_network._base``): they
validate their input (type, NaN), never overflow and return a new array; for g'(φ)·δ nnlib computes g' from
φ as the slides write it, while scikit-learn reuses the stored output s = g(φ) (possible for sigmoid, tanh
and ReLU only). The goal, nnlib ≤ 1.5 × scikit-learn's time, is the price those guarantees may cost.

Times: the median process CPU time of a call (``report.side_by_side``: every contender in turn, so a load
from other processes hits all alike); scikit-learn's in-place helper is timed on a fresh copy of φ, minus
the time of that copy. Ratios divide times: below 1, nnlib is faster.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_activations.py [--quick] [N M]

``--quick`` (a smoke run) takes 5 repeats instead of 30.
"""
import sys
from pathlib import Path

import numpy as np
from sklearn.neural_network import _base as sk

import report
from nnlib import activations as act

RESULTS = Path(__file__).with_name("results-activations.md")
GOAL = 1.5                       # nnlib's time / scikit-learn's, at most
# nnlib name -> scikit-learn name (scikit-learn's identity is a no-op in place: nothing to compare)
PAIRS = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu", "softmax": "softmax"}
GD, SK_GD = "g'd", "sk g'd"      # the keys of the backward products' times


def sklearn_pair(inplace, X):
    """Two calls to time: a fresh copy of X then the in-place helper on it, and the copy alone."""
    buf = np.empty_like(X)
    return (lambda: inplace(np.copyto(buf, X) or buf)), (lambda: np.copyto(buf, X))


def measure(name, phi, delta, torch, repeats):
    """Median CPU seconds of g and g'·δ for nnlib, scikit-learn (and PyTorch's g): a dict."""
    g, skname = act.get(name), PAIRS[name]
    fns = {"g": lambda: g(phi)}
    fns["sk g"], fns["copy"] = sklearn_pair(sk.ACTIVATIONS[skname], phi)
    if skname in sk.DERIVATIVES:
        s = g(phi)
        fns[GD] = lambda: g.jvp(phi, delta)
        fns[SK_GD], _ = sklearn_pair(lambda b: sk.DERIVATIVES[skname](s, b), delta)
    if torch is not None:
        tphi = torch.from_numpy(phi)
        tf = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
              "softmax": lambda x: torch.softmax(x, dim=-1)}[name]
        fns["torch g"] = lambda: tf(tphi)
    t = dict(zip(fns, (timing.median for timing in report.side_by_side(list(fns.values()), repeats))))
    t["sk g"] -= t["copy"]
    if SK_GD in t:
        t[SK_GD] -= t["copy"]
    return t


def main(quick=False, N=4096, M=256):
    started = report.start()
    torch = report.torch_or_none(threads=1)
    rng = np.random.default_rng(0)
    phi = rng.normal(scale=3.0, size=(N, M))
    delta = rng.normal(size=(N, M))
    repeats = 5 if quick else 30
    print(f"activations on a batch of N={N} rows, M={M} units, float64, one thread (ms; ratio: nnlib / other)")
    print(f"{'g':<9}{'nnlib g':>9}{'sklearn':>9}{'ratio':>7}{'nnlib gd':>10}{'sklearn':>9}{'ratio':>7}"
          + (f"{'torch g':>9}{'ratio':>7}" if torch else ""))
    rows = []
    for name in PAIRS:
        t = measure(name, phi, delta, torch, repeats)
        rows.append((name, t))
        line = f"{name:<9}{t['g'] * 1e3:9.2f}{t['sk g'] * 1e3:9.2f}{t['g'] / t['sk g']:7.2f}"
        line += (f"{t[GD] * 1e3:10.2f}{t[SK_GD] * 1e3:9.2f}{t[GD] / t[SK_GD]:7.2f}" if GD in t
                 else " " * 26)
        if torch:
            line += f"{t['torch g'] * 1e3:9.2f}{t['g'] / t['torch g']:7.2f}"
        print(line, flush=True)
    write(rows, N, M, repeats, torch, started)
    return rows


def write(rows, N, M, repeats, torch, started):
    pt = torch is not None
    lines = ["# nnlib vs scikit-learn: activation functions", ""]
    lines += report.header(__file__, ["numpy", "sklearn", "torch"], started)
    lines += [
        f"A batch of N = {N} rows and M = {M} units, float64, one thread: the forward g(φ) and the backward "
        "product g'(φ)·δ. Median process CPU time of "
        f"{repeats} calls, every contender in turn. scikit-learn's helpers work in place on a fresh copy "
        "(the copy's time subtracted) and compute g' from the stored s = g(φ); nnlib checks its input, "
        "cannot overflow, returns a new array and computes g' from φ. scikit-learn has no separate softmax "
        "derivative. Ratio = nnlib / other (below 1: nnlib is faster).",
        "",
        "| g | nnlib g (ms) | scikit-learn g (ms) | ratio | nnlib g′·δ (ms) | scikit-learn g′·δ (ms) | ratio |"
        + (" PyTorch g (ms) | nnlib / PyTorch |" if pt else ""),
        "|---|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if pt else ""),
    ]
    goals = []
    for name, t in rows:
        line = f"| {name} | {t['g'] * 1e3:.2f} | {t['sk g'] * 1e3:.2f} | {t['g'] / t['sk g']:.2f} |"
        goals.append(report.Goal(f"{name} g(φ), nnlib / scikit-learn", t["g"] / t["sk g"], GOAL, "×", "lower"))
        if GD in t:
            line += f" {t[GD] * 1e3:.2f} | {t[SK_GD] * 1e3:.2f} | {t[GD] / t[SK_GD]:.2f} |"
            goals.append(report.Goal(f"{name} g′(φ)·δ, nnlib / scikit-learn", t[GD] / t[SK_GD], GOAL, "×",
                                     "lower"))
        else:
            line += " – | – | – |"
        if pt:
            line += f" {t['torch g'] * 1e3:.2f} | {t['g'] / t['torch g']:.2f} |"
        lines.append(line)
    lines += report.goals_section(goals, "nnlib's time / scikit-learn's, 1 thread, float64.")
    lines += report.footer(started)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--quick"]
    main("--quick" in sys.argv[1:], *map(int, args[:2]))
