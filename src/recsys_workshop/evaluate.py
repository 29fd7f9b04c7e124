"""Chapter 5: mean per-customer AUC of a recommender and of the popularity baseline.

For each customer who lost cells in the split, the candidates are the skus the
customer has no interaction with in the training set. Among them, the positives
are the hidden purchases. The AUC is the probability that a random positive is
scored above a random negative candidate, ties counting one half (the area
under the ROC curve, as ``sklearn.metrics.roc_auc_score`` computes it).
"""

import reprlib
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

from .validation import check_array, check_dense_2d, check_rows, check_sparse

__all__ = [
    "HeldOut",
    "calc_mean_auc",
    "factor_scores",
    "mean_auc",
    "per_user_auc",
    "popularity",
    "warm_users",
]

#: How many (customer, positive, sku) comparisons to make at once.
_BLOCK_ELEMENTS = 2**21


def calc_mean_auc(
    training_set: Any,
    altered_users: Any,
    predictions: tuple[np.ndarray, np.ndarray],
    test_set: Any,
) -> tuple[float, float]:
    """Mean AUC of a factor model and of item popularity over the altered customers.

    Parameters
    ----------
    training_set : scipy.sparse matrix
        Customers x skus with the test cells removed, in any sparse format.
    altered_users : sequence of int
        Rows that lost at least one cell (from :func:`~recsys_workshop.split.make_train`),
        each once: a repeated row would count twice in the means.
    predictions : tuple of numpy.ndarray
        ``(user_factors, item_factors)`` of shapes ``(n_customers, k)`` and
        ``(n_skus, k)``, finite; the score of sku ``j`` for customer ``u`` is
        ``user_factors[u] @ item_factors[j]``.
    test_set : scipy.sparse matrix
        Customers x skus, non-zero on every cell of the full data.

    Returns
    -------
    model_auc, popularity_auc : float
        The means, unrounded. Popularity is the number of customers who have the
        sku in ``training_set`` (never counted on the test set, which would leak
        the hidden cells). Customers whose candidates are all positive or all
        negative have no AUC and are left out of both means.

    Raises
    ------
    TypeError
        If a matrix is not sparse, ``predictions`` is not a pair of arrays of
        numbers, or a row of ``altered_users`` is not an integer.
    ValueError
        If shapes disagree, ``altered_users`` is empty, out of range or repeats
        a row, an input holds NaN or an infinity, or no customer has an AUC.

    Examples
    --------
    >>> test = sp.csr_array(np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0]]))
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0]]))
    >>> users = np.array([[1.0], [1.0]])
    >>> items = np.array([[0.0], [3.0], [1.0], [2.0]])
    >>> calc_mean_auc(train, [0], (users, items), test)
    (1.0, 0.25)
    """
    split = HeldOut(training_set, test_set, altered_users)
    if not (isinstance(predictions, tuple | list) and len(predictions) == 2):
        raise TypeError("predictions must be a pair (user_factors, item_factors), "
                        f"got {reprlib.repr(predictions)}")
    user_factors = check_array(predictions[0], "user_factors", (split.n_customers, "k"))
    item_factors = check_array(predictions[1], "item_factors",
                               (split.n_skus, user_factors.shape[1]))
    model = split.mean(_wins_of_row_scores(split, factor_scores(user_factors, item_factors)))
    return model, split.mean(_wins_of_shared_scores(split, popularity(training_set)))


def popularity(training_set: Any) -> np.ndarray:
    """How many customers have each sku in ``training_set``: the popularity baseline's scores.

    Counted on the training set, never on the test set (which would leak the
    hidden purchases into the baseline).

    Parameters
    ----------
    training_set : scipy.sparse matrix, shape (n_customers, n_skus)
        Any sparse format; a stored non-zero value counts as bought.

    Returns
    -------
    numpy.ndarray, shape (n_skus,)
        float64 counts.

    Raises
    ------
    TypeError
        If ``training_set`` is not a scipy sparse matrix.

    Examples
    --------
    >>> popularity(sp.csr_array(np.array([[3.0, 0.0, 1.0], [2.0, 0.0, 0.0]])))
    array([2., 0., 1.])
    """
    check_sparse(training_set, "training_set")
    return np.asarray((training_set != 0).sum(axis=0), dtype=float).ravel()


def factor_scores(
    user_factors: np.ndarray, item_factors: np.ndarray
) -> Callable[[Any], np.ndarray]:
    """The scores of a factor model, as a ``score_rows`` function of customer rows.

    Parameters
    ----------
    user_factors : numpy.ndarray, shape (n_customers, k)
    item_factors : numpy.ndarray, shape (n_skus, k)

    Returns
    -------
    callable
        ``score_rows(rows)`` giving ``user_factors[rows] @ item_factors.T``, shape
        ``(len(rows), n_skus)``: each of those customers' score of every sku.

    Raises
    ------
    TypeError
        If a factor matrix is not a dense NumPy array.
    ValueError
        If they are not 2-d with the same number of factors, or hold NaN or infinity.

    Examples
    --------
    >>> score_rows = factor_scores(np.array([[1.0], [2.0]]), np.array([[0.5], [3.0]]))
    >>> score_rows([1])
    array([[1., 6.]])
    """
    users = check_dense_2d(user_factors, "user_factors")
    items = check_dense_2d(item_factors, "item_factors")
    if users.shape[1] != items.shape[1]:
        raise ValueError(f"user_factors has {users.shape[1]} factors but item_factors has "
                         f"{items.shape[1]}; they must match")

    def score_rows(rows: Any) -> np.ndarray:
        return users[rows] @ items.T

    return score_rows


def mean_auc(training_set: Any, altered_users: Any, test_set: Any, score_rows: Any) -> float:
    """Mean per-customer AUC of any scorer.

    Parameters
    ----------
    training_set, test_set : scipy.sparse matrix
        As in :func:`calc_mean_auc`.
    altered_users : sequence of int
        The customers (rows) to evaluate, each once.
    score_rows : callable or numpy.ndarray
        As in :func:`per_user_auc`.

    Returns
    -------
    float
        The mean AUC over the customers that have both positive and negative candidates.

    Raises
    ------
    TypeError
        As :func:`per_user_auc`.
    ValueError
        As :func:`per_user_auc`, and when no customer has an AUC.

    Examples
    --------
    >>> test = sp.csr_array(np.array([[1.0, 1.0, 0.0]]))
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0]]))
    >>> mean_auc(train, [0], test, lambda rows: np.array([[0.0, 1.0, 2.0]]))
    0.0
    """
    return _mean_of_defined(per_user_auc(training_set, altered_users, test_set, score_rows))


def per_user_auc(
    training_set: Any, altered_users: Any, test_set: Any, score_rows: Any
) -> np.ndarray:
    """AUC of any scorer for each altered customer, as :func:`calc_mean_auc` averages them.

    Parameters
    ----------
    training_set, test_set : scipy.sparse matrix
        As in :func:`calc_mean_auc`.
    altered_users : sequence of int
        The customers (rows) to evaluate, each once (a repeated row would
        count twice in a mean of these AUCs).
    score_rows : callable or numpy.ndarray
        Either a callable, ``score_rows(rows)`` returning an array of shape
        ``(len(rows), n_skus)`` (each row's score for every sku), or one 1-d
        array of ``n_skus`` scores shared by every customer, such as item
        popularity (counted faster). Scores must be finite.

    Returns
    -------
    numpy.ndarray
        One AUC per entry of ``altered_users``, in that order; ``nan`` for a
        customer whose candidates are all positive or all negative.

    Raises
    ------
    TypeError
        If a matrix is not sparse, the scores are not numbers, or a row of
        ``altered_users`` is not an integer.
    ValueError
        If shapes disagree, ``altered_users`` is empty, out of range or repeats
        a row, the scores do not have one value per sku, or a score or a
        stored value is NaN or infinite.

    Examples
    --------
    >>> test = sp.csr_array(np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]))
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]))
    >>> per_user_auc(train, [0, 1], test, np.array([0.0, 2.0, 3.0, 1.0]))
    array([0.5, nan])
    """
    split = HeldOut(training_set, test_set, altered_users)
    if callable(score_rows):
        return split.aucs(_wins_of_row_scores(split, score_rows))
    scores = check_array(score_rows, "score_rows", (split.n_skus,))
    return split.aucs(_wins_of_shared_scores(split, scores))


def warm_users(training_set: Any, users: Any) -> tuple[np.ndarray, np.ndarray]:
    """Split ``users`` into those with a purchase in ``training_set`` and those without.

    A customer whose every purchase was held out gives a recommender nothing to
    go on: a factor model scores every sku alike (an AUC of 0.5, an arbitrary
    top ``k``). Chapter 6 leaves them out of every mean and counts them
    apart; chapter 5's :func:`calc_mean_auc` keeps its contract and its numbers.

    Parameters
    ----------
    training_set : scipy.sparse matrix, shape (n_customers, n_skus)
        Any sparse format; a stored non-zero value counts as a purchase.
    users : sequence of int
        Row indices.

    Returns
    -------
    warm, cold : numpy.ndarray
        The rows of ``users`` with at least one purchase in ``training_set``
        and those with none, each in the order of ``users``.

    Raises
    ------
    TypeError
        If ``training_set`` is not sparse or a row is not an integer.
    ValueError
        If a row is out of range or ``training_set`` stores NaN or an infinity.

    Examples
    --------
    >>> train = sp.csr_array(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 2.0]]))
    >>> warm, cold = warm_users(train, [2, 1, 0])
    >>> warm.tolist(), cold.tolist()
    ([2, 0], [1])
    """
    check_sparse(training_set, "training_set")
    rows = check_rows(users, "users", training_set.shape[0])
    bought = np.diff(sp.csr_array(sp.csr_array(training_set) != 0).indptr) > 0
    return rows[bought[rows]], rows[~bought[rows]]


class HeldOut:
    """A masked split seen from its altered customers: what each trained on and what was hidden.

    Every evaluation of the package starts here: :func:`calc_mean_auc`,
    :func:`per_user_auc` and :func:`~recsys_workshop.ranking.ranking_metrics`
    check their split once, through this class, and read the candidates and
    positives of each customer from it. It lives with the AUC code it serves
    (:meth:`aucs` turns counts of winning pairs into AUCs) rather than in
    :mod:`~recsys_workshop.validation`, which holds only checks.

    Parameters
    ----------
    training_set, test_set : scipy.sparse matrix
        As in :func:`calc_mean_auc`: the same shape, any sparse format
        (converted once to CSR here, for row slicing).
    altered_users : sequence of int
        The rows to evaluate, at least one, each once.

    Attributes
    ----------
    n_customers, n_skus : int
        The shape of the split.
    users : numpy.ndarray
        ``altered_users`` as an array of row indices.
    trained : scipy.sparse.csr_array
        Boolean, one row per user: the skus in ``training_set``.
    held_out : scipy.sparse.csr_array
        Boolean, one row per user: the positives, the skus in ``test_set`` but
        not in ``training_set``.
    n_positives, n_negatives : numpy.ndarray
        Per user, the number of positives and of negatives (the candidates,
        skus not in ``training_set``, that are not positives).

    Raises
    ------
    TypeError
        If a matrix is not sparse or a row is not an integer.
    ValueError
        If the shapes differ, a matrix stores NaN or an infinity, or
        ``altered_users`` is empty, not 1-d, out of range or repeats a row.

    Examples
    --------
    >>> test = sp.csr_array(np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]]))
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 1.0]]))
    >>> split = HeldOut(train, test, [0, 1])
    >>> split.n_positives.tolist(), split.n_negatives.tolist()
    ([1, 0], [1, 1])
    """

    def __init__(self, training_set: Any, test_set: Any, altered_users: Any) -> None:
        for name, matrix in (("training_set", training_set), ("test_set", test_set)):
            check_sparse(matrix, name)
        if training_set.shape != test_set.shape:
            raise ValueError(
                f"training_set has shape {training_set.shape} but test_set has {test_set.shape}"
            )
        self.n_customers, self.n_skus = training_set.shape
        users = check_rows(altered_users, "altered_users", self.n_customers, unique=True)
        if users.size == 0:
            raise ValueError("altered_users is empty: give at least one row to evaluate")
        self.users = users
        # Row slicing needs CSR; COO or CSC input is converted once here.
        self.trained = sp.csr_array(sp.csr_array(training_set)[users] != 0)
        self.held_out = sp.csr_array((sp.csr_array(test_set)[users] != 0) > self.trained)
        self.n_positives = np.diff(self.held_out.indptr)
        self.n_negatives = self.n_skus - np.diff(self.trained.indptr) - self.n_positives

    def aucs(self, wins: np.ndarray) -> np.ndarray:
        """Each user's AUC from their count of winning (positive, negative) pairs.

        Parameters
        ----------
        wins : numpy.ndarray
            Per user, the number of (positive, negative) pairs in which the
            positive scores higher, ties counting one half.

        Returns
        -------
        numpy.ndarray
            ``wins / (n_positives * n_negatives)``; nan for a user without
            positives or without negatives.
        """
        has_auc = (self.n_positives > 0) & (self.n_negatives > 0)
        aucs = np.full(self.users.size, np.nan)
        aucs[has_auc] = wins[has_auc] / (self.n_positives[has_auc] * self.n_negatives[has_auc])
        return aucs

    def mean(self, wins: np.ndarray) -> float:
        """Mean AUC over the users that have one.

        Parameters
        ----------
        wins : numpy.ndarray
            As in :meth:`aucs`.

        Returns
        -------
        float
            The mean of the defined AUCs.

        Raises
        ------
        ValueError
            If no user has an AUC.
        """
        return _mean_of_defined(self.aucs(wins))


def _mean_of_defined(aucs: np.ndarray) -> float:
    defined = aucs[~np.isnan(aucs)]
    if defined.size == 0:
        raise ValueError("no altered user has both held-out and negative skus: AUC is undefined")
    return float(np.mean(defined))


def _wins_of_row_scores(split: HeldOut, score_rows: Any) -> np.ndarray:
    """Winning pairs per user when every user has their own scores.

    Each positive is compared with every negative of its row. Users with as many
    positives go together in blocks of about ``_BLOCK_ELEMENTS`` comparisons.
    """
    wins = np.zeros(split.users.size)
    order = np.argsort(split.n_positives, kind="stable")
    start = 0
    while start < order.size:
        widest = max(int(split.n_positives[order[start]]), 1)
        block = order[start:start + max(1, _BLOCK_ELEMENTS // (widest * split.n_skus))]
        rows = split.users[block]
        scores = check_array(score_rows(rows), "score_rows(rows)",
                             (rows.size, split.n_skus)).astype(np.float64)  # a copy to overwrite
        wins[block] = _wins_in_block(scores, split.trained[block], split.held_out[block])
        start += block.size
    return wins


def _wins_in_block(scores: np.ndarray, trained: sp.csr_array, held_out: sp.csr_array) -> np.ndarray:
    positives = held_out.tocoo()
    # Position of each positive within its row, to lay them out as a padded block.
    slot = np.arange(held_out.nnz) - np.repeat(held_out.indptr[:-1], np.diff(held_out.indptr))
    positive_scores = np.full((scores.shape[0], max(int(slot.max(initial=-1)) + 1, 1)), np.nan)
    positive_scores[positives.row, slot] = scores[positives.row, positives.col]
    # NaN compares false with everything: drop the trained skus and the positives,
    # what remains in each row are its negatives.
    training = trained.tocoo()
    scores[training.row, training.col] = np.nan
    scores[positives.row, positives.col] = np.nan
    below = _count(scores[:, None, :] < positive_scores[:, :, None])
    at_or_below = _count(scores[:, None, :] <= positive_scores[:, :, None])
    return 0.5 * (below + at_or_below).sum(axis=1)


def _wins_of_shared_scores(split: HeldOut, scores: np.ndarray) -> np.ndarray:
    """Winning pairs per user when all users share one score vector (popularity).

    For a positive scored ``v``, the negatives below it are all skus below ``v``
    minus the user's trained skus and positives below ``v``. Replacing scores by
    their integer rank (ties kept) lets ``user * n_ranks + rank`` be one sortable
    key, so every count is a binary search: no comparison of all pairs.
    """
    ranks = np.unique(scores, return_inverse=True)[1].ravel()
    n_ranks = int(ranks.max()) + 1
    positive_user = np.repeat(np.arange(split.users.size), split.n_positives)
    positive_rank = ranks[split.held_out.indices]
    everything = np.sort(ranks)
    below = np.searchsorted(everything, positive_rank, "left")
    at_or_below = np.searchsorted(everything, positive_rank, "right")
    first_key = positive_user * n_ranks
    for excluded in (split.trained, split.held_out):
        owner = np.repeat(np.arange(split.users.size), np.diff(excluded.indptr))
        keys = np.sort(owner * n_ranks + ranks[excluded.indices])
        first = np.searchsorted(keys, first_key, "left")
        below -= np.searchsorted(keys, first_key + positive_rank, "left") - first
        at_or_below -= np.searchsorted(keys, first_key + positive_rank, "right") - first
    return np.bincount(
        positive_user, weights=0.5 * (below + at_or_below), minlength=split.users.size
    )


def _count(mask: np.ndarray) -> np.ndarray:
    """Count the True values along the last axis (faster than ``mask.sum``)."""
    dtype = np.uint16 if mask.shape[-1] < 2**16 else np.uint32
    return np.add.reduce(mask.view(np.uint8), axis=-1, dtype=dtype).astype(np.int64)
