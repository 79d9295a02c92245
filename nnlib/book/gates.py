r"""Gates of a computational graph, their backward rules, and the shape heuristic.

A computational graph is a list of nodes ``(name, op, a, b)``: node `name` is ``op(a, b)`` of two
earlier names (inputs or nodes). The backward pass uses only each gate's local rule, with the
upstream gradient :math:`\bar{y} = \partial f / \partial y` of its output y:

* **add** :math:`y = a + b` distributes it: :math:`\bar a = \bar b = \bar y`;
* **mul** :math:`y = a b` swaps the inputs: :math:`\bar a = b\,\bar y`, :math:`\bar b = a\,\bar y`;
* **max** :math:`y = \max(a, b)` routes it to the winner: :math:`\bar a = \bar y` if
  :math:`a \ge b` (else 0), and the other way round.

A value used twice adds up its gradients (the chain rule's sum over paths).

:func:`fitting_products` is the *shape heuristic*: the gradient of a scalar with respect to an
array has the array's shape, and often only one product of the arrays at hand has that shape.
"""

import numpy as np

__all__ = ["OPS", "forward", "backward", "fitting_products", "graph_figure"]

#: The gates: forward function of (a, b).
OPS = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "max": max}


def _check_graph(inputs, nodes):
    if not isinstance(inputs, dict) or not inputs:
        raise ValueError(f"inputs must be a non-empty dict name -> number; got {inputs!r}")
    known = set(inputs)
    for node in nodes:
        if len(node) != 4:
            raise ValueError(f"nodes must be (name, op, a, b) tuples; got {node!r}")
        name, op, a, b = node
        if op not in OPS:
            raise ValueError(f"op must be one of {sorted(OPS)}; got {op!r} in node {name!r}")
        for arg in (a, b):
            if arg not in known:
                raise ValueError(f"node {name!r} reads {arg!r}, which is neither an input "
                                 f"nor an earlier node")
        if name in known:
            raise ValueError(f"node name {name!r} is used twice")
        known.add(name)


def forward(inputs, nodes):
    """The forward pass: the value of every input and node (a dict name -> float)."""
    _check_graph(inputs, nodes)
    values = {k: float(v) for k, v in inputs.items()}
    for name, op, a, b in nodes:
        values[name] = float(OPS[op](values[a], values[b]))
    return values


def backward(inputs, nodes):
    r"""The backward pass by the gates' local rules: :math:`\partial f / \partial v` for every v.

    f is the last node. Returns a dict name -> float (f itself has gradient 1).
    """
    values = forward(inputs, nodes)
    grads = {k: 0.0 for k in values}
    grads[nodes[-1][0]] = 1.0
    for name, op, a, b in reversed(nodes):
        up = grads[name]
        if op == "add":                      # distributes
            grads[a] += up
            grads[b] += up
        elif op == "mul":                    # swaps the inputs
            grads[a] += values[b] * up
            grads[b] += values[a] * up
        else:                                # max routes to the winner
            winner = a if values[a] >= values[b] else b
            grads[winner] += up
    return grads


def fitting_products(arrays, target):
    """Every product ``X @ Y`` of two different arrays (each possibly transposed) with shape `target`.

    Parameters
    ----------
    arrays : dict
        name -> shape (2-tuple) of the arrays at hand.
    target : tuple
        The shape the result must have.

    Returns
    -------
    list of str
        The fitting products, written like ``"delta^T @ S"``.
    """
    if not isinstance(arrays, dict) or len(arrays) < 2:
        raise ValueError(f"arrays must be a dict of at least 2 name -> shape; got {arrays!r}")
    for name, shape in arrays.items():
        if len(tuple(shape)) != 2:
            raise ValueError(f"arrays[{name!r}] must be a 2-d shape; got {shape!r}")
    target = tuple(target)
    options = [(name, tuple(shape)) for name, shape in arrays.items()]
    options += [(name + "^T", tuple(shape)[::-1]) for name, shape in arrays.items()]
    found = []
    for left, (m, k) in options:
        for right, (k2, n) in options:
            if left.removesuffix("^T") == right.removesuffix("^T"):
                continue
            if k == k2 and (m, n) == target:
                found.append(f"{left} @ {right}")
    return found


def _layout(inputs, nodes):
    col, row = {}, {}
    for i, name in enumerate(inputs):
        col[name], row[name] = 0, -float(i)
    for name, _, a, b in nodes:
        col[name] = 1 + max(col[a], col[b])
        row[name] = (row[a] + row[b]) / 2
    return col, row


def graph_figure(inputs, nodes, ax=None, fmt="{:g}"):
    """Draw the graph: forward values in green above each wire, gradients in red below.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    values, grads = forward(inputs, nodes), backward(inputs, nodes)
    col, row = _layout(inputs, nodes)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.8, 3.6), layout="constrained")
    xy = {k: (2.4 * col[k], 1.3 * row[k]) for k in col}
    symbol = {"add": "+", "mul": r"$\times$", "max": "max"}
    for name, op, a, b in nodes:
        ax.text(*xy[name], symbol[op], ha="center", va="center", fontsize=12, zorder=3,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#fdf1d2", "ec": "0.3"})
    for name in inputs:
        ax.text(*xy[name], name, ha="center", va="center", fontsize=12, zorder=3,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#e8e8e8", "ec": "0.3"})
    wires = [(a, name) for name, _, a, b in nodes] + [(b, name) for name, _, a, b in nodes]
    last = nodes[-1][0]
    end = (xy[last][0] + 2.0, xy[last][1])
    for src, dst in wires + [(last, None)]:
        p, q = xy[src], (end if dst is None else xy[dst])
        ax.annotate("", xy=q, xytext=p, arrowprops={"arrowstyle": "-|>", "color": "0.35",
                                                   "shrinkA": 14, "shrinkB": 14})
        mx, my = p[0] + 0.35 * (q[0] - p[0]), p[1] + 0.35 * (q[1] - p[1])
        ax.text(mx, my + 0.12, fmt.format(values[src]), color="#1a7f37", fontsize=10,
                ha="center", va="bottom", fontweight="bold")
        ax.text(mx, my - 0.12, fmt.format(grads[src]), color="#c0392b", fontsize=10,
                ha="center", va="top")
    ax.text(end[0] + 0.1, end[1], "f", ha="left", va="center", fontsize=12)
    ax.text(xy[last][0], min(v[1] for v in xy.values()) - 0.6,
            "green, above a wire: its forward value\nred, below: the gradient of f with respect to it",
            ha="center", va="top", fontsize=9)
    xs = [v[0] for v in xy.values()] + [end[0]]
    ys = [v[1] for v in xy.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 1.3, max(ys) + 0.6)
    ax.set_axis_off()
    return ax.figure
