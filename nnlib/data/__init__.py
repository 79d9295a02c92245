"""Data for the book's experiments. Nothing here is downloaded: every data set is generated from a seed or
ships with a package the book already needs.

- :mod:`~nnlib.data.datasets`: generated 2-D classification sets (circle, XOR, blobs, moons, spirals);
- :mod:`~nnlib.data.surfaces`: 2-D cost surfaces with their gradients, and an optimizer's trajectory on them;
- :mod:`~nnlib.data.sequences`: sequence tasks for the recurrent networks;
- :mod:`~nnlib.data.plants`: simulated plants for the control application;
- :mod:`~nnlib.data.digits`: scikit-learn's 8×8 digits, split once for every page;
- :mod:`~nnlib.data.prices`: the stock prices in matplotlib's sample data;
- :mod:`~nnlib.data.augment`: image augmentation.
"""
