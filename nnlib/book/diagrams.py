"""Building blocks of the book's hand-drawn diagrams (unrolled networks, encoder–decoders): arrows, boxes, nodes.

Each function adds one patch (and its label) to a matplotlib Axes in data coordinates and returns the patch.
matplotlib is imported inside the functions, so ``import nnlib.book.diagrams`` is cheap.
"""

__all__ = ["arrow", "box", "node"]


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
