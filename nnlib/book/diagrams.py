"""Building blocks of the book's hand-drawn diagrams (unrolled networks, encoder–decoders): arrows, boxes, nodes.

Each function adds one patch (and its label) to a matplotlib Axes in data coordinates and returns the patch.
matplotlib is imported inside the functions, so ``import nnlib.book.diagrams`` is cheap.
"""

import numpy as np

__all__ = ["arrow", "box", "node", "conv_channels", "receptive_field_1d", "lstm_cell", "gru_cell"]


def arrow(ax, a, b, text=None, *, color="0.3", size=10, shrink=2, rad=0.0, text_offset=(0.18, 0.0),
          fontsize=11, zorder=2, **style):
    """An arrow from point `a` to point `b`, optionally labelled `text` beside its middle.

    Parameters
    ----------
    ax : matplotlib Axes
    a, b : (x, y)
        Start and end, in data coordinates.
    text : str, optional
        A label placed at the arrow's midpoint moved by `text_offset`, in the arrow's colour.
    color, size : matplotlib colour and arrow-head size (``mutation_scale``)
    shrink : float, default 2
        Points left free at both ends (e.g. the radius of the nodes it joins).
    rad : float, default 0
        Curvature (``arc3`` connection style); 0 is straight.
    **style
        Passed to ``FancyArrowPatch`` (``lw``, ``ls``, ...).
    """
    from matplotlib.patches import FancyArrowPatch

    patch = FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=size, color=color, shrinkA=shrink,
                            shrinkB=shrink, connectionstyle=f"arc3,rad={rad}", zorder=zorder, **style)
    ax.add_patch(patch)
    if text:
        ax.text((a[0] + b[0]) / 2 + text_offset[0], (a[1] + b[1]) / 2 + text_offset[1], text, color=color,
                fontsize=fontsize)
    return patch


def box(ax, xy, text, color="white", w=0.8, h=0.55, fontsize=10):
    """A rounded box of width `w` and height `h` centred on `xy`, filled with `color`, with `text` inside."""
    from matplotlib.patches import FancyBboxPatch

    x, y = xy
    patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.03", fc=color, ec="0.3")
    ax.add_patch(patch)
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)
    return patch


def node(ax, xy, text, color="white", r=0.32, fontsize=12):
    """A circle of radius `r` centred on `xy`, filled with `color`, with `text` inside (a unit or a vector)."""
    from matplotlib.patches import Circle

    patch = Circle(xy, r, fc=color, ec="k", lw=1, zorder=3)
    ax.add_patch(patch)
    ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, zorder=4)
    return patch


# ---------------------------------------------------------------- chapter 6: convolution and recurrent cells
def _grid(ax, x0, y0, rows, cols, side, fc="white", lw=0.6, zorder=1):
    """A rows × cols grid of squares of `side`, lower left corner at (x0, y0); returns its Rectangle patches."""
    from matplotlib.patches import Rectangle

    cells = []
    for r in range(rows):
        for c in range(cols):
            cells.append(Rectangle((x0 + c * side, y0 + (rows - 1 - r) * side), side, side, fc=fc, ec="0.3",
                                   lw=lw, zorder=zorder))
            ax.add_patch(cells[-1])
    return cells


def conv_channels(ax, C_in=3, C_out=2, H=5, W=5, M=3, N=3, fontsize=8):
    """Draw a multi-channel convolution: input C_in×H×W, C_out filters of C_in×M×N, output C_out×H_out×W_out.

    Stride 1, no padding. The channels of each stack are drawn as grids shifted up and to the right, one
    window of the input (through all its channels) and the output value it makes are outlined in red, and
    the shapes are written under each stack. Returns the output shape ``(C_out, H - M + 1, W - N + 1)``.
    """
    from matplotlib.patches import Rectangle

    for name, value in (("C_in", C_in), ("C_out", C_out), ("H", H), ("W", W), ("M", M), ("N", N)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int; got {value!r}")
    if M > H or N > W:
        raise ValueError(f"the kernel M×N must fit in the image H×W; got {M}×{N} and {H}×{W}")
    H_out, W_out = H - M + 1, W - N + 1
    side, shift = 0.5, 0.3
    shades = ["#cfe2f3", "#d9ead3", "#fce5cd", "#ead1dc", "#fff2cc", "#d0e0e3"]

    def stack(x0, rows, cols, depth, color=None):
        for c in range(depth):
            _grid(ax, x0 + shift * c, shift * c, rows, cols, side, color or shades[c % len(shades)],
                  zorder=1 + c)
        return x0 + cols * side + shift * (depth - 1)          # right edge

    right = stack(0.0, H, W, C_in)
    for c in range(C_in):                                      # the window (0, 0) through every channel
        ax.add_patch(Rectangle((shift * c, shift * c + (H - M) * side), N * side, M * side, fill=False,
                               ec="firebrick", lw=1.6, zorder=2 + c))
    ax.text(right / 2, -0.5, f"input $C_{{in}}\\times H\\times W$\n= {C_in}×{H}×{W}", ha="center", va="top",
            fontsize=fontsize)
    x_f = right + 0.9
    tops = []
    for k in range(C_out):                                     # each filter: a stack of C_in kernels
        y0 = (H * side) - (k + 1) * (M * side + shift * C_in + 0.35) + 0.35
        for c in range(C_in):
            _grid(ax, x_f + shift * c, y0 + shift * c, M, N, side, shades[c % len(shades)], zorder=1 + c)
        ax.text(x_f - 0.15, y0 + M * side / 2, f"$K^{{({k + 1})}}$", ha="right", va="center",
                fontsize=fontsize + 1)
        tops.append(y0)
    f_right = x_f + N * side + shift * (C_in - 1)
    ax.text((x_f + f_right) / 2, min(tops) - 0.35,
            f"$C_{{out}}$ = {C_out} filters,\neach $C_{{in}}\\times M\\times N$\n= {C_in}×{M}×{N}", ha="center",
            va="top", fontsize=fontsize)
    x_o = f_right + 1.1
    o_right = stack(x_o, H_out, W_out, C_out, color="white")
    for k in range(C_out):                                     # output channel k = filter k's map
        ax.text(x_o + shift * k + W_out * side + 0.05, shift * k + H_out * side - side / 2, f"{k + 1}",
                fontsize=fontsize - 1, color="0.4", zorder=20)
    ax.add_patch(Rectangle((x_o, (H_out - 1) * side), side, side, fc="firebrick", alpha=0.5, ec="firebrick",
                           lw=1.6, zorder=10))
    ax.text((x_o + o_right) / 2, -0.5,
            f"output $C_{{out}}\\times H_{{out}}\\times W_{{out}}$\n= {C_out}×{H_out}×{W_out}", ha="center",
            va="top", fontsize=fontsize)
    arrow(ax, (right + 0.1, H * side / 2), (x_f - 0.45, H * side / 2), shrink=0, size=9)
    arrow(ax, (f_right + 0.1, H * side / 2), (x_o - 0.1, H * side / 2), shrink=0, size=9)
    ax.text((f_right + x_o) / 2, H * side / 2 - 0.15, r"$\Sigma_{c,p,q}$" + "\n+ $b$", ha="center", va="top",
            fontsize=fontsize, color="firebrick")
    ax.set_xlim(-0.2, o_right + 0.4)
    ax.set_ylim(min(min(tops) - 1.6, -1.5), H * side + shift * C_in + 0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    return (C_out, H_out, W_out)


def receptive_field_1d(ax, layers, n_in, names=None, fontsize=8):
    """Draw, along one axis, which units of every layer one unit of the last layer depends on.

    Parameters
    ----------
    layers : list of (f, s)
        Each layer's window size f and stride s (no padding), bottom to top; a pooling layer is one too.
    n_in : int
        The number of input units drawn.
    names : list of str, optional
        A label for each layer (default "f=.., s=..").

    The middle unit of the top layer is followed down: the units it depends on are filled in red. Returns
    the number of red units of every layer from the top one down to the input, so the last entry is the
    receptive field counted on the drawing.
    """
    from matplotlib.patches import Circle

    sizes = [n_in]
    for k, pair in enumerate(layers):
        f, s = pair
        if f < 1 or s < 1:
            raise ValueError(f"layers[{k}] must be (f, s) with f, s >= 1; got {pair!r}")
        if sizes[-1] < f:
            raise ValueError(f"n_in = {n_in} is too small: layer {k} (f={f}) gets {sizes[-1]} units")
        sizes.append((sizes[-1] - f) // s + 1)
    # units of each layer, centred under the units they feed
    xs = [np.arange(n_in, dtype=float)]
    for (f, s), n in zip(layers, sizes[1:]):
        xs.append(np.array([xs[-1][j * s:j * s + f].mean() for j in range(n)]))
    red = [{len(xs[-1]) // 2}]
    for k in range(len(layers) - 1, -1, -1):                   # follow the dependencies down
        f, s = layers[k]
        red.append({j * s + p for j in red[-1] for p in range(f)})
    red = red[::-1]                                            # red[0]: input units
    for k, x in enumerate(xs):
        for j, xj in enumerate(x):
            hit = j in red[k]
            ax.add_patch(Circle((xj, k), 0.28, fc="firebrick" if hit else "white", ec="0.3", lw=0.7, zorder=3))
        if k:
            f, s = layers[k - 1]
            for j in red[k]:
                for p in range(f):
                    ax.plot([x[j], xs[k - 1][j * s + p]], [k, k - 1], color="firebrick", lw=0.7, zorder=1)
        label = "input" if k == 0 else (names[k - 1] if names else f"f={layers[k - 1][0]}, s={layers[k - 1][1]}")
        ax.text(n_in - 0.2, k, f"{label}: {len(red[k])} unit{'s' if len(red[k]) > 1 else ''}", va="center",
                fontsize=fontsize)
    ax.set_xlim(-0.6, n_in + 5.5)
    ax.set_ylim(-0.6, len(layers) + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return [len(r) for r in red[::-1]]


def _frame(ax, top):
    """The cell's grey frame, from y = -0.55 up to `top`."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((0.2, -0.55), 6.6, top + 0.55, boxstyle="round,pad=0.05", fc="#f7f7f7", ec="0.5",
                                lw=0.8, zorder=0))


def _gate(ax, xy, text, color, w=0.62, h=0.42, fontsize=9):
    return box(ax, xy, text, color, w=w, h=h, fontsize=fontsize)


def _op(ax, xy, text, r=0.2, fontsize=10):
    return node(ax, xy, text, "white", r=r, fontsize=fontsize)


def _line(ax, points, color="0.25", lw=1.2, head=True):
    """A polyline through `points`, with an arrow head on its last segment."""
    xs, ys = zip(*points)
    if not head:
        ax.plot(xs, ys, color=color, lw=lw, zorder=1)
        return
    if len(points) > 2:
        ax.plot(xs[:-1], ys[:-1], color=color, lw=lw, zorder=1)
    arrow(ax, points[-2], points[-1], color=color, shrink=0, size=9, lw=lw, zorder=1)


def lstm_cell(ax, fontsize=9):
    """Draw one LSTM cell: the cell-state path on top, the gates below (g_S, the slides' sigmoid, or tanh).

    The labels follow the book's equations (:class:`nnlib.layers.recurrent.LSTM`):
    c_n = f_n ⊙ c_{n-1} + i_n ⊙ c̃_n (the candidate c̃_n is nnlib's block ``g``) and h_n = o_n ⊙ tanh(c_n).
    Returns the dict of the gates' boxes, keys "i", "f", "c_tilde", "o".
    """
    top, mid, low = 3.0, 1.5, 0.0
    _frame(ax, 3.55)
    # the cell-state path: c_{n-1} -> ⊙ f -> + -> c_n
    _line(ax, [(-0.6, top), (1.8, top)], color="firebrick", lw=2)
    _op(ax, (2.0, top), "⊙")
    _line(ax, [(2.2, top), (3.8, top)], color="firebrick", lw=2)
    _op(ax, (4.0, top), "+")
    _line(ax, [(4.2, top), (7.6, top)], color="firebrick", lw=2)
    ax.text(-0.6, top + 0.2, r"$\mathbf{c}_{n-1}$", fontsize=fontsize + 1)
    ax.text(7.0, top + 0.2, r"$\mathbf{c}_n$", fontsize=fontsize + 1)
    # the inputs: h_{n-1} and x_n join into one bus under the gates
    _line(ax, [(-0.6, low), (5.6, low)], head=False)
    ax.text(-0.6, low + 0.15, r"$\mathbf{h}_{n-1}$", fontsize=fontsize + 1)
    _line(ax, [(0.8, -1.0), (0.8, low)], head=False)
    ax.text(0.8, -1.3, r"$\mathbf{x}_n$", ha="center", fontsize=fontsize + 1)
    gates = {}
    for name, x, fn, color in (("f", 2.0, r"$g_S$", "#fce5cd"), ("i", 3.0, r"$g_S$", "#fce5cd"),
                               ("c_tilde", 4.0, "tanh", "#d9ead3"), ("o", 5.6, r"$g_S$", "#fce5cd")):
        _line(ax, [(x, low), (x, mid - 0.21)])
        gates[name] = _gate(ax, (x, mid), fn, color, fontsize=fontsize)
        symbol = r"\tilde{\mathbf{c}}" if name == "c_tilde" else f"\\mathbf{{{name}}}"
        ax.text(x - 0.08, mid + 0.3, f"${symbol}_n$", ha="right", fontsize=fontsize)
    _line(ax, [(2.0, mid + 0.21), (2.0, top - 0.2)])                 # f -> ⊙ on the cell path
    _op(ax, (3.5, 2.3), "⊙")                                         # i ⊙ c̃
    _line(ax, [(3.0, mid + 0.21), (3.0, 2.3), (3.3, 2.3)])
    _line(ax, [(4.0, mid + 0.21), (4.0, 2.3), (3.7, 2.3)])
    _line(ax, [(3.5, 2.5), (3.5, top), (3.8, top)])
    # the output: h_n = o ⊙ tanh(c_n)
    _gate(ax, (6.2, 2.3), "tanh", "#d9ead3", w=0.62, fontsize=fontsize)
    _line(ax, [(6.2, top), (6.2, 2.51)])
    _op(ax, (6.2, 1.5), "⊙")
    _line(ax, [(6.2, 2.09), (6.2, 1.7)])
    _line(ax, [(5.91, mid), (6.0, mid)])
    _line(ax, [(6.2, 1.3), (6.2, 0.6), (7.6, 0.6)])
    ax.text(6.95, 0.75, r"$\mathbf{h}_n$", fontsize=fontsize + 1)
    ax.text(6.95, 0.15, "output and\nnext state", fontsize=fontsize - 1, va="top")
    ax.set_xlim(-1.0, 8.4)
    ax.set_ylim(-1.6, 4.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return gates


def gru_cell(ax, fontsize=9):
    """Draw one GRU cell (Cho et al. 2014, reset before the product, as :class:`nnlib.layers.recurrent.GRU`).

    h_n = u_n ⊙ h_{n-1} + (1 − u_n) ⊙ h̃_n with h̃_n = tanh(W_h x_n + U_h (r_n ⊙ h_{n-1}) + b_h), the update
    gate u_n (nnlib's block ``z``) and the reset gate r_n written with the slides' sigmoid g_S. The state
    path runs along the top. Returns the dict of the gates' boxes, keys "r", "u", "h".
    """
    top, mid, low = 3.3, 1.5, 0.0
    _frame(ax, 3.85)
    _line(ax, [(-0.6, top), (2.8, top)], color="firebrick", lw=2)
    _op(ax, (3.0, top), "⊙")                                         # u ⊙ h_{n-1}
    _line(ax, [(3.2, top), (5.0, top)], color="firebrick", lw=2)
    _op(ax, (5.2, top), "+")
    _line(ax, [(5.4, top), (7.6, top)], color="firebrick", lw=2)
    ax.text(-0.6, top + 0.2, r"$\mathbf{h}_{n-1}$", fontsize=fontsize + 1)
    ax.text(7.0, top + 0.2, r"$\mathbf{h}_n$", fontsize=fontsize + 1)
    _line(ax, [(0.8, top), (0.8, low), (4.2, low)], head=False)         # h_{n-1} down to the gates' bus
    _line(ax, [(1.4, -1.0), (1.4, low)], head=False)
    ax.text(1.4, -1.3, r"$\mathbf{x}_n$", ha="center", fontsize=fontsize + 1)
    gates = {}
    for name, x in (("r", 2.0), ("u", 3.0)):
        _line(ax, [(x, low), (x, mid - 0.21)])
        gates[name] = _gate(ax, (x, mid), r"$g_S$", "#fce5cd", fontsize=fontsize)
        ax.text(x - 0.08, mid + 0.3, f"$\\mathbf{{{name}}}_n$", ha="right", fontsize=fontsize)
    _line(ax, [(3.0, mid + 0.21), (3.0, top - 0.2)])                  # u -> u ⊙ h_{n-1}
    _op(ax, (4.2, 2.65), "1−", r=0.22, fontsize=fontsize - 1)         # 1 − u
    _line(ax, [(3.0, 2.65), (3.98, 2.65)])
    _op(ax, (5.2, 2.65), "⊙")                                        # (1 − u) ⊙ h̃
    _line(ax, [(4.42, 2.65), (5.0, 2.65)])
    _line(ax, [(5.2, 2.85), (5.2, top - 0.2)])
    _op(ax, (2.0, 2.35), "⊙", r=0.18, fontsize=fontsize)             # r ⊙ h_{n-1}
    _line(ax, [(2.0, mid + 0.21), (2.0, 2.17)])
    _line(ax, [(2.0, top), (2.0, 2.53)])
    gates["h"] = _gate(ax, (4.2, mid), "tanh", "#d9ead3", fontsize=fontsize)
    ax.text(4.6, mid + 0.25, r"$\tilde{\mathbf{h}}_n$", fontsize=fontsize)
    _line(ax, [(2.18, 2.35), (3.65, 2.35), (3.65, mid), (3.89, mid)])
    _line(ax, [(4.2, low), (4.2, mid - 0.21)])
    _line(ax, [(4.51, mid), (5.2, mid), (5.2, 2.45)])
    ax.set_xlim(-1.0, 8.4)
    ax.set_ylim(-1.6, 4.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return gates
