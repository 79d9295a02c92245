"""Google's daily stock prices 2004-2008, the series of the prediction page and exercise 24.

The 1047 trading days from 2004-08-19 to 2008-10-14 come with matplotlib (``goog.npz``, one of its sample
data files); matplotlib is imported when :func:`goog` is called, so ``import nnlib`` needs numpy only.
"""

__all__ = ["goog"]


def goog():
    """Dates and closing prices of Google's stock, 1047 trading days from 2004-08-19 to 2008-10-14.

    Returns
    -------
    dates : ndarray of datetime64[D], shape (1047,)
        The trading days.
    price : ndarray of float, shape (1047,)
        The closing price :math:`p_t` in dollars; in this period it equals the adjusted close (no splits or
        dividends to adjust for).
    """
    import matplotlib.cbook as cbook

    data = cbook.get_sample_data("goog.npz")["price_data"]
    return data["date"], data["close"]
