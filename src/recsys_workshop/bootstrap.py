"""Chapter 6: how sure is a difference? Bootstrap intervals over customers.

A mean over a few thousand customers moves when other customers are drawn.
The bootstrap measures how much: draw as many customers as there are, with
replacement, recompute the mean, repeat. The 2.5% and 97.5% quantiles of
those means bound a 95% interval. Every recommender is resampled with the
*same* draws (a paired bootstrap), so a difference between two recommenders
gets its own interval; a difference is a win only when that interval excludes
0. Only the per-customer metric arrays are resampled: no model is refitted.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .validation import check_count, check_share

__all__ = ["bootstrap_differences", "bootstrap_intervals", "resampled_means"]


def resampled_means(values: Any, n_resamples: int = 1000, seed: int = 0) -> np.ndarray:
    """The means of ``values`` over ``n_resamples`` resamples of its rows, with replacement.

    Parameters
    ----------
    values : array_like, shape (n_customers,) or (n_customers, n_columns)
        One row per customer, finite numbers.
    n_resamples : int, default 1000
        How many resamples, ``>= 1``.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: the same seed gives the same means.

    Returns
    -------
    numpy.ndarray, shape (n_resamples,) or (n_resamples, n_columns)
        Each resample draws ``n_customers`` rows with replacement (as counts
        from one multinomial draw) and averages every column over them.

    Raises
    ------
    TypeError
        If ``values`` does not hold numbers, or ``n_resamples`` or ``seed`` is
        not an integer.
    ValueError
        If ``values`` is empty, not 1-d or 2-d, or holds NaN or an infinity.

    Examples
    --------
    >>> means = resampled_means([0.0, 1.0, 1.0, 0.0], n_resamples=5, seed=1)
    >>> means.shape, bool(np.all((means >= 0) & (means <= 1)))
    ((5,), True)
    """
    array = np.asarray(values)
    if array.dtype.kind not in "iufb":
        raise TypeError(f"values must hold numbers, got dtype {array.dtype}")
    if array.ndim not in (1, 2) or array.shape[0] == 0:
        raise ValueError(f"values must be a non-empty 1-d or 2-d array, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError("values holds NaN or an infinity")
    n_resamples = check_count(n_resamples, "n_resamples", minimum=1)
    rng = np.random.default_rng(check_count(seed, "seed"))
    n = array.shape[0]
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=n_resamples)
    return counts @ array.astype(np.float64) / n


def bootstrap_intervals(
    per_customer: Mapping[str, pd.DataFrame],
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Each recommender's mean of each metric, with its bootstrap interval.

    Parameters
    ----------
    per_customer : mapping of str to pandas.DataFrame
        Each recommender's per-customer metrics (such as
        :func:`~recsys_workshop.ranking.customer_metrics`), all on the same
        customers (the same index) and with the same columns.
    n_resamples, seed
        As in :func:`resampled_means`; every recommender gets the same draws.
    level : float, default 0.95
        The interval's coverage, in ``(0, 1)``.

    Returns
    -------
    pandas.DataFrame
        One row per (recommender, metric); columns ``"mean"``, ``"low"`` and
        ``"high"`` (percentile interval).

    Raises
    ------
    TypeError, ValueError
        As :func:`resampled_means`; ``ValueError`` too if the tables do not
        share their customers and columns, or ``per_customer`` is empty.

    Examples
    --------
    >>> table = pd.DataFrame({"hit": [1.0, 0.0, 1.0, 1.0]})
    >>> bootstrap_intervals({"a": table}, n_resamples=200).round(2).to_dict("list")
    {'mean': [0.75], 'low': [0.25], 'high': [1.0]}
    """
    names, stacked, metrics = _stack(per_customer)
    means = resampled_means(stacked, n_resamples, seed)
    return _summary(stacked.mean(axis=0), means, level,
                    pd.MultiIndex.from_product([names, metrics], names=["recommender", "metric"]))


def bootstrap_differences(
    per_customer: Mapping[str, pd.DataFrame],
    pairs: Sequence[tuple[str, str]],
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """The difference of the means of two recommenders, with its paired bootstrap interval.

    Parameters
    ----------
    per_customer : mapping of str to pandas.DataFrame
        As in :func:`bootstrap_intervals`.
    pairs : sequence of (str, str)
        ``(a, b)``: the differences ``a - b`` to measure.
    n_resamples, seed, level
        As in :func:`bootstrap_intervals`: the same seed gives the same draws.

    Returns
    -------
    pandas.DataFrame
        One row per (``"a - b"``, metric); columns ``"mean"``, ``"low"``,
        ``"high"`` and ``"verdict"``: ``a`` or ``b`` when the interval is all
        above or all below 0, ``"no clear winner"`` when it contains 0.

    Raises
    ------
    KeyError
        If a pair names a recommender that ``per_customer`` does not hold.
    TypeError, ValueError
        As :func:`bootstrap_intervals`.

    Examples
    --------
    >>> a = pd.DataFrame({"hit": [1.0, 1.0, 1.0, 0.0, 1.0, 1.0]})
    >>> b = pd.DataFrame({"hit": [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]})
    >>> bootstrap_differences({"a": a, "b": b}, [("a", "b")])["verdict"].tolist()
    ['a']
    """
    names, stacked, metrics = _stack(per_customer)
    n_metrics = len(metrics)
    for pair in pairs:
        missing = [name for name in pair if name not in names]
        if missing:
            raise KeyError(f"no recommender named {missing} in per_customer; it has {names}")
    means = resampled_means(stacked, n_resamples, seed)
    point = stacked.mean(axis=0)

    def block(name: str) -> slice:
        start = names.index(name) * n_metrics
        return slice(start, start + n_metrics)

    differences = np.hstack([means[:, block(a)] - means[:, block(b)] for a, b in pairs])
    estimates = np.concatenate([point[block(a)] - point[block(b)] for a, b in pairs])
    index = pd.MultiIndex.from_product([[f"{a} - {b}" for a, b in pairs], metrics],
                                       names=["difference", "metric"])
    table = _summary(estimates, differences, level, index)
    winners = [(a, b) for a, b in pairs for _ in metrics]
    table["verdict"] = [a if low > 0 else b if high < 0 else "no clear winner"
                        for (a, b), low, high in zip(winners, table["low"], table["high"],
                                                     strict=True)]
    return table


def _stack(per_customer: Mapping[str, pd.DataFrame]) -> tuple[list[str], np.ndarray, list[str]]:
    """The recommenders' names, their tables side by side, and the metrics' names."""
    if not isinstance(per_customer, Mapping):
        raise TypeError("per_customer must be a dict {recommender: per-customer table}, "
                        f"got {type(per_customer).__name__}")
    if not per_customer:
        raise ValueError("per_customer is empty: there is nothing to resample")
    names = list(per_customer)
    first = per_customer[names[0]]
    for name, table in per_customer.items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"per_customer[{name!r}] must be a DataFrame, "
                            f"got {type(table).__name__}")
        if not (table.index.equals(first.index) and table.columns.equals(first.columns)):
            raise ValueError(f"per_customer[{name!r}] and per_customer[{names[0]!r}] must hold "
                             "the same customers and metrics, in the same order")
    stacked = np.hstack([per_customer[name].to_numpy() for name in names])
    return names, stacked, [str(column) for column in first.columns]


def _summary(point: np.ndarray, resampled: np.ndarray, level: float,
             index: pd.MultiIndex) -> pd.DataFrame:
    level = check_share(level, "level", strict=True)
    low, high = np.quantile(resampled, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return pd.DataFrame({"mean": point, "low": low, "high": high}, index=index)
