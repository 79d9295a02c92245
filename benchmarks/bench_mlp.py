"""Training speed of nnlib's MLP against scikit-learn's MLPClassifier (and PyTorch's, where installed).

Not a test: it prints a table and writes it, as markdown, to benchmarks/results.md.

Both libraries train the same network the same way: ReLU hidden layers, a softmax output with
cross-entropy, SGD with momentum 0.9 in the slides' form Δθ(k) = −ρ∇q + νΔθ(k−1) (scikit-learn's
``nesterovs_momentum=False``), blocks of 128 samples in a new random order every epoch, the same
learning rate, no regularization (alpha=0), the same number of epochs and no early stopping.
Two data sets:

- MNIST-shaped: 784-256-128-10 on 10 000 synthetic samples from 10 Gaussian class clusters (seeded);
- scikit-learn's digits: 64-128-64-10, 75 % / 25 % split (seeded), standardized.

Columns: samples per second (best of a few runs; CPU time with 1 thread, wall clock with 2) for nnlib as it is used by default
(``History.q`` is q_S on the whole training set after each epoch: one extra forward pass over S per
epoch) and with ``running_q=True`` (the mean block error met during the epoch, as scikit-learn records
it: same work as scikit-learn), the ratio nnlib / scikit-learn (above 1: nnlib is faster), and the
test accuracy. The last table compares nnlib's 1-thread rate with the machine's GEMM rate measured on
the very matrix products of one training step.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_mlp.py [--quick]

Other processes on the machine slow every column alike; the load average is printed with the table.
"""

import datetime
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info, threadpool_limits

from nnlib import optim
from nnlib.mlp import train
from nnlib.mlp import MLP

RHO, NU, B = 0.01, 0.9, 128
RESULTS = Path(__file__).with_name("results.md")

try:
    import torch
except ImportError:
    torch = None


# ---------------------------------------------------------------------------------- data

def mnist_like(N=10_000, N_test=2_000, d=784, C=10, seed=0):
    """10 Gaussian clusters in R^784: centres N(0, 0.1²) per coordinate, unit noise (roughly standardized)."""
    rng = np.random.default_rng(seed)
    centres = 0.1 * rng.normal(size=(C, d))
    y = rng.integers(0, C, size=N + N_test)
    X = centres[y] + rng.normal(size=(N + N_test, d))
    return X[:N], y[:N], X[N:], y[N:]


def digits(seed=0):
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)
    scaler = StandardScaler().fit(X_tr)
    return scaler.transform(X_tr), y_tr, scaler.transform(X_te), y_te


# ------------------------------------------------------------------------------ trainers

def fit_nnlib(M, X, y, epochs, running_q):
    net = MLP(M, g=["relu"] * (len(M) - 2) + ["softmax"], init="glorot_uniform", seed=0, dtype=X.dtype)
    train.minibatch(net, X, y, B=B, loss="cross_entropy", max_epochs=epochs, seed=0,
                    optimizer=optim.Momentum(rho=RHO, nu=NU), running_q=running_q)
    return net.classify


def fit_sklearn(M, X, y, epochs):
    clf = MLPClassifier(hidden_layer_sizes=tuple(M[1:-1]), activation="relu", solver="sgd", alpha=0.0,
                        batch_size=B, learning_rate="constant", learning_rate_init=RHO, momentum=NU,
                        nesterovs_momentum=False, max_iter=epochs, shuffle=True, random_state=0,
                        tol=0.0, n_iter_no_change=epochs + 1, early_stopping=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter reached: that is the plan
        clf.fit(X, y)
    return clf.predict


def fit_torch(M, X, y, epochs):
    torch.manual_seed(0)
    dtype = torch.float32 if X.dtype == np.float32 else torch.float64
    layers = []
    for l in range(1, len(M)):
        layers.append(torch.nn.Linear(M[l - 1], M[l], dtype=dtype))
        if l < len(M) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=RHO, momentum=NU)  # v = νv + ∇q; θ -= ρv: the same steps
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
    gen = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        for idx in torch.randperm(len(Xt), generator=gen).split(B):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(Xt[idx]), yt[idx]).backward()
            opt.step()

    def predict(Xq):
        with torch.no_grad():
            return model(torch.from_numpy(Xq)).argmax(1).numpy()
    return predict


def timed(fit, repeats, clock):
    """Best time of `repeats` fits on `clock`, and the predictor of the last one."""
    best = np.inf
    for _ in range(repeats):
        start = clock()
        predict = fit()
        best = min(best, clock() - start)
    return best, predict


def clock_for(threads):
    """1 thread: the process's CPU time (what other processes on a shared machine do not inflate);
    more threads: wall-clock time (CPU time would add the threads up)."""
    return time.process_time if threads == 1 else time.perf_counter


# ------------------------------------------------------------------------------ GEMM rate

def step_products(M, dtype, rng):
    """The matrix products of one training step on a block of B samples (forward, delta, gradient)."""
    prods = []
    for l in range(1, len(M)):
        prods.append((rng.normal(size=(B, M[l - 1])), rng.normal(size=(M[l - 1], M[l]))))      # φ^l = s^{l-1} W^T
        prods.append((rng.normal(size=(M[l], B)), rng.normal(size=(B, M[l - 1]))))            # δ^{lT} s^{l-1}
        if l > 1:
            prods.append((rng.normal(size=(B, M[l])), rng.normal(size=(M[l], M[l - 1]))))     # δ^l W^l
    return [(a.astype(dtype), b.astype(dtype)) for a, b in prods]


def step_flops(M):
    return sum(2 * B * M[l] * M[l - 1] * (2 if l == 1 else 3) for l in range(1, len(M)))


def gemm_seconds_per_step(M, dtype, repeats=30):
    """CPU time of the step's products alone (np.dot on contiguous operands, 1 thread): the BLAS floor."""
    prods = step_products(M, dtype, np.random.default_rng(1))
    best = np.inf
    for _ in range(5):
        start = time.process_time()
        for _ in range(repeats):
            for a, b in prods:
                np.dot(a, b)
        best = min(best, (time.process_time() - start) / repeats)
    return best


# ----------------------------------------------------------------------------------- main

def main(quick=False):
    cases = [("MNIST-shaped", (784, 256, 128, 10), mnist_like(), 1 if quick else 2),
             ("digits", (64, 128, 64, 10), digits(), 30)]
    rows, gemm_rows = [], []
    load0 = os.getloadavg()[0]
    for name, M, (X_tr, y_tr, X_te, y_te), epochs in cases:
        for dtype in (np.float64, np.float32):
            Xa, Xb = X_tr.astype(dtype), X_te.astype(dtype)
            n = len(Xa) * epochs
            for threads in (1, 2):
                clock, repeats = clock_for(threads), (1 if quick or threads > 1 else 2)
                with threadpool_limits(threads):
                    t_nn, p_nn = timed(lambda: fit_nnlib(M, Xa, y_tr, epochs, False), repeats, clock)
                    t_rq, _ = timed(lambda: fit_nnlib(M, Xa, y_tr, epochs, True), repeats, clock)
                    t_sk, p_sk = timed(lambda: fit_sklearn(M, Xa, y_tr, epochs), repeats, clock)
                    if torch:
                        torch.set_num_threads(threads)
                        t_pt, p_pt = timed(lambda: fit_torch(M, Xa, y_tr, epochs), repeats, clock)
                    if threads == 1:
                        t_gemm = gemm_seconds_per_step(M, dtype)
                row = dict(data=name, M="-".join(map(str, M)), dtype=np.dtype(dtype).name, threads=threads,
                           epochs=epochs, nn=n / t_nn, rq=n / t_rq, sk=n / t_sk,
                           acc_nn=np.mean(p_nn(Xb) == y_te), acc_sk=np.mean(p_sk(Xb) == y_te))
                if torch:
                    row.update(pt=n / t_pt, acc_pt=np.mean(p_pt(Xb) == y_te))
                rows.append(row)
                print(format_row(row), flush=True)
                if threads == 1:
                    steps = -(-len(Xa) // B) * epochs
                    gemm_rows.append(dict(data=name, M=row["M"], dtype=row["dtype"],
                                          gflops=step_flops(M) / t_gemm / 1e9,
                                          nn=steps * t_gemm / t_nn, rq=steps * t_gemm / t_rq, sk=steps * t_gemm / t_sk))
    load1 = os.getloadavg()[0]
    text = report(rows, gemm_rows, (load0, load1))
    print()
    print(text)
    RESULTS.write_text(text)
    print(f"written to {RESULTS}")


# --------------------------------------------------------------------------------- output

def format_row(r):
    s = (f"{r['data']:<13} {r['dtype']:<8} {r['threads']} thr: nnlib {r['nn']:8.0f}/s, running q {r['rq']:8.0f}/s, "
         f"sklearn {r['sk']:8.0f}/s, ratio {r['nn'] / r['sk']:.2f} ({r['rq'] / r['sk']:.2f}), "
         f"accuracy {r['acc_nn']:.3f} vs {r['acc_sk']:.3f}")
    if "pt" in r:
        s += f", torch {r['pt']:8.0f}/s ({r['acc_pt']:.3f})"
    return s


def blas_name():
    info = [i for i in threadpool_info() if i["user_api"] == "blas"]
    return ", ".join(sorted({f"{i['internal_api']} {i['version']}" for i in info})) or "unknown"


def report(rows, gemm_rows, loads):
    pt = torch is not None
    lines = [
        "# nnlib vs scikit-learn: MLP training speed",
        "",
        f"Measured {datetime.date.today().isoformat()} with `benchmarks/bench_mlp.py`: numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, " + (f"PyTorch {torch.__version__}, " if pt else "PyTorch not installed, ")
        + f"Python {platform.python_version()}, BLAS {blas_name()}, {os.cpu_count()} CPU(s) "
        f"({platform.machine()}); load average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end.",
        "",
        f"Same network and training for both: ReLU hidden layers, softmax + cross-entropy, SGD with momentum "
        f"ν = {NU} (not Nesterov), ρ = {RHO}, blocks of B = {B} reshuffled every epoch, no regularization, "
        "no early stopping. Samples per second = N × epochs / time of the whole fit (best of the runs), the time "
        "being the process's CPU time with 1 thread (other processes on a shared machine do not inflate it) and "
        "wall-clock time with 2 threads (those rows are only meaningful on an otherwise idle machine). "
        "*nnlib* is `train.minibatch` as used by default (q_S on the whole training set after every epoch, one "
        "extra forward pass per epoch); *nnlib, running q* records the mean block error instead "
        "(`running_q=True`), the same work as scikit-learn. Ratio above 1: nnlib is faster.",
        "",
        "| data | M | dtype | threads | epochs | nnlib (samples/s) | nnlib, running q | scikit-learn "
        "| ratio | ratio, running q |" + (" PyTorch |" if pt else "") + " accuracy nnlib | accuracy scikit-learn |"
        + (" accuracy PyTorch |" if pt else ""),
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if pt else "") + "---:|---:|"
        + ("---:|" if pt else ""),
    ]
    for r in rows:
        line = (f"| {r['data']} | {r['M']} | {r['dtype']} | {r['threads']} | {r['epochs']} | {r['nn']:,.0f} "
                f"| {r['rq']:,.0f} | {r['sk']:,.0f} | {r['nn'] / r['sk']:.2f} | {r['rq'] / r['sk']:.2f} |")
        if pt:
            line += f" {r['pt']:,.0f} |"
        line += f" {r['acc_nn']:.3f} | {r['acc_sk']:.3f} |" + (f" {r['acc_pt']:.3f} |" if pt else "")
        lines.append(line)
    if loads[0] >= (os.cpu_count() or 1) - 0.5 or loads[1] >= (os.cpu_count() or 1) - 0.5:
        lines += ["", f"**The machine was busy** (load average ≥ its {os.cpu_count()} CPUs): the 1-thread rows "
                  "(CPU time) hold, the 2-thread rows (wall clock, threads waiting for a core) do not."]
    lines += [
        "",
        "## Fraction of the machine's GEMM rate (1 thread)",
        "",
        "GEMM rate: the matrix products of one training step (forward φ, backward δ, gradient δᵀs), timed "
        "alone with `np.dot` on contiguous operands (CPU time). Fraction = time of those products × number of steps / "
        "time of the whole fit: the share of the fit spent doing the BLAS work that cannot be avoided.",
        "",
        "| data | M | dtype | GEMM rate (GFLOP/s) | nnlib | nnlib, running q | scikit-learn |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for g in gemm_rows:
        lines.append(f"| {g['data']} | {g['M']} | {g['dtype']} | {g['gflops']:.1f} | {g['nn']:.0%} "
                     f"| {g['rq']:.0%} | {g['sk']:.0%} |")
    lines += ["", "## Against the goals (1 thread, nnlib as used by default / with `running_q=True`)", ""]
    for r in rows:
        if r["threads"] == 1:
            lines.append(f"- {r['data']}, {r['dtype']}: {r['nn'] / r['sk']:.2f}× / {r['rq'] / r['sk']:.2f}× "
                         f"scikit-learn's throughput (goal: {'1.5' if r['data'] != 'digits' else '2.5'}×); "
                         f"test accuracy {r['acc_nn']:.1%} after {r['epochs']} epochs"
                         + (" (goal: ≥ 97 % after 30 epochs)" if r["data"] == "digits" else ""))
    for g in gemm_rows:
        if g["data"] != "digits":
            lines.append(f"- {g['data']}, {g['dtype']}: {g['nn']:.0%} / {g['rq']:.0%} of the GEMM rate (goal: ≥ 80 %)")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
