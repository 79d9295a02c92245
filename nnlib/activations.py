r"""Activation functions g and their derivatives g' (slides 8 and 43).

Each activation is an :class:`Activation` object: ``g(z)`` is the function, ``g.prime(z)`` its
derivative, both elementwise on arrays (softmax works along an axis). The formulas are the
slides'; the code computes the same values in a form that cannot overflow for :math:`|z|` up to 1e3.

>>> from nnlib import activations as act
>>> g = act.sigmoid
>>> float(g(0.0)), float(g.prime(0.0))
(0.5, 0.25)

Conventions where the slides leave a value undefined: ``step(0) = sgn(0) = 0``,
``step.prime = 0`` everywhere, ``relu.prime(0) = 0``, ``leaky_relu.prime(0) = slope``,
``elu.prime(0) = 1``.

Input ``z`` must be real and finite: anything else raises ``TypeError``/``ValueError`` naming ``z``.
float32 input gives float32 output; everything else gives float64.
"""

import numpy as np

from ._validate import as_real_array, check_finite_scalar, check_int, check_positive

__all__ = [
    "Activation", "ACTIVATIONS", "get",
    "linear", "relu", "step", "sigmoid", "tanh", "fast", "softmax", "leaky_relu", "elu",
]


class Activation:
    r"""An activation function g with its derivative g'.

    Parameters
    ----------
    name : str
        Lookup name, e.g. ``"sigmoid"``.
    symbol : str
        The slides' symbol in ASCII, e.g. ``"g_S"``.
    g, prime : callable
        ``g(z, **params)`` and ``g'(z, **params)``.
    latex, prime_latex : str
        The function and its derivative as the slide writes them (LaTeX).
    params : dict, optional
        Parameter names and their defaults, e.g. ``{"slope": 0.1}``.
    note : str, optional
        What the slide leaves undefined or gets wrong, and what nnlib does.
    jvp : callable, optional
        ``jvp(z, v, **params)`` = J(z) @ v. Default for elementwise g: ``g'(z) * v``.

    Attributes
    ----------
    elementwise : bool
        False for softmax, whose ``prime`` returns a full Jacobian.
    """

    def __init__(self, name, symbol, g, prime, latex, prime_latex, params=None, note="", jvp=None):
        self.name, self.symbol = name, symbol
        self._g, self._prime, self._jvp = g, prime, jvp
        self.latex, self.prime_latex = latex, prime_latex
        self.params = dict(params or {})
        self.note = note
        self.elementwise = jvp is None
        self.__doc__ = g.__doc__

    def __call__(self, z, *args, **params):
        """g(z)."""
        return np.asarray(self._g(self._check(z), *args, **params))

    def prime(self, z, *args, **params):
        """g'(z): elementwise derivative (softmax: Jacobian of shape (..., n, n))."""
        return np.asarray(self._prime(self._check(z), *args, **params))

    def _check(self, z):
        """`z` as a real float array (softmax checks its own, with its axis), or an error naming z."""
        return as_real_array(z, "z") if self.elementwise else z

    def raw(self, z, *args, **params):
        """g(z) for a float array `z`, without the checks: for training loops that checked their data once."""
        return self._g(z, *args, **params)

    def raw_prime(self, z, *args, **params):
        """g'(z) for a float array `z`, without the checks (see :meth:`raw`)."""
        return self._prime(z, *args, **params)

    def jvp(self, z, v, *args, **params):
        """J(z) @ v without building J; for elementwise g this is g'(z) * v."""
        if self._jvp is not None:
            return np.asarray(self._jvp(z, v, *args, **params))
        v = as_real_array(v, "v")
        d = self.prime(z, *args, **params)
        if v.shape != d.shape:
            raise ValueError(f"v must have the shape of z {d.shape}; got shape {v.shape}")
        return d * v

    def __repr__(self):
        extra = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Activation({self.name!r}, symbol={self.symbol!r}{extra})"


# ----------------------------------------------------------------------------- slide 8

def g_L(z):
    r"""Linear: :math:`g_L(z) = z`."""
    return z.copy()


def g_L_prime(z):
    r""":math:`g'_L(z) = 1`."""
    return np.ones_like(z)


def g_U(z):
    r"""ReLU (rectified linear unit): :math:`g_U(z) = \max(0, z)`."""
    return np.maximum(z, 0)


def g_U_prime(z):
    r""":math:`g'_U(z) = 0` if z < 0, 1 if z > 0 (undefined at 0 on the slide; here 0)."""
    return (z > 0).astype(z.dtype)


def g_E(z):
    r"""Step (escalón): :math:`g_E(z) = \operatorname{sgn}(z)` = +1 if z > 0, -1 if z < 0 (here sgn(0) = 0)."""
    return np.sign(z)


def g_E_prime(z):
    r""":math:`g'_E(z) = 0` for z ≠ 0 (undefined at 0 on the slide; here 0)."""
    return np.zeros_like(z)


def g_S(z):
    r"""Sigmoid: :math:`g_S(z) = 1 / (1 + \exp(-z))`.

    Computed with :math:`e = \exp(-|z|) \le 1`: :math:`1/(1+e)` for z ≥ 0,
    :math:`e/(1+e)` for z < 0.
    """
    e = np.exp(-np.abs(z))  # never overflows
    return np.where(z >= 0, 1, e) / (1 + e)


def g_S_prime(z):
    r""":math:`g'_S(z) = g_S(z)\,(1 - g_S(z))`.

    Computed as :math:`e/(1+e)^2` with :math:`e = \exp(-|z|)`: the same value,
    without the cancellation of :math:`1 - g_S(z)` for large z.
    """
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2


def g_T(z):
    r"""Hyperbolic tangent: :math:`g_T(z) = (\exp(z) - \exp(-z)) / (\exp(z) + \exp(-z))`."""
    return np.tanh(z)


def g_T_prime(z):
    r""":math:`g'_T(z) = 1 - g_T(z)^2`."""
    return 1 - np.tanh(z) ** 2


def g_F(z):
    r"""Fast sigmoid (rápida): :math:`g_F(z) = z / (1 + |z|)`."""
    return z / (1 + np.abs(z))


def g_F_prime(z):
    r""":math:`g'_F(z) = 1 / (1 + |z|)^2` (the slide's second form, :math:`(g_F(z)/z)^2`, is 0/0 at z = 0)."""
    return (1 / (1 + np.abs(z))) ** 2


def _as_vectors(z, axis):
    z = as_real_array(z, "z")
    if z.ndim == 0:
        raise ValueError("z must have at least 1 dimension for softmax (a vector z_1..z_n); got a scalar")
    axis = check_int(axis, "axis", -z.ndim, f"an axis of z, whose shape is {z.shape}", z.ndim - 1)
    if z.shape[axis] == 0:
        raise ValueError(f"z must have n >= 1 entries along axis {axis}; got shape {z.shape}")
    return z


def g_M(z, axis=-1):
    r"""Softmax: :math:`g_M(z_i) = \exp(z_i) / \sum_j \exp(z_j)`, along `axis`
    (rows are samples).

    Subtracting :math:`\max_j z_j` first leaves the value unchanged and keeps
    every exp ≤ 1.
    """
    z = _as_vectors(z, axis)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def g_M_prime(z, axis=-1):
    r"""Jacobian :math:`J_{ij} = \partial g_M(z_i)/\partial z_j
    = g_M(z_i)\,([i = j] - g_M(z_j))`, with :math:`[i = j]` 1 if :math:`i = j`
    and 0 otherwise (the Kronecker delta).

    Returns shape (..., n, n): `axis` becomes the last two axes. The slide's
    :math:`g_M(z_i)(1 - g_M(z_i))` is the diagonal :math:`J_{ii}` only.
    """
    s = np.moveaxis(g_M(z, axis=axis), axis, -1)
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    return s[..., :, None] * (eye - s[..., None, :])  # s_i ([i = j] - s_j)


def g_M_jvp(z, v, axis=-1):
    r""":math:`J v = s \odot (v - \sum_j s_j v_j)` with :math:`s = g_M(z)`,
    without building J.

    J is symmetric, so this is also :math:`v^T J` (what backpropagation needs).
    """
    s = g_M(z, axis=axis)
    v = as_real_array(v, "v")
    if v.shape != s.shape:
        raise ValueError(
            f"v must have the shape of z {s.shape}; got shape {v.shape}")
    return s * (v - (s * v).sum(axis=axis, keepdims=True))


# ---------------------------------------------------------------------------- slide 43

def g_LR(z, slope=0.1):
    r"""Leaky ReLU: :math:`g_{LR}(z) = \max(0.1\,z, z)` on slide 43; here z if z > 0, slope·z if z ≤ 0.

    (Equal to :math:`\max(\text{slope}\cdot z, z)` for 0 ≤ slope ≤ 1.)
    """
    slope = z.dtype.type(check_finite_scalar(slope, "slope"))
    return np.where(z > 0, z, slope * z)


def g_LR_prime(z, slope=0.1):
    r""":math:`g'_{LR}(z) = 1` if z > 0, slope if z < 0 (here slope at z = 0)."""
    slope = check_finite_scalar(slope, "slope")
    return np.where(z > 0, 1, slope).astype(z.dtype)


def g_ELU(z, alpha=1.0):
    r"""ELU: :math:`g_{ELU}(z) = z` if z ≥ 0, :math:`\alpha(e^z - 1)` if z < 0 (slide 43; α > 0).

    Uses ``expm1`` on the negative part only: exact for small :math:`|z|`, no overflow for large z.
    """
    alpha = z.dtype.type(check_positive(alpha, "alpha"))
    return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0)))


def g_ELU_prime(z, alpha=1.0):
    r""":math:`g'_{ELU}(z) = 1` if z ≥ 0, :math:`\alpha e^z` if z < 0 (continuous at 0 only for α = 1)."""
    alpha = z.dtype.type(check_positive(alpha, "alpha"))
    return np.where(z >= 0, 1, alpha * np.exp(np.minimum(z, 0))).astype(z.dtype)


# --------------------------------------------------------------------------- instances

linear = Activation("linear", "g_L", g_L, g_L_prime,
    latex=r"g_L(z) = z",
    prime_latex=r"g'_L(z) = \frac{d g_L}{d z} = 1")
relu = Activation("relu", "g_U", g_U, g_U_prime,
    latex=r"g_U(z) = \max(0, z)",
    prime_latex=(r"g'_U(z) = \begin{cases} 0 & \text{if } z < 0 \\ 1 & \text{if } z > 0 \\"
                 r" \text{undefined} & \text{if } z = 0 \end{cases}"),
    note="The slide leaves g'_U(0) undefined; nnlib uses g'_U(0) = 0.")
step = Activation("step", "g_E", g_E, g_E_prime,
    latex=(r"g_E(z) = \operatorname{sgn}(z) \stackrel{\text{def}}{=}"
           r" \begin{cases} +1 & \text{if } z > 0 \\ -1 & \text{if } z < 0 \end{cases}"),
    prime_latex=(r"g'_E(z) = \begin{cases} \text{undefined} & \text{if } z = 0 \\"
                 r" 0 & \text{if } z \neq 0 \end{cases}"),
    note="The slide leaves sgn(0) and g'_E(0) undefined; nnlib uses sgn(0) = 0 and g'_E(0) = 0.")
sigmoid = Activation("sigmoid", "g_S", g_S, g_S_prime,
    latex=r"g_S(z) = \frac{1}{1 + \exp(-z)}",
    prime_latex=r"g'_S(z) = g_S(z)\,(1 - g_S(z))")
tanh = Activation("tanh", "g_T", g_T, g_T_prime,
    latex=r"g_T(z) = \frac{\exp(z) - \exp(-z)}{\exp(z) + \exp(-z)}",
    prime_latex=r"g'_T(z) = 1 - (g_T(z))^2",
    note=("The slide's exercise g'_T(z) = 2 g_S(2z) - 1 is false (at z = 0: 1 vs 0); "
          "the identity that holds is g_T(z) = 2 g_S(2z) - 1."))
fast = Activation("fast", "g_F", g_F, g_F_prime,
    latex=r"g_F(z) = \frac{z}{1 + |z|}",
    prime_latex=r"g'_F(z) = \frac{1}{(1 + |z|)^2} = \left(\frac{g_F(z)}{z}\right)^2",
    note="The second form (g_F(z)/z)^2 holds for z != 0 only (0/0 at z = 0); nnlib uses 1/(1+|z|)^2.")
softmax = Activation("softmax", "g_M", g_M, g_M_prime, jvp=g_M_jvp,
    latex=r"g_M(z_i) = \frac{\exp(z_i)}{\sum_j \exp(z_j)}",
    prime_latex=r"g'_M(z_i) = g_M(z_i)\,(1 - g_M(z_i))",
    params={"axis": -1},
    note=("The slide's g'_M(z_i) = g_M(z_i)(1 - g_M(z_i)) is only the diagonal of the Jacobian; "
          "off the diagonal dg_M(z_i)/dz_j = -g_M(z_i) g_M(z_j). softmax.prime returns the full Jacobian."))
leaky_relu = Activation("leaky_relu", "g_LR", g_LR, g_LR_prime,
    latex=r"g_{LR}(z) = \max(0.1\,z,\ z)",
    prime_latex=r"g'_{LR}(z) = \begin{cases} 1 & \text{if } z > 0 \\ 0.1 & \text{if } z < 0 \end{cases}",
    params={"slope": 0.1},
    note="Slide 43 gives no derivative and fixes the slope at 0.1; nnlib uses g'_LR(0) = slope.")
elu = Activation("elu", "g_ELU", g_ELU, g_ELU_prime,
    latex=r"g_{ELU}(z) = \begin{cases} z & \text{if } z \geq 0 \\ \alpha\,(e^z - 1) & \text{if } z < 0 \end{cases}",
    prime_latex=r"g'_{ELU}(z) = \begin{cases} 1 & \text{if } z \geq 0 \\ \alpha\, e^z & \text{if } z < 0 \end{cases}",
    params={"alpha": 1.0},
    note=("Slide 43 gives no derivative. g_ELU is continuous; g'_ELU is continuous at 0 only for "
          "alpha = 1. nnlib uses g'_ELU(0) = 1."))

#: All activations by name, in the slides' order (slide 8, then slide 43).
ACTIVATIONS = {g.name: g for g in (linear, relu, step, sigmoid, tanh, fast, softmax, leaky_relu, elu)}


def get(name):
    """Return the activation called `name` (case-insensitive; an :class:`Activation` is returned as is).

    Raises
    ------
    ValueError
        If `name` is unknown; the message lists the known names.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"name must be a str or an Activation; got {type(name).__name__}")
    key = name.strip().lower().replace("-", "_")
    if key not in ACTIVATIONS:
        raise ValueError(f"name must be one of {', '.join(ACTIVATIONS)}; got {name!r}")
    return ACTIVATIONS[key]
