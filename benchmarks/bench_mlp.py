"""Training speed of nnlib's MLP against scikit-learn's MLPClassifier (and PyTorch's, where installed).

Not a test: it prints a table and writes it, as markdown, to benchmarks/results.md.

Both libraries train the same network the same way: ReLU hidden layers, a softmax output with
cross-entropy, SGD with momentum 0.9 in the slides' form Δθ(k) = −ρ∇q + νΔθ(k−1) (scikit-learn's
``nesterovs_momentum=False``), blocks of 128 samples in a new random order every epoch, the same
learning rate, no regularization (alpha=0), the same number of epochs and no early stopping.
Two data sets:

- MNIST-shaped: 784-256-128-10 on 10 000 synthetic samples from 10 Gaussian class clusters (seeded);
- scikit-learn's digits: 64-128-64-10, 75 % / 25 % split (seeded), standardized.

Columns: samples per second for nnlib as a student calls it (``train.minibatch`` with its defaults: ``History.q``
is the mean block error of each epoch, which costs nothing, as scikit-learn's ``loss_curve_``), for nnlib with
``running_q=False`` (q_S on the whole training set after each epoch: one more forward pass over S per epoch),
scikit-learn and PyTorch; the ratios nnlib / scikit-learn (above 1: nnlib is faster) and the test accuracy. Each
fit is timed in turn with the others, several times (``report.side_by_side``: a load from other processes hits
them alike), best time; CPU time of the process with 1 thread, wall-clock time with 2. The second table compares
the 1-thread rate with the machine's GEMM rate on the very matrix products of one training step. The results
file ends with every goal of issue #16 against its measurement (``report.goals_section``).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_mlp.py [--quick]

Other processes on the machine slow every column alike; the load average is printed with the table.
"""

import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

import report

from nnlib import optim
from nnlib.mlp import train
from nnlib.mlp import MLP

RHO, NU, B = 0.01, 0.9, 128
RESULTS = Path(__file__).with_name("results.md")
torch = report.torch_or_none()
# the goals of issue #16 (1 thread): nnlib / scikit-learn throughput, nnlib / PyTorch time, share of the GEMM rate
GOAL_SKLEARN = {"MNIST-shaped": 1.5, "digits": 2.5}
GOAL_TORCH, GOAL_GEMM, GOAL_ACCURACY = 0.8, 80, 0.97


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

def fit_nnlib(M, X, y, epochs, **options):
    """train.minibatch as a student calls it (options: e.g. running_q=False)."""
    net = MLP(M, g=["relu"] * (len(M) - 2) + ["softmax"], init="glorot_uniform", seed=0, dtype=X.dtype)
    train.minibatch(net, X, y, B=B, loss="cross_entropy", max_epochs=epochs, seed=0,
                    optimizer=optim.Momentum(rho=RHO, nu=NU), **options)
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


def timed(fits, repeats, clock):
    """Best time of each fit over `repeats` rounds, the fits in turn within a round (a load from other processes
    hits them alike), and the predictor of each one's last run."""
    best, predict = [np.inf] * len(fits), [None] * len(fits)
    for _ in range(repeats):
        for i, fit in enumerate(fits):
            start = clock()
            predict[i] = fit()
            best[i] = min(best[i], clock() - start)
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
    started = report.start()
    cases = [("MNIST-shaped", (784, 256, 128, 10), mnist_like(), 1 if quick else 2),
             ("digits", (64, 128, 64, 10), digits(), 30)]
    rows, gemm_rows = [], []
    for name, M, (X_tr, y_tr, X_te, y_te), epochs in cases:
        for dtype in (np.float64, np.float32):
            Xa, Xb = X_tr.astype(dtype), X_te.astype(dtype)
            n = len(Xa) * epochs
            for threads in (1, 2):
                clock, repeats = clock_for(threads), (1 if quick else 3 if threads == 1 else 2)
                fits = [lambda: fit_nnlib(M, Xa, y_tr, epochs),
                        lambda: fit_nnlib(M, Xa, y_tr, epochs, running_q=False),
                        lambda: fit_sklearn(M, Xa, y_tr, epochs)]
                if torch:
                    torch.set_num_threads(threads)
                    fits.append(lambda: fit_torch(M, Xa, y_tr, epochs))
                with threadpool_limits(threads):
                    times, predicts = timed(fits, repeats, clock)
                    if threads == 1:
                        t_gemm = gemm_seconds_per_step(M, dtype)
                row = dict(data=name, M="-".join(map(str, M)), dtype=np.dtype(dtype).name, threads=threads,
                           epochs=epochs, nn=n / times[0], exact=n / times[1], sk=n / times[2],
                           acc_nn=np.mean(predicts[0](Xb) == y_te), acc_sk=np.mean(predicts[2](Xb) == y_te))
                if torch:
                    row.update(pt=n / times[3], acc_pt=np.mean(predicts[3](Xb) == y_te))
                rows.append(row)
                print(format_row(row), flush=True)
                if threads == 1:
                    steps = -(-len(Xa) // B) * epochs
                    gemm_rows.append(dict(data=name, M=row["M"], dtype=row["dtype"],
                                          gflops=step_flops(M) / t_gemm / 1e9, nn=steps * t_gemm / times[0],
                                          exact=steps * t_gemm / times[1], sk=steps * t_gemm / times[2]))
    text = report_text(rows, gemm_rows, started)
    print()
    print(text)
    RESULTS.write_text(text)
    print(f"written to {RESULTS}")


# --------------------------------------------------------------------------------- output

def format_row(r):
    s = (f"{r['data']:<13} {r['dtype']:<8} {r['threads']} thr: nnlib {r['nn']:8.0f}/s, q_S each epoch "
         f"{r['exact']:8.0f}/s, sklearn {r['sk']:8.0f}/s, ratio {r['nn'] / r['sk']:.2f} "
         f"({r['exact'] / r['sk']:.2f}), accuracy {r['acc_nn']:.3f} vs {r['acc_sk']:.3f}")
    if "pt" in r:
        s += f", torch {r['pt']:8.0f}/s ({r['acc_pt']:.3f})"
    return s


def goals(rows, gemm_rows):
    """Every goal of issue #16 that this script measures, 1 thread, nnlib as a student calls it."""
    out = []
    for r in rows:
        if r["threads"] != 1:
            continue
        case = f"{r['data']} {r['dtype']}"
        out.append(report.Goal(f"{case}, nnlib / scikit-learn throughput", r["nn"] / r["sk"],
                               GOAL_SKLEARN[r["data"]]))
        if r["data"] == "MNIST-shaped" and r["dtype"] == "float32":
            out.append(report.Goal(f"{case}, nnlib's time / PyTorch's", r["pt"] / r["nn"] if "pt" in r else None,
                                   GOAL_TORCH, better="lower", why="PyTorch not installed"))
        if r["data"] == "digits":
            out.append(report.Goal(f"{case}, nnlib's test accuracy after {r['epochs']} epochs",
                                   100 * r["acc_nn"], 100 * GOAL_ACCURACY, "%"))
    for g in gemm_rows:
        if g["data"] == "MNIST-shaped":
            out.append(report.Goal(f"{g['data']} {g['dtype']}, nnlib's share of the GEMM rate", 100 * g["nn"],
                                   GOAL_GEMM, "%"))
    return out


def report_text(rows, gemm_rows, started):
    pt = torch is not None
    lines = ["# nnlib vs scikit-learn and PyTorch: MLP training speed", ""]
    lines += report.header(__file__, ["numpy", "sklearn", "torch"], started)
    lines += [
        f"Same network and training for all: ReLU hidden layers, softmax + cross-entropy, SGD with momentum "
        f"ν = {NU} (not Nesterov), ρ = {RHO}, blocks of B = {B} reshuffled every epoch, no regularization, "
        "no early stopping. Samples per second = N × epochs / time of the whole fit (best of the runs, the fits "
        "timed in turn), the time being the process's CPU time with 1 thread (other processes on a shared "
        "machine do not inflate it) and wall-clock time with 2 threads (those rows are only meaningful on an "
        "otherwise idle machine). *nnlib* is `train.minibatch` as a student calls it (History.q: the mean block "
        "error of each epoch, as scikit-learn's `loss_curve_`); *nnlib, q_S each epoch* adds `running_q=False` "
        "(q_S on the whole training set after every epoch: one more forward pass over S per epoch). "
        "Ratio above 1: nnlib is faster.",
        "",
        "| data | M | dtype | threads | epochs | nnlib (samples/s) | nnlib, q_S each epoch | scikit-learn "
        "| ratio | ratio, q_S each epoch |" + (" PyTorch |" if pt else "") + " accuracy nnlib | accuracy scikit-learn |"
        + (" accuracy PyTorch |" if pt else ""),
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if pt else "") + "---:|---:|"
        + ("---:|" if pt else ""),
    ]
    for r in rows:
        line = (f"| {r['data']} | {r['M']} | {r['dtype']} | {r['threads']} | {r['epochs']} | {r['nn']:,.0f} "
                f"| {r['exact']:,.0f} | {r['sk']:,.0f} | {r['nn'] / r['sk']:.2f} | {r['exact'] / r['sk']:.2f} |")
        if pt:
            line += f" {r['pt']:,.0f} |"
        line += f" {r['acc_nn']:.3f} | {r['acc_sk']:.3f} |" + (f" {r['acc_pt']:.3f} |" if pt else "")
        lines.append(line)
    lines += [
        "",
        "## Fraction of the machine's GEMM rate (1 thread)",
        "",
        "GEMM rate: the matrix products of one training step (forward φ, backward δ, gradient δᵀs), timed "
        "alone with `np.dot` on contiguous operands (CPU time). Fraction = time of those products × number of "
        "steps / time of the whole fit: the share of the fit spent doing the BLAS work that cannot be avoided.",
        "",
        "| data | M | dtype | GEMM rate (GFLOP/s) | nnlib | nnlib, q_S each epoch | scikit-learn |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for g in gemm_rows:
        lines.append(f"| {g['data']} | {g['M']} | {g['dtype']} | {g['gflops']:.1f} | {g['nn']:.0%} "
                     f"| {g['exact']:.0%} | {g['sk']:.0%} |")
    lines += report.goals_section(goals(rows, gemm_rows), "1 thread, nnlib as a student calls it.")
    lines += report.footer(started)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
