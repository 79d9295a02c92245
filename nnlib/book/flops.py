r"""Count the matrix products a computation makes, and their floating-point operations.

A time depends on the machine, on its load and on the BLAS library; an operation count does not. The
pages that measure a cost show the time of their run and assert on the count::

    from nnlib import flops

    # net: an MLP, a Sequential, a layer (or several)
    with flops.count(net) as c:
        net.gradient(X, t)
    c.products, c.flops     # 5 matrix products, 2 m k n operations each

While the ``with`` block runs, the weight arrays of the given networks (and the arrays their layers write
weight gradients into) are replaced by views of the same memory, so training still updates them, that
report every matrix product they take part in, directly or through arrays computed from them: ``a @ b``,
``np.matmul`` (also with ``out=``) and ``np.dot``. Every product of a forward pass involves a layer's
weights, and so does every product of a backward pass that writes a weight gradient or sends the gradient
down through the weights; a product of two arrays that never met a weight (the data with itself) is not
counted. A product of an (m × k) and
a (k × n) matrix counts :math:`2mkn` operations (a multiplication and an addition per term), batched
products (``(..., m, k) @ (..., k, n)``) once per matrix of the batch, a matrix-vector product
:math:`2mk`. Elementwise work (activations, the update θ ← θ − ρ∇q) is :math:`O(D + \sum_l M_l)`
per sample and is not counted: the products are the :math:`O(ND)` part. The weights are given back as
plain arrays when the block ends.
"""

import contextlib
import math

import numpy as np

__all__ = ["Count", "count", "matmul_flops"]

_ACTIVE = []   # the counters of the `with` blocks running now (nested blocks all count)


def matmul_flops(shape_a, shape_b):
    """Floating-point operations of ``a @ b`` for arrays of these shapes: 2 per multiply-add.

    >>> matmul_flops((64, 32), (32, 10))
    40960
    """
    a, b = tuple(shape_a), tuple(shape_b)
    if not a or not b:
        raise ValueError(f"matmul needs arrays of at least one dimension; got shapes {a} and {b}")
    k = a[-1]
    m = a[-2] if len(a) > 1 else 1
    n = b[-1] if len(b) > 1 else 1
    stack = np.broadcast_shapes(a[:-2], b[:-2]) if len(a) > 2 or len(b) > 2 else ()
    return 2 * m * k * n * math.prod(stack)


class Count:
    """What one :func:`count` block saw: the number of matrix products and their operations.

    Attributes
    ----------
    products : int
        Matrix products (calls of ``@``, ``np.matmul``, ``np.dot``) on the watched arrays.
    flops : int
        Their floating-point operations, 2 per multiply-add (see :func:`matmul_flops`).
    shapes : list of tuple
        ``(shape_a, shape_b)`` of each product, in order.
    """

    def __init__(self):
        self.products = 0
        self.flops = 0
        self.shapes = []

    def _add(self, shape_a, shape_b):
        self.products += 1
        self.flops += matmul_flops(shape_a, shape_b)
        self.shapes.append((tuple(shape_a), tuple(shape_b)))

    def __repr__(self):
        return f"Count(products={self.products}, flops={self.flops:,})"


def _plain(x):
    """`x` with every watched array in it (also inside lists and tuples) as a plain ndarray view."""
    if isinstance(x, _Watched):
        return x.view(np.ndarray)
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(v) for v in x)
    return x


def _watched(result):
    if type(result) is np.ndarray:
        return result.view(_Watched)
    if isinstance(result, tuple):
        return tuple(_watched(r) for r in result)
    return result


def _record(a, b):
    shapes = np.shape(a), np.shape(b)
    for counter in _ACTIVE:
        counter._add(*shapes)


class _Watched(np.ndarray):
    """An ndarray that reports its matrix products to the active counters; what is computed from it is watched too."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs = _plain(inputs)
        out = kwargs.get("out")
        kwargs = {k: _plain(v) for k, v in kwargs.items()}
        if ufunc is np.matmul and method == "__call__":
            _record(*inputs[:2])
        result = getattr(ufunc, method)(*inputs, **kwargs)
        if out is not None:                    # written in place: give back the caller's arrays
            return out[0] if len(out) == 1 else out
        return _watched(result)

    def __array_function__(self, func, types, args, kwargs):
        args, kwargs = _plain(args), {k: _plain(v) for k, v in kwargs.items()}
        if func is np.dot:
            _record(*args[:2])
        return _watched(func(*args, **kwargs))


def _slots(model):
    """(container, key) of every weight array of `model` (an MLP's theta; a layer's params and the grads it
    writes its weight gradients into, for each layer of a Sequential)."""
    if isinstance(model, np.ndarray):
        raise TypeError("count() watches a network's weights in place; give the network (or layer), not an array")
    layers = getattr(model, "layers", None)
    if layers is not None:
        return [slot for layer in layers for slot in _slots(layer)]
    theta = getattr(model, "theta", None)
    if isinstance(theta, list):
        return [(theta, l) for l, th in enumerate(theta) if isinstance(th, np.ndarray)]
    params = getattr(model, "params", None)
    if isinstance(params, dict):
        grads = getattr(model, "grads", None)
        return [(store, k) for store in (params, grads if isinstance(grads, dict) else {})
                for k, v in store.items() if isinstance(v, np.ndarray)]
    raise TypeError(f"count() needs networks or layers with weights (theta or params); got {type(model).__name__}")


@contextlib.contextmanager
def count(*models):
    """Count the matrix products made with the weights of `models` inside the ``with`` block.

    Parameters
    ----------
    *models : nnlib.mlp.network.MLP, nnlib.layers.sequential.Sequential or nnlib.layers.base.Layer
        The networks whose products to count (their weights are watched in place, see the module's text).

    Yields
    ------
    Count
        Filled in while the block runs.
    """
    slots = [slot for model in models for slot in _slots(model)]
    if not slots:
        raise ValueError("count() needs at least one network with weights")
    counter = Count()
    saved = [(container, key, container[key], container[key].view(_Watched)) for container, key in slots]
    for container, key, _, view in saved:
        container[key] = view
    _ACTIVE.append(counter)
    try:
        yield counter
    finally:
        _ACTIVE.remove(counter)
        for container, key, array, view in saved:
            now = container[key]
            if now is view:                    # ours: the original array (same memory, updated in place)
                container[key] = array
            elif isinstance(now, _Watched):    # a new array the code put there: plain again
                container[key] = now.view(np.ndarray)
