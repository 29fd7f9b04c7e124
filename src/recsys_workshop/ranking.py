"""Chapter 6: judging the top of a ranking, where customers actually look.

Mean AUC (chapter 5) scores the whole ranking; a customer sees the first ``k``
recommendations only. :func:`precision_at_k` counts the hits among them;
:func:`ndcg_at_k` also rewards hits near the top. :func:`ranking_metrics` scores
any recommender by all three on one masked split.
"""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .evaluate import HeldOut, per_user_auc
from .validation import (
    check_array,
    check_collection,
    check_count,
    check_distinct,
    check_rows,
    check_sparse,
)

__all__ = [
    "compare_recommenders",
    "ndcg_at_k",
    "precision_at_k",
    "ranking_metrics",
    "top_k_unseen",
]

#: A ranking metric: ``metric(recommended, relevant, k) -> float``.
Metric = Callable[[Sequence[Any], Iterable[Any], int], float]

#: How many scores :func:`top_k_unseen` holds at once.
_BLOCK_ELEMENTS = 2**22


def precision_at_k(recommended: Sequence[Any], relevant: Iterable[Any], k: int) -> float:
    """The share of the first ``k`` recommendations that are relevant.

    Parameters
    ----------
    recommended : sequence
        Recommended items, best first, without repeats.
    relevant : iterable
        The items the customer actually wanted (for example, held-out purchases).
    k : int
        How many recommendations the customer sees.

    Returns
    -------
    float
        ``hits among recommended[:k] / k``. Fewer than ``k`` recommendations
        count as misses. (``implicit.evaluation.precision_at_k`` divides by
        ``min(k, len(relevant))`` and pools the customers instead; see Notes.)

    Raises
    ------
    TypeError
        If ``k`` is not an integer, or ``recommended`` or ``relevant`` is a bare
        string (``"85123A"`` would be read as six one-letter items: wrap a single
        item in a list) or not a collection.
    ValueError
        If ``k <= 0``, or an item appears twice in ``recommended`` (it would
        count as two hits).

    Notes
    -----
    ``implicit.evaluation.precision_at_k`` is a different number in two ways:
    it divides by ``min(k, len(relevant))`` instead of ``k``, and it pools the
    customers, ``sum of hits / sum of min(k, |R_u|)`` over all of them, instead
    of averaging one ratio per customer as :func:`ranking_metrics` averages this
    one. Pooling weighs each customer by ``min(k, |R_u|)``. On the workshop's
    split and ALS model, chapter 6 prints the pooled value, the per-customer
    mean of ``hits / min(k, |R_u|)`` and the mean of this function.

    Examples
    --------
    >>> precision_at_k([3, 1, 4, 0, 2], {1, 2}, 3)
    0.3333333333333333
    """
    k = check_count(k, "k", minimum=1)
    recommended, relevant = _ranking(recommended, relevant)
    return sum(item in relevant for item in recommended[:k]) / k


def ndcg_at_k(recommended: Sequence[Any], relevant: Iterable[Any], k: int) -> float:
    """Normalised discounted cumulative gain of the first ``k`` recommendations.

    Parameters
    ----------
    recommended : sequence
        Recommended items, best first, without repeats.
    relevant : iterable
        The items the customer actually wanted; relevance is binary.
    k : int
        How many recommendations the customer sees.

    Returns
    -------
    float
        ``DCG / ideal DCG`` with ``DCG = sum over positions i = 1..k of
        rel_i / log2(i + 1)`` and the ideal DCG that of ``min(k, len(relevant))``
        hits at the top; ``0.0`` when ``relevant`` is empty.

    Raises
    ------
    TypeError
        If ``k`` is not an integer, or ``recommended`` or ``relevant`` is a bare
        string or not a collection (as in :func:`precision_at_k`).
    ValueError
        If ``k <= 0``, or an item appears twice in ``recommended`` (the gain
        could exceed the ideal: an NDCG above 1).

    Examples
    --------
    >>> round(ndcg_at_k([3, 1, 4, 0, 2], {1, 2}, 5), 4)
    0.6241
    """
    k = check_count(k, "k", minimum=1)
    recommended, relevant = _ranking(recommended, relevant)
    if not relevant:
        return 0.0
    gain = sum(1.0 / math.log2(position + 1)
               for position, item in enumerate(recommended[:k], start=1)
               if item in relevant)
    ideal = sum(1.0 / math.log2(position + 1)
                for position in range(1, min(k, len(relevant)) + 1))
    return gain / ideal


def top_k_unseen(training_set: Any, users: Any, score_rows: Any, k: int) -> np.ndarray:
    """Each user's ``k`` best-scored skus among those they have not bought, best first.

    Parameters
    ----------
    training_set : scipy.sparse matrix, shape (n_customers, n_skus)
        What the recommender was trained on, in any sparse format; its stored
        skus are never recommended.
    users : sequence of int
        The rows to recommend for. A row may appear more than once: each
        occurrence gets its own (identical) row of the result.
    score_rows : callable or numpy.ndarray
        As in :func:`recsys_workshop.evaluate.per_user_auc`: ``score_rows(rows)``
        gives a ``(len(rows), n_skus)`` array, or one 1-d array of scores
        shared by every user (popularity). Scores must be finite.
    k : int
        How many skus to recommend, ``1 <= k <= n_skus``.

    Returns
    -------
    numpy.ndarray, shape (len(users), k)
        Sku indices; a user with fewer than ``k`` unbought skus gets ``-1`` in
        the slots left.

    Raises
    ------
    TypeError
        If ``training_set`` is not sparse, ``k`` or a row is not an integer, or
        the scores are not numbers.
    ValueError
        If ``k`` is out of range, a row is out of range, the scores have the
        wrong shape, or a score or a stored value is NaN or infinite.

    Examples
    --------
    >>> trained = sp.csr_array(np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]))
    >>> top_k_unseen(trained, [0, 1], np.array([3.0, 1.0, 2.0]), 2)
    array([[2, 1],
           [0, 2]])
    """
    check_sparse(training_set, "training_set")
    n_customers, n_skus = training_set.shape
    k = check_count(k, "k", minimum=1, maximum=n_skus)
    rows = check_rows(users, "users", n_customers)
    trained = sp.csr_array(training_set)[rows] != 0
    shared = None if callable(score_rows) else check_array(score_rows, "score_rows", (n_skus,))
    best = np.empty((rows.size, k), dtype=np.intp)
    step = max(1, _BLOCK_ELEMENTS // n_skus)
    for start in range(0, rows.size, step):
        block = slice(start, start + step)
        if shared is None:
            scores = check_array(score_rows(rows[block]), "score_rows(rows)",
                                 (rows[block].size, n_skus)).astype(np.float64)  # a copy
        else:
            scores = np.tile(shared, (rows[block].size, 1))
        seen = trained[block].tocoo()
        scores[seen.row, seen.col] = -np.inf
        chosen = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        chosen_scores = np.take_along_axis(scores, chosen, axis=1)
        order = np.argsort(-chosen_scores, axis=1, kind="stable")
        chosen = np.take_along_axis(chosen, order, axis=1)
        chosen[np.take_along_axis(chosen_scores, order, axis=1) == -np.inf] = -1
        best[block] = chosen
    return best


def ranking_metrics(
    training_set: Any,
    altered_users: Any,
    test_set: Any,
    score_rows: Any,
    k: int = 10,
    *,
    precision: Metric = precision_at_k,
    ndcg: Metric = ndcg_at_k,
) -> dict[str, float]:
    """Mean AUC, precision@k and NDCG@k of one recommender, over the same customers.

    The customers are the altered users whose AUC is defined (chapter 5); the
    relevant skus of each are their held-out purchases, and the recommendations
    their ``k`` best-scored skus not in ``training_set``.

    Parameters
    ----------
    training_set, altered_users, test_set
        As in :func:`recsys_workshop.evaluate.calc_mean_auc`.
    score_rows : callable or numpy.ndarray
        As in :func:`recsys_workshop.evaluate.per_user_auc`.
    k : int, default 10
        How many recommendations each customer sees.
    precision, ndcg : callable, optional
        The metrics, ``metric(recommended, relevant, k)``; a learner's own
        :func:`precision_at_k` and :func:`ndcg_at_k` by default the references.

    Returns
    -------
    dict
        ``{"mean AUC": ..., "precision@k": ..., "NDCG@k": ...}`` with ``k``
        written out, and ``"customers"``: how many customers were averaged.

    Raises
    ------
    TypeError, ValueError
        As :func:`recsys_workshop.evaluate.per_user_auc` (``altered_users``
        must not repeat a row) and :func:`top_k_unseen`.

    Examples
    --------
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0, 0.0]]))
    >>> test = sp.csr_array(np.array([[1.0, 0.0, 1.0, 0.0]]))
    >>> ranking_metrics(train, [0], test, np.array([0.0, 1.0, 3.0, 2.0]), k=2)
    {'mean AUC': 1.0, 'precision@2': 0.5, 'NDCG@2': 1.0, 'customers': 1}
    """
    aucs = per_user_auc(training_set, altered_users, test_set, score_rows)
    users = np.asarray(altered_users)[~np.isnan(aucs)]
    if users.size == 0:
        raise ValueError("no altered user has both held-out and negative skus")
    held_out = HeldOut(training_set, test_set, users).held_out
    recommended = top_k_unseen(training_set, users, score_rows, k)
    relevant = np.split(held_out.indices, held_out.indptr[1:-1])
    return {
        "mean AUC": float(np.mean(aucs[~np.isnan(aucs)])),
        f"precision@{k}": _mean_metric(precision, recommended, relevant, k),
        f"NDCG@{k}": _mean_metric(ndcg, recommended, relevant, k),
        "customers": int(users.size),
    }


def compare_recommenders(
    training_set: Any,
    altered_users: Any,
    test_set: Any,
    scorers: Mapping[str, Any],
    k: int = 10,
    *,
    precision: Metric = precision_at_k,
    ndcg: Metric = ndcg_at_k,
) -> pd.DataFrame:
    """:func:`ranking_metrics` of several recommenders on one split, as a table.

    Parameters
    ----------
    training_set, altered_users, test_set
        As in :func:`recsys_workshop.evaluate.calc_mean_auc`.
    scorers : mapping of str to callable or numpy.ndarray
        Each recommender's name and its ``score_rows`` (see :func:`ranking_metrics`).
    k : int, default 10
        How many recommendations each customer sees.
    precision, ndcg : callable, optional
        As in :func:`ranking_metrics`.

    Returns
    -------
    pandas.DataFrame
        One row per recommender, in the order of ``scorers``; columns
        ``"mean AUC"``, ``"precision@k"``, ``"NDCG@k"`` and ``"customers"``.

    Raises
    ------
    TypeError
        If ``scorers`` is not a mapping, and as :func:`ranking_metrics`.
    ValueError
        If ``scorers`` is empty, and as :func:`ranking_metrics`.

    Examples
    --------
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0, 0.0]]))
    >>> test = sp.csr_array(np.array([[1.0, 0.0, 1.0, 0.0]]))
    >>> compare_recommenders(train, [0], test, {"best": np.array([0.0, 1.0, 3.0, 2.0]),
    ...                                         "worst": np.array([0.0, 3.0, 1.0, 2.0])}, k=1)
           mean AUC  precision@1  NDCG@1  customers
    best        1.0          1.0     1.0          1
    worst       0.0          0.0     0.0          1
    """
    if not isinstance(scorers, Mapping):
        raise TypeError("scorers must be a dict {name: score_rows}, "
                        f"got {type(scorers).__name__} {scorers!r}")
    if not scorers:
        raise ValueError("scorers is empty: there is no recommender to compare")
    rows = {name: ranking_metrics(training_set, altered_users, test_set, score_rows, k,
                                  precision=precision, ndcg=ndcg)
            for name, score_rows in scorers.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def _mean_metric(metric: Callable[..., float], recommended: np.ndarray,
                 relevant: list[np.ndarray], k: int) -> float:
    values = [metric([int(item) for item in row if item >= 0], set(items.tolist()), k)
              for row, items in zip(recommended, relevant, strict=True)]
    return float(np.mean(values))


def _ranking(recommended: Any, relevant: Any) -> tuple[list[Any], set[Any]]:
    """Check a metric's two collections: a ranking without repeats and a set of relevant items."""
    return (check_distinct(check_collection(recommended, "recommended"), "recommended"),
            set(check_collection(relevant, "relevant")))
