"""Chapter 4: recommend the skus most similar to what a customer interacted with."""

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from .similarity import build_algebraic_sparse_similarity_matrix
from .validation import (
    check_array,
    check_count,
    check_dense_2d,
    check_finite,
    check_index_mapping,
    check_real,
    check_sparse,
)

__all__ = ["build_customer_vector", "item_item_scores", "make_recos", "top_n_indices"]


def build_customer_vector(
    customer_interactions: Mapping[Hashable, float], skus_mapping: Mapping[Hashable, int]
) -> sp.csc_array:
    """Turn one customer's ``{sku: score}`` into a sparse column vector.

    Parameters
    ----------
    customer_interactions : dict
        ``{sku: score}`` for one customer; the scores are finite numbers.
    skus_mapping : dict
        ``{sku: index}`` with distinct indices ``0..len(skus_mapping) - 1``;
        skus missing from it are ignored.

    Returns
    -------
    scipy.sparse.csc_array
        Shape ``(len(skus_mapping), 1)``.

    Raises
    ------
    ValueError
        If none of the customer's skus is in ``skus_mapping``, a score is NaN
        or infinite, or ``skus_mapping`` gives two skus the same index or an
        index outside ``0..len(skus_mapping) - 1``.
    TypeError
        If an argument is not a dict, a score is not a number or an index not
        an integer.

    Examples
    --------
    >>> build_customer_vector({"b": 2.0, "z": 1.0}, {"a": 0, "b": 1}).toarray()
    array([[0.],
           [2.]])
    """
    if not isinstance(customer_interactions, Mapping):
        raise TypeError("customer_interactions must be a dict {sku: score}, got "
                        f"{customer_interactions!r} ({type(customer_interactions).__name__})")
    check_index_mapping(skus_mapping, "skus_mapping", size=len(skus_mapping))
    known = [(skus_mapping[sku], check_real(score, f"the score of sku {sku!r}"))
             for sku, score in customer_interactions.items() if sku in skus_mapping]
    if not known:
        raise ValueError(
            f"none of the customer's skus {list(customer_interactions)!r} is in skus_mapping"
        )
    rows, scores = zip(*known, strict=True)
    return sp.csc_array(
        (np.asarray(scores, dtype=np.float64), (np.asarray(rows), np.zeros(len(rows), np.intp))),
        shape=(len(skus_mapping), 1),
    )


def make_recos(similarity_matrix: Any, customer_interactions: Any, n: int) -> list[int]:
    """Indices of the ``n`` skus with the highest score ``S @ r``, best first.

    Parameters
    ----------
    similarity_matrix : numpy.ndarray or scipy.sparse matrix
        Skus x skus similarity ``S`` (dense from chapter 2 or sparse, in any
        format, from chapter 3), square.
    customer_interactions : scipy.sparse column vector or array-like
        The customer's scores ``r``, shape ``(m, 1)`` as built by
        :func:`build_customer_vector`, or a 1-d array of length ``m``.
    n : int
        How many skus to recommend, ``0 <= n <= m``.

    Returns
    -------
    list of int
        The ``n`` best sku indices, best first; equal scores in any order.
        Skus the customer already has are not excluded.

    Raises
    ------
    TypeError
        If ``similarity_matrix`` is neither a NumPy array nor a sparse matrix,
        an input does not hold numbers, or ``n`` is not an integer.
    ValueError
        If ``n`` is negative or larger than the number of skus,
        ``similarity_matrix`` is not square, ``customer_interactions`` does not
        hold one score per sku, or an input holds NaN or an infinity.

    Examples
    --------
    >>> S = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.2], [0.5, 0.2, 1.0]])
    >>> make_recos(S, np.array([0.0, 0.0, 1.0]), 2)
    [2, 0]
    """
    if sp.issparse(similarity_matrix):
        check_sparse(similarity_matrix, "similarity_matrix")
    else:
        check_dense_2d(similarity_matrix, "similarity_matrix")
    n_skus = similarity_matrix.shape[0]
    if similarity_matrix.shape[1] != n_skus:
        raise ValueError("similarity_matrix must be square (skus x skus), "
                         f"got shape {similarity_matrix.shape}")
    if sp.issparse(customer_interactions):
        vector = check_sparse(customer_interactions, "customer_interactions")
    else:
        vector = check_array(customer_interactions, "customer_interactions")
    if vector.shape not in ((n_skus,), (n_skus, 1)):
        raise ValueError(f"customer_interactions must have shape ({n_skus}, 1) or ({n_skus},), "
                         f"one score per sku of similarity_matrix, got {vector.shape}")
    n = check_count(n, "n", maximum=n_skus)
    scores = similarity_matrix @ vector
    if sp.issparse(scores):
        scores = scores.toarray()
    return top_n_indices(np.asarray(scores, dtype=float).ravel(), n).tolist()


def top_n_indices(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` highest ``scores``, highest first, in ``O(m + n log n)``.

    ``np.argpartition`` moves the ``n`` best to the front in linear time; only
    those ``n`` are then sorted.

    Parameters
    ----------
    scores : numpy.ndarray
        1-d array of ``m`` scores; ``-inf`` marks a sku never to choose first.
    n : int
        ``0 <= n <= m``.

    Returns
    -------
    numpy.ndarray
        ``n`` indices into ``scores``.

    Raises
    ------
    TypeError
        If ``scores`` does not hold numbers or ``n`` is not an integer.
    ValueError
        If ``scores`` is not 1-d or holds NaN, or ``n`` is out of range.

    Examples
    --------
    >>> top_n_indices(np.array([0.1, 0.9, 0.5, 0.7]), 2)
    array([1, 3])
    """
    scores = check_finite(check_array(scores, "scores", ("m",), finite=False), "scores",
                          allow_infinite=True)
    n = check_count(n, "n", maximum=scores.size)
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    best = np.argpartition(-scores, n - 1)[:n]
    return best[np.argsort(-scores[best], kind="stable")]


def item_item_scores(training_set: Any) -> np.ndarray:
    """Every customer's item-item score of every sku, from what they bought (chapter 6).

    With ``B`` the binary "bought or not" version of ``training_set`` and ``S``
    the cosine similarity of its columns (chapter 3), the scores are ``B @ S``:
    customer ``u``'s score of sku ``j`` is the sum of ``sim(i, j)`` over the skus
    ``i`` they bought, chapter 4's ``S r`` with a binary ``r`` for everyone at
    once. Binary rows keep one wholesale order of thousands of units from
    drowning a customer's other purchases.

    Parameters
    ----------
    training_set : scipy.sparse matrix, shape (n_customers, n_skus)
        Customers x skus; any stored non-zero value counts as bought.

    Returns
    -------
    numpy.ndarray, shape (n_customers, n_skus)
        float32 scores (the real data's 4,338 x 3,664 take 64 MB).

    Raises
    ------
    TypeError
        If ``training_set`` is not a scipy sparse matrix (any format is accepted).
    ValueError
        If it stores NaN or an infinity.

    Examples
    --------
    >>> bought = sp.csr_array(np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]]))
    >>> item_item_scores(bought).round(3)
    array([[1.707, 1.707, 0.707],
           [0.707, 1.707, 1.707]], dtype=float32)
    """
    check_sparse(training_set, "training_set")
    bought = sp.csr_array(training_set != 0, dtype=np.float32)
    similarity = build_algebraic_sparse_similarity_matrix(bought.tocsc()).toarray()
    return np.asarray(bought @ similarity, dtype=np.float32)
