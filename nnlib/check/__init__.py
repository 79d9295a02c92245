r"""Kind answer checks for the exercise notebooks: ``from nnlib import check; check.check_adam_step(...)``.

Each check prints one short message and returns ``True`` or ``False``; it never lets a traceback
reach the student for a wrong answer::

    ✔ Correct! ...
    ✘ Not quite.
      Expected: ...
      Got:      ...
      Hint:     ...

An answer that still raises ``NotImplementedError`` prints ``✘ Not answered yet: ...``.

Answers can be given as values or as functions; a function is called by the check (with the
symbols, or with the evaluation points), so an error inside it becomes a message, not a traceback.
Every check records its latest result under its name: :func:`~nnlib.check.summary` prints how many are
correct so far (a notebook's last cell), :func:`~nnlib.check.results` returns them.

The checks live in one module per topic, each importing the shared plumbing of ``nnlib.check._feedback``
(messages, calls of the student's code, formatting, the record of results) and nothing else of this package
but public checks:

- ``answers`` — answers of any chapter: :func:`~nnlib.check.answers.check_symbolic` (a SymPy expression), :func:`~nnlib.check.answers.check_values`
  (numbers), :func:`~nnlib.check.answers.check_maximum`, :func:`~nnlib.check.answers.check_derivative` (a numpy g'), :func:`~nnlib.check.answers.check_array`,
  :func:`~nnlib.check.answers.check_function` (a function such as ``count_D(M)``), :func:`~nnlib.check.answers.check_choice` (a prediction);
- ``mlp`` — the multilayer perceptron (exercises 3-6): :func:`~nnlib.check.mlp.check_layer` (:math:`s = g(\theta\,[1, s'])`),
  :func:`~nnlib.check.mlp.check_classifier` (XOR), :func:`~nnlib.check.mlp.check_collapse` (linear layers);
- ``backprop`` — BackProp (8-10): :func:`~nnlib.check.backprop.check_output_delta`, :func:`~nnlib.check.backprop.check_delta`, :func:`~nnlib.check.backprop.check_backprop_step`;
- ``optim`` — optimizers (11, 12): :func:`~nnlib.check.optim.check_momentum_step`, :func:`~nnlib.check.optim.check_adam_step`;
- ``normalization`` (15), ``regularization`` (16-18), ``augment`` (19), ``conv`` (20), ``recurrent`` (21),
  ``attention`` (22) and ``applications`` (23-25): the checks of the later chapters;
- the language of the messages: :func:`~nnlib.check.language` sets it, ``check.language("es")`` for Spanish
  (``"en"``, English, is the default); the environment variable ``NNLIB_LANG=es`` starts a session in Spanish.

SymPy is imported only by the checks that need it.
"""

from ._feedback import language, results, summary
from .answers import (check_array, check_choice, check_derivative, check_function, check_maximum, check_symbolic,
                      check_values)
from .applications import check_inverse_model_data, check_persistence, check_precision_recall
from .attention import check_attention
from .augment import check_hflip_digits, check_random_shift
from .backprop import check_backprop_step, check_delta, check_output_delta
from .conv import check_conv_by_hand, check_conv_output_size, check_conv_param_count
from .mlp import check_classifier, check_collapse, check_layer
from .normalization import check_batchnorm_backward
from .optim import check_adam_step, check_momentum_step
from .recurrent import bptt_one_unit, check_bptt_by_hand
from .regularization import check_clip_by_norm, check_inverted_dropout, check_l1_step, check_l1_subgradient

__all__ = [
    # answers of any chapter
    "check_symbolic", "check_values", "check_maximum", "check_derivative", "check_array", "check_function",
    "check_choice",
    # the multilayer perceptron, BackProp, optimizers
    "check_layer", "check_classifier", "check_collapse",
    "check_output_delta", "check_delta", "check_backprop_step",
    "check_momentum_step", "check_adam_step",
    # the later chapters
    "check_batchnorm_backward",
    "check_inverted_dropout", "check_clip_by_norm", "check_l1_subgradient", "check_l1_step",
    "check_hflip_digits", "check_random_shift",
    "check_conv_output_size", "check_conv_param_count", "check_conv_by_hand",
    "check_bptt_by_hand", "bptt_one_unit",
    "check_attention",
    "check_precision_recall", "check_persistence", "check_inverse_model_data",
    # the record of results
    "results", "summary",
    # the language of the messages
    "language",
]
