r"""Interactive explorers for the book: learning rate, convergence and optimizers, and a playground.

Two kinds of widget, drawn from the pure computations of :mod:`nnlib.book.explore`:

- **live** (need a running kernel: Binder, Colab, Jupyter): :func:`learning_rate_explorer`,
  :func:`convergence_explorer`, :func:`playground_widget` — ipywidgets sliders wired with
  ``interactive_output`` to a matplotlib figure redrawn on every change;
- **static** (work in the book's HTML with no kernel): :func:`frames_widget` renders a few slider values
  to PNG frames ahead of time, puts them in an ``ipywidgets.Stack`` and links the slider to it with
  ``ipywidgets.jslink``, which runs in the browser from the embedded widget state.
  :func:`learning_rate_frames`, :func:`convergence_frames` and :func:`playground_frames` build the
  chapters' ones.

``import nnlib`` never imports this module; ipywidgets and matplotlib are imported when a function runs.
"""

import io
import math

import numpy as np

from . import explore

__all__ = ["frames_widget", "figure_png", "learning_rate_frames", "convergence_frames", "playground_frames",
           "learning_rate_explorer", "convergence_explorer", "playground_widget", "plot_quadratic",
           "plot_convergence", "plot_methods", "plot_playground"]

DIVERGED_STYLE = dict(color="red", fontsize=22, fontweight="bold", ha="center", va="center", alpha=0.85)


# ------------------------------------------------------------------------------------ helpers

def _plt():
    import matplotlib.pyplot as plt
    return plt


def _show(fig):
    """Display `fig` in the widget's output area, then close it (no figure piles up)."""
    from IPython.display import display
    display(fig)
    _plt().close(fig)


def figure_png(fig, dpi=100):
    """The figure as PNG bytes (then closed, so no figure is left open).

    The whole figure, drawn once: its layout (``tight_layout``, ``layout="constrained"``) already fills it, and
    ``bbox_inches="tight"`` would draw it a second time to measure what it holds."""
    plt = _plt()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


def _live(box, draw, compute, controls):
    """Mark `box` as a live explorer (CSS class ``nnlib-live``: the static book shows a note in its place,
    since its controls need a kernel) and keep, for the tests and ``benchmarks/bench_widgets.py``, its callback
    ``_draw(**values)``, the computation a move of its controls runs before drawing, ``_compute(**values)``,
    and its controls by argument name, ``_controls``."""
    box.add_class("nnlib-live")
    box._draw = draw  # for tests: run the callback directly
    box._compute = compute
    box._controls = controls
    return box


def _titled(fig, ax, title, own):
    """Title a figure drawn by a plot_* function: over the whole figure when it made its own (`own`), over its
    first axes when it draws into the caller's; then lay it out."""
    if own:
        fig.suptitle(title, fontsize=10)
    else:
        ax.set_title(title, fontsize=8)
    fig.tight_layout()
    return fig


def _diverged_label(ax, text="diverged"):
    ax.text(0.5, 0.5, text, transform=ax.transAxes, zorder=10, **DIVERGED_STYLE)


def _label(v):
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


def frames_widget(render, values, description="", labels=None, dpi=100):
    r"""A slider flipping through pre-rendered frames: works in a static HTML page, with no kernel.

    Each value is rendered once, to a PNG in an ``ipywidgets.Image``; the images go in an
    ``ipywidgets.Stack`` (which shows one child), and the slider's ``index`` is linked to the stack's
    ``selected_index`` with ``ipywidgets.jslink``: the link lives in the browser, so it keeps working
    when the notebook is turned into a web page with its widget state embedded.

    Parameters
    ----------
    render : callable
        ``render(value)`` returns a matplotlib Figure (closed after use) or PNG bytes.
    values : sequence
        The slider positions (keep it to about a dozen: every frame is embedded in the page).
    description : str
        The slider's label.
    labels : sequence of str, optional
        What the slider shows for each value (default: the value, 3 significant digits).
    dpi : int
        Resolution of the frames: 100 draws a 6.8-inch figure at the width of the book's column (688 px).

    Returns
    -------
    ipywidgets.VBox
        ``[slider, stack]``; ``.children[0]`` is a ``SelectionSlider``, ``.children[1]`` the ``Stack``.
    """
    import ipywidgets as w

    values = list(values)
    if not values:
        raise ValueError("values must hold at least one slider position")
    labels = [_label(v) for v in values] if labels is None else [str(s) for s in labels]
    if len(labels) != len(values) or len(set(labels)) != len(labels):
        raise ValueError(f"labels must be {len(values)} distinct strings, one per value; got {labels!r}")
    images = []
    for v in values:
        out = render(v)
        png = out if isinstance(out, (bytes, bytearray)) else figure_png(out, dpi)
        images.append(w.Image(value=bytes(png), format="png", layout=w.Layout(max_width="100%")))
    stack = w.Stack(images, selected_index=0)
    slider = w.SelectionSlider(options=list(zip(labels, range(len(values)))), index=0, description=description,
                               continuous_update=True, style={"description_width": "initial"},
                               layout=w.Layout(width="min(100%, 520px)"))
    link = w.jslink((slider, "index"), (stack, "selected_index"))
    box = w.VBox([slider, stack])
    box.add_class("nnlib-frames")
    box.link = link  # keep it (and let tests see it)
    return box


# ------------------------------------------------------------------------------- 1. learning rate

def plot_quadratic(run, axes=None):
    r"""Draw a :class:`~nnlib.book.explore.QuadraticRun`: the iterates on the parabola (1-D) or on the contour
    lines (2-D), and :math:`q` against the iteration k (log scale). Returns the figure."""
    plt = _plt()
    own = axes is None
    if own:
        fig, axes = plt.subplots(1, 2, figsize=(6.8, 3.0))
    ax, axq = axes
    fig = ax.figure
    xi = np.array(run.curvature)
    th = run.theta
    if th.shape[1] == 1:
        r = max(1.2, float(np.abs(th).max()) * 1.1) if not run.diverged else 3.0
        z = np.linspace(-r, r, 200)
        ax.plot(z, 0.5 * xi[0] * z ** 2, color="0.6")
        vis = th[:, 0]
        ax.plot(vis, 0.5 * xi[0] * vis ** 2, "o-", color="C0", ms=4, lw=1)
        ax.plot(vis[0], 0.5 * xi[0] * vis[0] ** 2, "s", color="C1", ms=7)
        ax.set_xlim(-r, r)
        ax.set_ylim(-0.05 * 0.5 * xi[0] * r * r, 0.5 * xi[0] * r * r * 1.05)
        ax.set_xlabel(r"$\theta$")
        ax.set_ylabel(r"$q(\theta)$")
    else:
        lim = max(5.0, float(np.abs(th[:, 0]).max()) * 1.1) if not run.diverged else 5.0
        lim2 = lim / 2
        a, b = np.meshgrid(np.linspace(-lim, lim, 160), np.linspace(-lim2, lim2, 120))
        ax.contour(a, b, 0.5 * (xi[0] * a ** 2 + xi[1] * b ** 2), levels=12, colors="0.7", linewidths=0.7)
        ax.plot(th[:, 0], th[:, 1], "o-", color="C0", ms=3, lw=1)
        ax.plot(th[0, 0], th[0, 1], "s", color="C1", ms=7)
        ax.plot(0, 0, "*", color="k", ms=9)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim2, lim2)
        ax.set_xlabel(r"$\theta_1$")
        ax.set_ylabel(r"$\theta_2$")
    # the regime and its factor |1 − ρξ| over both panels (explore.regime_title)
    title = explore.regime_title(run.rho, max(run.curvature), len(run.curvature))
    _plot_q(axq, np.arange(len(run.q)), run.q, "iteration k")
    if run.diverged:
        _diverged_label(ax)
        _diverged_label(axq)
    return _titled(fig, ax, title, own)


#: Superscript digits and signs, for log-axis labels written as plain text (10⁻², 8×10⁻¹).
_SUPERSCRIPT = str.maketrans("-\N{MINUS SIGN}0123456789.", "⁻⁻⁰¹²³⁴⁵⁶⁷⁸⁹·")


def _plain_power(label):
    r"""A log axis's mathtext label (``$\mathdefault{8\times10^{-1}}$``) as plain text (``8×10⁻¹``): the same
    label, drawn without matplotlib's math parser, which parses every label again for each new figure (most of
    the time of a pre-rendered frame)."""
    if not (label.startswith("$\\mathdefault{") and label.endswith("}$")):
        return label
    body = label[len("$\\mathdefault{"):-2].replace("\\times", "×")
    base, _, power = body.partition("^{")
    return base + power.rstrip("}").translate(_SUPERSCRIPT) if power else base


def _log_labels(axis):
    """Label a log `axis` as matplotlib does (decades, and between them when the range is short), in plain text."""
    from matplotlib.ticker import Formatter

    class Plain(Formatter):
        def __init__(self, mathtext):
            self.mathtext, self.plain = mathtext, True

        def set_axis(self, axis):
            super().set_axis(axis)
            self.mathtext.set_axis(axis)

        def set_locs(self, locs):
            self.mathtext.set_locs(locs)             # which ticks get a label depends on the range shown

        def __call__(self, value, pos=None):
            return _plain_power(self.mathtext(value, pos))

    for which in ("major", "minor"):
        formatter = getattr(axis, f"get_{which}_formatter")()
        if not getattr(formatter, "plain", False):
            getattr(axis, f"set_{which}_formatter")(Plain(formatter))


def _plot_q(ax, x, q, xlabel, label=None, **kw):
    q = np.maximum(np.asarray(q, dtype=float), 1e-300)
    ax.semilogy(x, q, label=label, **kw)
    _log_labels(ax.yaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("$q$")
    ax.grid(True, which="major", alpha=0.3)


def learning_rate_frames(rhos=(0.1, 0.5, 1.0, 1.5, 1.9, 2.0, 2.1, 2.5), curvature=(1.0,), steps=20, dpi=100):
    r"""A static slider over learning rates: gradient descent on :math:`q = \frac12 \sum \xi_i \theta_i^2`
    for each ρ in `rhos` (default: every regime of the 1-D parabola, :func:`~nnlib.book.explore.rho_regime`: two
    frames of monotone convergence (factors 0.9 and 0.5), one-step convergence at :math:`\rho\xi = 1`, two
    of oscillating convergence (factors 0.5 and 0.9), the bounded oscillation at :math:`\rho\xi = 2` and two
    of divergence). The title of each frame names the regime and its factor
    :math:`|1 - \rho\xi|` (ξ the curvature)."""
    def render(rho):
        return plot_quadratic(explore.gd_quadratic(rho, curvature, steps=steps))
    return frames_widget(render, rhos, description="ρ", dpi=dpi)


def learning_rate_explorer(curvature=(1.0, 10.0), steps=50):
    """Live explorer: ρ on a log slider, the trajectory on the contours and q against k."""
    import ipywidgets as w
    rho = w.FloatLogSlider(value=0.1, base=10, min=-4, max=1, step=0.05, description="ρ", readout_format=".3g")
    dim = w.Dropdown(options=[("1-D, ξ = 1", (1.0,)), ("2-D, ξ = (1, 10)", tuple(curvature))],
                     value=tuple(curvature), description="problem")
    n = w.IntSlider(value=steps, min=5, max=200, step=5, description="steps")

    def compute(rho, curvature, steps):
        return explore.gd_quadratic(rho, curvature, steps=steps)

    def draw(rho, curvature, steps):
        _show(plot_quadratic(compute(rho, curvature, steps)))

    controls = {"rho": rho, "curvature": dim, "steps": n}
    out = w.interactive_output(draw, controls)
    box = w.VBox([w.HBox([rho, dim, n]), out])
    return _live(box, draw, compute, controls)


# ------------------------------------------------------------------------------- 2. convergence

def plot_convergence(runs, axes=None):
    """Draw :class:`~nnlib.book.explore.ConvergenceRun` (one or a dict of several, on one surface): the
    trajectories on the contour lines and q against the updates. Returns the figure."""
    plt = _plt()
    if not isinstance(runs, dict):
        runs = {runs.optimizer: runs}
    first = next(iter(runs.values()))
    if first.problem == "mlp":
        return plot_methods(runs, axes)
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(6.8, 3.0))
    ax, axq = axes
    fig = ax.figure
    f, start, minimum, window = explore.surface(first.problem)
    a, b, Q, levels = _contours(first.problem)
    ax.contour(a, b, Q, levels=levels, colors="0.7", linewidths=0.7)
    ax.plot(*minimum, "*", color="k", ms=10)
    ax.plot(*start, "s", color="0.3", ms=6)
    any_div = False
    for i, (name, r) in enumerate(runs.items()):
        c = f"C{i}"
        ax.plot(r.theta[:, 0], r.theta[:, 1], "-", color=c, lw=1.2, label=name, marker="." if len(r.q) < 60 else None)
        _plot_q(axq, r.updates, r.q, "updates", label=name + (" (diverged)" if r.diverged else ""), color=c)
        k = r.stops.get("tol_q")
        if k is not None:
            axq.plot(r.updates[k], max(r.q[k], 1e-300), "o", color=c, mfc="none")
        any_div |= r.diverged
    ax.set_xlim(window[0], window[1])
    ax.set_ylim(window[2], window[3])
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.legend(fontsize=8, loc="best")
    axq.legend(fontsize=8, loc="best")
    if len(runs) == 1:
        ax.set_title(first.text, fontsize=9)
    if any_div and all(r.diverged for r in runs.values()):
        _diverged_label(ax)
        _diverged_label(axq)
    elif any_div:
        axq.text(0.98, 0.95, "some runs diverged", transform=axq.transAxes, ha="right", va="top", color="red")
    fig.tight_layout()
    return fig


#: The contour grid of each surface (it does not depend on the run): computed once per problem.
_CONTOURS = {}


def _contours(problem):
    """``(a, b, Q, levels)``: q of surface `problem` on a 150 × 120 grid over its window, and the contour levels."""
    if problem not in _CONTOURS:
        f, start, minimum, window = explore.surface(problem)
        a, b = np.meshgrid(np.linspace(window[0], window[1], 150), np.linspace(window[2], window[3], 120))
        Q = f.q(np.stack([a, b]))                                       # every grid point at once
        levels = np.quantile(Q, np.linspace(0.01, 0.95, 14)) if problem != "rosenbrock" else np.logspace(-1, 3.3, 14)
        _CONTOURS[problem] = a, b, Q, np.unique(levels)
    return _CONTOURS[problem]


def plot_methods(runs, axes=None):
    r"""Batch / mini-batch / incremental (a dict method -> ConvergenceRun on ``"mlp"``): :math:`q_S`
    against epochs and against weight updates."""
    plt = _plt()
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(6.8, 3.0), sharey=True)
    ax1, ax2 = axes
    fig = ax1.figure
    for i, (m, r) in enumerate(runs.items()):
        lab = (r.method or m) + (" (diverged)" if r.diverged else "")
        _plot_q(ax1, np.arange(len(r.q)), r.q, "epochs", label=lab, color=f"C{i}")
        _plot_q(ax2, r.updates, r.q, "weight updates", label=lab, color=f"C{i}")
    ax2.set_xscale("symlog", linthresh=10)
    _log_labels(ax2.xaxis)
    ax1.set_ylabel("$q_S$")
    ax1.legend(fontsize=8)
    if all(r.diverged for r in runs.values()):
        _diverged_label(ax1)
        _diverged_label(ax2)
    fig.tight_layout()
    return fig


def convergence_frames(optimizer="momentum", values=(0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95), param="nu",
                       problem="valley", rho=0.02, steps=150, dpi=100, **kw):
    r"""A static slider over one hyperparameter (`param`: ``"nu"`` or ``"rho"``) of `optimizer` on
    `problem`; by default momentum's ν on the valley, so ν = 0 is plain gradient descent."""
    if param not in ("nu", "rho"):
        raise ValueError(f"param must be 'nu' or 'rho'; got {param!r}")
    base = dict(optimizer=optimizer, rho=rho, problem=problem, steps=steps, **kw)

    def render(v):
        return plot_convergence(explore.convergence_run(**{**base, param: v}))
    return frames_widget(render, values, description="ν" if param == "nu" else "ρ", dpi=dpi)


def convergence_explorer(steps=200):
    """Live explorer: optimizer, ρ (log slider), ν and problem; trajectory on the contours (or, for the
    MLP, batch / mini-batch / incremental) and q against the iterations.

    `steps` (the slider) counts updates on a surface; for the MLP it gives ``steps // 20`` epochs of each method
    (at most 50: 2000 updates of the incremental run), so that a move recomputes in well under 0.15 s."""
    import ipywidgets as w

    opt = w.Dropdown(options=list(explore.optimizer_names()), value="momentum", description="optimizer")
    rho = w.FloatLogSlider(value=0.02, base=10, min=-4, max=1, step=0.05, description="ρ", readout_format=".3g")
    nu = w.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01, description="ν")
    problem = w.Dropdown(options=list(explore.PROBLEMS), value="valley", description="problem")
    n = w.IntSlider(value=steps, min=10, max=1000, step=10, description="steps")

    def compute(optimizer, rho, nu, problem, steps):
        if problem == "mlp":
            return explore.compare_methods(optimizer, rho, nu, epochs=max(1, steps // 20))
        return explore.convergence_run(optimizer, rho, nu, problem, steps)

    def draw(optimizer, rho, nu, problem, steps):
        _show(plot_convergence(compute(optimizer, rho, nu, problem, steps)))

    controls = {"optimizer": opt, "rho": rho, "nu": nu, "problem": problem, "steps": n}
    out = w.interactive_output(draw, controls)
    box = w.VBox([w.HBox([opt, problem]), w.HBox([rho, nu, n]), out])
    return _live(box, draw, compute, controls)


# ------------------------------------------------------------------------------- 3. playground

def plot_playground(res, axes=None):
    """Draw a :class:`~nnlib.book.explore.PlaygroundResult`: decision regions with the data, and the train and
    test :math:`q_S` against epochs. Returns the figure."""
    plt = _plt()
    from matplotlib.colors import ListedColormap
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(6.8, 3.3), gridspec_kw={"width_ratios": [1, 1.1]})
    ax, axq = axes
    fig = ax.figure
    cmap = ListedColormap(plt.get_cmap("RdBu")(np.linspace(0.1, 0.9, 256)))
    ext = (res.grid_x1[0], res.grid_x1[-1], res.grid_x2[0], res.grid_x2[-1])
    ax.imshow(res.proba, origin="lower", extent=ext, cmap=cmap, vmin=0, vmax=1, alpha=0.6, aspect="auto")
    ax.contour(res.grid_x1, res.grid_x2, res.proba, levels=[0.5], colors="k", linewidths=1)
    for c, mk in ((0, "o"), (1, "s")):
        ax.scatter(*res.X_train[res.t_train == c].T, s=14, marker=mk, c=f"C{3 if c == 0 else 0}", edgecolor="k",
                   linewidth=0.4)
        ax.scatter(*res.X_test[res.t_test == c].T, s=14, marker=mk, facecolor="none",
                   edgecolor=f"C{3 if c == 0 else 0}", linewidth=0.6)
    ax.set_xlim(ext[0], ext[1])
    ax.set_ylim(ext[2], ext[3])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(f"test accuracy {res.acc_test:.0%}", fontsize=10)
    _plot_q(axq, np.arange(len(res.q_train)), res.q_train, "epochs", label="train", color="C0")
    _plot_q(axq, np.arange(len(res.q_test)), res.q_test, "epochs", label="test", color="C1", ls="--")
    axq.set_ylabel("$q_S$ (cross-entropy)")
    axq.legend(fontsize=8)
    if res.diverged:
        _diverged_label(axq)
        _diverged_label(ax)
    fig.tight_layout()
    return fig


def playground_frames(param="epochs", values=None, dpi=100, **settings):
    """A static slider over one setting of :func:`nnlib.book.explore.playground` (``"epochs"``, ``"noise"``,
    ``"lam"``, ``"rho"``, ``"hidden"``, ``"batch_size"``...), the others fixed by `settings`."""
    defaults = {"epochs": (0, 5, 10, 20, 50, 100, 200), "noise": (0.0, 0.1, 0.2, 0.3, 0.5),
                "lam": (0.0, 0.001, 0.01, 0.03, 0.1, 0.3, 1.0), "rho": (0.001, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0),
                "hidden": ((), (2,), (4,), (8,), (4, 4), (8, 8)), "batch_size": (1, 5, 10, 25, 50, 100)}
    if values is None:
        if param not in defaults:
            raise ValueError(f"give values for param {param!r}")
        values = defaults[param]
    values = list(values)
    labels = [str(v) if param == "hidden" else _label(v) for v in values]

    def render(v):
        return plot_playground(explore.playground(**{**settings, param: v}))
    return frames_widget(render, values, description=param, labels=labels, dpi=dpi)


def playground_widget():
    """Live playground: data set, noise, hidden layers and units, activation, optimizer, ρ, batch size, λ.

    30 epochs by default, at most 200: with B = 1 (100 updates per epoch) or 200 epochs a move still recomputes
    in about 0.1 s (``benchmarks/bench_widgets.py``)."""
    import ipywidgets as w

    ctl = dict(
        dataset=w.Dropdown(options=list(explore.DATASETS), value="circle", description="data"),
        noise=w.FloatSlider(value=0.1, min=0.0, max=0.5, step=0.05, description="noise"),
        layers=w.IntSlider(value=1, min=0, max=3, description="hidden layers"),
        units=w.IntSlider(value=4, min=1, max=8, description="units"),
        activation=w.Dropdown(options=["tanh", "sigmoid", "relu", "linear"], value="tanh", description="g"),
        optimizer=w.Dropdown(options=list(explore.optimizer_names()), value="sgd", description="optimizer"),
        rho=w.FloatLogSlider(value=0.03, base=10, min=-4, max=1, step=0.05, description="ρ", readout_format=".3g"),
        batch_size=w.IntSlider(value=10, min=1, max=100, description="batch B"),
        lam=w.FloatLogSlider(value=1e-4, base=10, min=-4, max=0, step=0.25, description="λ", readout_format=".2g"),
        reg=w.Checkbox(value=False, description="L2 (λ)"),
        epochs=w.IntSlider(value=30, min=1, max=200, step=1, description="epochs"),
    )
    for c in ctl.values():
        c.style = {"description_width": "initial"}

    def compute(dataset, noise, layers, units, activation, optimizer, rho, batch_size, lam, reg, epochs):
        return explore.playground(dataset, noise, (units,) * layers, activation, rho, batch_size, optimizer,
                                  lam if reg else 0.0, epochs)

    def draw(dataset, noise, layers, units, activation, optimizer, rho, batch_size, lam, reg, epochs):
        _show(plot_playground(compute(dataset, noise, layers, units, activation, optimizer, rho, batch_size, lam,
                                      reg, epochs)))

    out = w.interactive_output(draw, ctl)
    box = w.VBox([w.HBox([ctl["dataset"], ctl["noise"], ctl["epochs"]]),
                  w.HBox([ctl["layers"], ctl["units"], ctl["activation"]]),
                  w.HBox([ctl["optimizer"], ctl["rho"], ctl["batch_size"]]),
                  w.HBox([ctl["reg"], ctl["lam"]]), out])
    return _live(box, draw, compute, ctl)


# ------------------------------------------------------------------------------- 4. why momentum works

def plot_heavy_ball(nu, kappa=100.0, rho=None, start=(1.0, 1.0), steps=150, axes=None):
    r"""Momentum on :math:`q = \frac12(\theta_1^2 + \kappa\theta_2^2)` with a given `nu`: the path on the contours,
    the eigenvalues r of the iteration matrix of both directions in the complex plane (the circle of radius
    :math:`\sqrt\nu` dashed), and :math:`\lVert\theta(k)\rVert` against k beside gradient descent with the same
    ρ and Polyak's optimal pair :math:`(\rho^*, \nu^*)`. `rho` defaults to :math:`1/\kappa`, one over the
    largest curvature: stable for every ν in [0, 1). Returns the figure."""
    from .. import optim
    plt = _plt()
    rho_star, nu_star, factor = explore.optimal_heavy_ball(1.0, kappa)
    rho = 1.0 / kappa if rho is None else rho
    own = axes is None
    if own:
        fig, axes = plt.subplots(1, 3, figsize=(6.8, 2.7), gridspec_kw=dict(width_ratios=[1.25, 0.85, 1.1]))
    ax, axe, axq = axes
    fig = ax.figure
    curv = (1.0, float(kappa))
    path = explore.quadratic_path(optim.Momentum(rho, nu), curv, start, steps)
    a, b = np.meshgrid(np.linspace(-1.3, 1.3, 120), np.linspace(-1.3, 1.3, 120))
    ax.contour(a, b, 0.5 * (a ** 2 + kappa * b ** 2), levels=np.geomspace(0.01, 80, 10), colors="0.75",
               linewidths=0.6)
    shown = path[np.all(np.abs(path) < 1.3, axis=1)]
    ax.plot(shown[:, 0], shown[:, 1], ".-", color="C1", ms=2, lw=0.8)
    ax.plot(*start, "ks", ms=4)
    ax.plot(0, 0, "k*", ms=8)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_xlabel(r"$\theta_1$ ($\xi = 1$)")
    ax.set_ylabel(rf"$\theta_2$ ($\xi = {kappa:g}$)")
    ax.set_title(f"path, {steps} steps", fontsize=9)
    circle = np.linspace(0, 2 * np.pi, 200)
    axe.plot(np.cos(circle), np.sin(circle), color="0.6", lw=0.8)
    axe.plot(np.sqrt(nu) * np.cos(circle), np.sqrt(nu) * np.sin(circle), "--", color="0.6", lw=0.8)
    for xi, color, marker in ((1.0, "C0", "o"), (float(kappa), "C3", "^")):
        mu = np.linalg.eigvals(explore.heavy_ball_matrix(rho, nu, xi))
        axe.plot(mu.real, mu.imag, marker, color=color, ms=5, mfc="none", label=f"ξ = {xi:g}")
    axe.set_aspect("equal")
    axe.set_xlim(-1.15, 1.15)
    axe.set_ylim(-1.15, 1.15)
    axe.set_xlabel("Re r")
    axe.set_ylabel("Im r")
    axe.legend(fontsize=7, loc="lower left", frameon=False, handletextpad=0.2)
    axe.set_title("eigenvalues r", fontsize=9)
    gd = explore.quadratic_path(optim.SGD(rho), curv, start, steps)
    best = explore.quadratic_path(optim.Momentum(rho_star, nu_star), curv, start, steps)
    norms = {f"ν = {nu:.3g}": path, "ν = 0 (GD)": gd, "(ρ*, ν*)": best}
    for (label, p), style in zip(norms.items(), [dict(color="C1", lw=1.4), dict(color="0.5", ls=":"),
                                                 dict(color="k", ls="--", lw=0.8)]):
        n = np.linalg.norm(p, axis=1)
        _plot_q(axq, np.arange(len(n)), np.maximum(n, 1e-16), "iteration k", label=label, **style)
    axq.set_ylabel(r"$\Vert\theta(k)\Vert$")
    axq.set_ylim(1e-10, 10)
    axq.legend(fontsize=7, loc="lower left", frameon=False)
    rate = explore.heavy_ball_rate(rho, nu, curv)
    axq.set_title(f"factor {rate:.3f} per step", fontsize=9)
    flat, steep = (explore.damping(rho, nu, xi) for xi in curv)
    title = f"ρ = {rho:.3g}, ν = {nu:.3g}: flat direction {flat}, steep {steep}"
    return _titled(fig, ax, title, own)


def momentum_frames(nus=(0.0, 0.5, 0.81, 0.9, 0.97), kappa=100.0, dpi=100):
    r"""A static ν slider for :func:`plot_heavy_ball` at :math:`\rho = 1/\kappa`: from gradient descent (ν = 0)
    through momentum whose flat direction is overdamped, to the critical ν (0.81 for κ = 100, the fastest at
    this ρ) and into the underdamped, spiralling regime."""
    def render(nu):
        return plot_heavy_ball(nu, kappa)
    return frames_widget(render, [float(v) for v in nus], description="ν", dpi=dpi)
