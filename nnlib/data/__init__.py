"""Data for the book's experiments: generated data sets, test surfaces for optimizers, image augmentation.

Nothing here is downloaded: data sets are generated from a seed or come with scikit-learn.
"""
