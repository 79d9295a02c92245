"""nnlib.book.plot: the figures draw what they promise (Agg backend, no display)."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import activations as act  # noqa: E402
from nnlib.book import plot  # noqa: E402

ELEMENTWISE = [name for name, g in act.ACTIVATIONS.items() if g.elementwise]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _curves(ax):
    """The data of each Line2D on ax (reference lines from axhline/axvline excluded)."""
    return [line for line in ax.lines if len(line.get_xdata()) > 2]


def test_import_nnlib_does_not_import_matplotlib():
    code = "import sys, nnlib, nnlib.activations; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_plot_activation_draws_g_and_g_prime(name):
    fig, ax = plt.subplots()
    lines = plot.plot_activation(ax, name)
    assert len(lines) == 2
    assert _curves(ax) == lines
    assert lines[0].get_linestyle() == "-" and lines[1].get_linestyle() == "--"
    g = act.get(name)
    z = np.linspace(-3.0, 3.0, 7) + 0.25  # away from the kink at 0
    for line, f in zip(lines, (g, g.prime)):
        x, y = line.get_xdata(), line.get_ydata()
        ok = np.isfinite(x)
        np.testing.assert_allclose(np.interp(z, x[ok], y[ok]), f(z), atol=1e-3)


@pytest.mark.parametrize("name, params, expected", [
    ("relu", {}, [0.0]), ("step", {}, [0.0]), ("leaky_relu", {}, [0.0]), ("leaky_relu", {"slope": 0.3}, [0.0]),
    ("elu", {"alpha": 0.5}, [0.0]), ("elu", {"alpha": 1.0}, []),
    ("linear", {}, []), ("sigmoid", {}, []), ("tanh", {}, []), ("fast", {}, []),
])
def test_kinks(name, params, expected):
    assert plot.kinks(name, **params) == expected


def test_kinks_are_marked_and_jumps_are_not_drawn():
    fig, ax = plt.subplots()
    g_line, prime_line = plot.plot_activation(ax, "relu")
    # g' of ReLU jumps at 0: the dashed curve is broken by a NaN there, g itself is not.
    assert np.isnan(prime_line.get_xdata()).sum() == 1
    assert not np.isnan(g_line.get_xdata()).any()
    offsets = np.concatenate([c.get_offsets() for c in ax.collections])
    # filled dots at g(0) = 0 and g'(0) = 0 (nnlib's convention), an open circle at the limit g'(0+) = 1
    assert sorted(map(tuple, offsets.tolist())) == [(0.0, 0.0), (0.0, 0.0), (0.0, 1.0)]


def test_step_function_is_broken_at_zero():
    fig, ax = plt.subplots()
    g_line, _ = plot.plot_activation(ax, "step")
    y = g_line.get_ydata()
    assert np.isnan(y).sum() == 1
    assert set(np.unique(y[np.isfinite(y)])) == {-1.0, 1.0}


def test_no_marks_for_smooth_activations():
    fig, ax = plt.subplots()
    plot.plot_activation(ax, "sigmoid")
    assert len(ax.collections) == 0


def test_softmax_panel_draws_diagonal_and_off_diagonal():
    fig, ax = plt.subplots()
    lines = plot.plot_activation(ax, "softmax", others=(0.0, 0.0))
    assert len(lines) == 3
    x, s = lines[0].get_xdata(), lines[0].get_ydata()
    diag, off = lines[1].get_ydata(), lines[2].get_ydata()
    np.testing.assert_allclose(s, np.exp(x) / (np.exp(x) + 2.0), rtol=1e-12)
    np.testing.assert_allclose(diag, s * (1 - s), rtol=1e-12)
    np.testing.assert_allclose(off, -s / (np.exp(x) + 2.0), rtol=1e-12, atol=1e-15)


def test_params_reach_the_activation():
    fig, ax = plt.subplots()
    g_line, _ = plot.plot_activation(ax, act.elu, alpha=2.0)
    x, y = g_line.get_xdata(), g_line.get_ydata()
    assert np.nanmin(y) == pytest.approx(2.0 * np.expm1(x[0]))
    assert "2" in ax.get_title()


def test_activation_grid_has_one_panel_per_activation():
    names = list(act.ACTIVATIONS)
    fig = plot.activation_grid(names, ncols=4, params={"elu": {"alpha": 0.5}})
    assert len(fig.axes) == len(names)
    counts = [len(_curves(ax)) for ax in fig.axes]
    assert counts == [3 if n == "softmax" else 2 for n in names]
    assert all(ax.get_legend() is not None for ax in fig.axes)


def test_activation_grid_default_is_slide_8():
    fig = plot.activation_grid()
    assert len(fig.axes) == 7
    assert [ax.get_title().split("(")[1].split(",")[0].rstrip(")") for ax in fig.axes] == [
        "linear", "ReLU", "step", "sigmoid", "tanh", "fast", "softmax"]


def test_sigmoid_derivative_figure():
    fig = plot.sigmoid_derivative_figure(saturation=0.1)
    (ax,) = fig.axes
    g_line, prime_line = _curves(ax)
    y = prime_line.get_ydata()
    assert y.max() == pytest.approx(0.25) and prime_line.get_xdata()[y.argmax()] == pytest.approx(0.0)
    assert len(ax.patches) == 2  # the two shaded saturation regions
    z_sat = plot._sigmoid_saturation_z(0.1)
    assert act.sigmoid.prime(z_sat) == pytest.approx(0.1 * 0.25)
    assert any("1/4" in t.get_text() for t in ax.texts)


def test_rectifier_figure_panels_and_lines():
    fig = plot.rectifier_figure(alphas=(0.5, 1.0, 2.0), maxout=((1.0, 0.5), (-0.5, 0.0)))
    assert [len(_curves(ax)) for ax in fig.axes] == [2, 6, 3]
    maxout_line = _curves(fig.axes[2])[2]
    x, y = maxout_line.get_xdata(), maxout_line.get_ydata()
    np.testing.assert_allclose(y, np.maximum(x + 0.5, -0.5 * x))


def test_affine_labels():
    assert plot._affine(1.0, 0.5) == "$z + 0.5$"
    assert plot._affine(-0.5, 0.0) == "$-0.5z$"
    assert plot._affine(0.0, 0.0) == "$0$"
    assert plot._affine(2.0, -1.0) == "$2z - 1$"


@pytest.mark.parametrize("bad, err, match", [
    ("nope", ValueError, "name"),
    (42, TypeError, "name"),
])
def test_bad_activation(bad, err, match):
    fig, ax = plt.subplots()
    with pytest.raises(err, match=match):
        plot.plot_activation(ax, bad)


def test_bad_arguments_name_the_argument():
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="z must be"):
        plot.plot_activation(ax, "sigmoid", z=np.array(["a", "b"]))
    with pytest.raises(ValueError, match="z must be finite"):
        plot.plot_activation(ax, "sigmoid", z=[0.0, np.nan])
    with pytest.raises(ValueError, match="others"):
        plot.plot_activation(ax, "softmax", others=())
    with pytest.raises(ValueError, match="saturation"):
        plot.sigmoid_derivative_figure(saturation=1.5)
    with pytest.raises(ValueError, match="names"):
        plot.activation_grid([])
    with pytest.raises(ValueError, match="ncols"):
        plot.activation_grid(ncols=0)


# ------------------------------------------------------------------------------------------------ table

def test_table_writes_one_markdown_row_per_row_with_numbers_right_aligned():
    md = plot.table(["name", "$q$"], [["sigmoid", 0.123456], ["tanh", 2]]).data
    assert md.splitlines() == ["| name | $q$ |", "|---|---:|", "| sigmoid | 0.1235 |", "| tanh | 2 |"]


def test_table_escapes_pipes_and_honours_fmt_and_align():
    md = plot.table(["a", "b"], [["x|y", 1 / 3]], fmt=".2f", align="cc").data
    assert md.splitlines()[1:] == ["|:---:|:---:|", "| x\\|y | 0.33 |"]


@pytest.mark.parametrize("rows, align, match", [([[1]], None, r"rows\[0\] must have 2 entries"),
                                                ([[1, 2]], "x", "align must have")])
def test_table_rejects_rows_of_the_wrong_length_and_bad_align(rows, align, match):
    with pytest.raises(ValueError, match=match):
        plot.table(["a", "b"], rows, align=align)


# ------------------------------------------------------------- tex, weight_table, hidden_lines (chapter 1 pages)

def test_tex_writes_pipes_as_vert():
    import sympy as sp
    from nnlib.book import plot as nnplot
    z = sp.Symbol("z")
    assert nnplot.tex(1 / (1 + sp.Abs(z)) ** 2).count("|") == 0
    assert nnplot.tex(z ** 2) == "$z^{2}$"


def test_weight_table_names_every_weight():
    from nnlib.book import plot as nnplot
    md = nnplot.weight_table(np.array([[0.5, -1.0, 2.0], [0.0, 1.5, -0.25]]), 2).data
    lines = md.splitlines()
    assert len(lines) == 4 and "(threshold)" in lines[0]
    assert "$\\theta^2_{12} = 2$" in lines[2] and "$\\theta^2_{22} = -0.25$" in lines[3]
    with pytest.raises(ValueError, match="theta must be a matrix"):
        nnplot.weight_table(np.ones(3), 1)
    with pytest.raises(ValueError, match="l must be a layer number"):
        nnplot.weight_table(np.ones((2, 3)), 0)


def test_hidden_lines_draws_phi_equal_zero():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from nnlib.book import plot as nnplot
    fig, ax = plt.subplots()
    theta1 = np.array([[-0.5, 1.0, 1.0], [1.0, 2.0, 0.0]])     # x1 + x2 = 0.5, and the vertical x1 = -0.5
    nnplot.hidden_lines(ax, theta1, (-1, 1, -1, 1), color="k")
    (x, y), = [line.get_data() for line in ax.lines[:1]]
    np.testing.assert_allclose(-0.5 + x + y, 0.0)
    assert ax.get_xlim() == (-1, 1) and len(ax.lines) == 2
    with pytest.raises(ValueError, match="theta1 must have one row"):
        nnplot.hidden_lines(ax, np.ones((2, 4)), (-1, 1, -1, 1))
    plt.close(fig)


def test_image_grid_tiles_every_image_in_one_axes():
    images = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    fig, ax = plt.subplots()
    shown = plot.image_grid(images, ax, ncols=3, titles=list("abcde"), vmin=0, vmax=29, frame=False)
    canvas = np.ma.filled(shown.get_array().astype(float), np.nan)
    tiles = [canvas[r:r + 2, c:c + 3] for r in range(canvas.shape[0] - 1) for c in range(canvas.shape[1] - 2)]
    for image in images:                                   # every image appears, whole, once
        assert sum(np.array_equal(t, image) for t in tiles) == 1
    assert np.count_nonzero(~np.isnan(canvas)) == images.size   # the rest is blank
    assert [t.get_text() for t in ax.texts] == list("abcde") and len(fig.axes) == 1


def test_image_grid_scales_each_image_like_imshow_unless_given_vmin_vmax():
    images = np.stack([np.array([[0.0, 2.0]]), np.array([[5.0, 6.0]])])
    fig, ax = plt.subplots()
    canvas = np.ma.filled(plot.image_grid(images, ax, ncols=2).get_array().astype(float), np.nan)
    values = canvas[~np.isnan(canvas)]
    assert sorted(values) == [0.0, 0.0, 1.0, 1.0]
    fig, ax = plt.subplots()
    shown = plot.image_grid(images, ax, ncols=2, row_labels=["row"], vmin=0, vmax=6)
    assert shown.get_clim() == (0, 6) and ax.texts[0].get_text() == "row"


@pytest.mark.parametrize("kwargs, message", [
    ({"images": np.zeros((4, 4))}, "images must have shape"),
    ({"ncols": 0}, "ncols must be an int"),
    ({"titles": ["a"]}, "titles must have one entry per image"),
    ({"row_labels": ["a", "b"]}, "row_labels must have one entry per row"),
])
def test_image_grid_rejects_bad_arguments(kwargs, message):
    fig, ax = plt.subplots()
    args = {"images": np.zeros((3, 4, 4)), "ncols": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        plot.image_grid(args.pop("images"), ax, **args)
