r"""Sequence tasks of chapter 6: a task that needs memory, and Spanish number words to digits.

- :func:`memory_task`: recall the first of T symbols (recurrent-networks and training-rnns pages);
- :func:`spanish`: the Spanish words of a number 0..999, and :func:`number_words`, the 1000 numbers as padded
  token sequences for a sequence-to-sequence model (sequence-to-sequence page);
- :func:`decode`: token ids back to a string, up to the end-of-sequence token.

Everything is generated from a seed; nothing is downloaded.
"""

from types import SimpleNamespace

import numpy as np

from .._validate import check_int

__all__ = ["memory_task", "spanish", "number_words", "decode"]


def memory_task(N, T=20, K=4, seed=0):
    r"""N sequences of T one-hot symbols whose target is the first symbol: a task that needs memory.

    Step 1 is one of K symbols :math:`0, \dots, K-1` (A, B, C, D for K = 4); steps 2..T are noise, drawn from
    K other symbols :math:`K, \dots, 2K-1` (w, x, y, z). A network without memory is at chance, 1/K.

    Parameters
    ----------
    N : int
        Number of sequences.
    T : int, default 20
        Steps per sequence (the answer is T − 1 steps back from the last one).
    K : int, default 4
        Number of symbols to remember (and of noise symbols).
    seed : int, default 0
        Same seed, same sequences.

    Returns
    -------
    X : ndarray (N, T, 2K)
        The one-hot inputs.
    t : ndarray (N,)
        The target class of each sequence, its first symbol.
    symbols : ndarray (N, T)
        The symbol ids, for printing.
    """
    N, T, K = check_int(N, "N", 1), check_int(T, "T", 1), check_int(K, "K", 1)
    rng = np.random.default_rng(seed)
    first = rng.integers(0, K, N)
    symbols = np.concatenate([first[:, None], K + rng.integers(0, K, (N, T - 1))], axis=1)
    return np.eye(2 * K)[symbols], first, symbols


_UNITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
_TEENS = ["diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho",
          "diecinueve"]
_TWENTIES = ["veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis",
             "veintisiete", "veintiocho", "veintinueve"]
_TENS = {3: "treinta", 4: "cuarenta", 5: "cincuenta", 6: "sesenta", 7: "setenta", 8: "ochenta", 9: "noventa"}
_HUNDREDS = {1: "ciento", 2: "doscientos", 3: "trescientos", 4: "cuatrocientos", 5: "quinientos",
             6: "seiscientos", 7: "setecientos", 8: "ochocientos", 9: "novecientos"}


def _below_100(n):
    """The words of 0 <= n < 100."""
    if n < 10:
        return [_UNITS[n]]
    if n < 20:
        return [_TEENS[n - 10]]
    if n < 30:
        return [_TWENTIES[n - 20]]
    tens, units = divmod(n, 10)
    return [_TENS[tens]] + (["y", _UNITS[units]] if units else [])


def spanish(n):
    """The Spanish words of 0 <= n <= 999, as one writes them in full, as a list of words.

    *cien* for 100 but *ciento uno* for 101; the fused *dieciséis* and *veintitrés* (with their accents);
    *quinientos*, *setecientos*, *novecientos*.

    >>> spanish(342)
    ['trescientos', 'cuarenta', 'y', 'dos']
    """
    n = check_int(n, "n", 0, maximum=999)
    if n == 100:
        return ["cien"]
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return _below_100(n)
    return [_HUNDREDS[hundreds]] + (_below_100(rest) if rest else [])


def number_words(T_in=4, T_out=4):
    """The numbers 0..999 as a sequence-to-sequence data set: their words in, their digits and ``<eos>`` out.

    Returns a namespace with

    - ``words``: the list of the 1000 word lists (``words[n] == spanish(n)``);
    - ``tokens_in``: ``["<pad>"]`` + the sorted vocabulary (id 0 is the padding); ``tokens_out``: the digits
      ``"0"``..``"9"`` and ``"<eos>"``; ``EOS``, the id of ``<eos>``;
    - ``X`` (1000, T_in) word ids padded with 0 and ``X_mask`` (1000, T_in) of 0/1;
    - ``Y`` (1000, T_out) digit ids then ``<eos>`` (padded with ``<eos>``) and ``Y_mask`` (1000, T_out).
    """
    T_in, T_out = check_int(T_in, "T_in", 4), check_int(T_out, "T_out", 4)
    words = [spanish(n) for n in range(1000)]
    tokens_in = ["<pad>"] + sorted({w for ws in words for w in ws})
    src_id = {w: i for i, w in enumerate(tokens_in)}
    tokens_out = list("0123456789") + ["<eos>"]
    EOS = tokens_out.index("<eos>")
    X, X_mask = np.zeros((1000, T_in), dtype=int), np.zeros((1000, T_in))
    Y, Y_mask = np.full((1000, T_out), EOS), np.zeros((1000, T_out))
    for n, ws in enumerate(words):
        X[n, :len(ws)] = [src_id[w] for w in ws]
        X_mask[n, :len(ws)] = 1
        digits = [int(d) for d in str(n)] + [EOS]
        Y[n, :len(digits)] = digits
        Y_mask[n, :len(digits)] = 1
    return SimpleNamespace(words=words, tokens_in=tokens_in, tokens_out=tokens_out, EOS=EOS,
                           X=X, X_mask=X_mask, Y=Y, Y_mask=Y_mask)


def decode(ids, tokens, eos):
    """The string of the tokens ``tokens[i]`` for the ids before the first `eos` (all of them if none is)."""
    out = []
    for i in ids:
        if i == eos:
            break
        out.append(tokens[i])
    return "".join(out)
