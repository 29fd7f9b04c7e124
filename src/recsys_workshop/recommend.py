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

__all__ = [
    "build_customer_vector",
    "item_item_scores",
    "make_recos",
    "neighbourhood_scores",
    "top_k_neighbours",
    "top_n_indices",
]


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
    vector = _check_similarity_and_customer(similarity_matrix, customer_interactions)
    n = check_count(n, "n", maximum=similarity_matrix.shape[0])
    scores = similarity_matrix @ vector
    if sp.issparse(scores):
        scores = scores.toarray()
    return top_n_indices(np.asarray(scores, dtype=float).ravel(), n).tolist()


def _check_similarity_and_customer(similarity_matrix: Any, customer_interactions: Any) -> Any:
    """Check a square similarity and one customer's scores; return the scores, checked.

    The similarity may be dense or sparse (any format); the scores a sparse
    column vector or an array-like, of shape ``(m, 1)`` or ``(m,)``.
    """
    _check_similarity(similarity_matrix)
    n_skus = similarity_matrix.shape[0]
    if sp.issparse(customer_interactions):
        vector = check_sparse(customer_interactions, "customer_interactions")
    else:
        vector = check_array(customer_interactions, "customer_interactions")
    if vector.shape not in ((n_skus,), (n_skus, 1)):
        raise ValueError(f"customer_interactions must have shape ({n_skus}, 1) or ({n_skus},), "
                         f"one score per sku of similarity_matrix, got {vector.shape}")
    return vector


def top_k_neighbours(similarity_matrix: Any, k: int) -> sp.csr_array:
    """Keep, in each row of a similarity matrix, only the ``k`` largest off-diagonal entries.

    Row ``i`` of the result holds sku ``i``'s ``k`` nearest neighbours, the skus
    ``j != i`` with the largest ``S_ij``. A cosine similarity of real purchases
    is mostly non-zero (one customer who bought both skus is enough), so it
    costs memory and time in proportion to ``m^2``; the pruned matrix stores
    at most ``k m`` entries, and ``pruned @ r`` scores a customer from each
    sku's ``k`` nearest neighbours only.

    Parameters
    ----------
    similarity_matrix : numpy.ndarray or scipy.sparse matrix
        Skus x skus similarity ``S``, square, dense or sparse in any format.
        Entries that are not stored count as 0.
    k : int
        How many neighbours to keep per sku, ``k >= 1``; a row with fewer
        off-diagonal non-zero entries keeps all of them.

    Returns
    -------
    scipy.sparse.csr_array
        Same shape and values as ``S`` on the kept entries; no diagonal, no
        stored zero. It is not symmetric in general: ``j`` may be among ``i``'s
        nearest neighbours without ``i`` being among ``j``'s. Among equal
        values the smaller column index is kept first.

    Raises
    ------
    TypeError
        If ``similarity_matrix`` is neither a NumPy array nor a sparse matrix,
        or does not hold numbers, or ``k`` is not an integer.
    ValueError
        If ``similarity_matrix`` is not square or holds NaN or an infinity, or
        ``k < 1``.

    Examples
    --------
    >>> S = np.array([[1.0, 0.9, 0.1, 0.5],
    ...               [0.9, 1.0, 0.0, 0.2],
    ...               [0.1, 0.0, 1.0, 0.3],
    ...               [0.5, 0.2, 0.3, 1.0]])
    >>> top_k_neighbours(S, 2).toarray()
    array([[0. , 0.9, 0. , 0.5],
           [0.9, 0. , 0. , 0.2],
           [0.1, 0. , 0. , 0.3],
           [0.5, 0. , 0.3, 0. ]])
    """
    _check_similarity(similarity_matrix)
    k = check_count(k, "k", minimum=1)
    n_skus = similarity_matrix.shape[0]
    similarity = _off_diagonal(sp.coo_array(similarity_matrix, dtype=np.float64),
                               np.arange(n_skus))
    return _keep_k_largest_per_row(similarity, k, candidates=np.full(n_skus, n_skus - 1))


def neighbourhood_scores(
    similarity_matrix: Any, customer_interactions: Any, k: int, *, normalise: bool = False
) -> np.ndarray:
    """The original workshop's prediction: each sku scored from its ``k`` nearest neighbours.

    With ``N_k(i; u)`` the ``k`` skus ``j != i`` most similar to ``i`` among
    those the customer ``u`` interacted with (``r_uj != 0``), the score of sku
    ``i`` is

    - ``sum over j in N_k(i; u) of s_ij r_uj`` (``normalise=False``), or
    - that sum divided by ``sum over j in N_k(i; u) of |s_ij|``
      (``normalise=True``): a similarity-weighted *average* of the customer's
      scores, on the same scale as ``r``.

    The ``S r`` of :func:`make_recos` is the first form with every sku the
    customer interacted with as a neighbour (``k`` large), sku ``i`` itself
    included.

    Parameters
    ----------
    similarity_matrix : numpy.ndarray or scipy.sparse matrix
        Skus x skus similarity ``S``, square, dense or sparse in any format;
        entries that are not stored count as 0.
    customer_interactions : scipy.sparse column vector or array-like
        The customer's scores ``r``, shape ``(m, 1)`` as built by
        :func:`build_customer_vector`, or a 1-d array of length ``m``.
    k : int
        The number of neighbours, ``k >= 1``.
    normalise : bool, default False
        Divide each score by the sum of ``|s_ij|`` over its neighbours.

    Returns
    -------
    numpy.ndarray, shape (m,)
        One float score per sku. Among equal similarities the smaller sku
        index is chosen first. With ``normalise``, a sku whose neighbours
        all have similarity 0 scores 0 (there is nothing to average).

    Raises
    ------
    TypeError
        If ``similarity_matrix`` is neither a NumPy array nor a sparse matrix,
        an input does not hold numbers, ``k`` is not an integer or
        ``normalise`` not a bool.
    ValueError
        If ``similarity_matrix`` is not square, ``customer_interactions`` does
        not hold one score per sku, an input holds NaN or an infinity, or
        ``k < 1``.

    Examples
    --------
    The customer scored sku 0 with 1 and sku 1 with 3. Sku 3's two neighbours
    among them are skus 0 (0.5) and 1 (0.2); with ``k = 1`` only sku 0 counts:

    >>> S = np.array([[1.0, 0.9, 0.1, 0.5],
    ...               [0.9, 1.0, 0.0, 0.2],
    ...               [0.1, 0.0, 1.0, 0.3],
    ...               [0.5, 0.2, 0.3, 1.0]])
    >>> r = np.array([1.0, 3.0, 0.0, 0.0])
    >>> neighbourhood_scores(S, r, 1)
    array([2.7, 0.9, 0.1, 0.5])
    >>> neighbourhood_scores(S, r, 2, normalise=True).round(3)
    array([3.   , 1.   , 1.   , 1.571])
    """
    vector = _check_similarity_and_customer(similarity_matrix, customer_interactions)
    k = check_count(k, "k", minimum=1)
    if not isinstance(normalise, bool):
        raise TypeError(f"normalise must be True or False, got {normalise!r} "
                        f"({type(normalise).__name__})")
    r = (vector.toarray() if sp.issparse(vector) else np.asarray(vector)).ravel()
    bought = np.flatnonzero(r)
    if sp.issparse(similarity_matrix):
        similarity = sp.csc_array(similarity_matrix, dtype=np.float64)[:, bought].tocoo()
    else:
        similarity = sp.coo_array(similarity_matrix[:, bought].astype(np.float64))
    similarity = _off_diagonal(similarity, bought)
    is_bought = np.zeros(r.size, dtype=bool)
    is_bought[bought] = True
    neighbours = _keep_k_largest_per_row(similarity, k,
                                         candidates=bought.size - is_bought.astype(np.intp))
    scores = neighbours @ r[bought].astype(np.float64)
    if not normalise:
        return scores
    weight = abs(neighbours) @ np.ones(bought.size)
    return np.divide(scores, weight, out=np.zeros_like(scores), where=weight > 0)


def _check_similarity(similarity_matrix: Any) -> None:
    """Check a skus x skus similarity: a square NumPy array or sparse matrix of finite numbers."""
    if sp.issparse(similarity_matrix):
        check_sparse(similarity_matrix, "similarity_matrix")
    else:
        check_dense_2d(similarity_matrix, "similarity_matrix")
    if similarity_matrix.shape[0] != similarity_matrix.shape[1]:
        raise ValueError("similarity_matrix must be square (skus x skus), "
                         f"got shape {similarity_matrix.shape}")


def _off_diagonal(similarity: sp.coo_array, column_skus: np.ndarray) -> sp.csr_array:
    """The non-zero entries of ``similarity`` except each sku's similarity to itself, as CSR.

    Column ``c`` of ``similarity`` is sku ``column_skus[c]``; row ``i`` is sku ``i``.
    """
    keep = (similarity.row != column_skus[similarity.col]) & (similarity.data != 0)
    return sp.csr_array((similarity.data[keep], (similarity.row[keep], similarity.col[keep])),
                        shape=similarity.shape)


def _keep_k_largest_per_row(matrix: sp.csr_array, k: int, candidates: np.ndarray) -> sp.csr_array:
    """The ``k`` largest entries of each row, where ``candidates[i]`` entries of row ``i`` compete.

    Row ``i`` has ``candidates[i]`` entries in competition, of which only the
    stored ones are known; the others are zeros. A zero contributes nothing to
    a score or a normalisation, so only the stored entries that would be among
    the ``k`` largest are kept: every stored non-negative entry up to ``k``,
    and a negative one only if, counting the unstored zeros ahead of it, it
    still ranks among the first ``k``. Ties go to the smaller column.
    """
    matrix = sp.csr_array(matrix)
    matrix.sum_duplicates()  # canonical: sorted columns within each row
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = np.lexsort((-matrix.data, rows))  # stable: equal values keep their column order
    rank = np.arange(order.size) - matrix.indptr[rows[order]]
    unstored_zeros = candidates[rows[order]] - np.diff(matrix.indptr)[rows[order]]
    ahead = rank + np.where(matrix.data[order] < 0, unstored_zeros, 0)
    kept = order[ahead < k]
    return sp.csr_array((matrix.data[kept], (rows[kept], matrix.indices[kept])),
                        shape=matrix.shape)


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


def item_item_scores(training_set: Any, *, binary: bool = True) -> np.ndarray:
    """Every customer's item-item score of every sku, from what they bought (chapter 6).

    With ``B`` the binary "bought or not" version of ``training_set`` and ``S``
    the cosine similarity of its columns (chapter 3), the scores are ``B @ S``:
    customer ``u``'s score of sku ``j`` is the sum of ``sim(i, j)`` over the skus
    ``i`` they bought, chapter 4's ``S r`` with a binary ``r`` for everyone at
    once. Binary rows keep one wholesale order of thousands of units from
    drowning a customer's other purchases. With ``binary=False`` the stored
    values are used as they are, in ``B`` and in ``S`` alike: chapter 6 passes
    the weighted matrices of :func:`~recsys_workshop.weighting.weight_confidence`.

    Parameters
    ----------
    training_set : scipy.sparse matrix, shape (n_customers, n_skus)
        Customers x skus; any stored non-zero value counts as bought.
    binary : bool, default True
        Turn every stored value into 1 first; ``False`` keeps the values.

    Returns
    -------
    numpy.ndarray, shape (n_customers, n_skus)
        float32 scores (the real data's 4,338 x 3,664 take 64 MB).

    Raises
    ------
    TypeError
        If ``training_set`` is not a scipy sparse matrix (any format is
        accepted), or ``binary`` is not a bool.
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
    if not isinstance(binary, bool):
        raise TypeError(f"binary must be True or False, got {binary!r}")
    bought = sp.csr_array(training_set != 0 if binary else training_set, dtype=np.float32)
    similarity = build_algebraic_sparse_similarity_matrix(bought.tocsc()).toarray()
    return np.asarray(bought @ similarity, dtype=np.float32)
