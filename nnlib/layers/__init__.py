r"""Modular layers for deep networks (chapters 2, 4, 6 and 7): every layer has ``forward(x, train)`` and
``backward(grad_y)``, its ``params`` and ``grads`` dicts, and a :class:`~nnlib.layers.sequential.Sequential`
chains them.

The layers speak gradients, :math:`\partial q / \partial y`; the slides' perceptron (:mod:`nnlib.mlp`) speaks
:math:`\delta = -\partial q / \partial \phi`. For a dense layer ``grad_y`` is :math:`-\delta` (divided by N for the
mean over a batch); :meth:`~nnlib.layers.sequential.Sequential.from_mlp` joins the two worlds, and the book explains
the convention once (chapter 3, "The BackProp algorithm", section "One algorithm, two sign conventions").
"""

from .attention import AdditiveAttention, DotAttention, Embedding, Seq2Seq
from .base import Layer, check_input
from .blocks import Maxout, Residual
from .conv import AvgPool2D, Conv2D, Flatten, MaxPool2D
from .dense import Act, Dense
from .normalization import BatchNorm, LayerNorm, Standardize
from .recurrent import GRU, LSTM, Elman, LastStep, PerStep, SecondOrderRNN, SimpleRNN
from .regularization import L1, L2, ClipNorm, ClipValue, Dropout
from .sequential import Sequential

__all__ = ["Layer", "check_input", "Dense", "Act", "Sequential", "Standardize", "BatchNorm", "LayerNorm",
           "L1", "L2", "Dropout", "ClipNorm", "ClipValue", "Conv2D", "MaxPool2D", "AvgPool2D", "Flatten",
           "SimpleRNN", "Elman", "SecondOrderRNN", "LSTM", "GRU", "LastStep", "PerStep",
           "DotAttention", "AdditiveAttention", "Embedding", "Seq2Seq", "Residual", "Maxout"]
