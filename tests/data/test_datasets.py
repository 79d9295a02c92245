"""nnlib.data.datasets: shapes, labels, reproducibility from the seed, the defining geometry, bad input."""
import numpy as np
import pytest

from nnlib.book import explore
from nnlib.data import datasets as ds

GENERATORS = {
    "blobs": lambda **k: ds.blobs(90, **k),
    "xor": lambda **k: ds.xor(100, **k),
    "moons": lambda **k: ds.moons(200, **k),
    "spirals": lambda **k: ds.spirals(200, noise=0.05, **k),
    **{f"make_dataset-{name}": (lambda name: lambda **k: ds.make_dataset(name, 200, **k))(name)
       for name in ds.DATASETS},
}


@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
def test_shapes_labels_and_seed(make):
    X, t = make(seed=0)
    assert X.shape == (len(t), 2) and X.dtype == np.float64 and np.all(np.isfinite(X))
    assert t.ndim == 1 and np.issubdtype(t.dtype, np.integer) and t.min() == 0
    X_again, t_again = make(seed=0)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(t, t_again)
    X_other, _ = make(seed=1)
    assert not np.allclose(X, X_other)


def test_blobs_are_clusters_around_their_centres():
    centres = np.array([[-3.0, 0.0], [3.0, 0.0], [0.0, 4.0]])
    X, t = ds.blobs(3000, centres, std=0.5, seed=2)
    assert np.bincount(t).tolist() == [1000, 1000, 1000]
    for k in range(3):
        np.testing.assert_allclose(X[t == k].mean(axis=0), centres[k], atol=0.1)
        np.testing.assert_allclose(X[t == k].std(axis=0), 0.5, rtol=0.1)


def test_blobs_shared_labels_and_other_dimensions():
    X, t = ds.blobs(8, centres=np.zeros((4, 3)), std=1.0, labels=[1, 0, 0, 1])
    assert X.shape == (8, 3) and t.tolist() == [1, 1, 0, 0, 0, 0, 1, 1]


def test_xor_labels_are_exclusive_or_of_the_nearest_corner():
    X, t = ds.xor(400, noise=0.1, seed=3)
    corner = np.round(np.clip(X, 0, 1)).astype(int)
    assert np.mean((corner[:, 0] ^ corner[:, 1]) == t) > 0.99
    assert np.bincount(t).tolist() == [200, 200]


def test_moons_lie_on_their_half_circles_without_noise():
    X, t = ds.moons(500, noise=0.0, seed=4)
    upper, lower = X[t == 0], X[t == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(upper[:, 1] >= 0) and np.all(lower[:, 1] <= 0.5)
    assert 200 < len(upper) < 300


def test_spirals_geometry_without_noise():
    X, t = ds.spirals(400, turns=1.5, inner=0.05, scale=2.0, seed=5)
    half = 200
    assert t.tolist() == [0] * half + [1] * half
    np.testing.assert_array_equal(X[half:], -X[:half])               # class 1 is class 0 turned by 180°
    r = np.hypot(*X[:half].T) / 2.0
    assert r.min() >= np.sqrt(0.05) - 1e-12 and r.max() <= 1.0 + 1e-12
    angle = np.arctan2(X[:half, 1], X[:half, 0])
    np.testing.assert_allclose(np.cos(angle), np.cos(1.5 * 2 * np.pi * r), atol=1e-9)


def test_spirals_noise_is_added_last():
    clean, _ = ds.spirals(200, noise=0.0, seed=6)
    noisy, _ = ds.spirals(200, noise=0.1, seed=6)
    assert 0.07 < np.std(noisy - clean) < 0.13


def test_a_generator_as_seed_gives_a_training_and_a_test_set():
    rng = np.random.default_rng(7)
    X_train, _ = ds.moons(50, seed=rng)
    X_test, _ = ds.moons(50, seed=rng)
    assert not np.allclose(X_train, X_test)
    rng = np.random.default_rng(7)
    np.testing.assert_array_equal(ds.moons(50, seed=rng)[0], X_train)


def test_explore_reexports_make_dataset():
    assert explore.make_dataset is ds.make_dataset and explore.DATASETS == ds.DATASETS


@pytest.mark.parametrize("call, error, words", [
    (lambda: ds.blobs(91), ValueError, ["N", "multiple of 3", "91"]),
    (lambda: ds.blobs(2.5), TypeError, ["N", "int"]),
    (lambda: ds.blobs(6, std=-1), ValueError, ["std", ">= 0"]),
    (lambda: ds.blobs(6, centres=[1, 2]), ValueError, ["centres", "(K, d)"]),
    (lambda: ds.blobs(6, labels=[0, 1]), ValueError, ["labels", "3"]),
    (lambda: ds.xor(10), ValueError, ["N", "multiple of 4"]),
    (lambda: ds.moons(0), ValueError, ["N", "positive"]),
    (lambda: ds.moons(10, noise=float("nan")), ValueError, ["noise", "finite"]),
    (lambda: ds.moons(10, seed=-1), TypeError, ["seed", "-1"]),
    (lambda: ds.moons(10, seed="a"), TypeError, ["seed"]),
    (lambda: ds.spirals(11), ValueError, ["N", "multiple of 2", "11"]),
    (lambda: ds.spirals(10, turns=0), ValueError, ["turns", "> 0"]),
    (lambda: ds.spirals(10, inner=1.0), ValueError, ["inner", "[0, 1)"]),
    (lambda: ds.spirals(10, scale=0), ValueError, ["scale", "> 0"]),
    (lambda: ds.make_dataset("moon"), ValueError, ["dataset", "circle", "'moon'"]),
    (lambda: ds.make_dataset("circle", noise=-0.1), ValueError, ["noise", ">= 0"]),
])
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_read_csv_gives_one_dict_per_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("year,note\n2012,\"AlexNet, deep\"\n2015,ResNet\n", encoding="utf-8")
    assert ds.read_csv(path) == [{"year": "2012", "note": "AlexNet, deep"}, {"year": "2015", "note": "ResNet"}]
