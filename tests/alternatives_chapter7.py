"""``check`` on chapter 7: ALS or popularity, a basket as a sparse row, latency percentiles."""

import math

import numpy as np
import scipy.sparse as sp

# --- 7.1 recommend_known_or_popular ---------------------------------------------------


def _unbought(user_items, customer):
    row = sp.csr_array(user_items)[[customer]]
    return set(row.indices[row.data != 0].tolist())


def _checked(user_factors, customer, n):
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if customer is not None and not 0 <= customer < user_factors.shape[0]:
        raise ValueError(f"customer {customer} is not a row")


def recommend_sorted_set(user_factors, item_factors, user_items, popularity, customer, n):
    """Correct: a Python sort of (-score, index) pairs, skipping the bought skus."""
    _checked(user_factors, customer, n)
    if customer is None:
        scores, bought, source = popularity, set(), "popularity"
    else:
        scores = item_factors @ user_factors[customer]
        bought, source = _unbought(user_items, customer), "als"
    ranked = sorted((-float(score), sku) for sku, score in enumerate(scores) if sku not in bought)
    return np.array([sku for _, sku in ranked[:n]], dtype=int), source


def recommend_lexsort(user_factors, item_factors, user_items, popularity, customer, n):
    """Correct: np.lexsort on (index, -score) with bought skus masked out."""
    _checked(user_factors, customer, n)
    scores = (np.asarray(popularity, dtype=float) if customer is None
              else item_factors @ user_factors[customer])
    keep = np.ones(scores.size, dtype=bool)
    if customer is not None:
        keep[list(_unbought(user_items, customer))] = False
    candidates = np.flatnonzero(keep)
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order][:n], "popularity" if customer is None else "als"


def recommend_keeps_bought(user_factors, item_factors, user_items, popularity, customer, n):
    """Recommends what the customer already bought."""
    _checked(user_factors, customer, n)
    scores = popularity if customer is None else item_factors @ user_factors[customer]
    return np.argsort(-scores, kind="stable")[:n], "popularity" if customer is None else "als"


def recommend_zero_is_unknown(user_factors, item_factors, user_items, popularity, customer, n):
    """Tests `if not customer`: customer 0 gets popularity."""
    if not customer:
        return recommend_lexsort(user_factors, item_factors, user_items, popularity, None, n)
    return recommend_lexsort(user_factors, item_factors, user_items, popularity, customer, n)


def recommend_unstable_popularity(user_factors, item_factors, user_items, popularity,
                                  customer, n):
    """Breaks popularity ties by the higher index (np.argsort(p)[::-1])."""
    if customer is None:
        _checked(user_factors, customer, n)
        return np.argsort(popularity, kind="stable")[::-1][:n], "popularity"
    return recommend_lexsort(user_factors, item_factors, user_items, popularity, customer, n)


def recommend_pads_with_bought(user_factors, item_factors, user_items, popularity, customer, n):
    """Always returns n skus, filling up with bought ones when too few are left."""
    skus, source = recommend_lexsort(user_factors, item_factors, user_items, popularity,
                                     customer, n)
    if customer is not None and len(skus) < n:
        scores = item_factors @ user_factors[customer]
        rest = [int(s) for s in np.argsort(-scores, kind="stable") if s not in skus]
        skus = np.concatenate([skus, rest[:n - len(skus)]]).astype(int)
    return skus, source


def recommend_no_source(user_factors, item_factors, user_items, popularity, customer, n):
    """Returns the skus alone, without saying where they came from."""
    return recommend_lexsort(user_factors, item_factors, user_items, popularity, customer, n)[0]


# --- 7.2 basket_to_row ----------------------------------------------------------------


def _check_quantities(basket):
    for code, quantity in basket.items():
        if not (isinstance(quantity, int | float) and math.isfinite(quantity) and quantity > 0):
            raise ValueError(f"the quantity of {code!r} must be finite and > 0, got {quantity!r}")


def basket_with_lil(basket, sku_index, n_items):
    """Correct: fill a LIL row, then convert it to CSR."""
    _check_quantities(basket)
    row = sp.lil_array((1, n_items))
    for code, quantity in basket.items():
        if code in sku_index:
            row[0, sku_index[code]] = quantity
    return sp.csr_array(row), [code for code in basket if code not in sku_index]


def basket_with_coo(basket, sku_index, n_items):
    """Correct: COO triplets of the known codes."""
    _check_quantities(basket)
    known = [code for code in basket if code in sku_index]
    columns = [sku_index[code] for code in known]
    row = sp.coo_array(([float(basket[code]) for code in known], ([0] * len(known), columns)),
                        shape=(1, n_items))
    return row.tocsr(), [code for code in basket if code not in sku_index]


def basket_in_basket_order(basket, sku_index, n_items):
    """Puts the quantities in the basket's order, column 0, 1, ..., not at their columns."""
    _check_quantities(basket)
    known = [float(basket[code]) for code in basket if code in sku_index]
    row = sp.csr_array((known, (np.zeros(len(known), dtype=int), np.arange(len(known)))),
                       shape=(1, n_items))
    return row, [code for code in basket if code not in sku_index]


def basket_no_quantity_check(basket, sku_index, n_items):
    """Never checks the quantities."""
    known = {sku_index[code]: float(q) for code, q in basket.items() if code in sku_index}
    row = sp.csr_array((list(known.values()), (np.zeros(len(known), dtype=int), list(known))),
                       shape=(1, n_items))
    return row, [code for code in basket if code not in sku_index]


def basket_nan_passes(basket, sku_index, n_items):
    """Refuses `quantity <= 0`, which lets NaN through."""
    for code, quantity in basket.items():
        if quantity <= 0:
            raise ValueError(f"the quantity of {code!r} must be > 0")
    return basket_no_quantity_check(basket, sku_index, n_items)


def basket_checks_known_only(basket, sku_index, n_items):
    """Checks the quantities of the known codes only."""
    _check_quantities({code: q for code, q in basket.items() if code in sku_index})
    return basket_no_quantity_check(basket, sku_index, n_items)


def basket_dense(basket, sku_index, n_items):
    """Returns a dense numpy row."""
    row, unknown = basket_with_coo(basket, sku_index, n_items)
    return row.toarray(), unknown


def basket_too_narrow(basket, sku_index, n_items):
    """Sizes the row by the largest known column, not n_items."""
    _check_quantities(basket)
    row, unknown = basket_with_coo(basket, sku_index, n_items)
    width = max((sku_index[code] + 1 for code in basket if code in sku_index), default=1)
    return sp.csr_array(row[:, :width]), unknown


# --- 7.3 latency_summary --------------------------------------------------------------


def _checked_latencies(seconds):
    values = np.asarray(seconds, dtype=float)
    if values.size == 0 or np.isnan(values).any() or (values < 0).any():
        raise ValueError("latencies must be a non-empty list of numbers >= 0")
    return values


def latency_sorted_list(seconds):
    """Correct: a sorted Python list and math.ceil."""
    values = sorted(_checked_latencies(seconds).tolist())
    return {f"p{q}": values[math.ceil(q * len(values) / 100) - 1] * 1000 for q in (50, 95, 99)}


def latency_numpy_inverted_cdf(seconds):
    """Correct: np.percentile with method='inverted_cdf' is the nearest rank."""
    values = _checked_latencies(seconds) * 1000
    return {f"p{q}": float(np.percentile(values, q, method="inverted_cdf"))
            for q in (50, 95, 99)}


def latency_interpolated(seconds):
    """np.percentile's default linear interpolation."""
    values = _checked_latencies(seconds) * 1000
    return {f"p{q}": float(np.percentile(values, q)) for q in (50, 95, 99)}


def latency_in_seconds(seconds):
    """Forgets to convert to milliseconds."""
    values = sorted(_checked_latencies(seconds).tolist())
    return {f"p{q}": values[math.ceil(q * len(values) / 100) - 1] for q in (50, 95, 99)}


def latency_rounds_down(seconds):
    """Takes the floor of the rank (int(q / 100 * N)) as a 0-based index."""
    values = sorted(_checked_latencies(seconds).tolist())
    return {f"p{q}": values[min(int(q * len(values) / 100), len(values) - 1)] * 1000
            for q in (50, 95, 99)}


def latency_unsorted(seconds):
    """Indexes the latencies in arrival order."""
    values = _checked_latencies(seconds).tolist()
    return {f"p{q}": values[math.ceil(q * len(values) / 100) - 1] * 1000 for q in (50, 95, 99)}


def latency_no_checks(seconds):
    """Never checks for empty, NaN or negative input."""
    values = sorted(np.asarray(seconds, dtype=float).tolist())
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    return {f"p{q}": values[math.ceil(q * len(values) / 100) - 1] * 1000 for q in (50, 95, 99)}


WRONG = [
    ("recommend_known_or_popular", recommend_keeps_bought,
     "position 0 holds sku 3, expected sku 1"),
    ("recommend_known_or_popular", recommend_zero_is_unknown,
     "the source is 'popularity', expected 'als'"),
    ("recommend_known_or_popular", recommend_unstable_popularity, "position 0 holds sku 3"),
    ("recommend_known_or_popular", recommend_pads_with_bought, "expected 1"),
    ("recommend_known_or_popular", recommend_no_source, "should return a pair (skus, source)"),
    ("basket_to_row", basket_in_basket_order, "the row: cell (0, 0) is 2"),
    ("basket_to_row", basket_no_quantity_check, "instead of raising ValueError"),
    ("basket_to_row", basket_nan_passes, "instead of raising ValueError"),
    ("basket_to_row", basket_checks_known_only, "instead of raising ValueError"),
    ("basket_to_row", basket_dense, "should return a scipy.sparse CSR matrix"),
    ("basket_to_row", basket_too_narrow, "its shape is (1, 3), expected (1, 4)"),
    ("latency_summary", latency_interpolated, "p50 is 50.5, expected 50.0"),
    ("latency_summary", latency_in_seconds, "p50 is 0.05, expected 50.0"),
    ("latency_summary", latency_rounds_down, "p50 is 51.0, expected 50.0"),
    ("latency_summary", latency_unsorted, "p50 is"),
    ("latency_summary", latency_no_checks, "instead of raising ValueError"),
]

CORRECT = [
    ("recommend_known_or_popular", recommend_sorted_set),
    ("recommend_known_or_popular", recommend_lexsort),
    ("basket_to_row", basket_with_lil),
    ("basket_to_row", basket_with_coo),
    ("latency_summary", latency_sorted_list),
    ("latency_summary", latency_numpy_inverted_cdf),
]
