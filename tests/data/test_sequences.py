"""nnlib.data.sequences: the memory task and the Spanish number words."""

import numpy as np
import pytest

from nnlib.data.sequences import decode, memory_task, number_words, spanish


def test_memory_task_targets_are_the_first_symbol_and_noise_comes_from_other_symbols():
    X, t, symbols = memory_task(50, T=7, K=3, seed=2)
    assert X.shape == (50, 7, 6) and t.shape == (50,) and symbols.shape == (50, 7)
    assert np.array_equal(X.argmax(axis=2), symbols) and np.all(X.sum(axis=2) == 1)
    assert np.array_equal(symbols[:, 0], t) and np.all(t < 3)
    assert np.all(symbols[:, 1:] >= 3) and np.all(symbols[:, 1:] < 6)
    assert np.array_equal(memory_task(50, T=7, K=3, seed=2)[0], X)
    assert not np.array_equal(memory_task(50, T=7, K=3, seed=3)[0], X)


@pytest.mark.parametrize("kw", [{"N": 0}, {"N": 2.0}, {"N": 3, "T": 0}, {"N": 3, "K": True}])
def test_memory_task_bad_sizes_raise(kw):
    with pytest.raises(ValueError, match="must be an integer"):
        memory_task(**kw)


@pytest.mark.parametrize("n, text", [(0, "cero"), (16, "dieciséis"), (21, "veintiuno"), (22, "veintidós"),
                                     (31, "treinta y uno"), (100, "cien"), (101, "ciento uno"),
                                     (342, "trescientos cuarenta y dos"), (500, "quinientos"),
                                     (623, "seiscientos veintitrés"), (990, "novecientos noventa")])
def test_spanish_spells_numbers_as_written_in_full(n, text):
    assert " ".join(spanish(n)) == text


def test_every_number_has_its_own_spelling():
    assert len({" ".join(spanish(n)) for n in range(1000)}) == 1000


@pytest.mark.parametrize("n", [-1, 1000, 2.5, True])
def test_spanish_out_of_range_raises(n):
    with pytest.raises(ValueError, match="n must be an integer"):
        spanish(n)


def test_number_words_encodes_words_and_digits():
    d = number_words()
    assert d.X.shape == d.X_mask.shape == (1000, 4) and d.Y.shape == d.Y_mask.shape == (1000, 4)
    assert [d.tokens_in[i] for i in d.X[342] if i] == spanish(342)
    assert d.X_mask[342].tolist() == [1, 1, 1, 1] and d.X_mask[100].tolist() == [1, 0, 0, 0]
    assert decode(d.Y[342], d.tokens_out, d.EOS) == "342" and decode(d.Y[7], d.tokens_out, d.EOS) == "7"
    assert d.Y_mask[7].tolist() == [1, 1, 0, 0] and d.tokens_in[0] == "<pad>"


def test_decode_stops_at_eos():
    assert decode([1, 2, 0, 3], ["<eos>", "a", "b", "c"], 0) == "ab"
    assert decode([3, 3], ["<eos>", "a", "b", "c"], 0) == "cc"
