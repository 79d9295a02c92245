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


def test_conv_channels_returns_the_output_shape_and_writes_the_shapes():
    from nnlib.book.diagrams import conv_channels

    fig, ax = plt.subplots()
    assert conv_channels(ax, C_in=2, C_out=3, H=6, W=5, M=3, N=2) == (3, 4, 4)
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "2×6×5" in texts and "2×3×2" in texts and "3×4×4" in texts
    plt.close(fig)


def test_conv_channels_rejects_a_kernel_larger_than_the_image():
    import pytest
    from nnlib.book.diagrams import conv_channels

    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="M×N"):
        conv_channels(ax, H=2, M=3)
    with pytest.raises(ValueError, match="C_in"):
        conv_channels(ax, C_in=0)
    plt.close(fig)


def test_receptive_field_1d_counts_the_units_one_output_depends_on():
    import pytest
    from nnlib.book.diagrams import receptive_field_1d

    fig, ax = plt.subplots()
    # by hand: 1 -> 3 -> 5 -> 7 for three windows of 3, stride 1
    assert receptive_field_1d(ax, [(3, 1)] * 3, 11) == [1, 3, 5, 7]
    # window 3, then pool 2 stride 2 (4 units), then window 3 (4 + 2·2 = 8)
    assert receptive_field_1d(ax, [(3, 1), (2, 2), (3, 1)], 14) == [1, 3, 6, 8]
    # stride 2 first: 1 -> 3 -> 3 + 2·2 = 7
    assert receptive_field_1d(ax, [(3, 2), (3, 1)], 15) == [1, 3, 7]
    with pytest.raises(ValueError, match="too small"):
        receptive_field_1d(ax, [(3, 1)] * 3, 5)
    with pytest.raises(ValueError, match=r"layers\[1\]"):
        receptive_field_1d(ax, [(3, 1), (0, 1)], 9)
    plt.close(fig)


def test_lstm_and_gru_cells_draw_their_gates_and_operations():
    from nnlib.book.diagrams import gru_cell, lstm_cell

    fig, (a, b) = plt.subplots(1, 2)
    assert set(lstm_cell(a)) == {"i", "f", "c_tilde", "o"}
    assert set(gru_cell(b)) == {"r", "u", "h"}
    lstm_texts = [t.get_text() for t in a.texts]
    gru_texts = [t.get_text() for t in b.texts]
    # LSTM: ⊙ for f·c, i·c̃ and o·tanh(c), one + on the cell path
    assert lstm_texts.count("⊙") == 3 and lstm_texts.count("+") == 1
    assert lstm_texts.count("tanh") == 2 and lstm_texts.count("$g_S$") == 3
    # GRU: ⊙ for u·h, (1 − u)·h̃ and r·h, one 1 − u, one +
    assert gru_texts.count("⊙") == 3 and gru_texts.count("1−") == 1
    assert gru_texts.count("+") == 1
    plt.close(fig)
