"""Cases for chapter 6: ALS by hand, folding in, ranking metrics, weighting and a split by date."""

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .. import als_by_hand, ranking, time_split, weighting
from .engine import Case, Exercise
from .judges import dense_matrix, float_value, sparse_matrix

__all__ = ["EXERCISES"]

#: Three skus' factors (k = 2), small enough to solve by hand.
_Y3 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])


def _confidence(rows: list[list[float]]) -> sp.csr_array:
    return sp.csr_array(np.array(rows, dtype=float))


def _solve_users_cases() -> list[Case]:
    many_skus = np.random.default_rng(6).normal(size=(8, 3))
    return [
        Case("one customer who bought sku 0 with confidence 2, reg 0.1",
             (_confidence([[2.0, 0.0, 0.0]]), _Y3, 0.1),
             hint="Solve (Y^T Y + Y^T (C_u - I) Y + reg I) x_u = Y^T C_u p_u for each row."),
        Case("Y^T Y runs over every sku, also the ones the customer did not buy",
             (_confidence([[0.0] * 7 + [15.0]]), many_skus, 0.1),
             hint="Y^T Y sums over all skus: it says 'prefer 0 where nothing was bought'."),
        Case("a small confidence: the quadratic term uses C_u - I, not C_u",
             (_confidence([[1.0, 0.0, 3.0]]), _Y3, 0.1),
             hint="Y^T Y already holds 1 x y_i y_i^T for every sku: add only "
                  "confidence x y_i y_i^T on the bought ones."),
        Case("the right-hand side Y^T C_u p_u weighs a bought sku by 1 + confidence",
             (_confidence([[0.0, 4.0, 0.0]]), _Y3, 0.5),
             hint="C_u = I + diag(confidence): on a bought sku, C_u p_u is 1 + confidence."),
        Case("regularization is added to every factor: 1 sku, 3 factors",
             (_confidence([[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0]]), many_skus, 2.0),
             hint="Add regularization * np.eye(k), with k the number of factors."),
        Case("a customer with no stored cell gets the zero vector",
             (_confidence([[0.0, 2.0, 0.0], [0.0, 0.0, 0.0], [3.0, 0.0, 1.0]]), _Y3, 0.1),
             hint="Return one row per customer, zeros for a customer without cells."),
        Case("the sku half-step: a skus x customers matrix with the customer factors",
             (_confidence([[15.0, 0.0], [0.0, 30.0], [15.0, 45.0], [0.0, 0.0]]),
              np.array([[0.2, -0.1, 0.4], [0.3, 0.5, -0.2]]), 0.1),
             hint="Rows are whatever is being solved; item_factors has one row per column."),
        Case("implicit's csr_matrix works like a csr_array",
             (sp.csr_matrix([[0.0, 2.0, 1.0], [5.0, 0.0, 0.0]]), _Y3, 0.1),
             hint="Read the rows through .indptr, .indices and .data, which both types have."),
    ]


def _random_solve_users_case(rng: np.random.Generator, number: int) -> Case:
    n_rows, n_columns, k = (int(rng.integers(1, 6)), int(rng.integers(2, 8)),
                            int(rng.integers(1, 5)))
    counts = rng.choice([1.0, 2.0, 3.0, 6.0], size=(n_rows, n_columns))
    stored = rng.random((n_rows, n_columns)) < 0.4
    alpha = float(rng.choice([1.0, 15.0]))
    confidence = sp.csr_array(np.where(stored, alpha * counts, 0.0))
    if number % 2:
        confidence = sp.csr_matrix(confidence)
    factors = rng.normal(scale=0.5, size=(n_columns, k))
    return Case(f"random case {number}",
                (confidence, factors, float(rng.choice([0.1, 1.0]))))


_SKUS = {"A": 0, "B": 1, "C": 2}


def _fold_in_cases() -> list[Case]:
    return [
        Case("a basket of one sku, with the defaults (regularization 0.1, alpha 15)",
             ({"A": 1}, _SKUS, _Y3),
             hint="Build the customer's confidence row alpha * quantity and solve the 6.1 "
                  "equation for that one row."),
        Case("the confidence is alpha * quantity",
             ({"C": 3}, _SKUS, _Y3),
             hint="Multiply each quantity by alpha before solving."),
        Case("alpha and regularization are used as given",
             ({"A": 2, "B": 1}, _SKUS, _Y3, 2.0, 1.0),
             hint="Pass regularization and alpha on instead of fixed values."),
        Case("columns come from skus_mapping, not from the basket's order",
             ({"C": 1, "A": 4}, {"A": 2, "B": 0, "C": 1}, _Y3),
             hint="Look each sku up in skus_mapping to find its row of item_factors."),
        Case("an unknown sku is ignored", ({"B": 2, "Z": 5}, _SKUS, _Y3),
             hint="Skip the skus that are not in skus_mapping."),
        Case("no known sku raises ValueError", ({"Z": 5}, _SKUS, _Y3), raises=ValueError,
             hint="If none of the skus maps, raise ValueError."),
        Case("an empty basket raises ValueError", ({}, _SKUS, _Y3), raises=ValueError),
    ]


def _random_fold_in_case(rng: np.random.Generator, number: int) -> Case:
    n_skus, k = int(rng.integers(2, 8)), int(rng.integers(1, 5))
    mapping = {f"s{i}": int(j) for i, j in enumerate(rng.permutation(n_skus))}
    chosen = rng.choice(n_skus + 2, size=int(rng.integers(1, n_skus + 2)), replace=False)
    basket = {f"s{i}": int(rng.choice([1, 2, 3, 12])) for i in chosen}
    basket[f"s{rng.integers(n_skus)}"] = 1  # at least one sku maps
    factors = rng.normal(scale=0.5, size=(n_skus, k))
    settings = (float(rng.choice([0.1, 1.0])), float(rng.choice([1.0, 15.0, 40.0])))
    return Case(f"random case {number}", (basket, mapping, factors, *settings))


def _one_customer(case: Case, expected: np.ndarray, actual: Any) -> str | None:
    """A 1-d float array ``(k,)``, not a ``(1, k)`` row."""
    if isinstance(actual, np.ndarray) and actual.shape != expected.shape:
        return f"its shape is {actual.shape}, expected {expected.shape}: one vector of k factors"
    return dense_matrix(case, expected[None, :],
                        actual[None, :] if isinstance(actual, np.ndarray) else actual)


_RANKED = [3, 1, 4, 0, 2]


def _precision_cases() -> list[Case]:
    return [
        Case("1 hit among the first 3", (_RANKED, {1, 2}, 3),
             hint="Count the first k recommendations that are relevant, then divide by k."),
        Case("divide by k, not by min(k, number of relevant items)", ([1, 5, 6], {1}, 3),
             hint="The customer sees k recommendations: precision is hits / k."),
        Case("only the first k recommendations count", ([5, 6, 1], {1}, 2),
             hint="Look at recommended[:k] only."),
        Case("fewer than k recommendations count as misses", ([1], {1, 2}, 4),
             hint="Divide by k, not by len(recommended)."),
        Case("a numpy array of recommendations and a list of relevant items",
             (np.array([7, 2, 9]), [9, 3], 3)),
        Case("nothing relevant gives 0.0", (_RANKED, set(), 5)),
        Case("k = 0 raises ValueError", (_RANKED, {1}, 0), raises=ValueError,
             hint="Check k >= 1 first and raise ValueError otherwise."),
        Case("k < 0 raises ValueError", (_RANKED, {1}, -2), raises=ValueError),
    ]


def _ndcg_cases() -> list[Case]:
    return [
        Case("2 relevant items at positions 2 and 5", (_RANKED, {1, 2}, 5),
             hint="DCG = sum of 1 / log2(i + 1) over the positions i = 1..k that are hits."),
        Case("the first position is discounted by log2(2) = 1", ([7, 8, 9], {8}, 3),
             hint="Positions start at 1, so position i is discounted by log2(i + 1); with "
                  "enumerate() starting at 0 that is log2(index + 2)."),
        Case("the ideal DCG has min(k, |relevant|) hits, not k", ([1, 5, 6], {1}, 3),
             hint="The best possible list puts every relevant item first, but there are "
                  "only len(relevant) of them."),
        Case("the ideal DCG has min(k, |relevant|) hits, not |relevant|",
             ([1, 2], {1, 2, 3, 4, 5}, 2),
             hint="Only k items are shown: the ideal list has at most k hits."),
        Case("only the first k recommendations count", ([5, 6, 1], {1}, 2),
             hint="Look at recommended[:k] only."),
        Case("fewer recommendations than k", ([9], {1, 9}, 3)),
        Case("a numpy array of recommendations and a list of relevant items",
             (np.array([7, 2, 9]), [9, 3], 3)),
        Case("nothing relevant gives 0.0", (_RANKED, set(), 3),
             hint="With no relevant item the ideal DCG is 0: return 0.0 before dividing."),
        Case("k = 0 raises ValueError", (_RANKED, {1}, 0), raises=ValueError,
             hint="Check k >= 1 first and raise ValueError otherwise."),
    ]


def _random_ranking_case(rng: np.random.Generator, number: int) -> Case:
    items = rng.permutation(12)
    recommended = [int(i) for i in items[:int(rng.integers(0, 9))]]
    relevant = {int(i) for i in rng.choice(12, size=int(rng.integers(0, 6)), replace=False)}
    return Case(f"random case {number}", (recommended, relevant, int(rng.integers(1, 9))))


#: Quantities of 6 customers x 4 skus: every sku bought by few enough customers
#: that BM25's inverse document frequency stays positive.
_QUANTITIES = [[1.0, 0.0, 24.0, 0.0], [0.0, 3.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0],
               [0.0, 0.0, 0.0, 6.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]


def _weighting_cases() -> list[Case]:
    quantities = sp.csr_array(np.array(_QUANTITIES))
    return [
        Case("raw keeps the quantities", (quantities, "raw"),
             hint="'raw' returns a copy of the quantities, as floats."),
        Case("binary turns every stored quantity into 1", (quantities, "binary"),
             hint="'binary' is bought or not: every stored value becomes 1.0."),
        Case("log1p is log(1 + quantity): one unit weighs log 2, not 0", (quantities, "log1p"),
             hint="Use np.log1p on the stored values, not np.log."),
        Case("bm25 is implicit's bm25_weight with K1 = 100 and B = 0.8", (quantities, "bm25"),
             hint="from implicit.nearest_neighbours import bm25_weight; pass K1=100, B=0.8 "
                  "and turn its COO result into CSR."),
        Case("a csr_matrix works like a csr_array", (sp.csr_matrix(quantities), "log1p")),
        Case("an unknown scheme raises ValueError", (quantities, "tfidf"), raises=ValueError,
             hint="Raise ValueError for a scheme that is not raw, binary, log1p or bm25."),
        Case("a CSC matrix raises TypeError", (quantities.tocsc(), "raw"), raises=TypeError,
             hint="Check matrix.format == 'csr' and raise TypeError otherwise."),
        Case("a stored quantity that is not positive raises ValueError",
             (sp.csr_array(np.array([[1.0, -2.0], [0.0, 3.0]])), "log1p"), raises=ValueError,
             hint="Check that every stored value is > 0 before weighting."),
    ]


def _random_weighting_case(rng: np.random.Generator, number: int) -> Case:
    n_customers, n_skus = int(rng.integers(8, 15)), int(rng.integers(2, 7))
    bought = rng.random((n_customers, n_skus)) < 0.25
    quantities = np.where(bought, rng.choice([1.0, 2.0, 6.0, 12.0, 480.0],
                                             size=bought.shape), 0.0)
    return Case(f"random case {number}",
                (sp.csr_array(quantities), str(rng.choice(weighting.SCHEMES))))


def _transactions(dates: list[str], index: list[int] | None = None) -> pd.DataFrame:
    return pd.DataFrame({"InvoiceDate": pd.to_datetime(dates, format="ISO8601"),
                         "Quantity": np.arange(1, len(dates) + 1)}, index=index)


_DATES = ["2011-01-05", "2011-03-01 09:00", "2011-02-01", "2011-01-31 23:59", "2011-03-01",
          "2011-02-15"]
_CUT, _END = pd.Timestamp("2011-02-01"), pd.Timestamp("2011-03-01")


def _split_by_date_cases() -> list[Case]:
    return [
        Case("rows before the cut-off train, rows from it up to the end test",
             (_transactions(_DATES), _CUT, _END),
             hint="before: InvoiceDate < cutoff; after: cutoff <= InvoiceDate < end."),
        Case("a row dated exactly at the cut-off is in the test period",
             (_transactions(["2011-02-01", "2011-01-20"]), _CUT),
             hint="Use < cutoff for training and >= cutoff for the test: never both."),
        Case("a row dated exactly at the end is left out", (_transactions(_DATES), _CUT, _END),
             hint="The test period stops before end: InvoiceDate < end."),
        Case("without an end, the test period runs to the last row",
             (_transactions(_DATES), _CUT),
             hint="end=None means no upper bound."),
        Case("the rows keep their order and their index",
             (_transactions(_DATES, index=[40, 10, 30, 20, 50, 60]), _CUT, _END),
             hint="Select with a boolean mask (.loc); do not sort or reset the index."),
        Case("end before the cut-off raises ValueError",
             (_transactions(_DATES), _END, _CUT), raises=ValueError,
             hint="Check end > cutoff when end is given."),
        Case("a string cut-off raises TypeError", (_transactions(_DATES), "2011-02-01"),
             raises=TypeError, hint="Only a datetime (pd.Timestamp) is a cut-off: check with "
                                    "isinstance(cutoff, datetime.datetime)."),
        Case("a table without InvoiceDate raises KeyError",
             (pd.DataFrame({"Quantity": [1]}), _CUT), raises=KeyError),
    ]


def _random_split_by_date_case(rng: np.random.Generator, number: int) -> Case:
    start = pd.Timestamp("2011-01-01")
    minutes = rng.integers(0, 60 * 24 * 90, size=int(rng.integers(1, 12)))
    table = _transactions([str(start + pd.Timedelta(minutes=int(m))) for m in minutes],
                          index=[int(i) for i in rng.permutation(minutes.size)])
    cutoff = start + pd.Timedelta(days=int(rng.integers(0, 60)))
    end = cutoff + pd.Timedelta(days=int(rng.integers(1, 40))) if rng.random() < 0.6 else None
    return Case(f"random case {number}", (table, cutoff, end))


def _same_periods(case: Case, expected: tuple, actual: Any) -> str | None:
    """Two DataFrames: the same rows, in the same order, with the same index."""
    if not (isinstance(actual, tuple) and len(actual) == 2):
        return f"it should return a pair (before, after), not {type(actual).__name__}"
    for name, want, got in zip(("before", "after"), expected, actual, strict=True):
        if not isinstance(got, pd.DataFrame):
            return f"{name} should be a pandas DataFrame, not {type(got).__name__}"
        if len(got) != len(want):
            return f"{name} has {len(got)} rows, expected {len(want)}"
        if got.index.tolist() != want.index.tolist():
            return (f"{name}'s index is {got.index.tolist()}, expected "
                    f"{want.index.tolist()}: keep the rows' order and index")
        if not got.equals(want):
            return f"{name} holds other values than expected (same index, other columns?)"
    return None


EXERCISES = [
    Exercise("als_solve_users", als_by_hand.als_solve_users, _solve_users_cases,
             _random_solve_users_case, dense_matrix, points=3),
    Exercise("fold_in", als_by_hand.fold_in, _fold_in_cases, _random_fold_in_case,
             _one_customer, points=2),
    Exercise("precision_at_k", ranking.precision_at_k, _precision_cases, _random_ranking_case,
             float_value, points=1),
    Exercise("ndcg_at_k", ranking.ndcg_at_k, _ndcg_cases, _random_ranking_case, float_value,
             points=2),
    Exercise("weight_confidence", weighting.weight_confidence, _weighting_cases,
             _random_weighting_case, sparse_matrix("csr"), points=1),
    Exercise("split_by_date", time_split.split_by_date, _split_by_date_cases,
             _random_split_by_date_case, _same_periods, points=2),
]
