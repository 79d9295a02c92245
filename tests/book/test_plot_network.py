"""nnlib.book.plot: network diagrams, decision regions and the timeline (Agg backend, no display)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle  # noqa: E402

from nnlib.book import plot  # noqa: E402
from nnlib.mlp import MLP, FeedForward  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _by_gid(ax, gid):
    """Artists (lines and patches) of ax with the given gid."""
    return [a for a in list(ax.lines) + list(ax.patches) if a.get_gid() == gid]


def _rgb(color):
    return mcolors.to_rgb(color)


# ---------------------------------------------------------------------------------------------
# draw_network
# ---------------------------------------------------------------------------------------------

def test_network_5_3_3_counts_nodes_and_connections():
    ax = plot.draw_network([5, 3, 3])
    assert len(_by_gid(ax, "node")) == 11 and all(isinstance(c, Circle) for c in _by_gid(ax, "node"))
    assert len(_by_gid(ax, "connection")) == 5 * 3 + 3 * 3
    assert len(_by_gid(ax, "threshold")) == 3 + 3                 # x_0 -> layer 1, s^1_0 -> layer 2
    assert all(line.get_linestyle() == "--" for line in _by_gid(ax, "threshold"))
    squares = _by_gid(ax, "threshold-unit")
    assert len(squares) == 2 and all(isinstance(r, Rectangle) for r in squares)
    texts = [t.get_text() for t in ax.texts]
    assert "$x_{1}$" in texts and "$x_{5}$" in texts and "$s^{1}_{2}$" in texts and "$s^{2}_{3}$" in texts
    assert texts.count("1") == 2
    captions = [t for t in texts if t.startswith("layer")]
    assert captions == ["layer 0 (input)\n$M_{0} = 5$", "layer 1 (hidden)\n$M_{1} = 3$",
                        "layer 2 (output)\n$M_{2} = 3$"]
    assert not ax.axison and ax.get_aspect() == 1.0


def test_network_without_thresholds_or_labels():
    ax = plot.draw_network([5, 3, 3], show_thresholds=False, labels=False, layer_names=False)
    assert len(_by_gid(ax, "node")) == 11
    assert len(_by_gid(ax, "connection")) == 24
    assert _by_gid(ax, "threshold") == [] and _by_gid(ax, "threshold-unit") == []
    assert len(ax.texts) == 0


def test_network_layout_left_to_right_and_centred():
    ax = plot.draw_network([5, 3, 3])
    centres = np.array([c.center for c in _by_gid(ax, "node")])
    xs = np.unique(centres[:, 0])
    assert len(xs) == 3 and np.all(np.diff(xs) > 0)
    for x in xs:                                                   # every column is centred on y = 0
        assert centres[centres[:, 0] == x, 1].mean() == pytest.approx(0.0)


def test_mlp_and_list_draw_the_same_topology():
    net = MLP(M=[2, 4, 4, 1], g="tanh", seed=0)
    a, b = plot.draw_network(net), plot.draw_network([2, 4, 4, 1])
    for gid in ("node", "connection", "threshold", "threshold-unit"):
        assert len(_by_gid(a, gid)) == len(_by_gid(b, gid))
    assert len(_by_gid(a, "connection")) == 2 * 4 + 4 * 4 + 4 * 1


def test_feedforward_skip_edge_is_an_arc():
    ff = FeedForward(M=[2, 3, 1], edges=[(1, 0), (2, 1), (2, 0)], g=["tanh", "linear"], seed=0)
    ax = plot.draw_network(ff)
    arcs = _by_gid(ax, "skip")
    assert len(arcs) == 2 * 1 and all(isinstance(p, FancyArrowPatch) for p in arcs)
    assert len(_by_gid(ax, "skip-threshold")) == 1                # x_0 -> s^2_1 (theta^{2,0}_{10})
    assert len(_by_gid(ax, "connection")) == 2 * 3 + 3 * 1
    skip_rgb = _rgb(arcs[0].get_edgecolor())
    assert skip_rgb != _rgb(_by_gid(ax, "connection")[0].get_color())   # another colour
    # the arcs really bend: the curve's middle is off the chord
    for p in arcs:
        verts = p.get_path().vertices
        assert abs(verts[len(verts) // 2][1] - 0.5 * (verts[0][1] + verts[-1][1])) > 0.5


def test_list_with_edges_draws_skip_arcs():
    ax = plot.draw_network([5, 3, 3], edges=[(1, 0), (2, 1), (2, 0)], show_thresholds=False)
    assert len(_by_gid(ax, "skip")) == 15 and len(_by_gid(ax, "connection")) == 24


def test_weights_colour_by_sign_and_width_by_size():
    T1 = np.array([[0.0, 1.0, -2.0], [0.5, -0.5, 4.0]])           # (M_1, M_0 + 1) = (2, 3)
    T2 = np.array([[-1.0, 3.0, -3.0]])                             # (1, 3)
    net = MLP(M=[2, 2, 1], g="tanh", theta=[T1, T2])
    ax = plot.draw_network(net, weights=True, labels=False)
    lines = {}
    for line in _by_gid(ax, "connection") + _by_gid(ax, "threshold"):
        (x0, x1), (y0, y1) = line.get_xdata(), line.get_ydata()
        lines[(x0, y0, x1, y1)] = line
    ws = [w for w in np.concatenate([T1.ravel(), T2.ravel()])]
    assert len(lines) == len(ws)
    blue, red = _rgb(plot._POSITIVE), _rgb(plot._NEGATIVE)
    colours = sorted((_rgb(line.get_color()), line.get_linewidth()) for line in lines.values())
    n_pos, n_neg = sum(w > 0 for w in ws), sum(w < 0 for w in ws)
    assert sum(c == blue for c, _ in colours) == n_pos
    assert sum(c == red for c, _ in colours) == n_neg
    widest = max(lines.values(), key=lambda line: line.get_linewidth())
    assert _rgb(widest.get_color()) == blue                         # |4.0| is the largest weight
    assert ax.get_legend() is not None


def test_weights_on_a_feedforward_colour_the_skip_arcs():
    ff = FeedForward(M=[2, 3, 1], edges=[(1, 0), (2, 1), (2, 0)], seed=1)
    ax = plot.draw_network(ff, weights=True)
    for arc, w in zip(_by_gid(ax, "skip"), ff.theta[(2, 0)][0, 1:]):
        assert _rgb(arc.get_edgecolor()) == _rgb(plot._POSITIVE if w > 0 else plot._NEGATIVE)


def test_highlight_node_and_connection():
    ax = plot.draw_network([5, 3, 3], highlight=[(2, 1, 3), (1, 3)])
    orange = _rgb(plot._HIGHLIGHT_COLOR)
    hot = [line for line in _by_gid(ax, "connection") if _rgb(line.get_color()) == orange]
    assert len(hot) == 1
    (x0, x1), (y0, y1) = hot[0].get_xdata(), hot[0].get_ydata()
    nodes = {tuple(c.center): c for c in _by_gid(ax, "node")}
    # theta^2_{13}: from s^1_3 (bottom of the 3-node column, y = -1) to s^2_1 (top, y = 1)
    assert x0 < x1 and (y0, y1) == (-1.0, 1.0)
    assert r"$\theta^{2}_{13}$" in [t.get_text() for t in ax.texts]
    assert _rgb(nodes[(x0, y0)].get_edgecolor()) == orange           # node (1, 3) is s^1_3
    assert sum(_rgb(c.get_edgecolor()) == orange for c in nodes.values()) == 1


def test_large_layers_are_cut_with_an_ellipsis():
    ax = plot.draw_network([784, 10, 10], show_thresholds=False)
    assert len(_by_gid(ax, "node")) == 8 + 10 + 10
    assert len(_by_gid(ax, "connection")) == 8 * 10 + 10 * 10
    texts = [t.get_text() for t in ax.texts]
    assert texts.count(r"$\vdots$") == 1 and "$x_{784}$" in texts and "$x_{5}$" not in texts


def test_draw_network_on_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    assert plot.draw_network([2, 3, 1], ax=b, layer_names=["entrada", "oculta", "salida"]) is b
    assert len(_by_gid(a, "node")) == 0 and len(_by_gid(b, "node")) == 6
    assert "oculta\n$M_{1} = 3$" in [t.get_text() for t in b.texts]


@pytest.mark.parametrize("kwargs, err, match", [
    ({"net_or_M": [3]}, ValueError, "M must list at least 2"),
    ({"net_or_M": [2, 0, 1]}, ValueError, r"M\[1\]"),
    ({"net_or_M": "231"}, TypeError, "net_or_M"),
    ({"net_or_M": [2, 3, 1], "edges": [(1, 2)]}, ValueError, "edges"),
    ({"net_or_M": [2, 3, 1], "edges": [(3, 0)]}, ValueError, "edges"),
    ({"net_or_M": [2, 3, 1], "weights": True}, ValueError, "weights"),
    ({"net_or_M": [2, 3, 1], "highlight": (2, 2)}, ValueError, "highlight"),
    ({"net_or_M": [2, 3, 1], "highlight": (2, 1, 4)}, ValueError, "highlight"),
    ({"net_or_M": [2, 3, 1], "highlight": (2, 0, 1, 1)}, ValueError, "highlight"),
    ({"net_or_M": [2, 3, 1], "layer_names": ["a", "b"]}, ValueError, "layer_names"),
    ({"net_or_M": [2, 3, 1], "max_nodes": 1}, ValueError, "max_nodes"),
])
def test_draw_network_bad_input(kwargs, err, match):
    with pytest.raises(err, match=match):
        plot.draw_network(**kwargs)


def test_draw_network_rejects_edges_for_a_network():
    with pytest.raises(ValueError, match="edges"):
        plot.draw_network(MLP(M=[2, 3, 1], seed=0), edges=[(1, 0), (2, 1)])


# ---------------------------------------------------------------------------------------------
# decision_regions
# ---------------------------------------------------------------------------------------------

class _Counting:
    """A classifier x_1 > 0 that records how it is called."""

    def __init__(self):
        self.shapes = []

    def __call__(self, P):
        self.shapes.append(P.shape)
        return (P[:, 0] > 0).astype(int)


def _image_colours(ax):
    (im,) = [im for im in ax.images if im.get_gid() == "regions"]
    rgb = np.asarray(im.get_array())
    return im, np.unique(rgb.reshape(-1, rgb.shape[-1]), axis=0)


def test_decision_regions_calls_classify_once_on_the_grid():
    f = _Counting()
    ax = plot.decision_regions(f, bounds=(-1, 1, -1, 1), resolution=50)
    assert f.shapes == [(50 * 50, 2)]
    im, colours = _image_colours(ax)
    assert im.get_array().shape == (50, 50, 3)
    assert len(colours) == 2                                        # as many colours as classes
    assert ax.get_xlim() == (-1.0, 1.0) and ax.get_ylim() == (-1.0, 1.0)


def test_decision_regions_image_matches_the_classifier():
    ax = plot.decision_regions(lambda P: (P[:, 0] > 0).astype(int), bounds=(-1, 1, -2, 2), resolution=41)
    im, _ = _image_colours(ax)
    rgb = np.asarray(im.get_array())
    # origin lower: columns run along x_1, so the left half has one colour and the right half the other
    assert np.all(rgb[:, :20] == rgb[0, 0]) and np.all(rgb[:, 21:] == rgb[0, -1])
    assert not np.array_equal(rgb[0, 0], rgb[0, -1])
    assert im.get_extent()[0] < -1.0 < 1.0 < im.get_extent()[1]


def test_decision_regions_three_classes_samples_and_boundaries():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (60, 2))

    def classify(P):
        return np.digitize(P[:, 0], [-0.3, 0.3])                   # classes 0, 1, 2 in vertical bands

    t = classify(X)
    ax = plot.decision_regions(classify, X, t, resolution=80)
    _, colours = _image_colours(ax)
    assert len(colours) == 3
    points = [c for c in ax.collections if c.get_offsets().shape[0] and c.get_label().startswith("class")]
    assert sorted(c.get_label() for c in points) == ["class 0", "class 1", "class 2"]
    assert sum(len(c.get_offsets()) for c in points) == 60
    for c in points:                                                # samples: class colour, black edge
        assert np.allclose(c.get_edgecolor()[0][:3], 0.0)
    assert len(ax.collections) > len(points)                        # the boundary contour lines
    # bounds from X with a margin
    x_lo, x_hi = ax.get_xlim()
    assert x_lo < X[:, 0].min() and x_hi > X[:, 0].max()


def test_decision_regions_colour_follows_the_class_across_panels():
    fig, (a, b) = plt.subplots(1, 2)
    plot.decision_regions(lambda P: np.where(P[:, 0] > 0, 1, 2), bounds=(-1, 1, -1, 1), resolution=20, ax=a)
    plot.decision_regions(lambda P: np.where(P[:, 0] > 0, 1, 0), bounds=(-1, 1, -1, 1), resolution=20, ax=b)
    right_a = np.asarray(a.images[0].get_array())[0, -1]
    right_b = np.asarray(b.images[0].get_array())[0, -1]
    np.testing.assert_array_equal(right_a, right_b)                 # class 1 in both


def test_decision_regions_without_boundary():
    ax = plot.decision_regions(lambda P: (P[:, 0] > 0).astype(int), bounds=(-1, 1, -1, 1), resolution=20,
                               boundary=False)
    assert len(ax.collections) == 0


def test_regions_of_mlp_uses_net_classify():
    net = MLP(M=[2, 5, 3], g=["tanh", "linear"], seed=0)
    X = np.random.default_rng(1).normal(size=(30, 2))
    ax = plot.regions_of_mlp(net, X, net.classify(X), resolution=60)
    im, colours = _image_colours(ax)
    grid_classes = np.unique(net.classify(np.stack(np.meshgrid(np.linspace(*ax.get_xlim(), 60),
                                                               np.linspace(*ax.get_ylim(), 60)), -1)
                                           .reshape(-1, 2)))
    assert len(colours) == len(np.union1d(grid_classes, np.unique(net.classify(X))))
    with pytest.raises(ValueError, match="M_0 = 2"):
        plot.regions_of_mlp(MLP(M=[3, 2], seed=0))


@pytest.mark.parametrize("kwargs, err, match", [
    ({"X": np.zeros((5, 3))}, ValueError, r"X must have shape \(N, 2\)"),
    ({"X": np.zeros(5)}, ValueError, "X must have shape"),
    ({"X": np.array([["a", "b"]])}, TypeError, "X must be"),
    ({"X": [[0.0, np.nan]]}, ValueError, "X must be finite"),
    ({"X": np.zeros((5, 2)), "t": [0, 1]}, ValueError, "t must hold one class per sample"),
    ({"X": np.zeros((2, 2)), "t": [0.5, 1]}, ValueError, "t must"),
    ({"t": [0, 1]}, ValueError, "t needs"),
    ({}, ValueError, "bounds must be given"),
    ({"bounds": (1, -1, 0, 1)}, ValueError, "bounds"),
    ({"bounds": (0, 1, 0, 1), "resolution": 1}, ValueError, "resolution"),
])
def test_decision_regions_bad_input(kwargs, err, match):
    with pytest.raises(err, match=match):
        plot.decision_regions(lambda P: np.zeros(len(P), dtype=int), **kwargs)


@pytest.mark.parametrize("bad, err", [
    (lambda P: np.zeros(len(P) - 1, dtype=int), ValueError),       # wrong length
    (lambda P: np.zeros((len(P), 2), dtype=int), ValueError),       # one column per class, not argmax
    (lambda P: P[:, 0], ValueError),                                # not integers
    (lambda P: np.array(["a"] * len(P)), TypeError),
])
def test_decision_regions_bad_classifier(bad, err):
    with pytest.raises(err, match="classify must"):
        plot.decision_regions(bad, bounds=(-1, 1, -1, 1), resolution=10)
    with pytest.raises(TypeError, match="classify must"):
        plot.decision_regions("argmax", bounds=(-1, 1, -1, 1))


# ---------------------------------------------------------------------------------------------
# plot_timeline
# ---------------------------------------------------------------------------------------------

HISTORY = [
    (1943, "McCulloch & Pitts: a mathematical model of the neuron"),
    (1949, "Hebb's learning rule"),
    (1957, "Rosenblatt's perceptron; Widrow & Hoff's Adaline"),
    (1969, "Minsky & Papert: a perceptron is a linear discriminant"),
    (1970, 1975, "gradient descent for cascaded perceptrons proves elusive"),
    (1986, "Rumelhart, Hinton & Williams popularize backpropagation"),
    (1996, "Bishop, Ripley, Ney: a probabilistic interpretation"),
    (2006, "Hinton in Science: deep networks"),
    (2015, "LeCun, Bengio & Hinton, Deep learning, in Nature"),
]


def _label_boxes(ax):
    fig = ax.figure
    fig.canvas.draw()
    return [t.get_window_extent() for t in ax.texts if t.get_text()]


def test_timeline_one_marker_per_event():
    ax = plot.plot_timeline(HISTORY)
    (markers,) = [c for c in ax.collections if c.get_gid() == "events"]
    offsets = markers.get_offsets()
    assert len(offsets) == len(HISTORY)
    np.testing.assert_allclose(sorted(offsets[:, 0]), [1943, 1949, 1957, 1969, 1972.5, 1986, 1996, 2006, 2015])
    assert len([line for line in ax.lines if line.get_gid() == "span"]) == 1      # 1970-1975
    texts = [t.get_text() for t in ax.texts if t.get_text()]
    assert len(texts) == len(HISTORY) and any("1970–1975" in s for s in texts)
    assert tuple(ax.figure.get_size_inches()) == (10.0, 3.5)


def test_timeline_labels_alternate_and_do_not_overlap():
    ax = plot.plot_timeline(HISTORY)
    boxes = _label_boxes(ax)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    ys = [t.xyann[1] for t in ax.texts if t.get_text()]
    assert any(y > 0 for y in ys) and any(y < 0 for y in ys)
    fig_box = ax.figure.bbox
    for b in boxes:                                                  # nothing leaves the figure
        assert b.x0 >= fig_box.x0 and b.x1 <= fig_box.x1 and b.y0 >= fig_box.y0 and b.y1 <= fig_box.y1


def test_timeline_crowded_events_stay_apart():
    events = [(1970 + k, f"event number {k} with a fairly long label") for k in range(8)]
    ax = plot.plot_timeline(events)
    boxes = _label_boxes(ax)
    assert all(not a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_timeline_on_given_axes_and_unsorted_input():
    fig, ax = plt.subplots(figsize=(8, 3))
    assert plot.plot_timeline([(2006, "b"), (1943, "a")], ax=ax) is ax
    texts = [t.get_text() for t in ax.texts if t.get_text()]
    assert texts[0].endswith("a") and texts[1].endswith("b")


@pytest.mark.parametrize("events, err, match", [
    ([], ValueError, "events"),
    ("1943", TypeError, "events"),
    ([(1943,)], ValueError, "events"),
    ([("1943", "x")], ValueError, "events"),
    ([(1975, 1970, "x")], ValueError, "events"),
])
def test_timeline_bad_input(events, err, match):
    with pytest.raises(err, match=match):
        plot.plot_timeline(events)
