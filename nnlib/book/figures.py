r"""What the book's build records about each matplotlib figure, and how it is read back.

When :func:`install` has run in a kernel, every PNG that matplotlib writes there carries two text chunks:

- ``nnlib:min_font_pt``: the size, in points, of the smallest visible text of the figure (tick labels,
  legends, titles, annotations);
- ``nnlib:alt``: a short description made from the figure's titles and axis labels, e.g.
  ``"Figure: q(θ(k)) against step k; r(ρ) against ρ"``.

The book's build turns it on in every notebook's kernel (tests/execute_notebooks.py). The book's extension
(_ext/book_layout.py) gives each figure its description as alt text, and the browser test
(tests/book/layout.py) computes how large the smallest text is at the size the page shows the figure:
``pt / 72 × dpi × shown width / natural width`` CSS pixels (at least 9 on every page, issue #15).
Readers running a notebook never need it.

``import nnlib`` does not import this module; matplotlib is imported when :func:`install` runs.
"""

import functools
import re
import struct
import zlib
from pathlib import Path

__all__ = ["install", "describe", "smallest_font", "png_info"]

MIN_FONT_KEY = "nnlib:min_font_pt"
ALT_KEY = "nnlib:alt"

_TEX = {r"\rho": "ρ", r"\theta": "θ", r"\Theta": "Θ", r"\phi": "φ", r"\delta": "δ", r"\nu": "ν",
        r"\lambda": "λ", r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\sigma": "σ", r"\mu": "μ",
        r"\epsilon": "ε", r"\varepsilon": "ε", r"\eta": "η", r"\nabla": "∇", r"\Delta": "Δ",
        r"\sum": "Σ", r"\infty": "∞", r"\cdot": "·", r"\times": "×", r"\leq": "≤", r"\geq": "≥",
        r"\le": "≤", r"\ge": "≥", r"\to": "→", r"\pm": "±", r"\ell": "ℓ", r"\kappa": "κ", r"\tau": "τ",
        r"\xi": "ξ", r"\omega": "ω", r"\zeta": "ζ", r"\partial": "∂"}


def _plain(text):
    """A matplotlib label as plain text: TeX symbols to Unicode, markup dropped."""
    text = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"\1/\2", text)
    text = re.sub(r"\\[dt]?frac(\d)(\d)", r"\1/\2", text)
    for tex, uni in sorted(_TEX.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(tex, uni)
    text = re.sub(r"\\(mathrm|mathbf|mathit|text|operatorname|boldsymbol|hat|bar|tilde)\{([^{}]*)\}", r"\2", text)
    text = re.sub(r"\\[A-Za-z]+", "", text)
    text = text.replace("$", "").replace("{", "").replace("}", "").replace("\\", "")
    return re.sub(r"\s+", " ", text).strip()


def _visible_texts(fig):
    from matplotlib.text import Text
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
            and t.get_figure() is not None]


def smallest_font(fig):
    """The size in points of the smallest visible, non-empty text of `fig` (None if it has none)."""
    sizes = [t.get_fontsize() for t in _visible_texts(fig)]
    return min(sizes) if sizes else None


def describe(fig):
    """A one-line description of `fig` from its suptitle, axes titles and axis labels."""
    parts = []
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        parts.append(_plain(sup.get_text()))
    for ax in fig.get_axes():
        if not ax.get_visible() or not ax.axison and not ax.get_title() and not ax.images:
            continue
        title = _plain(ax.get_title() or ax.get_title(loc="left") or ax.get_title(loc="right"))
        x, y = _plain(ax.get_xlabel()), _plain(ax.get_ylabel())
        axis = f"{y} against {x}" if x and y else (x or y)
        if ax.images and not axis:
            axis = "image"
        text = f"{title} ({axis})" if title and axis else (title or axis)
        if text and text not in parts:
            parts.append(text)
    described = "; ".join(p for p in parts if p)
    if not described:
        n = len(fig.get_axes())
        described = f"a plot with {n} panels" if n > 1 else "a plot"
    return "Figure: " + described[:300]


def install():
    """Make every PNG that matplotlib writes in this process carry its smallest font size and description."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if getattr(FigureCanvasAgg.print_png, "_nnlib_figure_info", False):
        return
    plain_print_png = FigureCanvasAgg.print_png

    # the same signature as matplotlib's (it passes a print method only the options its signature takes)
    @functools.wraps(plain_print_png)
    def print_png(self, filename_or_obj, *args, metadata=None, **kwargs):
        info = dict(metadata or {})
        font = smallest_font(self.figure)
        if font is not None:
            info.setdefault(MIN_FONT_KEY, f"{font:.2f}")
        info.setdefault(ALT_KEY, describe(self.figure))
        return plain_print_png(self, filename_or_obj, *args, metadata=info, **kwargs)

    print_png._nnlib_figure_info = True
    FigureCanvasAgg.print_png = print_png


def png_info(source):
    """(text chunks as a dict, dpi or None) of a PNG file or its bytes; ({}, None) for anything else."""
    data = bytes(source) if isinstance(source, (bytes, bytearray, memoryview)) else Path(source).read_bytes()
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return {}, None
    pos, texts, dpi = 8, {}, None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            texts[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _translated, _, value = rest.partition(b"\0")
            texts[key.decode("latin-1")] = (zlib.decompress(value) if compressed else value).decode("utf-8")
        elif kind == b"pHYs" and length == 9:
            ppu, _, unit = struct.unpack(">IIB", body)
            if unit == 1:
                dpi = ppu * 0.0254
        elif kind == b"IEND":
            break
        pos += 12 + length
    return texts, dpi
