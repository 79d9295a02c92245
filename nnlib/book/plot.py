"""Figures of the book: activation functions and their derivatives (slides 9, 10 and 44), network
diagrams (slides 11-15), decision regions of a classifier in the plane, the history timeline and grids of
small images.

matplotlib is imported inside the functions that need it, so ``import nnlib.book.plot`` is cheap and
``import nnlib`` never imports matplotlib. Everything is drawn with the slides' notation. In the
activation figures ``g`` is solid, ``g'`` dashed, points where ``g'`` (or ``g``) jumps marked with a filled dot at the
value nnlib returns there and open circles at the one-sided limits.
"""

import numbers
import textwrap

import numpy as np

from .. import activations as act

__all__ = [
    "kinks",
    "plot_activation",
    "activation_grid",
    "sigmoid_derivative_figure",
    "rectifier_figure",
    "draw_network",
    "decision_regions",
    "regions_of_mlp",
    "plot_timeline",
    "table",
    "tex",
    "weight_table",
    "hidden_lines",
    "image_grid",
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


def rectifier_figure(z=None, slope=0.1, alphas=(0.5, 1.0, 2.0), maxout=((1.0, 0.5), (-0.5, 0.0)),
                     axes=None):
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
    axes : (Axes, Axes, Axes), optional
        Where to draw the ReLU, ELU and maxout panels; by default a new
        10.5 × 3.2 inch figure with the three in a row.

    Returns
    -------
    matplotlib.figure.Figure
        Three panels: 2 lines, ``2 * len(alphas)`` lines, 3 lines.
    """
    import matplotlib.pyplot as plt

    z = _grid(z)
    if axes is None:
        fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(10.5, 3.2), layout="constrained")
    else:
        a1, a2, a3 = axes
        fig = a1.figure
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


# ---------------------------------------------------------------------------------------------
# Network diagrams (slides 11-15)
# ---------------------------------------------------------------------------------------------

_NODE_R = 0.3          # node radius, in units of the vertical node spacing
_SQUARE = 0.36         # side of a threshold unit's square
_DX = 3.0              # horizontal distance between layers
_INCH_PER_UNIT = 0.5   # scale of a figure made by draw_network itself
_ROLE_FILL = {"input": "#dceaf7", "hidden": "#fdf1d2", "output": "#ddf0d8"}
_EDGE_COLOR = "0.3"
_THRESHOLD_COLOR = "0.55"
_SKIP_COLOR = "#8e44ad"           # skip connections: purple
_HIGHLIGHT_COLOR = "#e8710a"      # orange
_POSITIVE, _NEGATIVE, _ZERO = "#1f5fbf", "#d62728", "0.75"


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_))


def _check_sizes(M):
    """Layer sizes M_0..M_L as a tuple of positive ints (ValueError/TypeError naming ``M``)."""
    if isinstance(M, (str, bytes)) or not hasattr(M, "__iter__"):
        raise TypeError(f"net_or_M must be an MLP, a FeedForward or a list M of layer sizes; got {type(M).__name__}")
    M = list(M)
    if len(M) < 2:
        raise ValueError(f"M must list at least 2 layer sizes (input and output); got {len(M)}")
    for k, m in enumerate(M):
        if not _is_int(m) or m < 1:
            raise ValueError(f"M[{k}] must be a positive int (layer {k} size); got {m!r}")
    return tuple(int(m) for m in M)


def _check_edge_list(edges, L):
    """``edges`` as a sorted tuple of forward pairs (k, k') with 0 <= k' < k <= L."""
    if isinstance(edges, (str, bytes)) or not hasattr(edges, "__iter__"):
        raise TypeError(f"edges must be a list of pairs (k, k'); got {type(edges).__name__}")
    out = set()
    for e in edges:
        if not (isinstance(e, (tuple, list)) and len(e) == 2 and all(_is_int(v) for v in e)):
            raise ValueError(f"edges must hold pairs (k, k') of layer indices; got {e!r}")
        k, kp = int(e[0]), int(e[1])
        if not 0 <= kp < k <= L:
            raise ValueError(f"edges: the edge (k, k') = {(k, kp)} must go forward, 0 <= k' < k <= L = {L}")
        out.add((k, kp))
    if not out:
        raise ValueError("edges must hold at least one pair (k, k'); got none")
    return tuple(sorted(out))


def _network_spec(net_or_M, edges):
    """(M, edges, theta) of an MLP, a FeedForward or a list M; theta is {(k, k'): array} or None."""
    if hasattr(net_or_M, "M") and hasattr(net_or_M, "theta"):
        if edges is not None:
            raise ValueError("edges is only for a plain list M; a network brings its own connections")
        M = _check_sizes(net_or_M.M)
        L = len(M) - 1
        theta = net_or_M.theta
        if isinstance(theta, dict):                       # FeedForward: one matrix per edge (k, k')
            theta = {tuple(key): np.asarray(v) for key, v in theta.items()}
        else:                                             # MLP: [None, theta1, ..., thetaL]
            theta = {(k, k - 1): np.asarray(theta[k]) for k in range(1, L + 1)}
        edges = _check_edge_list(theta.keys(), L)
        for (k, kp), t in theta.items():
            if t.shape != (M[k], M[kp] + 1):
                raise ValueError(f"theta of edge {(k, kp)} must have shape (M_{k}, M_{kp} + 1) = "
                                 f"{(M[k], M[kp] + 1)}; got {t.shape}")
        return M, edges, theta
    M = _check_sizes(net_or_M)
    L = len(M) - 1
    edges = tuple((k, k - 1) for k in range(1, L + 1)) if edges is None else _check_edge_list(edges, L)
    return M, edges, None


def _shown_nodes(Mk, max_nodes):
    """Node indices drawn for a layer of Mk nodes, and the slot of the vertical ellipsis (or None)."""
    if Mk <= max_nodes:
        return list(range(1, Mk + 1)), None
    head = max(1, (max_nodes - 1) // 2)
    return list(range(1, head + 1)) + list(range(Mk - head + 1, Mk + 1)), head


def _node_tex(k, i):
    """The slides' name of node i of layer k: x_i in the input layer, s^k_i elsewhere."""
    return f"$x_{{{i}}}$" if k == 0 else f"$s^{{{k}}}_{{{i}}}$"


def _theta_tex(k, kp, i, j, skip):
    """θ^k_{ij} (θ^{k,k'}_{ij} for a skip connection), with a comma between indices above 9."""
    sub = f"{i},{j}" if max(i, j) > 9 else f"{i}{j}"
    sup = f"{k},{kp}" if skip else f"{k}"
    return rf"$\theta^{{{sup}}}_{{{sub}}}$"


def _arc_rad(y1, y2, bounds, dx, sign):
    """Curvature of the arc3 connection from height y1 to y2 that clears the columns in between.

    ``bounds`` pairs the fraction t in (0, 1) at which an intermediate column lies with the height the
    arc must pass below (``sign`` = +1) or above (``sign`` = -1). The quadratic Bézier of arc3
    deviates from its chord by 2 t (1 - t) rad dx, so each arc bends just enough (every arc of an
    edge then passes through about the same point, a tidy bundle).
    """
    rad = 0.15
    for t, limit in bounds:
        chord = y1 + t * (y2 - y1)
        rad = max(rad, sign * (chord - limit) / (2.0 * t * (1.0 - t) * dx))
    return sign * rad


def _weight_style(w, wmax):
    """Colour by sign (blue > 0, red < 0, grey = 0) and width by |w| / max |w|."""
    color = _POSITIVE if w > 0 else _NEGATIVE if w < 0 else _ZERO
    return color, 0.4 + 2.8 * abs(w) / wmax if wmax > 0 else 0.4


def _fitting_size(tex, size, width):
    """The font size, at most ``size``, at which the text ``tex`` is at most ``width`` points wide."""
    from matplotlib.textpath import TextPath

    w = TextPath((0, 0), tex, size=1.0).get_extents().width   # width at 1 pt
    return float(min(size, width / w)) if w > 0 else size


def _check_highlight(highlight, M, edges, shown, thresholds):
    """Normalize ``highlight`` to (nodes {(k, i)}, connections {(k, k', i, j)})."""
    if highlight is None:
        return set(), set()
    items = [highlight] if (isinstance(highlight, tuple) and all(_is_int(v) for v in highlight)) else list(highlight)
    nodes, conns = set(), set()
    for h in items:
        h = tuple(h) if isinstance(h, (tuple, list)) else h
        if not (isinstance(h, tuple) and 2 <= len(h) <= 4 and all(_is_int(v) for v in h)):
            raise ValueError(f"highlight must be a node (k, i), a connection (k, i, j) or (k, k', i, j), "
                             f"or a list of them; got {h!r}")
        h = tuple(int(v) for v in h)
        if len(h) == 2:
            k, i = h
            if not (0 <= k < len(M) and 1 <= i <= M[k]):
                raise ValueError(f"highlight node {h} must have 0 <= k <= L = {len(M) - 1} and 1 <= i <= M_k")
            if i not in shown[k]:
                raise ValueError(f"highlight node {h} is not drawn: layer {k} is cut to nodes {shown[k]}")
            nodes.add(h)
            continue
        k, kp, i, j = (h[0], h[0] - 1, h[1], h[2]) if len(h) == 3 else h
        if (k, kp) not in edges:
            raise ValueError(f"highlight connection {h} needs the edge ({k}, {kp}); the edges are {list(edges)}")
        if not (1 <= i <= M[k] and 0 <= j <= M[kp]):
            raise ValueError(f"highlight connection {h} must have 1 <= i <= M_{k} = {M[k]} and "
                             f"0 <= j <= M_{kp} = {M[kp]}")
        if i not in shown[k] or (j and j not in shown[kp]):
            raise ValueError(f"highlight connection {h} is not drawn: layers are cut to nodes "
                             f"{shown[k]} and {shown[kp]}")
        if j == 0 and not thresholds:
            raise ValueError(f"highlight connection {h} is a threshold: draw it with show_thresholds=True")
        conns.add((k, kp, i, j))
    return nodes, conns


def draw_network(net_or_M, ax=None, *, edges=None, show_thresholds=True, labels=True, weights=False,
                 highlight=None, layer_names=None, max_nodes=10):
    r"""Draw a network's topology, input layer 0 at the left (the lost figures of slides 11-15).

    Nodes are circles named as on the slides, :math:`x_1 \dots x_{M_0}` in the input layer and
    :math:`s^l_i` in the others. The threshold unit of a layer (:math:`x_0 = 1`, :math:`s^l_0 = 1`) is a
    small square labelled 1 above its column whose connections are dashed: :math:`\theta^l_{i0}` is a
    weight from a constant unit. A connection that skips layers (:math:`\theta^{2,0}` on slide 15) is
    a purple arc below the columns it skips (its threshold arc passes above them).

    Parameters
    ----------
    net_or_M : MLP, FeedForward or sequence of int
        A network (its edges and weights are used) or the layer sizes :math:`M_0, \dots, M_L`.
    ax : matplotlib.axes.Axes, optional
        Draw here; by default a new figure is sized to the network.
    edges : sequence of (k, k'), optional
        Connections from layer k' to layer k for a list ``M`` (default: consecutive layers).
    show_thresholds : bool
        Draw the threshold units and their dashed connections.
    labels : bool
        Write the node names inside the circles.
    weights : bool
        Colour connections by the sign of their weight (blue positive, red negative) and make their
        width proportional to :math:`|\theta|`; needs a network.
    highlight : tuple or list of tuples, optional
        Emphasise a node ``(k, i)`` or the connection ``(k, i, j)`` of :math:`\theta^k_{ij}` (from node j
        of layer k-1, j = 0 the threshold), or ``(k, k', i, j)`` for :math:`\theta^{k,k'}_{ij}`.
        A highlighted connection is labelled with its weight's name.
    layer_names : sequence of str or False, optional
        One caption per layer instead of "layer k (input/hidden/output)"; ``False`` hides the captions.
    max_nodes : int
        A layer with more nodes shows its first and last few around a vertical ellipsis.

    Returns
    -------
    matplotlib.axes.Axes
        Node circles have gid ``"node"``, threshold squares ``"threshold-unit"``; connections between
        consecutive layers are Line2D with gid ``"connection"`` (``"threshold"`` when dashed), skip
        connections FancyArrowPatch with gid ``"skip"`` (``"skip-threshold"``).
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

    M, edges, theta = _network_spec(net_or_M, edges)
    L = len(M) - 1
    if weights and theta is None:
        raise ValueError("weights=True needs a network with weights (an MLP or FeedForward); got layer sizes M")
    if not _is_int(max_nodes) or max_nodes < 3:
        raise ValueError(f"max_nodes must be an int >= 3; got {max_nodes!r}")
    if layer_names not in (None, False):
        layer_names = list(layer_names)
        if len(layer_names) != L + 1:
            raise ValueError(f"layer_names must give one caption per layer, {L + 1}; got {len(layer_names)}")

    # Layout: layer k at x = k·DX; its nodes one unit apart, vertically centred on y = 0, node 1 on top.
    shown, y_of, ellipsis_y, top = {}, {}, {}, {}
    for k in range(L + 1):
        shown[k], cut = _shown_nodes(M[k], max_nodes)
        slots = len(shown[k]) + (cut is not None)
        ys = (slots - 1) / 2.0 - np.arange(slots)
        if cut is not None:
            ellipsis_y[k] = ys[cut]
            ys = np.delete(ys, cut)
        y_of[k] = dict(zip(shown[k], ys))
        top[k] = ys[0]
    tallest = max(len(shown[k]) + (k in ellipsis_y) for k in range(L + 1))
    dx_layer = max(_DX, 0.4 * tallest + 0.5)          # wider apart when the columns are tall
    x_of = {k: k * dx_layer for k in range(L + 1)}
    bottom = {k: min(y_of[k].values()) for k in range(L + 1)}
    sources = sorted({kp for _, kp in edges})
    square_y = {kp: top[kp] + 1.0 for kp in sources} if show_thresholds else {}
    roof = {k: square_y.get(k, top[k]) for k in range(L + 1)}

    hl_nodes, hl_conns = _check_highlight(highlight, M, edges, shown, show_thresholds)
    wmax = max(float(np.max(np.abs(t))) for t in theta.values()) if weights else 0.0

    # Every connection as (k, k', i, j, start, end, rad); rad = 0 for a straight line.
    conns = []
    y_low, y_high = min(bottom.values()), max(roof.values())
    for k, kp in edges:
        starts = [(j, (x_of[kp], y_of[kp][j])) for j in shown[kp]]
        if show_thresholds:
            starts.append((0, (x_of[kp], square_y[kp] - _SQUARE / 2)))
        ends = [(i, (x_of[k], y_of[k][i])) for i in shown[k]]
        span = k - kp
        if span == 1:
            conns += [(k, kp, i, j, a, b, 0.0) for j, a in starts for i, b in ends]
            continue
        # Skip connection: an arc over the columns in between when it starts from the threshold unit
        # or its chord lies in their upper half, under them otherwise. Longer skips keep a wider berth
        # so that their bundles do not overlap the shorter ones.
        dx = x_of[k] - x_of[kp]
        inner = range(kp + 1, k)
        berth = 0.75 + 0.4 * (span - 2)
        below = [((m - kp) / span, bottom[m] - berth) for m in inner]
        above = [((m - kp) / span, roof[m] + berth) for m in inner]
        above_threshold = [(t, y + 0.35) for t, y in above]     # dashed arcs outside the solid ones
        centre = np.mean([0.5 * (top[m] + bottom[m]) for m in inner])
        for j, a in starts:
            for i, b in ends:
                over = j == 0 or 0.5 * (a[1] + b[1]) > centre + 1e-9
                bounds = above_threshold if j == 0 else above if over else below
                rad = _arc_rad(a[1], b[1], bounds, dx, -1.0 if over else 1.0)
                deepest = 0.5 * (a[1] + b[1]) - rad * dx / 2         # the arc's middle
                y_low, y_high = min(y_low, deepest), max(y_high, deepest)
                conns.append((k, kp, i, j, a, b, rad))

    # Scale: figure sized to the drawing, or read from the axes given.
    x_lo, x_hi = -0.9, x_of[L] + 0.9
    caption_room = 1.15 if layer_names is not False else 0.0
    y_lo, y_hi = y_low - 0.45 - caption_room, y_high + 0.6
    if ax is None:
        w, h = (x_hi - x_lo) * _INCH_PER_UNIT, (y_hi - y_lo) * _INCH_PER_UNIT
        shrink = min(1.0, 11.0 / w, 9.0 / h)
        fig = plt.figure(figsize=(max(w * shrink, 2.5), h * shrink))
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    fig = ax.figure
    fw, fh = fig.get_size_inches()
    pos = ax.get_position()
    pt_per_unit = 72.0 * min(fw * pos.width / (x_hi - x_lo), fh * pos.height / (y_hi - y_lo))
    label_size = float(np.clip(_NODE_R * pt_per_unit, 5.0, 12.0))
    small_size = float(np.clip(0.8 * label_size, 7.0, 9.5))
    fan = {e: len(shown[e[0]]) * len(shown[e[1]]) for e in edges}   # lines between two columns

    # Connections first (under the nodes).
    for k, kp, i, j, a, b, rad in conns:
        skip, dashed = k - kp > 1, j == 0
        emphasised = (k, kp, i, j) in hl_conns
        if weights:
            color, lw = _weight_style(float(theta[(k, kp)][i - 1, j]), wmax)
        else:
            lw = float(np.clip(np.sqrt(30.0 / fan[(k, kp)]), 0.5, 1.0))   # thinner when dense
            color = _SKIP_COLOR if skip else _THRESHOLD_COLOR if dashed else _EDGE_COLOR
        if emphasised:
            color, lw = _HIGHLIGHT_COLOR, max(lw, 2.8)
        style = (0, (4, 2.5)) if dashed else "-"
        zorder = 2.5 if emphasised else 1.0 + 0.1 * (not dashed)
        if skip:
            art = FancyArrowPatch(a, b, connectionstyle=f"arc3,rad={rad:.4f}", arrowstyle="-",
                                  shrinkA=0, shrinkB=0, color=color, lw=lw, linestyle=style, zorder=zorder,
                                  gid="skip-threshold" if dashed else "skip")
            ax.add_patch(art)
            # the Bézier's middle: half-way from the chord's middle to arc3's control point
            mid = 0.5 * (np.array(a) + np.array(b)) + 0.5 * rad * np.array([b[1] - a[1], -(b[0] - a[0])])
        else:
            art = Line2D([a[0], b[0]], [a[1], b[1]], color=color, lw=lw, linestyle=style, zorder=zorder,
                         gid="threshold" if dashed else "connection", solid_capstyle="round")
            ax.add_line(art)
            mid = 0.5 * (np.array(a) + np.array(b))
        if emphasised:
            ax.text(*mid, _theta_tex(k, kp, i, j, skip), ha="center", va="center", fontsize=label_size,
                    color=_HIGHLIGHT_COLOR, zorder=6,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": _HIGHLIGHT_COLOR, "lw": 0.8})

    # Nodes, threshold units, ellipses.
    for k in range(L + 1):
        role = "input" if k == 0 else "output" if k == L else "hidden"
        for i, y in y_of[k].items():
            emphasised = (k, i) in hl_nodes
            ax.add_patch(Circle((x_of[k], y), _NODE_R, gid="node", zorder=3,
                                fc="#fde0c5" if emphasised else _ROLE_FILL[role],
                                ec=_HIGHLIGHT_COLOR if emphasised else "black", lw=2.4 if emphasised else 1.1))
            if labels:
                ax.text(x_of[k], y, _node_tex(k, i), ha="center", va="center", zorder=4,
                        fontsize=_fitting_size(_node_tex(k, i), label_size, 1.7 * _NODE_R * pt_per_unit))
        if k in ellipsis_y:
            ax.text(x_of[k], ellipsis_y[k], r"$\vdots$", ha="center", va="center", fontsize=1.3 * label_size,
                    zorder=4)
        if k in square_y:
            ax.add_patch(Rectangle((x_of[k] - _SQUARE / 2, square_y[k] - _SQUARE / 2), _SQUARE, _SQUARE,
                                   gid="threshold-unit", fc="white", ec="0.35", lw=1.0, zorder=3))
            ax.text(x_of[k], square_y[k], "1", ha="center", va="center", fontsize=small_size, zorder=4)
            if labels:
                name = "$x_0$" if k == 0 else f"$s^{{{k}}}_0$"
                ax.text(x_of[k] - _SQUARE / 2 - 0.08, square_y[k], name, ha="right", va="center",
                        fontsize=small_size, color="0.35", zorder=4)

    # Captions under the columns.
    if layer_names is not False:
        for k in range(L + 1):
            if layer_names is None:
                role = "input" if k == 0 else "output" if k == L else "hidden"
                caption = f"layer {k} ({role})"
            else:
                caption = str(layer_names[k])
            ax.text(x_of[k], y_low - 0.45, f"{caption}\n$M_{{{k}}} = {M[k]}$", ha="center", va="top",
                    fontsize=small_size, linespacing=1.4)

    if weights:
        ax.legend(handles=[Line2D([], [], color=_POSITIVE, lw=2.5, label=r"$\theta > 0$"),
                           Line2D([], [], color=_NEGATIVE, lw=2.5, label=r"$\theta < 0$")],
                  loc="upper right", fontsize=small_size, frameon=False, title=r"width $\propto |\theta|$",
                  title_fontsize=small_size)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


# ---------------------------------------------------------------------------------------------
# Decision regions of a classifier in the plane (slides 16-17)
# ---------------------------------------------------------------------------------------------

_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "*")
_LIGHTEN = 0.6      # regions: a class colour mixed with this much white


def _check_samples(X, t):
    """``X`` as an (N, 2) float array and ``t`` as N ints (either may be None)."""
    if X is None:
        if t is not None:
            raise ValueError("t needs the samples X it labels; got t without X")
        return None, None
    X = np.asarray(X)
    if X.dtype.kind not in "iuf":
        raise TypeError(f"X must be a real numeric array of shape (N, 2); got dtype {X.dtype}")
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (N, 2), one sample of 2 features per row; got shape {X.shape}")
    X = X.astype(np.float64)
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite; got NaN or inf")
    if t is not None:
        t = _as_labels(t, "t")
        if t.shape != (X.shape[0],):
            raise ValueError(f"t must hold one class per sample of X, shape ({X.shape[0]},); got shape {t.shape}")
    return X, t


def _as_labels(y, name, what=""):
    """Class labels as a 1-D int array; booleans count as 0/1, floats must be whole numbers."""
    y = np.asarray(y)
    if y.dtype.kind == "b":
        return y.astype(np.int64)
    if y.dtype.kind not in "iuf":
        raise TypeError(f"{name} must {what}give integer class labels; got dtype {y.dtype}")
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            raise ValueError(f"{name} must {what}give integer class labels; got non-integer values")
    return y.astype(np.int64)


def _check_bounds(bounds, X):
    """(x1_min, x1_max, x2_min, x2_max) as given, or from X with a 10 % margin."""
    if bounds is None:
        if X is None:
            raise ValueError("bounds must be given as (x1_min, x1_max, x2_min, x2_max) when there are no samples X")
        lo, hi = X.min(axis=0), X.max(axis=0)
        margin = np.where(hi > lo, 0.1 * (hi - lo), 1.0)
        return (lo[0] - margin[0], hi[0] + margin[0], lo[1] - margin[1], hi[1] + margin[1])
    b = np.asarray(bounds, dtype=np.float64) if np.ndim(bounds) == 1 else None
    if b is None or b.shape != (4,) or not np.all(np.isfinite(b)) or b[0] >= b[1] or b[2] >= b[3]:
        raise ValueError(f"bounds must be (x1_min, x1_max, x2_min, x2_max) with min < max; got {bounds!r}")
    return tuple(float(v) for v in b)


def _class_colors(n, cmap):
    """n RGB colours: tab10 by default, a listed colormap's colours, or n samples of any colormap."""
    import matplotlib as mpl
    import matplotlib.colors as mcolors

    if cmap is None:
        cmap = "tab10"
    if isinstance(cmap, (list, tuple)):
        colors = [mcolors.to_rgb(c) for c in cmap]
        if len(colors) < n:
            raise ValueError(f"cmap must list at least one colour per class, {n}; got {len(colors)}")
        return np.array(colors[:n])
    cmap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
    if isinstance(cmap, mcolors.ListedColormap) and cmap.N >= n:
        return np.array([mcolors.to_rgb(c) for c in cmap.colors[:n]])
    return np.array([cmap(v)[:3] for v in np.linspace(0.0, 1.0, n)]) if n > 1 else np.array([cmap(0.0)[:3]])


def decision_regions(classify, X=None, t=None, ax=None, *, bounds=None, resolution=300, cmap=None,
                     boundary=True):
    r"""Colour the plane by the class a classifier gives each point, with the labelled samples on top.

    The classifier is called once, on the whole grid of resolution × resolution points. Regions are light
    versions of the class colours, boundaries thin black lines, samples full colour with a black edge
    and one marker shape per class (readable in grey too).

    Parameters
    ----------
    classify : callable
        ``classify(points)`` with ``points`` of shape (n, 2) returns n integer classes (for an MLP,
        ``net.classify``: the index of the largest output, 0..C-1 while the slides count 1..C).
    X : array_like, shape (N, 2), optional
        Samples to scatter.
    t : array_like of int, shape (N,), optional
        Their classes (without ``t`` the samples are drawn in black).
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    bounds : (x1_min, x1_max, x2_min, x2_max), optional
        The window; by default the samples' range with a 10 % margin (needed when ``X`` is None).
    resolution : int
        Grid points per axis.
    cmap : str, Colormap or list of colours, optional
        Class colours (default tab10): class c gets the c-th colour when the classes are 0..19, so
        panels agree; other labels take the colours in sorted order.
    boundary : bool
        Draw the class boundaries.

    Returns
    -------
    matplotlib.axes.Axes
        The regions are an RGB image (gid ``"regions"``), the samples one scatter per class.
    """
    import matplotlib.pyplot as plt

    if not callable(classify):
        raise TypeError(f"classify must be a function of points (n, 2) -> classes (n,); got {type(classify).__name__}")
    if not _is_int(resolution) or resolution < 2:
        raise ValueError(f"resolution must be an int >= 2 (grid points per axis); got {resolution!r}")
    X, t = _check_samples(X, t)
    x1_lo, x1_hi, x2_lo, x2_hi = _check_bounds(bounds, X)

    x1 = np.linspace(x1_lo, x1_hi, resolution)
    x2 = np.linspace(x2_lo, x2_hi, resolution)
    grid = np.stack(np.meshgrid(x1, x2), axis=-1).reshape(-1, 2)        # row r, column c: (x1[c], x2[r])
    y = classify(grid)
    y = _as_labels(y, "classify", "return one class per point and ")
    if y.shape not in ((grid.shape[0],), (grid.shape[0], 1)):
        raise ValueError(f"classify must return one class per point, shape ({grid.shape[0]},) for the "
                         f"{resolution}x{resolution} grid; got shape {y.shape}")
    y = y.reshape(resolution, resolution)

    classes = np.unique(y) if t is None else np.union1d(np.unique(y), np.unique(t))
    # Class c gets colour c (the same in every panel) when the classes are small non-negative ints.
    absolute = classes[0] >= 0 and classes[-1] < 20
    palette = _class_colors(int(classes[-1]) + 1 if absolute else len(classes), cmap)
    colors = palette[classes] if absolute else palette
    index = np.searchsorted(classes, y)
    light = colors + _LIGHTEN * (1.0 - colors)

    if ax is None:
        _, ax = plt.subplots(figsize=(5.0, 4.5), layout="constrained")
    h1, h2 = (x1_hi - x1_lo) / (resolution - 1), (x2_hi - x2_lo) / (resolution - 1)
    ax.imshow(light[index], origin="lower", interpolation="nearest", aspect="auto", zorder=0, gid="regions",
              extent=(x1_lo - h1 / 2, x1_hi + h1 / 2, x2_lo - h2 / 2, x2_hi + h2 / 2))
    if boundary and len(classes) > 1:
        # every boundary separates two classes, one of them not the last: the edges of classes 0..C-2
        for r in range(len(classes) - 1):
            ax.contour(x1, x2, (index == r).astype(float), levels=[0.5], colors="black", linewidths=0.9,
                       zorder=1)
    if X is not None and t is None:
        ax.scatter(X[:, 0], X[:, 1], s=28, color="0.15", edgecolors="white", linewidths=0.6, zorder=3)
    elif X is not None:
        for r, c in enumerate(classes):
            mine = t == c
            if mine.any():
                ax.scatter(X[mine, 0], X[mine, 1], s=32, color=colors[r],
                           marker=_MARKERS[(int(c) if absolute else r) % len(_MARKERS)],
                           edgecolors="black", linewidths=0.7, zorder=3, label=f"class {c}")
    ax.set_xlim(x1_lo, x1_hi)
    ax.set_ylim(x2_lo, x2_hi)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def regions_of_mlp(net, X=None, t=None, ax=None, **kwargs):
    """Decision regions of a network with 2 inputs: :func:`decision_regions` of ``net.classify``.

    Parameters
    ----------
    net : MLP or FeedForward
        A network with ``M_0 = 2`` inputs.
    X, t, ax, **kwargs
        As for :func:`decision_regions`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not hasattr(net, "classify") or not hasattr(net, "M"):
        raise TypeError(f"net must be an MLP or FeedForward; got {type(net).__name__}")
    if net.M[0] != 2:
        raise ValueError(f"net must have M_0 = 2 inputs to draw its regions in the plane; got M_0 = {net.M[0]}")
    return decision_regions(net.classify, X, t, ax, **kwargs)


# ---------------------------------------------------------------------------------------------
# Timeline (slide 3, the history of neural networks)
# ---------------------------------------------------------------------------------------------

_WRAP = 26          # characters per line of a timeline label
_STEM = 14.0        # points from the axis to the first row of labels


def _check_events(events):
    """``events`` as a list of (start, end, label), sorted by start (end == start for a single year)."""
    if isinstance(events, (str, bytes)) or not hasattr(events, "__iter__"):
        raise TypeError(f"events must be a list of (year, label) or (start, end, label); got {type(events).__name__}")
    out = []
    for e in events:
        if not isinstance(e, (tuple, list)) or len(e) not in (2, 3):
            raise ValueError(f"events must hold (year, label) or (start, end, label) tuples; got {e!r}")
        *years, label = e
        if not all(isinstance(y, numbers.Real) and not isinstance(y, (bool, np.bool_)) and np.isfinite(y)
                   for y in years):
            raise ValueError(f"events: the years of {e!r} must be finite numbers")
        start, end = float(years[0]), float(years[-1])
        if end < start:
            raise ValueError(f"events: the span {e!r} must end after it starts")
        out.append((start, end, str(label)))
    if not out:
        raise ValueError("events must hold at least one (year, label); got none")
    return sorted(out, key=lambda e: (e[0], e[1]))


def _year_text(start, end):
    fmt = "{:g}"
    return fmt.format(start) if end == start else f"{fmt.format(start)}–{fmt.format(end)}"


def plot_timeline(events, ax=None):
    """A horizontal timeline of dated events (the history on slide 3).

    Each event gets a marker on the axis and a label on a stem, alternately above and below; a label
    moves one row further out where it would overlap a neighbour (widths are measured, not guessed).

    Parameters
    ----------
    events : sequence of tuple
        ``(year, label)`` or ``(year_start, year_end, label)`` for a span such as 1970-1975 (drawn
        as a bar, its marker at the middle). Labels longer than 26 characters are wrapped.
    ax : matplotlib.axes.Axes, optional
        Draw here; by default a new 10 × 3.5 inch figure (taller if the labels need more rows).

    Returns
    -------
    matplotlib.axes.Axes
        The markers are one scatter collection with one point per event (gid ``"events"``).
    """
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    events = _check_events(events)
    texts = []
    for start, end, label in events:
        body = label if "\n" in label else textwrap.fill(label, _WRAP)
        texts.append(rf"$\mathbf{{{_year_text(start, end)}}}$" + "\n" + body)
    fontsize = 8.5

    # Label sizes in points, measured with a renderer.
    probe = plt.figure() if ax is None else ax.figure
    renderer = probe.canvas.get_renderer()
    sizes = []
    for s in texts:
        t = Text(0, 0, s, fontsize=fontsize, ha="center", va="bottom", linespacing=1.25)
        t.set_figure(probe)
        bb = t.get_window_extent(renderer)
        sizes.append((bb.width * 72.0 / probe.dpi, bb.height * 72.0 / probe.dpi))
    if ax is None:
        plt.close(probe)

    mids = np.array([0.5 * (a + b) for a, b, _ in events])
    lo, hi = min(e[0] for e in events), max(e[1] for e in events)
    width_pt = (10.0 if ax is None else ax.figure.get_size_inches()[0] * ax.get_position().width) * 72.0
    # x limits such that every label fits: years per point s solves lo - w/2 s >= x_lo, etc.
    x_lo, x_hi = lo - 1.0, hi + 1.0
    for _ in range(20):
        per_pt = (x_hi - x_lo) / width_pt
        x_lo = min(lo - 1.0, min(m - (w / 2 + 12) * per_pt for m, (w, _) in zip(mids, sizes)))
        x_hi = max(hi + 1.0, max(m + (w / 2 + 12) * per_pt for m, (w, _) in zip(mids, sizes)))
    per_pt = (x_hi - x_lo) / width_pt

    # Greedy rows: alternate sides; a label is centred on its stem or hangs to its right or left, and
    # takes the first row (nearest the axis) where it overlaps no label, if possible without crossing
    # a stem (stems pass behind the labels' white backing when they must).
    row_h = max(h for _, h in sizes) + 5.0
    placed = []                                   # (side, row, x_left, x_right, x_stem) in points
    slots = []
    side_pref = 1
    hang = 5.0                                    # how far the stem sits inside a hanging label

    def free(side, row, left, right, xc, strict):
        for s_, r, l0, r0, stem in placed:
            if s_ != side:
                continue
            if r == row and left < r0 + 2 and l0 - 2 < right:
                return False
            if strict and r < row and l0 < xc < r0:          # my stem would cross a label nearer the axis
                return False
            if strict and r > row and left < stem < right:    # its stem would cross me
                return False
        return True

    for m, (w, h) in zip(mids, sizes):
        xc = (m - x_lo) / per_pt
        options = [("center", xc - w / 2, xc + w / 2), ("left", xc - hang, xc - hang + w),
                   ("right", xc + hang - w, xc + hang)]
        options = [o for o in options if o[1] >= 0 and o[2] <= width_pt] or options[:1]
        best = None
        for row in range(12):
            for strict in (True, False):
                for side in (side_pref, -side_pref):
                    for ha, left, right in options:
                        if free(side, row, left, right, xc, strict):
                            best = (side, row, ha, left, right)
                            break
                    if best:
                        break
                if best:
                    break
            if best:
                break
        side, row, ha, left, right = best or (side_pref, len(placed), *options[0])
        placed.append((side, row, left, right, xc))
        slots.append((side, row, ha))
        side_pref = -side

    rows_up = max((r + 1 for s_, r, _ in slots if s_ > 0), default=0)
    rows_down = max((r + 1 for s_, r, _ in slots if s_ < 0), default=0)
    need_up, need_down = _STEM + rows_up * row_h, _STEM + rows_down * row_h
    if ax is None:
        height = max(3.5, (2 * max(need_up, need_down) + 30.0) / 72.0)
        fig = plt.figure(figsize=(10.0, height))
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    fig = ax.figure
    height_pt = fig.get_size_inches()[1] * ax.get_position().height * 72.0
    # The axis line sits where the drawing, from the lowest row to the highest, is centred.
    y0 = float(np.clip(((height_pt - need_up - need_down) / 2.0 + need_down) / height_pt, 0.05, 0.95))
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(-y0, 1.0 - y0)

    ax.annotate("", xy=(x_hi, 0.0), xytext=(x_lo, 0.0), zorder=1,
                arrowprops={"arrowstyle": "-|>", "color": "0.25", "lw": 1.4, "shrinkA": 0, "shrinkB": 0})
    for (start, end, _), color in zip(events, ["C0"] * len(events)):
        if end > start:
            ax.plot([start, end], [0.0, 0.0], "-", color=color, lw=7, alpha=0.45, solid_capstyle="butt",
                    zorder=2, gid="span")
    ax.scatter(mids, np.zeros_like(mids), s=36, color="C0", edgecolors="white", linewidths=1.0, zorder=3,
               gid="events")
    shift = {"center": 0.0, "left": -hang, "right": hang}
    for m, s, (side, row, ha) in zip(mids, texts, slots):
        offset = side * (_STEM + row * row_h)
        ax.annotate("", xy=(m, 0.0), xytext=(0.0, offset), textcoords="offset points", annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": "0.6", "lw": 0.8, "shrinkA": 0, "shrinkB": 3},
                    zorder=1.5)
        ax.annotate(s, xy=(m, 0.0), xytext=(shift[ha], offset), textcoords="offset points", ha=ha,
                    va="bottom" if side > 0 else "top", fontsize=fontsize, linespacing=1.25,
                    annotation_clip=False, zorder=4,
                    bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"})
    ax.set_axis_off()
    return ax


def _cell_text(value, fmt):
    """One table cell: numbers through ``fmt`` (a format spec such as ``".3g"``), anything else as ``str``."""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and fmt:
        return format(value, fmt)
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(header, rows, fmt=".4g", align=None):
    """A Markdown table the book's pages display: ``display(table(header, rows))``.

    Parameters
    ----------
    header : sequence of str
        Column titles (Markdown and ``$...$`` math allowed).
    rows : iterable of sequences
        One sequence per row, as long as ``header``. Real numbers are written with ``fmt``; anything else
        with ``str``.
    fmt : str or None, default ".4g"
        Format spec for the numbers, or None to use ``str``.
    align : str, optional
        One letter per column, ``"l"``, ``"r"`` or ``"c"``; by default text columns left, number columns right.

    Returns
    -------
    IPython.display.Markdown
        Rendered as a table in Jupyter and in the book; ``.data`` holds the Markdown text.
    """
    from IPython.display import Markdown

    header = [str(h) for h in header]
    rows = [list(r) for r in rows]
    for i, r in enumerate(rows):
        if len(r) != len(header):
            raise ValueError(f"rows[{i}] must have {len(header)} entries (one per column of header); got {len(r)}")
    if align is None:
        align = "".join("r" if rows and all(isinstance(r[j], numbers.Real) and not isinstance(r[j], bool)
                                            for r in rows) else "l" for j in range(len(header)))
    if len(align) != len(header) or set(align) - set("lrc"):
        raise ValueError(f"align must have one of 'l', 'r', 'c' per column ({len(header)}); got {align!r}")
    rule = {"l": "---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule[a] for a in align) + "|"]
    lines += ["| " + " | ".join(_cell_text(v, fmt) for v in r) + " |" for r in rows]
    return Markdown("\n".join(lines))



def tex(expr):
    r"""A SymPy expression as inline math for a table cell: ``"$...$"``, with ``|`` written ``\vert``.

    A pipe, as in :math:`|z|`, would split a Markdown table cell; ``\vert`` draws the same bar.

    >>> import sympy as sp
    >>> tex(sp.Abs(sp.Symbol("z")))
    '$\\vert z\\vert $'
    """
    import sympy as sp

    return "$" + sp.latex(expr).replace("|", r"\vert ") + "$"


def weight_table(theta, l):
    r"""The weights :math:`\theta^l_{ij}` of layer `l` as a Markdown table: one row per node :math:`i`, one
    column per input :math:`j = 0, \dots, M_{l-1}` (:math:`j = 0`: the threshold).

    Parameters
    ----------
    theta : array_like, shape (M_l, M_{l-1} + 1)
        ``net.theta[l]``, thresholds in column 0.
    l : int
        The layer's number, for the names :math:`\theta^l_{ij}`.

    Returns
    -------
    IPython.display.Markdown
    """
    theta = np.asarray(theta)
    if theta.ndim != 2 or theta.shape[1] < 2:
        raise ValueError(f"theta must be a matrix (M_l, M_(l-1) + 1) with M_(l-1) >= 1; got shape {theta.shape}")
    if not _is_int(l) or l < 1:
        raise ValueError(f"l must be a layer number >= 1; got {l!r}")
    header = [f"$\\theta^{l}_{{ij}}$"] + [f"$j = {j}$" + (" (threshold)" if j == 0 else "")
                                          for j in range(theta.shape[1])]
    rows = [[f"$i = {i}$"] + [f"$\\theta^{l}_{{{i}{j}}} = {theta[i - 1, j]:g}$" for j in range(theta.shape[1])]
            for i in range(1, theta.shape[0] + 1)]
    return table(header, rows)


def hidden_lines(ax, theta1, bounds, **style):
    r"""Draw the line :math:`\phi^1_j(\mathbf{x}) = \theta^1_{j0} + \theta^1_{j1} x_1 + \theta^1_{j2} x_2 = 0`
    of every hidden unit :math:`j` of a network with two inputs, within `bounds`.

    Parameters
    ----------
    ax : matplotlib Axes
    theta1 : array_like, shape (M_1, 3)
        The first layer's weights ``net.theta[1]`` (or any lines as rows :math:`[\theta_0, \theta_1, \theta_2]`).
    bounds : (x1_min, x1_max, x2_min, x2_max)
        The visible box; the axes' limits are set to it.
    **style
        Passed to ``ax.plot`` (``color``, ``ls``, ``lw``, ...). Each line is labelled :math:`\phi^1_j = 0` when
        there are at most four.
    """
    theta1 = np.asarray(theta1, dtype=float)
    if theta1.ndim != 2 or theta1.shape[1] != 3:
        raise ValueError(f"theta1 must have one row [theta_0, theta_1, theta_2] per unit; got shape {theta1.shape}")
    if len(bounds) != 4:
        raise ValueError(f"bounds must be (x1_min, x1_max, x2_min, x2_max); got {bounds!r}")
    x1 = np.linspace(bounds[0], bounds[1], 2)
    for j, (t0, t1, t2) in enumerate(theta1, start=1):
        label = f"$\\phi^1_{{{j}}} = 0$" if len(theta1) <= 4 else None
        if abs(t2) > 1e-12 * max(abs(t1), 1.0):
            ax.plot(x1, -(t0 + t1 * x1) / t2, label=label, **style)      # x_2 = -(theta_0 + theta_1 x_1) / theta_2
        else:
            ax.axvline(-t0 / t1, label=label, **style)                   # a vertical line x_1 = -theta_0 / theta_1
    ax.set_xlim(bounds[:2])
    ax.set_ylim(bounds[2:])
    return ax


def image_grid(images, ax, *, ncols=10, titles=None, row_labels=None, cmap="gray_r", vmin=None, vmax=None,
               gap=0.25, fontsize="medium", frame=True):
    """Draw many small images in one axes, `ncols` a row, each with an optional title above it.

    The images are tiled into one array with blank gaps (NaN) and drawn with a single ``imshow``: a figure of
    one axes costs a fraction of one with an axes per image (a 2 × 10 grid of digits: about 0.15 s against
    0.7 s to render), and looks the same.

    Parameters
    ----------
    images : array_like, shape (n, h, w)
        The images; rows of h * w pixels must be reshaped first.
    ax : matplotlib Axes
        Where to draw; its axis lines and ticks are turned off.
    ncols : int
        Images per row (the last row may be shorter).
    titles : sequence of str, optional
        One per image, drawn centred above it.
    row_labels : sequence of str, optional
        One per row, drawn to the left of the row.
    cmap : str or Colormap
    vmin, vmax : float, optional
        The grey levels of the colour map's ends, shared by all images. If both are None, each image is
        scaled to its own range, as ``imshow`` does for one image.
    gap : float
        The blank space between two images, as a fraction of an image's width (and height).
    fontsize
        Of the titles and row labels.
    frame : bool
        Outline each image with a thin line (as the frame of an axes would).

    Returns
    -------
    matplotlib AxesImage
    """
    images = np.asarray(images, dtype=float)
    if images.ndim != 3 or 0 in images.shape:
        raise ValueError(f"images must have shape (n, h, w) with n, h, w >= 1; got {images.shape}")
    if not _is_int(ncols) or ncols < 1:
        raise ValueError(f"ncols must be an int >= 1; got {ncols!r}")
    n, h, w = images.shape
    nrows = -(-n // ncols)
    if titles is not None and len(titles) != n:
        raise ValueError(f"titles must have one entry per image ({n}); got {len(titles)}")
    if row_labels is not None and len(row_labels) != nrows:
        raise ValueError(f"row_labels must have one entry per row ({nrows}); got {len(row_labels)}")
    if vmin is None and vmax is None:
        low = images.min(axis=(1, 2), keepdims=True)
        span = images.max(axis=(1, 2), keepdims=True) - low
        images = (images - low) / np.where(span > 0, span, 1.0)
        vmin, vmax = 0.0, 1.0
    dx = w + max(1, round(gap * w))
    # room for a title above each row
    dy = h + max(1, round(gap * h)) + (round(0.45 * h) if titles is not None else 0)
    top = dy - h
    canvas = np.full((nrows * dy, ncols * dx - (dx - w)), np.nan)
    for k, image in enumerate(images):
        r, c = divmod(k, ncols)
        canvas[r * dy + top:r * dy + top + h, c * dx:c * dx + w] = image
    shown = ax.imshow(canvas, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    if frame:
        from matplotlib.collections import PatchCollection
        from matplotlib.patches import Rectangle

        corners = [divmod(k, ncols) for k in range(n)]
        boxes = [Rectangle((c * dx - 0.5, r * dy + top - 0.5), w, h) for r, c in corners]
        ax.add_collection(PatchCollection(boxes, facecolor="none", edgecolor="0.2", linewidth=0.6))
    for k in range(n if titles is not None else 0):
        r, c = divmod(k, ncols)
        ax.text(c * dx + (w - 1) / 2, r * dy + top - 0.7, titles[k], ha="center", va="bottom",
                fontsize=fontsize)
    for r, label in enumerate(row_labels or ()):
        ax.text(-0.2 * w, r * dy + top + (h - 1) / 2, label, ha="right", va="center", fontsize=fontsize)
    ax.set_axis_off()
    return shown
