"""nnlib.book.explore (pure computations) and nnlib.book.widgets (live explorers and static frame sliders).

The pure functions are checked at extreme slider values: finite arrays, the right status and diverged flag.
The widgets are built and their callbacks run once with the Agg backend. A slow test builds a one-page book
with a frames widget and checks in chromium, with no kernel, that moving the slider changes the image.
"""
import subprocess
import sys
import timeit
from pathlib import Path

import numpy as np
import pytest

from nnlib.book import explore

ROOT = Path(__file__).resolve().parents[2]
# Agg for this process only: an MPLBACKEND set here would leak into other tests' subprocesses
# (the book build's kernels would then draw no inline figures).
import matplotlib  # noqa: E402

matplotlib.use("Agg")


def _finite(*arrays):
    return all(np.all(np.isfinite(np.asarray(a, dtype=float))) for a in arrays if a is not None)


# --------------------------------------------------------------------------------- import hygiene

def test_import_nnlib_does_not_import_widgets():
    code = "import sys, nnlib, nnlib.book.explore; print('nnlib.book.widgets' in sys.modules, 'ipywidgets' in sys.modules, " \
           "'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "False"]


# --------------------------------------------------------------------------------- gd_quadratic

@pytest.mark.parametrize("rho, status", [(0.5, "monotone convergence"), (1.0, "one-step convergence"),
                                         (1.5, "oscillating convergence"), (2.0, "bounded oscillation"),
                                         (3.0, "divergence"), (1e-4, "monotone convergence"),
                                         (0.6, "monotone convergence"), (1.3, "oscillating convergence")])
def test_rho_regimes_on_1d_quadratic(rho, status):
    run = explore.gd_quadratic(rho, curvature=(1.0,), steps=30)
    assert run.status == status
    assert _finite(run.theta, run.q)
    th = run.theta[:, 0]
    factor = abs(1 - rho)
    if status == "one-step convergence":
        assert th[1] == 0.0 and run.q[1] == 0.0                     # ρ = 1/λ: the minimum in one step
    if status == "monotone convergence":
        assert np.all(np.diff(th) <= 0) and np.all(th >= 0)         # monotone, no overshoot
    if status == "oscillating convergence":
        assert np.all(np.sign(th[1:6]) == -np.sign(th[:5]))         # the sign flips every step...
        assert abs(th[-1]) < abs(th[0])                             # ...with shrinking amplitude
    if status in ("monotone convergence", "oscillating convergence", "divergence"):
        # the amplitude changes by exactly |1 − ρξ| per step, the factor the title prints
        assert np.allclose(np.abs(th[1:6]), factor * np.abs(th[:5]), rtol=1e-12)
        assert f"factor |1 − ρξ| = {factor:.3g}" in run.text
    if status == "bounded oscillation":
        assert np.allclose(np.abs(th), 1.0) and not run.diverged    # ρξ = 2: constant amplitude, for ever
        assert np.all(np.sign(th[1:]) == -np.sign(th[:-1]))
    if status == "divergence":
        assert abs(th[-1]) > abs(th[0])


def test_regimes_ordered_by_their_factor():
    # the speed is the factor |1 − ρξ|, not the side of 1: ρξ = 0.6 (factor 0.4) beats 0.2 (0.8) and the
    # oscillating 1.5 (0.5), and the oscillating 1.3 (0.3) beats 0.6
    q = {r: explore.gd_quadratic(r, curvature=(1.0,), steps=20).q[-1] for r in (0.2, 0.6, 1.3, 1.5)}
    assert q[0.6] < q[1.5] / 10 and q[0.6] < q[0.2] / 1e6 and q[1.3] < q[0.6] / 10


def test_rho_regime_function():
    assert explore.rho_regime(0.1, 10.0, dim=1) == "one-step convergence"
    assert explore.rho_regime(0.1, 10.0, dim=2) == "along ξ_max: one-step convergence"
    assert explore.rho_regime(0.05, 10.0) == "monotone convergence"
    assert explore.rho_regime(0.15, 10.0) == "oscillating convergence"
    assert explore.rho_regime(0.2, 10.0) == "bounded oscillation"
    assert explore.rho_regime(0.25, 10.0) == "divergence"
    assert explore.regime_title(0.06, 10.0) == "ρξ = 0.6: monotone convergence, factor |1 − ρξ| = 0.4"
    assert explore.regime_title(0.2, 10.0) == "ρξ = 2: bounded oscillation"


@pytest.mark.parametrize("rho, lam, status", [
    (1 / 3, 3.0, "one-step convergence"), (0.1, 10.0, "one-step convergence"), (0.7, 1 / 0.7, "one-step convergence"),
    (1 / 3, 6.0, "bounded oscillation"), (0.2, 10.0, "bounded oscillation"), (0.7, 2 / 0.7, "bounded oscillation"),
    (1 - 1e-6, 1.0, "monotone convergence"), (1 + 1e-6, 1.0, "oscillating convergence"),
    (2 - 1e-6, 1.0, "oscillating convergence"), (2 + 1e-6, 1.0, "divergence")])
def test_rho_regime_boundaries_in_float(rho, lam, status):
    # ρξ computed in float lands on 1 and 2 (within rounding); a step of 1e-6 past them does not
    assert explore.rho_regime(rho, lam) == status


def test_rho_regime_refuses_bad_input():
    for rho, lam in [(0.0, 1.0), (-1.0, 1.0), (1.0, float("nan")), (float("inf"), 1.0)]:
        with pytest.raises(ValueError, match="rho"):
            explore.rho_regime(rho, lam)


@pytest.mark.parametrize("rho", [1e-4, 0.1, 0.19, 10.0, 100.0])
def test_gd_quadratic_2d_extremes(rho):
    run = explore.gd_quadratic(rho, curvature=(1.0, 10.0), steps=50)
    assert _finite(run.theta, run.q)
    assert run.theta.shape[1] == 2 and len(run.theta) == len(run.q) >= 1
    assert run.diverged == (rho >= 10)
    assert (run.status == "along ξ_max: divergence") == (rho >= 10)
    if run.diverged:
        assert len(run.q) < 51                                       # stopped at the blow-up
    else:
        assert len(run.q) == 51


@pytest.mark.parametrize("rho", [1e-4, 0.1, 10.0, 100.0])
def test_gd_mlp(rho):
    run = explore.gd_mlp(rho, epochs=60)
    assert _finite(run.q) and len(run.q) >= 1
    assert run.diverged == (rho >= 10)
    if rho == 0.1:
        assert run.q[-1] < run.q[0]


@pytest.mark.parametrize("optimizer, loss, B, lam", [("sgd", "squared_error", 40, 0.0), ("momentum", "squared_error", 7, 0.0),
                                                ("adam", "cross_entropy", 1, 0.01), ("sgd", "cross_entropy", 10, 0.1)])
def test_explorer_training_is_the_formulas(optimizer, loss, B, lam):
    """explore trains on nnlib's fast path (Workspace, opt.apply): block by block, the same weights and q_S as
    backprop.gradient, the L2 term and opt.step, to 1e-12 (float64)."""
    from nnlib import optim
    from nnlib.loop import blocks
    from nnlib.mlp import MLP, backprop
    if loss == "squared_error":
        X, t = explore._regression_task()
        net = MLP((1, 5, 1), g=["tanh", "linear"], seed=0)
    else:
        X, t = explore.make_dataset("xor", 60, 0.1, 0)
        net = MLP((2, 5, 3, 2), g=["tanh", "relu", "softmax"], seed=0)
    ref = net.copy()
    hist, _, diverged = explore._train(net, X, t, optim.get(optimizer, rho=0.05), 3, B,
                                       np.random.default_rng(1), loss, lam)
    opt, rng, q = optim.get(optimizer, rho=0.05), np.random.default_rng(1), []
    for epoch in range(3):
        for b in blocks(len(X), B, rng):
            _, grad = backprop.gradient(ref, X[b], t[b], loss=loss)
            for l in range(1, ref.L + 1):
                grad[l][:, 1:] += lam * ref.theta[l][:, 1:]              # the gradient of (λ/2) Σ w²
            opt.step(ref.theta, grad)
        q.append(backprop.cost(ref, X, t, loss))
    assert not diverged and hist.updates == [-(-len(X) // B) * k for k in (1, 2, 3)]
    np.testing.assert_allclose(hist.q, q, rtol=1e-12)
    for l in range(1, ref.L + 1):
        np.testing.assert_allclose(net.theta[l], ref.theta[l], rtol=1e-12, atol=1e-14)


# --------------------------------------------------------------------------------- convergence

OPTS = explore.optimizer_names()


@pytest.mark.parametrize("problem", ["valley", "plateau", "rosenbrock"])
@pytest.mark.parametrize("optimizer", OPTS)
def test_convergence_run_every_optimizer_and_problem(optimizer, problem):
    for rho in (1e-4, 10.0, 100.0):
        for nu in (0.0, 0.99):
            r = explore.convergence_run(optimizer, rho, nu, problem, steps=60)
            assert _finite(r.theta, r.q, r.dtheta)
            assert r.theta.shape == (len(r.q), 2) and len(r.dtheta) == len(r.q) - 1
            assert list(r.updates) == list(range(len(r.q)))
            assert r.stops["max_iterations"] == 60
            if not r.diverged:
                assert len(r.q) == 61


def test_sgd_diverges_and_stops():
    r = explore.convergence_run("sgd", 100.0, problem="valley", steps=50)
    assert r.diverged and len(r.q) < 51
    assert explore.convergence_run("sgd", 1e-4, problem="valley", steps=50).diverged is False


def test_stopping_conditions():
    r = explore.convergence_run("momentum", 0.1, 0.9, "valley", steps=400, tol_q=1e-6, tol_dtheta=1e-4)
    k = r.stops["tol_q"]
    assert k is not None and r.q[k] < 1e-6 and np.all(r.q[:k] >= 1e-6)
    kd = r.stops["tol_dtheta"]
    assert kd is not None and r.dtheta[kd - 1] < 1e-4
    assert r.first_stop in ("tol_q", "tol_dtheta")
    slow = explore.convergence_run("sgd", 1e-4, problem="valley", steps=20, tol_q=1e-6, tol_dtheta=None)
    assert slow.stops["tol_q"] is None and slow.stops["tol_dtheta"] is None
    assert slow.first_stop == "max_iterations"


def test_momentum_with_nu_zero_is_sgd():
    a = explore.convergence_run("momentum", 0.05, 0.0, "valley", steps=30)
    b = explore.convergence_run("sgd", 0.05, problem="valley", steps=30)
    assert np.allclose(a.theta, b.theta)


def test_momentum_speeds_up_the_valley():
    sgd = explore.convergence_run("sgd", 0.02, problem="valley", steps=150)
    mom = explore.convergence_run("momentum", 0.02, 0.9, "valley", steps=150)
    assert mom.q[-1] < sgd.q[-1] / 100


def test_compare_optimizers():
    runs = explore.compare_optimizers(problem="valley", steps=100)
    assert set(runs) == set(OPTS)
    for r in runs.values():
        assert _finite(r.theta, r.q) and not r.diverged


@pytest.mark.parametrize("optimizer", OPTS)
def test_mlp_methods(optimizer):
    for rho in (1e-4, 0.01, 100.0):
        runs = explore.compare_methods(optimizer, rho, nu=0.99, epochs=5, B=10)
        assert set(runs) == {"batch", "minibatch", "incremental"}
        for m, r in runs.items():
            assert r.theta is None and _finite(r.q, r.dtheta, r.updates)
            assert r.updates[0] == 0 and len(r.updates) == len(r.q)
            if not r.diverged:
                per_epoch = {"batch": 1, "minibatch": 4, "incremental": 40}[m]
                assert list(r.updates) == [per_epoch * k for k in range(6)]
    assert explore.compare_methods("sgd", 100.0, epochs=5)["batch"].diverged


# --------------------------------------------------------------------------------- playground

@pytest.mark.parametrize("dataset", explore.DATASETS)
def test_datasets(dataset):
    for noise in (0.0, 0.5):
        X, t = explore.make_dataset(dataset, 100, noise, seed=1)
        assert X.shape == (100, 2) and set(np.unique(t)) == {0, 1} and _finite(X)


def _check_playground(res, epochs):
    assert _finite(res.proba, res.q_train, res.q_test, res.grid_x1, res.grid_x2)
    assert res.proba.shape == (len(res.grid_x2), len(res.grid_x1))
    assert np.all((res.proba >= 0) & (res.proba <= 1))
    assert len(res.q_train) == len(res.q_test) >= 1
    assert 0 <= res.acc_train <= 1 and 0 <= res.acc_test <= 1
    if not res.diverged:
        assert len(res.q_train) == epochs + 1


@pytest.mark.parametrize("dataset", explore.DATASETS)
@pytest.mark.parametrize("optimizer", OPTS)
def test_playground_extremes(dataset, optimizer):
    for rho, hidden, noise, lam in ((1e-4, (), 0.0, 0.0), (100.0, (8, 8), 0.5, 1.0), (10.0, (4,), 0.1, 0.0)):
        res = explore.playground(dataset, noise, hidden, "tanh", rho, 10, optimizer, lam, epochs=3,
                                 resolution=20)
        _check_playground(res, 3)
    assert not explore.playground(dataset, 0.1, (), "tanh", 1e-4, 10, optimizer, 0.0, epochs=3,
                                  resolution=20).diverged


def test_playground_diverges_with_huge_rho():
    res = explore.playground("circle", rho=100.0, hidden=(8, 8), activation="relu", epochs=20, resolution=20)
    assert res.diverged and len(res.q_train) < 21
    _check_playground(res, 20)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "linear"])
def test_playground_activations(activation):
    _check_playground(explore.playground("xor", activation=activation, epochs=5, resolution=10), 5)


def test_playground_learns_and_l2_shrinks_weights():
    res = explore.playground("gauss", noise=0.0, hidden=(4,), rho=0.1, epochs=30)
    assert res.acc_test >= 0.95 and res.q_train[-1] < res.q_train[0]
    big = explore.playground("xor", hidden=(8,), rho=0.1, lam=1.0, epochs=30)
    assert big.q_train[-1] > 0.6                     # λ = 1 pulls the weights to 0: the net cannot fit xor


def test_playground_is_fast():
    explore.playground()
    t = min(timeit.repeat(lambda: explore.playground(), number=1, repeat=5))
    print(f"\nplayground() with default settings: {t * 1000:.0f} ms (target 150 ms)")
    assert t < 1.5                                   # a sanity bound only; the target is 150 ms


# --------------------------------------------------------------------------------- widgets

@pytest.fixture
def agg():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    yield
    plt.close("all")


def test_frames_widget_structure(agg):
    import ipywidgets as w
    from nnlib.book import widgets
    box = widgets.learning_rate_frames(rhos=(0.5, 1.0, 2.5), steps=5)
    slider, stack = box.children
    assert isinstance(slider, w.SelectionSlider) and isinstance(stack, w.Stack)
    assert len(stack.children) == 3 and all(isinstance(i, w.Image) for i in stack.children)
    assert all(i.value[:4] == b"\x89PNG" for i in stack.children)
    assert len({i.value for i in stack.children}) == 3
    from ipywidgets.widgets.widget_link import Link
    assert isinstance(box.link, Link), "the slider is not jslinked to the stack"
    assert box.link.source == (slider, "index") and box.link.target == (stack, "selected_index")


def test_frames_widget_rejects_bad_labels(agg):
    from nnlib.book import widgets
    with pytest.raises(ValueError, match="labels"):
        widgets.frames_widget(lambda v: b"", [1, 2], labels=["a", "a"])
    with pytest.raises(ValueError, match="values"):
        widgets.frames_widget(lambda v: b"", [])


def test_convergence_and_playground_frames(agg):
    from nnlib.book import widgets
    b = widgets.convergence_frames(values=(0.0, 0.9), steps=20)
    assert len(b.children[1].children) == 2
    b = widgets.playground_frames("lam", values=(0.0, 1.0), epochs=2, resolution=15)
    assert len(b.children[1].children) == 2
    b = widgets.playground_frames("hidden", values=((), (8, 8)), epochs=2, resolution=15)
    assert b.children[0].options[0][0] == "()"


def test_frames_fit_the_column_with_legible_text(agg):
    """A pre-rendered frame is at most the column's 688 px wide, and its smallest text at least 9 px (#15)."""
    import io

    from PIL import Image

    from nnlib.book import figures, widgets
    figures.install()
    boxes = [widgets.learning_rate_frames(rhos=(0.5, 2.5), steps=5),
             widgets.convergence_frames(values=(0.0, 0.9), steps=20),
             widgets.playground_frames("lam", values=(0.0, 1.0), epochs=2, resolution=15)]
    for box in boxes:
        for image in box.children[1].children:
            width = Image.open(io.BytesIO(bytes(image.value))).size[0]
            texts, dpi = figures.png_info(image.value)
            assert width <= 688, f"a frame is {width} px wide, wider than the column"
            assert float(texts[figures.MIN_FONT_KEY]) / 72 * dpi >= 9, texts


def test_live_explorers_mark_themselves_for_the_static_book(agg):
    """The static book replaces a live explorer by a note (CSS class nnlib-live): its controls need a kernel."""
    from nnlib.book import widgets
    for make in (widgets.learning_rate_explorer, widgets.convergence_explorer, widgets.playground_widget):
        assert "nnlib-live" in make()._dom_classes
    assert "nnlib-live" not in widgets.learning_rate_frames(rhos=(0.5,), steps=3)._dom_classes


def test_live_explorers_construct_and_draw(agg):
    import ipywidgets as w
    from nnlib.book import widgets
    lr = widgets.learning_rate_explorer()
    assert isinstance(lr, w.VBox)
    for rho in (1e-4, 10.0):
        lr._draw(rho, (1.0, 10.0), 20)
        lr._draw(rho, (1.0,), 20)
    cv = widgets.convergence_explorer()
    for problem in explore.PROBLEMS:
        cv._draw("momentum", 0.02, 0.99, problem, 20)
        cv._draw("sgd", 100.0, 0.0, problem, 20)
    pg = widgets.playground_widget()
    pg._draw("spiral", 0.5, 2, 8, "tanh", "sgd", 0.03, 10, 1.0, True, 2)
    pg._draw("circle", 0.0, 0, 4, "relu", "sgd", 10.0, 1, 1e-4, False, 2)


def test_plots_never_empty_when_diverged(agg):
    from nnlib.book import widgets
    fig = widgets.plot_quadratic(explore.gd_quadratic(100.0))
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "diverged" in texts
    fig = widgets.plot_playground(explore.playground(rho=100.0, hidden=(8, 8), activation="relu", epochs=5,
                                                     resolution=10))
    assert "diverged" in [t.get_text() for ax in fig.axes for t in ax.texts]


# --------------------------------------------------------------------------------- static book, in a browser

@pytest.mark.slow
@pytest.mark.xdist_group("widget_book")
def test_widgets_are_drawn_offline(widget_book, serve, open_page):
    page, outside, errors = open_page(f"{serve(widget_book)}/index.html")
    page.wait_for_selector(".widget-slider", timeout=20000)
    assert "rho" in page.locator(".widget-slider").first.inner_text()
    assert not outside, f"the widget page tried to reach the internet: {outside}"
    assert not errors, f"JavaScript errors on the widget page: {errors}"


@pytest.mark.slow
@pytest.mark.xdist_group("widget_book")
def test_frames_widget_works_without_kernel(widget_book, serve, open_page):
    page, outside, errors = open_page(f"{serve(widget_book)}/index.html")
    page.wait_for_selector(".nnlib-frames .widget-slider", timeout=20000)

    def visible():
        return page.evaluate("""() => Array.from(document.querySelectorAll('.nnlib-frames img'))
            .filter(i => i.offsetParent !== null && i.getBoundingClientRect().height > 0)
            .map(i => i.src)""")
    first = visible()
    assert len(first) == 1, f"expected one visible frame, got {len(first)}"
    readout = page.locator(".nnlib-frames .widget-readout").first
    assert readout.inner_text().strip() == "0.5"
    handle = page.locator(".nnlib-frames .noUi-handle, .nnlib-frames .ui-slider-handle").first
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.nnlib-frames .widget-readout')"
                           ".innerText.trim() === '1'", timeout=5000)
    page.wait_for_timeout(300)
    second = visible()
    assert len(second) == 1 and second != first, "moving the slider did not change the frame"
    handle.press("ArrowRight")
    handle.press("ArrowRight")
    page.wait_for_timeout(300)
    third = visible()
    assert len(third) == 1 and third not in (first, second)
    assert not outside, f"the page tried to reach the internet: {outside}"
    assert not errors, f"JavaScript errors: {errors}"
