"""Chapter 5: mean per-customer AUC of a recommender and of the popularity baseline.

For each customer who lost cells in the split, the candidates are the skus the
customer has no interaction with in the training set. Among them, the positives
are the hidden purchases. The AUC is the probability that a random positive is
scored above a random negative candidate, ties counting one half (the area
under the ROC curve, as ``sklearn.metrics.roc_auc_score`` computes it).
"""

from typing import Any

import numpy as np
import scipy.sparse as sp

from ._validation import check_sparse

__all__ = ["calc_mean_auc", "mean_auc", "per_user_auc"]

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
        Customers x skus with the test cells removed.
    altered_users : sequence of int
        Rows that lost at least one cell (from :func:`~recsys_workshop.split.make_train`).
    predictions : tuple of numpy.ndarray
        ``(user_factors, item_factors)`` of shapes ``(n_customers, k)`` and
        ``(n_skus, k)``; the score of sku ``j`` for customer ``u`` is
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
    ValueError
        If shapes disagree, ``altered_users`` is empty or out of range, or no
        customer has an AUC.

    Examples
    --------
    >>> test = sp.csr_array(np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0]]))
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0]]))
    >>> users = np.array([[1.0], [1.0]])
    >>> items = np.array([[0.0], [3.0], [1.0], [2.0]])
    >>> calc_mean_auc(train, [0], (users, items), test)
    (1.0, 0.25)
    """
    user_factors, item_factors = predictions
    user_factors, item_factors = np.asarray(user_factors), np.asarray(item_factors)
    split = _HeldOut(training_set, test_set, altered_users)
    if user_factors.ndim != 2 or user_factors.shape[0] != split.n_customers:
        raise ValueError(
            f"user_factors must have shape ({split.n_customers}, k), got {user_factors.shape}"
        )
    if item_factors.ndim != 2 or item_factors.shape != (split.n_skus, user_factors.shape[1]):
        raise ValueError(
            f"item_factors must have shape ({split.n_skus}, {user_factors.shape[1]}), "
            f"got {item_factors.shape}"
        )
    popularity = np.asarray((training_set != 0).sum(axis=0), dtype=float).ravel()
    model = split.mean(_wins_of_row_scores(split, lambda rows: user_factors[rows] @ item_factors.T))
    return model, split.mean(_wins_of_shared_scores(split, popularity))


def mean_auc(training_set: Any, altered_users: Any, test_set: Any, score_rows: Any) -> float:
    """Mean per-customer AUC of any scorer.

    Parameters
    ----------
    training_set, test_set : scipy.sparse matrix
        As in :func:`calc_mean_auc`.
    altered_users : sequence of int
        The customers (rows) to evaluate.
    score_rows : callable or numpy.ndarray
        As in :func:`per_user_auc`.

    Returns
    -------
    float
        The mean AUC over the customers that have both positive and negative candidates.

    Raises
    ------
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
        The customers (rows) to evaluate.
    score_rows : callable or numpy.ndarray
        Either a callable, ``score_rows(rows)`` returning a new float array of
        shape ``(len(rows), n_skus)`` (each row's score for every sku; it may be
        overwritten), or one 1-d array of ``n_skus`` scores shared by every
        customer, such as item popularity (counted faster).

    Returns
    -------
    numpy.ndarray
        One AUC per entry of ``altered_users``, in that order; ``nan`` for a
        customer whose candidates are all positive or all negative.

    Raises
    ------
    ValueError
        If shapes disagree, ``altered_users`` is empty or out of range, or the
        shared scores do not have one value per sku.

    Examples
    --------
    >>> test = sp.csr_array(np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]))
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]))
    >>> per_user_auc(train, [0, 1], test, np.array([0.0, 2.0, 3.0, 1.0]))
    array([0.5, nan])
    """
    split = _HeldOut(training_set, test_set, altered_users)
    if callable(score_rows):
        return split.aucs(_wins_of_row_scores(split, score_rows))
    scores = np.asarray(score_rows, dtype=float)
    if scores.shape != (split.n_skus,):
        raise ValueError(
            f"shared scores must have shape ({split.n_skus},), got {scores.shape}"
        )
    return split.aucs(_wins_of_shared_scores(split, scores))


class _HeldOut:
    """The altered customers' trained skus, held-out skus (positives) and counts."""

    def __init__(self, training_set: Any, test_set: Any, altered_users: Any) -> None:
        self.n_customers, self.n_skus = _check_same_shape(training_set, test_set)
        users = np.asarray(altered_users)
        if users.ndim != 1 or users.size == 0:
            raise ValueError(
                f"altered_users must be a non-empty list of rows, got shape {users.shape}"
            )
        if not np.issubdtype(users.dtype, np.integer):
            raise ValueError(f"altered_users must hold row indices, got dtype {users.dtype}")
        outside = users[(users < 0) | (users >= self.n_customers)]
        if outside.size:
            raise ValueError(
                f"altered_users holds {outside[0]}, outside the rows 0..{self.n_customers - 1}"
            )
        self.users = users
        # Row slicing needs CSR; COO or CSC input is converted once here.
        self.trained = sp.csr_array(sp.csr_array(training_set)[users] != 0)
        self.held_out = sp.csr_array((sp.csr_array(test_set)[users] != 0) > self.trained)
        self.n_positives = np.diff(self.held_out.indptr)
        self.n_negatives = self.n_skus - np.diff(self.trained.indptr) - self.n_positives

    def aucs(self, wins: np.ndarray) -> np.ndarray:
        """Each user's AUC from their count of winning (positive, negative) pairs, or nan."""
        has_auc = (self.n_positives > 0) & (self.n_negatives > 0)
        aucs = np.full(self.users.size, np.nan)
        aucs[has_auc] = wins[has_auc] / (self.n_positives[has_auc] * self.n_negatives[has_auc])
        return aucs

    def mean(self, wins: np.ndarray) -> float:
        """Mean AUC over the users that have one."""
        return _mean_of_defined(self.aucs(wins))


def _mean_of_defined(aucs: np.ndarray) -> float:
    defined = aucs[~np.isnan(aucs)]
    if defined.size == 0:
        raise ValueError("no altered user has both held-out and negative skus: AUC is undefined")
    return float(np.mean(defined))


def _wins_of_row_scores(split: _HeldOut, score_rows: Any) -> np.ndarray:
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
        scores = np.array(score_rows(split.users[block]), dtype=float)
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


def _wins_of_shared_scores(split: _HeldOut, scores: np.ndarray) -> np.ndarray:
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


def _check_same_shape(training_set: Any, test_set: Any) -> tuple[int, int]:
    for name, matrix in (("training_set", training_set), ("test_set", test_set)):
        check_sparse(matrix, name)
    if training_set.shape != test_set.shape:
        raise ValueError(
            f"training_set has shape {training_set.shape} but test_set has {test_set.shape}"
        )
    return training_set.shape
