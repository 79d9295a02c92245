r"""The slides' activation functions and derivatives in SymPy, and checks of the slides' claims.

Every check is a symbolic identity: ``sympy.simplify(derived - claimed) == 0``. A claim that
does not simplify to 0 is reported as failing only with a counterexample (a point where the two
sides differ exactly). Piecewise functions (relu, step, leaky ReLU, ELU) are checked on z > 0 and
on z < 0 separately, with symbols that carry those assumptions.

This module imports SymPy; ``import nnlib`` does not import it.

>>> from nnlib import symbolic as sym
>>> [(c.name, c.holds) for c in sym.check_slide_derivatives()][:2]
[('linear', True), ('relu', True)]
"""

from dataclasses import dataclass

import numpy as np
import sympy as sp

__all__ = [
    "z", "z_pos", "z_neg", "alpha",
    "g_L", "g_U", "g_E", "g_S", "g_T", "g_F", "g_M", "g_LR", "g_ELU",
    "DerivativeCheck", "check_slide_derivatives",
    "softmax_jacobian", "SoftmaxCheck", "check_softmax_jacobian",
    "TanhExercise", "check_tanh_exercise",
    "ProofStep", "check_chain", "sigmoid_derivative_proof_steps",
    "derivative", "numeric_matches_symbolic",
]

#: z ∈ ℝ, as on slide 8; ``z_pos`` (z > 0) and ``z_neg`` (z < 0) for piecewise checks.
z = sp.Symbol("z", real=True)
z_pos = sp.Symbol("z", positive=True)
z_neg = sp.Symbol("z", negative=True)
#: ELU's α > 0 (slide 43; Clevert et al. 2016).
alpha = sp.Symbol("alpha", positive=True)

# ------------------------------------------------------------------ the slides' functions


def g_L(x=z):
    """Linear: g_L(z) = z."""
    return x


def g_U(x=z):
    """ReLU: g_U(z) = max(0, z)."""
    return sp.Max(0, x)


def g_E(x=z):
    """Step: g_E(z) = sgn(z)."""
    return sp.sign(x)


def g_S(x=z):
    """Sigmoid: g_S(z) = 1 / (1 + exp(-z))."""
    return 1 / (1 + sp.exp(-x))


def g_T(x=z):
    """Hyperbolic tangent: g_T(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))."""
    return (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))


def g_F(x=z):
    r"""Fast sigmoid: :math:`g_F(z) = z / (1 + |z|)`."""
    return x / (1 + sp.Abs(x))


def g_M(zs, i):
    """Softmax: g_M(z_i) = exp(z_i) / Σ_j exp(z_j) for the symbols ``zs = (z_1, ..., z_n)``."""
    return sp.exp(zs[i]) / sp.Add(*[sp.exp(zj) for zj in zs])


def g_LR(x=z, slope=sp.Rational(1, 10)):
    """Leaky ReLU (slide 43): max(0.1 z, z)."""
    return sp.Max(slope * x, x)


def g_ELU(x=z, a=alpha):
    """ELU (slide 43): z if z ≥ 0, α (e^z − 1) if z < 0."""
    return sp.Piecewise((x, x >= 0), (a * (sp.exp(x) - 1), True))


def _cases(neg, pos, x=z):
    """The slides' two-case derivative: `neg` if x < 0, `pos` if x > 0, undefined (nan) at 0."""
    return sp.Piecewise((neg, x < 0), (pos, x > 0))


def _ratio(a, b):
    """a / b kept as written (SymPy would cancel z/z and hide the 0/0 at z = 0)."""
    return sp.Mul(a, sp.Pow(b, -1), evaluate=False)


# The slides' claims g'(z) = ..., as functions of z. Slide 43 gives no derivative for leaky
# ReLU and ELU: their "claims" are the derivatives the book states.
_SPLIT, _ALL, _NONZERO = "z < 0 and z > 0 separately", "all real z", "z != 0"
_CLAIMS = [
    # name, symbol, g, claimed g', domain, note
    ("linear", "g_L", g_L, lambda x: sp.Integer(1), _ALL, "slide 8"),
    ("relu", "g_U", g_U, lambda x: _cases(0, 1, x), _SPLIT, "slide 8; undefined at z = 0"),
    ("step", "g_E", g_E, lambda x: _cases(0, 0, x), _SPLIT, "slide 8; undefined at z = 0"),
    ("sigmoid", "g_S", g_S, lambda x: g_S(x) * (1 - g_S(x)), _ALL, "slide 8 (and its exercise)"),
    ("tanh", "g_T", g_T, lambda x: 1 - g_T(x) ** 2, _ALL, "slide 8"),
    ("tanh", "g_T", g_T, lambda x: 2 * g_S(2 * x) - 1, _ALL,
     "slide 8 exercise g'_T(z) = 2 g_S(2z) - 1: false; g_T(z) = 2 g_S(2z) - 1 is what holds"),
    ("fast", "g_F", g_F, lambda x: 1 / (1 + sp.Abs(x)) ** 2, _ALL, "slide 8, first form"),
    ("fast", "g_F", g_F, lambda x: sp.Pow(_ratio(g_F(x), x), 2, evaluate=False), _NONZERO,
     "slide 8, second form (g_F(z)/z)^2: 0/0 at z = 0, holds for z != 0 only"),
    ("leaky_relu", "g_LR", g_LR, lambda x: _cases(sp.Rational(1, 10), 1, x), _SPLIT,
     "slide 43 gives no derivative; the book's"),
    ("elu", "g_ELU", g_ELU, lambda x: sp.Piecewise((1, x >= 0), (alpha * sp.exp(x), True)), _SPLIT,
     "slide 43 gives no derivative; the book's. Continuous at 0 only for alpha = 1"),
]

# ------------------------------------------------------------------------ identity checks


def _identity(a, b, x, samples):
    """(holds, counterexample): a == b as functions of `x`, by simplify(a - b) == 0.

    If the difference does not simplify to 0, look for a sample where it is exactly non-zero;
    without one, fall back on ``a.equals(b)``.
    """
    diff = sp.simplify(a - b)
    if diff == 0:
        return True, None
    for value in samples:
        at = sp.simplify(diff.subs(x, value))
        if at.is_nonzero or at.has(sp.nan, sp.zoo):
            return False, value
    return bool(a.equals(b)), None


@dataclass(frozen=True)
class DerivativeCheck:
    """One checked claim ``g'(z) = claimed``.

    Attributes
    ----------
    name, symbol : str
        Activation name and slide symbol (``"sigmoid"``, ``"g_S"``).
    claimed : sympy.Expr
        The slide's formula for g'(z), written out in z.
    derived : sympy.Expr
        dg/dz computed by SymPy (a Piecewise when checked on z < 0 and z > 0 separately).
    holds : bool
        Whether claimed == derived on `domain`, by a symbolic check.
    note : str
        Where the claim comes from; the counterexample when it fails.
    domain : str
        Where the identity was checked.
    """

    name: str
    symbol: str
    claimed: sp.Expr
    derived: sp.Expr
    holds: bool
    note: str
    domain: str


def _check(name, symbol, g, claimed, domain, note):
    if domain == _ALL:
        derived = sp.diff(g(z), z)
        holds, cex = _identity(derived, claimed(z), z, [0, 1, -1, sp.Rational(1, 2)])
        return DerivativeCheck(name, symbol, claimed(z), derived, holds,
                               note + (f"; fails at z = {cex}" if cex is not None else ""), domain)
    # on z > 0 and z < 0 separately
    d_pos, d_neg = sp.diff(g(z_pos), z_pos), sp.diff(g(z_neg), z_neg)
    ok_pos, cex_pos = _identity(d_pos, claimed(z_pos), z_pos, [1, 2, sp.Rational(1, 2)])
    ok_neg, cex_neg = _identity(d_neg, claimed(z_neg), z_neg, [-1, -2, -sp.Rational(1, 2)])
    derived = _cases(d_neg.subs(z_neg, z), d_pos.subs(z_pos, z))
    cex = [c for c in (cex_pos, cex_neg) if c is not None]
    return DerivativeCheck(name, symbol, claimed(z), derived, ok_pos and ok_neg,
                           note + (f"; fails at z = {cex[0]}" if cex else ""), domain)


def check_slide_derivatives():
    """Check every derivative the slides state (slide 8, its exercise, and slide 43).

    Returns
    -------
    list of DerivativeCheck
        In the slides' order. Softmax appears twice: its diagonal ∂g_M(z_i)/∂z_i, where the
        slide's formula holds, and its off-diagonal ∂g_M(z_i)/∂z_j (i ≠ j), which the slide's
        elementwise formula takes as 0 and which is −g_M(z_i) g_M(z_j) ≠ 0.
    """
    records = [_check(*claim) for claim in _CLAIMS]
    soft = check_softmax_jacobian(3)
    s = [g_M(soft.symbols, i) for i in range(3)]
    at = records.index(next(r for r in records if r.name == "leaky_relu"))  # softmax closes slide 8
    records[at:at] = [
        DerivativeCheck("softmax", "g_M", s[0] * (1 - s[0]), soft.jacobian[0, 0], soft.diagonal_matches_slide,
                        "slide 8; diagonal i = j of the Jacobian (n = 3)", "z_1, z_2, z_3 real"),
        DerivativeCheck("softmax", "g_M", sp.Integer(0), soft.jacobian[0, 1], not soft.off_diagonal_nonzero,
                        "slide 8's elementwise formula has no i != j terms; dg_M(z_1)/dz_2 = -g_M(z_1) g_M(z_2)",
                        "z_1, z_2, z_3 real"),
    ]
    return records


# ---------------------------------------------------------------------------- softmax


def softmax_jacobian(n):
    """Symbolic Jacobian J_ij = ∂g_M(z_i)/∂z_j of softmax over n real symbols z_1..z_n.

    Returns
    -------
    (sympy.Matrix, tuple of sympy.Symbol)
        The n×n Jacobian and the symbols (z_1, ..., z_n).
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be an int >= 1; got {n!r}")
    zs = sp.symbols(f"z_1:{n + 1}", real=True)
    s = [g_M(zs, i) for i in range(n)]
    return sp.Matrix(n, n, lambda i, j: sp.diff(s[i], zs[j])), zs


@dataclass(frozen=True)
class SoftmaxCheck:
    """Result of :func:`check_softmax_jacobian`.

    Attributes
    ----------
    jacobian : sympy.Matrix
        J_ij = ∂g_M(z_i)/∂z_j.
    symbols : tuple of sympy.Symbol
        (z_1, ..., z_n).
    diagonal_matches_slide : bool
        J_ii == g_M(z_i)(1 − g_M(z_i)) (slide 8's formula) for every i.
    off_diagonal_matches : bool
        J_ij == −g_M(z_i) g_M(z_j) for every i ≠ j.
    off_diagonal_nonzero : bool
        Every J_ij (i ≠ j) is non-zero at z = 0 (where it equals −1/n²).
    """

    jacobian: sp.Matrix
    symbols: tuple
    diagonal_matches_slide: bool
    off_diagonal_matches: bool
    off_diagonal_nonzero: bool


def check_softmax_jacobian(n=3):
    """Check slide 8's softmax derivative against the full Jacobian J_ij = g_M(z_i)(δ_ij − g_M(z_j))."""
    J, zs = softmax_jacobian(n)
    s = [g_M(zs, i) for i in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    diag = all(sp.simplify(J[i, i] - s[i] * (1 - s[i])) == 0 for i in range(n))
    off = all(sp.simplify(J[i, j] + s[i] * s[j]) == 0 for i, j in pairs)
    at_zero = {zi: 0 for zi in zs}
    nonzero = all(sp.simplify(J[i, j].subs(at_zero)) != 0 for i, j in pairs)
    return SoftmaxCheck(J, zs, diag, off, nonzero)


# ------------------------------------------------------------------ tanh exercise (slide 8)


@dataclass(frozen=True)
class TanhExercise:
    """Result of :func:`check_tanh_exercise`.

    Attributes
    ----------
    claim_holds : bool
        Whether g'_T(z) = 2 g_S(2z) − 1 (the slide's exercise) holds for all z: it does not.
    counterexample : sympy.Expr
        A point z where it fails (0).
    lhs_at, rhs_at : sympy.Expr
        g'_T and 2 g_S(2z) − 1 at the counterexample (1 and 0).
    identity_holds : bool
        Whether g_T(z) = 2 g_S(2z) − 1 holds for all real z: it does.
    """

    claim_holds: bool
    counterexample: sp.Expr
    lhs_at: sp.Expr
    rhs_at: sp.Expr
    identity_holds: bool


def check_tanh_exercise():
    """Slide 8's exercise claims g'_T(z) = 2 g_S(2z) − 1: false; g_T(z) = 2 g_S(2z) − 1 is true."""
    rhs = 2 * g_S(2 * z) - 1
    lhs = sp.diff(g_T(z), z)
    claim, cex = _identity(lhs, rhs, z, [0, 1, -1])
    identity, _ = _identity(g_T(z), rhs, z, [0, 1, -1])
    at = sp.Integer(cex) if cex is not None else None
    return TanhExercise(claim, at, sp.simplify(lhs.subs(z, at)) if at is not None else None,
                        sp.simplify(rhs.subs(z, at)) if at is not None else None, identity)


# -------------------------------------------------------------- proof of g'_S = g_S (1 - g_S)


@dataclass(frozen=True)
class ProofStep:
    """One step of a chain of equalities: an expression, its LaTeX, why it follows, and the check.

    ``equal_to_previous`` is the symbolic check ``simplify(expr - previous) == 0`` (True for step 0).
    """

    expr: sp.Expr
    latex: str
    reason: str
    equal_to_previous: bool


def check_chain(steps):
    """Check a chain of equalities.

    Parameters
    ----------
    steps : list of (expr, latex, reason)
        Expressions in z (unevaluated ``sympy.Derivative`` allowed).

    Returns
    -------
    list of ProofStep
    """
    out, previous = [], None
    for expr, latex, reason in steps:
        value = expr.doit()
        ok = True if previous is None else sp.simplify(value - previous) == 0
        out.append(ProofStep(expr, latex, reason, bool(ok)))
        previous = value
    return out


def sigmoid_derivative_proof_steps():
    """The proof of slide 8's exercise g'_S(z) = g_S(z)(1 − g_S(z)), each step checked by SymPy.

    Returns
    -------
    list of ProofStep
        All ``equal_to_previous`` are True.
    """
    e = sp.exp(-z)
    u = sp.UnevaluatedExpr  # keeps each step in the form it is written
    steps = [
        (sp.Derivative(1 / (1 + e), z),
         r"g'_S(z) = \frac{d}{dz}\,(1 + e^{-z})^{-1}", "definition of g_S"),
        (-(1 + e) ** -2 * (-e),
         r"= -(1 + e^{-z})^{-2} \cdot (-e^{-z})", "chain rule: d(u^{-1}) = -u^{-2} du, d(1 + e^{-z})/dz = -e^{-z}"),
        (e / (1 + e) ** 2,
         r"= \frac{e^{-z}}{(1 + e^{-z})^2}", "the two minus signs cancel"),
        (u(1 / (1 + e)) * u(e / (1 + e)),
         r"= \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}}", "split the square"),
        (u(1 / (1 + e)) * u(((1 + e) - 1) / (1 + e)),
         r"= \frac{1}{1 + e^{-z}} \cdot \frac{(1 + e^{-z}) - 1}{1 + e^{-z}}", "add and subtract 1"),
        (u(1 / (1 + e)) * (1 - u(1 / (1 + e))),
         r"= \frac{1}{1 + e^{-z}} \left(1 - \frac{1}{1 + e^{-z}}\right)", "divide term by term"),
        (g_S(z) * (1 - g_S(z)),
         r"= g_S(z)\,(1 - g_S(z))", "definition of g_S"),
    ]
    return check_chain(steps)


# -------------------------------------------------------------- numeric vs symbolic


def derivative(name, **params):
    """SymPy's dg/dz for activation `name` as a function of the real symbol z (not softmax).

    For the piecewise ones (relu, step, leaky_relu, elu) the result is a Piecewise of the
    derivatives on z < 0 and z > 0, undefined (nan) at 0. `params`: ``slope`` (leaky_relu),
    ``alpha`` (elu), numbers.
    """
    from .activations import get

    act = get(name)
    slope = sp.nsimplify(params.get("slope", act.params.get("slope", 0.1)))
    a = sp.nsimplify(params.get("alpha", act.params.get("alpha", 1.0)))
    g = {
        "linear": g_L, "relu": g_U, "step": g_E, "sigmoid": g_S, "tanh": g_T, "fast": g_F,
        "leaky_relu": lambda x: sp.Piecewise((x, x > 0), (slope * x, True)),  # = max(slope z, z) for slope <= 1
        "elu": lambda x: g_ELU(x, a),
    }.get(act.name)
    if g is None:
        raise ValueError(f"name must be an elementwise activation; got {name!r} (use softmax_jacobian)")
    if act.name in ("relu", "step", "leaky_relu", "elu"):
        return _cases(sp.diff(g(z_neg), z_neg).subs(z_neg, z), sp.diff(g(z_pos), z_pos).subs(z_pos, z))
    return sp.diff(g(z), z)


def numeric_matches_symbolic(name, points, rtol=1e-10, atol=1e-12, **params):
    """Whether nnlib's numeric ``g.prime`` equals SymPy's derivative (lambdified) at `points`.

    Parameters
    ----------
    name : str
        Activation name. For ``"softmax"`` `points` is one vector (n,) or rows (N, n) and the
        full Jacobian is compared.
    points : array_like
        Where to compare. Relu, step, leaky_relu and elu have a kink at 0: points must avoid 0.
    rtol, atol : float
        Tolerances of ``numpy.allclose``.
    **params
        ``slope`` or ``alpha``, passed to nnlib and substituted in SymPy.

    Returns
    -------
    bool
    """
    from . import activations
    from ._validate import as_real_array

    act = activations.get(name)
    points = as_real_array(points, "points", dtype=np.float64)
    numeric = act.prime(points, **params)
    if act.name == "softmax":
        n = points.shape[-1]
        J, zs = softmax_jacobian(n)
        f = sp.lambdify(zs, J, "numpy")
        rows = points.reshape(-1, n)
        symbolic = np.stack([np.asarray(f(*row), dtype=np.float64) for row in rows]).reshape(numeric.shape)
        return bool(np.allclose(numeric, symbolic, rtol=rtol, atol=atol))
    if act.name in ("relu", "step", "leaky_relu", "elu") and np.any(points == 0):
        raise ValueError(f"points must avoid z = 0 for {act.name} (no derivative there); got a 0")
    f = sp.lambdify(z, derivative(act.name, **params), "numpy")
    symbolic = np.broadcast_to(np.asarray(f(points), dtype=np.float64), points.shape)
    return bool(np.allclose(numeric, symbolic, rtol=rtol, atol=atol))
