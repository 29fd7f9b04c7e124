# %% [markdown]
# # Chapter 2: NumPy and the dense similarity matrix
#
# This chapter introduces NumPy arrays, stores chapter 1's scores in a customers x skus matrix,
# and compares two skus with the **cosine similarity**; then you build the similarity of every pair
# of skus with Python loops.
#
# **Learning goals**
#
# - Use NumPy arrays: element-wise arithmetic, `dtype` and `shape`.
# - Lay out implicit scores as an interactions matrix: customers in rows, skus in columns.
# - Compute the cosine similarity of two skus, with 0 (never `nan`) for an all-zero column.
# - Build the skus x skus similarity matrix with loops (*Going further* measures how it grows).

# %% nbgrader={"grade": false, "grade_id": "ch02-setup", "locked": true, "schema_version": 3, "solution": false}
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.metrics.pairwise import cosine_similarity

from recsys_workshop import exercises
from recsys_workshop.plots import plot_similarity_heatmap, plot_timings
from recsys_workshop.timing import growth_exponent, time_call, time_growth

# %% [markdown]
# ## NumPy arrays are not lists
#
# A Python list holds any objects, one after the other; its operators are about the list as a
# container. A NumPy array holds numbers of **one type**, packed side by side in memory; its
# operators work **element by element**. The same symbols mean very different things:

# %%
prices_list = [2.5, 1.0, 4.0]
prices_array = np.array(prices_list)

print("list  * 2     ->", prices_list * 2)                # the list, repeated
print("array * 2     ->", prices_array * 2)               # every element doubled
print("list  + [1.0] ->", prices_list + [1.0])            # the two lists, concatenated
print("array + 1.0   ->", prices_array + 1.0)             # 1.0 added to every element
print("array * array ->", prices_array * prices_array)    # element by element

# %% [markdown]
# In `prices_array + 1.0` the single number is **broadcast**: NumPy acts as if it were an array of
# the same shape filled with `1.0`.
#
# Every array has a **dtype** (the type of all its elements) and a **shape** (its size along each
# axis). The dtype is fixed when the array is created, and NumPy converts whatever you store into
# it, silently:

# %%
counts = np.array([1, 2, 3])
print("dtype:", counts.dtype, "| shape:", counts.shape, "| ndim:", counts.ndim)

counts[0] = 8.5  # an integer array cannot hold 8.5: it is truncated to 8, without a warning
print("after counts[0] = 8.5:", counts)

scores = np.zeros((2, 3))  # np.zeros makes float64 unless told otherwise
scores[0, 1] = 8.5
print("dtype:", scores.dtype, "| shape:", scores.shape)
print(scores)

# %% [markdown]
# That truncation is a classic bug: an interactions matrix created with an integer dtype turns a
# score of 8.5 into 8 and 0.5 into 0. Scores are fractional, so their matrix must be `float`.

# %% [markdown]
# ## The interactions matrix
#
# The dict of dicts of chapter 1 becomes a two-dimensional array $A$, the **interactions matrix**:
#
# - **one row per customer** (row $u$ is customer index $u$),
# - **one column per sku** (column $i$ is sku index $i$),
# - the cell $A_{ui}$ holds the score of customer $u$ for sku $i$, and **0** where they never
#   interacted.
#
# Here is the original workshop's example, `{0: {0: 0.5}, 1: {1: 8.5, 2: 0.5}, 2: {1: 2.5, 2: 8.5}}`,
# written out by hand:

# %%
toy_matrix = np.array([
    [0.5, 0.0, 0.0],  # customer 0
    [0.0, 8.5, 0.5],  # customer 1
    [0.0, 2.5, 8.5],  # customer 2
])
pd.DataFrame(toy_matrix, index=["customer 0", "customer 1", "customer 2"],
             columns=["sku 0", "sku 1", "sku 2"])

# %% [markdown]
# Indexing reads a cell, a row or a column. `A[u, i]` is one score; `A[u]` (or `A[u, :]`) is a
# customer's row, what they did to every sku; `A[:, i]` is a sku's **column**, what every customer
# did to it. Comparing skus means comparing columns.

# %%
print("score of customer 2 for sku 1:", toy_matrix[2, 1])
print("row of customer 1:            ", toy_matrix[1])
print("column of sku 2:              ", toy_matrix[:, 2])
print("shape (customers, skus):      ", toy_matrix.shape)


# %% [markdown]
# ## Exercise 2.1: `build_interactions_matrix` (1 point)
#
# Write `build_interactions_matrix(interactions_mapping, total_customers, total_skus)`, which turns
# the dict of dicts of chapter 1 into the dense interactions matrix.
#
# - `interactions_mapping` is `{customer_index: {sku_index: score}}` (a `defaultdict` is fine too).
# - Return a NumPy array of shape `(total_customers, total_skus)`: customers in rows, skus in
#   columns. The shape comes from the two totals, not from the largest index in the mapping:
#   customers and skus without any interaction still get their (all-zero) row or column.
# - The dtype is **float**, even when every score happens to be a whole number.
# - Cells without an interaction are `0.0`. An empty mapping gives a matrix of zeros.
# - You may assume that every index is within the shape (the contract does not ask you to check).
#
# For the original example above, the result equals `toy_matrix`.
#
# <details><summary>Hint</summary>
#
# Start from an array of the right shape that is already all zeros, then fill in only the stored
# pairs. Which NumPy function creates such an array, and which dtype does it use by default?
# </details>

# %% nbgrader={"grade": false, "grade_id": "build_interactions_matrix", "locked": false, "schema_version": 3, "solution": true}
def build_interactions_matrix(
    interactions_mapping: Mapping[int, Mapping[int, float]],
    total_customers: int,
    total_skus: int,
) -> np.ndarray:
    """Dense customers x skus matrix of implicit scores.

    Parameters
    ----------
    interactions_mapping : dict
        ``{customer_index: {sku_index: score}}``.
    total_customers, total_skus : int
        The shape of the matrix.

    Returns
    -------
    numpy.ndarray
        Float array of shape ``(total_customers, total_skus)``, 0 where there was no interaction.
    """
    ### BEGIN SOLUTION
    matrix = np.zeros((total_customers, total_skus))
    for customer, sku_scores in interactions_mapping.items():
        for sku, score in sku_scores.items():
            matrix[customer, sku] = score
    return matrix
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_interactions_matrix", "locked": true, "points": 1, "schema_version": 3, "solution": false} tags=["raises-exception"]
examples = [
    exercises.Example("the original workshop's example",
                      ({0: {0: 0.5}, 1: {1: 8.5, 2: 0.5}, 2: {1: 2.5, 2: 8.5}}, 3, 3),
                      np.array([[0.5, 0.0, 0.0], [0.0, 8.5, 0.5], [0.0, 2.5, 8.5]]),
                      hint="Start from zeros and write each score at [customer, sku]."),
    exercises.Example("customers in rows, skus in columns", ({0: {2: 6.0}}, 2, 3),
                      np.array([[0.0, 0.0, 6.0], [0.0, 0.0, 0.0]]),
                      hint="The shape is (total_customers, total_skus), whatever the dict holds."),
]
exercises.check("build_interactions_matrix", build_interactions_matrix, examples)
print("✔ build_interactions_matrix passes every check.")

### BEGIN HIDDEN TESTS
wide = build_interactions_matrix({1: {4: 2.0}, 0: {0: 0.5}}, 3, 5)
assert wide.shape == (3, 5) and wide[1, 4] == 2.0 and wide[0, 0] == 0.5 and wide.sum() == 2.5, \
    "cell [1, 4] should hold customer 1's score for sku 4, and nothing else should be set"
assert build_interactions_matrix({0: {0: 6, 1: 2}}, 1, 2).dtype.kind == "f", \
    "whole-number scores should still give a float matrix"
empty = build_interactions_matrix({}, 2, 4)
assert empty.shape == (2, 4) and not empty.any(), "no interactions should give zeros"
### END HIDDEN TESTS

# %% [markdown]
# ## Cosine similarity
#
# Each sku is now a vector: its column $a \in \mathbb{R}^{m}$, one score per customer. Two skus are
# similar when **the same customers** interact with both, **in similar proportions**. The cosine
# similarity measures exactly that:
#
# $$\cos(a, b) = \frac{a \cdot b}{\lVert a \rVert\,\lVert b \rVert}
# = \frac{\sum_{u=1}^{m} a_u b_u}{\sqrt{\sum_{u} a_u^2}\;\sqrt{\sum_{u} b_u^2}}$$
#
# - The **dot product** $a \cdot b$ adds $a_u b_u$ over the customers. A customer contributes only
#   if they interacted with **both** skus, and contributes more when both scores are high.
# - Dividing by the **norms** removes the overall size of each vector, so a best-seller does not
#   look similar to everything: only the *direction* counts.
# - Implicit scores are never negative, so the similarity lies between **0** (no customer in
#   common) and **1** (the same customers, in the same proportions).
#
# In the example, skus 1 and 2 share customers 1 and 2, but customer 1 mostly engaged with sku 1 and
# customer 2 mostly with sku 2, so they are only mildly similar; sku 0 shares no customer with
# either:

# %%
sku0, sku1, sku2 = toy_matrix[:, 0], toy_matrix[:, 1], toy_matrix[:, 2]
dot = sku1 @ sku2
norms = np.linalg.norm(sku1) * np.linalg.norm(sku2)
print(f"sku1 . sku2 = {dot:.2f}; ||sku1|| ||sku2|| = {norms:.2f}; cosine = {dot / norms:.3f}")
print("sku0 . sku1 =", sku0 @ sku1, "-> no customer in common, cosine 0")

# %% [markdown]
# ### A zero vector must give 0, not `nan`
#
# A sku that nobody interacted with has an all-zero column, and its norm is 0. The formula then
# divides $0$ by $0$, and floating-point arithmetic answers `nan` ("not a number"):

# %%
nobody = np.zeros(3)
with np.errstate(invalid="ignore"):  # NumPy would also print a RuntimeWarning
    naive = (nobody @ sku1) / (np.linalg.norm(nobody) * np.linalg.norm(sku1))
print("naive cosine with an all-zero column:", naive)
print("nan == nan is", naive == naive, "(nan is unequal even to itself)")
print("nan + 1.0     ->", naive + 1.0)
print("max(0.3, nan) ->", max(0.3, naive))
print("max(nan, 0.3) ->", max(naive, 0.3))


# %% [markdown]
# A single `nan` poisons everything downstream: any sum that touches it is `nan`, and sorting and
# `max` give answers that depend on where it sits (as the two `max` calls above show). For a
# recommender the sensible value is **0**: a sku with no interactions gives no evidence of
# similarity to anything. So the rule of this workshop
# is: **when either vector is all zeros, the similarity is 0.0.**
#
# ## Exercise 2.2: `compute_similarity` (1 point)
#
# Write `compute_similarity(array1, array2)`, the cosine similarity of two 1-d arrays.
#
# - Return a `float`: $\frac{a \cdot b}{\lVert a \rVert\,\lVert b \rVert}$.
# - Return `0.0` when either array is all zeros (its norm is 0). Never return `nan`.
# - Arrays of different lengths raise `ValueError`, with a message that gives both lengths.
# - Integer arrays work too. Negative values are allowed (the formula does not care), even though
#   implicit scores are never negative.
# - Do not modify the inputs.
#
# <details><summary>Hint</summary>
#
# `np.linalg.norm` computes $\lVert a \rVert$ and `a @ b` the dot product. Decide what to return
# *before* you divide.
# </details>

# %% nbgrader={"grade": false, "grade_id": "compute_similarity", "locked": false, "schema_version": 3, "solution": true}
def compute_similarity(array1: np.ndarray, array2: np.ndarray) -> float:
    """Cosine similarity of two 1-d arrays; 0.0 when either is all zeros.

    Parameters
    ----------
    array1, array2 : numpy.ndarray
        1-d arrays of the same length.

    Returns
    -------
    float
        ``array1 . array2 / (||array1|| ||array2||)``, or 0.0 if a norm is 0.

    Raises
    ------
    ValueError
        If the arrays differ in length.
    """
    ### BEGIN SOLUTION
    a = np.asarray(array1, dtype=float)
    b = np.asarray(array2, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"the arrays differ in length: {len(a)} and {len(b)}")
    norm_product = np.linalg.norm(a) * np.linalg.norm(b)
    if norm_product == 0:
        return 0.0
    return float(a @ b / norm_product)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_compute_similarity", "locked": true, "points": 1, "schema_version": 3, "solution": false} tags=["raises-exception"]
examples = [
    exercises.Example("orthogonal vectors give 0", (np.array([1.0, 0.0]), np.array([0.0, 3.0])),
                      0.0, hint="The dot product of orthogonal vectors is 0."),
    exercises.Example("parallel vectors of different lengths give 1",
                      (np.array([1.0, 2.0]), np.array([2.0, 4.0])), 1.0,
                      hint="Divide the dot product by the product of the two norms."),
    exercises.Example("skus 1 and 2 of the original example give about 0.338",
                      (np.array([0.0, 8.5, 2.5]), np.array([0.0, 0.5, 8.5])),
                      hint="cosine = dot(a, b) / (norm(a) * norm(b))"),
    exercises.Example("an all-zero vector gives 0.0, not nan",
                      (np.zeros(3), np.array([1.0, 2.0, 3.0])), 0.0,
                      hint="When a norm is 0, return 0.0 instead of dividing by it."),
]
exercises.check("compute_similarity", compute_similarity, examples)
print("✔ compute_similarity passes every check.")

### BEGIN HIDDEN TESTS
try:
    compute_similarity(np.array([1.0, 2.0]), np.array([1.0, 2.0, 3.0]))
except ValueError:
    pass
else:
    raise AssertionError("arrays of different lengths should raise ValueError")
assert compute_similarity(np.zeros(4), np.zeros(4)) == 0.0, "two zero vectors should give 0.0"
assert abs(compute_similarity(np.array([1.0, -2.0]), np.array([-1.0, 2.0])) + 1.0) < 1e-9, \
    "opposite vectors should give -1"
assert abs(compute_similarity(np.array([1, 1]), np.array([0, 1])) - 2 ** -0.5) < 1e-9, \
    "integer arrays should work"
### END HIDDEN TESTS

# %% [markdown]
# ## Exercise 2.3: `build_similarity_matrix` (2 points)
#
# Now compare **every** pair of skus. Write `build_similarity_matrix(interactions_matrix)`, which
# returns the skus x skus matrix $S$ with $S_{ij} = \cos(\text{column } i, \text{column } j)$.
#
# - The input is a dense customers x skus array; the result is a float array of shape
#   `(n_skus, n_skus)`. Careful: compare **columns** (skus), not rows (customers).
# - Build it the straightforward way, as the contract asks: **Python loops over the pairs of
#   columns**, calling your `compute_similarity` from exercise 2.2 for each pair. (Chapter 3 does
#   it without loops; here we want the slow version, to measure it.)
# - A column of zeros (a sku nobody interacted with) gives a row and a column of 0 in $S$,
#   including its diagonal cell: it is not similar even to itself, as `compute_similarity` says.
# - $S$ is symmetric ($S_{ij} = S_{ji}$). You may compute each pair once and fill both cells, or
#   compute all $n^2$ cells; both are accepted.
# - Do not modify the input.
#
# For the original example the result is, rounded to three decimals,
#
# $$S = \begin{pmatrix} 1 & 0 & 0 \\ 0 & 1 & 0.338 \\ 0 & 0.338 & 1 \end{pmatrix}.$$
#
# <details><summary>Hint</summary>
#
# `interactions_matrix.shape[1]` is the number of skus, and `interactions_matrix[:, i]` is the
# column of sku `i`. Allocate the result first, then fill it cell by cell.
# </details>
#
# <details><summary>Hint 2</summary>
#
# For the symmetric shortcut, let the inner loop start at the outer loop's index.
# </details>

# %% nbgrader={"grade": false, "grade_id": "build_similarity_matrix", "locked": false, "schema_version": 3, "solution": true}
def build_similarity_matrix(interactions_matrix: np.ndarray) -> np.ndarray:
    """Skus x skus cosine similarity, with Python loops over the pairs of columns.

    Parameters
    ----------
    interactions_matrix : numpy.ndarray
        Dense customers x skus matrix.

    Returns
    -------
    numpy.ndarray
        Symmetric ``(n_skus, n_skus)`` float array; all-zero skus give rows and columns of 0.
    """
    ### BEGIN SOLUTION
    n_skus = interactions_matrix.shape[1]
    similarity = np.zeros((n_skus, n_skus))
    for i in range(n_skus):
        for j in range(i, n_skus):
            value = compute_similarity(interactions_matrix[:, i], interactions_matrix[:, j])
            similarity[i, j] = value
            similarity[j, i] = value
    return similarity
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_similarity_matrix", "locked": true, "points": 2, "schema_version": 3, "solution": false} tags=["raises-exception"]
toy = np.array([[0.5, 0.0, 0.0], [0.0, 8.5, 0.5], [0.0, 2.5, 8.5]])
three_by_four = np.array([[1.0, 0.0, 2.0, 0.0], [0.0, 3.0, 1.0, 0.5], [4.0, 1.0, 0.0, 2.0]])
examples = [
    exercises.Example("the original workshop's example (about 0.338 between skus 1 and 2)",
                      (toy,), hint="Cell [i, j] is compute_similarity of columns i and j."),
    exercises.Example("3 customers x 4 skus give a 4 x 4 matrix", (three_by_four,),
                      hint="Compare the columns (skus) of the matrix, not its rows."),
]
exercises.check("build_similarity_matrix", build_similarity_matrix, examples)
print("✔ build_similarity_matrix passes every check.")

### BEGIN HIDDEN TESTS
with_empty_sku = build_similarity_matrix(np.array([[1.0, 0.0, 2.0], [3.0, 0.0, 1.0]]))
assert not np.isnan(with_empty_sku).any(), "an all-zero column should not give nan"
assert not with_empty_sku[1].any() and not with_empty_sku[:, 1].any(), \
    "an all-zero column should give a row and a column of zeros"
result = build_similarity_matrix(three_by_four)
assert np.allclose(result, result.T), "the similarity matrix should be symmetric"
assert np.allclose(np.diag(result), 1.0), "every non-zero sku should have similarity 1 with itself"
assert np.allclose(result, cosine_similarity(three_by_four.T)), \
    "the values should match scikit-learn's cosine_similarity of the columns"
### END HIDDEN TESTS

# %% [markdown]
# The similarity matrix of the original example (with your function once it passes), as a heatmap:
# the darker a cell, the more alike its two skus.

# %%
similarity_fn = exercises.yours_or_reference("build_similarity_matrix", build_similarity_matrix)
toy_similarity = similarity_fn(toy_matrix)
plot_similarity_heatmap(toy_similarity, labels=["sku 0", "sku 1", "sku 2"],
                        title="Cosine similarity of the example's skus")
plt.show()

# %% [markdown]
# ## Going further (optional)
#
# The core path of this chapter ends here. The sections below go deeper: read them after the workshop, or now if you are ahead. They hold no graded exercise, and the recap after them covers the core path.

# %% [markdown]
# ### Why vectorised code is fast
#
# A loop over a list runs Python's interpreter once per element: fetch the object, check its type,
# look up how to multiply it, allocate a new number object for the result, and so on. An array
# operation such as `values @ values` makes **one** Python call; the loop over the elements then
# runs in compiled code, on raw numbers, with no per-element bookkeeping. Same sum of squares, two
# ways. `time_call` returns the best of three runs, in seconds; `threads=1` keeps NumPy's compiled
# libraries on a single core during the measurement, as the Python loop is, so that the comparison
# is fair (it also keeps a busy machine from disturbing multi-threaded code erratically):

# %% tags=["demo"]
n = 300_000
values_list = [float(i) for i in range(n)]
values_array = np.arange(n, dtype=float)

list_seconds = time_call(lambda: sum(x * x for x in values_list), threads=1)
array_seconds = time_call(lambda: values_array @ values_array, threads=1)
print(f"Python loop over a list: {list_seconds * 1000:8.3f} ms")
print(f"NumPy dot product:       {array_seconds * 1000:8.3f} ms "
      f"({list_seconds / array_seconds:.0f} times faster)")

# %% [markdown]
# Keep that ratio in mind: the rest of the workshop is largely about pushing loops out of Python and
# into compiled code.

# %% [markdown]
# ### How slow is slow?
#
# Count the work. With $n$ skus there are $n^2$ cells, and $\frac{n(n+1)}{2}$ pairs to compute once
# the symmetry is used (each sku with itself included). Each pair runs `compute_similarity` on two
# columns of $m$ customers: about $n^2 m / 2$ multiplications for the dot products, and twice as
# many again for the norms, which are recomputed for every pair. The multiplications themselves are
# cheap, because `compute_similarity` hands each column to NumPy. What costs is everything around
# them, paid once per pair **by the Python interpreter**: a Python function call, two column slices
# (each a new array object), the two norms, the checks, the division, the conversion to `float`.
# That adds up to microseconds per pair, even when the columns are tiny.
#
# Time one call on two columns of a matrix with as many customers as the real shop of chapter 5
# (4,338), and multiply by the number of pairs of its 3,664 skus:

# %% tags=["demo"]
cosine_fn = exercises.yours_or_reference("compute_similarity", compute_similarity)
rng = np.random.default_rng(0)
shop_like = rng.random((4_338, 2))  # 4,338 customers x 2 skus
column_a, column_b = shop_like[:, 0], shop_like[:, 1]

seconds_per_pair = time_call(cosine_fn, column_a, column_b, repeat=20, threads=1)
seconds_numpy_only = time_call(np.dot, column_a, column_b, repeat=20, threads=1)
n_skus = 3_664
pairs = n_skus * (n_skus + 1) // 2
print(f"one compute_similarity call:  {seconds_per_pair * 1e6:6.1f} µs "
      f"(the dot product alone: {seconds_numpy_only * 1e6:.1f} µs)")
print(f"{n_skus:,} skus -> {pairs:,} pairs -> about {pairs * seconds_per_pair:.0f} s with loops")


# %% [markdown]
# The estimate is of the order of a minute for one similarity matrix of a modest shop, and the
# number of pairs grows with the **square** of the catalogue: ten times more skus, a hundred times
# longer. A shop with 100,000 products would wait for many hours.
#
# #### Measuring the growth
#
# Let us measure it instead of estimating it. `random_interactions(n_skus)` makes a seeded random
# interactions matrix with 1,000 customers, where each customer interacted with about 5% of the
# skus (real data are sparser, but it does not change the loops' cost). `time_growth` times each
# function on growing numbers of skus, best of three runs on one thread, and stops timing a
# function once a call takes longer than `max_seconds`, so the slow version cannot hold the notebook
# up.
#
# For contrast, the same matrix from scikit-learn's `cosine_similarity`, which compares the
# **rows** of its input (hence the transpose `.T`) and does the whole computation in compiled code.
# Both produce the same numbers:

# %%
def random_interactions(n_skus: int, n_customers: int = 1_000, density: float = 0.05) -> np.ndarray:
    """Seeded random customers x skus scores, about `density` of the cells non-zero."""
    rng = np.random.default_rng(0)
    scores = rng.choice([0.5, 2.0, 2.5, 6.0, 8.5], size=(n_customers, n_skus))
    interacted = rng.random((n_customers, n_skus)) < density
    return np.where(interacted, scores, 0.0)


sample = random_interactions(30)
assert np.allclose(similarity_fn(sample), cosine_similarity(sample.T))
print("same matrix:", sample.shape, "->", similarity_fn(sample).shape)

# %% tags=["demo"]
loops_name, sklearn_name = "Python loops over pairs (2.3)", "scikit-learn cosine_similarity"
functions = {
    loops_name: similarity_fn,
    sklearn_name: lambda matrix: cosine_similarity(matrix.T),
}
timings = time_growth(functions, sizes=[10, 20, 40, 80, 160], make_input=random_interactions,
                      max_seconds=0.5, threads=1)

plot_timings(timings, title="Skus x skus cosine similarity, 1,000 customers",
             xlabel="number of skus $n$")
plt.show()

for name, points in timings.items():
    sizes_measured = [size for size, _ in points]
    print(f"{name}: measured up to n = {sizes_measured[-1]}, "
          f"time grows like n^{growth_exponent(points[-3:]):.1f} over the last sizes")

largest, loops_seconds = timings[loops_name][-1]
sklearn_seconds = dict(timings[sklearn_name])[largest]
print(f"at n = {largest}: loops {loops_seconds * 1000:.1f} ms, scikit-learn "
      f"{sklearn_seconds * 1000:.2f} ms ({loops_seconds / sklearn_seconds:.0f} times faster)")
print(f"loops extrapolated to 3,664 skus (times (3664 / {largest})^2): "
      f"about {loops_seconds * (3_664 / largest) ** 2:.0f} s")

# %% [markdown]
# On log-log axes a time proportional to $n^k$ is a straight line of slope $k$, and the exponents
# printed above are those slopes, measured over the last sizes. For the loops, expect a value near
# **2**: doubling the skus multiplies the time by about 4, as counted above. scikit-learn computes the
# same $n^2$ cells, so in the long run its time grows like $n^2$ too; at these small sizes fixed
# costs can flatten its curve and cache effects steepen it, so compare the two printed exponents on
# your machine rather than expect one to be flatter. What separates the
# two curves is not their slope but their height: each cell costs nanoseconds of compiled code
# instead of microseconds of interpreter, so the scikit-learn curve lies far below the loops at every
# size, and the ratio printed above for the largest size is large. The last line extrapolates the
# loops to the real catalogue with the $n^2$ law: the same ballpark as the estimate from a single
# call above.
#
# In chapter 3 you reach that speed with your own code, by writing the whole similarity matrix as
# a product of matrices, and then go further with sparse matrices, which skip the zeros altogether.

# %% [markdown]
# ## Recap
#
# - NumPy arrays hold numbers of one `dtype` in a fixed `shape`; an integer array silently truncates
#   `8.5` to `8`: scores need `float`.
# - The interactions matrix has customers in rows and skus in columns; a sku is its column.
# - $\cos(a, b)$ compares *which* customers interacted and in what proportions; for implicit scores
#   it lies in $[0, 1]$, and an all-zero column gets 0, never `nan`.
# - Loops over all pairs of columns cost about $n^2/2$ interpreter round trips: fine for the toy,
#   far too slow for a real shop.
#
# Next: `03_sparse_similarity`, where the similarity matrix becomes a few lines of linear algebra and
# the interactions matrix becomes sparse.
