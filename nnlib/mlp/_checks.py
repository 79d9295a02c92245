r"""Input checks shared by the two networks of the slides, :class:`~nnlib.mlp.network.MLP` and
:class:`~nnlib.mlp.feedforward.FeedForward` (layer sizes M, activations g, inputs X, hand-set weights)."""

import numpy as np

from .. import activations as act
from .._validate import as_real_array, check_int

__all__ = ["check_M", "check_g", "check_X", "check_weights", "set_from_vector"]


def check_M(M):
    """Return the layer sizes `M` as a tuple of ints, or raise naming ``M`` / ``M[l]``."""
    if isinstance(M, (str, bytes)) or not hasattr(M, "__len__"):
        raise TypeError(f"M must be a sequence of layer sizes M_0..M_L (ints); got {type(M).__name__}")
    if len(M) < 2:
        raise ValueError(f"M must list at least 2 layers (input and output), M_0..M_L; got {len(M)}: {list(M)}")
    return tuple(check_int(m, f"M[{l}]", 1, f"layer {l} size") for l, m in enumerate(M))


def check_g(g, L):
    """[None, g^1, ..., g^L] from one activation (name or object) or a list of L (or L+1 with a leading None)."""
    if isinstance(g, (str, act.Activation)):
        g = [g] * L
    elif not isinstance(g, (list, tuple)):
        raise TypeError(f"g must be an activation name, an Activation, or a list of L = {L} of them; "
                        f"got {type(g).__name__}")
    g = list(g)
    if len(g) == L + 1 and g[0] is None:
        g = g[1:]
    if len(g) != L:
        raise ValueError(f"g must list one activation per layer 1..L, L = {L}; got {len(g)}")
    out = [None]
    for l, gl in enumerate(g, start=1):
        if isinstance(gl, act.Activation):
            out.append(gl)
        elif isinstance(gl, str) and gl.strip().lower().replace("-", "_") in act.ACTIVATIONS:
            out.append(act.get(gl))
        else:
            raise ValueError(f"g[{l}] must be one of {', '.join(act.ACTIVATIONS)} (or an Activation); got {gl!r}")
    return out


def check_X(X, M0, dtype):
    """`X` as a float array of shape (N, M_0), N >= 1, or (M_0,); else raise naming ``X``."""
    X = as_real_array(X, "X", dtype=dtype)
    if X.ndim == 1:
        if X.shape[0] != M0:
            raise ValueError(f"X (one sample x) must have length M_0 = {M0} (layer 0 size); got shape {X.shape}")
    elif X.ndim == 2:
        if X.shape[1] != M0:
            raise ValueError(f"X must have M_0 = {M0} columns (layer 0 size); got shape {X.shape}")
        if X.shape[0] == 0:
            raise ValueError(f"X must have at least one sample (row); got shape {X.shape}")
    else:
        raise ValueError(f"X must be 1-D (one sample, length M_0 = {M0}) or 2-D (N, M_0 = {M0}); got shape {X.shape}")
    return X


def check_weights(t, shape, name, dtype, sizes=""):
    """A float copy of `t` with the given shape, or raise naming `name` (and `sizes`, e.g. "(M_1, M_0 + 1)")."""
    t = as_real_array(t, name, dtype=dtype)
    if t.shape != shape:
        raise ValueError(f"{name} must have shape {shape}{' = ' + sizes if sizes else ''}; got {t.shape}")
    return t.copy()


def set_from_vector(arrays, vec, D, dtype):
    """Write `vec` (length D) into `arrays` in order, each row by row, in place."""
    vec = as_real_array(vec, "Theta", dtype=dtype)
    if vec.shape != (D,):
        raise ValueError(f"Theta must be a vector of length D = {D}; got shape {vec.shape}")
    start = 0
    for t in arrays:
        t[...] = vec[start:start + t.size].reshape(t.shape)
        start += t.size
