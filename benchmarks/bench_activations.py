"""Speed of nnlib's activations against scikit-learn's (and PyTorch's, where installed), in one run.

Not a test: it prints times and ratios (nnlib / other; below 1 means nnlib is faster). nnlib's
functions do more than scikit-learn's in-place helpers: they validate their input (type, NaN) and never
overflow, so a ratio somewhat above 1 is the price of those guarantees. For the backward product
g'(φ)·δ, nnlib computes g' from φ as the slides write it, while scikit-learn reuses the stored
output s = g(φ) (possible for sigmoid, tanh and ReLU only).

    make bench          # or: .venv/bin/python benchmarks/bench_activations.py [N] [M]
"""
import sys
import timeit

import numpy as np
from sklearn.neural_network import _base as sk

from nnlib import activations as act


def best(stmt, number=20, repeat=5):
    """Best time of one call, in seconds."""
    return min(timeit.repeat(stmt, number=number, repeat=repeat)) / number


def sklearn_time(inplace, X):
    """Time an in-place scikit-learn helper on a fresh copy of X, minus the copy."""
    buf = np.empty_like(X)
    return best(lambda: (np.copyto(buf, X), inplace(buf))) - best(lambda: np.copyto(buf, X))


def main(N=4096, M=256):
    rng = np.random.default_rng(0)
    phi = rng.normal(scale=3.0, size=(N, M))
    delta = rng.normal(size=(N, M))
    try:
        import torch
        torch.set_num_threads(1)
        tphi = torch.from_numpy(phi)
    except ImportError:
        torch = None
    print(f"activations on a batch of N={N} rows, M={M} units, float64, one thread")
    head = f"{'g':<10}{'nnlib g':>12}{'sklearn g':>12}{'ratio':>8}   {'nnlib g′·δ':>12}{'sklearn':>12}{'ratio':>8}"
    print(head + (f"   {'torch g':>10}{'ratio':>8}" if torch else ""))
    # (scikit-learn's identity is a no-op in place: nothing to compare.)
    pairs = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu", "softmax": "softmax"}
    for name, skname in pairs.items():
        g = act.get(name)
        t_g = best(lambda: g(phi))
        t_sk = sklearn_time(sk.ACTIVATIONS[skname], phi)
        line = f"{name:<10}{t_g * 1e3:>10.2f}ms{t_sk * 1e3:>10.2f}ms{t_g / t_sk:>8.2f}"
        if skname in sk.DERIVATIVES:
            s = g(phi)
            t_d = best(lambda: g.jvp(phi, delta))
            t_skd = sklearn_time(lambda b: sk.DERIVATIVES[skname](s, b), delta)
            line += f"   {t_d * 1e3:>10.2f}ms{t_skd * 1e3:>10.2f}ms{t_d / t_skd:>8.2f}"
        else:
            line += " " * 43
        if torch:
            tf = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
                  "softmax": lambda x: torch.softmax(x, dim=-1)}[name]
            t_t = best(lambda: tf(tphi))
            line += f"   {t_t * 1e3:>8.2f}ms{t_g / t_t:>8.2f}"
        print(line)
    if torch is None:
        print("(PyTorch is not installed: no PyTorch column)")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
