"""nnlib.data.plants: the tank of the control page and the second-order plant of exercise 25."""

import numpy as np

from nnlib.data.plants import A, U_MAX, closed_loop, second_order, tank


def test_tank_holds_its_level_when_inflow_equals_outflow():
    assert tank(4.0, A * np.sqrt(4.0)) == 4.0
    assert tank(16.0, U_MAX) == 16.0 and tank(0.0, 0.0) == 0.0


def test_tank_clips_the_pump_and_never_goes_below_empty():
    assert tank(1.0, 10 * U_MAX) == tank(1.0, U_MAX)
    assert tank(1.0, -5.0) == tank(1.0, 0.0) and tank(0.01, 0.0) == 0.0


def test_closed_loop_follows_the_equation_step_by_step():
    ref = np.array([2.0, 2.0, 3.0])
    h, u = closed_loop(lambda k, h: 5.0 * (ref[k] - h), ref, h0=1.0)
    assert h.shape == (4,) and u.shape == (3,) and np.all((u >= 0) & (u <= U_MAX))
    level = 1.0
    for k in range(3):
        level = tank(level, np.clip(5.0 * (ref[k] - level), 0, U_MAX))
        assert h[k + 1] == level


def test_second_order_plant():
    assert second_order(1.0, 0.0, 0.0, 0.0) == 1.2
    assert second_order(0.0, 1.0, 1.0, 1.0) == -0.5 + 0.4 + 0.3
