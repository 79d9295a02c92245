"""nnlib.data.digits.load/split and nnlib.data.prices.goog: the digits, the book's fixed split and Google's prices."""

import subprocess
import sys

import numpy as np
import pytest

from nnlib.data import digits, prices


def test_digits_split_sizes_range_and_stratification():
    X_train, X_test, y_train, y_test = digits.split()
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert X_train.min() == 0 and max(X_train.max(), X_test.max()) == 1
    assert set(y_test) == set(range(10))
    share_train, share_test = np.bincount(y_train) / len(y_train), np.bincount(y_test) / len(y_test)
    assert np.abs(share_train - share_test).max() < 0.01       # stratified: the same share of each digit


def test_digits_images_are_the_rows_reshaped():
    rows = digits.split()
    imgs = digits.split(images=True)
    assert imgs[0].shape == (1347, 1, 8, 8) and imgs[1].shape == (450, 1, 8, 8)
    assert np.array_equal(imgs[0].reshape(1347, 64), rows[0]) and np.array_equal(imgs[3], rows[3])


def test_digits_split_is_fixed():
    a, b = digits.split(), digits.split()
    assert all(np.array_equal(u, v) for u, v in zip(a, b))


def test_digits_load_is_scikit_learns():
    from sklearn.datasets import load_digits

    X, y = digits.load()
    X_sk, y_sk = load_digits(return_X_y=True)
    assert X.dtype == X_sk.dtype and y.dtype == y_sk.dtype
    assert np.array_equal(X, X_sk) and np.array_equal(y, y_sk)


def test_digits_split_is_scikit_learns_train_test_split():
    """The stored order (nnlib/data/_digits_order.py) is the one train_test_split gives."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    expected = train_test_split(X / 16.0, y, test_size=0.25, random_state=0, stratify=y)
    for ours, theirs in zip(digits.split(), expected):
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)


def test_digits_split_does_not_import_scikit_learn():
    code = ("import sys; from nnlib.data import digits; digits.split(); "
            "print([m for m in ('sklearn', 'scipy') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_digits_images_must_be_bool():
    with pytest.raises(TypeError, match="images must be a bool"):
        digits.split(images=1)


def test_goog_prices():
    dates, price = prices.goog()
    assert len(dates) == len(price) == 1047
    assert str(dates[0]) == "2004-08-19" and str(dates[-1]) == "2008-10-14"
    assert price.dtype.kind == "f" and price.min() > 0


def test_goog_close_needs_no_adjustment():
    import matplotlib.cbook as cbook

    data = cbook.get_sample_data("goog.npz")["price_data"]
    assert np.array_equal(data["adj_close"], prices.goog()[1])   # no splits or dividends in this period
