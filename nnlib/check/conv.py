r"""Checks of the convolution exercise (20): output size, number of weights, a small convolution by hand.

Each check runs the student's answer on fixed cases, compares with :mod:`nnlib.layers.conv`, and names the usual
mistakes by computing them too: for the output size, the formula without padding, the ceiling instead of the
floor, a missing +1, the padding counted on one side only, no division by the stride; for the number of
weights, a forgotten threshold (bias), a forgotten number of input channels C_in, one threshold per input
channel; for the convolution by hand, the kernel flipped (the true convolution, not what layers compute), a
forgotten threshold b, and outputs of the wrong size.

Imported into :mod:`nnlib.check` (notebooks call ``check.check_conv_output_size(...)``) and recorded by
:func:`~nnlib.check.summary` like every other check.
"""

import math

import numpy as np

from ..layers.conv import conv2d_naive, output_size
from ._feedback import _run, _t, _type_hint, _wrong
from .answers import check_array, check_function

__all__ = ["check_conv_output_size", "check_conv_param_count", "check_conv_by_hand"]


class _Args(tuple):
    """The arguments of one call, shown in messages as ``H=14, M=3, S=2, P=1``."""

    names = ()

    def __repr__(self):
        return ", ".join(f"{k}={v}" for k, v in zip(self.names, self))

    def __deepcopy__(self, memo):
        return self


def _cases(names, rows):
    kind = type("Args", (_Args,), {"names": names})
    return [kind(row) for row in rows]


def _not_a_function(answer, name):
    if callable(answer):
        return None
    found = _type_hint(answer, _t("the function {name}", name=name))
    return _run(lambda: _wrong(_t("the function {name} itself", name=name),
                               found[0] if found else _t("{answer!r}, a value", answer=answer),
                               _t("Give the function's name, {name}, without parentheses: the check calls it.",
                                  name=name)), name)


_SIZE_CASES = [(28, 3, 1, 0), (8, 3, 1, 1), (14, 3, 2, 1), (7, 2, 2, 0), (32, 5, 1, 0), (5, 3, 2, 1), (6, 3, 3, 0),
               (9, 4, 3, 2)]


def check_conv_output_size(answer, name="conv_output_size"):
    r"""Check ``answer(H, M, S, P)``: the output length :math:`\lfloor (H + 2P - M)/S \rfloor + 1` of a window of
    size M sliding with stride S over H entries padded with P zeros on each side."""
    bad = _not_a_function(answer, name)
    if bad is not None:
        return bad
    hints = {
        (lambda c: (c[0] - c[1]) // c[2] + 1):
            _t("This is the formula without padding: the padded input has H + 2P entries, P zeros on each side."),
        (lambda c: math.ceil((c[0] + 2 * c[3] - c[1]) / c[2]) + 1):
            _t("You rounded up. A window that does not fit entirely is not used: take the floor, "
               "(H + 2P − M) // S + 1."),
        (lambda c: (c[0] + 2 * c[3] - c[1]) / c[2] + 1):
            _t("When S does not divide H + 2P − M the division leaves a fraction: take the floor (integer "
               "division //), since a window that does not fit is not used."),
        (lambda c: (c[0] + 2 * c[3] - c[1]) // c[2]):
            _t("Count the window positions 0, S, 2S, …, kS: that is k + 1 of them, so add 1."),
        (lambda c: (c[0] + c[3] - c[1]) // c[2] + 1):
            _t("The padding is added on both sides: the padded input has H + 2P entries."),
        (lambda c: c[0] + 2 * c[3] - c[1] + 1):
            _t("This counts the positions for stride 1 only: with stride S the filter jumps S entries at a time, "
               "so divide H + 2P − M by S (and take the floor)."),
    }
    return check_function(lambda c: answer(*c), lambda c: output_size(*c),
                          _cases(("H", "M", "S", "P"), _SIZE_CASES), name=name, hints=hints, params=("H", "M", "S", "P"),
                          hint=_t("Where can the first window start, and the last? Count the starts 0, S, 2S, …."))


_COUNT_CASES = [(1, 8, 3, 3), (3, 64, 3, 3), (16, 32, 3, 3), (1, 6, 5, 5), (2, 4, 2, 3)]


def check_conv_param_count(answer, name="conv_param_count"):
    r"""Check ``answer(C_in, C_out, M, N)``: the weights of a convolutional layer, :math:`C_{out}(C_{in} M N + 1)`
    (each of the C_out filters has C_in·M·N weights and one threshold)."""
    bad = _not_a_function(answer, name)
    if bad is not None:
        return bad
    hints = {
        (lambda c: c[1] * c[0] * c[2] * c[3]):
            _t("You forgot the thresholds (biases): every filter also has one threshold b, like θ_i0 of a unit."),
        (lambda c: c[1] * (c[2] * c[3] + 1)):
            _t("You forgot the input channels: a filter spans all C_in channels, so it has C_in·M·N weights."),
        (lambda c: c[1] * c[2] * c[3]):
            _t("You forgot both the input channels (a filter has C_in·M·N weights) and the thresholds "
               "(one per filter)."),
        (lambda c: c[1] * c[0] * (c[2] * c[3] + 1)):
            _t("One threshold per filter, not one per filter and input channel: the filter's sums over all channels "
               "are added into one output, plus one b."),
        (lambda c: c[0] * c[2] * c[3] + 1):
            _t("That is one filter: the layer has C_out of them, each with its own weights."),
    }
    return check_function(lambda c: answer(*c), lambda c: c[1] * (c[0] * c[2] * c[3] + 1),
                          _cases(("C_in", "C_out", "M", "N"), _COUNT_CASES), name=name, hints=hints,
                          params=("C_in", "C_out", "M", "N"),
                          hint=_t("Count the weights of one filter (all its channels), add its threshold, multiply by "
                                  "the number of filters."))


def check_conv_by_hand(answer, x, K, b=0.0, stride=1, padding=0, name="y"):
    r"""Check a convolution computed by hand: `answer` is the output map of the convolutional layer (as
    deep-learning libraries define it, a cross-correlation) of the 2-D image `x` with the kernel `K` and
    threshold `b`: :math:`y_{ij} = b + \sum_{p,q} K_{pq}\, \tilde x_{iS+p,\, jS+q}`."""
    x = np.asarray(x, dtype=float)
    K = np.asarray(K, dtype=float)
    if x.ndim != 2 or K.ndim != 2:
        raise ValueError(f"x and K must be 2-D arrays; got shapes {x.shape} and {K.shape}")

    def conv(kernel, bias, S=stride, P=padding):
        return conv2d_naive(x[None, None], kernel[None, None], np.array([bias]), S, P)[0, 0]

    expected = conv(K, b)
    M, N = K.shape
    hints = [(conv(K[::-1, ::-1], b), _t("You flipped the kernel: that is the true convolution of signal processing. "
                                         "A convolutional layer lays K on the image as it is (cross-correlation): "
                                         "y_ij = b + Σ K_pq x_(i+p),(j+q)."))]
    if b != 0:
        hints += [(conv(K, 0.0), _t("You forgot the threshold: add b = {b:g} to every output.", b=b)),
                  (conv(K[::-1, ::-1], 0.0), _t("Two slips: the kernel is flipped (the layer does not flip it) and the "
                                                 "threshold b = {b:g} is missing.", b=b))]
    if expected.shape[0] == expected.shape[1] and not np.allclose(expected, expected.T):
        hints.append((expected.T, _t("Your output is transposed: y[i, j] is the kernel placed i strides down and "
                                     "j strides to the right, so the first row of y comes from the top rows of x.")))
    if padding == 0:
        hints.append((conv(K, b, P=(M // 2, N // 2)),
                      _t("You padded the image with zeros; this layer has no padding: the output is smaller than x, "
                         "{rows}×{columns}.", rows=expected.shape[0], columns=expected.shape[1])))
    if stride > 1:
        hints.append((conv(K, b, S=1), _t("This is stride 1: with stride {stride} the kernel jumps {stride} pixels "
                                          "at a time, so only every other position is computed.", stride=stride)))
    return check_array(answer, expected, name=name, hints=hints, rtol=1e-9, atol=1e-9,
                       hint=_t("Lay K on the top-left corner of x, multiply entry by entry, add up, add b; then "
                               "move K one stride to the right."))
