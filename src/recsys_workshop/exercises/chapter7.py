"""Cases for chapter 7: what a recommendation service computes for each request."""

import math
from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import serving
from ..evaluate import popularity
from .engine import Case, Exercise
from .judges import sparse_matrix
from .values import close

__all__ = ["EXERCISES"]

#: Three customers, five skus, two factors: customer 0 scores the skus [3, 1, 2, 0, 2.5].
_USERS = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_ITEMS = np.array([[3.0, 0.0], [1.0, 2.0], [2.0, 2.0], [0.0, 5.0], [2.5, 0.0]])
_BOUGHT = sp.csr_array(np.array([[1.0, 0, 0, 0, 0], [0, 0, 0, 2, 0], [1, 1, 1, 1, 0]]))
_COUNTS = popularity(_BOUGHT)  # [2, 1, 1, 2, 0]


def _model(customer: int | None, n: int, bought: Any = _BOUGHT,
           counts: np.ndarray = _COUNTS) -> tuple:
    return (_USERS, _ITEMS, bought, counts, customer, n)


def _recommend_cases() -> list[Case]:
    return [
        Case("a known customer: the best ALS scores, best first", _model(1, 2),
             hint="Score every sku with item_factors @ user_factors[customer] and sort, "
                  "best first."),
        Case("the skus the customer bought are never recommended", _model(0, 3),
             hint="Read the customer's row of user_items (indptr, indices) and drop those skus."),
        Case("the source of a known customer's answer is 'als'", _model(2, 1),
             hint="Return a pair (skus, source), source 'als' for a known customer."),
        Case("an unknown customer (None) gets the most popular skus, source 'popularity'",
             _model(None, 2),
             hint="For customer None, rank the skus by popularity instead."),
        Case("equal popularity: the lower index first", _model(None, 4),
             hint="Sort with a stable sort on the negated counts (np.argsort(-p, "
                  "kind='stable')): np.argpartition does not keep ties in order."),
        Case("n larger than the unbought skus: return what is left", _model(2, 4),
             hint="Return fewer than n skus when fewer are left; never a bought one."),
        Case("n larger than the catalogue, for an unknown customer", _model(None, 9),
             hint="np.argsort(...)[:n] returns at most every sku."),
        Case("customer 0 is a known customer, not a missing one", _model(0, 1),
             hint="Test `customer is None`, not `not customer`: 0 is a real row."),
        Case("a stored zero in user_items is not a purchase",
             _model(0, 1, bought=_with_stored_zero()),
             hint="Drop only the skus with a non-zero value in the customer's row."),
        Case("n = 0 raises ValueError", _model(0, 0), raises=ValueError,
             hint="Check that n is at least 1 first."),
        Case("a customer outside the rows raises ValueError", _model(3, 2), raises=ValueError,
             hint="Check 0 <= customer < user_factors.shape[0]."),
    ]


def _with_stored_zero() -> sp.csr_array:
    bought = _BOUGHT.copy()
    bought.data[0] = 0.0  # customer 0's sku 0, still stored
    return bought


def _random_recommend_case(rng: np.random.Generator, number: int) -> Case:
    n_customers, n_skus, k = (int(rng.integers(1, 6)), int(rng.integers(2, 12)),
                              int(rng.integers(1, 4)))
    bought = sp.csr_array((rng.random((n_customers, n_skus)) < 0.3)
                          * rng.integers(1, 5, size=(n_customers, n_skus)).astype(float))
    customer = None if number % 4 == 0 else int(rng.integers(n_customers))
    return Case(f"random case {number}",
                (rng.normal(size=(n_customers, k)), rng.normal(size=(n_skus, k)), bought,
                 popularity(bought), customer, int(rng.integers(1, n_skus + 2))))


def _ranked(case: Case, expected: tuple, actual: Any) -> str | None:
    """A pair (sku indices best first, source), the indices equal to the expected ones."""
    if not isinstance(actual, tuple) or len(actual) != 2:
        return "it should return a pair (skus, source), e.g. (np.array([4, 2]), 'als')"
    skus, source = actual
    if source != expected[1]:
        return f"the source is {source!r}, expected {expected[1]!r}"
    try:
        got = [int(sku) for sku in skus]
    except (TypeError, ValueError):
        return f"the skus should be a list or array of sku indices, got {skus!r}"
    want = expected[0].tolist()
    if len(got) != len(want):
        return f"it returned {len(got)} skus, expected {len(want)}: {want}"
    if got != want:
        position = next(i for i, (a, b) in enumerate(zip(got, want, strict=True)) if a != b)
        return f"position {position} holds sku {got[position]}, expected sku {want[position]}"
    return None


_SKUS = {"85123A": 2, "71053": 0, "84406B": 1}


def _basket_cases() -> list[Case]:
    return [
        Case("each known code's quantity at its column",
             ({"84406B": 2, "85123A": 0.5}, _SKUS, 3),
             hint="Look each code up in sku_index and put its quantity at that column."),
        Case("columns come from sku_index, not from the basket's order",
             ({"85123A": 1, "71053": 4}, _SKUS, 4),
             hint="Use sku_index[code] as the column, whatever order the basket has."),
        Case("the row has n_items columns, even beyond the last known code",
             ({"71053": 3}, _SKUS, 6), hint="Build the row with shape=(1, n_items)."),
        Case("unknown codes are listed in the basket's order",
             ({"NOPE": 1, "84406B": 2, "ALSO": 3}, _SKUS, 3),
             hint="Keep the codes missing from sku_index in a list, in the basket's order."),
        Case("an empty basket gives an empty row and no unknown code", ({}, _SKUS, 3),
             hint="Return an all-zero 1 x n_items row and []: the service then falls "
                  "back on popularity."),
        Case("a quantity of 0 raises ValueError", ({"85123A": 0}, _SKUS, 3),
             raises=ValueError, hint="Every quantity must be > 0; raise ValueError otherwise."),
        Case("a negative quantity of an unknown code raises ValueError too",
             ({"71053": 1, "NOPE": -2}, _SKUS, 3), raises=ValueError,
             hint="Check every quantity, also those of codes the model does not know."),
        Case("a NaN quantity raises ValueError", ({"71053": math.nan}, _SKUS, 3),
             raises=ValueError, hint="NaN > 0 is False: test `not quantity > 0` or "
                                     "math.isfinite(quantity)."),
        Case("an infinite quantity raises ValueError", ({"71053": math.inf}, _SKUS, 3),
             raises=ValueError, hint="Check math.isfinite(quantity)."),
    ]


def _random_basket_case(rng: np.random.Generator, number: int) -> Case:
    n_items = int(rng.integers(1, 10))
    codes = [f"C{i}" for i in range(n_items)]
    sku_index = {code: int(column) for code, column in zip(codes, rng.permutation(n_items),
                                                           strict=True)}
    chosen = rng.choice(n_items + 3, size=int(rng.integers(0, n_items + 3)), replace=False)
    basket = {f"C{i}": float(rng.choice([1.0, 2.0, 0.5, 12.0])) for i in chosen}
    return Case(f"random case {number}", (basket, sku_index, n_items))


_CSR_ROW = sparse_matrix("csr")


def _row_and_unknown(case: Case, expected: tuple, actual: Any) -> str | None:
    """A pair (1 x n_items CSR row of quantities, list of unknown codes in order)."""
    if not isinstance(actual, tuple) or len(actual) != 2:
        return "it should return a pair (row, unknown)"
    row, unknown = actual
    problem = _CSR_ROW(case, expected[0], row)
    if problem is not None:
        return f"the row: {problem}"
    if not isinstance(unknown, list):
        return f"the unknown codes should be a list, not {type(unknown).__name__}"
    if unknown != expected[1]:
        return f"the unknown codes are {unknown!r}, expected {expected[1]!r}"
    return None


def _latency_cases() -> list[Case]:
    return [
        Case("100 latencies of 1 to 100 ms", (np.arange(1, 101) / 1000,),
             hint="Sort the latencies; the q-th percentile is the ceil(q / 100 * N)-th "
                  "smallest, times 1000 for milliseconds."),
        Case("the result is in milliseconds", ([0.002, 0.001, 0.003],),
             hint="Multiply seconds by 1000."),
        Case("nearest rank rounds the rank up: 20 latencies, p95 is the 19th",
             (np.arange(20, 0, -1) / 1000,),
             hint="Use math.ceil(q / 100 * N), then index N - 1 based: sorted[rank - 1]."),
        Case("nearest rank never interpolates between two latencies",
             ([0.001, 0.004, 0.002, 0.003],),
             hint="np.percentile interpolates by default; pick a measured value instead."),
        Case("one latency is every percentile", ([0.25],)),
        Case("seven latencies: p50 is the 4th", ([0.007, 0.001, 0.006, 0.002, 0.005, 0.003,
                                                  0.004],),
             hint="ceil(0.5 * 7) = 4: the 4th smallest."),
        Case("no latency raises ValueError", ([],), raises=ValueError,
             hint="Raise ValueError for an empty input: there is no percentile."),
        Case("a NaN raises ValueError", ([0.001, math.nan],), raises=ValueError,
             hint="A NaN sorts last and would hide in p99: refuse it."),
        Case("a negative latency raises ValueError", ([0.001, -0.002],), raises=ValueError,
             hint="A latency cannot be negative: raise ValueError."),
    ]


def _random_latency_case(rng: np.random.Generator, number: int) -> Case:
    size = int(rng.integers(1, 300))
    return Case(f"random case {number}", (rng.exponential(0.004, size=size),))


def _percentiles(case: Case, expected: dict, actual: Any) -> str | None:
    """A dict with exactly the keys p50, p95, p99 and the expected milliseconds."""
    if not isinstance(actual, dict):
        return f"it should return a dict {{'p50': ..., 'p95': ..., 'p99': ...}}, " \
               f"not {type(actual).__name__}"
    if set(actual) != set(expected):
        return f"its keys are {sorted(actual)}, expected {sorted(expected)}"
    for key, value in expected.items():
        got = actual[key]
        if isinstance(got, bool) or not isinstance(got, int | float | np.number):
            return f"{key} is {got!r}, expected a number of milliseconds"
        if not close(float(got), value):
            return f"{key} is {float(got)!r}, expected {value!r}"
    return None


EXERCISES = [
    Exercise("recommend_known_or_popular", serving.recommend_known_or_popular,
             _recommend_cases, _random_recommend_case, _ranked, points=3),
    Exercise("basket_to_row", serving.basket_to_row, _basket_cases, _random_basket_case,
             _row_and_unknown, points=2),
    Exercise("latency_summary", serving.latency_summary, _latency_cases,
             _random_latency_case, _percentiles, points=2),
]
