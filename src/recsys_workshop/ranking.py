"""Chapter 6: judging the top of a ranking, where customers actually look.

Mean AUC (chapter 5) scores the whole ranking; a customer sees the first ``k``
recommendations only. :func:`precision_at_k` counts the hits among them,
:func:`recall_at_k` the share of the relevant items they find, and
:func:`ndcg_at_k` also rewards hits near the top. :func:`catalogue_coverage`
looks beyond accuracy: how much of the catalogue the shelves show.
:func:`customer_metrics` scores any recommender customer by customer on one
split (the arrays :mod:`~recsys_workshop.bootstrap` resamples), and
:func:`ranking_metrics` averages them.
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
    plain,
)

__all__ = [
    "catalogue_coverage",
    "compare_recommenders",
    "customer_metrics",
    "ndcg_at_k",
    "precision_at_k",
    "ranking_metrics",
    "recall_at_k",
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


def recall_at_k(recommended: Sequence[Any], relevant: Iterable[Any], k: int) -> float:
    """The share of the relevant items found among the first ``k`` recommendations.

    Parameters
    ----------
    recommended : sequence
        Recommended items, best first, without repeats.
    relevant : iterable
        The items the customer actually wanted.
    k : int
        How many recommendations the customer sees.

    Returns
    -------
    float
        ``hits among recommended[:k] / len(relevant)``; ``0.0`` when
        ``relevant`` is empty. A customer with more than ``k`` relevant items
        cannot reach 1.

    Raises
    ------
    TypeError, ValueError
        As :func:`precision_at_k`.

    Examples
    --------
    >>> recall_at_k([3, 1, 4, 0, 2], {1, 2}, 3)
    0.5
    """
    k = check_count(k, "k", minimum=1)
    recommended, relevant = _ranking(recommended, relevant)
    if not relevant:
        return 0.0
    return sum(item in relevant for item in recommended[:k]) / len(relevant)


def catalogue_coverage(shelves: Any, n_skus: int) -> float:
    """The share of the catalogue that appears on at least one shelf.

    Parameters
    ----------
    shelves : numpy.ndarray of int, shape (n_customers, k)
        Sku indices, as :func:`top_k_unseen` returns them (``-1`` marks an
        empty slot and is not counted).
    n_skus : int
        The size of the catalogue, ``>= 1``.

    Returns
    -------
    float
        Distinct skus on the shelves divided by ``n_skus``.

    Raises
    ------
    TypeError
        If ``shelves`` does not hold integers or ``n_skus`` is not an integer.
    ValueError
        If ``n_skus < 1`` or a sku index is outside ``[-1, n_skus)``.

    Examples
    --------
    >>> catalogue_coverage(np.array([[0, 2], [2, -1]]), 4)
    0.5
    """
    n_skus = check_count(n_skus, "n_skus", minimum=1)
    skus = np.asarray(shelves)
    if skus.dtype.kind not in "iu":
        raise TypeError(f"shelves must hold sku indices (integers), got dtype {skus.dtype}")
    if skus.size and (skus.min() < -1 or skus.max() >= n_skus):
        raise ValueError(f"shelves holds sku indices outside [-1, {n_skus}): "
                         f"{plain(skus.min())} to {plain(skus.max())}")
    return np.unique(skus[skus >= 0]).size / n_skus


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


def customer_metrics(
    training_set: Any,
    altered_users: Any,
    test_set: Any,
    score_rows: Any,
    k: int = 10,
    *,
    precision: Metric = precision_at_k,
    ndcg: Metric = ndcg_at_k,
) -> pd.DataFrame:
    """AUC, precision@k, recall@k and NDCG@k of one recommender, customer by customer.

    The customers are the altered users with at least one training purchase
    (:func:`~recsys_workshop.evaluate.warm_users`) whose AUC is defined; the
    relevant skus of each are their held-out purchases, and the
    recommendations their ``k`` best-scored skus not in ``training_set``.

    Parameters
    ----------
    training_set, altered_users, test_set
        As in :func:`recsys_workshop.evaluate.calc_mean_auc`.
    score_rows : callable or numpy.ndarray
        As in :func:`recsys_workshop.evaluate.per_user_auc`.
    k : int, default 10
        How many recommendations each customer sees.
    precision, ndcg : callable, optional
        The metrics, ``metric(recommended, relevant, k)``: a learner's own
        :func:`precision_at_k` and :func:`ndcg_at_k`, the references by default.

    Returns
    -------
    pandas.DataFrame
        One row per evaluated customer (index ``"customer"``: their rows, in
        the order of ``altered_users``), columns ``"AUC"``, ``"precision@k"``,
        ``"recall@k"`` and ``"NDCG@k"`` with ``k`` written out. Its ``attrs``
        hold ``"no training purchase"`` (how many altered users were left out
        for lack of one), ``"shelves"`` (the recommendations, one row per
        customer) and ``"n_skus"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`recsys_workshop.evaluate.per_user_auc` (``altered_users``
        must not repeat a row) and :func:`top_k_unseen`; ``ValueError`` too if
        no customer is left to evaluate.

    Examples
    --------
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]))
    >>> test = sp.csr_array(np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 0.0]]))
    >>> table = customer_metrics(train, [0, 1], test, np.array([0.0, 1.0, 3.0, 2.0]), k=1)
    >>> table.round(3).to_dict("list"), table.attrs["no training purchase"]
    ({'AUC': [1.0], 'precision@1': [1.0], 'recall@1': [0.5], 'NDCG@1': [1.0]}, 1)
    """
    split = HeldOut(training_set, test_set, altered_users)  # checks the whole split first
    bought = np.diff(split.trained.indptr) > 0  # warm_users, on the split already made
    warm = split.users[bought]
    if warm.size == 0:
        raise ValueError("no altered user has a training purchase: nobody to evaluate")
    aucs = per_user_auc(training_set, warm, test_set, score_rows)
    defined = ~np.isnan(aucs)
    users = warm[defined]
    if users.size == 0:
        raise ValueError("no altered user has both held-out and negative skus")
    held_out = split.held_out[np.flatnonzero(bought)[defined]]
    shelves = top_k_unseen(training_set, users, score_rows, k)
    relevant = [set(items.tolist()) for items in np.split(held_out.indices, held_out.indptr[1:-1])]
    lists = [[int(item) for item in row if item >= 0] for row in shelves]
    table = pd.DataFrame({
        "AUC": aucs[defined],
        f"precision@{k}": _per_customer(precision, lists, relevant, k),
        f"recall@{k}": _per_customer(recall_at_k, lists, relevant, k),
        f"NDCG@{k}": _per_customer(ndcg, lists, relevant, k),
    }, index=pd.Index(users, name="customer"))
    table.attrs.update({"no training purchase": int((~bought).sum()), "shelves": shelves,
                        "n_skus": int(training_set.shape[1])})
    return table


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
    """Mean AUC, precision@k, recall@k, NDCG@k and coverage of one recommender.

    The means of :func:`customer_metrics`, over the same customers.

    Parameters
    ----------
    training_set, altered_users, test_set, score_rows, k, precision, ndcg
        As in :func:`customer_metrics`.

    Returns
    -------
    dict
        ``{"mean AUC": ..., "precision@k": ..., "recall@k": ..., "NDCG@k": ...,
        "coverage@k": ...}`` with ``k`` written out (coverage is
        :func:`catalogue_coverage` of all the shelves), then ``"customers"``:
        how many customers were averaged, and ``"no training purchase"``: how
        many altered users were left out for lack of a training purchase.

    Raises
    ------
    TypeError, ValueError
        As :func:`customer_metrics`.

    Examples
    --------
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0, 0.0]]))
    >>> test = sp.csr_array(np.array([[1.0, 0.0, 1.0, 0.0]]))
    >>> metrics = ranking_metrics(train, [0], test, np.array([0.0, 1.0, 3.0, 2.0]), k=2)
    >>> metrics["precision@2"], metrics["recall@2"], metrics["coverage@2"], metrics["customers"]
    (0.5, 1.0, 0.5, 1)
    """
    table = customer_metrics(training_set, altered_users, test_set, score_rows, k,
                             precision=precision, ndcg=ndcg)
    means = {("mean AUC" if name == "AUC" else name): float(values.mean())
             for name, values in table.items()}
    return {**means,
            f"coverage@{k}": catalogue_coverage(table.attrs["shelves"], table.attrs["n_skus"]),
            "customers": len(table),
            "no training purchase": table.attrs["no training purchase"]}


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
        One row per recommender, in the order of ``scorers``; the columns of
        :func:`ranking_metrics`.

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
    ...                                         "worst": np.array([0.0, 3.0, 1.0, 2.0])},
    ...                       k=1)[["mean AUC", "precision@1", "NDCG@1", "customers"]]
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


def _per_customer(metric: Callable[..., float], lists: list[list[int]],
                  relevant: list[set[int]], k: int) -> list[float]:
    return [metric(shelf, items, k) for shelf, items in zip(lists, relevant, strict=True)]


def _ranking(recommended: Any, relevant: Any) -> tuple[list[Any], set[Any]]:
    """Check a metric's two collections: a ranking without repeats and a set of relevant items."""
    return (check_distinct(check_collection(recommended, "recommended"), "recommended"),
            set(check_collection(relevant, "relevant")))
