"""Chapter 6: how much one purchase should weigh, the confidence given to ALS and item-item.

Chapter 5 fed ALS the raw quantities, so one wholesale order of thousands of
units outweighs a customer's every other purchase; chapter 4's item-item
scores used "bought or not". :func:`weight_confidence` puts the usual choices
side by side on one matrix, so that the two recommenders can be compared on
the same input.
"""

from typing import Any

import numpy as np
import scipy.sparse as sp
from implicit.nearest_neighbours import bm25_weight

from .validation import check_sparse, plain

__all__ = ["BM25_B", "BM25_K1", "SCHEMES", "weight_confidence"]

#: The weightings :func:`weight_confidence` knows, in the order chapter 6 shows them.
SCHEMES = ("raw", "binary", "log1p", "bm25")
#: ``implicit``'s defaults for :func:`implicit.nearest_neighbours.bm25_weight`.
BM25_K1, BM25_B = 100.0, 0.8


def weight_confidence(matrix: Any, scheme: str) -> sp.csr_array:
    """The purchase matrix with each stored quantity replaced by its weight.

    Parameters
    ----------
    matrix : scipy.sparse CSR matrix or array, shape (n_customers, n_skus)
        Quantities, every stored value positive and finite. It is not modified.
    scheme : {"raw", "binary", "log1p", "bm25"}
        ``"raw"`` keeps the quantities; ``"binary"`` turns every stored value
        into 1 (bought or not); ``"log1p"`` takes ``log(1 + quantity)``;
        ``"bm25"`` is ``implicit.nearest_neighbours.bm25_weight(matrix, K1=100,
        B=0.8)``: each quantity saturates (``K1``), is divided by the length of
        the customer's row (``B``) and multiplied by the sku's inverse document
        frequency, ``log(n_customers) - log(1 + customers who bought it)``,
        which is 0 or below for a sku that nearly every customer bought.

    Returns
    -------
    scipy.sparse.csr_array
        float64, the same shape and the same stored cells as ``matrix``.

    Raises
    ------
    TypeError
        If ``matrix`` is not a CSR sparse matrix, or ``scheme`` is not a string.
    ValueError
        If ``scheme`` is not one of :data:`SCHEMES`, or a stored value is not
        positive (or is NaN or infinite).

    Examples
    --------
    >>> quantities = sp.csr_array(np.array([[1.0, 0.0, 24.0], [0.0, 3.0, 0.0]]))
    >>> weight_confidence(quantities, "binary").toarray()
    array([[1., 0., 1.],
           [0., 1., 0.]])
    >>> weight_confidence(quantities, "log1p").toarray().round(3)
    array([[0.693, 0.   , 3.219],
           [0.   , 1.386, 0.   ]])
    """
    check_sparse(matrix, "matrix", "csr")
    if not isinstance(scheme, str):
        raise TypeError(f"scheme must be a string, one of {SCHEMES}, got {scheme!r}")
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    weighted = sp.csr_array(matrix, dtype=np.float64, copy=True)
    weighted.sum_duplicates()
    if np.any(weighted.data <= 0):
        bad = weighted.data[np.argmax(weighted.data <= 0)]
        raise ValueError(f"matrix must store positive quantities only, found {plain(bad)}")
    if scheme == "binary":
        weighted.data[:] = 1.0
    elif scheme == "log1p":
        weighted.data = np.log1p(weighted.data)
    elif scheme == "bm25":
        weighted = sp.csr_array(bm25_weight(weighted, K1=BM25_K1, B=BM25_B), dtype=np.float64)
    return weighted
