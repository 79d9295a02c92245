r"""Convolutional layers over NCHW image batches: :class:`Conv2D`, :class:`MaxPool2D`, :class:`AvgPool2D`,
:class:`Flatten`, and the loop-by-loop oracles :func:`conv2d_naive` and :func:`conv2d_naive_backward`.

A batch of images has shape (samples, channels C, height H, width W) ("NCHW"). A filter (*filtro* or
*núcleo*) of size M × N slides over the zero-padded image with a stride (*paso*) S; at every position it
computes one weighted sum of the C·M·N pixels under it plus a threshold:

.. math:: y_{n,o,i,j} = b_o + \sum_{c=1}^{C}\sum_{p=0}^{M-1}\sum_{q=0}^{N-1} W_{o,c,p,q}\,
          \tilde x_{n,c,\,iS+p,\,jS+q}

where :math:`\tilde x` is the input with P rows/columns of zeros added on every side. This is a
*cross-correlation*, which deep-learning libraries call convolution; the true convolution flips the
kernel, :math:`(x * K)_{ij} = \sum_{p,q} x_{i-p,\,j-q} K_{pq}`, so a true convolution with K is the
cross-correlation with K rotated by 180°.

The output has :func:`output_size` rows and columns, :math:`\lfloor (H + 2P - M)/S \rfloor + 1`.

The fast layers work with *im2col*: every receptive field becomes one row of a matrix (built with
``numpy.lib.stride_tricks.sliding_window_view``), so the forward pass and both gradients of the weights
and of the input are single matrix products; only the scatter-add of the input gradient back to the
image (*col2im*) loops, over the M × N kernel offsets.
"""


import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import init as _init
from .._validate import as_real_array, check_float_dtype, check_int
from .base import Layer, check_input

__all__ = ["output_size", "Conv2D", "MaxPool2D", "AvgPool2D", "Flatten", "conv2d_naive",
           "conv2d_naive_backward"]


def _int(value, name, low):
    return check_int(value, name, low)


def _pair(value, name, low):
    """(a, b) from an int or a pair of ints, each >= low, or a ValueError naming `name`."""
    if isinstance(value, (tuple, list, np.ndarray)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an integer or a pair of integers; got {value!r}")
        return _int(value[0], name, low), _int(value[1], name, low)
    return (_int(value, name, low),) * 2


def output_size(H, M, stride=1, padding=0):
    r"""Output length of a window of size `M` sliding with `stride` over `H` entries padded with `padding` zeros
    on each side: :math:`\lfloor (H + 2P - M)/S \rfloor + 1`.

    Raises ValueError if the window is larger than the padded input or stride <= 0.
    """
    H, M = _int(H, "H", 1), _int(M, "M", 1)
    S, P = _int(stride, "stride", 1), _int(padding, "padding", 0)
    if M > H + 2 * P:
        raise ValueError(f"the kernel size M={M} is larger than the padded input H + 2P = {H + 2 * P} "
                         f"(H={H}, padding={P})")
    return (H + 2 * P - M) // S + 1


def _geometry(x_shape, kernel, stride, padding, what="kernel"):
    """Output (Ho, Wo), or a ValueError naming the kernel shape and the padded input shape."""
    (M, N), (S1, S2), (P1, P2) = kernel, stride, padding
    H, W = x_shape[2], x_shape[3]
    if M > H + 2 * P1 or N > W + 2 * P2:
        raise ValueError(f"the {what} {(M, N)} is larger than the padded input {(H + 2 * P1, W + 2 * P2)} "
                         f"(x shape {tuple(x_shape)}, padding {(P1, P2)})")
    return (H + 2 * P1 - M) // S1 + 1, (W + 2 * P2 - N) // S2 + 1


def _pad(x, padding):
    P1, P2 = padding
    if P1 == 0 and P2 == 0:
        return x
    xp = np.zeros(x.shape[:2] + (x.shape[2] + 2 * P1, x.shape[3] + 2 * P2), dtype=x.dtype)
    xp[:, :, P1:P1 + x.shape[2], P2:P2 + x.shape[3]] = x
    return xp


def _windows(xp, kernel, stride, out):
    """A view (n, C, Ho, Wo, M, N) of every receptive field of the padded batch `xp`."""
    (M, N), (S1, S2), (Ho, Wo) = kernel, stride, out
    v = sliding_window_view(xp, (M, N), axis=(2, 3))
    return v[:, :, :S1 * (Ho - 1) + 1:S1, :S2 * (Wo - 1) + 1:S2]


class Conv2D(Layer):
    r"""A 2-D convolutional layer (cross-correlation, as deep-learning libraries define it) over NCHW batches.

    .. math:: y_{n,o,i,j} = b_o + \sum_{c,p,q} W_{o,c,p,q}\, \tilde x_{n,c,\,iS+p,\,jS+q}

    Parameters
    ----------
    C_in, C_out : int
        Input and output channels (C_out filters).
    kernel : int or (M, N)
        Filter size M × N (an int gives a square filter).
    stride : int or (S_rows, S_cols), default 1
        Step of the filter, vertical and horizontal.
    padding : int or (P_rows, P_cols), default 0
        Rows/columns of zeros added on each side of the image.
    seed : int or numpy Generator, default 0
        Same seed, same weights (None draws fresh ones).
    init : str, default "he" (``he_normal``)
        A scheme of :mod:`nnlib.init` with fan-in :math:`C_{in} M N` and fan-out :math:`C_{out} M N`: He normal :math:`\sqrt{2/(C_{in} M N)}` or Glorot uniform
        :math:`\pm\sqrt{6/((C_{in} + C_{out}) M N)}`; thresholds b start at 0.
    dtype : floating-point dtype, default float64
        An integer dtype is refused (it would round every weight to a whole number).

    ``params["W"]`` has shape (C_out, C_in, M, N), ``params["b"]`` shape (C_out,); only W is penalized.
    """

    def __init__(self, C_in, C_out, kernel=3, stride=1, padding=0, seed=0, init="he", dtype=np.float64):
        super().__init__()
        self.C_in, self.C_out = _int(C_in, "C_in", 1), _int(C_out, "C_out", 1)
        self.kernel = _pair(kernel, "kernel", 1)
        self.stride = _pair(stride, "stride", 1)
        self.padding = _pair(padding, "padding", 0)
        dtype = check_float_dtype(dtype)
        M, N = self.kernel
        fan_in, fan_out = self.C_in * M * N, self.C_out * M * N
        W = _init.weights(init, (self.C_out, self.C_in, M, N), fan_in, fan_out, seed, dtype)   # nnlib.init
        self.params = {"W": W, "b": np.zeros(self.C_out, dtype=dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.penalized = {"W": np.s_[...]}
        self._work = {}

    def _check_x(self, x):
        x = check_input(x, 4, "x", what="a batch (samples, channels, height, width)")
        if x.shape[1] != self.C_in:
            raise ValueError(f"x has {x.shape[1]} channels (x shape {x.shape}) but the layer's W of shape "
                             f"{self.params['W'].shape} expects C_in={self.C_in}")
        return x

    def forward(self, x, train=False):
        x = self._check_x(x).astype(self.params["W"].dtype, copy=False)
        Ho, Wo = _geometry(x.shape, self.kernel, self.stride, self.padding)
        W, b = self.params["W"], self.params["b"]
        # K = C_in·M·N weights per filter
        n, C_out, K = x.shape[0], self.C_out, W[0].size
        # (K + 1, n·Ho·Wo): a receptive field and a 1 per column
        X = self._im2col(_pad(x, self.padding), (Ho, Wo))
        # homogeneous [W | b], one row per filter
        theta = np.concatenate([W.reshape(C_out, K), b[:, None]], axis=1)
        # y_{o,(n,i,j)} = b_o + Σ_{c,p,q} W_{o,c,p,q} x̃_{n,c,iS+p,jS+q}
        y = theta @ X  # one GEMM
        self._cache = (x.shape, X, (Ho, Wo))
        return y.reshape(C_out, n, Ho, Wo).transpose(1, 0, 2, 3)  # -> NCHW

    def backward(self, grad_y):
        x_shape, _, (Ho, Wo) = self._saved()
        grad_y = self._check_grad_y(grad_y, (x_shape[0], self.C_out, Ho, Wo))
        return Conv2D._unchecked_backward(self, grad_y)

    def _unchecked_backward(self, grad_y):
        x_shape, _, (Ho, Wo) = self._saved()
        W = self.params["W"]
        n, C_out, K = x_shape[0], self.C_out, W[0].size
        G = Conv2D._backward_params(self, grad_y)
        G_X = W.reshape(C_out, K).T @ G      # ∂q/∂X = Wᵀ ∂q/∂y: every entry of every receptive field
        return _col2im(G_X.reshape(self.C_in, *self.kernel, n, Ho, Wo), x_shape, self.stride, self.padding)

    def _backward_params(self, grad_y):
        """Fills ∂q/∂W and ∂q/∂b; returns ∂q/∂y as the matrix G (C_out, n·Ho·Wo) the input gradient needs."""
        _, X, _ = self._saved()
        W = self.params["W"]
        K = W[0].size
        G = self._rows(grad_y)               # ∂q/∂y as (C_out, n·Ho·Wo), its columns in the order of X's
        g_theta = G @ X.T                    # ∂q/∂W = Σ_{n,i,j} ∂q/∂y x̃ᵀ; on X's row of ones, ∂q/∂b = Σ ∂q/∂y
        self.grads["W"][...] = g_theta[:, :K].reshape(W.shape)
        self.grads["b"][...] = g_theta[:, K]
        return G

    def _im2col(self, xp, out):
        """The matrix X (C_in·M·N + 1, n·Ho·Wo) of the padded batch `xp`: column
        (n, i, j) holds the receptive field of output pixel (i, j) of image n,
        its entries in the order (c, p, q) of a filter W[o], then a 1 (the
        threshold b as one more weight). Written into an array kept between
        calls: allocating a fresh large array costs page faults on every
        call."""
        # (n, C, Ho, Wo, M, N): x̃[n, c, iS+p, jS+q]
        win = _windows(xp, self.kernel, self.stride, out)
        # (C, M, N, n, Ho, Wo): (c, p, q) first, then (n, i, j)
        win = win.transpose(1, 4, 5, 0, 2, 3)
        K = self.params["W"][0].size
        X = self._scratch("X", (K + 1, win[0, 0, 0].size), xp.dtype)
        np.copyto(X[:K].reshape(win.shape), win)
        X[K] = 1.0
        return X

    def _rows(self, grad_y):
        """∂q/∂y (n, C_out, Ho, Wo) as a C-contiguous (C_out, n·Ho·Wo): one row per filter, columns (n, i, j)."""
        g = grad_y.transpose(1, 0, 2, 3)
        if not g.flags.c_contiguous:         # forward's output is a transposed view, so its gradient often is too
            g = self._scratch("G", g.shape, g.dtype)
            np.copyto(g, grad_y.transpose(1, 0, 2, 3))
        return g.reshape(self.C_out, -1)

    def _scratch(self, name, shape, dtype):
        """A work array kept between calls (allocating fresh large arrays costs page faults every call)."""
        buf = self._work.get(name)
        if buf is None or buf.shape != tuple(shape) or buf.dtype != dtype:
            buf = self._work[name] = np.empty(shape, dtype=dtype)
        return buf

    def __repr__(self):
        return (f"Conv2D({self.C_in}, {self.C_out}, kernel={self.kernel}, stride={self.stride}, "
                f"padding={self.padding})")


def _col2im(gwin, x_shape, stride, padding):
    """Scatter-add window gradients (C, M, N, n, Ho, Wo) back onto the image: ∂q/∂x (n, C, H, W)."""
    (S1, S2), (P1, P2) = stride, padding
    C, M, N, n, Ho, Wo = gwin.shape
    H, W = x_shape[2], x_shape[3]
    gxp = np.zeros((C, n, H + 2 * P1, W + 2 * P2), dtype=gwin.dtype)
    for p in range(M):                                         # one strided add per kernel offset (col2im)
        for q in range(N):
            gxp[:, :, p:p + S1 * (Ho - 1) + 1:S1, q:q + S2 * (Wo - 1) + 1:S2] += gwin[:, p, q]
    return gxp[:, :, P1:P1 + H, P2:P2 + W].transpose(1, 0, 2, 3)


class _Pool2D(Layer):
    kind = ""

    def __init__(self, size, stride=None):
        super().__init__()
        self.size = _pair(size, "size", 1)
        self.stride = self.size if stride is None else _pair(stride, "stride", 1)

    def _prepare(self, x):
        x = check_input(x, 4, "x", what="a batch (samples, channels, height, width)")
        out = _geometry(x.shape, self.size, self.stride, (0, 0), what=f"{self.kind} window")
        return x, out, _windows(x, self.size, self.stride, out)

    def _scatter(self, g_offset, x_shape, out, dtype):
        """∂q/∂x from the gradient of each window entry, g_offset(p, q) -> (n, C, Ho, Wo)."""
        (M, N), (S1, S2), (Ho, Wo) = self.size, self.stride, out
        gx = np.zeros(x_shape, dtype=dtype)
        for p in range(M):
            for q in range(N):
                gx[:, :, p:p + S1 * (Ho - 1) + 1:S1, q:q + S2 * (Wo - 1) + 1:S2] += g_offset(p, q)
        return gx

    def __repr__(self):
        return f"{type(self).__name__}(size={self.size}, stride={self.stride})"


class MaxPool2D(_Pool2D):
    r"""Max pooling (*valor máximo*): each output is the largest input of its
    window, channel by channel.

    ``backward`` routes the gradient to the argmax of each window (the first one
    on ties); the other inputs get 0. `size` and `stride` are ints or pairs;
    stride defaults to size (non-overlapping windows); rows and columns that do
    not fill a window are dropped.
    """

    kind = "pooling"

    def forward(self, x, train=False):
        x, out, win = self._prepare(x)
        flat = win.reshape(win.shape[:4] + (-1,))  # (n, C, Ho, Wo, M·N), a copy
        k = flat.argmax(axis=-1)                   # first maximum on ties
        self._cache = (x.shape, x.dtype, out, k)
        return np.take_along_axis(flat, k[..., None], axis=-1)[..., 0]

    def backward(self, grad_y):
        x_shape, dtype, out, k = self._saved()
        gy = self._check_grad_y(grad_y, x_shape[:2] + out)
        N = self.size[1]
        return self._scatter(lambda p, q: np.where(k == p * N + q, gy, 0.0),
                             x_shape, out, np.result_type(dtype, gy.dtype))


class AvgPool2D(_Pool2D):
    r"""Average pooling (*valor medio*): each output is the mean of its M × N window, channel by channel;
    ``backward`` shares each gradient equally, :math:`\partial q/\partial y / (MN)`, among the window's inputs."""

    kind = "pooling"

    def forward(self, x, train=False):
        x, out, win = self._prepare(x)
        self._cache = (x.shape, x.dtype, out)
        return win.mean(axis=(-2, -1))

    def backward(self, grad_y):
        x_shape, dtype, out = self._saved()
        gy = self._check_grad_y(grad_y, x_shape[:2] + out)
        share = gy / (self.size[0] * self.size[1])
        return self._scatter(lambda p, q: share, x_shape, out, np.result_type(dtype, gy.dtype))


class Flatten(Layer):
    """(n, C, H, W) (or any (n, ...)) -> (n, C·H·W), row-major, so a :class:`~nnlib.layers.dense.Dense` layer can follow."""

    def forward(self, x, train=False):
        x = as_real_array(x, "x")
        if x.ndim < 2 or x.shape[0] == 0:
            raise ValueError("x must have at least 2 dimensions (samples first, at least one sample); "
                             f"got shape {x.shape}")
        return Flatten._unchecked_forward(self, x, train)

    def _unchecked_forward(self, x, train=False):
        self._cache = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_y):
        shape = self._saved()
        grad_y = self._check_grad_y(grad_y, (shape[0], int(np.prod(shape[1:]))))
        return Flatten._unchecked_backward(self, grad_y)

    def _unchecked_backward(self, grad_y):
        return grad_y.reshape(self._saved())


# ------------------------------------------------------------------------------------------------ oracles

def _oracle_args(x, W, stride, padding):
    x = check_input(x, 4, "x", what="a batch (samples, channels, height, width)")
    W = as_real_array(W, "W", dtype=np.float64)
    if W.ndim != 4:
        raise ValueError(f"W must have shape (C_out, C_in, M, N); got shape {W.shape}")
    if x.shape[1] != W.shape[1]:
        raise ValueError(f"x has {x.shape[1]} channels (x shape {x.shape}) but W of shape {W.shape} "
                         f"expects C_in={W.shape[1]}")
    stride, padding = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    out = _geometry(x.shape, W.shape[2:], stride, padding)
    return x, W, stride, padding, out


def conv2d_naive(x, W, b, stride=1, padding=0):
    """The convolutional layer's forward pass with explicit loops (slow; the
    test oracle of :class:`Conv2D`)."""
    x, W, (S1, S2), padding, (Ho, Wo) = _oracle_args(x, W, stride, padding)
    b = as_real_array(b, "b", dtype=np.float64)
    if b.shape != (W.shape[0],):
        raise ValueError(f"b must have shape (C_out,) = ({W.shape[0]},), one "
                         f"threshold per filter of W; got shape {b.shape}")
    xp = _pad(x, padding)
    n, C_out, M, N = x.shape[0], W.shape[0], W.shape[2], W.shape[3]
    y = np.zeros((n, C_out, Ho, Wo))
    for s in range(n):
        for o in range(C_out):
            for i in range(Ho):
                for j in range(Wo):
                    u, v = i * S1, j * S2  # the window's top-left pixel
                    total = b[o]
                    for c in range(W.shape[1]):
                        for p in range(M):
                            for q in range(N):
                                total += W[o, c, p, q] * xp[s, c, u + p, v + q]
                    y[s, o, i, j] = total
    return y


def conv2d_naive_backward(x, W, grad_y, stride=1, padding=0):
    """Gradients (∂q/∂x, ∂q/∂W, ∂q/∂b) of the convolution by explicit loops, given ∂q/∂y (oracle)."""
    x, W, (S1, S2), (P1, P2), (Ho, Wo) = _oracle_args(x, W, stride, padding)
    grad_y = as_real_array(grad_y, "grad_y", dtype=np.float64)
    expected = (x.shape[0], W.shape[0], Ho, Wo)
    if grad_y.shape != expected:
        raise ValueError(f"grad_y must have the shape of the output y, (n, C_out, H_out, W_out) = {expected}; "
                         f"got shape {grad_y.shape}")
    xp = _pad(x, (P1, P2))
    n, C_out, C_in, M, N = x.shape[0], W.shape[0], W.shape[1], W.shape[2], W.shape[3]
    gxp, gW, gb = np.zeros_like(xp), np.zeros_like(W), np.zeros(C_out)
    for s in range(n):
        for o in range(C_out):
            for i in range(Ho):
                for j in range(Wo):
                    g = grad_y[s, o, i, j]
                    gb[o] += g
                    for c in range(C_in):
                        for p in range(M):
                            for q in range(N):
                                gW[o, c, p, q] += g * xp[s, c, i * S1 + p, j * S2 + q]
                                gxp[s, c, i * S1 + p, j * S2 + q] += g * W[o, c, p, q]
    return gxp[:, :, P1:P1 + x.shape[2], P2:P2 + x.shape[3]], gW, gb
