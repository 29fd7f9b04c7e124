"""Chapters 2 and 3: item-item cosine similarity, from loops to sparse algebra.

The cosine similarity of skus ``i`` and ``j`` compares their columns of the
customers x skus matrix ``A``::

    sim(i, j) = a_i . a_j / (||a_i|| ||a_j||)

All pairs at once, with ``D`` the diagonal matrix of column norms, this is
``D^-1 A^T A D^-1``. A sku nobody interacted with has a zero column: its
similarity with anything is defined as 0, never nan.

Every function first divides each vector (column) by its largest absolute
value, which changes no cosine: squaring ``1e200`` would overflow to infinity
and squaring ``1e-200`` would underflow to 0, while the scaled values lie in
``[-1, 1]``. Inputs holding NaN or an infinity are refused.
"""

from typing import Any

import numpy as np
import scipy.sparse as sp

from .validation import check_array, check_dense_2d, check_sparse

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
        array is all zeros. Exact for values of any magnitude: each array is
        scaled by its largest absolute value first.

    Raises
    ------
    TypeError
        If an array does not hold numbers.
    ValueError
        If the arrays are not 1-d, differ in length, or hold NaN or an infinity.

    Examples
    --------
    >>> compute_similarity(np.array([1.0, 0.0]), np.array([1.0, 1.0]))
    0.7071067811865475
    >>> compute_similarity(np.array([1.0, 0.0]), np.array([0.0, 0.0]))
    0.0
    >>> compute_similarity(np.array([1e-200, 0.0]), np.array([1e-200, 0.0]))
    1.0
    """
    a, b = check_array(array1, "array1", ("n",)), check_array(array2, "array2", ("n",))
    if a.shape != b.shape:
        raise ValueError(f"arrays differ in length: {a.shape[0]} and {b.shape[0]}")
    return _cosine(a / _nonzero(_largest(a)), b / _nonzero(_largest(b)))


def build_similarity_matrix(interactions_matrix: np.ndarray) -> np.ndarray:
    """Skus x skus cosine similarity, one pair of columns at a time.

    This is the deliberately slow version: two Python loops over the pairs of
    columns, each computing their cosine as :func:`compute_similarity` does
    (the matrix is checked and its columns scaled once, not at every pair).
    Chapter 2 times it against the algebraic versions.

    Parameters
    ----------
    interactions_matrix : numpy.ndarray
        Dense customers x skus matrix.

    Returns
    -------
    numpy.ndarray
        Symmetric ``(n_skus, n_skus)`` array; rows and columns of all-zero skus are 0.

    Raises
    ------
    TypeError
        If ``interactions_matrix`` is not a dense numeric NumPy array.
    ValueError
        If it is not 2-d or holds NaN or an infinity.

    Examples
    --------
    >>> build_similarity_matrix(np.array([[1.0, 1.0], [0.0, 1.0]])).round(3)
    array([[1.   , 0.707],
           [0.707, 1.   ]])
    """
    matrix = check_dense_2d(interactions_matrix, "interactions_matrix").astype(float, copy=False)
    columns = list((matrix / _nonzero(_largest(matrix))).T)
    n_skus = len(columns)
    similarity = np.zeros((n_skus, n_skus))
    for i in range(n_skus):
        for j in range(i, n_skus):
            similarity[i, j] = similarity[j, i] = _cosine(columns[i], columns[j])
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

    Raises
    ------
    TypeError, ValueError
        As :func:`build_similarity_matrix`.

    Notes
    -----
    The columns are scaled to unit norm first, ``A D^-1``, so that the product
    ``(A D^-1)^T (A D^-1)`` is already the similarity.

    Examples
    --------
    >>> build_algebraic_similarity_matrix(np.array([[1.0, 1.0], [0.0, 1.0]])).round(3)
    array([[1.   , 0.707],
           [0.707, 1.   ]])
    """
    matrix = check_dense_2d(interactions_matrix, "interactions_matrix").astype(float, copy=False)
    unit = matrix / _nonzero(_largest(matrix))  # a new array, with values in [-1, 1]
    unit /= _nonzero(np.linalg.norm(unit, axis=0))
    return unit.T @ unit


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
    ValueError
        If it stores NaN or an infinity.

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
    n_skus, stored_per_column = normalized.shape[1], np.diff(normalized.indptr)
    # (scipy's max cannot reduce a matrix without any stored value)
    largest = abs(normalized).max(axis=0).toarray() if normalized.nnz else np.zeros(n_skus)
    normalized.data /= np.repeat(_nonzero(largest), stored_per_column)
    column_norms = np.sqrt(normalized.power(2).sum(axis=0))
    normalized.data /= np.repeat(_nonzero(column_norms), stored_per_column)
    # The product of a CSR (the transpose) and a CSC operand comes back as CSR;
    # the result is symmetric, so its transpose is the same matrix in CSC, for free.
    similarity = sp.csc_array((normalized.T @ normalized).T)
    if not np.all(similarity.data):  # only cancelling negative values leave zeros
        similarity.eliminate_zeros()
    return similarity


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two arrays already scaled into [-1, 1] (0.0 if one is all zeros).

    ``sqrt(|a|^2 |b|^2)`` rather than ``|a| |b|`` makes it exactly 1.0 for an
    array with itself.
    """
    norms = np.sqrt((a @ a) * (b @ b))
    return 0.0 if norms == 0 else float(a @ b / norms)


def _largest(values: np.ndarray) -> np.ndarray:
    """The largest absolute value of each column (of a 1-d array: of the array)."""
    return np.maximum(values.max(axis=0, initial=0), -values.min(axis=0, initial=0))


def _nonzero(divisors: Any) -> Any:
    """The divisors with each 0 replaced by 1: what they divide is all zeros and stays so."""
    return np.where(divisors > 0, divisors, 1)
