"""What ``Sequential.fit`` adds to each update besides the arithmetic, on a tiny network and on the book's digits.

Not a test: it prints a table and writes it, as markdown, to benchmarks/results-sequential.md (the book's
benchmark appendix includes that file).

Three ways to run the same training (same weights, same order of the samples, same updates):

- *fit*: ``Sequential.fit``, as a student calls it;
- *checked calls*: the loop written by hand with the public, checked calls, block by block: ``net.forward``,
  the loss of ``nnlib.losses``, ``net.backward``, ``opt.step`` (what ``fit`` did before it checked its data
  once per fit);
- *bare numpy* (networks of Dense layers only): the same arithmetic with nothing around it, the weights as
  plain arrays (forward, loss, backward, the optimizer's update, and the forward pass over all samples that
  gives the loss of the initial weights) — the floor no library can go below.

The overhead of fit per update is (fit − bare numpy) / number of updates: everything that is not arithmetic
(checks, Python calls, the divergence watch, the gradient norm recorded at every update, the activations'
derivatives computed from φ rather than from s). Three networks:

- tiny: 2-8-1, tanh, squared error, plain gradient descent, N = 400 samples in blocks of B = 4, where that
  overhead is all there is (the goal of issue #16: at most 50 µs per update);
- digits MLP: 64-128-64-10, ReLU, cross-entropy, Adam, B = 32 on the 1347 training digits (the MLP of the CNN
  page);
- digits CNN: conv 8@3×3 (padding 1), ReLU, max-pooling 2×2, flatten, dense to 10, Adam, B = 32 (the CNN of
  the classification page); no bare-numpy version.

Times are the process's CPU time with one BLAS thread, the three ways timed in turn (``report.side_by_side``)
so that a load from other processes hits them alike; the best of the repeats (the closest to a quiet machine:
a load can only add time) and the median.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/bench_sequential.py [--quick]

``--quick`` (for a smoke test) runs fewer repeats.
"""

import sys
from pathlib import Path

import numpy as np

import report
from nnlib import losses, optim
from nnlib.layers import Act, Conv2D, Dense, Flatten, MaxPool2D, Sequential
from nnlib.loop import blocks

RESULTS = Path(__file__).with_name("results-sequential.md")
GOAL_US = 50.0                       # µs of overhead per update on the tiny network (issue #16)


# ------------------------------------------------------------------------------------------- the three ways

def by_hand(net, X, t, loss, opt, epochs, B, seed=0):
    """The training loop of fit written with the public, checked calls (block by block), recording and
    watching the gradient norm as fit does."""
    fn = losses.get(loss)
    g = "softmax" if fn is losses.cross_entropy else "linear"
    rng = np.random.default_rng(seed)
    net.loss(X, t, loss)                                   # q of the initial weights, as fit computes it
    for _ in range(epochs):
        total = 0.0
        for b in blocks(len(X), B, rng):
            y = net.forward(X[b], True)
            q, delta = fn(y, t[b], g)
            net.backward(-delta / len(b))
            grads = net.grad_list
            norm = np.sqrt(sum(float(np.vdot(gr, gr)) for gr in grads))
            if not (np.isfinite(q) and np.isfinite(norm)):
                raise FloatingPointError("diverged")
            opt.step(net.param_list, grads)
            total += q * len(b)


def bare_numpy(thetas, g, X, T, loss, rule, epochs, B, seed=0):
    """The same training as plain numpy on the arrays `thetas` (Dense layers, thresholds in column 0): hidden
    activation `g` ('tanh' or 'relu'), loss 'squared_error' (linear output) or 'cross_entropy' (T one-hot),
    update rule ('sgd', rho) or ('adam', rho)."""
    rng = np.random.default_rng(seed)
    name, rho = rule
    m = [np.zeros_like(th) for th in thetas]
    v = [np.zeros_like(th) for th in thetas]
    grads = [np.empty_like(th) for th in thetas]
    k = 0
    L = len(thetas)

    def forward(x):
        s = [x]
        for l, th in enumerate(thetas):
            phi = s[-1] @ th[:, 1:].T + th[:, 0]
            s.append(phi if l == L - 1 else np.tanh(phi) if g == "tanh" else np.maximum(phi, 0))
        return s

    forward(X)                                                 # the initial loss's pass, as fit makes it
    for _ in range(epochs):
        total = 0.0
        for b in blocks(len(X), B, rng):
            s = forward(X[b])
            y, t = s[-1], T[b]
            if loss == "squared_error":
                e = t - y
                q = 0.5 * np.mean(np.sum(e * e, axis=-1))
                d = -e / len(b)                                # ∂q_S/∂y
            else:
                z = y - y.max(axis=-1, keepdims=True)
                ez = np.exp(z)
                sums = ez.sum(axis=-1, keepdims=True)
                q = (np.log(sums).sum() - np.vdot(t, z)) / len(b)
                d = (ez / sums - t) / len(b)
            for l in range(L - 1, -1, -1):                     # backward
                grads[l][:, 0] = d.sum(axis=0)
                np.matmul(d.T, s[l], out=grads[l][:, 1:])
                if l:
                    d = d @ thetas[l][:, 1:]
                    d *= (1 - s[l] * s[l]) if g == "tanh" else (s[l] > 0)
            k += 1
            for th, gr, m_, v_ in zip(thetas, grads, m, v):    # update
                if name == "sgd":
                    th -= rho * gr
                else:
                    m_[:] = 0.9 * m_ + 0.1 * gr
                    v_[:] = 0.999 * v_ + 0.001 * gr * gr
                    th -= rho * (m_ / (1 - 0.9 ** k)) / (np.sqrt(v_ / (1 - 0.999 ** k)) + 1e-8)
            total += float(q) * len(b)


# ---------------------------------------------------------------------------------------------- the cases

def tiny_net():
    return Sequential([Dense(2, 8, seed=0), Act("tanh"), Dense(8, 1, seed=1)])


def digits_mlp():
    return Sequential([Dense(64, 128, init="he", seed=0), Act("relu"), Dense(128, 64, init="he", seed=1),
                       Act("relu"), Dense(64, 10, seed=2)])


def digits_cnn():
    return Sequential([Conv2D(1, 8, kernel=3, padding=1, seed=0), Act("relu"), MaxPool2D(2), Flatten(),
                       Dense(8 * 4 * 4, 10, seed=1)])


def tiny_data():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (400, 2))
    return X, np.sin(2 * X[:, :1]) * X[:, 1:]


def digits_data(images):
    from nnlib.data import digits
    X, _, y, _ = digits.split(images=images)
    return X, y


def measure(name, make, X, t, loss, make_opt, g, rule, epochs, B, repeats):
    """One row: seconds per fit of the three ways (bare numpy when `g` is given), timed side by side."""
    updates = epochs * -(-len(X) // B)
    nets = [make() for _ in range(2)]
    start = [p.copy() for p in nets[0].param_list]

    def fresh(net):                                    # the same initial weights for every run
        for p, p0 in zip(net.param_list, start):
            p[...] = p0
        return net

    ways = {
        "fit": lambda: fresh(nets[0]).fit(X, t, loss=loss, optimizer=make_opt(), epochs=epochs, B=B, seed=0),
        "checked calls": lambda: by_hand(fresh(nets[1]), X, t, loss, make_opt(), epochs, B),
    }
    if g is not None:
        onehot = np.eye(10)[t] if t.ndim == 1 else t
        ways["bare numpy"] = lambda: bare_numpy([p.copy() for p in start], g, X, onehot, loss, rule, epochs, B)
    times = dict(zip(ways, report.side_by_side(list(ways.values()), repeats)))
    return dict(name=name, N=len(X), B=B, epochs=epochs, updates=updates, times=times)


def main(quick=False):
    started = report.start()
    r = 4 if quick else 1
    X, t = tiny_data()
    Xd, yd = digits_data(False)
    Xi, yi = digits_data(True)
    rows = [
        measure("tiny 2-8-1 (tanh, squared error, SGD)", tiny_net, X, t, "squared_error",
                lambda: optim.SGD(0.05), "tanh", ("sgd", 0.05), 2, 4, 41 // r),
        measure("digits MLP 64-128-64-10 (ReLU, cross-entropy, Adam)", digits_mlp, Xd, yd, "cross_entropy",
                lambda: optim.Adam(rho=0.002), "relu", ("adam", 0.002), 3, 32, 15 // r),
        measure("digits CNN conv 8@3×3, pool, dense (Adam)", digits_cnn, Xi, yi, "cross_entropy",
                lambda: optim.Adam(rho=0.01), None, None, 1, 32, 11 // r),
    ]

    header = ["network", "N", "B", "updates", "fit (µs/update)", "checked calls", "bare numpy",
              "overhead of fit (µs/update)", "fit (samples/s)", "checked calls / fit"]
    table = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    goals = []
    for row in rows:
        best = {k: v.best / row["updates"] * 1e6 for k, v in row["times"].items()}
        median = {k: v.median / row["updates"] * 1e6 for k, v in row["times"].items()}
        bare = best.get("bare numpy")
        overhead = None if bare is None else best["fit"] - bare
        speed = row["N"] * row["epochs"] / row["times"]["fit"].best
        table.append(
            f"| {row['name']} | {row['N']} | {row['B']} | {row['updates']} | {best['fit']:.1f} "
            f"(median {median['fit']:.1f}) | {best['checked calls']:.1f} | "
            f"{'–' if bare is None else f'{bare:.1f}'} | {'–' if overhead is None else f'{overhead:.1f}'} | "
            f"{speed:,.0f} | {best['checked calls'] / best['fit']:.2f} |")
        if row is rows[0]:
            goals.append(report.Goal("tiny 2-8-1, B = 4: overhead of Sequential.fit per update", overhead, GOAL_US,
                                     "µs", better="lower"))
    print("\n".join(table))

    lines = ["# Sequential.fit: the overhead per update", ""] + report.header(__file__, ["numpy"], started) + [
        "One BLAS thread, process CPU time in µs per update, the three ways timed in turn; the best of the "
        "repeats (a load from other processes can only add time), the median for fit in parentheses. *fit* is "
        "`Sequential.fit` as called by a student; *checked calls* the same training written with the public "
        "calls, each checking its arguments at every block (`forward`, the loss, `backward`, `opt.step`: what "
        "fit did before it checked its data once per fit); *bare numpy* the same arithmetic on plain arrays, "
        "the floor. Overhead of fit = fit − bare numpy, per update: what is not arithmetic (checks, Python "
        "calls, the divergence watch, the gradient norm it records). Samples per second = N × epochs / time "
        "of the fit.",
        "",
    ] + table
    lines += report.goals_section(goals, "Per update, fit − bare numpy, best of the repeats; 1 thread.")
    lines += report.footer(started)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwritten {RESULTS}")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
