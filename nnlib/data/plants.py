r"""The plants of the control page and exercise 25: a tank with an outlet, and a linear second-order plant.

- :func:`tank`: one step of a tank's level :math:`h` with pump flow :math:`u` (Torricelli's outflow
  :math:`a\sqrt{h}`, Euler's method), the control page's plant;
- :func:`closed_loop`: a controller and the tank in a loop, over a reference sequence;
- :func:`second_order`: :math:`y_{k+1} = 1.2\, y_k - 0.5\, y_{k-1} + 0.4\, u_k + 0.3\, u_{k-1}`, exercise 25's
  plant, linear so that least squares fits its inverse exactly.
"""

import numpy as np

__all__ = ["DT", "AREA", "A", "U_MAX", "tank", "closed_loop", "second_order"]

#: The tank's sampling time Δt (s), cross-section (m²), outlet coefficient a and largest pump flow (m³/s).
DT, AREA, A, U_MAX = 1.0, 1.0, 0.5, 2.0


def tank(h, u, a=A):
    r"""The level after one step, :math:`h_{k+1} = \max\big(0,\; h_k + \tfrac{\Delta t}{A}(u_k - a\sqrt{h_k})\big)`,
    with the pump flow clipped to :math:`0 \le u_k \le u_{\max}`.

    Elementwise on arrays. `a` is the outlet's coefficient (a wider outlet: a larger `a`).
    """
    u = np.clip(u, 0.0, U_MAX)
    return np.maximum(h + DT / AREA * (u - a * np.sqrt(h)), 0.0)


def closed_loop(controller, reference, a=A, h0=1.0):
    """Simulate the tank under `controller(k, h_k) -> u_k` while it tracks `reference` (one target per step).

    Returns the levels h_0..h_T (T + 1,) and the pump flows u_0..u_{T-1} (T,), each flow clipped to
    [0, U_MAX] as the pump delivers it. `a` is the true plant's outlet coefficient.
    """
    T = len(reference)
    h, u = np.empty(T + 1), np.empty(T)
    h[0] = h0
    for k in range(T):
        u[k] = np.clip(controller(k, h[k]), 0.0, U_MAX)
        h[k + 1] = tank(h[k], u[k], a=a)
    return h, u


def second_order(y, y_prev, u, u_prev):
    r""":math:`y_{k+1} = 1.2\, y_k - 0.5\, y_{k-1} + 0.4\, u_k + 0.3\, u_{k-1}` (a stable linear plant of order 2)."""
    return 1.2 * y - 0.5 * y_prev + 0.4 * u + 0.3 * u_prev
