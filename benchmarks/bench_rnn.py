"""Speed of nnlib's LSTM (forward + back-propagation through time) against PyTorch's ``torch.nn.LSTM`` on the CPU.

Not a test: it prints a table and writes it, as markdown, to benchmarks/results-rnn.md (the book's benchmark
appendix includes that file).

Both compute the same thing on the same numbers: a one-layer LSTM (gates i, f, g, o; PyTorch's stacking, so
nnlib's ``W``, ``U``, ``b`` are copied into PyTorch's ``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0`` with
``bias_hh_l0 = 0``) over a batch of N = 32 sequences of T = 20 steps, M_in = 64 inputs, M_h = 64 units; the
forward pass, then the backward pass from a fixed ∂q/∂H, giving ∂q/∂x and the gradients of all weights.
The outputs and gradients of the two are compared before timing. nnlib is timed as called (its fused loop,
``LSTM._fused_forward`` / ``_fused_backward``) and cell by cell (``layer.fast = False``: the loop of
``Recurrent.forward`` / ``backward`` over ``LSTM._cell`` / ``_cell_backward``, the code the book shows).
Times are the process's CPU time with one thread (``torch.set_num_threads(1)`` and ``threadpool_limits(1)``),
the median of many repeats, all timed in alternation (``report.side_by_side``) so that a load from other
processes hits them alike. A fourth timing runs the matrix products of the fused loop alone, to show how much
of nnlib's time they take. The results file opens with the date, versions, BLAS, CPU and load
(``report.header``) and ends with each ratio against its goal (``report.goals_section``).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/bench_rnn.py [--quick]

(Any Python with numpy and nnlib runs it; the PyTorch columns are filled when ``torch`` can be imported.)
"""

import sys
from pathlib import Path

import numpy as np

import report
from nnlib.layers.recurrent import LSTM

try:
    from threadpoolctl import threadpool_limits
except ImportError:                       # pragma: no cover
    threadpool_limits = None

torch = report.torch_or_none(threads=1)

N, T, M_IN, M_H = 32, 20, 64, 64
RESULTS = Path(__file__).with_name("results-rnn.md")
GOALS = {"float64": 1.0, "float32": 1.0}           # nnlib's time / PyTorch's


def data(dtype, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((N, T, M_IN)).astype(dtype), rng.standard_normal((N, T, M_H)).astype(dtype))


def nnlib_runner(dtype, fast=True):
    layer = LSTM(M_IN, M_H, seed=0, dtype=dtype)
    layer.fast = fast
    x, gH = data(dtype)

    def run():
        layer.forward(x)
        return layer.backward(gH)
    return layer, run


def torch_runner(layer, dtype):
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    model = torch.nn.LSTM(M_IN, M_H, batch_first=True, dtype=tdtype)
    with torch.no_grad():
        model.weight_ih_l0.copy_(torch.from_numpy(layer.params["W"]))
        model.weight_hh_l0.copy_(torch.from_numpy(layer.params["U"]))
        model.bias_ih_l0.copy_(torch.from_numpy(layer.params["b"]))
        model.bias_hh_l0.zero_()
    x_np, gH_np = data(dtype)
    x = torch.from_numpy(x_np).requires_grad_(True)
    gH = torch.from_numpy(gH_np)

    def run():
        model.zero_grad(set_to_none=True)
        x.grad = None
        H, _ = model(x)
        H.backward(gH)
        return x.grad
    return model, x, run


def products_runner(dtype):
    """The matrix products of nnlib's fused loop alone, on arrays of the same shapes and layouts: the input
    projection of all steps, one product per step forward and one backward, then ∂q/∂U, ∂q/∂W, ∂q/∂b, ∂q/∂x."""
    rng = np.random.default_rng(1)
    M4 = 4 * M_H
    Wb, U = rng.standard_normal((M4, M_IN + 1)).astype(dtype), rng.standard_normal((M4, M_H)).astype(dtype)
    X1, Y = rng.standard_normal((T, M_IN + 1, N)).astype(dtype), np.empty((T, M4, N), dtype)
    H, GZ = rng.standard_normal((T + 1, M_H, N)).astype(dtype), rng.standard_normal((T, M4, N)).astype(dtype)
    Uh, gh = np.empty((M4, N), dtype), np.empty((M_H, N), dtype)
    G, HB = rng.standard_normal((M4, T * N)).astype(dtype), rng.standard_normal((T * N, M_H)).astype(dtype)
    XB, ones = rng.standard_normal((T * N, M_IN)).astype(dtype), np.ones(T * N, dtype)
    W, gx = np.ascontiguousarray(Wb[:, :M_IN]), np.empty((N, T, M_IN), dtype)

    def run():
        np.matmul(Wb, X1, out=Y)
        for t in range(T):
            np.dot(U, H[t], out=Uh)
        for t in range(T):
            np.dot(U.T, GZ[t], out=gh)
        G @ HB, G @ XB, G @ ones
        np.matmul(GZ.transpose(0, 2, 1), W, out=gx.transpose(1, 0, 2))
    return run


def gradients(layer, gx):
    return [gx.copy()] + [layer.grads[k].copy() for k in ("W", "U", "b")]


def largest_difference(ours, theirs):
    """Largest relative difference between two lists of arrays (∂q/∂x and the weight gradients)."""
    return max(float(np.abs(a - b).max() / np.abs(b).max()) for a, b in zip(ours, theirs))


def main(quick=False):
    repeats = 20 if quick else 200
    started = report.start()
    limit = threadpool_limits(1) if threadpool_limits is not None else None
    rows = []
    for dtype in (np.float64, np.float32):
        name = np.dtype(dtype).name
        layer, run_np = nnlib_runner(dtype)
        cells, run_cells = nnlib_runner(dtype, fast=False)
        row = {"dtype": name, "cells_agree": largest_difference(gradients(layer, run_np()),
                                                                 gradients(cells, run_cells()))}
        fns = [run_np, run_cells, products_runner(dtype)]
        if torch is not None:
            model, x, run_t = torch_runner(layer, dtype)
            gx_t = run_t().numpy()
            theirs = [gx_t, model.weight_ih_l0.grad.numpy(), model.weight_hh_l0.grad.numpy(),
                      model.bias_ih_l0.grad.numpy()]
            row["agree"] = largest_difference(gradients(layer, run_np()), theirs)
            fns.append(run_t)
        times = [t.median for t in report.side_by_side(fns, repeats, warmup=3)]
        row["nnlib"], row["cells"], row["products"] = times[:3]
        if torch is not None:
            row["torch"] = times[3]
            row["ratio"] = row["nnlib"] / row["torch"]
        rows.append(row)
        print({k: (f"{v:.3g}" if isinstance(v, float) else v) for k, v in row.items()}, flush=True)
    if limit is not None:
        limit.unregister()
    write(rows, repeats, started)


def write(rows, repeats, started):
    lines = ["# nnlib vs PyTorch: LSTM forward + BPTT", ""]
    lines += report.header(__file__, ["numpy", "torch"], started)
    lines += [
        f"One LSTM layer, batch N = {N}, sequence T = {T}, M_in = {M_IN} inputs, M_h = {M_H} units: the forward "
        "pass over the whole sequence and back-propagation through time from a fixed ∂q/∂H (∂q/∂x and the "
        "gradients of W, U, b). Both libraries start from the same weights. *nnlib* is the layer as called (its "
        "fused loop), *cell by cell* the same layer with `fast = False` (the loop over `LSTM._cell` and "
        "`LSTM._cell_backward` that the book shows); *agreement* is the largest relative difference between "
        "nnlib's gradients and PyTorch's (in brackets: between nnlib's two paths). Time: process CPU time with "
        f"1 thread, median of {repeats} repeats after 3 warm-up runs, all four timed in alternation. Ratio = "
        "nnlib / PyTorch (below 1: nnlib is faster).",
        "",
        "| dtype | nnlib (ms) | its products alone (ms) | cell by cell (ms) | PyTorch (ms) | nnlib / PyTorch "
        "| agreement |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    goals = []
    for r in rows:
        label = f"LSTM {r['dtype']}, nnlib / PyTorch"
        cells = (f"| {r['dtype']} | {1e3 * r['nnlib']:.2f} | {1e3 * r['products']:.2f} "
                 f"({100 * r['products'] / r['nnlib']:.0f}%) | {1e3 * r['cells']:.2f} | ")
        if "torch" in r:
            lines.append(cells + f"{1e3 * r['torch']:.2f} | {r['ratio']:.2f} | {r['agree']:.1e} "
                         f"({r['cells_agree']:.0e}) |")
            goals.append(report.Goal(label, r["ratio"], GOALS[r["dtype"]], "×", "lower"))
        else:
            lines.append(cells + f"(no PyTorch) | | ({r['cells_agree']:.0e}) |")
            goals.append(report.Goal(label, None, GOALS[r["dtype"]], "×", "lower", why="PyTorch not installed"))
    lines += [
        "",
        "*Its products alone* times the matrix products of nnlib's fused loop by themselves, on arrays of the "
        "same shapes: the input projection W x_t + b of all steps before the loop, one product U h_{t-1} per "
        "step forward and one Uᵀ ∂q/∂z_t per step backward, then ∂q/∂U, ∂q/∂W, ∂q/∂b and ∂q/∂x, one product "
        "each over all steps. They are the same in the three timed columns (in float32, numpy's OpenBLAS is "
        "as fast as PyTorch's MKL on these shapes). The rest of nnlib's time is numpy's elementwise work, called "
        "from a Python loop over time, and a few layout copies. Cell by cell, a step costs about thirty numpy calls "
        "forward (three sigmoids of five passes each) and twenty backward, each allocating its result. The "
        "fused loop keeps a step's gates as a (4M_h, N) array, so each gate is one contiguous block; it orders "
        "them o, i, f, g with the sigmoid gates' rows of W, U and b halved (exact), so that one `tanh` gives "
        "all four (σ(z) = (1 + tanh(z/2))/2), and stores c_{t-1} after them, so that (i, f) ⊙ (g, c_{t-1}) is "
        "one product: nine numpy calls per step forward and six backward, all in place, and the local "
        "derivatives of all steps in six passes before the backward loop, from products the forward pass "
        "kept. Its work arrays are allocated once per shape: allocated anew at every call, the large ones "
        "page-faulted in again each time, which cost as much as the loop. In float32 those fifteen calls per "
        "step, about 1 µs each (the call, and a pass over 2,048 to 8,192 numbers), are what is left between "
        "nnlib and PyTorch, which runs float32 through oneDNN's fused LSTM (`mkldnn_rnn_layer`): the "
        "elementwise work of a step is one compiled loop there. float64 goes through PyTorch's generic path, "
        "a few autograd operations per step.",
    ]
    lines += report.goals_section(goals, "nnlib's time / PyTorch's, forward + BPTT, 1 thread.")
    lines += report.footer(started)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
