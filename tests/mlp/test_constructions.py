"""The hand-built networks of chapter 1 (nnlib.mlp.constructions)."""

import numpy as np
import pytest

from nnlib.mlp import MLP
from nnlib.mlp import constructions as cons


def test_memorizer_fits_random_labels_exactly():
    rng = np.random.default_rng(20)
    X, y = rng.uniform(-1, 1, size=(20, 2)), rng.integers(0, 3, size=20)
    net, w, order = cons.memorizer(X, y, C=3, seed=rng)
    assert net.M == (2, 19, 3) and np.isclose(np.linalg.norm(w), 1)
    assert np.all(np.diff((X @ w)[order]) > 0)
    assert np.allclose(net(X), np.eye(3)[y])                        # every output equals its one-hot target
    _, s = net.forward(X[order])
    U = np.column_stack([np.ones(20), (1 + s[1]) / 2])
    assert np.array_equal(U, np.tril(np.ones((20, 20))))            # the lower-triangular system


def test_memorizer_seed_int_is_default_rng():
    X, y = np.random.default_rng(1).normal(size=(6, 3)), np.array([0, 1, 0, 1, 1, 0])
    _, w_int, _ = cons.memorizer(X, y, 2, seed=5)
    _, w_gen, _ = cons.memorizer(X, y, 2, seed=np.random.default_rng(5))
    assert np.array_equal(w_int, w_gen)


@pytest.mark.parametrize("kwargs, exc, word", [
    ({"X": np.zeros(3)}, ValueError, "X"),
    ({"X": [[0.0, 0.0], [0.0, 0.0]]}, ValueError, "distinct"),
    ({"labels": [0, 2]}, ValueError, "labels"),
    ({"C": 0}, ValueError, "C"),
    ({"seed": "a"}, TypeError, "seed"),
])
def test_memorizer_rejects_bad_input(kwargs, exc, word):
    args = {"X": [[0.0, 0.0], [1.0, 0.5]], "labels": [0, 1], "C": 2, "seed": 0} | kwargs
    with pytest.raises(exc, match=word):
        cons.memorizer(**args)


def test_arrangement_cells_of_two_axes():
    codes, points, P, cell = cons.arrangement_cells(np.array([[0.0, 1, 0], [0.0, 0, 1]]), n=50)
    assert codes.shape == (4, 2) and set(map(tuple, codes)) == {(-1, -1), (-1, 1), (1, -1), (1, 1)}
    assert np.array_equal(np.sign(points), codes)
    assert np.array_equal(np.sign(P), codes[cell])


def test_arrangement_cells_equal_np_unique_of_the_code_rows():
    """The codes are found as integers; the result is np.unique of the rows of codes (order, first points)."""
    rng = np.random.default_rng(3)
    lines = np.column_stack([rng.uniform(-1, 1, 9), rng.normal(size=(9, 2))])
    codes, points, P, cell = cons.arrangement_cells(lines, n=120)
    S = np.sign(np.column_stack([np.ones(len(P)), P]) @ lines.T)
    expected, first, inverse = np.unique(S, axis=0, return_index=True, return_inverse=True)
    assert np.array_equal(codes, expected) and np.array_equal(points, P[first])
    assert np.array_equal(cell, inverse.ravel())


def test_one_hidden_layer_square_and_checkerboard():
    square = cons.polygon_lines(np.array([[-1.0, -1], [1, -1], [1, 1], [-1, 1]]))
    inside = lambda P: np.all(np.abs(P) < 1, axis=1).astype(int)
    net = cons.one_hidden_layer(square, inside)
    P = np.random.default_rng(0).uniform(-2, 2, size=(5000, 2))
    assert net.M == (2, 4, 2) and np.all(net.classify(P) == inside(P))
    checkerboard = lambda P: (P[:, 0] * P[:, 1] > 0).astype(int)
    assert cons.one_hidden_layer(np.array([[0.0, 1, 0], [0.0, 0, 1]]), checkerboard) is None


def test_one_hidden_layer_rejects_bad_input():
    with pytest.raises(ValueError, match="lines"):
        cons.one_hidden_layer(np.zeros((2, 2)), lambda P: P[:, 0] > 0)
    with pytest.raises(ValueError, match="region"):             # boundary x_1 = 0.3 is not a line
        cons.one_hidden_layer(np.array([[0.0, 1, 0]]), lambda P: (P[:, 0] > 0.3).astype(int))
    with pytest.raises(TypeError, match="region"):
        cons.one_hidden_layer(np.array([[0.0, 1, 0]]), 3)


def test_polygon_lines_point_inwards():
    V = np.array([[0.0, 0], [2, 0], [0, 2]])
    lines = cons.polygon_lines(V[::-1])                             # either orientation of the vertices
    assert lines.shape == (3, 3) and np.all(lines @ np.array([1, 0.5, 0.5]) > 0)
    with pytest.raises(ValueError, match="V"):
        cons.polygon_lines(V[:2])


def test_solve_output_layer_is_least_squares():
    net = MLP(M=[1, 5, 1], g=["tanh", "linear"], seed=0)
    X = np.linspace(-1, 1, 30)[:, None]
    t = np.sin(3 * X)
    best = cons.solve_output_layer(net, X, t)
    assert np.array_equal(best.theta[1], net.theta[1]) and best is not net
    H = np.column_stack([np.ones(30), net.forward(X)[1][1]])
    assert np.allclose(H.T @ (best(X) - t), 0, atol=1e-10)          # normal equations: residual orthogonal
    assert np.mean((best(X) - t) ** 2) <= np.mean((net(X) - t) ** 2)
    with pytest.raises(ValueError, match="hidden"):
        cons.solve_output_layer(MLP(M=[1, 1]), X, t)
    with pytest.raises(ValueError, match="t"):
        cons.solve_output_layer(net, X, t[:5])
    with pytest.raises(TypeError, match="net"):
        cons.solve_output_layer("net", X, t)


def test_importing_constructions_does_not_import_scipy():
    import subprocess
    import sys
    code = "import sys, nnlib.mlp.constructions; assert 'scipy' not in sys.modules, 'scipy imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
