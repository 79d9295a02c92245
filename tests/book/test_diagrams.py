"""nnlib.book.diagrams: arrows, boxes and nodes land on the Axes with their labels."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nnlib.book.diagrams import arrow, box, node  # noqa: E402


def test_arrow_box_and_node_add_one_patch_and_their_labels():
    fig, ax = plt.subplots()
    node(ax, (0, 0), "$x$", "0.9")
    box(ax, (2, 0), "$h_1$", "#cfe2f3")
    a = arrow(ax, (0, 0), (2, 0), "$W$", color="firebrick", shrink=18, lw=1.3)
    arrow(ax, (2, 0), (2, 1))
    assert len(ax.patches) == 4
    assert [t.get_text() for t in ax.texts] == ["$x$", "$h_1$", "$W$"]
    assert a.get_linewidth() == 1.3 and ax.texts[-1].get_color() == "firebrick"
    plt.close(fig)
