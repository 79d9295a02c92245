"""The handwritten digits of chapters 6 and 7: scikit-learn's 8 × 8 images and the book's fixed split.

:func:`split` gives the 1797 images scaled to [0, 1] and split once, stratified, into 1347 training and 450
test images (``train_test_split(test_size=0.25, random_state=0, stratify=y)``): the split of the CNN page,
the classification page and exercise 23, so their numbers can be compared.

scikit-learn ships the images; it is imported when :func:`split` is called, so ``import nnlib`` needs numpy
only.
"""

__all__ = ["split"]


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
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    if images:
        X = X.reshape(-1, 1, 8, 8)
    return train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
