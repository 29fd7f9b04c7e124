"""``check`` on chapter 5, data preparation: cleaning, the purchase matrix, the split."""

import math
import random
from collections import defaultdict

import numpy as np
import pandas as pd
import scipy.sparse as sp

COLUMNS = ["CustomerID", "StockCode", "Quantity"]


# --- 5.1 clean_purchases: wrong -------------------------------------------------------


def _totals(retail):
    """Quantity summed per (CustomerID, StockCode) over the rows with a CustomerID."""
    known = retail[retail["CustomerID"].notna()].astype({"CustomerID": "int64"})
    return known.groupby(["CustomerID", "StockCode"], as_index=False)["Quantity"].sum()


def _zero_to_one_keep_positive(totals):
    """The contract's last steps: a sum of 0 becomes 1, then only sums > 0 stay."""
    totals.loc[totals["Quantity"] == 0, "Quantity"] = 1
    return totals[totals["Quantity"] > 0]


def clean_drops_zero_sums(retail):
    """Keeps sums > 0 before turning 0 into 1, so returned items are lost."""
    totals = _totals(retail)
    totals = totals[totals["Quantity"] > 0]
    totals.loc[totals["Quantity"] == 0, "Quantity"] = 1
    return totals


def clean_drops_cancellations_first(retail):
    """Drops the negative rows before summing, so returns no longer offset purchases."""
    return _zero_to_one_keep_positive(_totals(retail[retail["Quantity"] > 0]))


def clean_clips_to_one(retail):
    """clip(lower=1) turns negative sums into 1 too, instead of dropping them."""
    return _totals(retail).assign(Quantity=lambda table: table["Quantity"].clip(lower=1))


def clean_in_place(retail):
    """Writes the per-pair totals into the caller's Quantity column instead of a copy."""
    retail["Quantity"] = retail.groupby(["CustomerID", "StockCode"])["Quantity"].transform("sum")
    return _zero_to_one_keep_positive(retail.dropna(subset=["CustomerID"])
                                      .drop_duplicates(["CustomerID", "StockCode"])[COLUMNS]
                                      .astype({"CustomerID": "int64", "Quantity": "int64"}))


def clean_float_ids(retail):
    """Leaves CustomerID as the float column of the raw table."""
    return _zero_to_one_keep_positive(retail.dropna(subset=["CustomerID"]).groupby(
        ["CustomerID", "StockCode"], as_index=False)["Quantity"].sum())


def clean_keeps_description(retail):
    """Carries the Description along as a fourth column."""
    known = retail[retail["CustomerID"].notna()].astype({"CustomerID": "int64"})
    totals = known.groupby(["CustomerID", "StockCode"], as_index=False).agg(
        Quantity=("Quantity", "sum"), Description=("Description", "first"))
    return _zero_to_one_keep_positive(totals)


def clean_dropna_everything(retail):
    """retail.dropna() also drops rows with a CustomerID but no Description."""
    return _zero_to_one_keep_positive(retail.dropna().astype({"CustomerID": "int64"}).groupby(
        ["CustomerID", "StockCode"], as_index=False)["Quantity"].sum())


# --- 5.1 clean_purchases: correct -----------------------------------------------------


def clean_pivot_table(retail):
    """pivot_table(aggfunc='sum'), then stack back to one row per pair."""
    known = retail[retail["CustomerID"].notna()]
    table = known.pivot_table(index="CustomerID", columns="StockCode", values="Quantity",
                              aggfunc="sum")
    totals = table.stack().rename("Quantity").reset_index()
    totals["Quantity"] = totals["Quantity"].replace(0, 1)
    totals = totals[totals["Quantity"] > 0]
    return totals.astype({"CustomerID": "int64", "Quantity": "int64"})


def clean_defaultdict(retail):
    """A plain loop over the rows into a defaultdict(int)."""
    sums = defaultdict(int)
    for customer, code, quantity in retail[COLUMNS].itertuples(index=False):
        if not pd.isna(customer):
            sums[int(customer), code] += int(quantity)
    rows = [(customer, code, 1 if total == 0 else total)
            for (customer, code), total in sums.items() if total >= 0]
    return pd.DataFrame({
        "CustomerID": np.array([row[0] for row in rows], dtype=np.int64),
        "StockCode": [row[1] for row in rows],
        "Quantity": np.array([row[2] for row in rows], dtype=np.int64),
    })


def clean_named_agg(retail):
    """groupby(...).agg with a named aggregation and Series.mask."""
    totals = (retail.dropna(subset=["CustomerID"])
              .groupby(["CustomerID", "StockCode"]).agg(Quantity=("Quantity", "sum"))
              .reset_index())
    totals["Quantity"] = totals["Quantity"].mask(totals["Quantity"] == 0, 1)
    totals["CustomerID"] = totals["CustomerID"].astype(int)
    return totals.query("Quantity > 0")


# --- 5.2 build_purchase_matrix: wrong -------------------------------------------------


def _codes(purchases, sort=True):
    rows, customers = pd.factorize(purchases["CustomerID"], sort=sort)
    cols, skus = pd.factorize(purchases["StockCode"], sort=sort)
    return rows, cols, np.asarray(customers), np.asarray(skus)


def purchase_matrix_csc(purchases):
    """Builds a CSC matrix instead of CSR."""
    rows, cols, customers, skus = _codes(purchases)
    return sp.csc_array((purchases["Quantity"].to_numpy(float), (rows, cols))), customers, skus


def purchase_matrix_first_appearance(purchases):
    """Orders customers and skus by first appearance instead of sorting them."""
    rows, cols, customers, skus = _codes(purchases, sort=False)
    return sp.csr_array((purchases["Quantity"].to_numpy(float), (rows, cols))), customers, skus


def purchase_matrix_transposed(purchases):
    """Puts skus in rows and customers in columns."""
    rows, cols, customers, skus = _codes(purchases)
    return sp.csr_array((purchases["Quantity"].to_numpy(float), (cols, rows))), customers, skus


def purchase_matrix_id_as_row(purchases):
    """Uses the CustomerID itself as the row index."""
    _, cols, customers, skus = _codes(purchases)
    matrix = sp.csr_array((purchases["Quantity"].to_numpy(float),
                           (purchases["CustomerID"].to_numpy(), cols)))
    return matrix, customers, skus


def purchase_matrix_dense(purchases):
    """Returns the pivoted table's dense values."""
    table = purchases.pivot_table(index="CustomerID", columns="StockCode", values="Quantity",
                                  fill_value=0)
    return table.to_numpy(float), table.index.to_numpy(), table.columns.to_numpy()


# --- 5.2 build_purchase_matrix: correct -----------------------------------------------


def purchase_matrix_unique(purchases):
    """np.unique(return_inverse=True) and a csr_matrix."""
    customers, rows = np.unique(purchases["CustomerID"].to_numpy(), return_inverse=True)
    skus, cols = np.unique(purchases["StockCode"].to_numpy(str), return_inverse=True)
    matrix = sp.csr_matrix((purchases["Quantity"].to_numpy(float), (rows, cols)),
                           shape=(customers.size, skus.size))
    return matrix, customers, skus


def purchase_matrix_pivot(purchases):
    """pivot_table (sorted index and columns), then csr_array of its values."""
    table = purchases.pivot_table(index="CustomerID", columns="StockCode", values="Quantity",
                                  aggfunc="sum", fill_value=0)
    return sp.csr_array(table.to_numpy(float)), table.index.to_numpy(), table.columns.to_numpy()


# --- 5.3 make_train: wrong ------------------------------------------------------------


def _split(ratings, hidden):
    """The contract's (training_set, test_set, altered_users) hiding cells ``hidden``."""
    training = sp.csr_array(ratings, copy=True)
    training.data[hidden] = 0
    training.eliminate_zeros()
    test = sp.csr_array(ratings, copy=True)
    test.data[:] = 1
    rows = np.repeat(np.arange(ratings.shape[0]), np.diff(ratings.indptr))
    return training, test, sorted(set(rows[hidden].tolist()))


def _check_pct(pct_test):
    if not 0 <= pct_test <= 1:
        raise ValueError(f"pct_test must be in [0, 1], got {pct_test!r}")


def train_int_count(ratings, pct_test=0.2, seed=0):
    """Hides int(pct_test * nnz) cells instead of ceil(...)."""
    _check_pct(pct_test)
    count = int(pct_test * ratings.nnz)
    return _split(ratings, np.random.default_rng(seed).choice(ratings.nnz, count, replace=False))


def train_explicit_zeros(ratings, pct_test=0.2, seed=0):
    """Zeroes the hidden cells but leaves them stored (no eliminate_zeros)."""
    _check_pct(pct_test)
    count = math.ceil(pct_test * ratings.nnz)
    hidden = np.random.default_rng(seed).choice(ratings.nnz, count, replace=False)
    training, test, altered = _split(ratings, hidden)
    training = sp.csr_array(ratings, copy=True)
    training.data[hidden] = 0
    return training, test, altered


def train_unseeded(ratings, pct_test=0.2, seed=0):
    """Ignores the seed: draws from a fresh unseeded generator."""
    _check_pct(pct_test)
    count = math.ceil(pct_test * ratings.nnz)
    return _split(ratings, np.random.default_rng().choice(ratings.nnz, count, replace=False))


def train_fixed_seed(ratings, pct_test=0.2, seed=0):
    """Always seeds with 0, whatever seed it is given."""
    _check_pct(pct_test)
    count = math.ceil(pct_test * ratings.nnz)
    return _split(ratings, np.random.default_rng(0).choice(ratings.nnz, count, replace=False))


def train_mutates_ratings(ratings, pct_test=0.2, seed=0):
    """Zeroes the hidden cells in ratings itself instead of in a copy."""
    _check_pct(pct_test)
    count = math.ceil(pct_test * ratings.nnz)
    hidden = np.random.default_rng(seed).choice(ratings.nnz, count, replace=False)
    test = sp.csr_array(ratings, copy=True)
    test.data[:] = 1
    rows = np.repeat(np.arange(ratings.shape[0]), np.diff(ratings.indptr))
    ratings.data[hidden] = 0
    ratings.eliminate_zeros()
    return ratings, test, sorted(set(rows[hidden].tolist()))


def train_test_keeps_counts(ratings, pct_test=0.2, seed=0):
    """Returns a plain copy of ratings as test_set, without setting its values to 1."""
    _check_pct(pct_test)
    count = math.ceil(pct_test * ratings.nnz)
    hidden = np.random.default_rng(seed).choice(ratings.nnz, count, replace=False)
    training, _, altered = _split(ratings, hidden)
    return training, ratings.copy(), altered


def train_altered_per_cell(ratings, pct_test=0.2, seed=0):
    """Lists the row of every hidden cell, unsorted and with repeats."""
    _check_pct(pct_test)
    count = math.ceil(pct_test * ratings.nnz)
    hidden = np.random.default_rng(seed).choice(ratings.nnz, count, replace=False)
    training, test, _ = _split(ratings, hidden)
    rows = np.repeat(np.arange(ratings.shape[0]), np.diff(ratings.indptr))
    return training, test, rows[hidden].tolist()


def train_no_range_check(ratings, pct_test=0.2, seed=0):
    """Never checks pct_test, so 1.5 hides every cell without complaint."""
    count = min(math.ceil(pct_test * ratings.nnz), ratings.nnz)
    hidden = np.random.default_rng(seed).choice(ratings.nnz, max(count, 0), replace=False)
    return _split(ratings, hidden)


# --- 5.3 make_train: correct ----------------------------------------------------------


def train_random_sample(ratings, pct_test=0.2, seed=0):
    """random.Random(seed).sample over the (row, column) pairs; rebuilt from COO."""
    _check_pct(pct_test)
    coo = ratings.tocoo()
    cells = list(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
    hidden = set(random.Random(seed).sample(range(len(cells)), math.ceil(pct_test * len(cells))))
    kept = [cell for number, cell in enumerate(cells) if number not in hidden]
    rows, cols, values = zip(*kept, strict=True) if kept else ((), (), ())
    training = sp.csr_matrix((values, (rows, cols)), shape=ratings.shape, dtype=float)
    test = sp.csr_matrix((np.ones(coo.nnz), (coo.row, coo.col)), shape=ratings.shape)
    return training, test, sorted({cells[number][0] for number in hidden})


def train_original_style(ratings, pct_test=0.2, seed=0):
    """The original analysis: zero the sampled pairs by fancy indexing, eliminate_zeros."""
    _check_pct(pct_test)
    test_set = ratings.copy()
    test_set[test_set != 0] = 1
    training_set = ratings.copy()
    nonzero_pairs = list(zip(*training_set.nonzero(), strict=True))
    state = np.random.RandomState(seed)
    picked = state.choice(len(nonzero_pairs), math.ceil(pct_test * len(nonzero_pairs)),
                          replace=False)
    user_inds = [int(nonzero_pairs[i][0]) for i in picked]
    item_inds = [int(nonzero_pairs[i][1]) for i in picked]
    training_set[user_inds, item_inds] = 0
    training_set.eliminate_zeros()
    return training_set, test_set, sorted(set(user_inds))


WRONG = [
    ("clean_purchases", clean_drops_zero_sums, "it has 1 rows, expected 2"),
    ("clean_purchases", clean_drops_cancellations_first, "(sorted) row [12346, '22423', 5]"),
    ("clean_purchases", clean_clips_to_one, "it has 3 rows, expected 1"),
    ("clean_purchases", clean_in_place, "it modified its input"),
    ("clean_purchases", clean_float_ids, "column CustomerID has dtype float64"),
    ("clean_purchases", clean_keeps_description, "its columns are"),
    ("clean_purchases", clean_dropna_everything, "it has 1 rows, expected 2"),
    ("build_purchase_matrix", purchase_matrix_csc, "should be a scipy.sparse CSR matrix"),
    ("build_purchase_matrix", purchase_matrix_first_appearance, "customers is"),
    ("build_purchase_matrix", purchase_matrix_transposed, "the matrix has shape"),
    ("build_purchase_matrix", purchase_matrix_id_as_row, "the matrix has shape (17851, 1)"),
    ("build_purchase_matrix", purchase_matrix_dense, "not ndarray"),
    ("make_train", train_int_count, "it hid 1 cells, expected ceil(0.2 * 6) = 2"),
    ("make_train", train_explicit_zeros, "explicit zeros"),
    ("make_train", train_unseeded, "two calls with the same seed gave different splits"),
    ("make_train", train_fixed_seed, "seeds 0 to 4 all gave the same split"),
    ("make_train", train_mutates_ratings, "it modified its input"),
    ("make_train", train_test_keeps_counts, "test_set should hold a 1 in every cell"),
    ("make_train", train_altered_per_cell, "altered_users is"),
    ("make_train", train_no_range_check, "it returned instead of raising ValueError"),
]

CORRECT = [
    ("clean_purchases", clean_pivot_table),
    ("clean_purchases", clean_defaultdict),
    ("clean_purchases", clean_named_agg),
    ("build_purchase_matrix", purchase_matrix_unique),
    ("build_purchase_matrix", purchase_matrix_pivot),
    ("make_train", train_random_sample),
    ("make_train", train_original_style),
]
