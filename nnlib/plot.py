"""Figures of the book: activation functions and their derivatives (slides 9, 10 and 44).

matplotlib is imported inside the functions that need it, so ``import nnlib.plot`` is cheap and
``import nnlib`` never imports matplotlib. Every function draws with the slides' notation:
``g`` solid, ``g'`` dashed, points where ``g'`` (or ``g``) jumps marked with a filled dot at the
value nnlib returns there and open circles at the one-sided limits.
"""

import numpy as np

from . import activations as act

__all__ = [
    "kinks",
    "plot_activation",
    "activation_grid",
    "sigmoid_derivative_figure",
    "rectifier_figure",
]

#: Default abscissa: z in [-4, 4].
Z_DEFAULT = (-4.0, 4.0, 801)
#: Names as the book writes them, for panel titles.
_DISPLAY = {"relu": "ReLU", "step": "step, sgn", "fast": "fast", "leaky_relu": "leaky ReLU", "elu": "ELU"}
_PARAM_TEX = {"alpha": r"$\alpha$"}
_EPS_SIDE = 1e-9  # offset used to evaluate one-sided limits
_JUMP_TOL = 1e-6  # a one-sided difference larger than this is a jump


def _activation(g):
    """Return the Activation named or given by ``g`` (TypeError/ValueError from ``act.get``)."""
    if isinstance(g, str):
        return act.get(g)
    if not (callable(g) and hasattr(g, "prime")):
        raise TypeError(f"g must be an activation name or an nnlib Activation; got {type(g).__name__}")
    return g


def _grid(z):
    """Return a sorted 1-D float64 grid of z values (default ``Z_DEFAULT``)."""
    if z is None:
        return np.linspace(*Z_DEFAULT)
    z = np.asarray(z)
    if z.dtype.kind not in "iuf" or z.ndim != 1 or z.size < 2:
        raise TypeError(f"z must be a 1-D real array with at least 2 points; got dtype {z.dtype}, shape {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite; got NaN or inf")
    return np.sort(z.astype(np.float64))


def _sides(f, c):
    """Values of the elementwise function ``f`` just left of, at, and just right of ``c``."""
    left, at, right = f(np.array([c - _EPS_SIDE, c, c + _EPS_SIDE]))
    return float(left), float(at), float(right)


def _jumps(f, c):
    """Whether the elementwise function ``f`` has different one-sided limits at ``c``."""
    left, _, right = _sides(f, c)
    return abs(left - right) > _JUMP_TOL


def kinks(g, candidates=(0.0,), **params):
    """Points among ``candidates`` where ``g`` or ``g'`` is not continuous.

    These are the points where the slides write "no definida" for ``g'`` (ReLU, sign function) and
    those of slide 43 (leaky ReLU, ELU with α ≠ 1). All of nnlib's activations can only break at 0.

    Parameters
    ----------
    g : Activation or str
        An elementwise activation (not softmax).
    candidates : sequence of float
        Points to test.
    **params
        Parameters of ``g`` (``slope``, ``alpha``).

    Returns
    -------
    list of float
    """
    g = _activation(g)
    found = []
    for c in candidates:
        for f in (lambda z: g(z, **params), lambda z: g.prime(z, **params)):
            if _jumps(f, c):
                found.append(float(c))
                break
    return found


def _broken(z, y, cuts):
    """Insert NaN into (z, y) at each cut so that matplotlib does not draw a vertical jump."""
    for c in sorted(cuts, reverse=True):
        keep = np.abs(z - c) > 1e-12
        z, y = z[keep], y[keep]
        i = np.searchsorted(z, c)
        z, y = np.insert(z, i, np.nan), np.insert(y, i, np.nan)
    return z, y


def _mark(ax, f, c, color):
    """Filled dot at f(c) (nnlib's convention) and open circles at different one-sided limits."""
    left, at, right = _sides(f, c)
    ax.scatter([c], [at], s=28, color=color, zorder=4)
    limits = sorted({round(v, 9) for v in (left, right) if abs(v - at) > _JUMP_TOL})
    if limits:
        ax.scatter([c] * len(limits), limits, s=28, facecolors="white", edgecolors=color, zorder=4)


def _tex(g, prime=False):
    """LaTeX of the slide's symbol: 'g_S' -> 'g_{S}', with ``prime`` "g'_{S}" (as the slide writes g')."""
    base, _, sub = g.symbol.partition("_")
    mark = "'" if prime else ""
    return f"{base}{mark}_{{{sub}}}" if sub else f"{base}{mark}"


def plot_activation(ax, g, z=None, *, others=(0.0, 0.0), title=True, **params):
    """Draw an activation ``g`` (solid) and its derivative ``g'`` (dashed) on ``ax``.

    Where ``g'`` or ``g`` jumps (see :func:`kinks`) the curve is broken, a filled dot shows the value
    nnlib uses there and open circles show the one-sided limits.

    Softmax is vector-valued: the panel shows :math:`g_M(z_1)` for the logits
    :math:`(z_1, \\text{others})`, the diagonal Jacobian entry :math:`\\partial g_M(z_1)/\\partial z_1`
    (dashed, the slide's formula) and an off-diagonal one :math:`\\partial g_M(z_1)/\\partial z_2`
    (dotted, missing on the slide).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    g : Activation or str
    z : array_like, optional
        1-D grid of z values (default 801 points in [-4, 4]).
    others : sequence of float
        The other logits, softmax only.
    title : bool
        Write ``$g_S$ (sigmoid)``-style title.
    **params
        Parameters of ``g`` (``slope`` for leaky ReLU, ``alpha`` for ELU).

    Returns
    -------
    list of matplotlib.lines.Line2D
        The curves drawn: ``[g, g']`` (softmax: ``[g, diagonal, off-diagonal]``).
    """
    g = _activation(g)
    z = _grid(z)
    sym, dsym = _tex(g), _tex(g, prime=True)
    if g.name == "softmax":
        others = np.asarray(others, dtype=np.float64)
        if others.ndim != 1 or others.size < 1:
            raise ValueError(f"others must be a 1-D sequence of at least one logit; got shape {others.shape}")
        logits = np.column_stack([z, np.broadcast_to(others, (z.size, others.size))])
        s, jac = g(logits, **params), g.prime(logits, **params)
        lines = [
            ax.plot(z, s[:, 0], "-", color="C0", label=f"${sym}(z_1)$")[0],
            ax.plot(z, jac[:, 0, 0], "--", color="C1", label=rf"$\partial {sym}(z_1)/\partial z_1$")[0],
            ax.plot(z, jac[:, 0, 1], ":", color="C2", label=rf"$\partial {sym}(z_1)/\partial z_2$")[0],
        ]
        ax.set_xlabel("$z_1$")
    else:
        lines = []
        spots = kinks(g, **params)
        for f, style, color, label in (
            (lambda x: g(x, **params), "-", "C0", f"${sym}(z)$"),
            (lambda x: g.prime(x, **params), "--", "C1", f"${dsym}(z)$"),
        ):
            cuts = [c for c in spots if _jumps(f, c)]
            zz, yy = _broken(z, f(z), cuts)
            lines.append(ax.plot(zz, yy, style, color=color, label=label)[0])
            for c in spots:
                _mark(ax, f, c, color)
        ax.set_xlabel("$z$")
    ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
    if title:
        values = {**g.params, **params}
        extra = "".join(f", {_PARAM_TEX.get(k, k)} = {v:g}" for k, v in values.items() if k != "axis")
        ax.set_title(f"${sym}$ ({_DISPLAY.get(g.name, g.name)}{extra})", fontsize="medium")
    return lines


def activation_grid(names=("linear", "relu", "step", "sigmoid", "tanh", "fast", "softmax"), z=None,
                    ncols=4, params=None, panel_size=(2.6, 2.2)):
    """One small panel per activation, ``g`` solid and ``g'`` dashed (the lost figure of slide 9).

    Parameters
    ----------
    names : sequence of str or Activation
        Activations in panel order (default: slide 8's seven, in the slide's order).
    z : array_like, optional
        Grid of z values shared by all panels.
    ncols : int
        Panels per row.
    params : dict, optional
        ``{name: {param: value}}``, e.g. ``{"elu": {"alpha": 0.5}}``.
    panel_size : (float, float)
        Width and height of one panel in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Unused panels of the last row are removed, so ``len(fig.axes) == len(names)``.
    """
    import matplotlib.pyplot as plt

    gs = [_activation(n) for n in names]
    if not gs:
        raise ValueError("names must list at least one activation; got an empty sequence")
    if not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer; got {ncols!r}")
    params = params or {}
    ncols = min(ncols, len(gs))
    nrows = -(-len(gs) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
                             squeeze=False, layout="constrained")
    for ax, g in zip(axes.flat, gs):
        plot_activation(ax, g, z, **params.get(g.name, {}))
        ax.legend(fontsize="x-small", loc="best", frameon=False)
    for ax in axes.flat[len(gs):]:
        fig.delaxes(ax)
    return fig


def _sigmoid_saturation_z(fraction):
    """z > 0 where g'_S(z) = fraction · g'_S(0), i.e. g_S(1 - g_S) = fraction / 4."""
    s = (1.0 + np.sqrt(1.0 - fraction)) / 2.0
    return float(np.log(s / (1.0 - s)))


def sigmoid_derivative_figure(z=None, saturation=0.1, ax=None):
    """g_S and g'_S with the maximum g'_S(0) = 1/4 marked and the saturation regions shaded (slide 10).

    Parameters
    ----------
    z : array_like, optional
        Grid (default 801 points in [-8, 8]).
    saturation : float
        Shade where g'_S(z) < saturation · g'_S(0); must be in (0, 1).
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not 0.0 < saturation < 1.0:
        raise ValueError(f"saturation must be in (0, 1); got {saturation!r}")
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7.0, 3.6), layout="constrained")
    else:
        fig = ax.figure
    z = _grid(np.linspace(-8.0, 8.0, 801) if z is None else z)
    g = act.sigmoid
    ax.plot(z, g(z), "-", color="C0", label="$g_S(z)$")
    ax.plot(z, g.prime(z), "--", color="C1", label="$g'_S(z) = g_S(z)(1-g_S(z))$")
    zs = _sigmoid_saturation_z(saturation)
    lo, hi = z[0], z[-1]
    for a, b in ((lo, -zs), (zs, hi)):
        if b > a:
            ax.axvspan(a, b, color="0.85", zorder=0)
    ax.text(max(lo, -zs) - 0.2, 0.5, "saturation\n$g'_S \\approx 0$", ha="right", fontsize="small")
    ax.text(min(hi, zs) + 0.2, 0.5, "saturation\n$g'_S \\approx 0$", ha="left", fontsize="small")
    ax.scatter([0.0], [0.25], color="C1", zorder=4)
    ax.annotate("maximum $g'_S(0) = 1/4$", xy=(0.0, 0.25), xytext=(0.9, 0.33),
                arrowprops={"arrowstyle": "->", "color": "0.3"}, fontsize="small")
    ax.scatter([0.0], [0.5], color="C0", zorder=4)
    ax.annotate("$g_S(0) = 1/2$", xy=(0.0, 0.5), xytext=(-1.0, 0.62), ha="right",
                arrowprops={"arrowstyle": "->", "color": "0.3"}, fontsize="small")
    ax.axhline(0.0, color="0.7", lw=0.8, zorder=0)
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("$z$")
    ax.set_title(f"Sigmoid and its derivative (shaded: $g'_S(z) < {saturation:g}\\, g'_S(0)$, $|z| > {zs:.2f}$)",
                 fontsize="medium")
    ax.legend(loc="upper left", fontsize="small", framealpha=1.0)
    return fig


def _affine(w, b):
    """LaTeX for w z + b written as a person would: '$z + 0.5$', '$-0.5z$'."""
    wz = {1.0: "z", -1.0: "-z", 0.0: ""}.get(float(w), f"{w:g}z")
    if b == 0:
        return f"${wz or '0'}$"
    return f"${wz} {'+' if b > 0 else '-'} {abs(b):g}$" if wz else f"${b:g}$"


def rectifier_figure(z=None, slope=0.1, alphas=(0.5, 1.0, 2.0), maxout=((1.0, 0.5), (-0.5, 0.0))):
    """Slide 43's functions (the lost figure of slide 44): ReLU and leaky ReLU, ELU for several α, maxout.

    Parameters
    ----------
    z : array_like, optional
        Grid (default 801 points in [-4, 4]).
    slope : float
        Leaky ReLU slope (slide 43: 0.1).
    alphas : sequence of float
        ELU α values; each drawn solid (g) and dashed (g') in one colour.
    maxout : ((w1, b1), (w2, b2))
        The two affine pieces of max(w1 z + b1, w2 z + b2).

    Returns
    -------
    matplotlib.figure.Figure
        Three panels: 2 lines, ``2 * len(alphas)`` lines, 3 lines.
    """
    import matplotlib.pyplot as plt

    z = _grid(z)
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(10.5, 3.2), layout="constrained")
    a1.plot(z, act.relu(z), "-", color="C0", lw=3.0, label=r"ReLU $\max(0, z)$")
    a1.plot(z, act.leaky_relu(z, slope=slope), "-", color="C3", label=rf"leaky ReLU $\max({slope:g}z, z)$")
    a1.set_title("ReLU and leaky ReLU")
    for i, alpha in enumerate(alphas):
        color = f"C{i}"
        a2.plot(z, act.elu(z, alpha=alpha), "-", color=color, label=rf"$\alpha={alpha:g}$")
        zz, dd = _broken(z, act.elu.prime(z, alpha=alpha), kinks(act.elu, alpha=alpha))
        a2.plot(zz, dd, "--", color=color, lw=1.0)
    a2.set_title(r"ELU (solid) and its derivative (dashed)")
    (w1, b1), (w2, b2) = maxout
    p1, p2 = w1 * z + b1, w2 * z + b2
    a3.plot(z, p1, ":", color="0.5", label=_affine(w1, b1))
    a3.plot(z, p2, "-.", color="0.5", label=_affine(w2, b2))
    a3.plot(z, np.maximum(p1, p2), "-", color="C2", lw=2.0, label="maxout (their max)")
    a3.set_title("maxout of two affine pieces")
    for ax in (a1, a2, a3):
        ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
        ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
        ax.set_xlabel("$z$")
        ax.legend(fontsize="small", frameon=False)
    return fig
