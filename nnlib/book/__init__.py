"""The book's own tooling, not the neural-network library: figures (:mod:`~nnlib.book.plot`), interactive
explorers and their widgets (:mod:`~nnlib.book.explore`, :mod:`~nnlib.book.widgets`), symbolic checks of the
slides' derivations (:mod:`~nnlib.book.symbolic`), training diagnostics (:mod:`~nnlib.book.diagnostics`) and the
count of matrix products (:mod:`~nnlib.book.flops`).

These modules import matplotlib, SymPy or ipywidgets on demand; ``import nnlib`` never imports this package.
"""
