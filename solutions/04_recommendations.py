# %% [markdown]
# # Chapter 4: Making recommendations
#
# Chapters 2 and 3 gave us a skus x skus similarity matrix $S$. This chapter turns it into a
# recommender: take what one customer did, score every sku against it, and keep the best few,
# without sorting the whole catalogue. Its optional part ends on the real Online Retail data, with
# "customers who bought this also bought" lists and recommendations for one real customer.
#
# **Learning goals**
#
# - Score every sku for one customer with $S r$, $r$ a sparse column vector.
# - Select the $n$ best of $m$ scores with `np.argpartition`, in $O(m + n \log n)$.
# - Decide what to do with skus the customer already has.

# %% nbgrader={"grade": false, "grade_id": "ch04-setup", "locked": true, "schema_version": 3, "solution": false}
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recsys_workshop import exercises
from recsys_workshop import retail as retail_reference
from recsys_workshop.data import load_online_retail
from recsys_workshop.recommend import top_n_indices
from recsys_workshop.timing import time_call

# %% [markdown]
# ## From a similarity matrix to scores
#
# Back to the original workshop's example: customer `c2` scored $2.5$ for `s1` and $8.5$ for `s2`.
# The similarity matrix comes from the chapter 3 reference function.

# %%
toy_skus = {"s0": 0, "s1": 1, "s2": 2}
toy_interactions = {0: {0: 0.5}, 1: {1: 8.5, 2: 0.5}, 2: {1: 2.5, 2: 8.5}}

toy_matrix = exercises.reference("build_interactions_matrix")(toy_interactions, 3, 3)
toy_similarity = exercises.reference("build_algebraic_similarity_matrix")(toy_matrix)
print(np.round(toy_similarity, 3))

# %% [markdown]
# Write customer `c2` as a vector $r$ with one entry per sku: $r = (0,\ 2.5,\ 8.5)$. The score of
# sku $j$ is
#
# $$\text{score}_j = (S r)_j = \sum_{i} S_{ji}\, r_i ,$$
#
# a sum over the skus $i$ the customer touched, weighted by how strongly the customer interacted
# with it ($r_i$) and by how similar it is to $j$ ($S_{ji}$).

# %%
r = np.array([0.0, 2.5, 8.5])
scores = toy_similarity @ r
for sku, j in toy_skus.items():
    terms = " + ".join(f"{toy_similarity[j, i]:.3f} x {r[i]}" for i in range(3) if r[i])
    print(f"{sku}: {terms} = {scores[j]:.3f}")


# %% [markdown]
# A real customer bought a few dozen of the 3,664 skus, so $r$ is almost all zeros: stored as a
# sparse column vector (shape $m \times 1$), $S r$ only reads the columns of $S$ that matter.

# %% [markdown]
# ## Exercise 4.1: `build_customer_vector` (1 point)
#
# Write `build_customer_vector(customer_interactions, skus_mapping)`. It receives one customer's
# `{sku: score}` dictionary and the `{sku: index}` mapping of chapter 1, and returns the customer's
# vector $r$ as a **sparse CSC column vector** of shape `(len(skus_mapping), 1)`: the score of each
# sku sits in the row given by `skus_mapping`, everything else is zero.
#
# Rules:
#
# - Return a `scipy.sparse` CSC matrix or array (`sp.csc_array` or `sp.csc_matrix`) with a float
#   dtype.
# - A sku that is not in `skus_mapping` is ignored (the catalogue may have changed since the
#   customer's visit).
# - If none of the customer's skus is in `skus_mapping` (this includes an empty dictionary), raise
#   `ValueError` with a message that names the skus: an all-zero vector would silently recommend
#   nothing useful.
# - A score of 0 may be stored or left out; both count as the same vector.
#
# <details><summary>Hint</summary>
#
# A sparse matrix can be built from its non-zero entries alone: their values, their row indices and
# their column indices, plus the shape. In a column vector, which column is every entry in?
# </details>

# %% nbgrader={"grade": false, "grade_id": "build_customer_vector", "locked": false, "schema_version": 3, "solution": true}
def build_customer_vector(customer_interactions: dict, skus_mapping: dict) -> sp.csc_array:
    """Turn one customer's ``{sku: score}`` into a CSC column vector.

    Parameters
    ----------
    customer_interactions : dict
        ``{sku: score}`` for one customer.
    skus_mapping : dict
        ``{sku: index}``; skus missing from it are ignored.

    Returns
    -------
    scipy.sparse.csc_array
        Float vector of shape ``(len(skus_mapping), 1)``.
    """
    ### BEGIN SOLUTION
    rows, values = [], []
    for sku, score in customer_interactions.items():
        if sku in skus_mapping:
            rows.append(skus_mapping[sku])
            values.append(score)
    if not rows:
        raise ValueError(
            f"none of the customer's skus {list(customer_interactions)} is in skus_mapping"
        )
    columns = [0] * len(rows)
    return sp.csc_array(
        (np.array(values, dtype=float), (rows, columns)), shape=(len(skus_mapping), 1)
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_customer_vector", "locked": true, "points": 1, "schema_version": 3, "solution": false} tags=["raises-exception"]
examples = [
    exercises.Example("the third customer of the original example",
                      ({"s1": 2.5, "s2": 8.5}, {"s0": 0, "s1": 1, "s2": 2}),
                      sp.csc_array(np.array([[0.0], [2.5], [8.5]])),
                      hint="A (number of skus, 1) CSC column holding each score in its sku's row."),
]
exercises.check("build_customer_vector", build_customer_vector, examples)
print("✔ build_customer_vector passes every check.")
### BEGIN HIDDEN TESTS
vector = build_customer_vector({"a": 0.5, "c": 6.0, "zzz": 9.0}, {"a": 2, "b": 0, "c": 1})
assert np.allclose(vector.toarray().ravel(), [0.0, 6.0, 0.5]), "rows come from the mapping"
for bad in ({"unknown": 6.0}, {}):
    raised = False
    try:
        build_customer_vector(bad, {"s0": 0})
    except ValueError:
        raised = True
    assert raised, f"{bad} maps no sku: ValueError expected"
### END HIDDEN TESTS

# %% [markdown]
# ## Picking the top $n$ without sorting everything
#
# Once every sku has a score, the recommendation is the $n$ skus with the highest scores, best
# first. The obvious way is to sort all $m$ scores, which costs $O(m \log m)$, and keep the first
# $n$. But we only show a handful of recommendations ($n = 10$) out of thousands or millions of
# skus: fully ordering the millions we throw away is wasted work.
#
# A **partial selection** does less. `np.argpartition(a, k)` rearranges the indices so that the
# element that would sit at position `k` in sorted order is there, everything before it is no
# larger and everything after it no smaller, **without ordering either side**. It runs in
# $O(m)$ time. So the
# recipe for the $n$ best is:
#
# 1. let a partial selection gather the indices of the $n$ **largest** scores, in no particular
#    order ($O(m)$);
# 2. sort only those $n$ indices by decreasing score ($O(n \log n)$).
#
# Total: $O(m + n \log n)$ instead of $O(m \log m)$. The cell below shows `np.argpartition` on the
# opposite problem, the 3 **smallest** scores; turning it into "largest" is part of exercise 4.2.
# Note that the chosen indices really do come out unordered, although numpy often returns small
# selections sorted by chance: test your function with a large $n$ too.

# %%
scores = np.array([0.2, 0.9, 0.4, 0.7, 0.1, 0.8])
smallest = np.argpartition(scores, 2)[:3]
print("the 3 smallest, in no particular order:", smallest, "with scores", scores[smallest])

# Small selections often come out sorted by chance; larger ones do not.
many = np.random.default_rng(1).random(2_000)
chosen = np.argpartition(many, 499)[:500]
print("the 500 smallest of 2,000 are the right ones:", many[chosen].max() == np.sort(many)[499])
print("... and already in increasing order:", bool(np.all(np.diff(many[chosen]) >= 0)))


# %% [markdown]
# ## Exercise 4.2: `make_recos` (2 points)
#
# Write `make_recos(similarity_matrix, customer_interactions, n)`. It computes the scores
# $S r$ for every sku and returns the indices of the `n` highest scores, **best first**, as a Python
# `list` of ints, using the partial selection above ($O(m + n \log n)$ for $m$ skus).
#
# Rules:
#
# - `similarity_matrix` may be a dense numpy array (chapter 2) or a sparse matrix (chapter 3);
#   `customer_interactions` is the CSC column vector of exercise 4.1. When $S r$ comes out sparse,
#   turn it into a flat numpy array before selecting.
# - `n == 0` returns `[]`; `n < 0` or `n > m` raises `ValueError` with a message that names `n`.
# - Equal scores may come in any order.
# - Skus the customer already has are **not** removed here: the original workshop's example
#   expects `[2, 1, 0]`, although customer `c2` already has skus 1 and 2. We come back to this
#   below.
# - Return a `list` (use `.tolist()`), so that `recos == [2, 1, 0]` works.
#
# <details><summary>Hint</summary>
#
# In a scratch cell, compute `S @ r` once with a dense `S` and once with a sparse one, and look at
# the type and shape of each result: both are columns of shape `(m, 1)`, and only one is sparse.
# `sp.issparse` tells them apart; the selection wants a flat 1-d array of `m` numbers.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `np.argpartition` only gathers the `n` best; you still have to order those `n` yourself, by
# decreasing score.
# </details>

# %% nbgrader={"grade": false, "grade_id": "make_recos", "locked": false, "schema_version": 3, "solution": true}
def make_recos(similarity_matrix, customer_interactions, n: int) -> list[int]:
    """Indices of the ``n`` skus with the highest score ``S @ r``, best first.

    Parameters
    ----------
    similarity_matrix : numpy.ndarray or scipy.sparse matrix
        Skus x skus similarity ``S``.
    customer_interactions : scipy.sparse column vector
        The customer's scores ``r``, shape ``(m, 1)``.
    n : int
        How many skus to recommend, ``0 <= n <= m``.

    Returns
    -------
    list of int
        The ``n`` best sku indices, best first.
    """
    ### BEGIN SOLUTION
    m = similarity_matrix.shape[0]
    if n < 0 or n > m:
        raise ValueError(f"n must be between 0 and the number of skus {m}, got n={n}")
    if n == 0:
        return []
    scores = similarity_matrix @ customer_interactions
    if sp.issparse(scores):
        scores = scores.toarray()
    scores = np.asarray(scores, dtype=float).ravel()
    chosen = np.argpartition(-scores, n - 1)[:n]  # the n best, in no order: O(m)
    best_first = chosen[np.argsort(-scores[chosen])]  # sort only those n: O(n log n)
    return best_first.tolist()
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_make_recos", "locked": true, "points": 2, "schema_version": 3, "solution": false} tags=["raises-exception"]
original_similarity = exercises.reference("build_algebraic_similarity_matrix")(
    exercises.reference("build_interactions_matrix")(
        {0: {0: 0.5}, 1: {1: 8.5, 2: 0.5}, 2: {1: 2.5, 2: 8.5}}, 3, 3
    )
)
third_customer = exercises.reference("build_customer_vector")(
    {"s1": 2.5, "s2": 8.5}, {"s0": 0, "s1": 1, "s2": 2}
)
examples = [
    exercises.Example("the original workshop's example", (original_similarity, third_customer, 3),
                      [2, 1, 0], hint="Score every sku (similarity @ vector); sort, best first."),
    exercises.Example("n = 0 gives []", (original_similarity, third_customer, 0), [],
                      hint="Return the n best skus: none when n is 0."),
]
exercises.check("make_recos", make_recos, examples)
print("✔ make_recos passes every check.")
### BEGIN HIDDEN TESTS
sparse_recos = make_recos(sp.csc_array(original_similarity), third_customer, 2)
assert sparse_recos == [2, 1], "a sparse similarity matrix should work too"
for bad_n in (4, -1):
    raised = False
    try:
        make_recos(original_similarity, third_customer, bad_n)
    except ValueError:
        raised = True
    assert raised, f"n = {bad_n} with 3 skus should raise ValueError"
shuffled = np.random.default_rng(5).permutation(2000) + 1.0
big = make_recos(sp.eye_array(2000, format="csc"), sp.csc_array(shuffled[:, None]), 700)
assert big == np.argsort(-shuffled)[:700].tolist(), "the n chosen skus must be sorted, best first"
### END HIDDEN TESTS

# %% [markdown]
# ## Skus the customer already has

# %% [markdown]
# In the toy example, `c2` gets `[2, 1, 0]`: skus 2 and 1 are the ones they already have, because
# every sku is perfectly similar to itself ($S_{jj} = 1$). `make_recos` keeps them on purpose (it is
# the original workshop's building block). A real "you may also like" list removes them: set their
# scores to $-\infty$ before the selection, or ask for $n$ plus the number of skus the customer has
# and drop those afterwards (as *Going further* does on the real data).
#
# To read recommendations we also need to turn the indices back into sku codes: that is the job of
# the inverse mapping.

# %% [markdown]
# ## Exercise 4.3: `get_inverse_skus_map` (1 point)
#
# Write `get_inverse_skus_map(skus_map)`: given the `{sku: index}` mapping of chapter 1, return the
# reverse dictionary `{index: sku}`, so that a recommended index can be shown as its sku.
#
# Rules: an empty mapping gives `{}`. You may assume each index appears once (chapter 1's mappings
# are one-to-one). The indices need not be in order, and skus may be strings or ints.
#
# <details><summary>Hint</summary>
#
# A dictionary comprehension over `skus_map.items()` does it in one line.
# </details>

# %% nbgrader={"grade": false, "grade_id": "get_inverse_skus_map", "locked": false, "schema_version": 3, "solution": true}
def get_inverse_skus_map(skus_map: dict) -> dict:
    """Invert a ``{sku: index}`` mapping into ``{index: sku}``.

    Parameters
    ----------
    skus_map : dict
        ``{sku: index}``.

    Returns
    -------
    dict
        ``{index: sku}``.
    """
    ### BEGIN SOLUTION
    return {index: sku for sku, index in skus_map.items()}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_get_inverse_skus_map", "locked": true, "points": 1, "schema_version": 3, "solution": false} tags=["raises-exception"]
examples = [
    exercises.Example("the original workshop's skus", ({"s0": 0, "s1": 1, "s2": 2},),
                      {0: "s0", 1: "s1", 2: "s2"}, hint="Swap each key and its value."),
]
exercises.check("get_inverse_skus_map", get_inverse_skus_map, examples)
print("✔ get_inverse_skus_map passes every check.")
### BEGIN HIDDEN TESTS
assert get_inverse_skus_map({}) == {}, "an empty mapping gives {}"
assert get_inverse_skus_map({"a": 2, "b": 0, "c": 1}) == {0: "b", 1: "c", 2: "a"}
assert get_inverse_skus_map({85123: 0, 71053: 1}) == {0: 85123, 1: 71053}
### END HIDDEN TESTS

# %% [markdown]
# ## Going further (optional)
#
# The core path of this chapter ends here. The sections below go deeper: read them after the workshop, or now if you are ahead. They hold no graded exercise, and the recap after them covers the core path.

# %% [markdown]
# ### How much does the partial selection save?
#
# Let us time both ways on random scores for a growing catalogue, always keeping $n = 10$. The
# partial selection is the package's `top_n_indices`, which the reference `make_recos` uses: your
# 4.2 follows the same recipe. The full
# sort grows like $m \log m$; the partial selection grows like $m$ and has a smaller constant, since
# it never orders the skus it discards. Times depend on the machine, so look at the speed-up: several
# times at every size here. It need not grow steadily with $m$, because at these sizes memory and
# cache effects weigh as much as the extra $\log m$ factor.

# %% tags=["demo"]
def top_n_full_sort(scores, n):
    """The obvious way: sort all m scores, keep the first n."""
    return np.argsort(-scores)[:n]


rng = np.random.default_rng(0)
rows = []
for m in (10_000, 100_000, 1_000_000):
    random_scores = rng.random(m)
    assert np.array_equal(top_n_full_sort(random_scores, 10), top_n_indices(random_scores, 10))
    full = time_call(top_n_full_sort, random_scores, 10, repeat=5)
    partial = time_call(top_n_indices, random_scores, 10, repeat=5)
    rows.append({"m skus": f"{m:,}", "full sort (ms)": round(1000 * full, 2),
                 "partial selection (ms)": round(1000 * partial, 2),
                 "speed-up": round(full / partial, 1)})
pd.DataFrame(rows)

# %% [markdown]
# The same check through `make_recos` (yours once it passes, the reference until then): with the
# identity matrix as $S$, the scores $S r$ are just $r$, so the recommendations must be the indices
# of the largest entries of $r$.

# %%
make_recos_fn = exercises.yours_or_reference("make_recos", make_recos)
m = 200_000
r_big = np.random.default_rng(2).random(m)
recos = make_recos_fn(sp.eye_array(m, format="csc"), sp.csc_array(r_big[:, None]), 10)
print(recos)
print("same as a full sort:", recos == np.argsort(-r_big)[:10].tolist())

# %% [markdown]
# ### Ties
#
# **Ties.** Two skus can have exactly the same score, for example two skus bought by exactly the same
# customers. `argpartition` and the default `argsort` may return tied skus in either order, so two
# runs of different code (or numpy versions) can show different lists. That is acceptable (the
# contract allows it), but when you need a reproducible order, break ties on purpose: by a second key
# such as popularity, or by index with a stable sort. `np.lexsort` sorts by several keys, the
# **last** key first:

# %%
tied_scores = np.array([0.5, 0.9, 0.5, 0.9, 0.1])
popularity = np.array([10, 3, 50, 8, 1])
print("by score only:", np.argsort(-tied_scores).tolist())
print("ties broken by popularity:", np.lexsort((-popularity, -tied_scores)).tolist())

# %% [markdown]
# ### The item-item recommender on the real data
#
# Time to leave the toy. The UCI Online Retail data set holds 541,909 invoice lines of a UK online
# gift shop (December 2010 to December 2011). Chapter 5 looks at it closely and has you write the two
# functions that turn it into a customers x skus matrix, `clean_purchases` and
# `build_purchase_matrix`. Here we use the reference versions of both, openly: they drop the lines
# without a customer, sum the quantity each customer bought of each sku (keeping the pairs that were
# actually bought), and put the result in a sparse matrix with customers in rows and skus
# (StockCodes) in columns.

# %%
retail = load_online_retail()
purchases = retail_reference.clean_purchases(retail)
purchase_matrix, customer_ids, stock_codes = retail_reference.build_purchase_matrix(purchases)
print(f"{purchase_matrix.shape[0]:,} customers x {purchase_matrix.shape[1]:,} skus, "
      f"{purchase_matrix.nnz:,} (customer, sku) pairs")

# Column j is stock_codes[j]: a {sku: index} mapping as in chapter 1, and its inverse (4.3).
sku_index = {code: j for j, code in enumerate(stock_codes)}
inverse_fn = exercises.yours_or_reference("get_inverse_skus_map", get_inverse_skus_map)
index_to_sku = inverse_fn(sku_index)

# The first description of each StockCode, to read the results.
descriptions = (retail.dropna(subset=["CustomerID"])
                .drop_duplicates("StockCode").set_index("StockCode")["Description"])

# %% [markdown]
# **Which numbers go into the similarity?** The matrix holds quantities, and they are very uneven:
# most pairs are a few units, while some wholesale customers buy thousands of one sku. Cosine
# similarity on raw quantities lets those few bulk orders dominate a sku's column. For "customers who
# bought this also bought", *whether* a customer bought a sku is the signal we want, so we use a 0/1
# matrix. The chapter 3 reference builds the sparse cosine similarity from the CSC matrix; let us
# compare both choices for the shop's best seller (by number of customers).

# %% tags=["demo"]
sparse_similarity = exercises.reference("build_algebraic_sparse_similarity_matrix")

start = time.perf_counter()
bought = sp.csc_array((purchase_matrix != 0).astype(float))
item_similarity = sparse_similarity(bought)
quantity_similarity = sparse_similarity(sp.csc_array(purchase_matrix))
print(f"two {item_similarity.shape[0]:,} x {item_similarity.shape[1]:,} similarity matrices "
      f"in {time.perf_counter() - start:.1f} s")
print(f"stored entries: {item_similarity.nnz:,} "
      f"({item_similarity.nnz / np.prod(item_similarity.shape):.0%} of all pairs)")

customers_per_sku = np.asarray(bought.sum(axis=0)).ravel()
best_seller = stock_codes[np.argmax(customers_per_sku)]


def most_similar(similarity, stock_code, how_many=5):
    """The skus most similar to ``stock_code`` (itself excluded), with their descriptions."""
    column = similarity[:, [sku_index[stock_code]]].toarray().ravel()
    column[sku_index[stock_code]] = -np.inf
    best = np.argsort(-column)[:how_many]
    return pd.DataFrame({"StockCode": stock_codes[best],
                         "Description": descriptions.reindex(stock_codes[best]).to_numpy(),
                         "similarity": column[best].round(3)})


print(f"\nMost similar to {best_seller} {descriptions[best_seller]!r}, 0/1 purchases:")
print(most_similar(item_similarity, best_seller).to_string(index=False))
print("\n... and with raw quantities:")
print(most_similar(quantity_similarity, best_seller).to_string(index=False))

# %% [markdown]
# With 0/1 purchases the neighbours of the cake stand are teacups, a teapot and cake tins of the same
# "Regency" range: what a person shopping for a tea party buys. With raw quantities they are an
# assortment that a few bulk buyers happened to order in large numbers. We keep the 0/1 version.
#
# Notice also how *dense* the similarity matrix is: about 62% of all pairs are non-zero although the
# purchase matrix itself is 98% empty. It only takes one customer who bought both skus to make a
# pair's similarity non-zero, and a few customers bought over a thousand different skus. Sparse input
# does not guarantee a sparse product $A^\top A$.
#
# #### "Customers who bought this also bought"
#
# A product page shows the skus most similar to the one on display; here they are for the next
# three best sellers. That is `make_recos` for a "customer" whose vector $r$ holds a single 1:
# $S r$ is then the column of $S$ for that sku. We ask for one more than we show and drop the sku
# itself, which comes first with similarity 1, the highest possible.

# %% tags=["demo"]
customer_vector_fn = exercises.yours_or_reference("build_customer_vector", build_customer_vector)


def also_bought(stock_code, how_many=5):
    """Top ``how_many`` skus for the product page of ``stock_code``."""
    page = customer_vector_fn({stock_code: 1.0}, sku_index)
    ranked = make_recos_fn(item_similarity, page, how_many + 1)
    recos = [j for j in ranked if index_to_sku[j] != stock_code][:how_many]
    codes = [index_to_sku[j] for j in recos]
    similarity = (item_similarity @ page).toarray().ravel()  # S r: the column of this sku
    return pd.DataFrame({"StockCode": codes,
                         "Description": descriptions.reindex(codes).to_numpy(),
                         "similarity": similarity[recos].round(3)})


for j in np.argsort(-customers_per_sku)[1:4]:
    code = stock_codes[j]
    print(f"{code} {descriptions[code]!r} (bought by {customers_per_sku[j]:.0f} customers)")
    print(also_bought(code).to_string(index=False), end="\n\n")

# %% [markdown]
# #### Recommendations for one real customer
#
# Customer 12350 bought 17 different skus. Their vector $r$ holds a 1 for each (every purchase
# counts the same, as in the similarity). We ask `make_recos` for 10 recommendations plus as many as
# the customer has skus, then drop the ones they already bought.

# %% tags=["demo"]
customer = 12350
their_codes = purchases.loc[purchases["CustomerID"] == customer, "StockCode"].tolist()
print(f"customer {customer} bought:")
print(pd.DataFrame({"StockCode": their_codes,
                    "Description": descriptions.reindex(their_codes).to_numpy()})
      .to_string(index=False))

r_customer = customer_vector_fn({code: 1.0 for code in their_codes}, sku_index)
customer_scores = (item_similarity @ r_customer).toarray().ravel()
ranked = make_recos_fn(item_similarity, r_customer, 10 + len(their_codes))
already_bought = set(their_codes)
new_skus = [j for j in ranked if index_to_sku[j] not in already_bought][:10]
print("\nrecommended (already bought skus removed):")
pd.DataFrame({"StockCode": [index_to_sku[j] for j in new_skus],
              "Description": descriptions.reindex([index_to_sku[j] for j in new_skus]).to_numpy(),
              "score": customer_scores[new_skus].round(2)})

# %% [markdown]
# The customer bought passport covers, luggage tags, metal signs, plasters in tins and a harmonica.
# The list offers other plasters in tins, another harmonica and more metal signs: the same products
# in other designs. The lunch bags and cake cases go the other way: the designs the customer chose
# (spaceboy, red retrospot) on other products. One code in their basket is `POST` (postage), which
# is not a product: the data mixes such service codes with goods, and a production system would drop
# them before computing similarities. Chapter 5 keeps them too, as the original analysis did, and explains why.

# %% [markdown]
# ### The original workshop's neighbourhood prediction
#
# $S r$ sums over *every* sku the customer interacted with, however weakly similar it is. The
# original workshop predicted customer $u$'s score of sku $i$ from its $k$ nearest neighbours only.
# With $N_k(i; u)$ the $k$ skus $j \ne i$ most similar to $i$ among those $u$ interacted with,
#
# $$
# \hat r_{ui} = \sum_{j \in N_k(i; u)} s_{ij}\, r_{uj}
# \qquad \text{or, normalised,} \qquad
# \hat r_{ui} = \frac{\sum_{j \in N_k(i; u)} s_{ij}\, r_{uj}}{\sum_{j \in N_k(i; u)} \lvert s_{ij} \rvert} .
# $$
#
# The first form is $S r$ restricted to the $k$ strongest terms. The normalised form is a
# similarity-weighted *average* of the customer's own scores: it lands on the scale of $r$ (0.5 to
# 8.5 in the toy) and reads as a predicted score. It needs graded scores to say anything: with 0/1
# purchases every $r_{uj}$ is 1, so every sku with at least one neighbour gets exactly 1, and the
# ranking is one big tie. The package's `recommend.neighbourhood_scores(similarity, interactions, k,
# normalise=...)` computes both forms; here they are for the toy customer `c2` with $k = 1$, then the
# unnormalised form for customer 12350 with $k = 5$, compared with the $S r$ list above.

# %% tags=["demo"]
from recsys_workshop.recommend import neighbourhood_scores, top_k_neighbours

toy_c2 = np.array([0.0, 2.5, 8.5])
print("c2, S r:            ", np.round(toy_similarity @ toy_c2, 3))
print("c2, k = 1:          ", np.round(neighbourhood_scores(toy_similarity, toy_c2, 1), 3))
print("c2, k = 1, averaged:", np.round(neighbourhood_scores(toy_similarity, toy_c2, 1,
                                                            normalise=True), 3))

bought_columns = [sku_index[code] for code in their_codes]
k_nearest_scores = neighbourhood_scores(item_similarity, r_customer, 5)
k_nearest_scores[bought_columns] = -np.inf  # never recommend what they already bought
k_nearest_skus = top_n_indices(k_nearest_scores, 10).tolist()
print(f"\ncustomer {customer}, 5 nearest neighbours: "
      f"{len(set(k_nearest_skus) & set(new_skus))} of its top 10 are in the S r top 10")
pd.DataFrame({"StockCode": [index_to_sku[j] for j in k_nearest_skus],
              "Description": descriptions.reindex([index_to_sku[j] for j in k_nearest_skus])
              .to_numpy(),
              "score": k_nearest_scores[k_nearest_skus].round(2)})

# %% [markdown]
# ### Pruning the similarity matrix: $k$ neighbours per sku
#
# Chapter 3 found the similarity matrix of the real shop mostly non-zero (the share of stored pairs
# is printed above, with the best seller's neighbours): one customer who bought both skus is enough to
# make a pair's cosine non-zero. A dense-ish $m \times m$ matrix costs memory and time in $m^2$, and
# its many tiny entries add noise to $S r$. The standard answer of item-based recommenders is to keep,
# for every sku, only its $k$ nearest neighbours: `recommend.top_k_neighbours(S, k)` keeps in each row
# of $S$ its $k$ largest off-diagonal entries, at most $k m$ entries in all, and $S_k r$ scores every
# sku from its own nearest neighbours. (They are the $k$ nearest in the whole catalogue, a slightly
# different neighbourhood from $N_k(i; u)$ above, which picks among the customer's skus; and $S_k$ is
# no longer symmetric.) The cell prints the density before and after pruning to $k = 50$, and how much
# of customer 12350's list survives.

# %% tags=["demo"]
k_neighbours = 50
start = time.perf_counter()
pruned_similarity = top_k_neighbours(item_similarity, k_neighbours)
prune_seconds = time.perf_counter() - start
pairs = np.prod(item_similarity.shape)
print(f"full similarity:    {item_similarity.nnz:>10,} stored entries, "
      f"{item_similarity.nnz / pairs:.1%} of all pairs")
print(f"{k_neighbours} neighbours a sku: {pruned_similarity.nnz:>10,} stored entries, "
      f"{pruned_similarity.nnz / pairs:.1%} of all pairs (pruned in {prune_seconds:.1f} s)")

pruned_ranked = make_recos_fn(pruned_similarity, r_customer, 10 + len(their_codes))
pruned_new = [j for j in pruned_ranked if index_to_sku[j] not in already_bought][:10]
print(f"customer {customer}: {len(set(pruned_new) & set(new_skus))} of the top 10 from the pruned "
      "matrix are in the top 10 from the full one")

# %% [markdown]
# ## Recap
#
# - A customer is a sparse column vector $r$; the scores $S r$ weight every sku by its similarity to
#   what the customer did, in proportion to how strongly they did it.
# - The top $n$ of $m$ scores needs only a partial selection: `np.argpartition` in $O(m)$, then a
#   sort of the $n$ chosen.
# - `make_recos` keeps skus the customer already has; a real "you may also like" list removes them.
#
# Next, chapter 5 builds the purchase matrix itself from the raw Online Retail table, learns latent
# factors with implicit ALS, and measures how well they predict purchases hidden from training.
