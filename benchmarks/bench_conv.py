"""Speed of nnlib's convolutional layer (forward + backward) against the naive loops and PyTorch's CPU conv2d.

Not a test: it prints a table and writes it, as markdown, to benchmarks/results-conv.md (the book's benchmark
appendix includes that file).

One "step" is what training does with a layer: the forward pass ``y = conv(x)`` and the backward pass that,
given ∂q/∂y, returns ∂q/∂x and fills ∂q/∂W and ∂q/∂b. Three shapes, all float64, batch 64:

- a batch of 64 MNIST-sized images 1×28×28, 8 filters 3×3 (stride 1, no padding);
- scikit-learn's 8×8 digits, 1×8×8, 16 filters 3×3 with padding 1 (the first layer of the book's digits CNN);
- a multi-channel layer with stride 2: 8×14×14 → 16 channels, 3×3, stride 2, padding 1.

Columns: the median CPU time (``time.process_time``: with one thread, the time the process really computed,
which other processes on the machine disturb much less than the wall clock) of a step over many repeats for
nnlib (``nnlib.layers.conv.Conv2D``), for the loop-by-loop oracle (``conv2d_naive`` + ``conv2d_naive_backward``, timed
once: it takes seconds) and for PyTorch (``torch.nn.functional.conv2d`` + ``backward``, with
``torch.set_num_threads(1)``) when it can be imported;
then the ratios nnlib / PyTorch (below 1: nnlib is faster) and naive / nnlib. nnlib and PyTorch are timed
in alternation (``report.side_by_side``), so a load from other processes hits both alike. The results file
opens with the date, versions, BLAS, CPU and the load average (``report.header``) and ends with each ratio
against its goal (``report.goals_section``) and the load at the end.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/bench_conv.py [--quick]

``--quick`` (for a smoke test) uses fewer repeats and a smaller batch for the naive loops (their time is then
scaled up to the full batch, which is exact for loops whose work grows linearly with the batch).
"""

import sys
import time
from pathlib import Path

import numpy as np

import report
from nnlib.layers.conv import Conv2D, conv2d_naive, conv2d_naive_backward

RESULTS = Path(__file__).with_name("results-conv.md")

torch = report.torch_or_none()
F = torch.nn.functional if torch is not None else None

# (name, input shape, C_out, kernel, stride, padding, goal ratio nnlib / PyTorch)
CASES = [
    ("1×28×28 → 8, 3×3", (64, 1, 28, 28), 8, 3, 1, 0, 1.25),
    ("digits 1×8×8 → 16, 3×3, padding 1", (64, 1, 8, 8), 16, 3, 1, 1, 1.25),
    ("8×14×14 → 16, 3×3, stride 2, padding 1", (64, 8, 14, 14), 16, 3, 2, 1, 2.0),
]


def nnlib_step(layer, x, gy):
    def step():
        layer.forward(x, True)
        layer.backward(gy)
    return step


def torch_step(layer, x, gy, stride, padding):
    xt = torch.tensor(x, requires_grad=True)
    Wt = torch.tensor(layer.params["W"], requires_grad=True)
    bt = torch.tensor(layer.params["b"], requires_grad=True)
    gyt = torch.tensor(gy)

    def step():
        xt.grad = Wt.grad = bt.grad = None
        F.conv2d(xt, Wt, bt, stride=stride, padding=padding).backward(gyt)
    return step


def naive_time(x, layer, gy, stride, padding, batch):
    xs, gys = x[:batch], gy[:batch]
    W, b = layer.params["W"], layer.params["b"]
    start = time.process_time()
    conv2d_naive(xs, W, b, stride, padding)
    conv2d_naive_backward(xs, W, gys, stride, padding)
    return (time.process_time() - start) * x.shape[0] / batch


def check_same(layer, x, gy, stride, padding):
    """nnlib and the oracle (and PyTorch) agree on this case before anything is timed."""
    y = layer.forward(x[:2])
    gx = layer.backward(gy[:2])
    y0 = conv2d_naive(x[:2], layer.params["W"], layer.params["b"], stride, padding)
    gx0, gW0, gb0 = conv2d_naive_backward(x[:2], layer.params["W"], gy[:2], stride, padding)
    assert np.allclose(y, y0, atol=1e-12) and np.allclose(gx, gx0, atol=1e-12)
    assert np.allclose(layer.grads["W"], gW0, atol=1e-12) and np.allclose(layer.grads["b"], gb0, atol=1e-12)
    if torch is not None:
        yt = F.conv2d(torch.tensor(x[:2]), torch.tensor(layer.params["W"]), torch.tensor(layer.params["b"]),
                      stride=stride, padding=padding).numpy()
        assert np.allclose(y, yt, atol=1e-12)


def main(quick=False):
    started = report.start()
    if torch is not None:
        torch.set_num_threads(1)
    repeats = 15 if quick else 200
    rows = []
    for name, shape, C_out, kernel, stride, padding, goal in CASES:
        rng = np.random.default_rng(0)
        x = rng.standard_normal(shape)
        layer = Conv2D(shape[1], C_out, kernel, stride, padding, seed=0)
        layer.params["b"][:] = rng.standard_normal(C_out)
        gy = rng.standard_normal(layer.forward(x).shape)
        check_same(layer, x, gy, stride, padding)
        steps = [nnlib_step(layer, x, gy)]
        if torch is not None:
            steps.append(torch_step(layer, x, gy, stride, padding))
        times = [timing.median for timing in report.side_by_side(steps, repeats)]
        t_nn = times[0]
        t_torch = times[1] if torch is not None else None
        t_naive = naive_time(x, layer, gy, stride, padding, 4 if quick else shape[0])
        rows.append((name, shape, t_nn, t_naive, t_torch, goal))
        print(f"{name:42s} nnlib {t_nn * 1e3:8.3f} ms   naive {t_naive * 1e3:9.1f} ms   "
              + (f"torch {t_torch * 1e3:8.3f} ms   nnlib/torch {t_nn / t_torch:5.2f} (goal <= {goal})"
                 if t_torch else "torch not installed"), flush=True)
    write(rows, quick, started)
    return rows


def write(rows, quick, started):
    lines = ["# nnlib vs PyTorch: convolution forward + backward", ""]
    lines += report.header(__file__, ["numpy", "torch"], started)
    lines += [
        "One step = `Conv2D.forward` + `backward` (∂q/∂x, ∂q/∂W, ∂q/∂b) on a batch of 64, float64, one "
        f"thread; median CPU time of {'15' if quick else '200'} steps, nnlib and PyTorch (`conv2d` + autograd) "
        f"timed in alternation; the naive loops (`conv2d_naive` + `conv2d_naive_backward`) timed once"
        f"{' on 4 samples and scaled to 64' if quick else ''}. Ratio nnlib / PyTorch below 1: nnlib is faster.",
        "",
        "| layer | input | nnlib (ms) | naive loops (ms) | PyTorch (ms) | nnlib / PyTorch | naive / nnlib |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    goals = []
    for name, shape, t_nn, t_naive, t_torch, goal in rows:
        torch_cells = f"{t_torch * 1e3:.3f} | {t_nn / t_torch:.2f}" if t_torch else "– | –"
        lines.append(f"| {name} | {'×'.join(map(str, shape))} | {t_nn * 1e3:.3f} | {t_naive * 1e3:.0f} | "
                     f"{torch_cells} | {t_naive / t_nn:.0f}× |")
        goals.append(report.Goal(f"{name}, nnlib / PyTorch", t_nn / t_torch if t_torch else None, goal, "×",
                                 "lower", why="PyTorch not installed"))
    lines += report.goals_section(goals, "nnlib's time / PyTorch's, forward + backward, float64, 1 thread.")
    lines += report.footer(started)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
