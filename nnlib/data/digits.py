"""The handwritten digits of the book: scikit-learn's 8 × 8 images and the book's fixed split.

:func:`load` gives the 1797 images as scikit-learn's ``load_digits(return_X_y=True)`` does, and :func:`split`
gives them scaled to [0, 1] and split once, stratified, into 1347 training and 450 test images
(``train_test_split(test_size=0.25, random_state=0, stratify=y)``): the split of the CNN page, the
classification page and exercise 23, so their numbers can be compared.

scikit-learn ships the images, in the file ``sklearn/datasets/data/digits.csv.gz`` (one image a row: 64 grey
levels 0..16, then the digit). Both functions read that file with numpy and never import scikit-learn, whose
import costs about a second (it loads SciPy's statistics); the order of the split is stored in
``nnlib/data/_digits_order.py`` and a test computes it again with scikit-learn. ``import nnlib`` needs numpy
only.
"""

import importlib.util
from pathlib import Path

import numpy as np

from ._digits_order import TEST, TRAIN

__all__ = ["load", "split"]


def _data_file():
    """The path of scikit-learn's ``digits.csv.gz``, found without importing scikit-learn."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("the digits ship with scikit-learn, which is not installed: "
                                  "pip install scikit-learn")
    return Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz"


def load():
    """All 1797 digits, as ``sklearn.datasets.load_digits(return_X_y=True)`` gives them.

    Returns
    -------
    X : ndarray, shape (1797, 64)
        One image a row, 8 × 8 pixels row by row, grey levels 0..16 (float64).
    y : ndarray of int, shape (1797,)
        The digits 0..9.
    """
    data = np.loadtxt(_data_file(), delimiter=",")
    return data[:, :-1], data[:, -1].astype(int)


def split(images=False):
    """The digits, pixels in [0, 1], split 1347 / 450 (stratified, ``random_state=0``).

    Parameters
    ----------
    images : bool, default False
        False: each sample a row of 64 pixels, ``X`` of shape (N, 64), the input of an MLP.
        True: each sample an image with one channel, ``X`` of shape (N, 1, 8, 8) (NCHW), the input of a CNN.

    Returns
    -------
    X_train, X_test : ndarray
        (1347, 64) and (450, 64), or (1347, 1, 8, 8) and (450, 1, 8, 8); grey levels ``pixel / 16``.
    y_train, y_test : ndarray of int
        The digits 0..9; every digit has the same share of both sets.

    Raises
    ------
    TypeError
        If `images` is not a bool.
    """
    if not isinstance(images, bool):
        raise TypeError(f"images must be a bool (True: (N, 1, 8, 8) images, False: (N, 64) rows); "
                        f"got {type(images).__name__}")
    X, y = load()
    X = X / 16.0
    if images:
        X = X.reshape(-1, 1, 8, 8)
    train, test = list(TRAIN), list(TEST)
    return X[train], X[test], y[train], y[test]
