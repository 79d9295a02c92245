"""Speed of nnlib's LSTM (forward + back-propagation through time) against PyTorch's ``torch.nn.LSTM`` on the CPU.

Not a test: it prints a table and writes it, as markdown, to benchmarks/results-rnn.md.

Both compute the same thing on the same numbers: a one-layer LSTM (gates i, f, g, o; PyTorch's stacking, so
nnlib's ``W``, ``U``, ``b`` are copied into PyTorch's ``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0`` with
``bias_hh_l0 = 0``) over a batch of N = 32 sequences of T = 20 steps, M_in = 64 inputs, M_h = 64 units; the
forward pass, then the backward pass from a fixed ∂q/∂H, giving ∂q/∂x and the gradients of all weights.
The outputs and gradients of the two are compared before timing. Times are the process's CPU time with one
thread (``torch.set_num_threads(1)`` and ``threadpool_limits(1)``), the median of many repeats.

    OMP_NUM_THREADS=1 PYTHONPATH=/work/main /tmp/probe-venv/bin/python benchmarks/bench_rnn.py [--quick]

(Any Python with numpy and nnlib runs it; the PyTorch columns are filled when ``torch`` can be imported.)
"""

import datetime
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from nnlib.layers.recurrent import LSTM

try:
    from threadpoolctl import threadpool_limits
except ImportError:                       # pragma: no cover
    threadpool_limits = None

try:
    import torch
except ImportError:
    torch = None

N, T, M_IN, M_H = 32, 20, 64, 64
RESULTS = Path(__file__).with_name("results-rnn.md")
GOALS = {"float64": 1.0, "float32": 1.5}


def data(dtype, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((N, T, M_IN)).astype(dtype), rng.standard_normal((N, T, M_H)).astype(dtype))


def nnlib_runner(dtype):
    layer = LSTM(M_IN, M_H, seed=0, dtype=dtype)
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


def median_time(run, repeats):
    for _ in range(3):                       # warm up
        run()
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return float(np.median(times))


def agree(layer, run_np, model, x, run_torch, dtype):
    """Largest relative difference between nnlib's and PyTorch's ∂q/∂x and weight gradients."""
    gx = run_np()
    gx_t = run_torch().numpy()
    pairs = [(gx, gx_t), (layer.grads["W"], model.weight_ih_l0.grad.numpy()),
             (layer.grads["U"], model.weight_hh_l0.grad.numpy()), (layer.grads["b"], model.bias_ih_l0.grad.numpy())]
    return max(float(np.abs(a - b).max() / np.abs(b).max()) for a, b in pairs)


def main(quick=False):
    repeats = 20 if quick else 200
    if torch is not None:
        torch.set_num_threads(1)
    limit = threadpool_limits(1) if threadpool_limits is not None else None
    rows = []
    for dtype in (np.float64, np.float32):
        name = np.dtype(dtype).name
        layer, run_np = nnlib_runner(dtype)
        row = {"dtype": name, "nnlib": median_time(run_np, repeats)}
        if torch is not None:
            model, x, run_t = torch_runner(layer, dtype)
            row["agree"] = agree(layer, run_np, model, x, run_t, dtype)
            row["torch"] = median_time(run_t, repeats)
            row["ratio"] = row["nnlib"] / row["torch"]
        rows.append(row)
        print(row, flush=True)
    if limit is not None:
        limit.unregister()
    write(rows, repeats)


def write(rows, repeats):
    versions = f"numpy {np.__version__}"
    if torch is not None:
        versions += f", PyTorch {torch.__version__}"
    lines = [
        "# nnlib vs PyTorch: LSTM forward + BPTT",
        "",
        f"Measured {datetime.date.today()} with `benchmarks/bench_rnn.py`: {versions}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPU(s) ({platform.machine()}); load average "
        f"{os.getloadavg()[0]:.1f}.",
        "",
        f"One LSTM layer, batch N = {N}, sequence T = {T}, M_in = {M_IN} inputs, M_h = {M_H} units: the forward "
        "pass over the whole sequence and back-propagation through time from a fixed ∂q/∂H (∂q/∂x and the "
        "gradients of W, U, b). Both libraries start from the same weights; *agreement* is the largest relative "
        "difference between their gradients. Time: process CPU time with 1 thread, median of "
        f"{repeats} repeats after 3 warm-up runs. Ratio = nnlib / PyTorch (below 1: nnlib is faster).",
        "",
        "| dtype | nnlib (ms) | PyTorch (ms) | ratio | goal | met | agreement |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        if "torch" in r:
            met = "yes" if r["ratio"] <= GOALS[r["dtype"]] else "no"
            lines.append(f"| {r['dtype']} | {1e3 * r['nnlib']:.2f} | {1e3 * r['torch']:.2f} | {r['ratio']:.2f} | "
                         f"≤ {GOALS[r['dtype']]:.1f} | {met} | {r['agree']:.1e} |")
        else:
            lines.append(f"| {r['dtype']} | {1e3 * r['nnlib']:.2f} | (no PyTorch) | | ≤ {GOALS[r['dtype']]:.1f} | | |")
    lines += [
        "",
        "nnlib's loop over time is Python: per step, one matrix product for the four stacked gates forward and "
        "one backward (∂q/∂h_{t-1}), plus about a dozen elementwise numpy operations on (N, 4M_h) arrays. The "
        "input projection of all steps, ∂q/∂W, ∂q/∂U and ∂q/∂x are one matrix product each over all steps, "
        "outside the loop. PyTorch's CPU LSTM does the same products in C++; at this small size both spend much "
        "of their time on per-operation overhead rather than arithmetic, which weighs more in float32.",
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
