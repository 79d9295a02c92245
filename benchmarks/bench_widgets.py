"""How long one move of a control of each live explorer of the book takes to recompute: goal at most 150 ms.

Not a test: it prints a table and writes it, as markdown, to benchmarks/results-widgets.md (the book's
benchmark appendix includes that file).

A live explorer of ``nnlib.book.widgets`` (``learning_rate_explorer``, ``convergence_explorer``,
``playground_widget``) redraws its figure every time a control moves: it reruns a pure computation of
``nnlib.book.explore`` (``gd_quadratic``, ``convergence_run`` or ``compare_methods``, ``playground``) with the
controls' values, then draws the result. Each explorer keeps that computation as ``box._compute`` and its
controls as ``box._controls``; this script reads the controls' default values and ranges from the widget
itself, so it measures what the reader can reach:

- every control at its default, then each control alone at its extreme values (a slider's minimum and maximum,
  a log slider's ends, every option of a drop-down, both states of a check box), the others at their defaults;
- for the convergence explorer also its other branch, the small perceptron (``problem = mlp``) trained by batch,
  mini-batch and incremental BackProp, at the ends of ρ and of the steps slider.

The time of a move is the process's CPU time (``time.process_time``, one BLAS thread), the median of the
repeats, of ``box._compute(**values)``: the recomputation, without drawing. The drawing (the explorer's
``plot_*`` function and the PNG the notebook shows, ``widgets.figure_png``) is timed separately and shown
beside it; it is matplotlib's work and depends on the figure, not on nnlib. The pre-rendered explorers
(``frames_widget``: the learning-rate, convergence and optimizers pages) recompute nothing when their slider
moves: the browser flips between frames drawn when the book was built.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/bench_widgets.py [--quick]

``--quick`` (for a smoke test) uses fewer repeats.
"""

import contextlib
import io
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import report  # noqa: E402
from nnlib.book import widgets  # noqa: E402

try:
    from threadpoolctl import threadpool_limits
except ImportError:                                       # pragma: no cover
    threadpool_limits = None

RESULTS = Path(__file__).with_name("results-widgets.md")
GOAL_MS = 150.0
#: The explorers, with the drawing function of their result.
EXPLORERS = [
    ("learning_rate_explorer", widgets.learning_rate_explorer, widgets.plot_quadratic),
    ("convergence_explorer", widgets.convergence_explorer, widgets.plot_convergence),
    ("playground_widget", widgets.playground_widget, widgets.plot_playground),
]


def extremes(control):
    """The values a control can take that this script tries besides its default: (label, value) pairs."""
    kind = type(control).__name__
    if kind in ("IntSlider", "FloatSlider"):
        return [(_text(control.min), control.min), (_text(control.max), control.max)]
    if kind == "FloatLogSlider":
        low, high = control.base ** control.min, control.base ** control.max
        return [(_text(low), low), (_text(high), high)]
    if kind == "Checkbox":
        return [(str(not control.value), not control.value)]
    if kind == "Dropdown":
        return [(str(label), value) for label, value in _options(control) if value != control.value]
    raise TypeError(f"no extreme values for a {kind}")


def _options(control):
    return [(o, o) if not isinstance(o, tuple) else o for o in control.options]


def _text(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _default_label(control):
    if type(control).__name__ == "Dropdown":
        return next(str(label) for label, value in _options(control) if value == control.value)
    return _text(control.value)


def cases(box, name):
    """(control, label, values) for every move measured on the explorer `box`."""
    controls = box._controls
    default = {key: c.value for key, c in controls.items()}
    out = [("all at default", ", ".join(f"{k} {_default_label(c)}" for k, c in controls.items()
                                        if k in ("rho", "problem", "steps", "epochs", "batch_size")), default)]
    for key, control in controls.items():
        for label, value in extremes(control):
            out.append((key, label, {**default, key: value}))
    if name == "convergence_explorer":                    # the MLP branch, at the ends of rho and steps
        mlp = {**default, "problem": "mlp"}
        for key in ("rho", "steps"):
            for label, value in extremes(controls[key]):
                out.append((f"problem mlp, {key}", label, {**mlp, key: value}))
    return out


def diverged(result):
    if isinstance(result, dict):
        return any(r.diverged for r in result.values())
    return bool(result.diverged)


def measure(quick=False):
    repeats, draw_repeats = (3, 1) if quick else (7, 3)
    rows = []
    for name, make, plot in EXPLORERS:
        with contextlib.redirect_stdout(io.StringIO()):   # its first drawing, outside a notebook: a repr
            box = make()
        for control, label, values in cases(box, name):
            compute = box._compute
            t = report.cpu_seconds(lambda: compute(**values), repeats).median
            result = compute(**values)
            draw = report.cpu_seconds(lambda: widgets.figure_png(plot(result)), draw_repeats).median
            rows.append((name, control, label, t * 1e3, draw * 1e3, diverged(result)))
            verdict = "met" if t * 1e3 <= GOAL_MS else "NOT met"
            print(f"{name:24s} {control:22s} {label:>9s} recompute {t * 1e3:7.1f} ms  draw {draw * 1e3:6.0f} ms  "
                  f"{'diverged  ' if rows[-1][-1] else ''}goal <= {GOAL_MS:g} ms: {verdict}", flush=True)
    return rows


def write(rows, quick, started):
    lines = ["# Widgets: the recomputation of one slider move", ""]
    lines += report.header(__file__, ["numpy", "matplotlib", "ipywidgets"], started)
    lines += [
        "Each live explorer of `nnlib.book.widgets`, every control at its default and then each control alone at "
        "its extreme values (the others at their defaults). *Recompute*: the process's CPU time, one BLAS thread, "
        f"median of {3 if quick else 7} repeats, of the computation a move runs before drawing (`box._compute`: "
        "`explore.gd_quadratic`, `convergence_run` or `compare_methods`, `playground`). *Draw*: the figure "
        "(`plot_*`) and its PNG, timed apart (matplotlib's work). *Diverged*: the run stopped and the figure "
        "says so. The pre-rendered explorers (`frames_widget`) recompute nothing: their slider flips frames "
        "in the browser.",
        "",
        "| explorer | control | value | recompute (ms) | draw (ms) | diverged | goal ≤ 150 ms |",
        "|---|---|---|---:|---:|---|---|",
    ]
    for name, control, label, t, draw, div in rows:
        lines.append(f"| {name} | {control} | {label} | {t:.1f} | {draw:.0f} | {'yes' if div else ''} | "
                     f"{'met' if t <= GOAL_MS else '**NOT met**'} |")
    goals = []
    for name, _, _ in EXPLORERS:
        mine = [r for r in rows if r[0] == name]
        worst = max(mine, key=lambda r: r[3])
        goals.append(report.Goal(f"{name}, slowest move ({worst[1]} = {worst[2]})", worst[3], GOAL_MS, "ms",
                                 "lower"))
    lines += report.goals_section(goals, "The slowest recomputation of each explorer over the moves above; "
                                         "CPU time, 1 thread, median of the repeats.")
    lines += report.footer(started)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


def main(quick=False):
    started = report.start()
    if threadpool_limits is not None:
        with threadpool_limits(limits=1):
            rows = measure(quick)
    else:                                                 # pragma: no cover
        rows = measure(quick)
    write(rows, quick, started)
    return rows


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
