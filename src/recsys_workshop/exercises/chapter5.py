"""Cases for chapter 5: the Online Retail pipeline, the masked split and AUC."""

import math
import numbers
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .. import evaluate, retail, split
from .engine import Case, Exercise
from .values import close, same

__all__ = ["EXERCISES"]

_DESCRIPTIONS = {"10002": "INFLATABLE POLITICAL GLOBE", "22423": "REGENCY CAKESTAND 3 TIER",
                 "85123A": "WHITE HANGING HEART T-LIGHT HOLDER", "71053": "WHITE METAL LANTERN",
                 "84029G": "KNITTED UNION FLAG HOT WATER BOTTLE", "21730": "GLASS STAR FROSTED",
                 "22752": "SET 7 BABUSHKA NESTING BOXES",
                 "84406B": "CREAM CUPID HEARTS COAT HANGER"}
_CODES = list(_DESCRIPTIONS)


def _raw(rows: list[tuple[float | None, str, int]]) -> pd.DataFrame:
    """A raw Online Retail table with the 8 UCI columns from (CustomerID, StockCode, Quantity)."""
    customers, codes, quantities = zip(*rows, strict=True) if rows else ((), (), ())
    return pd.DataFrame({
        "InvoiceNo": [f"{'C' if q < 0 else ''}{536365 + i}" for i, q in enumerate(quantities)],
        "StockCode": list(codes),
        "Description": [_DESCRIPTIONS.get(code, "MYSTERY ITEM") for code in codes],
        "Quantity": np.asarray(quantities, dtype=np.int64),
        "InvoiceDate": pd.date_range("2010-12-01 08:26", periods=len(rows), freq="37min"),
        "UnitPrice": np.full(len(rows), 2.55),
        "CustomerID": np.array([np.nan if c is None else c for c in customers], dtype=float),
        "Country": ["United Kingdom"] * len(rows),
    })


def _clean_cases() -> list[Case]:
    return [
        Case("rows without a CustomerID are dropped",
             (_raw([(17850.0, "85123A", 6), (None, "85123A", 4), (13047.0, "22423", 2)]),),
             hint="Keep only the rows where CustomerID is not missing (notna)."),
        Case("the quantities of a pair are summed over invoices",
             (_raw([(17850.0, "85123A", 6), (17850.0, "71053", 2), (17850.0, "85123A", 3)]),),
             hint="Group by (CustomerID, StockCode) and sum Quantity."),
        Case("a pair whose returns cancel its purchases is kept with Quantity 1",
             (_raw([(12346.0, "22423", 5), (12346.0, "22423", -5), (12347.0, "71053", 1)]),),
             hint="A total of 0 means the customer bought then returned: set it to 1."),
        Case("a pair with a negative total is dropped",
             (_raw([(12346.0, "22423", -3), (12347.0, "71053", 4), (12347.0, "10002", 1),
                    (12347.0, "10002", -2)]),),
             hint="After turning 0 into 1, keep only totals > 0."),
        Case("stock codes that look like numbers stay strings, ids become ints",
             (_raw([(12350.0, "10002", 1), (12350.0, "84029G", 12), (12349.0, "10002", 3)]),),
             hint="Convert CustomerID with .astype(int); leave StockCode as it is."),
        Case("only CustomerID, StockCode and Quantity are returned",
             (_raw([(14688.0, "21730", 8)]),),
             hint="Select the three columns; the others do not survive the sum."),
        Case("a row with a CustomerID but no Description is kept",
             (_raw([(17850.0, "85123A", 6), (17850.0, "71053", 2)])
              .assign(Description=[_DESCRIPTIONS["85123A"], None]),),
             hint="Drop the rows whose CustomerID is missing, not every row with a "
                  "missing value (dropna(subset=...))."),
    ]


def _random_raw(rng: np.random.Generator, n_rows: int) -> pd.DataFrame:
    customers = rng.choice([12346.0, 12347.0, 12350.0, 13047.0, np.nan], size=n_rows)
    codes = rng.choice(_CODES[:5], size=n_rows)
    quantities = rng.choice([-6, -2, -1, 1, 1, 2, 3, 6, 12], size=n_rows)
    return _raw([(None if np.isnan(c) else float(c), str(s), int(q))
                 for c, s, q in zip(customers, codes, quantities, strict=True)])


def _random_clean_case(rng: np.random.Generator, number: int) -> Case:
    return Case(f"random case {number}", (_random_raw(rng, int(rng.integers(1, 16))),))


def _same_purchases(case: Case, expected: pd.DataFrame, actual: Any) -> str | None:
    """Row order is free: compare both tables sorted by CustomerID then StockCode."""
    if not isinstance(actual, pd.DataFrame):
        return f"it should return a pandas DataFrame, not {type(actual).__name__}"
    if sorted(actual.columns) != sorted(retail.PURCHASE_COLUMNS):
        return f"its columns are {list(actual.columns)}, expected {retail.PURCHASE_COLUMNS}"
    for column in ("CustomerID", "Quantity"):
        if not pd.api.types.is_integer_dtype(actual[column]):
            return f"column {column} has dtype {actual[column].dtype}, expected an integer dtype"
    if not all(isinstance(code, str) for code in actual["StockCode"]):
        return "column StockCode should hold strings"
    if len(actual) != len(expected):
        return f"it has {len(actual)} rows, expected {len(expected)}"
    key = ["CustomerID", "StockCode"]
    got = actual[retail.PURCHASE_COLUMNS].sort_values(key).to_numpy().tolist()
    want = expected.sort_values(key).to_numpy().tolist()
    for row_got, row_want in zip(got, want, strict=True):
        if row_got != row_want:
            return f"(sorted) row {row_got} should be {row_want}"
    return None


def _purchases(rows: list[tuple[int, str, int]]) -> pd.DataFrame:
    customers, codes, quantities = zip(*rows, strict=True)
    return pd.DataFrame({"CustomerID": np.asarray(customers, dtype=np.int64),
                         "StockCode": list(codes),
                         "Quantity": np.asarray(quantities, dtype=np.int64)})


def _purchase_matrix_cases() -> list[Case]:
    return [
        Case("rows are the customers sorted ascending",
             (_purchases([(17850, "71053", 6), (12346, "71053", 1), (13047, "71053", 2)]),),
             hint="Use the sorted distinct CustomerIDs (np.unique) for the rows."),
        Case("columns are the stock codes sorted ascending (as strings)",
             (_purchases([(12346, "85123A", 6), (12346, "22423", 1), (12346, "10002", 2)]),),
             hint="Use the sorted distinct StockCodes for the columns."),
        Case("2 customers x 3 skus: customers in rows",
             (_purchases([(12346, "85123A", 6), (12347, "22423", 1), (12347, "10002", 2)]),),
             hint="Rows are customers, columns are skus."),
        Case("a single purchase", (_purchases([(14688, "21730", 8)]),)),
    ]


def _random_purchase_matrix_case(rng: np.random.Generator, number: int) -> Case:
    pairs = {(int(rng.choice([12346, 12347, 12350, 13047, 17850])), str(rng.choice(_CODES)))
             for _ in range(int(rng.integers(1, 12)))}
    rows = [(c, s, int(rng.integers(1, 13))) for c, s in sorted(pairs)]
    order = rng.permutation(len(rows))
    return Case(f"random case {number}", (_purchases([rows[i] for i in order]),))


def _same_purchase_matrix(case: Case, expected: tuple, actual: Any) -> str | None:
    if not isinstance(actual, tuple | list) or len(actual) != 3:
        return "it should return a tuple (matrix, customers, skus)"
    matrix, customers, skus = actual
    for name, got, want in (("customers", customers, expected[1]), ("skus", skus, expected[2])):
        if np.asarray(got).tolist() != want.tolist():
            return f"{name} is {np.asarray(got).tolist()}, expected {want.tolist()}"
    if not sp.issparse(matrix) or matrix.format != "csr":
        return f"the matrix should be a scipy.sparse CSR matrix, not {type(matrix).__name__}"
    if matrix.shape != expected[0].shape:
        return f"the matrix has shape {matrix.shape}, expected {expected[0].shape}"
    if not close(matrix.toarray(), expected[0].toarray()):
        return "its quantities are not in the right cells"
    return None


def _ratings(rng: np.random.Generator, shape: tuple[int, int], per_row: int) -> sp.csr_array:
    """Counts with ``per_row`` distinct skus a row, at least two skus left unseen."""
    dense = np.zeros(shape)
    for row in dense:
        row[rng.choice(shape[1], size=per_row, replace=False)] = rng.integers(1, 10, per_row)
    return sp.csr_array(dense)


def _twice(function: Any, ratings: Any, pct_test: float, seed: int) -> tuple:
    """make_train(ratings, pct_test, seed) called twice with the same seed"""  # noqa: D400
    return function(ratings, pct_test, seed), function(ratings, pct_test, seed)


def _same_both_times(case: Case, expected: tuple, actual: Any) -> str | None:
    first, second = actual
    if not same(_as_plain(first), _as_plain(second)):
        return "two calls with the same seed gave different splits"
    return _valid_split(Case(case.label, case.args), expected[0], first)


def _seeds(function: Any, ratings: Any) -> list:
    """make_train(ratings, 0.5, seed) for seed in 0..4: the (row, column) cells each hid"""  # noqa: D400
    return [_hidden_cells(ratings, function(ratings, 0.5, seed)[0]) for seed in range(5)]


def _hidden_cells(ratings: Any, training: Any) -> list[tuple[int, int]]:
    hidden = (ratings.toarray() != 0) & (training.toarray() == 0)
    return [(int(row), int(column)) for row, column in np.argwhere(hidden)]


def _seeds_matter(case: Case, expected: list, actual: list) -> str | None:
    if all(same(actual[0], other) for other in actual[1:]):
        return "seeds 0 to 4 all gave the same split: the choice must be random, from `seed`"
    return None


def _as_plain(result: Any) -> Any:
    """A split as dense arrays and a list, to compare two of them."""
    training, test, altered = result
    return training.toarray(), test.toarray(), list(altered)


def _make_train_cases() -> list[Case]:
    rng = np.random.default_rng(352)
    small = sp.csr_array(np.array([[5.0, 0, 3, 0], [0, 1, 0, 12], [2, 0, 0, 7]]))
    return [
        Case("20% of 6 cells hides ceil(1.2) = 2 cells", (small, 0.2, 0),
             hint="Hide math.ceil(pct_test * nnz) cells."),
        Case("test_set keeps every cell, set to 1", (small, 0.5, 3),
             hint="test_set is a copy of ratings whose stored values are all 1."),
        Case("pct_test = 0 hides nothing", (small, 0.0, 0)),
        Case("pct_test = 1 hides everything", (small, 1.0, 0),
             hint="Remove the hidden cells with .eliminate_zeros() after zeroing them."),
        Case("the same seed gives the same split", (_ratings(rng, (6, 8), 4), 0.3, 7),
             call=_twice, compare=_same_both_times,
             hint="Draw from np.random.default_rng(seed), not from the global random state."),
        Case("different seeds give different splits", (_ratings(rng, (4, 5), 2),),
             call=_seeds, compare=_seeds_matter,
             hint="Choose the cells at random with a generator seeded by `seed`."),
        Case("pct_test above 1 raises ValueError", (small, 1.5, 0), raises=ValueError,
             hint="Check 0 <= pct_test <= 1 first."),
        Case("pct_test below 0 raises ValueError", (small, -0.1, 0), raises=ValueError),
    ]


def _random_make_train_case(rng: np.random.Generator, number: int) -> Case:
    shape = (int(rng.integers(1, 7)), int(rng.integers(3, 8)))
    ratings = _ratings(rng, shape, int(rng.integers(1, shape[1] - 1)))
    return Case(f"random case {number}",
                (ratings, float(rng.choice([0.1, 0.2, 0.25, 0.5, 0.8])), int(rng.integers(100))))


def _valid_split(case: Case, expected: tuple, actual: Any) -> str | None:
    """Any random choice is right if the split has the contract's properties."""
    ratings, pct_test = case.args[0], case.args[1]
    if not isinstance(actual, tuple | list) or len(actual) != 3:
        return "it should return a tuple (training_set, test_set, altered_users)"
    training, test, altered = actual
    for name, matrix in (("training_set", training), ("test_set", test)):
        if not sp.issparse(matrix) or matrix.shape != ratings.shape:
            return f"{name} should be a sparse matrix of shape {ratings.shape}"
    full, kept = ratings.toarray(), training.toarray()
    if not np.array_equal(test.toarray(), (full != 0).astype(float)):
        return "test_set should hold a 1 in every cell of ratings and nothing else"
    if np.any(training.data == 0):
        return "training_set stores explicit zeros: call .eliminate_zeros()"
    if np.any((kept != 0) & (kept != full)):
        return "training_set changed the value of a cell it kept"
    hidden = (full != 0) & (kept == 0)
    want = math.ceil(pct_test * ratings.nnz)
    if hidden.sum() != want:
        return f"it hid {hidden.sum()} cells, expected ceil({pct_test} * {ratings.nnz}) = {want}"
    rows = sorted(set(np.nonzero(hidden)[0].tolist()))
    if isinstance(altered, np.ndarray):
        altered = altered.tolist()
    if not isinstance(altered, list) or altered != rows:
        return f"altered_users is {altered!r}, but the rows that lost a cell are {rows}"
    return None


def _auc_example() -> tuple:
    test = sp.csr_array(np.array([[1.0, 1, 0, 0], [1, 0, 1, 0]]))
    train = sp.csr_array(np.array([[1.0, 0, 0, 0], [1, 0, 1, 0]]))
    return train, [0], (np.array([[1.0], [1.0]]), np.array([[0.0], [3.0], [1.0], [2.0]])), test


def _calc_mean_auc_cases() -> list[Case]:
    train, altered, factors, test = _auc_example()
    quantities = sp.csr_array(np.array([[9.0, 0, 0, 0, 0], [0, 0, 4, 1, 0], [0, 9, 1, 0, 0]]))
    test_q = sp.csr_array((quantities.toarray() + np.array([[0, 1, 0, 0, 0], [0] * 5, [0] * 5]))
                          != 0).astype(float)
    two_factors = (np.array([[0.5, -1.0], [1.0, 0.2], [0.3, 0.3]]),
                   np.array([[1.0, 0.0], [0.2, 0.9], [-0.5, 0.4], [0.0, 1.0], [0.7, -0.3]]))
    return [
        Case("a worked example: (1.0, 0.25)", (train, altered, factors, test)),
        Case("popularity is counted on the training set, not on the test set",
             (train, altered, factors, test),
             hint="Counting popularity on test_set leaks the hidden cells into the baseline."),
        Case("popularity counts customers, not quantities", (quantities, [0], two_factors,
                                                             test_q),
             hint="A sku's popularity is how many customers have it in training_set."),
        Case("only the altered users are averaged",
             (sp.csr_array(np.array([[1.0, 0, 0, 0], [1, 0, 0, 0]])), [0], factors, test),
             hint="Loop over altered_users, not over every customer."),
        Case("the skus a user has in training_set are not candidates",
             (sp.csr_array(np.array([[0.0, 0, 5, 0]])), [0],
              (np.array([[1.0]]), np.array([[0.0], [1.0], [9.0], [2.0]])),
              sp.csr_array(np.array([[0.0, 1, 1, 0]]))),
             hint="Score only the skus the user has no interaction with in training_set."),
    ]


def _random_auc_case(rng: np.random.Generator, number: int) -> Case:
    shape = (int(rng.integers(2, 8)), int(rng.integers(4, 10)))
    ratings = _ratings(rng, shape, int(rng.integers(2, shape[1] - 1)))
    training, test, altered = split.make_train(ratings, 0.3, seed=number)
    k = int(rng.integers(1, 4))
    factors = (rng.standard_normal((shape[0], k)), rng.standard_normal((shape[1], k)))
    return Case(f"random case {number}", (training, altered, factors, test))


def _two_aucs(case: Case, expected: tuple, actual: Any) -> str | None:
    if not isinstance(actual, tuple | list) or len(actual) != 2:
        return "it should return a tuple (model_auc, popularity_auc)"
    for name, got, want in zip(("model_auc", "popularity_auc"), actual, expected, strict=True):
        if isinstance(got, bool) or not isinstance(got, numbers.Real):
            return f"{name} should be a float, not {type(got).__name__}"
        if not close(got, want):
            return f"{name} is {got!r}, expected {want!r} (unrounded)"
    return None


def _catalogue() -> tuple:
    """Training purchases of 3 customers over 6 skus, their factors and the lookup table."""
    train = sp.csr_array(np.array([[0.0, 2, 0, 0, 1, 0], [1, 1, 1, 1, 0, 1], [0, 0, 0, 0, 0, 0]]))
    user_vecs = np.array([[1.0, 0.5], [0.2, -1.0], [-0.3, 0.8]])
    item_vecs = np.array([[0.9, 0.1], [1.2, 0.4], [-0.2, 0.7], [0.4, 0.3], [2.0, 0.0],
                          [0.1, -0.6]])
    customers = np.array([12347, 12346, 12350])
    items = np.array(_CODES[:6], dtype=object)
    lookup = pd.DataFrame({
        "StockCode": [*items, "22423", "71053"],
        "Description": [*(_DESCRIPTIONS[c] for c in items), "CAKESTAND (2ND NAME)", "LANTERN"],
    }).iloc[[6, 0, 1, 2, 3, 4, 5, 7]].reset_index(drop=True)
    return train, user_vecs, item_vecs, customers, items, lookup


def _rec_items_cases() -> list[Case]:
    train, users, items_f, customers, items, lookup = _catalogue()
    catalogue = (train, users, items_f, customers, items, lookup)
    return [
        Case("the best unbought skus, best first", (12347, *catalogue, 3),
             hint="Score every sku with user_vecs[row] @ item_vecs.T, drop the bought ones, "
                  "sort by decreasing score."),
        Case("customer ids are looked up in customer_list", (12346, *catalogue, 1),
             hint="The row of a customer is its position in customer_list, not its id."),
        Case("a sku's description is its first one in item_lookup", (12350, *catalogue, 6),
             hint="Take the first Description of each StockCode (drop_duplicates)."),
        Case("fewer unbought skus than num_items give fewer rows", (12346, *catalogue, 5),
             hint="Never fill the list with bought skus."),
        Case("num_items defaults to 10",
             (12350, sp.csr_array(np.zeros((3, 12))), users, np.tile(items_f, (2, 1)) +
              np.arange(12)[:, None] * 0.01, customers,
              np.array([*_CODES, "A1", "A2", "A3", "A4"], dtype=object),
              pd.DataFrame({"StockCode": [*_CODES, "A1", "A2", "A3", "A4"],
                            "Description": [f"ITEM {i}" for i in range(12)]}))),
        Case("an unknown customer raises KeyError", (99999, *catalogue, 3), raises=KeyError),
    ]


def _random_catalogue(rng: np.random.Generator) -> tuple:
    n_customers, n_skus, k = int(rng.integers(1, 5)), int(rng.integers(2, 8)), 2
    train = sp.csr_array(rng.choice([0.0, 0.0, 1.0, 3.0], size=(n_customers, n_skus)))
    customers = np.sort(rng.choice(np.arange(12346, 12400), n_customers, replace=False))
    items = np.array(_CODES[:n_skus], dtype=object)
    lookup = pd.DataFrame({"StockCode": items,
                           "Description": [_DESCRIPTIONS[c] for c in items]})
    return (int(rng.choice(customers)), train, rng.standard_normal((n_customers, k)),
            rng.standard_normal((n_skus, k)), customers, items, lookup)


def _random_rec_items_case(rng: np.random.Generator, number: int) -> Case:
    return Case(f"random case {number}", (*_random_catalogue(rng), int(rng.integers(0, 8))))


def _items_table(ordered: bool) -> Any:
    def judge(case: Case, expected: pd.DataFrame, actual: Any) -> str | None:
        if not isinstance(actual, pd.DataFrame):
            return f"it should return a pandas DataFrame, not {type(actual).__name__}"
        if list(actual.columns) != ["StockCode", "Description"]:
            return f"its columns are {list(actual.columns)}, expected ['StockCode', 'Description']"
        if len(actual) != len(expected):
            return f"it has {len(actual)} rows, expected {len(expected)}"
        got, want = actual, expected
        if not ordered:
            got, want = actual.sort_values("StockCode"), expected.sort_values("StockCode")
        for row_got, row_want in zip(got.to_numpy().tolist(), want.to_numpy().tolist(),
                                     strict=True):
            if not same(row_got, row_want):
                return f"row {row_got} should be {row_want}"
        return None

    return judge


def _items_purchased_cases() -> list[Case]:
    train, _, _, customers, items, lookup = _catalogue()
    return [
        Case("every sku the customer has in mf_train", (12346, train, customers, items, lookup),
             hint="The stored cells of the customer's row are the skus they bought."),
        Case("customer ids are looked up in customer_list, with first descriptions",
             (12347, train, customers, items, lookup)),
        Case("a customer who bought nothing gives an empty table",
             (12350, train, customers, items, lookup)),
        Case("an unknown customer raises KeyError", (1, train, customers, items, lookup),
             raises=KeyError),
    ]


def _random_items_purchased_case(rng: np.random.Generator, number: int) -> Case:
    customer, train, _, _, customers, items, lookup = _random_catalogue(rng)
    return Case(f"random case {number}", (customer, train, customers, items, lookup))


EXERCISES = [
    Exercise("clean_purchases", retail.clean_purchases, _clean_cases, _random_clean_case,
             _same_purchases, points=2),
    Exercise("build_purchase_matrix", retail.build_purchase_matrix, _purchase_matrix_cases,
             _random_purchase_matrix_case, _same_purchase_matrix, points=2),
    Exercise("make_train", split.make_train, _make_train_cases, _random_make_train_case,
             _valid_split, points=2),
    Exercise("calc_mean_auc", evaluate.calc_mean_auc, _calc_mean_auc_cases, _random_auc_case,
             _two_aucs, points=3),
    Exercise("rec_items", retail.rec_items, _rec_items_cases, _random_rec_items_case,
             _items_table(ordered=True), points=2),
    Exercise("get_items_purchased", retail.get_items_purchased, _items_purchased_cases,
             _random_items_purchased_case, _items_table(ordered=False), points=1),
]
