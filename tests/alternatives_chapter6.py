"""``check`` on chapter 6: ALS by hand, folding in, precision@k, NDCG@k, weighting, dates."""

import datetime
import math

import numpy as np
import pandas as pd
import scipy.sparse as sp
from implicit.nearest_neighbours import bm25_weight

# --- 6.1 als_solve_users: wrong -------------------------------------------------------


def _rows(confidence):
    """(columns, confidences) of each row of a CSR matrix or array."""
    matrix = sp.csr_array(confidence)
    return [(matrix.indices[start:end], matrix.data[start:end])
            for start, end in zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True)]


def _solve_each(confidence, item_factors, regularization, system, solver=np.linalg.solve):
    """Per row: ``solver(*system(Y, columns, confidences, regularization))``."""
    k = item_factors.shape[1]
    result = np.zeros((confidence.shape[0], k))
    for user, (columns, values) in enumerate(_rows(confidence)):
        if columns.size:
            lhs, rhs = system(item_factors, columns, values, regularization)
            result[user] = solver(lhs, rhs)
    return result


def _exact(item_factors, columns, values, regularization):
    bought = item_factors[columns]
    lhs = (item_factors.T @ item_factors + bought.T @ (values[:, None] * bought)
           + regularization * np.eye(item_factors.shape[1]))
    return lhs, bought.T @ (1.0 + values)


def solve_without_yty(confidence, item_factors, regularization):
    """Forgets the Y^T Y term: only the bought skus enter the left-hand side."""
    def system(factors, columns, values, reg):
        bought = factors[columns]
        lhs = bought.T @ (values[:, None] * bought) + reg * np.eye(factors.shape[1])
        return lhs, bought.T @ (1.0 + values)
    return _solve_each(confidence, item_factors, regularization, system)


def solve_c_not_c_minus_i(confidence, item_factors, regularization):
    """Adds Y^T C_u Y to Y^T Y, so the bought skus count one time too many."""
    def system(factors, columns, values, reg):
        lhs, rhs = _exact(factors, columns, values, reg)
        bought = factors[columns]
        return lhs + bought.T @ bought, rhs
    return _solve_each(confidence, item_factors, regularization, system)


def solve_rhs_without_one(confidence, item_factors, regularization):
    """Takes Y^T confidence as the right-hand side instead of Y^T C_u p_u."""
    def system(factors, columns, values, reg):
        lhs, _ = _exact(factors, columns, values, reg)
        return lhs, factors[columns].T @ values
    return _solve_each(confidence, item_factors, regularization, system)


def solve_regularization_everywhere(confidence, item_factors, regularization):
    """Adds the scalar regularization to every entry of the matrix, not its diagonal."""
    def system(factors, columns, values, reg):
        lhs, rhs = _exact(factors, columns, values, 0.0)
        return lhs + reg, rhs
    return _solve_each(confidence, item_factors, regularization, system)


def solve_regularizes_some_factors(confidence, item_factors, regularization):
    """Regularizes as many factors as the customer has skus, not all k."""
    def system(factors, columns, values, reg):
        lhs, rhs = _exact(factors, columns, values, 0.0)
        some = np.arange(min(columns.size, factors.shape[1]))
        lhs[some, some] += reg
        return lhs, rhs
    return _solve_each(confidence, item_factors, regularization, system)


def solve_only_active_rows(confidence, item_factors, regularization):
    """Returns a row for the customers with stored cells only."""
    full = _solve_each(confidence, item_factors, regularization, _exact)
    return full[np.diff(sp.csr_array(confidence).indptr) > 0]


# --- 6.1 als_solve_users: correct -----------------------------------------------------


def solve_literal_paper(confidence, item_factors, regularization):
    """The paper's formula with the full diagonal C_u: (Y^T C_u Y + reg I) x = Y^T C_u p_u."""
    dense = sp.csr_array(confidence).toarray()
    pattern = sp.csr_array(confidence).copy()
    pattern.data[:] = 1.0
    stored = pattern.toarray()
    result = np.zeros((dense.shape[0], item_factors.shape[1]))
    for user in range(dense.shape[0]):
        if stored[user].any():
            c_u = np.diag(1.0 + dense[user])
            lhs = (item_factors.T @ c_u @ item_factors
                   + regularization * np.eye(item_factors.shape[1]))
            result[user] = np.linalg.solve(lhs, item_factors.T @ c_u @ stored[user])
    return result


def _conjugate_gradient(lhs, rhs):
    x = np.zeros_like(rhs)
    residual = rhs.copy()
    direction = residual.copy()
    for _ in range(10 * rhs.size):
        if residual @ residual < 1e-30:
            break
        step = (residual @ residual) / (direction @ lhs @ direction)
        x = x + step * direction
        new_residual = residual - step * lhs @ direction
        direction = new_residual + (new_residual @ new_residual) / (
            residual @ residual) * direction
        residual = new_residual
    return x


def solve_conjugate_gradient(confidence, item_factors, regularization):
    """Conjugate gradient, as implicit does, run until it has converged."""
    return _solve_each(confidence, item_factors, regularization, _exact, _conjugate_gradient)


# --- 6.2 fold_in: wrong ---------------------------------------------------------------


def _fold(basket, skus_mapping, item_factors, regularization, confidences):
    columns = np.array([skus_mapping[sku] for sku in confidences])
    if columns.size == 0:
        raise ValueError(f"no sku of {basket!r} is in skus_mapping")
    lhs, rhs = _exact(item_factors, columns, np.array(list(confidences.values()), dtype=float),
                      regularization)
    return np.linalg.solve(lhs, rhs)


def _known(basket, skus_mapping):
    return {sku: quantity for sku, quantity in basket.items() if sku in skus_mapping}


def fold_without_alpha(basket, skus_mapping, item_factors, regularization=0.1, alpha=15.0):
    """Uses the quantity itself as the confidence, forgetting alpha."""
    return _fold(basket, skus_mapping, item_factors, regularization,
                 _known(basket, skus_mapping))


def fold_ignores_quantity(basket, skus_mapping, item_factors, regularization=0.1, alpha=15.0):
    """Gives every bought sku the confidence alpha, whatever the quantity."""
    return _fold(basket, skus_mapping, item_factors, regularization,
                 dict.fromkeys(_known(basket, skus_mapping), alpha))


def fold_fixed_settings(basket, skus_mapping, item_factors, regularization=0.1, alpha=15.0):
    """Always uses regularization 0.1 and alpha 15, whatever is passed."""
    return _fold(basket, skus_mapping, item_factors, 0.1,
                 {sku: 15.0 * q for sku, q in _known(basket, skus_mapping).items()})


def fold_as_row(basket, skus_mapping, item_factors, regularization=0.1, alpha=15.0):
    """Returns a (1, k) row instead of a (k,) vector."""
    return fold_in_least_squares(basket, skus_mapping, item_factors, regularization,
                                 alpha)[None, :]


def fold_unknown_keyerror(basket, skus_mapping, item_factors, regularization=0.1, alpha=15.0):
    """Looks every sku up, so an unknown sku raises KeyError."""
    return _fold(basket, skus_mapping, item_factors, regularization,
                 {sku: alpha * q for sku, q in basket.items()})


def fold_basket_order(basket, skus_mapping, item_factors, regularization=0.1, alpha=15.0):
    """Takes the basket's order as the columns instead of skus_mapping."""
    known = _known(basket, skus_mapping)
    if not known:
        raise ValueError("no known sku")
    columns = np.arange(len(known))
    lhs, rhs = _exact(item_factors, columns, alpha * np.array(list(known.values()), float),
                      regularization)
    return np.linalg.solve(lhs, rhs)


def fold_zeros_when_nothing_maps(basket, skus_mapping, item_factors, regularization=0.1,
                                 alpha=15.0):
    """Returns zeros instead of raising ValueError when no sku maps."""
    if not _known(basket, skus_mapping):
        return np.zeros(item_factors.shape[1])
    return fold_in_least_squares(basket, skus_mapping, item_factors, regularization, alpha)


# --- 6.2 fold_in: correct -------------------------------------------------------------


def fold_in_least_squares(basket, skus_mapping, item_factors, regularization=0.1, alpha=15.0):
    """Weighted least squares: stack sqrt(c) Y over sqrt(reg) I and call lstsq."""
    known = _known(basket, skus_mapping)
    if not known:
        raise ValueError(f"no sku of {list(basket)} is in skus_mapping")
    n_skus, k = item_factors.shape
    confidence = np.ones(n_skus)
    preference = np.zeros(n_skus)
    for sku, quantity in known.items():
        confidence[skus_mapping[sku]] += alpha * quantity
        preference[skus_mapping[sku]] = 1.0
    weights = np.sqrt(confidence)
    design = np.vstack([weights[:, None] * item_factors, math.sqrt(regularization) * np.eye(k)])
    target = np.concatenate([weights * preference, np.zeros(k)])
    return np.linalg.lstsq(design, target, rcond=None)[0]


def fold_in_via_solver(basket, skus_mapping, item_factors, regularization=0.1, alpha=15.0):
    """One confidence row, then the literal 6.1 formula."""
    known = _known(basket, skus_mapping)
    if not known:
        raise ValueError("no sku of the basket is in skus_mapping")
    row = sp.csr_array((alpha * np.array(list(known.values()), dtype=float),
                        ([0] * len(known), [skus_mapping[sku] for sku in known])),
                       shape=(1, item_factors.shape[0]))
    return solve_literal_paper(row, item_factors, regularization)[0]


# --- 6.3 precision_at_k ---------------------------------------------------------------


def _check_k(k):
    if k <= 0:
        raise ValueError(f"k must be >= 1, got {k}")


def precision_min_k_relevant(recommended, relevant, k):
    """Divides by min(k, |relevant|), as implicit.evaluation.precision_at_k does."""
    _check_k(k)
    relevant = set(relevant)
    hits = sum(item in relevant for item in list(recommended)[:k])
    return hits / min(k, len(relevant)) if relevant else 0.0


def precision_beyond_k(recommended, relevant, k):
    """Counts the hits in the whole list, not only the first k."""
    _check_k(k)
    return sum(item in set(relevant) for item in recommended) / k


def precision_over_shown(recommended, relevant, k):
    """Divides by the number of recommendations shown, which may be fewer than k."""
    _check_k(k)
    shown = list(recommended)[:k]
    return sum(item in set(relevant) for item in shown) / len(shown) if shown else 0.0


def precision_integer_division(recommended, relevant, k):
    """Integer division: 1 hit out of 3 gives 0."""
    _check_k(k)
    return sum(item in set(relevant) for item in list(recommended)[:k]) // k


def precision_no_k_check(recommended, relevant, k):
    """Never checks k, so k < 0 returns a number."""
    if k == 0:
        return 0.0
    return sum(item in set(relevant) for item in list(recommended)[:k]) / k


def precision_set_intersection(recommended, relevant, k):
    """Intersects the first k with the relevant set."""
    _check_k(k)
    return len(set(list(recommended)[:k]) & set(relevant)) / k


def precision_numpy(recommended, relevant, k):
    """np.isin on the first k."""
    _check_k(k)
    return float(np.isin(np.asarray(recommended)[:k], np.asarray(list(relevant))).sum() / k)


# --- 6.4 ndcg_at_k --------------------------------------------------------------------


def _dcg(gains, discount):
    return sum(gain / discount(position) for position, gain in enumerate(gains))


def _ndcg(recommended, relevant, k, *, discount=lambda i: math.log2(i + 2),
          ideal_hits=lambda k, n: min(k, n), shown=lambda r, k: list(r)[:k]):
    _check_k(k)
    relevant = set(relevant)
    if not relevant:
        return 0.0
    gains = [float(item in relevant) for item in shown(recommended, k)]
    return _dcg(gains, discount) / _dcg([1.0] * ideal_hits(k, len(relevant)), discount)


def ndcg_discount_from_zero(recommended, relevant, k):
    """Discounts position i (counted from 0) by log2(i + 1): log2(1) = 0 at the top."""
    return _ndcg(recommended, relevant, k, discount=lambda i: math.log2(i + 1))


def ndcg_discount_shifted(recommended, relevant, k):
    """Counts positions from 1 and discounts by log2(i + 2): one position too far."""
    return _ndcg(recommended, relevant, k, discount=lambda i: math.log2(i + 3))


def ndcg_ideal_k_hits(recommended, relevant, k):
    """The ideal DCG of k hits, as if there were always k relevant items."""
    return _ndcg(recommended, relevant, k, ideal_hits=lambda k, n: k)


def ndcg_ideal_all_relevant(recommended, relevant, k):
    """The ideal DCG of every relevant item, even beyond k."""
    return _ndcg(recommended, relevant, k, ideal_hits=lambda k, n: n)


def ndcg_beyond_k(recommended, relevant, k):
    """Sums the gains of the whole list, not only the first k."""
    return _ndcg(recommended, relevant, k, shown=lambda r, k: list(r))


def ndcg_empty_divides(recommended, relevant, k):
    """Divides by an ideal DCG of 0 when nothing is relevant."""
    _check_k(k)
    relevant = set(relevant)
    gains = [float(item in relevant) for item in list(recommended)[:k]]
    return _dcg(gains, lambda i: math.log2(i + 2)) / _dcg(
        [1.0] * min(k, len(relevant)), lambda i: math.log2(i + 2))


def ndcg_natural_log(recommended, relevant, k):
    """Natural logarithms: the base cancels between DCG and ideal DCG."""
    return _ndcg(recommended, relevant, k, discount=lambda i: math.log(i + 2))


def ndcg_numpy(recommended, relevant, k):
    """Vectorised with NumPy."""
    _check_k(k)
    relevant = set(relevant)
    if not relevant:
        return 0.0
    hits = np.array([item in relevant for item in list(recommended)[:k]], dtype=float)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    return float(hits @ discounts[:hits.size] / discounts[:min(k, len(relevant))].sum())


# --- 6.5 weight_confidence ------------------------------------------------------------


def _weighted(matrix, scheme, transforms, *, check=True):
    if check:
        if matrix.format != "csr":
            raise TypeError(f"matrix must be CSR, got {matrix.format}")
        if np.any(matrix.data <= 0):
            raise ValueError("quantities must be positive")
    if scheme not in transforms:
        raise ValueError(f"unknown scheme {scheme!r}")
    weighted = sp.csr_array(matrix, dtype=float, copy=True)
    if scheme == "bm25":
        return sp.csr_array(bm25_weight(weighted, K1=100, B=0.8))
    weighted.data = transforms[scheme](weighted.data)
    return weighted


_TRANSFORMS = {"raw": lambda q: q, "binary": np.ones_like, "log1p": np.log1p, "bm25": None}


def weight_log_not_log1p(matrix, scheme):
    """Takes log(quantity): a single unit weighs 0."""
    return _weighted(matrix, scheme, {**_TRANSFORMS, "log1p": np.log})


def weight_binary_as_bool(matrix, scheme):
    """Returns the boolean matrix != 0 for 'binary'."""
    if scheme == "binary":
        return sp.csr_array(matrix != 0)
    return _weighted(matrix, scheme, _TRANSFORMS)


def weight_bm25_textbook_defaults(matrix, scheme):
    """BM25 with the search engines' K1 = 1.2 and B = 0.75 instead of implicit's 100 and 0.8."""
    if scheme == "bm25":
        return sp.csr_array(bm25_weight(sp.csr_array(matrix, dtype=float), K1=1.2, B=0.75))
    return _weighted(matrix, scheme, _TRANSFORMS)


def weight_dense(matrix, scheme):
    """Returns a dense array."""
    return _weighted(matrix, scheme, _TRANSFORMS).toarray()


def weight_converts_any_format(matrix, scheme):
    """Converts a CSC matrix silently instead of raising TypeError."""
    return _weighted(sp.csr_array(matrix), scheme, _TRANSFORMS)


def weight_no_positive_check(matrix, scheme):
    """Weights negative quantities too."""
    if matrix.format != "csr":
        raise TypeError("CSR please")
    return _weighted(matrix, scheme, _TRANSFORMS, check=False)


def weight_bm25_by_hand(matrix, scheme):
    """Every scheme written out, BM25 from its formula."""
    if matrix.format != "csr":
        raise TypeError("matrix must be CSR")
    quantities = sp.csr_array(matrix, dtype=float).tocoo()
    if np.any(quantities.data <= 0):
        raise ValueError("quantities must be positive")
    values = quantities.data
    if scheme == "binary":
        values = np.ones_like(values)
    elif scheme == "log1p":
        values = np.log(1.0 + values)
    elif scheme == "bm25":
        n_customers = quantities.shape[0]
        idf = np.log(n_customers) - np.log1p(np.bincount(quantities.col,
                                                         minlength=quantities.shape[1]))
        lengths = np.bincount(quantities.row, weights=values, minlength=n_customers)
        norm = 0.2 + 0.8 * lengths / lengths.mean()
        values = values * 101.0 / (100.0 * norm[quantities.row] + values) * idf[quantities.col]
    elif scheme != "raw":
        raise ValueError(f"unknown scheme {scheme!r}")
    return sp.csr_array((values, (quantities.row, quantities.col)), shape=quantities.shape)


def weight_with_a_table(matrix, scheme):
    """A dict of transforms on the stored values."""
    return _weighted(matrix, scheme, _TRANSFORMS)


# --- 6.6 split_by_date ----------------------------------------------------------------


def _periods(transactions, cutoff, end, *, before=None, after=None, check=True):
    if check:
        if not isinstance(cutoff, datetime.datetime) or not (
                end is None or isinstance(end, datetime.datetime)):
            raise TypeError("cutoff and end must be datetimes")
        if end is not None and end <= cutoff:
            raise ValueError("end must be after cutoff")
    dates = transactions["InvoiceDate"]
    before = dates < cutoff if before is None else before(dates)
    after = (dates >= cutoff) & (dates < end if end is not None else True) if after is None \
        else after(dates)
    return transactions[before].copy(), transactions[after].copy()


def split_cutoff_in_training(transactions, cutoff, end=None):
    """Puts a row dated exactly at the cut-off in training (<=), and in the test too."""
    return _periods(transactions, cutoff, end, before=lambda dates: dates <= cutoff)


def split_end_included(transactions, cutoff, end=None):
    """Keeps the rows dated exactly at the end."""
    return _periods(transactions, cutoff, end, after=lambda dates: (dates >= cutoff) & (
        dates <= end if end is not None else True))


def split_ignores_end(transactions, cutoff, end=None):
    """Runs the test period to the last row, whatever end says."""
    return _periods(transactions, cutoff, end, after=lambda dates: dates >= cutoff)


def split_resets_index(transactions, cutoff, end=None):
    """Renumbers the rows of both parts."""
    return tuple(part.reset_index(drop=True) for part in _periods(transactions, cutoff, end))


def split_sorts_by_date(transactions, cutoff, end=None):
    """Sorts both parts by date."""
    return tuple(part.sort_values("InvoiceDate") for part in _periods(transactions, cutoff, end))


def split_parses_strings(transactions, cutoff, end=None):
    """Parses a string cut-off with pd.Timestamp instead of raising TypeError."""
    return _periods(transactions, pd.Timestamp(cutoff), None if end is None else pd.Timestamp(end))


def split_with_between(transactions, cutoff, end=None):
    """Series.between with inclusive='left', and a far future for a missing end."""
    return _periods(transactions, cutoff, end, after=lambda dates: dates.between(
        cutoff, end if end is not None else pd.Timestamp.max, inclusive="left"))


def split_with_query(transactions, cutoff, end=None):
    """DataFrame.query with the bounds as variables."""
    if not isinstance(cutoff, datetime.datetime):
        raise TypeError("cutoff must be a datetime")
    if end is not None and (not isinstance(end, datetime.datetime) or end <= cutoff):
        raise ValueError("end must be a datetime after cutoff")
    if "InvoiceDate" not in transactions:
        raise KeyError("InvoiceDate")
    after = "InvoiceDate >= @cutoff" + ("" if end is None else " and InvoiceDate < @end")
    return transactions.query("InvoiceDate < @cutoff").copy(), transactions.query(after).copy()


WRONG = [
    ("als_solve_users", solve_without_yty, "cell (0, 0) is"),
    ("als_solve_users", solve_c_not_c_minus_i, "cell (0, 0) is"),
    ("als_solve_users", solve_rhs_without_one, "cell (0, 0) is"),
    ("als_solve_users", solve_regularization_everywhere, "cell (0, 0) is"),
    ("als_solve_users", solve_regularizes_some_factors, "cell (0, 0) is"),
    ("als_solve_users", solve_only_active_rows, "its shape is (2, 2), expected (3, 2)"),
    ("fold_in", fold_without_alpha, "cell (0, 0) is"),
    ("fold_in", fold_ignores_quantity, "cell (0, 0) is"),
    ("fold_in", fold_fixed_settings, "cell (0, 0) is"),
    ("fold_in", fold_as_row, "its shape is (1, 2), expected (2,)"),
    ("fold_in", fold_unknown_keyerror, "your function raised KeyError"),
    ("fold_in", fold_basket_order, "cell (0, 0) is"),
    ("fold_in", fold_zeros_when_nothing_maps, "it returned instead of raising ValueError"),
    ("precision_at_k", precision_min_k_relevant, "0.5 differs from the expected 0.333"),
    ("precision_at_k", precision_beyond_k, "0.6666666666666666 differs from the expected 0.333"),
    ("precision_at_k", precision_over_shown, "1.0 differs from the expected 0.25"),
    ("precision_at_k", precision_integer_division, "0 differs from the expected 0.333"),
    ("precision_at_k", precision_no_k_check, "it returned instead of raising ValueError"),
    ("ndcg_at_k", ndcg_discount_from_zero, "your function raised ZeroDivisionError"),
    ("ndcg_at_k", ndcg_discount_shifted, "differs from the expected 0.624"),
    ("ndcg_at_k", ndcg_ideal_k_hits, "differs from the expected 0.624"),
    ("ndcg_at_k", ndcg_ideal_all_relevant, "differs from the expected 1.0"),
    ("ndcg_at_k", ndcg_beyond_k, "differs from the expected 0.0"),
    ("ndcg_at_k", ndcg_empty_divides, "your function raised ZeroDivisionError"),
    ("weight_confidence", weight_log_not_log1p, "cell (0, 0) is 0, expected 0.693147"),
    ("weight_confidence", weight_binary_as_bool, "its dtype is bool, expected a float dtype"),
    ("weight_confidence", weight_bm25_textbook_defaults, "cell (0, 0) is"),
    ("weight_confidence", weight_dense, "should return a scipy.sparse CSR matrix, not ndarray"),
    ("weight_confidence", weight_converts_any_format, "instead of raising TypeError"),
    ("weight_confidence", weight_no_positive_check, "instead of raising ValueError"),
    ("split_by_date", split_cutoff_in_training, "before has 3 rows, expected 2"),
    ("split_by_date", split_end_included, "after has 3 rows, expected 2"),
    ("split_by_date", split_ignores_end, "after has 4 rows, expected 2"),
    ("split_by_date", split_resets_index, "keep the rows' order and index"),
    ("split_by_date", split_sorts_by_date, "keep the rows' order and index"),
    ("split_by_date", split_parses_strings, "instead of raising TypeError"),
]

CORRECT = [
    ("als_solve_users", solve_literal_paper),
    ("als_solve_users", solve_conjugate_gradient),
    ("fold_in", fold_in_least_squares),
    ("fold_in", fold_in_via_solver),
    ("precision_at_k", precision_set_intersection),
    ("precision_at_k", precision_numpy),
    ("ndcg_at_k", ndcg_natural_log),
    ("ndcg_at_k", ndcg_numpy),
    ("weight_confidence", weight_bm25_by_hand),
    ("weight_confidence", weight_with_a_table),
    ("split_by_date", split_with_between),
    ("split_by_date", split_with_query),
]
