# %% [markdown]
# # Chapter 5: ALS on the Online Retail data
#
# This chapter follows a classic analysis of a real shop: it turns a year of invoices into a
# customers x skus purchase matrix, learns "latent factors" for every customer and sku with implicit
# ALS (alternating least squares, Hu, Koren and Volinsky 2008), and asks whether the model ranks
# hidden purchases above the rest, and better than recommending the best sellers.
#
# **Learning goals**
#
# - Clean the Online Retail table and justify each choice.
# - Build the customers x skus sparse matrix.
# - State implicit ALS: preference, confidence $c_{ui} = 1 + \alpha r_{ui}$, and the weighted loss.
# - Evaluate by masking purchases, with a per-customer AUC that handles ties, against an honest
#   popularity baseline.

# %% nbgrader={"grade": false, "grade_id": "ch05-setup", "locked": true, "schema_version": 3, "solution": false}
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score

from recsys_workshop import exercises
from recsys_workshop.als import fit_als
from recsys_workshop.data import load_online_retail
from recsys_workshop.evaluate import factor_scores, per_user_auc, popularity
from recsys_workshop.plots import plot_auc_distributions, plot_long_tail
from recsys_workshop.synthetic import make_online_retail

# %% [markdown]
# ## The data set
#
# The [UCI Online Retail](https://archive.ics.uci.edu/dataset/352/online+retail) data set (Chen,
# Sain and Guo, 2012; licence CC BY 4.0) holds every invoice line of a UK-based online shop selling
# all-occasion gifts, many of its customers being wholesalers, from 1 December 2010 to 9 December
# 2011. One row is one line of an invoice (*Going further* lists its columns).
#
# The first call downloads and caches the file (see the README).

# %%
retail = load_online_retail()
print(f"{len(retail):,} lines, {retail['InvoiceNo'].nunique():,} invoices, "
      f"{retail['StockCode'].nunique():,} stock codes, {retail['CustomerID'].nunique():,} customers")
print(f"lines without a CustomerID: {retail['CustomerID'].isna().mean():.1%}")
print(f"lines with a negative Quantity: {(retail['Quantity'] < 0).sum():,}")
retail.head()


# %% [markdown]
# ## Cleaning: from invoice lines to (customer, sku, quantity)
#
# We need one number per (customer, sku) pair. The original analysis made three choices, which we keep.
#
# 1. **Drop the lines without a `CustomerID`.** A quarter of the lines have none: they cannot be
#    attached to anyone's history.
# 2. **Sum `Quantity` per (customer, sku)** over all invoices. Cancellations are lines with a negative
#    quantity, so summing lets them offset the purchases they cancel.
# 3. **Turn sums of 0 into 1, keep sums > 0.** A sum of exactly 0 means the customer bought the item
#    and returned all of it; they still showed interest, so the pair is kept with the smallest
#    quantity, 1. A negative sum means more was returned than bought within the data's year (most
#    likely the purchase happened before December 2010): there is no purchase left to learn from, and
#    the pair is dropped.

# %% [markdown]
# ## Exercise 5.1: `clean_purchases` (2 points)
#
# Write `clean_purchases(retail)`, which applies the three rules above to the raw table and returns a
# new DataFrame with exactly the columns `CustomerID`, `StockCode` and `Quantity`, one row per
# (customer, sku) pair.
#
# Rules:
#
# - Drop the rows whose `CustomerID` is missing, and only those (a missing `Description` is no
#   reason to drop a row).
# - Sum `Quantity` per (`CustomerID`, `StockCode`); sums of 0 become 1; keep only sums > 0.
# - `CustomerID` must be an integer column (it is stored as float because of the missing values),
#   `Quantity` an integer column, and `StockCode` keeps its strings as they are (`"10002"` stays a
#   string, never a number).
# - The row order is free (we sort by `CustomerID` then `StockCode`); the index does not matter.
# - The input table must not be modified.
#
# On the real data you should get 266,723 rows, 4,338 customers and 3,664 skus.
#
# <details><summary>Hint</summary>
#
# Look at the options of `dropna`: it can look at some columns only. Then one `groupby` on the two
# key columns gives one row per pair.
# </details>
#
# <details><summary>Hint</summary>
#
# Mind the order of the last two rules: if you filter on `> 0` first, the fully returned items are
# gone before you can turn their 0 into 1.
# </details>

# %% nbgrader={"grade": false, "grade_id": "clean_purchases", "locked": false, "schema_version": 3, "solution": true}
def clean_purchases(retail: pd.DataFrame) -> pd.DataFrame:
    """Total quantity bought per customer and sku.

    Parameters
    ----------
    retail : pandas.DataFrame
        The raw Online Retail table; it is not modified.

    Returns
    -------
    pandas.DataFrame
        Columns ``CustomerID`` (int), ``StockCode`` (str), ``Quantity`` (int).
    """
    ### BEGIN SOLUTION
    known = retail.dropna(subset=["CustomerID"])
    totals = known.groupby(["CustomerID", "StockCode"], as_index=False)["Quantity"].sum()
    totals["CustomerID"] = totals["CustomerID"].astype(np.int64)
    totals["Quantity"] = totals["Quantity"].astype(np.int64)
    totals.loc[totals["Quantity"] == 0, "Quantity"] = 1  # bought, then returned everything
    totals = totals[totals["Quantity"] > 0]
    return totals[["CustomerID", "StockCode", "Quantity"]].reset_index(drop=True)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_clean_purchases", "locked": true, "points": 2, "schema_version": 3, "solution": false} tags=["raises-exception"]
raw = pd.DataFrame({
    "InvoiceNo": ["536365", "536366", "536367", "C536368", "536369", "536370", "536371"],
    "StockCode": ["85123A", "85123A", "22423", "22423", "71053", "85123A", "10002"],
    "Quantity": [6, 2, 4, -4, 3, 9, 1],
    "CustomerID": [17850.0, 17850.0, 13047.0, 13047.0, np.nan, 13047.0, 12346.0],
})
examples = [
    exercises.Example("the worked example", (raw,), pd.DataFrame({
        "CustomerID": [12346, 13047, 13047, 17850],
        "StockCode": ["10002", "22423", "85123A", "85123A"],
        "Quantity": [1, 1, 9, 8],
    }), hint="Drop rows without CustomerID, sum Quantity per (CustomerID, StockCode), "
             "keep positive totals, as integers."),
]
exercises.check("clean_purchases", clean_purchases, examples)
print("✔ clean_purchases passes every check.")
### BEGIN HIDDEN TESTS
negative = pd.DataFrame({"StockCode": ["A", "A", "B"], "Quantity": [2, -5, 3],
                         "CustomerID": [1.0, 1.0, 1.0], "Description": [None, "x", "y"]})
negative_rows = clean_purchases(negative)[["StockCode", "Quantity"]].to_numpy().tolist()
assert negative_rows == [["B", 3]], "a negative total is dropped; a missing Description is kept"
synthetic = make_online_retail(n_customers=60, n_skus=50, n_invoices=300, seed=4)
key = ["CustomerID", "StockCode"]
mine = clean_purchases(synthetic)[["CustomerID", "StockCode", "Quantity"]].sort_values(key)
theirs = exercises.reference("clean_purchases")(synthetic).sort_values(key)
assert mine.to_numpy().tolist() == theirs.to_numpy().tolist(), "synthetic table: wrong rows"
### END HIDDEN TESTS

# %% [markdown]
# On the real table (with your function once it passes, with the reference until then):

# %%
clean_fn = exercises.yours_or_reference("clean_purchases", clean_purchases)
purchases = clean_fn(retail)
print(f"{len(purchases):,} (customer, sku) pairs, {purchases['CustomerID'].nunique():,} customers, "
      f"{purchases['StockCode'].nunique():,} skus")
purchases["Quantity"].describe().round(1)


# %% [markdown]
# The quantities are very skewed: half the pairs are 6 units or fewer, but a few reach thousands
# (wholesale orders). Keep that in mind for the confidence below.
#
# ## The customers x skus matrix
#
# The pairs become a sparse CSR matrix $R$, one row per customer and one column per sku, $r_{ui}$
# being the quantity customer $u$ bought of sku $i$. Rows and columns follow the sorted
# `CustomerID`s and `StockCode`s, kept to translate an index back into an id.

# %% [markdown]
# ## Exercise 5.2: `build_purchase_matrix` (2 points)
#
# Write `build_purchase_matrix(purchases)`. From the output of `clean_purchases`, return a tuple
# `(matrix, customers, skus)`:
#
# - `customers`: a numpy array of the distinct `CustomerID`s, sorted ascending; `customers[u]` is the
#   customer of row `u`.
# - `skus`: a numpy array of the distinct `StockCode`s, sorted ascending **as strings**
#   (`"10002" < "85123A" < "POST"`); `skus[i]` is the sku of column `i`.
# - `matrix`: a `scipy.sparse` CSR matrix or array (`sp.csr_array` or `sp.csr_matrix`) of shape
#   `(len(customers), len(skus))` holding each pair's `Quantity` as floats.
#
# You may assume each (customer, sku) pair appears once, as `clean_purchases` guarantees.
#
# <details><summary>Hint</summary>
#
# `np.unique` gives the sorted distinct ids. Each table row then needs the position of its id in that
# sorted array: read what else `np.unique` can return, or look at `np.searchsorted`.
# </details>
#
# <details><summary>Hint</summary>
#
# A sparse matrix can be built from its non-zero cells alone (values, row indices, column indices)
# and a shape, then converted to CSR.
# </details>

# %% nbgrader={"grade": false, "grade_id": "build_purchase_matrix", "locked": false, "schema_version": 3, "solution": true}
def build_purchase_matrix(purchases: pd.DataFrame) -> tuple:
    """Customers x skus sparse matrix of quantities.

    Parameters
    ----------
    purchases : pandas.DataFrame
        Columns CustomerID, StockCode, Quantity, one row per pair.

    Returns
    -------
    matrix : scipy.sparse.csr_array
        Float quantities, customers in rows, skus in columns.
    customers, skus : numpy.ndarray
        The sorted distinct CustomerIDs (rows) and StockCodes (columns).
    """
    ### BEGIN SOLUTION
    customer_values = purchases["CustomerID"].to_numpy()
    sku_values = purchases["StockCode"].to_numpy(dtype=object)
    customers = np.unique(customer_values)
    skus = np.unique(sku_values)
    rows = np.searchsorted(customers, customer_values)
    cols = np.searchsorted(skus, sku_values)
    matrix = sp.csr_array(
        (purchases["Quantity"].to_numpy(dtype=float), (rows, cols)),
        shape=(len(customers), len(skus)),
    )
    return matrix, customers, skus
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_purchase_matrix", "locked": true, "points": 2, "schema_version": 3, "solution": false} tags=["raises-exception"]
small_purchases = pd.DataFrame({"CustomerID": [17850, 12346, 12346],
                                "StockCode": ["85123A", "22423", "10002"],
                                "Quantity": [6, 1, 2]})
examples = [
    exercises.Example("the worked example: customers [12346, 17850], skus ['10002', '22423', "
                      "'85123A'], matrix [[2, 1, 0], [0, 0, 6]]", (small_purchases,),
                      hint="Sort the distinct customers and skus; cell [customer, sku] holds "
                           "the quantity, in a CSR matrix."),
]
exercises.check("build_purchase_matrix", build_purchase_matrix, examples)
print("✔ build_purchase_matrix passes every check.")
### BEGIN HIDDEN TESTS
synthetic_table = make_online_retail(n_customers=40, n_skus=30, n_invoices=200, seed=2)
synthetic_purchases = exercises.reference("clean_purchases")(synthetic_table)
synthetic_purchases = synthetic_purchases.sample(frac=1.0, random_state=0)
matrix, customers, skus = build_purchase_matrix(synthetic_purchases)
reference_matrix_fn = exercises.reference("build_purchase_matrix")
want_matrix, want_customers, want_skus = reference_matrix_fn(synthetic_purchases)
assert np.asarray(customers).tolist() == want_customers.tolist(), "synthetic: wrong customers"
assert np.asarray(skus).tolist() == want_skus.tolist(), "synthetic: wrong skus"
assert np.allclose(matrix.toarray(), want_matrix.toarray()), "synthetic: wrong cells"
### END HIDDEN TESTS

# %%
matrix_fn = exercises.yours_or_reference("build_purchase_matrix", build_purchase_matrix)
purchase_matrix, customer_list, item_list = matrix_fn(purchases)
n_customers, n_skus = purchase_matrix.shape
density = purchase_matrix.nnz / (n_customers * n_skus)
sparse_bytes = sum(a.nbytes for a in (purchase_matrix.data, purchase_matrix.indices,
                                      purchase_matrix.indptr))
print(f"{n_customers:,} customers x {n_skus:,} skus, {purchase_matrix.nnz:,} stored cells")
print(f"filled: {density:.2%}, so {1 - density:.2%} of the matrix is empty")
print(f"dense float64: {n_customers * n_skus * 8 / 1e6:.0f} MB; sparse CSR: {sparse_bytes / 1e6:.1f} MB")


# %% [markdown]
# ## Implicit ALS
#
# A matrix factorization model gives every customer $u$ a vector $x_u \in \mathbb{R}^k$ and every sku
# $i$ a vector $y_i \in \mathbb{R}^k$ (here $k = 20$ factors) and predicts with the dot product
# $x_u^\top y_i$. Purchases are implicit feedback (chapter 1): no
# negative signal, and the size of $r_{ui}$ says how *sure* we are. So Hu, Koren and Volinsky split
# $r_{ui}$ in two:
#
# - the **preference** $p_{ui} = 1$ if $r_{ui} > 0$, else $0$: did the customer buy it at all?
# - the **confidence** $c_{ui} = 1 + \alpha\, r_{ui}$: how much we trust that preference. Every cell
#   gets at least confidence 1, and a customer who bought 12 units of a sku, with $\alpha = 15$,
#   makes that cell count 181 times as much as an empty one.
#
# The model then fits the preferences of **all** cells, the empty ones included, weighted by
# confidence, with a ridge penalty $\lambda$ against overfitting:
#
# $$
# \min_{X, Y}\ \sum_{u} \sum_{i} c_{ui} \left(p_{ui} - x_u^\top y_i\right)^2
# \;+\; \lambda \left( \sum_u \lVert x_u \rVert^2 + \sum_i \lVert y_i \rVert^2 \right)
# $$
#
# We fit it with Ben Frederickson's `implicit` library, through the package's `fit_als` wrapper
# (seeded, so the factors do not change from run to run), with the original analysis's parameters:
# $\alpha = 15$, 20 factors, $\lambda = 0.1$, 50 iterations.
#
# ## Evaluating by masking
#
# To know whether the model predicts purchases, we need purchases it has not seen. The original
# analysis **masks** them: it picks 20% of the stored cells of $R$ at random, removes them from a
# copy used for training, trains on the rest, and then checks, customer by customer, whether the
# hidden skus are ranked high among the skus the customer has not bought (in training). The
# customers who lost at least one cell are the *altered users*, the ones we can evaluate.

# %% [markdown]
# ## Exercise 5.3: `make_train` (2 points)
#
# Write `make_train(ratings, pct_test=0.2, seed=0)`, which returns `(training_set, test_set,
# altered_users)`:
#
# - `test_set`: a copy of `ratings` with every stored value set to 1 (the full data, as "bought or
#   not").
# - `training_set`: a copy of `ratings` in which `math.ceil(pct_test * ratings.nnz)` stored cells,
#   chosen uniformly at random without replacement, are removed; the other cells keep their
#   quantities. Remove the cells for real: no explicit zeros may be left (`.eliminate_zeros()`).
# - `altered_users`: the sorted Python list of the distinct rows that lost at least one cell.
#
# Rules:
#
# - Draw the random cells from `np.random.default_rng(seed)`, so the same seed gives the same split
#   (and different seeds give different splits).
# - `ratings` (a CSR matrix without explicit zeros) must not be modified.
# - `pct_test` outside $[0, 1]$ raises `ValueError` naming the value. `pct_test = 0` hides nothing,
#   `pct_test = 1` hides everything.
# - Return both matrices in CSR format.
#
# <details><summary>Hint</summary>
#
# First list the stored cells (their rows and columns); then let a generator from
# `np.random.default_rng(seed)` choose which of them to hide, each at most once.
# </details>
#
# <details><summary>Hint</summary>
#
# Work on copies, so that `ratings` stays untouched. The rows of the cells you chose to hide already
# tell you who the altered users are, once repeats are removed.
# </details>

# %% nbgrader={"grade": false, "grade_id": "make_train", "locked": false, "schema_version": 3, "solution": true}
def make_train(ratings, pct_test: float = 0.2, seed: int = 0) -> tuple:
    """Hide a random share of the stored cells of ``ratings``.

    Parameters
    ----------
    ratings : scipy.sparse CSR matrix
        Customers x skus quantities; not modified.
    pct_test : float, default 0.2
        Share of the stored cells to hide, in ``[0, 1]``.
    seed : int, default 0
        Seed of the random choice.

    Returns
    -------
    training_set, test_set : scipy.sparse CSR matrices
        ``ratings`` without the hidden cells, and ``ratings`` with every stored value set to 1.
    altered_users : list of int
        The sorted rows that lost at least one cell.
    """
    ### BEGIN SOLUTION
    if not 0 <= pct_test <= 1:
        raise ValueError(f"pct_test must be in [0, 1], got {pct_test}")
    test_set = ratings.copy()
    test_set.data = np.ones_like(test_set.data, dtype=float)
    rows, cols = ratings.nonzero()
    rng = np.random.default_rng(seed)
    hidden = rng.choice(len(rows), size=math.ceil(pct_test * len(rows)), replace=False)
    training_set = ratings.copy()
    training_set[rows[hidden], cols[hidden]] = 0
    training_set.eliminate_zeros()
    altered_users = np.unique(rows[hidden]).tolist()
    return training_set, test_set, altered_users
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_make_train", "locked": true, "points": 2, "schema_version": 3, "solution": false} tags=["raises-exception"]
small = sp.csr_array(np.array([[5.0, 0, 3, 0], [0, 1, 0, 12], [2, 0, 0, 7]]))
examples = [
    exercises.Example("pct_test = 0.2 of 6 stored cells hides ceil(1.2) = 2 of them, seed 0",
                      (small, 0.2, 0),
                      hint="Draw the hidden cells with np.random.default_rng(seed), set them to 0 "
                           "in a copy, eliminate_zeros(), and list their customers."),
]
exercises.check("make_train", make_train, examples)
print("✔ make_train passes every check.")
### BEGIN HIDDEN TESTS
training_set = make_train(small, pct_test=0.2, seed=0)[0]
nothing, _, nobody = make_train(small, pct_test=0.0, seed=0)
assert nothing.nnz == 6 and list(nobody) == [], "pct_test = 0 hides nothing"
empty, _, everybody = make_train(small, pct_test=1.0, seed=0)
assert empty.nnz == 0 and list(everybody) == [0, 1, 2], "pct_test = 1 hides everything"
assert not np.any(training_set.data == 0), "no explicit zeros may be left in training_set"
for bad in (1.5, -0.1):
    raised = False
    try:
        make_train(small, pct_test=bad, seed=0)
    except ValueError:
        raised = True
    assert raised, f"pct_test = {bad} should raise ValueError"
### END HIDDEN TESTS

# %%
split_fn = exercises.yours_or_reference("make_train", make_train)
training, test, altered_users = split_fn(purchase_matrix, pct_test=0.2, seed=0)
print(f"hidden cells: {purchase_matrix.nnz - training.nnz:,} of {purchase_matrix.nnz:,}")
print(f"altered users: {len(altered_users):,} of {n_customers:,} customers")


# %% [markdown]
# ## What AUC measures
#
# Take one altered customer $u$. Their **candidates** are the skus they have no interaction with in
# the training set. Among them, the **positives** $P_u$ are the hidden purchases, the **negatives**
# $N_u$ the skus they never bought. A good model scores the positives above the negatives. The AUC
# (area under the ROC curve) counts exactly that:
#
# $$
# \mathrm{AUC}_u = \frac{1}{|P_u|\,|N_u|} \sum_{i \in P_u} \sum_{j \in N_u}
# \Big( \mathbb{1}[s_{ui} > s_{uj}] + \tfrac{1}{2}\, \mathbb{1}[s_{ui} = s_{uj}] \Big)
# $$
#
# It is the probability that a random hidden purchase is ranked above a random non-purchase, **ties
# counting one half**. A random ranking gives 0.5 on average and a perfect one 1.
# We report the mean of
# $\mathrm{AUC}_u$ over the altered customers (those with at least one positive and one negative):
# every customer weighs the same.

# %% [markdown]
# ## The popularity baseline, and a leak to avoid
#
# The simplest recommender ranks every sku by **popularity**: the number of customers who bought it.
# It is a strong baseline: purchases concentrate on a few best sellers, and a cell hidden at random
# is more often a popular sku. A model is worth its complexity only if it beats popularity.
#
# Popularity must be counted on the **training set**. The original analysis counted it on the test
# set, that is, on the full data, hidden cells included: every hidden purchase then adds one to its
# own sku's count before we check whether that sku is ranked high. The baseline peeks at the answers.
# In the worked example of exercise 5.4 below, honest popularity scores 0.25 and the leaky one 0.75.

# %% [markdown]
# ## Exercise 5.4: `calc_mean_auc` (3 points)
#
# Write `calc_mean_auc(training_set, altered_users, predictions, test_set)`, which returns the tuple
# `(model_auc, popularity_auc)` of mean per-customer AUCs, as floats, unrounded.
#
# - `predictions` is `(user_factors, item_factors)`, arrays of shapes `(n_customers, k)` and
#   `(n_skus, k)`; the model's score of sku $i$ for customer $u$ is `user_factors[u] @ item_factors[i]`,
#   so all of $u$'s scores are `user_factors[u] @ item_factors.T`.
# - Popularity: for each sku, the number of customers who have it in `training_set` (count customers,
#   not quantities; never use `test_set` for it).
# - For each customer in `altered_users`: the candidates are the skus where the customer's row of
#   `training_set` is zero; the labels are their values in `test_set` (non-zero = positive). Compute
#   the AUC of the model's scores and of popularity over those candidates, ties counting one half.
# - Choice left open by the contract: a customer whose candidates are all positive or all negative
#   has no AUC; **leave them out of both means**.
#
# The worked example of the test below: customer 0 bought sku 0 (kept) and sku 1 (hidden). Candidates:
# skus 1, 2, 3. The model scores them 3, 1, 2, so the positive beats both negatives: AUC 1.0. Training
# popularity is 0, 1, 0: the positive loses to sku 2 and ties with sku 3, $(0 + 0.5)/2 = 0.25$.
#
# <details><summary>Hint</summary>
#
# `sklearn.metrics.roc_auc_score(labels, scores)` computes one customer's AUC with ties counting one
# half, but it is slow when called 8,000 times; `scipy.stats.rankdata` (average ranks for ties) and
# the rank formula above are much faster.
# </details>
#
# <details><summary>Hint</summary>
#
# Popularity does not depend on the customer: compute it once, before the loop. Inside the loop, one
# boolean mask over the skus (true where the training row is zero) selects the labels and both sets
# of scores.
# </details>

# %% nbgrader={"grade": false, "grade_id": "calc_mean_auc", "locked": false, "schema_version": 3, "solution": true}
def calc_mean_auc(training_set, altered_users, predictions, test_set) -> tuple[float, float]:
    """Mean per-customer AUC of a factor model and of training-set popularity.

    Parameters
    ----------
    training_set : scipy.sparse CSR matrix
        Customers x skus with the hidden cells removed.
    altered_users : list of int
        The rows that lost at least one cell.
    predictions : tuple of numpy.ndarray
        ``(user_factors, item_factors)``.
    test_set : scipy.sparse CSR matrix
        Customers x skus, 1 on every cell of the full data.

    Returns
    -------
    model_auc, popularity_auc : float
        Means over the customers whose AUC is defined.
    """
    ### BEGIN SOLUTION
    user_factors, item_factors = predictions
    training = sp.csr_array(training_set)
    test = sp.csr_array(test_set)
    popularity = np.asarray((training != 0).sum(axis=0), dtype=float).ravel()

    def auc(labels, scores):
        # Mann-Whitney: average ranks make a tie count one half.
        ranks = rankdata(scores)
        n_positive = labels.sum()
        n_negative = labels.size - n_positive
        won = ranks[labels].sum() - n_positive * (n_positive + 1) / 2
        return won / (n_positive * n_negative)

    model_aucs, popularity_aucs = [], []
    for user in altered_users:
        candidates = training[[user], :].toarray().ravel() == 0
        labels = test[[user], :].toarray().ravel()[candidates] != 0
        if labels.all() or not labels.any():
            continue  # no positive or no negative: AUC undefined
        model_scores = user_factors[user] @ item_factors.T
        model_aucs.append(auc(labels, model_scores[candidates]))
        popularity_aucs.append(auc(labels, popularity[candidates]))
    return float(np.mean(model_aucs)), float(np.mean(popularity_aucs))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_calc_mean_auc", "locked": true, "points": 3, "schema_version": 3, "solution": false} tags=["raises-exception"]
example_test = sp.csr_array(np.array([[1.0, 1, 0, 0], [1, 0, 1, 0]]))
example_train = sp.csr_array(np.array([[1.0, 0, 0, 0], [1, 0, 1, 0]]))
example_factors = (np.array([[1.0], [1.0]]), np.array([[0.0], [3.0], [1.0], [2.0]]))
examples = [
    exercises.Example("the worked example", (example_train, [0], example_factors, example_test),
                      (1.0, 0.25), hint="Return (model_auc, popularity_auc), each the mean "
                                        "over the altered customers."),
]
exercises.check("calc_mean_auc", calc_mean_auc, examples)
print("✔ calc_mean_auc passes every check.")
### BEGIN HIDDEN TESTS
result = calc_mean_auc(example_train, [0], example_factors, example_test)
assert all(isinstance(value, float) for value in result), "both AUCs should be floats"
rng_hidden = np.random.default_rng(11)
dense = np.where(rng_hidden.random((8, 12)) < 0.4, rng_hidden.integers(1, 9, (8, 12)), 0)
dense[:, 0] = 3  # every customer has at least one cell
reference_split_fn = exercises.reference("make_train")
hidden_train, hidden_test, hidden_altered = reference_split_fn(
    sp.csr_array(dense.astype(float)), pct_test=0.3, seed=2)
hidden_factors = (rng_hidden.standard_normal((8, 3)), rng_hidden.standard_normal((12, 3)))
reference_auc_fn = exercises.reference("calc_mean_auc")
want = reference_auc_fn(hidden_train, hidden_altered, hidden_factors, hidden_test)
got = calc_mean_auc(hidden_train, hidden_altered, hidden_factors, hidden_test)
assert np.allclose(got, want), f"seeded random case: expected {want}, got {got}"
### END HIDDEN TESTS

# %% [markdown]
# ## Fitting ALS on the real data
#
# Now the original analysis's pipeline, on the training set.

# %% tags=["demo"]
model = fit_als(training, alpha=15, factors=20, regularization=0.1, iterations=50,
                random_state=0, show_progress=True)
user_factors, item_factors = model.user_factors, model.item_factors
print("user factors:", user_factors.shape, " item factors:", item_factors.shape)

# %% tags=["demo"]
auc_fn = exercises.yours_or_reference("calc_mean_auc", calc_mean_auc)
model_auc, popularity_auc = auc_fn(training, altered_users, (user_factors, item_factors), test)
print(f"mean AUC over the altered customers: ALS {model_auc:.3f}, popularity {popularity_auc:.3f}")


# %% [markdown]
# For the average altered customer, ALS ranks a hidden purchase above a non-purchase about 87% of
# the time, popularity about 81%: the factors add real information beyond "best sellers first", but
# the baseline is not far behind.

# %% [markdown]
# ## Reading the recommendations
#
# A recommender must also make sense to a person. Two functions turn factors back into products,
# using an `item_lookup` table of (`StockCode`, `Description`) pairs; a sku with several
# descriptions shows the **first** one.

# %% [markdown]
# ## Exercise 5.5: `rec_items` (2 points)
#
# Write `rec_items(customer_id, mf_train, user_vecs, item_vecs, customer_list, item_list,
# item_lookup, num_items=10)`. It returns the `num_items` best-scored skus that the customer has
# **not** bought in `mf_train`, best first, as a DataFrame with columns `StockCode` and `Description`.
#
# - `customer_list` and `item_list` are the arrays of 5.2: the customer's row is the position of
#   `customer_id` in `customer_list` (not the id itself); column `i` is sku `item_list[i]`.
# - The scores are `user_vecs[row] @ item_vecs.T`. The bought skus are the stored, non-zero cells of
#   the customer's row of `mf_train` (a CSR matrix); they never appear in the result.
# - `Description` is the sku's first description in `item_lookup`.
# - If fewer than `num_items` skus are unbought, return only those (never pad with bought skus);
#   `num_items = 0` gives an empty table with the two columns.
# - An unknown `customer_id` raises `KeyError` naming it.
# - Equal scores may come in any order; the index of the result does not matter.
#
# <details><summary>Hint</summary>
#
# Find the customer's row in `customer_list` first (an unknown id must raise `KeyError`). Then make
# sure no bought sku can reach the top, and never ask for more skus than the customer has not bought.
# </details>
#
# <details><summary>Hint</summary>
#
# Several rows of `item_lookup` may share a code: keep the first of each, then index by `StockCode`
# to look descriptions up.
# </details>

# %% nbgrader={"grade": false, "grade_id": "rec_items", "locked": false, "schema_version": 3, "solution": true}
def rec_items(customer_id, mf_train, user_vecs, item_vecs, customer_list, item_list,
              item_lookup, num_items: int = 10) -> pd.DataFrame:
    """The ``num_items`` best-scored skus a customer has not bought, best first.

    Parameters
    ----------
    customer_id : int
        A CustomerID of ``customer_list``.
    mf_train : scipy.sparse CSR matrix
        Customers x skus training purchases.
    user_vecs, item_vecs : numpy.ndarray
        Customer and sku factors.
    customer_list, item_list : numpy.ndarray
        The CustomerID of each row and the StockCode of each column.
    item_lookup : pandas.DataFrame
        Columns StockCode and Description.
    num_items : int, default 10
        How many skus to return at most.

    Returns
    -------
    pandas.DataFrame
        Columns ``StockCode`` and ``Description``.
    """
    ### BEGIN SOLUTION
    matches = np.flatnonzero(np.asarray(customer_list) == customer_id)
    if matches.size == 0:
        raise KeyError(f"customer {customer_id} is not in customer_list")
    row = matches[0]
    bought = sp.csr_array(mf_train)[[row], :].toarray().ravel() != 0
    scores = np.asarray(user_vecs[row] @ np.asarray(item_vecs).T, dtype=float)
    scores[bought] = -np.inf
    how_many = min(num_items, int((~bought).sum()))
    best = np.argsort(-scores, kind="stable")[:how_many]
    codes = np.asarray(item_list)[best]
    first_description = item_lookup.drop_duplicates("StockCode").set_index("StockCode")
    return pd.DataFrame({"StockCode": codes,
                         "Description": first_description["Description"].reindex(codes).to_numpy()})
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_rec_items", "locked": true, "points": 2, "schema_version": 3, "solution": false} tags=["raises-exception"]
shop_train = sp.csr_array(np.array([[1.0, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]]))
shop_users = np.array([[1.0], [-1.0], [0.5]])
shop_items = np.array([[4.0], [3.0], [1.0], [2.0]])
shop_customers = np.array([101, 205, 307])
shop_codes = np.array(["A", "B", "C", "D"], dtype=object)
shop_lookup = pd.DataFrame({"StockCode": ["A", "B", "C", "D", "B"],
                            "Description": ["apple", "bread", "cheese", "dates", "brioche"]})
examples = [
    exercises.Example("customer 101 bought A", (101, shop_train, shop_users, shop_items,
                                                shop_customers, shop_codes, shop_lookup),
                      pd.DataFrame({"StockCode": ["B", "D"], "Description": ["bread", "dates"]}),
                      kwargs={"num_items": 2},
                      hint="Leave out what the customer bought, take the best scores first, "
                           "and the first Description of each StockCode."),
]
exercises.check("rec_items", rec_items, examples)
print("✔ rec_items passes every check.")
### BEGIN HIDDEN TESTS
recs = rec_items(205, shop_train, shop_users, shop_items, shop_customers, shop_codes, shop_lookup)
assert recs["StockCode"].tolist() == ["D", "B", "A"], "only 3 unbought skus, best first"
raised = False
try:
    rec_items(999, shop_train, shop_users, shop_items, shop_customers, shop_codes, shop_lookup)
except KeyError:
    raised = True
assert raised, "an unknown customer should raise KeyError"
### END HIDDEN TESTS

# %% [markdown]
# ## Exercise 5.6: `get_items_purchased` (1 point)
#
# Write `get_items_purchased(customer_id, mf_train, customer_list, item_list, item_lookup)`: one row
# per sku the customer has in `mf_train` (its stored, non-zero cells), with columns `StockCode` and
# `Description` (the first description, as in 5.5). Rules: the row order is free (the order of the
# matrix columns is the natural choice); a customer who bought nothing gives an empty table that still
# has both columns; an unknown `customer_id` raises `KeyError`.
#
# <details><summary>Hint</summary>
#
# Much of 5.5 carries over: find the row, take the non-zero columns of that row, look up their codes
# and descriptions.
# </details>

# %% nbgrader={"grade": false, "grade_id": "get_items_purchased", "locked": false, "schema_version": 3, "solution": true}
def get_items_purchased(customer_id, mf_train, customer_list, item_list,
                        item_lookup) -> pd.DataFrame:
    """The skus a customer bought in ``mf_train``, with their first descriptions.

    Parameters
    ----------
    customer_id : int
        A CustomerID of ``customer_list``.
    mf_train : scipy.sparse CSR matrix
        Customers x skus training purchases.
    customer_list, item_list : numpy.ndarray
        The CustomerID of each row and the StockCode of each column.
    item_lookup : pandas.DataFrame
        Columns StockCode and Description.

    Returns
    -------
    pandas.DataFrame
        Columns ``StockCode`` and ``Description``.
    """
    ### BEGIN SOLUTION
    matches = np.flatnonzero(np.asarray(customer_list) == customer_id)
    if matches.size == 0:
        raise KeyError(f"customer {customer_id} is not in customer_list")
    row_values = sp.csr_array(mf_train)[[matches[0]], :].toarray().ravel()
    codes = np.asarray(item_list)[np.flatnonzero(row_values)]
    first_description = item_lookup.drop_duplicates("StockCode").set_index("StockCode")
    return pd.DataFrame({"StockCode": codes,
                         "Description": first_description["Description"].reindex(codes).to_numpy()})
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_get_items_purchased", "locked": true, "points": 1, "schema_version": 3, "solution": false} tags=["raises-exception"]
shop_train = sp.csr_array(np.array([[1.0, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]]))
shop_customers = np.array([101, 205, 307])
shop_codes = np.array(["A", "B", "C", "D"], dtype=object)
shop_lookup = pd.DataFrame({"StockCode": ["A", "B", "C", "D", "B"],
                            "Description": ["apple", "bread", "cheese", "dates", "brioche"]})
examples = [
    exercises.Example("customer 205 bought C (cheese)",
                      (205, shop_train, shop_customers, shop_codes, shop_lookup),
                      pd.DataFrame({"StockCode": ["C"], "Description": ["cheese"]}),
                      hint="Find the customer's row, its stored columns, their StockCodes, "
                           "and the first Description of each."),
]
exercises.check("get_items_purchased", get_items_purchased, examples)
print("✔ get_items_purchased passes every check.")
### BEGIN HIDDEN TESTS
nothing_bought = get_items_purchased(307, shop_train, shop_customers, shop_codes, shop_lookup)
assert len(nothing_bought) == 0 and list(nothing_bought.columns) == ["StockCode", "Description"]
raised = False
try:
    get_items_purchased(1, shop_train, shop_customers, shop_codes, shop_lookup)
except KeyError:
    raised = True
assert raised, "an unknown customer should raise KeyError"
### END HIDDEN TESTS

# %% [markdown]
# ## What ALS recommends to real customers
#
# For each customer: a few skus they bought in training, the ten skus ALS recommends, and which of
# those were among their hidden purchases.

# %% tags=["demo"]
# The hidden cells: every purchase (1 in test) minus the ones kept in training.
hidden_cells = sp.csr_array(test - (training != 0))
item_lookup = retail.loc[retail["CustomerID"].notna(), ["StockCode", "Description"]].drop_duplicates()
purchased_fn = exercises.yours_or_reference("get_items_purchased", get_items_purchased)
rec_fn = exercises.yours_or_reference("rec_items", rec_items)

for customer in (12350, 12352, 13047):
    row = int(np.flatnonzero(customer_list == customer)[0])
    hidden_codes = set(item_list[hidden_cells[[row], :].toarray().ravel() > 0])
    bought_table = purchased_fn(customer, training, customer_list, item_list, item_lookup)
    recommended = rec_fn(customer, training, user_factors, item_factors, customer_list,
                         item_list, item_lookup, num_items=10)
    recommended["hidden purchase?"] = recommended["StockCode"].isin(hidden_codes)
    print(f"=== customer {customer}: {len(bought_table)} skus in training, "
          f"{len(hidden_codes)} hidden; first 8 bought:")
    print(bought_table.head(8).to_string(index=False))
    print("ALS recommends:")
    print(recommended.to_string(index=False), end="\n\n")

# %% [markdown]
# ## Going further (optional)
#
# The core path of this chapter ends here. The sections below go deeper: read them after the workshop, or now if you are ahead. They hold no graded exercise, and the recap after them covers the core path.

# %% [markdown]
# ### The columns of the table
#
# | column | meaning |
# | --- | --- |
# | `InvoiceNo` | invoice number; a leading `C` marks a cancellation |
# | `StockCode` | the product code (our *sku*), e.g. `85123A` |
# | `Description` | the product name |
# | `Quantity` | units on this line; negative on cancellations and returns |
# | `InvoiceDate` | date and time of the invoice |
# | `UnitPrice` | price per unit, in pounds sterling |
# | `CustomerID` | the customer's number, **missing** on about a quarter of the lines |
# | `Country` | the customer's country |

# %% [markdown]
# ### Service codes
#
# A few stock codes are services rather than products (`POST` for postage, `M` for manual entries,
# `BANK CHARGES`...). The original analysis kept them and so do we, so that our numbers match its
# numbers; a production system would remove them first.

# %% [markdown]
# ### Very large quantities
#
# Because the quantities reach 12,540,
#   the confidences range from 1 to about 190,000; the paper also offers a logarithmic variant,
#   $c_{ui} = 1 + \alpha \log(1 + r_{ui}/\epsilon)$, for such ranges, but we keep the original
#   analysis's linear one.

# %% [markdown]
# ### Why the alternation is cheap
#
# With both $X$ and $Y$ unknown the problem is not convex, but with $Y$ fixed it splits into one
# weighted ridge regression per customer, with the exact solution
#
# $$
# x_u = \left(Y^\top C^u Y + \lambda I\right)^{-1} Y^\top C^u p(u),
# $$
#
# where $C^u$ is the diagonal matrix of customer $u$'s confidences and $p(u)$ their preference
# vector; symmetrically for each $y_i$ with $X$ fixed. **Alternating least squares** solves all
# customers, then all skus, then all customers again, and so on: no half-step can increase the
# loss. The sum runs over every cell, yet it stays cheap, because
# $Y^\top C^u Y = Y^\top Y + Y^\top (C^u - I) Y$: the first term is shared by everyone and the
# second only involves the skus the customer bought. Chapter 6 writes this half-step by hand.

# %% [markdown]
# ### Three details of `implicit`
#
# Three details of `implicit` are worth knowing:
#
# - We pass the raw quantities $r_{ui}$ and `alpha=15`; since $\alpha \ne 1$, `implicit` multiplies
#   the matrix by $\alpha$ itself. Code written for older versions scaled the matrix by hand: doing
#   both would multiply the confidences by $\alpha$ twice.
# - It reads each stored value as the *whole* confidence of its cell, and gives the empty cells
#   confidence 1. An observed cell therefore gets $c_{ui} = \alpha r_{ui}$, not $1 + \alpha r_{ui}$
#   (180 instead of 181 for our 12 units): with $\alpha = 15$ and quantities of at least 1, a small
#   shift.
# - By default it does not solve each regression exactly: it runs three conjugate-gradient steps
#   starting from the previous factors (Takács, Pilászy and Tikk, 2011), which is much cheaper and
#   still never increases the loss.

# %% [markdown]
# ### `implicit`'s own API, next to `fit_als`
#
# The package's `fit_als` (in `recsys_workshop/als.py`) is a thin wrapper. Here is the same fit
# written with `implicit` directly, as you would in your own project:
#
# - `implicit.als.AlternatingLeastSquares(...)` is a factory: it returns a GPU model when CUDA is
#   available, unless `use_gpu=False`; it then returns an `implicit.cpu.als.AlternatingLeastSquares`
#   (which you can also instantiate directly).
# - The hyper-parameters are `factors`, `regularization`, `alpha` and `iterations`; `random_state`
#   seeds the initial factors.
# - `fit` takes `user_items`: customers in rows and skus in columns, as a `scipy.sparse.csr_matrix`
#   (the matrix class, not the newer `csr_array`) of `float32`, holding the raw quantities.
# - BLAS is pinned to one thread with `threadpoolctl`, as `implicit` itself recommends: its own
#   threads already run in parallel, and a multithreaded BLAS inside them only slows it down.
#
# With the same seed, both give the same factors, bit for bit:

# %% tags=["demo"]
import implicit.als
from threadpoolctl import threadpool_limits

user_items = sp.csr_matrix(training, dtype=np.float32)  # customers x skus, raw quantities
with threadpool_limits(limits=1, user_api="blas"):
    direct = implicit.als.AlternatingLeastSquares(factors=20, regularization=0.1, alpha=15.0,
                                                  iterations=50, random_state=0, use_gpu=False)
    direct.fit(user_items, show_progress=False)

print(f"{type(direct).__module__}.{type(direct).__name__}")
print("same user factors as fit_als:", np.array_equal(direct.user_factors, model.user_factors))
print("same item factors as fit_als:", np.array_equal(direct.item_factors, model.item_factors))

# %% [markdown]
# ### Limits of random masking
#
# It is a simple and popular design; know its limits too. Cells are hidden at random, not by date, so
# the model may learn from purchases made after the hidden ones; a time-based split (train on the
# past, test on the following weeks) is closer to how a shop uses a recommender. And a random cell is
# more likely to belong to a popular sku, simply because popular skus have more cells, which will
# matter for the baseline.

# %% [markdown]
# ### Ranks instead of pairs, and three things called AUC
#
# Counting all pairs is slow; ranks give the same number. Rank the candidates' scores from 1 (lowest)
# up, giving tied scores their average rank; then the sum of the positives' ranks, minus the
# $|P_u|(|P_u| + 1)/2$ it would be if all positives were at the bottom, is the number of
# (positive, negative) pairs won, a tie counting one half (the Mann-Whitney $U$ statistic):
#
# $$
# \mathrm{AUC}_u = \frac{\sum_{i \in P_u} \operatorname{rank}(s_{ui}) - |P_u|(|P_u|+1)/2}{|P_u|\,|N_u|}.
# $$
#
# **Three things called AUC.** You will meet other "AUC"s for recommenders; they measure different
# things:
#
# - **This chapter's AUC** is per customer, over the *full* ranking of all their candidates, then
#   averaged over customers.
# - **`implicit.evaluation.AUC_at_k`** is also a mean over customers, but it only ranks the top $K$
#   recommendations (default 10). A positive inside the top $K$ beats the negatives placed after it
#   and every negative below position $K$; a positive and a negative both below position $K$ count as
#   a tie (one half). So it rewards hidden purchases in the first few places and changes with $K$.
#   Its negatives also include the customer's training skus, and the test matrix it takes must hold
#   only the hidden cells (our `test_set` holds every purchase).
# - **A single global ROC AUC**, as Microsoft's `recommenders` library computes it (`auc`), pools the
#   (customer, sku) pairs of *all* customers into one list. It then also compares one customer's
#   positive with *another* customer's negative: it rewards scores that are comparable across
#   customers, and heavy buyers weigh more.
#
# A tiny example: two customers whose rankings are both perfect, on different scales.

# %%
labels = np.array([[1, 0, 0], [1, 0, 0]])
scores = np.array([[0.9, 0.8, 0.7], [0.3, 0.2, 0.1]])
per_customer = [roc_auc_score(y, s) for y, s in zip(labels, scores, strict=True)]
print("per-customer AUCs:", per_customer, "-> mean", np.mean(per_customer))
print("one global AUC over all pairs:", roc_auc_score(labels.ravel(), scores.ravel()))

# %% [markdown]
# Each customer ranks their own purchase first, so both per-customer AUCs are 1. Pooled, the second
# customer's purchase (0.3) is also compared with the first customer's non-purchases (0.8 and 0.7)
# and loses to both: the global AUC falls to 0.75, although neither ranking could be better.

# %% [markdown]
# ### The leak in numbers
#
# Here is the leak in numbers: `per_user_auc` (from the package's `evaluate` module) gives each
# customer's AUC for any scorer, here popularity counted both ways (`evaluate.popularity` counts the
# customers of each sku, as your `calc_mean_auc` does).

# %% tags=["demo"]
popularity_train = popularity(training)
popularity_test = popularity(test)
honest = np.nanmean(per_user_auc(training, altered_users, test, popularity_train))
leaky = np.nanmean(per_user_auc(training, altered_users, test, popularity_test))
print(f"popularity counted on the training set: {honest:.4f}")
print(f"popularity counted on the test set (leaks the hidden cells): {leaky:.4f}")

# %% [markdown]
# The leak adds only about 0.003 here, but it favours the baseline systematically (each hidden
# purchase raises its own sku's score), and on a small data set, as in the worked example, it can
# decide the comparison.
#
# ### A closer look: per-customer AUCs and the long tail
#
# A mean hides the spread. Left: the distribution of the per-customer AUCs of both scorers. Right: the
# number of customers who bought each sku, sorted, on a log scale: a short head of best sellers and a
# long tail of skus few people buy.

# %% tags=["demo"]
model_per_user = per_user_auc(training, altered_users, test,
                              factor_scores(user_factors, item_factors))
popularity_per_user = per_user_auc(training, altered_users, test, popularity_train)
defined = ~np.isnan(model_per_user) & ~np.isnan(popularity_per_user)
print(f"means: ALS {np.nanmean(model_per_user):.3f}, popularity {np.nanmean(popularity_per_user):.3f}"
      f"; ALS is better for {np.mean(model_per_user[defined] > popularity_per_user[defined]):.0%} "
      "of the customers")

# hidden_cells (the masked purchases) comes from the cell that shows real customers.
hidden_per_user = np.diff(hidden_cells.indptr)[altered_users]
below = model_per_user < 0.5
print(f"ALS is worse than random (AUC < 0.5) for {below.sum()} customers, "
      f"{np.mean(hidden_per_user[below] <= 2):.0%} of whom have only 1 or 2 hidden purchases "
      f"(against {np.mean(hidden_per_user <= 2):.0%} of all altered customers)")

customers_per_sku = popularity(purchase_matrix)

_, (left, right) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
plot_auc_distributions({"popularity": popularity_per_user, "ALS": model_per_user}, ax=left)
plot_long_tail(customers_per_sku, ax=right)
plt.show()

# %% [markdown]
# The ALS histogram sits to the right of popularity's. Both have a few customers below 0.5, for whom
# the ranking is worse than random; for ALS these are mostly customers with only one or two hidden
# purchases, and an AUC resting on one or two positives is a very noisy estimate. The long tail
# explains the baseline's strength: the most bought 10% of the skus account for about 40% of all
# (customer, sku) pairs.

# %% [markdown]
# ### Why so few hits in the top ten?
#
# The recommendations stay close to each customer's style (tissues, plasters in tins and travel goods
# for 12350; Regency teacups and doilies for 12352; apothecary bottles and soap dishes for 13047), yet
# few of them are among the hidden purchases. That is no contradiction with an AUC of 0.87: the AUC
# asks whether hidden purchases rank above *most* of the 3,600 other skus, while a list of ten asks
# them to be in the very first places, a much harder test. Chapter 6 measures that one, with precision
# and NDCG at $k$.

# %% [markdown]
# ## Recap
#
# - Cleaning is a set of choices: lines without a customer are dropped, quantities are summed per
#   (customer, sku), fully returned items count as 1, net returns are dropped.
# - The 4,338 x 3,664 purchase matrix is 98% empty: it is stored sparse (CSR).
# - Implicit ALS fits preferences $p_{ui}$ on every cell, weighted by confidences
#   $c_{ui} = 1 + \alpha r_{ui}$, by alternating ridge regressions for customers and for skus.
# - Masking 20% of the cells and measuring, per customer, the probability that a hidden purchase
#   outranks a non-purchase (ties one half) gives about 0.87 for ALS and 0.81 for popularity,
#   counted on the training set so that it does not leak the hidden cells.
#
# Next, chapter 6 opens the black box: it writes the ALS half-step by hand, folds in a new customer
# without retraining, and measures the recommendations with precision and NDCG at $k$.
