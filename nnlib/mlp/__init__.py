r"""The slides' multilayer perceptron: weights as a list ``theta[l]`` of homogeneous matrices, the error term
:math:`\delta = -\partial q / \partial \phi`, BackProp and the slides' training boxes (chapters 1, 3 and 5).

- :mod:`~nnlib.mlp.network`: :class:`~nnlib.mlp.network.MLP`, the forward pass φ, s layer by layer;
- :mod:`~nnlib.mlp.backprop`: the δ recursion, the gradient and the increments, over the whole batch;
- :mod:`~nnlib.mlp.literal`: the same, loop by loop as the slides' pseudo-code (the test oracle);
- :mod:`~nnlib.mlp.train`: batch, mini-batch, incremental and on-line training;
- :mod:`~nnlib.mlp.workspace`: the training loops' fast path (the same BackProp in arrays allocated once);
- :mod:`~nnlib.mlp.feedforward`: a forward-only network on any acyclic graph of units (layer-skipping edges).
"""

from . import backprop, literal, train
from .feedforward import FeedForward
from .network import INIT_SCHEMES, MLP, count_params, homogeneous, init_theta

__all__ = ["MLP", "FeedForward", "INIT_SCHEMES", "init_theta", "count_params", "homogeneous",
           "backprop", "literal", "train"]
