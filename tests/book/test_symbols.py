"""One meaning per symbol: the registry of the book's symbols, the pages that use each, and clashes.

``SYMBOLS`` below is the registry: each symbol, its one meaning, and the LaTeX patterns that find it in
the math of a page (``$…$``, ``$$…$$``, ```{math}``` blocks and the ``{math}`` role of the Markdown cells
of every notebook, and of every Markdown page, of ``chapters/`` and ``exercises/solutions/`` that
``_toc.yml`` lists). The notation page holds, between the markers ``<!-- symbols:start -->`` and
``<!-- symbols:end -->``, a table with one row per symbol: its meaning and ``{doc}`` links to the pages
that use it. The tests fail

- when a page uses a registered symbol and the notation page does not list it for that symbol, or the
  notation page lists a page that no longer uses it (run ``python tests/book/test_symbols.py --write``
  to regenerate the table, then read the diff);
- when a symbol that must keep one meaning appears with another one: the curvature written
  :math:`\\lambda`, the gradient written with the activation's letter :math:`g`, a decay rate written
  :math:`\\gamma` or :math:`\\beta`, :math:`D = d + 1`, :math:`\\delta_{ij}`, :math:`\\sigma(\\cdot)` ...
  (each symbol's ``clash`` and ``more``: a form of the symbol in the math of a sentence, and the words of
  the same sentence that betray the second meaning; ``allow`` lets through sentences that only quote
  another text's letters, such as "the papers call them η or α").

A planted page proves both checks fail (``test_a_planted_clash_fails``).
"""

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from toc import toc_files  # noqa: E402

NOTATION = ROOT / "chapters" / "08-notation" / "notation.md"
START, END = "<!-- symbols:start -->", "<!-- symbols:end -->"

NOT_LETTER = r"(?<![\\a-zA-Z])"   # not part of a command (\beta) or a word (\text{max})
END_LETTER = r"(?![a-zA-Z])"
DECAY_NOT = r"(?!\s*_\{?(?:[12]|\\text\{run))"   # not beta_1, beta_2, beta_run (decay rates)


@dataclass
class Symbol:
    shown: str            # the first column of the notation page's table, exactly
    meaning: str          # the second column
    pattern: str          # regex on the math of a page
    clash: str = ""       # regex on the math of a sentence: a form of the symbol ...
    words: str = ""       # ... that is a clash when the sentence also matches this ("" = always)
    allow: str = ""       # sentences that match this only quote another text's letters
    more: tuple = ()      # further (clash, words) pairs

    def uses(self, math):
        return re.search(self.pattern, math) is not None


BN = "batch normalization"
SYMBOLS = [
    # --- the slides' notation (slide 70 and the symbols the slides use without listing them) ---
    Symbol(r"$\theta_{ij}^k$, $\boldsymbol{\theta}$, $\Theta$",
           "weights: of one connection, of one unit, all of them ($\\Theta \\in \\mathbb{R}^D$)",
           r"\\theta|\\Theta|\\boldsymbol\\theta"),
    Symbol(r"$\phi$, $\phi_i^k$", "linear discriminant function; pre-activation of node $i$ of layer $k$",
           r"\\phi" + END_LETTER + r"|\\Phi" + END_LETTER),
    Symbol(r"$g$, $g'$, $g_S$, …", "activation function, its derivative, the slides' named activations "
           "(and, in the slides' chain rule, the inner functions $g_i$)",
           NOT_LETTER + r"g" + END_LETTER,
           clash=r"\\mathbf\{g\}|\\hat\s*\{?g" + END_LETTER + "|" + NOT_LETTER + r"g_\{?[a-z0-9]" + "|"
           + NOT_LETTER + r"g\^\{?2|" + NOT_LETTER + r"g\s*=\s*\\nabla|"
           + NOT_LETTER + r"g\s*[-+]\s*\\lambda|\(\s*g\s*[-+]|" + NOT_LETTER + r"g\s*=\s*\\partial\s*q",
           words=r"[Gg]radient"),
    Symbol(r"$s_i^k$", "output of node $i$ of layer $k$", NOT_LETTER + r"s" + END_LETTER),
    Symbol(r"$\delta_i^k$", "error term of node $i$ of layer $k$, $\\delta = -\\partial q_n / \\partial \\phi$",
           r"\\delta" + END_LETTER,
           clash=r"\\delta_\{?[ijk0-9]'?[ijk0-9]"),
    Symbol(r"$\Delta\theta_{ij}^k$", "increment of a weight", r"\\Delta\s*\\theta|\\Delta\s*\\Theta"),
    Symbol(r"$q_S$, $q_n$, $q$", "the function minimised (the loss), on $S$ or on one sample",
           r"(?<!\\mathbf\{)" + NOT_LETTER + r"q" + END_LETTER),
    Symbol(r"$S$, $N$", "training set and its number of samples",
           r"(?<!g_)" + NOT_LETTER + r"[SN]" + END_LETTER + r"(?!\s*\^)"),
    Symbol(r"$S^k$, $\tilde S^k$, $\Phi^k$", "a batch as matrices, one sample per row: the outputs of layer $k$, "
           "the same with a first column of ones, the pre-activations", NOT_LETTER + r"S\s*\^|\\Phi\s*\^"),
    Symbol(r"$\mathbf{x}_n$, $\mathbf{t}_n$", "sample $n$ and its target",
           r"\\mathbf\{[xt]\}|" + NOT_LETTER + r"[xt]_\{?n"),
    Symbol(r"$K$, $L$; $k$, $l$", "number of layers (slide 70 / Section 3); a layer",
           r"(?<!g_)" + NOT_LETTER + r"[KL]" + END_LETTER),
    Symbol(r"$M_k$", "number of nodes of layer $k$", NOT_LETTER + r"M_"),
    Symbol(r"$d$", "input dimension, $d = M_0$", NOT_LETTER + r"d" + END_LETTER + r"(?!\s*[_^]?\s*\\?(?:[a-z]|\{))"),
    Symbol(r"$D$", "number of weights of a network (slides 12 and 70)", NOT_LETTER + r"D" + END_LETTER,
           clash=NOT_LETTER + r"D\s*(?:=|\\stackrel\{\\text\{def\}\}\{=\}|\\equiv)\s*d\s*\+\s*1"),
    Symbol(r"$\rho$, $\rho_k$", "learning rate (at iteration $k$)", r"\\rho" + END_LETTER,
           clash=r"\\rho" + END_LETTER, words=r"\bdecay rate\b",
           allow=r"call[s]? (?:the|its|it)|also called|[Pp]apers?\b"),
    Symbol(r"$\nu$", "momentum", r"\\nu" + END_LETTER),
    Symbol(r"$\lambda$", "regularization factor (weight of the penalty)", r"\\lambda" + END_LETTER,
           clash=r"\\lambda" + END_LETTER,
           words=r"[Cc]urvature|[Ee]igenvalue|Hessian|[Cc]onvex|chord|segment|\\lambda_\{?\\m(?:ax|in)"),
    Symbol(r"$B$", "mini-batch size (nnlib's `B`); in " + BN + " (slide's formulas), $B$ is the mini-batch "
           "itself and $b$ its size", NOT_LETTER + r"B" + END_LETTER),
    Symbol(r"$\mu$, $\sigma$", "mean and standard deviation ($\\mu_B$, $\\sigma_B^2$: over a mini-batch)",
           r"\\mu" + END_LETTER + r"|\\sigma" + END_LETTER,
           clash=r"\\sigma\s*\(|\\sigma\s*\\left\(", words="",
           more=((r"\\mu" + END_LETTER, r"[Cc]haracteristic|[Rr]oots?\b|unit circle|[Ee]igenvalue"),)),
    Symbol(r"$\gamma$, $\beta$", "learned scale and shift after a normalization (Section 4)",
           r"\\gamma" + END_LETTER + r"|\\beta" + END_LETTER + DECAY_NOT,
           clash=r"\\gamma" + END_LETTER + r"|\\beta" + END_LETTER + DECAY_NOT,
           words=r"[Dd]ecay|running average|[Ss]chedule|[Mm]omentum|moment estimate|Adam|[Cc]orrection",
           allow=r"[Pp]apers? (?:call|name)|[Ee]ach paper"),
    Symbol(r"$\epsilon$, $\varepsilon$",
           "a small positive number: the constant that keeps a division away from 0, a tolerance, "
           "the relative precision of floating point, the step of a finite difference where $h$ is taken "
           "(exercise 21: $h_n$ is the state; elsewhere the step is $h$)",
           r"\\epsilon|\\varepsilon"),
    Symbol(r"$\alpha$", "parameter of the ELU activation (slide 43)",
           r"\\alpha" + END_LETTER + r"(?!\s*_)",
           clash=r"\\alpha" + END_LETTER + r"(?!\s*_)", words=r"\bangle\b|[Rr]otat|[Ll]earning rate|fraction",
           allow=r"[Pp]apers? (?:call|name)|[Ee]ach paper|paper's"),
    Symbol(r"$\psi_j$", "hidden unit $j$ seen as a basis function (slide 13)", r"\\psi"),
    Symbol(r"$z$", "the argument of an activation function, $g(z)$", NOT_LETTER + r"z" + END_LETTER),
    # --- the book's own symbols ---
    Symbol(r"$\nabla q$, $\nabla_k$", "the gradient of the loss; $\\nabla_k$: the one used by update $k$ "
           "(never $\\mathbf{g}$: $g$ is the activation)", r"\\nabla"),
    Symbol(r"$\xi$, $\xi_i$, $\xi_{\max}$", "a curvature: $q''$ in one dimension, an eigenvalue of the Hessian "
           "$H$ (never $\\lambda$: $\\lambda$ is the regularization factor)", r"\\xi" + END_LETTER,
           clash=r"\\xi" + END_LETTER, words=r"[Rr]egulari[sz]ation factor|penalty"),
    Symbol(r"$\kappa$", "condition number $\\xi_{\\max} / \\xi_{\\min}$", r"\\kappa"),
    Symbol(r"$\beta_1$, $\beta_2$, $\beta_{\text{run}}$",
           "decay rates of the running averages of the gradient and of its "
           "square (Adam; $\\beta_2$ also for RMSProp and Adadelta); $\\beta_{\\text{run}}$: of batch "
           "normalization's running statistics", r"\\beta" + END_LETTER + r"(?=" + DECAY_NOT[3:]),
    Symbol(r"$m$, $v$", "Adam's running averages of the gradient and of its square",
           NOT_LETTER + r"[mv](?:_\{?[kt]" + END_LETTER + r"|\(k)|\\hat\s*\{?[mv]" + END_LETTER),
    Symbol(r"$\omega$", "decay factor of the exponential learning-rate schedule, $\\rho_k = \\rho_0\\,\\omega^k$ "
           "(nnlib's `gamma`)", r"\\omega"),
    Symbol(r"$\tau$", "exponent of the gamma correction of an image, $u \\leftarrow u^\\tau$ (nnlib's `gamma`)",
           r"\\tau" + END_LETTER),
    Symbol(r"$\zeta$", "the controller's fraction of the way to the reference (chapter 7, control)",
           r"\\zeta" + END_LETTER),
    Symbol(r"$\partial_i$, $\partial_n$", "the derivative of the loss with respect to the quantity with that "
           "subscript: $\\partial q / \\partial \\bar s_i$ in " + BN + "'s backward pass, "
           "$\\partial q / \\partial z_n$ in BPTT by hand", r"\\partial_\{?[ijn0-9]"),
    Symbol(r"$\alpha_{tj}$, $\alpha_{nj}$", "attention weight of input position $j$ at output step $t$ "
           "(or for query $n$); always with its subscripts", r"\\alpha\s*_"),
    Symbol(r"$\mathbf{q}_n$, $\mathbf{k}_j$", "attention's query and keys (bold vectors, not the loss $q$)",
           r"\\mathbf\{[qk]\}"),
    Symbol(r"$\mathbf{h}_n$, $\mathbf{c}_n$, $\tilde{\mathbf{c}}_n$",
           "state of a recurrent layer; an LSTM's cell and its candidate", r"\\mathbf\{[hc]\}"),
]

# --- reading the pages -----------------------------------------------------------------------------
FENCE = re.compile(r"^(`{3,}|~{3,})(.*?)$(.*?)^\1\s*$", re.S | re.M)
DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<![\\$])\$((?:[^$\n]|\n(?!\s*\n))+?)\$")
ROLE = re.compile(r"\{math\}`([^`]+)`")


def page_files():
    """The book's pages to scan: toc order, chapters/ and exercises/solutions/, without the notation page."""
    out = []
    for f in toc_files():
        if not (f.startswith("chapters/") or f.startswith("exercises/solutions/")):
            continue
        for ext in (".ipynb", ".md"):
            path = ROOT / (f + ext)
            if path.exists() and path != NOTATION:
                out.append(path)
    return out


def markdown_of(path):
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


CODE_INFO = re.compile(r"^\s*(?:\{(?:literalinclude|code-block|code-cell|code)\}|[a-z0-9_+-]*\s*$)")


def strip_code(text):
    """The text with its code fences blanked; other fences (admonitions, dropdowns) kept, read inside."""
    def fence(m):
        if m.group(2).strip().startswith("{math}"):
            return "$$" + m.group(3) + "$$"
        if CODE_INFO.match(m.group(2)):
            return " "
        return strip_code(m.group(3))
    return FENCE.sub(fence, text)


def split_math(text):
    """(prose, [math spans]) of a Markdown text; code fences dropped."""
    spans = []
    text = strip_code(text)
    for rx in (DISPLAY, ROLE, INLINE):
        text = rx.sub(lambda m: spans.append(m.group(1)) or " MATH ", text)
    return text, spans


def sentences(text):
    """Sentences of a Markdown text (paragraphs cut at '. ' before a capital letter), with their math."""
    for para in re.split(r"\n\s*\n", strip_code(text)):
        for sent in re.split(r"(?<=[.!?:;])\s+(?=[A-Z*(])", para):
            yield sent, split_math(sent)[1]


def page_name(path):
    return str(path.relative_to(ROOT).with_suffix(""))


def scan(paths):
    """{symbol.shown: [page names in the given order]} and the list of clash messages."""
    used = {s.shown: [] for s in SYMBOLS}
    clashes = []
    for path in paths:
        text = markdown_of(path)
        _, spans = split_math(text)
        math = "\n".join(spans)
        for s in SYMBOLS:
            if s.uses(math):
                used[s.shown].append(page_name(path))
        for sent, spans in sentences(text):
            joined = "\n".join(spans)
            for s in SYMBOLS:
                if not any(c and re.search(c, joined) and (not w or re.search(w, sent))
                           for c, w in ((s.clash, s.words),) + s.more):
                    continue
                if s.allow and re.search(s.allow, sent):
                    continue
                clashes.append(f"{page_name(path)}: {s.shown} ({s.meaning}) with another meaning in: "
                               f"{' '.join(sent.split())[:200]}")
    return used, clashes


# --- the notation page's table -----------------------------------------------------------------------
DOC = re.compile(r"\{doc\}`[^`<]*<(/[^>]+)>`")


def link(name):
    short = name.split("/")[-1]
    if name.startswith("exercises/"):
        short = "exercise " + short.split("-")[0].lstrip("0")
    return f"{{doc}}`{short} </{name}>`"


def table(used):
    rows = ["| Symbol | Meaning | Pages |", "|---|---|---|"]
    for s in SYMBOLS:
        pages = ", ".join(link(p) for p in used[s.shown]) or "—"
        rows.append(f"| {s.shown} | {s.meaning} | {pages} |")
    return "\n".join(rows)


def page_block(text):
    i, j = text.find(START), text.find(END)
    assert 0 <= i < j, f"notation.md has no {START} … {END} block"
    return text[i + len(START):j].strip()


def listed(block):
    """{first column: set of page names} of the notation page's table."""
    out = {}
    for line in block.splitlines()[2:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) == 3:
            out[cells[0]] = {p.lstrip("/") for p in DOC.findall(cells[2])}
    return out


def problems(paths, notation_text):
    used, clashes = scan(paths)
    errors = list(clashes)
    rows = listed(page_block(notation_text))
    for s in SYMBOLS:
        if s.shown not in rows:
            errors.append(f"notation page: no row for {s.shown}")
            continue
        for p in used[s.shown]:
            if p not in rows[s.shown]:
                errors.append(f"{p} uses {s.shown} but the notation page does not list it there")
        for p in sorted(rows[s.shown] - set(used[s.shown])):
            errors.append(f"the notation page lists {p} for {s.shown}, which it no longer uses")
    if not errors and page_block(notation_text) != table(used):
        errors.append("the notation page's symbol table differs from the registry (meanings or order): "
                      "run python tests/book/test_symbols.py --write")
    return errors


# --- tests ---------------------------------------------------------------------------------------------
def test_every_symbol_its_pages_and_one_meaning():
    errors = problems(page_files(), NOTATION.read_text(encoding="utf-8"))
    assert not errors, "\n".join(errors)


def test_registry_is_consistent():
    shown = [s.shown for s in SYMBOLS]
    assert len(shown) == len(set(shown)), "two registry rows with the same symbol"
    for s in SYMBOLS:
        re.compile(s.pattern)
        assert "|" not in s.shown.replace(r"\|", "") and "|" not in s.meaning.replace(r"\|", "")


def test_a_planted_clash_fails(tmp_path):
    """A page with the curvature written λ, the gradient written g_k and D = d + 1 fails, and so does a
    page that uses ν without being listed for it."""
    page = tmp_path / "planted.md"
    page.write_text("# Planted\n\nThe curvature $\\lambda$ sets the step.\n\n"
                    "Here $g_k$ is the gradient of update $k$.\n\n"
                    "Slide 7 writes $D = d + 1$.\n\n"
                    "The decay $\\gamma$ of RMSProp.\n\nMomentum $\\nu$.\n", encoding="utf-8")
    global ROOT
    saved = ROOT
    ROOT = tmp_path
    try:
        errors = problems([page], NOTATION.read_text(encoding="utf-8"))
    finally:
        ROOT = saved
    text = "\n".join(errors)
    for what in (r"$\lambda$ (", r"$g$, $g'$", r"$D$ (", r"$\gamma$, $\beta$ ("):
        assert any(e.startswith("planted: " + what) and "another meaning" in e for e in errors), (
            f"the planted clash of {what} passed")
    assert "planted uses $\\nu$ but the notation page does not list it" in text
    # and the real pages that use nu are now "no longer" using it: both directions are checked
    assert "which it no longer uses" in text


if __name__ == "__main__":
    if "--write" in sys.argv:
        text = NOTATION.read_text(encoding="utf-8")
        used, clashes = scan(page_files())
        i, j = text.find(START), text.find(END)
        NOTATION.write_text(text[:i + len(START)] + "\n" + table(used) + "\n" + text[j:], encoding="utf-8")
        print("\n".join(clashes) or "no clash")
    else:
        print("\n".join(problems(page_files(), NOTATION.read_text(encoding="utf-8"))) or "ok")
