"""nnlib.data.augment: image and text augmentation, exact on the cases that have an exact answer, seeded, never in place."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.data import augment as au
from nnlib.layers import Act, Dense
from nnlib.layers.sequential import Sequential


@pytest.fixture
def img():
    return np.random.default_rng(0).uniform(0, 1, (5, 7))


@pytest.fixture
def batch():
    return np.random.default_rng(1).uniform(0, 1, (4, 6, 6))


# ---------------------------------------------------------------------------------------------- layouts

def test_three_layouts_give_the_same_images(batch):
    flat = batch.reshape(4, 36)
    for f in (au.hflip, lambda x, **k: au.rotate(x, 17.0, **k), lambda x, **k: au.crop(x, 1, 0, 4, 5, **k),
              lambda x, **k: au.shift(x, 1, -2, **k), lambda x, **k: au.adjust(x, 0.1, 1.5, 0.8, **k)):
        out3 = f(batch)
        assert out3.shape == batch.shape
        np.testing.assert_allclose(f(flat, shape=(6, 6)), out3.reshape(4, 36), atol=1e-12)
        np.testing.assert_allclose(f(batch[2]), out3[2], atol=1e-12)


def test_input_is_never_changed(batch):
    before = batch.copy()
    rng = np.random.default_rng(0)
    for out in (au.hflip(batch), au.rotate(batch, 30), au.crop(batch, 0, 0, 3, 3), au.adjust(batch, 0.2),
                au.add_noise(batch, 0.1, rng), au.shift(batch, 1, 1),
                au.ImageAugmenter(max_crop=2, contrast=0.5, gamma=0.5)(batch, rng)):
        assert not np.shares_memory(out, batch)
    np.testing.assert_array_equal(batch, before)


# ------------------------------------------------------------------------------------------- geometry

def test_hflip_swaps_left_and_right(img):
    np.testing.assert_array_equal(au.hflip(img), img[:, ::-1])
    np.testing.assert_array_equal(au.hflip(au.hflip(img)), img)


def test_hflip_of_a_flattened_batch_flips_each_row_of_each_image_not_the_vector():
    X = np.arange(2 * 12, dtype=float).reshape(2, 12)
    out = au.hflip(X, shape=(3, 4))
    np.testing.assert_array_equal(out, X.reshape(2, 3, 4)[:, :, ::-1].reshape(2, 12))
    assert not np.array_equal(out, X[:, ::-1])              # reversing the vector is a 180° rotation


@pytest.mark.parametrize("k", [1, 2, 3])
def test_rotation_by_multiples_of_90_is_exact(k, batch):
    np.testing.assert_allclose(au.rotate(batch, 90 * k), np.rot90(batch, k, axes=(1, 2)), atol=1e-12)


def test_rotation_by_0_or_360_is_the_identity_and_small_angles_are_continuous(batch):
    np.testing.assert_allclose(au.rotate(batch, 0), batch, atol=1e-12)
    np.testing.assert_allclose(au.rotate(batch, 360), batch, atol=1e-9)
    assert np.abs(au.rotate(batch, 1e-6) - batch).max() < 1e-5


def test_rotation_per_image_angles_and_zero_fill(batch):
    out = au.rotate(batch, [0, 90, 45, -30])
    np.testing.assert_allclose(out[0], batch[0], atol=1e-12)
    np.testing.assert_allclose(out[1], np.rot90(batch[1]), atol=1e-12)
    np.testing.assert_allclose(out[2], au.rotate(batch[2], 45), atol=1e-12)
    assert au.rotate(batch, 45, fill=0.0)[:, 0, 0].max() == 0.0      # a corner comes from outside: background


def test_integer_shift_moves_pixels_with_zero_fill(img):
    out = au.shift(img, 2, -1)
    np.testing.assert_array_equal(out[2:, :-1], img[:-2, 1:])
    assert (out[:2] == 0).all() and (out[:, -1] == 0).all()


def test_crop_window_and_resized_crop(img):
    np.testing.assert_array_equal(au.crop(img, 1, 2, 3, 4, resize=False), img[1:4, 2:6])
    np.testing.assert_allclose(au.crop(img, 0, 0, 5, 7), img, atol=1e-12)       # the whole image: unchanged
    out = au.crop(img, 1, 2, 3, 4)
    assert out.shape == img.shape
    win = img[1:4, 2:6]
    assert win.min() - 1e-12 <= out.min() and out.max() <= win.max() + 1e-12   # only the window's values
    np.testing.assert_allclose(out[[0, 0, -1, -1], [0, -1, 0, -1]], win[[0, 0, -1, -1], [0, -1, 0, -1]])
    assert au.crop(img[None], 0, 0, 2, 3, resize=False).shape == (1, 2, 3)
    assert au.crop(img.reshape(1, 35), 0, 0, 2, 3, shape=(5, 7), resize=False).shape == (1, 6)


def test_a_constant_image_stays_constant_under_every_interpolation():
    c = np.full((6, 6), 0.3)
    np.testing.assert_allclose(au.crop(c, 1, 2, 3, 4), c, atol=1e-12)
    np.testing.assert_allclose(au.rotate(c, 33, fill=0.3), c, atol=1e-12)


# -------------------------------------------------------------------------------------------- intensity

def test_adjust_defaults_are_the_identity_and_each_part_does_what_it_says(img):
    np.testing.assert_allclose(au.adjust(img), img, atol=1e-12)
    np.testing.assert_allclose(au.adjust(img, gamma=2.0), img ** 2, atol=1e-12)
    np.testing.assert_allclose(au.adjust(img * 0.5, brightness=0.25), img * 0.5 + 0.25, atol=1e-12)
    low = au.adjust(img, contrast=0.5)
    np.testing.assert_allclose(low.mean(), img.mean(), atol=1e-12)
    np.testing.assert_allclose(low.std(), 0.5 * img.std(), atol=1e-12)
    assert au.adjust(img, brightness=1.0).min() == 1.0               # clipped to the range


def test_adjust_in_the_digits_range():
    x = np.array([[0.0, 8.0], [16.0, 4.0]])
    np.testing.assert_allclose(au.adjust(x, gamma=2.0, value_range=(0, 16)), 16 * (x / 16) ** 2)
    with pytest.raises(ValueError, match=r"value_range=\(0, 1\).*value_range=\(0, 16\)"):
        au.adjust(x)


def test_noise_is_seeded_clipped_and_has_the_requested_spread():
    x = np.full((200, 50), 8.0)
    a = au.add_noise(x, 0.05, np.random.default_rng(3), value_range=(0, 16))
    b = au.add_noise(x, 0.05, np.random.default_rng(3), value_range=(0, 16))
    np.testing.assert_array_equal(a, b)
    assert abs((a - x).std() - 0.05 * 16) < 0.02
    edge = au.add_noise(np.zeros((100, 10)), 0.3, np.random.default_rng(0))
    assert edge.min() == 0.0 and edge.max() <= 1.0 and (edge > 0).mean() > 0.4


# ------------------------------------------------------------------------------------------- augmenter

def test_augmenter_is_seeded_and_varies_between_images_and_calls():
    X = np.random.default_rng(0).uniform(0, 1, (64, 64))
    aug = au.ImageAugmenter(max_crop=1, contrast=0.2, gamma=0.2)
    a, b = aug(X, np.random.default_rng(5)), aug(X, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, aug(X, np.random.default_rng(6)))
    assert a.shape == X.shape and 0 <= a.min() and a.max() <= 1
    own = au.ImageAugmenter(seed=1)
    np.testing.assert_array_equal(own(X), au.ImageAugmenter(seed=1)(X))      # its own generator, seeded


def test_augmenter_with_everything_off_is_the_identity_and_flip_one_always_flips():
    X = np.random.default_rng(0).uniform(0, 1, (10, 4, 4))
    off = au.ImageAugmenter(flip=False, max_degrees=0, max_shift=0, brightness=0, noise=0)
    np.testing.assert_array_equal(off(X, np.random.default_rng(0)), X)
    always = au.ImageAugmenter(flip=1.0, max_degrees=0, max_shift=0, brightness=0, noise=0)
    np.testing.assert_array_equal(always(X, np.random.default_rng(0)), X[:, :, ::-1])


def test_augmenter_shifts_only_integer_pixels_with_zero_fill():
    X = np.zeros((300, 5, 5))
    X[:, 2, 2] = 1.0
    aug = au.ImageAugmenter(flip=False, max_degrees=0, max_shift=1, brightness=0, noise=0)
    out = aug(X, np.random.default_rng(0))
    assert np.allclose(out.sum(axis=(1, 2)), 1.0) and set(np.unique(out)) == {0.0, 1.0}
    where = {tuple(np.argwhere(o)[0]) for o in out}
    assert where == {(r, c) for r in (1, 2, 3) for c in (1, 2, 3)}           # all nine shifts occur


def test_augmenter_trains_a_sequential_through_fit():
    rng = np.random.default_rng(0)
    X, labels = rng.uniform(0, 1, (40, 16)), rng.integers(0, 2, 40)
    net = Sequential([Dense(16, 8, seed=0), Act("relu"), Dense(8, 2, seed=1)])
    hist = net.fit(X, labels, rho=0.1, epochs=3, B=8, augment=au.ImageAugmenter(shape=(4, 4)))
    assert hist.updates == 15 and np.isfinite(hist.q).all()


# ------------------------------------------------------------------------------------------------- text

SENT = "la red neuronal aprende los pesos con el gradiente"


def test_substitute_uses_only_the_dictionary():
    syn = {"red": ["malla"], "aprende": ["ajusta", "estima"]}
    assert au.substitute(SENT, syn, 0.0, np.random.default_rng(0)) == SENT
    out = au.substitute(SENT.split(), syn, 1.0, np.random.default_rng(0))
    assert isinstance(out, list) and out[1] == "malla" and out[3] in ("ajusta", "estima")
    others = [i for i in range(len(out)) if i not in (1, 3)]
    assert [out[i] for i in others] == [SENT.split()[i] for i in others]
    seen = {au.substitute(SENT, syn, 1.0, np.random.default_rng(s)).split()[3] for s in range(20)}
    assert seen == {"ajusta", "estima"}


def test_insert_adds_vocabulary_words_and_keeps_the_order_of_the_others():
    vocab = ["muy", "siempre"]
    assert au.insert(SENT, vocab, 0.0, np.random.default_rng(0)) == SENT
    out = au.insert(SENT, vocab, 0.5, np.random.default_rng(1)).split()
    assert len(out) > len(SENT.split())
    assert [w for w in out if w not in vocab] == SENT.split()


def test_delete_keeps_order_and_never_empties_a_sentence():
    assert au.delete(SENT, 0.0, np.random.default_rng(0)) == SENT
    for s in range(30):
        out = au.delete(SENT, 1.0, np.random.default_rng(s)).split()
        assert len(out) == 1 and out[0] in SENT.split()
    out = au.delete(SENT, 0.5, np.random.default_rng(2)).split()
    assert 0 < len(out) < 9 and all(w in SENT.split() for w in out)
    assert au.delete(["sola"], 1.0, np.random.default_rng(0)) == ["sola"]


def test_text_is_seeded():
    for f in (lambda r: au.delete(SENT, 0.4, r), lambda r: au.insert(SENT, ["x", "y"], 0.4, r),
              lambda r: au.substitute(SENT, {"red": ["a", "b", "c"]}, 0.5, r)):
        assert f(np.random.default_rng(7)) == f(np.random.default_rng(7))


# -------------------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, error, match", [
    (lambda x: au.crop(x, 0, 0, 6, 2), ValueError, r"must fit inside the image of 5 × 7"),
    (lambda x: au.crop(x, 3, 0, 3, 2), ValueError, r"top \+ h <= 5"),
    (lambda x: au.crop(x, 0, 0, 0, 2), ValueError, r"h must be an integer >= 1 .*empty"),
    (lambda x: au.crop(x, 0, 0, 2, 0), ValueError, r"w must be an integer >= 1 .*empty"),
    (lambda x: au.crop(x, -1, 0, 2, 2), ValueError, r"top must be an integer >= 0"),
    (lambda x: au.hflip(x[0]), ValueError, r"img must be an image \(H, W\).*got shape \(7,\)"),
    (lambda x: au.hflip(np.zeros((2, 3, 4, 5))), ValueError, r"img must be an image"),
    (lambda x: au.hflip(x, shape=(3, 3)), ValueError, r"img of shape \(5, 7\) cannot hold flattened images"),
    (lambda x: au.hflip(x, shape=(3, 0)), ValueError, r"shape\[1\] must be an integer >= 1 \(W, the image width\); got 0"),
    (lambda x: au.rotate(x, [1, 2]), ValueError, r"degrees must be a number or one number per image"),
    (lambda x: au.adjust(x, contrast=-1), ValueError, r"contrast must be in \[0"),
    (lambda x: au.adjust(x, gamma=0), ValueError, r"gamma must be in \(0"),
    (lambda x: au.adjust(x, value_range=(1, 0)), ValueError, r"value_range must be finite with lo < hi"),
    (lambda x: au.add_noise(x, -0.1, np.random.default_rng(0)), ValueError, r"sigma must be a number >= 0"),
    (lambda x: au.add_noise(x, 0.1, 0), TypeError, r"rng must be a numpy Generator"),
    (lambda x: au.ImageAugmenter(flip=1.5), ValueError, r"flip must be a number in \[0, 1\] \(a probability\); got 1.5"),
    (lambda x: au.ImageAugmenter(flip=-0.1), ValueError, r"flip must be a number in \[0, 1\] \(a probability\)"),
    (lambda x: au.ImageAugmenter(max_crop=7)(x[None]), ValueError, r"max_crop=7 would leave .* empty"),
    (lambda x: au.ImageAugmenter()(np.zeros((3, 10))), ValueError, r"not square: give ImageAugmenter\(shape"),
    (lambda x: au.ImageAugmenter()(np.full((2, 4, 4), 16.0)), ValueError, r"X_block must have values in"),
    (lambda x: au.ImageAugmenter(max_shift=1.5), ValueError, r"max_shift must be an integer >= 0"),
    (lambda x: au.delete(SENT, 1.2, np.random.default_rng(0)), ValueError, r"p must be a number in \[0, 1\] \(a probability\)"),
    (lambda x: au.insert(SENT, ["a"], -0.2, np.random.default_rng(0)), ValueError, r"p must be a number in \[0, 1\]"),
    (lambda x: au.substitute(SENT, {"red": []}, 0.5, np.random.default_rng(0)), ValueError, r"non-empty list"),
    (lambda x: au.delete("", 0.5, np.random.default_rng(0)), ValueError, r"words must hold at least one word"),
    (lambda x: au.insert(SENT, [], 0.5, np.random.default_rng(0)), ValueError, r"vocabulary must hold"),
    (lambda x: au.delete(SENT, 0.5, None), TypeError, r"rng must be a numpy Generator"),
    (lambda x: au.delete([1, 2], 0.5, np.random.default_rng(0)), TypeError, r"words must hold strings only"),
])
def test_bad_input_is_named(img, call, error, match):
    with pytest.raises(error, match=match):
        call(img)


# ------------------------------------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), flip=st.floats(0, 1), degrees=st.floats(0, 45), shift=st.integers(0, 2),
       crop=st.integers(0, 3), brightness=st.floats(0, 0.5), contrast=st.floats(0, 1), gamma=st.floats(0, 1),
       noise=st.floats(0, 0.3), lo=st.floats(-5, 5), width=st.floats(0.5, 20))
def test_augmenter_output_keeps_layout_and_range_and_input(seed, flip, degrees, shift, crop, brightness, contrast,
                                                           gamma, noise, lo, width):
    hi = lo + width
    X = np.random.default_rng(seed).uniform(lo, hi, (7, 30))
    before = X.copy()
    aug = au.ImageAugmenter(flip=flip, max_degrees=degrees, max_shift=shift, brightness=brightness, noise=noise,
                            contrast=contrast, gamma=gamma, max_crop=crop, shape=(5, 6), value_range=(lo, hi))
    out = aug(X, np.random.default_rng(seed))
    assert out.shape == X.shape and np.isfinite(out).all()
    assert lo <= out.min() and out.max() <= hi
    np.testing.assert_array_equal(X, before)
    np.testing.assert_array_equal(out, aug(X, np.random.default_rng(seed)))


@settings(max_examples=40, deadline=None)
@given(words=st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=12), p=st.floats(0, 1),
       seed=st.integers(0, 1000))
def test_text_edits_keep_at_least_one_word_and_only_known_words(words, p, seed):
    rng = np.random.default_rng(seed)
    d = au.delete(words, p, rng)
    assert 1 <= len(d) <= len(words) and all(w in words for w in d)
    i = au.insert(words, ["x"], p, rng)
    assert [w for w in i if w != "x"] == words
    s = au.substitute(words, {"a": ["z"]}, p, rng)
    assert len(s) == len(words) and all(w == v or (v == "a" and w == "z") for w, v in zip(s, words))


def test_bilinear_sampling_is_scipy_map_coordinates():
    """augment's bilinear resampling (numpy only) equals scipy's map_coordinates(order=1, mode="grid-constant")
    to 1e-12: inside the image, on its edges, outside it (fill) and on whole pixels."""
    from scipy import ndimage
    rng = np.random.default_rng(0)
    for trial in range(100):
        N, H, W = rng.integers(1, 5), rng.integers(1, 9), rng.integers(1, 9)
        x = rng.random((N, H, W))
        rows, cols = rng.uniform(-3, H + 2, (2, N, H, W))
        if trial % 3 == 0:
            rows, cols = np.round(rows), np.round(cols)
        fill = [0.0, 0.3][trial % 2]
        n = np.broadcast_to(np.arange(N, dtype=float)[:, None, None], rows.shape)
        expected = ndimage.map_coordinates(x, [n, rows, cols], order=1, mode="grid-constant", cval=fill)
        np.testing.assert_allclose(au._sample(x, rows, cols, fill), expected, rtol=0, atol=1e-12)
