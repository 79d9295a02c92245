r"""Artificial data augmentation (*aumento de datos artificiales*): new training samples made from real ones.

The slide lists five transformations of images and three of text; each is one function here, and
:class:`ImageAugmenter` draws random ones for every mini-batch, so ``Sequential.fit(augment=...)`` trains on
fresh copies each epoch and never stores them.

Images
    :func:`hflip` (horizontal flip, *giro horizontal*), :func:`rotate` (rotation by an angle, bilinear
    interpolation, zero fill), :func:`shift`, :func:`crop` (a window of h × w pixels, resized back to the
    image's size by default), :func:`adjust` (brightness, contrast and gamma: the *transformaciones de color*
    of a grey-level image) and :func:`add_noise` (Gaussian noise, clipped to the valid range).
Text
    :func:`substitute` (synonyms from a dictionary), :func:`insert` (random words from a vocabulary) and
    :func:`delete` (random words removed, never all of them).

Images are one image (H, W), a batch (N, H, W), or a flattened batch (N, H·W) when ``shape=(H, W)`` is given
(the rows of a data matrix such as scikit-learn's digits, ``shape=(8, 8)``); the result has the layout of the
input, and the input is never changed. Grey levels live in ``value_range`` (default (0, 1)); brightness and
noise are given as fractions of that range. Rows grow downwards and columns to the right, as in an image.
Randomness comes from a numpy ``Generator`` (``np.random.default_rng(seed)``, or the augmenter's own seeded
one): the same generator state gives the same result.
"""

import numpy as np

from .._validate import as_real_array, check_int, check_nonnegative, check_unit

__all__ = ["hflip", "rotate", "shift", "crop", "adjust", "add_noise", "ImageAugmenter",
           "substitute", "insert", "delete"]


# ------------------------------------------------------------------------------------------ input checks

def _images(img, shape=None, name="img"):
    """`img` as an (N, H, W) float array and a function that puts an (N, H', W') result back in its layout."""
    x = as_real_array(img, name)
    if shape is not None:
        if not isinstance(shape, (tuple, list)) or len(shape) != 2:
            raise ValueError(f"shape must be a pair of integers (H, W) >= 1; got {shape!r}")
        shape = (check_int(shape[0], "shape[0]", 1, "H, the image height"),
                 check_int(shape[1], "shape[1]", 1, "W, the image width"))
    layouts = "an image (H, W), a batch (N, H, W), or a flattened batch (N, H*W) with shape=(H, W)"
    if x.ndim == 3 and (shape is None or x.shape[1:] == shape):
        batch, restore = x, lambda y: y
    elif x.ndim == 2 and shape is None:
        batch, restore = x[None], lambda y: y[0]
    elif x.ndim == 2 and x.shape[1] == shape[0] * shape[1]:
        batch, restore = x.reshape(x.shape[0], *shape), lambda y: y.reshape(y.shape[0], -1)
    elif x.ndim == 2:
        raise ValueError(f"{name} of shape {x.shape} cannot hold flattened images of shape={shape}: each row must "
                         f"have H*W = {shape[0] * shape[1]} entries")
    else:
        raise ValueError(f"{name} must be {layouts}; got shape {x.shape}")
    if min(batch.shape) == 0:
        raise ValueError(f"{name} must hold at least one image of at least one pixel; got shape {x.shape}")
    return batch, restore


def _range(value_range):
    try:
        lo, hi = (float(v) for v in value_range)
    except (TypeError, ValueError):
        raise ValueError(f"value_range must be a pair (lo, hi) of numbers; got {value_range!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"value_range must be finite with lo < hi; got {value_range!r}")
    return lo, hi


def _in_range(x, lo, hi, name):
    if x.min() < lo or x.max() > hi:
        raise ValueError(f"{name} must have values in value_range=({lo:g}, {hi:g}); got values in "
                         f"[{x.min():g}, {x.max():g}] (pass the range of your data, e.g. value_range=(0, 16))")


def _per_image(value, N, name, low=-np.inf, high=np.inf, closed_low=True):
    """A number or one number per image, as an (N, 1, 1) array, or a ValueError naming `name`."""
    v = as_real_array(value, name)
    if v.ndim > 1 or (v.ndim == 1 and v.shape[0] != N):
        raise ValueError(f"{name} must be a number or one number per image ({N},); got shape {v.shape}")
    if (v < low).any() or (v > high).any() or (not closed_low and (v == low).any()):
        bracket = "[" if closed_low else "("
        raise ValueError(f"{name} must be in {bracket}{low:g}, {high:g}]; got {value!r}")
    return np.broadcast_to(v, (N,)).reshape(N, 1, 1).astype(float)


def _generator(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, e.g. np.random.default_rng(0); got {type(rng).__name__}")
    return rng


def _probability(p, name="p"):
    return check_unit(p, name, what="a probability")


# ------------------------------------------------------------------------- resampling (the geometry)

def _sample(x, rows, cols, fill):
    """Bilinear interpolation of every image x[n] at (rows[n], cols[n]); points outside the image blend with `fill`.

    The image is framed by one pixel of `fill` on every side, and each point takes the four pixels of the frame
    around it, weighted by its distance to them: what ``scipy.ndimage.map_coordinates(..., order=1,
    mode="grid-constant", cval=fill)`` computes (the tests compare both), in a few whole-array numpy operations."""
    N, H, W = x.shape
    framed = np.full((N, H + 2, W + 2), float(fill))
    framed[:, 1:-1, 1:-1] = x
    # in the frame's coordinates; a point beyond the frame sees only fill
    r = np.clip(rows, -1.0, H) + 1.0
    c = np.clip(cols, -1.0, W) + 1.0
    r0 = np.minimum(np.floor(r), H)                           # the pixel above and left: r0 + 1 <= H + 1
    c0 = np.minimum(np.floor(c), W)
    fr, fc = r - r0, c - c0
    # its index in the flattened frames, and those of its right, lower and lower-right neighbours
    at = ((np.arange(N)[:, None, None] * (H + 2) + r0) * (W + 2) + c0).astype(np.intp)
    flat = framed.ravel()
    above = flat[at] * (1 - fc) + flat[at + 1] * fc
    below = flat[at + (W + 2)] * (1 - fc) + flat[at + (W + 3)] * fc
    return above * (1 - fr) + below * fr


#: The pixel grids of the image sizes met so far, (H, W) -> (rows, columns): the same at every block.
_GRIDS = {}


def _grid(N, H, W):
    if (H, W) not in _GRIDS:
        r, c = np.meshgrid(np.arange(H, dtype=float), np.arange(W, dtype=float), indexing="ij")
        r.flags.writeable = c.flags.writeable = False
        _GRIDS[H, W] = r, c
    r, c = _GRIDS[H, W]
    return np.broadcast_to(r, (N, H, W)), np.broadcast_to(c, (N, H, W))


def _source_of(r, c, a, dy, dx, H, W):
    r"""Where output pixel (r, c) comes from, for a rotation by `a` radians
    about the centre and a shift (dy, dx).

    The output pixel is taken back through the shift, then through the rotation
    :math:`R(-a)` about the centre :math:`(c_y, c_x)`:
    :math:`p_{\text{source}} = c + R(-a)\,(p - d - c)`.
    """
    cy, cx = (H - 1) / 2, (W - 1) / 2
    # output pixel, back through the shift, about the centre
    dr, dc = r - dy - cy, c - dx - cx
    # ... and back through the rotation: the source pixel
    rows = cy + np.cos(a) * dr + np.sin(a) * dc
    cols = cx - np.sin(a) * dr + np.cos(a) * dc
    return rows, cols


def _rotate_shift(x, degrees, dy, dx, fill):
    """Rotate each image counterclockwise by degrees[n] about its centre, then
    move it dy[n] down, dx[n] right."""
    N, H, W = x.shape
    r, c = _grid(N, H, W)
    rows, cols = _source_of(r, c, np.deg2rad(degrees), dy, dx, H, W)
    return _sample(x, rows, cols, fill)


def _crop_resize(x, top, left, h, w):
    """The window rows top..top+h-1, columns left..left+w-1 of each image,
    stretched back to H × W (bilinear)."""
    N, H, W = x.shape
    r, c = _grid(N, H, W)
    # pixel centres of the stretched window
    rows = np.clip(top + (r + 0.5) * h / H - 0.5, top, top + h - 1)
    cols = np.clip(left + (c + 0.5) * w / W - 0.5, left, left + w - 1)
    return _sample(x, rows, cols, 0.0)


# --------------------------------------------------------------------------------- image transforms

def hflip(img, shape=None):
    """Horizontal flip (*giro horizontal*): the mirror image, left and right swapped, ``x[..., ::-1]`` per image.

    Parameters
    ----------
    img : array_like
        (H, W), (N, H, W), or (N, H*W) with `shape`.
    shape : (H, W), optional
        The image shape of a flattened batch.
    """
    x, restore = _images(img, shape)
    return restore(x[:, :, ::-1].copy())


def rotate(img, degrees, shape=None, fill=0.0):
    r"""Rotation by `degrees` counterclockwise about the image centre, bilinear interpolation.

    Output pixel :math:`p` takes the input at :math:`c + R(-\alpha)(p - c)`; corners that come from outside
    the image get `fill` (the background, 0 for digits). `degrees` is a number or one per image.
    """
    x, restore = _images(img, shape)
    degrees = _per_image(degrees, x.shape[0], "degrees")
    return restore(_rotate_shift(x, degrees, 0.0, 0.0, float(fill)))


def shift(img, dy, dx, shape=None, fill=0.0):
    """Translation by `dy` rows down and `dx` columns right; pixels that enter are `fill` (zero fill).

    Integer shifts move pixels exactly; fractional ones interpolate bilinearly. Numbers or one per image.
    """
    x, restore = _images(img, shape)
    N = x.shape[0]
    return restore(_rotate_shift(x, 0.0, _per_image(dy, N, "dy"), _per_image(dx, N, "dx"), float(fill)))


def crop(img, top, left, h, w, shape=None, resize=True):
    """A crop (*recorte*): the window of `h` rows and `w` columns from (`top`, `left`).

    With ``resize=True`` (default) the window is stretched back to the image's H × W by bilinear
    interpolation (a zoom into the window, the usual "random resized crop"), so the result can replace the
    image in a data matrix; with ``resize=False`` the h × w window itself is returned ((N, h*w) for a
    flattened batch).

    Raises
    ------
    ValueError
        If the window is empty (h or w < 1) or does not fit inside the image.
    """
    x, restore = _images(img, shape)
    N, H, W = x.shape
    for value, name in ((h, "h"), (w, "w")):
        check_int(value, name, 1, f"a crop of {value!r} would leave the image empty")
    for value, name in ((top, "top"), (left, "left")):
        check_int(value, name, 0)
    if top + h > H or left + w > W:
        raise ValueError(f"the crop (top={top}, left={left}, h={h}, w={w}) must fit inside the image of {H} × {W} "
                         f"pixels: need top + h <= {H} and left + w <= {W}")
    if not resize:
        window = x[:, top:top + h, left:left + w].copy()
        if np.ndim(img) == 2:                              # one image, or a flattened batch
            return window[0] if shape is None else window.reshape(N, -1)
        return window
    return restore(_crop_resize(x, top, left, h, w))


def adjust(img, brightness=0.0, contrast=1.0, gamma=1.0, value_range=(0.0, 1.0), shape=None):
    r"""Intensity ("colour") transforms of grey-level images, in this order, on :math:`u = (x - lo)/(hi - lo)`:

    gamma :math:`u \leftarrow u^\tau` (τ < 1 raises the low levels), contrast about each image's mean
    :math:`u \leftarrow \bar u + c\,(u - \bar u)`, brightness :math:`u \leftarrow u + b`; then clipped to
    [0, 1] and mapped back to `value_range`. Each of `brightness` (a fraction of the range), `contrast`
    (>= 0) and `gamma` (> 0) is a number or one per image. The defaults change nothing.
    """
    x, restore = _images(img, shape)
    lo, hi = _range(value_range)
    _in_range(x, lo, hi, "img")
    N = x.shape[0]
    b = _per_image(brightness, N, "brightness", -1.0, 1.0)
    c = _per_image(contrast, N, "contrast", 0.0)
    g = _per_image(gamma, N, "gamma", 0.0, closed_low=False)
    return restore(_adjust(x, b, c, g, lo, hi))


def _adjust(x, brightness, contrast, gamma, lo, hi):
    """:func:`adjust` on checked arguments: images x (N, H, W) with values in [lo, hi]; brightness, contrast and
    gamma numbers or one per image, shape (N, 1, 1)."""
    u = ((x - lo) / (hi - lo)) ** gamma
    mean = u.mean(axis=(1, 2), keepdims=True)
    u = np.clip(mean + contrast * (u - mean) + brightness, 0.0, 1.0)
    return lo + (hi - lo) * u


def add_noise(img, sigma, rng, value_range=(0.0, 1.0), shape=None):
    """Gaussian noise of standard deviation `sigma` (a fraction of the value range) on every pixel, clipped to
    `value_range` so that no pixel leaves it; drawn from the Generator `rng`."""
    x, restore = _images(img, shape)
    lo, hi = _range(value_range)
    _in_range(x, lo, hi, "img")
    rng = _generator(rng)
    sigma = check_nonnegative(sigma, "sigma", "a fraction of the value range")
    noisy = x + (hi - lo) * sigma * rng.standard_normal(x.shape)
    return restore(np.clip(noisy, lo, hi))


class ImageAugmenter:
    r"""Random image transforms for every mini-batch: ``fit(X, t, augment=ImageAugmenter(...))``.

    Called as ``augmenter(X_block, rng)`` it returns a transformed copy of the block: each image gets its own
    random draw of every transform switched on, in this order: horizontal flip, crop stretched back to the
    image size, rotation, shift; then gamma, contrast and brightness; then noise; finally values are clipped
    to `value_range`. The four geometric transforms are composed into one resampling (a single bilinear
    interpolation, so they blur the image once), in which pixels just outside a crop window come from the
    image itself and pixels from outside the image are background (`value_range`'s lo). Without `rng` it
    uses its own generator, seeded with `seed`.

    Parameters
    ----------
    flip : bool or float
        Probability of a horizontal flip (True means 0.5). Beware: a mirrored 3, 5, 6 or 7 is no digit.
    max_degrees : float
        Rotation angle uniform in [-max_degrees, max_degrees].
    max_shift : int
        Integer shifts dy, dx uniform in {-max_shift, ..., max_shift} (zero fill).
    brightness : float
        Offset uniform in [-brightness, brightness], a fraction of the value range.
    noise : float
        Standard deviation of Gaussian noise, a fraction of the value range.
    seed : int
        Seed of the generator used when no `rng` is passed.
    contrast : float in [0, 1]
        Contrast factor uniform in [1 - contrast, 1 + contrast].
    gamma : float
        The exponent τ = exp(v), v uniform in [-gamma, gamma].
    max_crop : int
        Up to `max_crop` rows and up to `max_crop` columns cut off (at random sides), then resized back.
    shape : (H, W), optional
        Image shape of flattened blocks (N, H*W); if omitted, square images are assumed.
    value_range : (lo, hi)
        The grey levels of the data, e.g. (0, 16) for raw digits.
    """

    def __init__(self, flip=True, max_degrees=10, max_shift=1, brightness=0.1, noise=0.05, seed=0, *,
                 contrast=0.0, gamma=0.0, max_crop=0, shape=None, value_range=(0.0, 1.0)):
        self.flip = 0.5 if flip is True else 0.0 if flip is False else _probability(flip, "flip")
        for value, name in ((max_degrees, "max_degrees"), (brightness, "brightness"), (noise, "noise"),
                            (gamma, "gamma")):
            check_nonnegative(value, name)
        check_unit(contrast, "contrast")
        self.max_degrees, self.brightness, self.noise, self.contrast, self.gamma = (
            float(max_degrees), float(brightness), float(noise), float(contrast), float(gamma))
        self.max_shift = check_int(max_shift, "max_shift", 0)
        self.max_crop = check_int(max_crop, "max_crop", 0)
        self.shape = shape
        self.value_range = _range(value_range)
        self.seed = seed
        self.rng = np.random.default_rng(seed)

    def _batch(self, X):
        X = as_real_array(X, "X_block")
        shape = self.shape
        if X.ndim == 2 and shape is None:
            side = int(round(np.sqrt(X.shape[1])))
            if side * side != X.shape[1]:
                raise ValueError(f"X_block of shape {X.shape} holds flattened images that are not square: "
                                 "give ImageAugmenter(shape=(H, W))")
            shape = (side, side)
        if X.ndim not in (2, 3):
            raise ValueError(f"X_block must be a batch (N, H, W) or flattened (N, H*W); got shape {X.shape}")
        return _images(X, shape if X.ndim == 2 else None, "X_block")

    def __call__(self, X_block, rng=None):
        rng = self.rng if rng is None else _generator(rng)
        x, restore = self._batch(X_block)
        lo, hi = self.value_range
        _in_range(x, lo, hi, "X_block")
        N, H, W = x.shape
        geometric = (self.flip > 0 or self.max_crop > 0
                     or self.max_degrees > 0 or self.max_shift > 0)
        if geometric:
            # flip, crop, rotation and shift: one resampling, one interpolation
            shift, degrees = self.max_shift, self.max_degrees
            dy, dx = rng.integers(-shift, shift + 1, (2, N, 1, 1))
            a = np.deg2rad(rng.uniform(-degrees, degrees, (N, 1, 1)))
            # back through the shift and rotation ...
            rows, cols = _source_of(*_grid(N, H, W), a, dy, dx, H, W)
            if self.max_crop > 0:  # ... and the crop's stretch
                if self.max_crop >= min(H, W):
                    raise ValueError(
                        f"max_crop={self.max_crop} would leave images of "
                        f"{H} × {W} pixels empty: it must be < {min(H, W)}")
                h = H - rng.integers(0, self.max_crop + 1, (N, 1, 1))
                w = W - rng.integers(0, self.max_crop + 1, (N, 1, 1))
                top = rng.integers(0, H - h + 1)
                left = rng.integers(0, W - w + 1)
                rows = top + (rows + 0.5) * h / H - 0.5
                cols = left + (cols + 0.5) * w / W - 0.5
            if self.flip > 0:  # ... and the mirror, done first
                mirrored = rng.random((N, 1, 1)) < self.flip
                cols = np.where(mirrored, W - 1 - cols, cols)
            x = _sample(x, rows, cols, lo)
        if self.gamma > 0 or self.contrast > 0 or self.brightness > 0:
            x = np.clip(x, lo, hi)
            b, k, g = self.brightness, self.contrast, self.gamma
            x = _adjust(x, brightness=rng.uniform(-b, b, (N, 1, 1)),
                        contrast=rng.uniform(1 - k, 1 + k, (N, 1, 1)),
                        gamma=np.exp(rng.uniform(-g, g, (N, 1, 1))),
                        lo=lo, hi=hi)
        if self.noise > 0:
            x = x + (hi - lo) * self.noise * rng.standard_normal(x.shape)
        return restore(np.clip(x, lo, hi))

    def __repr__(self):
        return (f"ImageAugmenter(flip={self.flip:g}, max_degrees={self.max_degrees:g}, max_shift={self.max_shift}, "
                f"brightness={self.brightness:g}, noise={self.noise:g}, seed={self.seed!r}, "
                f"contrast={self.contrast:g}, gamma={self.gamma:g}, max_crop={self.max_crop}, shape={self.shape}, "
                f"value_range={self.value_range})")


# ------------------------------------------------------------------------------------- text transforms

def _words(words, name="words"):
    """`words` as a list of strings (a string is split at whitespace), and whether it came as a string."""
    if isinstance(words, str):
        out, was_str = words.split(), True
    else:
        try:
            out, was_str = list(words), False
        except TypeError:
            raise TypeError(f"{name} must be a sentence (str) or a list of words; got {type(words).__name__}") from None
        bad = [w for w in out if not isinstance(w, str)]
        if bad:
            raise TypeError(f"{name} must hold strings only; got {bad[0]!r}")
    if not out:
        raise ValueError(f"{name} must hold at least one word; got {words!r}")
    return out, was_str


def _same_kind(out, was_str):
    return " ".join(out) if was_str else out


def substitute(words, synonyms, p, rng):
    """Word substitution (*sustituir palabras*): each word with an entry in `synonyms` is replaced, with
    probability `p`, by one of its synonyms chosen at random. Case-sensitive; other words are kept.

    Parameters
    ----------
    words : str or list of str
        A sentence (split at whitespace; the result is joined back) or a list of words.
    synonyms : dict
        ``{word: [synonym, ...]}``, each list non-empty.
    p : float in [0, 1]
    rng : numpy.random.Generator
    """
    out, was_str = _words(words)
    p, rng = _probability(p), _generator(rng)
    if not isinstance(synonyms, dict):
        raise TypeError(f"synonyms must be a dict {{word: [synonyms]}}; got {type(synonyms).__name__}")
    empty = [k for k, v in synonyms.items() if isinstance(v, str) or len(v) == 0]
    if empty:
        raise ValueError(f"synonyms must map each word to a non-empty list of words; got {empty[0]!r}: "
                         f"{synonyms[empty[0]]!r}")
    draws = rng.random(len(out))
    for i, word in enumerate(out):
        if word in synonyms and draws[i] < p:
            choices = list(synonyms[word])
            out[i] = choices[rng.integers(len(choices))]
    return _same_kind(out, was_str)


def insert(words, vocabulary, p, rng):
    """Random insertion (*insertar palabras*): n ~ Binomial(len(words), p) words drawn from `vocabulary`,
    each put at a random position (possibly the first or the last)."""
    out, was_str = _words(words)
    vocabulary, _ = _words(vocabulary, "vocabulary")
    p, rng = _probability(p), _generator(rng)
    for _ in range(rng.binomial(len(out), p)):
        out.insert(int(rng.integers(len(out) + 1)), vocabulary[rng.integers(len(vocabulary))])
    return _same_kind(out, was_str)


def delete(words, p, rng):
    """Random deletion (*borrar palabras*): each word is removed with
    probability `p`; if all would go, one word chosen at random is kept, so the
    result is never empty."""
    out, was_str = _words(words)
    p, rng = _probability(p), _generator(rng)
    keep = rng.random(len(out)) >= p
    if not keep.any():
        keep[rng.integers(len(out))] = True
    return _same_kind([w for w, k in zip(out, keep) if k], was_str)
