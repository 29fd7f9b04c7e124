"""Chapters 2 and 3: item-item cosine similarity, from loops to sparse algebra.

The cosine similarity of skus ``i`` and ``j`` compares their columns of the
customers x skus matrix ``A``::

    sim(i, j) = a_i . a_j / (||a_i|| ||a_j||)

All pairs at once, with ``D`` the diagonal matrix of column norms, this is
``D^-1 A^T A D^-1``. A sku nobody interacted with has a zero column: its
similarity with anything is defined as 0, never nan.
"""

from typing import Any

import numpy as np
import scipy.sparse as sp

from ._validation import check_dense_2d, check_sparse

__all__ = [
    "build_algebraic_similarity_matrix",
    "build_algebraic_sparse_similarity_matrix",
    "build_similarity_matrix",
    "compute_similarity",
]


def compute_similarity(array1: np.ndarray, array2: np.ndarray) -> float:
    """Cosine similarity of two 1-d arrays.

    Parameters
    ----------
    array1, array2 : numpy.ndarray
        1-d arrays of the same length.

    Returns
    -------
    float
        ``array1 . array2 / (||array1|| ||array2||)``, or ``0.0`` when either
        array is all zeros.

    Raises
    ------
    ValueError
        If the arrays are not 1-d or differ in length.

    Examples
    --------
    >>> compute_similarity(np.array([1.0, 0.0]), np.array([1.0, 1.0]))
    0.7071067811865475
    >>> compute_similarity(np.array([1.0, 0.0]), np.array([0.0, 0.0]))
    0.0
    """
    a, b = np.asarray(array1, dtype=float), np.asarray(array2, dtype=float)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"expected two 1-d arrays, got shapes {a.shape} and {b.shape}")
    if a.shape != b.shape:
        raise ValueError(f"arrays differ in length: {a.shape[0]} and {b.shape[0]}")
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    if norms == 0:
        return 0.0
    return float(a @ b / norms)


def build_similarity_matrix(interactions_matrix: np.ndarray) -> np.ndarray:
    """Skus x skus cosine similarity, one pair of columns at a time.

    This is the deliberately slow version: two Python loops over the pairs of
    columns, each calling :func:`compute_similarity`. Chapter 2 times it against
    the algebraic versions.

    Parameters
    ----------
    interactions_matrix : numpy.ndarray
        Dense customers x skus matrix.

    Returns
    -------
    numpy.ndarray
        Symmetric ``(n_skus, n_skus)`` array; rows and columns of all-zero skus are 0.

    Examples
    --------
    >>> build_similarity_matrix(np.array([[1.0, 1.0], [0.0, 1.0]])).round(3)
    array([[1.   , 0.707],
           [0.707, 1.   ]])
    """
    matrix = check_dense_2d(interactions_matrix, "interactions_matrix")
    n_skus = matrix.shape[1]
    similarity = np.zeros((n_skus, n_skus))
    for i in range(n_skus):
        for j in range(i, n_skus):
            similarity[i, j] = similarity[j, i] = compute_similarity(matrix[:, i], matrix[:, j])
    return similarity


def build_algebraic_similarity_matrix(interactions_matrix: np.ndarray) -> np.ndarray:
    """Skus x skus cosine similarity as ``D^-1 A^T A D^-1``, without Python loops.

    Parameters
    ----------
    interactions_matrix : numpy.ndarray
        Dense customers x skus matrix ``A``.

    Returns
    -------
    numpy.ndarray
        The same matrix as :func:`build_similarity_matrix`.

    Examples
    --------
    >>> build_algebraic_similarity_matrix(np.array([[1.0, 1.0], [0.0, 1.0]])).round(3)
    array([[1.   , 0.707],
           [0.707, 1.   ]])
    """
    matrix = check_dense_2d(interactions_matrix, "interactions_matrix").astype(float, copy=False)
    inverse_norms = _inverse(np.linalg.norm(matrix, axis=0))
    return inverse_norms[:, None] * (matrix.T @ matrix) * inverse_norms[None, :]


def build_algebraic_sparse_similarity_matrix(sparse_interactions_matrix: Any) -> sp.csc_array:
    """Skus x skus cosine similarity of a sparse CSC matrix, kept sparse.

    The columns are scaled to unit norm first (``A D^-1`` only rescales the
    stored values), then the product ``(A D^-1)^T (A D^-1)`` is taken by scipy's
    sparse multiplication. The input is never densified.

    Parameters
    ----------
    sparse_interactions_matrix : scipy.sparse CSC matrix or array
        Customers x skus.

    Returns
    -------
    scipy.sparse.csc_array
        Skus x skus, equal to :func:`build_algebraic_similarity_matrix` of the
        dense input, storing no explicit zeros.

    Raises
    ------
    TypeError
        If the input is not a CSC sparse matrix.

    Examples
    --------
    >>> A = sp.csc_array(np.array([[1.0, 1.0], [0.0, 1.0]]))
    >>> build_algebraic_sparse_similarity_matrix(A).toarray().round(3)
    array([[1.   , 0.707],
           [0.707, 1.   ]])
    """
    matrix = check_sparse(sparse_interactions_matrix, "sparse_interactions_matrix", "csc")
    normalized = sp.csc_array(matrix, dtype=np.float64, copy=True)
    normalized.sum_duplicates()
    column_norms = np.sqrt(normalized.power(2).sum(axis=0))
    normalized.data *= np.repeat(_inverse(column_norms), np.diff(normalized.indptr))
    # The product of a CSR (the transpose) and a CSC operand comes back as CSR;
    # the result is symmetric, so its transpose is the same matrix in CSC, for free.
    similarity = sp.csc_array((normalized.T @ normalized).T)
    if not np.all(similarity.data):  # only cancelling negative values leave zeros
        similarity.eliminate_zeros()
    return similarity


def _inverse(norms: np.ndarray) -> np.ndarray:
    """1 / norms, with 0 where the norm is 0 (a sku nobody interacted with)."""
    inverse = np.zeros_like(norms, dtype=float)
    np.divide(1.0, norms, out=inverse, where=norms > 0)
    return inverse
