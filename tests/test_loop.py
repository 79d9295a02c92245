"""nnlib.loop: the one epoch loop, its blocks, its history and the divergence test; the integer checks."""

import numpy as np
import pytest

from nnlib import optim
from nnlib._validate import NonFinite, check_int, check_nonnegative, check_unit
from nnlib.loop import Diverged, DivergenceCheck, History, blocks, run


def test_blocks_cover_every_sample_once():
    rng = np.random.default_rng(0)
    bs = blocks(10, 3, rng)
    assert [len(b) for b in bs] == [3, 3, 3, 1]
    assert sorted(np.concatenate(bs).tolist()) == list(range(10))
    assert [b.tolist() for b in blocks(5, 2)] == [[0, 1], [2, 3], [4]]
    assert [b.tolist() for b in blocks(4, 3, order=np.array([3, 2, 1, 0]))] == [[3, 2, 1], [0]]


def test_same_seed_same_order_new_order_every_epoch():
    a, b = np.random.default_rng(4), np.random.default_rng(4)
    first, again = blocks(20, 20, a)[0], blocks(20, 20, b)[0]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(blocks(20, 20, a)[0], first)


def test_run_records_and_stops():
    losses = iter([0.5, 0.25, 0.1, 0.05])
    hist = run(History(), DivergenceCheck(optim.SGD(0.1)), lambda: 1.0, lambda: next(losses), 10,
               stop=lambda q: "tol_q" if q < 0.2 else None)
    assert (hist.q0, hist.q, hist.epochs, hist.stopped) == (1.0, [0.5, 0.25, 0.1], 3, "tol_q")
    hist = run(History(), DivergenceCheck(optim.SGD(0.1)), lambda: 1.0, lambda: 0.9, 4)
    assert hist.epochs == 4 and hist.stopped == "max_epochs"
    hist = run(History(), DivergenceCheck(optim.SGD(0.1)), lambda: 0.1, lambda: 0.0, 4, stop=lambda q: "tol_q")
    assert hist.epochs == 0 and hist.stopped == "tol_q"          # the start already meets the tolerance


def test_divergence_carries_the_history():
    growing = iter([20.0, 30.0, 40.0, 50.0])
    with pytest.raises(Diverged, match="epoch 3.*rho=0.5.*rho=0.05") as err:
        run(History(), DivergenceCheck(optim.SGD(0.5)), lambda: 1.0, lambda: next(growing), 10)
    assert err.value.history.q == [20.0, 30.0, 40.0] and err.value.history.stopped == "diverged"


def test_a_nonfinite_error_is_divergence_by_its_type():
    def epoch():
        raise NonFinite("phi must be finite; got 1 infinite value(s)")

    with pytest.raises(Diverged, match="became infinite or NaN"):
        run(History(), DivergenceCheck(optim.SGD(1.0)), lambda: 1.0, epoch, 3)

    def other():
        raise ValueError("a finite mistake that is not divergence")

    with pytest.raises(ValueError, match="not divergence"):
        run(History(), DivergenceCheck(optim.SGD(1.0)), lambda: 1.0, other, 3)


@pytest.mark.parametrize("value, message", [
    (0, "B must be an integer >= 1 \\(the block size\\); got 0"),
    (2.0, "got 2.0"), (True, "got True"), (np.bool_(True), "got np.True_|got True"), ("3", "got '3'"),
])
def test_check_int_refuses(value, message):
    with pytest.raises(ValueError, match=message):
        check_int(value, "B", 1, "the block size")


def test_check_int_and_unit_accept():
    assert check_int(np.int64(3), "B") == 3 and type(check_int(np.int64(3), "B")) is int
    assert check_int(0, "k", 0) == 0
    with pytest.raises(ValueError, match="eos must be an integer in 0..4; got 5"):
        check_int(5, "eos", 0, maximum=4)
    assert check_unit(0.5, "p") == 0.5 and check_unit(0, "p") == 0.0
    with pytest.raises(ValueError, match=r"p must be a number in \[0, 1\) \(the drop probability\); got 1"):
        check_unit(1, "p", high_open=True, what="the drop probability")
    with pytest.raises(TypeError, match="p must be a real number"):
        check_unit(True, "p")


def test_check_nonnegative():
    assert check_nonnegative(0, "sigma") == 0.0 and check_nonnegative(np.float32(0.5), "sigma") == 0.5
    with pytest.raises(ValueError, match=r"sigma must be a number >= 0 \(the noise level\); got -0.1"):
        check_nonnegative(-0.1, "sigma", "the noise level")
    with pytest.raises(ValueError, match="sigma must be finite; got inf"):
        check_nonnegative(np.inf, "sigma")
    with pytest.raises(TypeError, match="sigma must be a real number; got bool True"):
        check_nonnegative(True, "sigma")


def test_explorers_run_on_the_shared_loop():
    """explore's runs go through loop.run: a divergence there is the flag, the curves end at the epoch that blew up."""
    from nnlib.book import explore
    calm, wild = explore.gd_mlp(0.1, epochs=20), explore.gd_mlp(100.0, epochs=20)
    assert not calm.diverged and len(calm.q) == 21
    assert wild.diverged and 1 < len(wild.q) < 21 and np.isfinite(wild.q).all()
    assert wild.q[-1] > 10 * wild.q[0] or len(wild.q) < 4       # blown up (rule 2), or stopped at a NaN or overflow
