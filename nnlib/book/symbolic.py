r"""The slides' activation functions and derivatives in SymPy, and checks of the slides' claims.

Every check is a symbolic identity: ``sympy.simplify(derived - claimed) == 0``. A claim that
does not simplify to 0 is reported as failing only with a counterexample (a point where the two
sides differ exactly). Piecewise functions (relu, step, leaky ReLU, ELU) are checked on z > 0 and
on z < 0 separately, with symbols that carry those assumptions.

The BackProp part (section 3) builds small networks with symbolic weights and a generic
activation ``g`` (an undefined SymPy function), differentiates q with respect to every weight
with ``sympy.diff`` and compares with the slides' delta formulas: :func:`check_backprop_equations`,
:func:`derive_output_delta`, :func:`illustrated_updates`.

This module imports SymPy; ``import nnlib`` does not import it.

>>> from nnlib import symbolic as sym
>>> [(c.name, c.holds) for c in sym.check_slide_derivatives()][:2]
[('linear', True), ('relu', True)]
"""

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .._validate import check_int

__all__ = [
    "z", "z_pos", "z_neg", "alpha",
    "g_L", "g_U", "g_E", "g_S", "g_T", "g_F", "g_M", "g_LR", "g_ELU",
    "DerivativeCheck", "check_slide_derivatives",
    "softmax_jacobian", "SoftmaxCheck", "check_softmax_jacobian",
    "TanhExercise", "check_tanh_exercise",
    "ProofStep", "check_chain", "sigmoid_derivative_proof_steps",
    "derivative", "numeric_matches_symbolic",
    # BackProp (section 3)
    "g", "g_prime", "g_prime_display", "SymbolicNet", "symbolic_net", "slide_deltas",
    "WeightCheck", "check_backprop_equations", "OutputDeltaCheck", "derive_output_delta",
    "UpdateCheck", "illustrated_updates", "compact",
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
    n = check_int(n, "n", 1, "the number of softmax inputs z_1..z_n")
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
    """Check slide 8's softmax derivative against the full Jacobian J_ij = g_M(z_i)([i = j] − g_M(z_j))."""
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
    from ..activations import get

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
    from .. import activations
    from .._validate import as_real_array

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


# ====================================================================== BackProp (section 3)
#
# A small network with symbolic weights θ^l_ij, inputs x_j and targets t_i, and a generic
# activation g (an undefined SymPy function, so every result holds for any differentiable g).
# ∂q/∂θ^l_ij is computed by sympy.diff for every weight and compared with the slides' formulas.

#: The generic activation g of the BackProp derivations (an undefined SymPy function).
g = sp.Function("g")
_xi = sp.Dummy("xi")


def g_prime(arg):
    r""":math:`g'(\text{arg})` for the generic g, in the form ``sympy.diff`` produces (a ``Subs``)."""
    return sp.Subs(sp.Derivative(g(_xi), _xi), _xi, arg)


def _check_sizes(M, name="M"):
    if isinstance(M, (str, bytes)) or not hasattr(M, "__len__") or len(M) < 2:
        raise ValueError(f"{name} must list at least 2 layer sizes M_0..M_L; got {M!r}")
    out = []
    for l, m in enumerate(M):
        out.append(check_int(m, f"{name}[{l}]", 1, f"the size M_{l} of layer {l}"))
    return tuple(out)


def _check_loss(loss):
    key = str(loss).strip().lower().replace("-", "_")
    key = {"mse": "squared_error", "ce": "cross_entropy"}.get(key, key)
    if key not in ("squared_error", "cross_entropy"):
        raise ValueError(f"loss must be 'squared_error' or 'cross_entropy'; got {loss!r}")
    return key


def _softmax(phi):
    """s_i = exp(φ_i) / Σ_j exp(φ_j) for a list of expressions."""
    Z = sp.Add(*[sp.exp(p) for p in phi])
    return [sp.exp(p) / Z for p in phi]


@dataclass(frozen=True)
class SymbolicNet:
    r"""A multilayer perceptron with symbolic weights (see :func:`symbolic_net`).

    Lists are indexed like the layers and the nodes of the slides, with slot 0 used for the
    threshold input: ``s[l][0] = 1``, ``s[l][j]`` = :math:`s^l_j` (``s[0][j]`` = :math:`x_j`),
    ``phi[l][i]`` = :math:`\phi^l_i` (``phi[l][0]`` is None), ``theta[l][i][j]`` = :math:`\theta^l_{ij}`
    (``theta[l][0]`` is None). ``t[i]`` = :math:`t_i` (``t[0]`` is None).

    Attributes
    ----------
    M : tuple of int
    loss : str
        ``"squared_error"`` (generic g in every layer) or ``"cross_entropy"`` (softmax output).
    theta, phi, s, t : lists (see above)
    x : tuple of sympy.Symbol
        :math:`x_1, \dots, x_{M_0}`.
    q : sympy.Expr
        :math:`q = \frac{1}{2}\sum_i (t_i - s^L_i)^2` or :math:`-\sum_i t_i \log s^L_i`.
    weights : list of (l, i, j, sympy.Symbol)
        Every weight, in the slides' order (layer, node, input; threshold j = 0 first).
    """

    M: tuple
    loss: str
    theta: list
    phi: list
    s: list
    t: list
    x: tuple
    q: sp.Expr
    weights: list


def symbolic_net(M=(2, 2, 2), loss="squared_error"):
    r"""Build the slides' network with symbolic weights, for one generic sample (x, t).

    .. math:: \phi^l_i = \sum_{j=0}^{M_{l-1}} \theta^l_{ij} s^{l-1}_j, \quad s^l_i = g(\phi^l_i),
              \quad s^0_j = x_j, \quad s^{l-1}_0 = 1

    With ``loss="cross_entropy"`` the output layer is softmax, :math:`s^L_i = e^{\phi^L_i} / \sum_j e^{\phi^L_j}`.

    Parameters
    ----------
    M : sequence of int, default (2, 2, 2)
        Layer sizes :math:`M_0, \dots, M_L`. Keep them small (a few nodes): sizes grow fast.
    loss : {"squared_error", "cross_entropy"}
    """
    M, loss = _check_sizes(M), _check_loss(loss)
    L = len(M) - 1
    x = sp.symbols(f"x_1:{M[0] + 1}", real=True)
    t = [None] + list(sp.symbols(f"t_1:{M[L] + 1}", real=True))
    sep = "," if max(M) > 9 else ""
    theta, phi, s, weights = [None], [None], [[sp.Integer(1), *x]], []
    for l in range(1, L + 1):
        theta_l = [None]
        for i in range(1, M[l] + 1):
            row = [sp.Symbol(f"theta^{l}_{i}{sep}{j}", real=True) for j in range(M[l - 1] + 1)]
            weights += [(l, i, j, w) for j, w in enumerate(row)]
            theta_l.append(row)
        theta.append(theta_l)
        phi_l = [None] + [sp.Add(*[theta_l[i][j] * s[l - 1][j] for j in range(M[l - 1] + 1)])
                          for i in range(1, M[l] + 1)]                       # φ^l_i = Σ_j θ^l_ij s^{l-1}_j
        phi.append(phi_l)
        if l == L and loss == "cross_entropy":
            s.append([sp.Integer(1)] + _softmax(phi_l[1:]))                  # s^L = softmax(φ^L)
        else:
            s.append([sp.Integer(1)] + [g(phi_l[i]) for i in range(1, M[l] + 1)])  # s^l_i = g(φ^l_i)
    if loss == "squared_error":
        q = sp.Rational(1, 2) * sp.Add(*[(t[i] - s[L][i]) ** 2 for i in range(1, M[L] + 1)])
    else:  # −Σ_i t_i log s^L_i with log s^L_i = φ^L_i − log Σ_j exp φ^L_j (the same function, as nnlib computes it)
        log_Z = sp.log(sp.Add(*[sp.exp(p) for p in phi[L][1:]]))
        q = -sp.Add(*[t[i] * (phi[L][i] - log_Z) for i in range(1, M[L] + 1)])
    return SymbolicNet(M, loss, theta, phi, s, t, x, q, weights)


def slide_deltas(net, variant="slides"):
    r"""The slides' :math:`\delta^l_i`, written out in the net's symbols, layer L down to 1.

    .. math:: \delta^L_i &= (t_i - s^L_i)\, g'(\phi^L_i) && \text{(squared error)} \\
              \delta^L_i &= t_i - s^L_i && \text{(cross-entropy, softmax)} \\
              \delta^l_i &= g'(\phi^l_i) \sum_{r=1}^{M_{l+1}} \delta^{l+1}_r\, \theta^{l+1}_{ri}

    Parameters
    ----------
    net : SymbolicNet
    variant : {"slides", "no_g_prime"}
        ``"no_g_prime"`` is a deliberately wrong rule, :math:`\delta^l_i = \sum_r \delta^{l+1}_r \theta^{l+1}_{ri}`
        (the factor :math:`g'(\phi^l_i)` forgotten), to show that the checks can fail.

    Returns
    -------
    list
        ``delta[l][i]`` (``delta[0]`` and ``delta[l][0]`` are None).
    """
    if variant not in ("slides", "no_g_prime"):
        raise ValueError(f"variant must be 'slides' or 'no_g_prime'; got {variant!r}")
    M, L, t, s, phi, theta = net.M, len(net.M) - 1, net.t, net.s, net.phi, net.theta
    delta = [None] * (L + 1)
    if net.loss == "cross_entropy":
        delta[L] = [None] + [t[i] - s[L][i] for i in range(1, M[L] + 1)]                  # δ^L_i = t_i − s^L_i
    else:
        delta[L] = [None] + [(t[i] - s[L][i]) * g_prime(phi[L][i]) for i in range(1, M[L] + 1)]  # (t_i − s_i) g'(φ_i)
    for l in range(L - 1, 0, -1):
        back = [None] + [sp.Add(*[delta[l + 1][r] * theta[l + 1][r][i] for r in range(1, M[l + 1] + 1)])
                         for i in range(1, M[l] + 1)]                           # Σ_r δ^{l+1}_r θ^{l+1}_ri
        factor = (lambda i: g_prime(phi[l][i])) if variant == "slides" else (lambda i: 1)
        delta[l] = [None] + [factor(i) * back[i] for i in range(1, M[l] + 1)]  # δ^l_i = g'(φ^l_i) Σ_r ...
    return delta


def _random_point(expr, seed):
    """`expr` at random rationals for every symbol and for every value g(a), g'(a) of the generic g.

    g is generic, so its values at distinct points are free numbers: an identity that holds for
    every g holds for any choice of them.
    """
    import random

    rnd = random.Random(seed)
    value = lambda: sp.Rational(rnd.randint(-9, 9), rnd.randint(1, 9))  # noqa: E731
    expr = expr.subs({sym: value() for sym in sorted(expr.free_symbols, key=str)})
    known = {}
    while True:
        atoms = [a for a in expr.atoms(sp.Subs, sp.core.function.AppliedUndef)   # g(a), g'(a) at a number a
                 if all(p.is_number for p in (a.point if isinstance(a, sp.Subs) else a.args))]
        if not atoms:
            return expr
        for a in sorted(atoms, key=str):
            known.setdefault(a, value())
        expr = expr.xreplace({a: known[a] for a in atoms})


def _is_zero(expr, seeds=(1, 2)):
    """(holds, how): whether `expr` is identically 0.

    Exact first: ``expand`` (polynomials in the values of g and g'), then ``cancel`` (rational
    functions, e.g. of exp). Otherwise evaluate at random rational points (50 digits): a non-zero
    value proves the identity false.

    The first ``expand`` takes every value g(a), g'(a) as a free symbol: the expression is then a
    polynomial in them and expand never descends into the arguments a. If it is 0 so is `expr`
    (it is 0 for any values of g and g'); if not, `expr` itself is expanded after the random points.
    """
    values = {a: sp.Dummy() for a in expr.atoms(sp.Subs, sp.core.function.AppliedUndef)}
    if sp.expand(expr.xreplace(values)) == 0:
        return True, "exact (expand)"
    for seed in seeds:  # a counterexample is cheap to find and settles it
        at = _random_point(expr, seed).evalf(50)
        if abs(at) > 1e-30:
            return False, f"false: the difference is {sp.N(at, 6)} at a random rational point (seed {seed})"
    if sp.expand(expr) == 0:
        return True, "exact (expand)"
    if sp.cancel(sp.together(expr)) == 0:
        return True, "exact (cancel)"
    return True, "at random rational points only"


@dataclass(frozen=True)
class WeightCheck:
    r"""One weight's check: :math:`\partial q / \partial \theta^l_{ij}` by SymPy against the slide.

    Attributes
    ----------
    weight : str
        The weight's name, e.g. ``"theta^2_13"`` (:math:`\theta^2_{13}`).
    l, i, j : int
        Layer, node and input (j = 0 is the threshold, with input 1).
    derived : sympy.Expr
        ``sympy.diff(q, theta^l_ij)``.
    slide : sympy.Expr
        The slides' :math:`-\delta^l_i s^{l-1}_j`, written out in the same symbols.
    holds : bool
        Whether ``derived - slide`` is identically 0.
    how : str
        How it was decided (``"exact (expand)"``, ``"exact (cancel)"``, or the counterexample).
    """

    weight: str
    l: int
    i: int
    j: int
    derived: sp.Expr
    slide: sp.Expr
    holds: bool
    how: str


def check_backprop_equations(M=(2, 2, 2), loss="squared_error", variant="slides"):
    r"""Differentiate q with respect to **every** weight and compare with the slides' BackProp formula.

    .. math:: \frac{\partial q}{\partial \theta^l_{ij}} = -\delta^l_i\, s^{l-1}_j, \qquad
              \delta^L_i = (t_i - s^L_i)\, g'(\phi^L_i), \qquad
              \delta^l_i = g'(\phi^l_i) \sum_r \delta^{l+1}_r\, \theta^{l+1}_{ri}

    ``M=(2, 2, 2)`` is the slides' two-layer case ("Derivación del algoritmo BackProp I/II"),
    ``M=(2, 2, 2, 2)`` their three-layer equations, longer M the general recursion. With
    ``loss="cross_entropy"`` the output is softmax and :math:`\delta^L_i = t_i - s^L_i`, which
    holds only when :math:`\sum_i t_i = 1`: the check substitutes :math:`t_{M_L} = 1 - \sum_{i<M_L} t_i`.

    Parameters
    ----------
    M : sequence of int, default (2, 2, 2)
        Layer sizes; keep them small (1 to 3 nodes per layer).
    loss : {"squared_error", "cross_entropy"}
    variant : {"slides", "no_g_prime"}
        ``"no_g_prime"`` checks a deliberately wrong hidden delta (see :func:`slide_deltas`).

    Returns
    -------
    list of WeightCheck
        One per weight, in the slides' order (θ^1 row by row, then θ^2, ...).
    """
    net = symbolic_net(M, loss)
    delta = slide_deltas(net, variant)
    one = {}
    if net.loss == "cross_entropy":  # assumption Σ_i t_i = 1 (one-hot or a probability vector)
        one = {net.t[-1]: 1 - sp.Add(*net.t[1:-1])}
    records = []
    for l, i, j, w in net.weights:
        derived = sp.diff(net.q, w)                                     # ∂q/∂θ^l_ij by SymPy
        slide = -delta[l][i] * net.s[l - 1][j]                          # −δ^l_i s^{l−1}_j
        holds, how = _is_zero((derived - slide).subs(one))
        records.append(WeightCheck(str(w), l, i, j, derived, slide, holds, how))
    return records


@dataclass(frozen=True)
class OutputDeltaCheck:
    r"""Result of :func:`derive_output_delta`.

    Attributes
    ----------
    loss, output : str
        The loss and the output activation (``"g"``: generic; ``"softmax"``).
    phi, t : tuple of sympy.Symbol
        :math:`\phi^L_1..\phi^L_C` and :math:`t_1..t_C`.
    s : list of sympy.Expr
        :math:`s^L_i` in terms of phi.
    derived : list of sympy.Expr
        :math:`\delta^L_i = -\partial q / \partial \phi^L_i` by SymPy.
    slide : list of sympy.Expr
        The slides' formula for :math:`\delta^L_i`.
    assumption : str or None
        What the slide's formula needs (cross-entropy: :math:`\sum_i t_i = 1`).
    holds : bool
        derived == slide (under `assumption`).
    holds_without_assumption : bool
        derived == slide for any t (False for cross-entropy).
    general : list of sympy.Expr
        A formula that holds with no assumption (cross-entropy: :math:`t_i - s_i \sum_j t_j`;
        squared error with softmax: :math:`\sum_k J_{ki} (t_k - s_k)`).
    general_holds : bool
    """

    loss: str
    output: str
    phi: tuple
    t: tuple
    s: list
    derived: list
    slide: list
    assumption: object
    holds: bool
    holds_without_assumption: bool
    general: list
    general_holds: bool


def _all_zero(exprs):
    return all(_is_zero(e)[0] for e in exprs)


def derive_output_delta(loss="cross_entropy", C=3, output=None):
    r"""Derive the output delta :math:`\delta^L_i = -\partial q / \partial \phi^L_i` and compare with the slides.

    - ``loss="squared_error"``, generic g: :math:`\delta^L_i = (t_i - s_i)\, g'(\phi_i)` holds for any t.
    - ``loss="squared_error", output="softmax"``: the slide's elementwise formula with
      :math:`g'_M(\phi_i) = s_i(1 - s_i)` does **not** hold (softmax couples the outputs);
      :math:`\delta_i = \sum_k s_k(\delta_{ki} - s_i)(t_k - s_k)` does.
    - ``loss="cross_entropy"`` (softmax output): :math:`\delta^L_i = t_i - s_i` holds **if**
      :math:`\sum_i t_i = 1` (true for the slides' one-hot :math:`t_n \in \{0, 1\}^C`); in general
      :math:`\delta^L_i = t_i - s_i \sum_j t_j`.

    Parameters
    ----------
    loss : {"cross_entropy", "squared_error"}
    C : int, default 3
        Number of outputs :math:`M_L` (classes).
    output : {None, "g", "softmax"}
        Output activation; None means softmax for cross-entropy and generic g for squared error.

    Returns
    -------
    OutputDeltaCheck
    """
    loss = _check_loss(loss)
    C = check_int(C, "C", 1, "the number of outputs")
    output = output or ("softmax" if loss == "cross_entropy" else "g")
    if output not in ("g", "softmax") or (loss == "cross_entropy" and output != "softmax"):
        raise ValueError(f"output must be 'g' or 'softmax' (cross_entropy needs 'softmax'); got {output!r}")
    phi = sp.symbols(f"phi_1:{C + 1}", real=True)
    t = sp.symbols(f"t_1:{C + 1}", real=True)
    s = _softmax(list(phi)) if output == "softmax" else [g(p) for p in phi]
    if loss == "squared_error":
        q = sp.Rational(1, 2) * sp.Add(*[(ti - si) ** 2 for ti, si in zip(t, s)])
    else:
        q = -sp.Add(*[ti * sp.log(si) for ti, si in zip(t, s)])
    derived = [-sp.diff(q, p) for p in phi]                                # δ^L_i = −∂q/∂φ^L_i
    assumption, sub = None, {}
    if loss == "cross_entropy":
        slide = [ti - si for ti, si in zip(t, s)]                           # δ^L_i = t_i − s_i
        general = [ti - si * sp.Add(*t) for ti, si in zip(t, s)]            # δ^L_i = t_i − s_i Σ_j t_j
        assumption, sub = "sum_i t_i = 1", {t[-1]: 1 - sp.Add(*t[:-1])}
    elif output == "softmax":
        slide = [(ti - si) * si * (1 - si) for ti, si in zip(t, s)]         # slide 8's g'_M(φ_i) = s_i (1 − s_i)
        general = [sp.Add(*[s[k] * (int(k == i) - s[i]) * (t[k] - s[k]) for k in range(C)]) for i in range(C)]
    else:
        slide = [(ti - si) * g_prime(p) for ti, si, p in zip(t, s, phi)]    # δ^L_i = (t_i − s_i) g'(φ_i)
        general = slide
    diffs = [d - f for d, f in zip(derived, slide)]
    holds = _all_zero([e.subs(sub) for e in diffs])
    without = holds if not sub else _all_zero(diffs)
    return OutputDeltaCheck(loss, output, phi, t, s, derived, slide, assumption, holds, without, general,
                            _all_zero([d - f for d, f in zip(derived, general)]))


@dataclass(frozen=True)
class UpdateCheck:
    r"""One of the slides' illustrated updates on the 5-3-3 net (see :func:`illustrated_updates`).

    Attributes
    ----------
    weight : str
    derived : sympy.Expr
        :math:`-\rho\, \partial q / \partial \theta^l_{ij}` by SymPy.
    slide : sympy.Expr
        The slide's formula, written out.
    latex : str
        The slide's formula as the slide writes it.
    holds : bool
    """

    weight: str
    derived: sp.Expr
    slide: sp.Expr
    latex: str
    holds: bool


def illustrated_updates():
    r"""The slides' two illustrated updates on the 5-3-3 net (squared error, generic g), by differentiation.

    .. math:: \Delta\theta^2_{13} = \rho\, \delta^2_1 s^1_3 = \rho\, (t_1 - s^2_1)\, g'(\phi^2_1)\, s^1_3

    .. math:: \Delta\theta^1_{34} = \rho\, \delta^1_3 x_4
              = \rho \Big( g'(\phi^1_3) \sum_{r=1}^{M_2} \delta^2_r\, \theta^2_{r3} \Big) x_4

    with :math:`\Delta\theta = -\rho\, \partial q / \partial \theta` for one sample (x, t).

    Returns
    -------
    list of UpdateCheck
        Both hold.
    """
    net = symbolic_net((5, 3, 3), "squared_error")
    rho = sp.Symbol("rho", positive=True)
    th, s, t, phi, x = net.theta, net.s, net.t, net.phi, net.x
    delta2 = [None] + [(t[r] - s[2][r]) * g_prime(phi[2][r]) for r in range(1, 4)]   # δ²_r = (t_r − s²_r) g'(φ²_r)
    slide_13 = rho * (t[1] - s[2][1]) * g_prime(phi[2][1]) * s[1][3]
    slide_34 = rho * (g_prime(phi[1][3]) * sp.Add(*[delta2[r] * th[2][r][3] for r in range(1, 4)])) * x[3]
    out = []
    for w, slide, latex in (
        (th[2][1][3], slide_13, r"\Delta\theta^2_{13} = \rho\,\delta^2_1 s^1_3 = \rho\,(t_1 - s^2_1)\,g'(\phi^2_1)\,s^1_3"),
        (th[1][3][4], slide_34, r"\Delta\theta^1_{34} = \rho\,\delta^1_3 x_4 = \rho \left(g'(\phi^1_3) "
                                r"\sum_{r=1}^{M_2} \delta^2_r \theta^2_{r3}\right) x_4"),
    ):
        derived = -rho * sp.diff(net.q, w)
        out.append(UpdateCheck(str(w), derived, slide, latex, _is_zero(derived - slide)[0]))
    return out


#: g' as a plain function symbol, for display only (see :func:`compact`).
g_prime_display = sp.Function("g'")


def compact(expr, net):
    r"""`expr` rewritten for reading: :math:`g(\phi^l_i) \to s^l_i`, :math:`g'(\ldots) \to g'(\phi^l_i)`.

    The checks work on fully written-out expressions (every :math:`\phi` a sum over weights);
    this maps them back to the slides' names, e.g. ``-(t_1 - s^2_1) g'(phi^2_1) s^1_2``.

    Parameters
    ----------
    expr : sympy.Expr
        An expression in the symbols of `net` (``derived`` or ``slide`` of a :class:`WeightCheck`).
    net : SymbolicNet
    """
    M, L = net.M, len(net.M) - 1
    s_sym = [[sp.Integer(1), *net.x]] + [[sp.Integer(1)] + [sp.Symbol(f"s^{l}_{i}", real=True) for i in range(1, M[l] + 1)]
                                         for l in range(1, L + 1)]
    phi_sym = [None] + [[None] + [sp.Symbol(f"phi^{l}_{i}", real=True) for i in range(1, M[l] + 1)]
                        for l in range(1, L + 1)]
    outputs = {g(net.phi[l][i]): s_sym[l][i] for l in range(1, L + 1) for i in range(1, M[l] + 1)}
    out = expr.xreplace(outputs)                                     # g(φ^l_i written out) -> s^l_i
    # φ^l_i in terms of s^{l-1} (what is left inside g' and exp after the first pass)
    phi_c = {sp.Add(*[net.theta[l][i][j] * s_sym[l - 1][j] for j in range(M[l - 1] + 1)]): phi_sym[l][i]
             for l in range(1, L + 1) for i in range(1, M[l] + 1)}
    out = out.replace(lambda e: isinstance(e, sp.Subs) and e.point[0] in phi_c,
                      lambda e: g_prime_display(phi_c[e.point[0]]))
    return out.replace(lambda e: isinstance(e, sp.exp) and e.args[0] in phi_c,
                       lambda e: sp.exp(phi_c[e.args[0]]))
