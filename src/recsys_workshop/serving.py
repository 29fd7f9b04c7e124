"""Chapter 7: what a recommendation service computes for each request.

Training happens offline, once; a service then answers requests online, each in
a few milliseconds, from the trained model's arrays. These are the pure
functions behind the answers of :mod:`recsys_workshop.service`:

- :func:`recommend_known_or_popular`: a known customer's best unbought skus by
  ALS scores, or the most popular skus for a customer the model never saw;
- :func:`basket_to_row`: a new customer's basket ``{stock code: quantity}`` as
  the one sparse row that fold-in (chapter 6) needs, and its unknown codes;
- :func:`latency_summary`: the percentiles a latency budget is written in.

Each request pays for its own input checks, so they touch only what the answer
reads (one customer's row, not the whole purchase matrix): a few microseconds.
"""

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .validation import check_array, check_count, check_finite, check_real, check_sparse

__all__ = [
    "PERCENTILES", "basket_to_row", "best_first", "latency_summary", "recommend_known_or_popular",
]

#: The percentiles of :func:`latency_summary`, as its keys ``"p50"``, ... name them.
PERCENTILES = (50, 95, 99)


def recommend_known_or_popular(
    user_factors: np.ndarray,
    item_factors: np.ndarray,
    user_items: sp.csr_array,
    popularity: np.ndarray,
    customer: int | None,
    n: int,
) -> tuple[np.ndarray, str]:
    """The ``n`` skus to show a customer: ALS for a known one, popularity otherwise.

    Parameters
    ----------
    user_factors : numpy.ndarray, shape (n_customers, k)
        The trained customer factors.
    item_factors : numpy.ndarray, shape (n_skus, k)
        The trained sku factors.
    user_items : scipy.sparse CSR matrix, shape (n_customers, n_skus)
        What each customer bought: a non-zero value in row ``u`` is a sku
        customer ``u`` bought, never recommended to them again.
    popularity : numpy.ndarray, shape (n_skus,)
        One count per sku (for example :func:`recsys_workshop.evaluate.popularity`).
    customer : int or None
        The customer's row, or ``None`` for a customer the model never saw.
    n : int
        How many skus to return, at least 1.

    Returns
    -------
    skus : numpy.ndarray of int
        Sku indices, best first: for a known customer, the skus with the highest
        ``user_factors[customer] @ item_factors.T`` among those not bought; for
        ``None``, the most popular skus (bought ones are not known, so none is
        left out). Equal scores are ordered by lower index. Fewer than ``n``
        when fewer skus are available.
    source : str
        ``"als"`` or ``"popularity"``: what the answer came from.

    Raises
    ------
    TypeError
        If ``customer`` is neither an integer nor None, ``n`` is not an
        integer, ``user_items`` is not a CSR matrix, or an array does not hold
        numbers.
    ValueError
        If ``customer`` is not a row of ``user_factors``, ``n < 1``, the shapes
        disagree, or a value the answer reads (the customer's factors and
        purchases, the sku factors, the popularity) is NaN or infinite.

    Examples
    --------
    >>> users = np.array([[1.0], [-1.0]])
    >>> items = np.array([[3.0], [1.0], [2.0]])
    >>> bought = sp.csr_array(np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]))
    >>> counts = np.array([1.0, 5.0, 5.0])
    >>> recommend_known_or_popular(users, items, bought, counts, 0, 5)
    (array([2, 1]), 'als')
    >>> recommend_known_or_popular(users, items, bought, counts, None, 2)
    (array([1, 2]), 'popularity')
    """
    user_factors = check_array(user_factors, "user_factors", ("n_customers", "k"), finite=False)
    n_customers, k = user_factors.shape
    item_factors = check_array(item_factors, "item_factors", ("n_skus", k), finite=False)
    n_skus = item_factors.shape[0]
    check_sparse(user_items, "user_items", "csr", finite=False)
    if user_items.shape != (n_customers, n_skus):
        raise ValueError(f"user_items must have shape (n_customers, n_skus) = "
                         f"{(n_customers, n_skus)}, got {user_items.shape}")
    popularity = check_array(popularity, "popularity", (n_skus,))
    n = check_count(n, "n", minimum=1)
    if customer is None:
        return best_first(popularity, n), "popularity"
    customer = check_count(customer, "customer", maximum=n_customers - 1)
    start, stop = user_items.indptr[customer], user_items.indptr[customer + 1]
    bought = check_finite(user_items.data[start:stop], f"row {customer} of user_items")
    row = check_finite(user_factors[customer], f"user_factors[{customer}]")
    with np.errstate(over="ignore", invalid="ignore"):  # refused just below, by name
        scores = item_factors @ row
    if not np.isfinite(scores).all():
        check_finite(item_factors, "item_factors")  # names the culprit
        raise ValueError(f"the scores of customer {customer} overflow: "
                         "item_factors @ user_factors[customer] is not finite")
    scores[user_items.indices[start:stop][bought != 0]] = -np.inf
    return best_first(scores, min(n, int(np.isfinite(scores).sum()))), "als"


def basket_to_row(
    basket: Mapping[str, float], sku_index: Mapping[str, int], n_items: int
) -> tuple[sp.csr_array, list[str]]:
    """A new customer's basket as one sparse row of quantities, and its unknown codes.

    Parameters
    ----------
    basket : mapping of str to float
        ``{stock code: quantity}``, what the customer put in their basket.
        Quantities must be finite and positive, also those of unknown codes.
    sku_index : mapping of str to int
        The model's ``{stock code: column}``; only the basket's codes are looked up.
    n_items : int
        How many columns the row has (the model's number of skus), at least 1.

    Returns
    -------
    row : scipy.sparse.csr_array, shape (1, n_items)
        Each known code's quantity (float64) at its column, the columns sorted;
        an empty row when no code is known.
    unknown : list of str
        The codes missing from ``sku_index``, in the basket's order.

    Raises
    ------
    TypeError
        If ``basket`` or ``sku_index`` is not a mapping, a code is not a string
        (``85123`` is not the stock code ``"85123"``), a quantity is not a real
        number, or a known code's column is not an integer.
    ValueError
        If a quantity is zero, negative, NaN or infinite (the message names the
        code), ``n_items < 1``, a known code's column is outside
        ``0..n_items-1``, or two codes of the basket share a column.

    Examples
    --------
    >>> row, unknown = basket_to_row({"C": 2, "Z": 1, "A": 0.5}, {"A": 0, "B": 1, "C": 2}, 3)
    >>> row.toarray(), unknown
    (array([[0.5, 0. , 2. ]]), ['Z'])
    """
    if not isinstance(basket, Mapping):
        raise TypeError(f"basket must be a dict {{stock code: quantity}}, "
                        f"got {type(basket).__name__} {basket!r:.80}")
    if not isinstance(sku_index, Mapping):
        raise TypeError(f"sku_index must be a dict {{stock code: column}}, "
                        f"got {type(sku_index).__name__}")
    n_items = check_count(n_items, "n_items", minimum=1)
    columns: dict[int, str] = {}
    quantities: list[float] = []
    unknown: list[str] = []
    for code, quantity in basket.items():
        if not isinstance(code, str):
            raise TypeError(f"stock codes must be strings, got {code!r} "
                            f"({type(code).__name__}) in the basket")
        value = check_real(quantity, f"the quantity of {code!r}", exclusive_minimum=0)
        if code not in sku_index:
            unknown.append(code)
            continue
        column = check_count(sku_index[code], f"the column of {code!r}", maximum=n_items - 1)
        if column in columns:
            raise ValueError(f"sku_index maps both {columns[column]!r} and {code!r} to "
                             f"the column {column}: columns must be distinct")
        columns[column] = code
        quantities.append(value)
    indices = np.fromiter(columns, dtype=np.intp, count=len(columns))
    order = np.argsort(indices)
    row = sp.csr_array(
        (np.array(quantities, dtype=np.float64)[order], indices[order],
         np.array([0, len(columns)])),
        shape=(1, n_items),
    )
    return row, unknown


def latency_summary(seconds: npt.ArrayLike) -> dict[str, float]:
    """The 50th, 95th and 99th percentiles of request latencies, in milliseconds.

    Parameters
    ----------
    seconds : array-like of float, 1-d
        One latency per request, in seconds, at least one.

    Returns
    -------
    dict
        ``{"p50": ..., "p95": ..., "p99": ...}`` in milliseconds (Python
        floats). The ``q``-th percentile is a latency that was measured, by the
        nearest-rank rule: the ``ceil(q / 100 * N)``-th smallest of the ``N``
        latencies, so ``q`` percent of the requests took at most that long.

    Raises
    ------
    TypeError
        If ``seconds`` does not hold numbers.
    ValueError
        If it is empty, not 1-d, or holds a NaN, an infinity or a negative value.

    Examples
    --------
    >>> latency_summary([0.004, 0.001, 0.002, 0.003])
    {'p50': 2.0, 'p95': 4.0, 'p99': 4.0}
    """
    latencies = check_array(seconds, "seconds")
    if latencies.ndim != 1:
        raise ValueError(f"seconds must be a 1-d list of latencies, got shape {latencies.shape}")
    if latencies.size == 0:
        raise ValueError("seconds is empty: there is no latency to summarise")
    if (latencies < 0).any():
        first = int(np.flatnonzero(latencies < 0)[0])
        raise ValueError(f"seconds holds {latencies[first].item()!r} at [{first}]: "
                         "a latency cannot be negative")
    ordered = np.sort(latencies)
    ranks = [-(-q * ordered.size // 100) for q in PERCENTILES]  # ceil, exactly, in integers
    return {f"p{q}": float(ordered[rank - 1]) * 1000.0
            for q, rank in zip(PERCENTILES, ranks, strict=True)}


def best_first(scores: np.ndarray, n: int) -> np.ndarray:
    """The indices of the ``n`` highest scores, best first, equal scores by lower index.

    Unchecked: the scores of a model that was checked once, as the service's.

    Parameters
    ----------
    scores : numpy.ndarray
        1-d, no NaN; ``-inf`` ranks last.
    n : int
        How many, at least 0; fewer when ``scores`` holds fewer.

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> best_first(np.array([1.0, 3.0, 3.0, 2.0]), 3)
    array([1, 2, 3])
    """
    n = min(n, scores.size)
    if n == 0:
        return np.empty(0, dtype=np.intp)
    threshold = np.partition(scores, scores.size - n)[scores.size - n]
    candidates = np.flatnonzero(scores >= threshold)  # every tie at the threshold, by index
    order = np.argsort(-scores[candidates], kind="stable")[:n]
    return candidates[order]
