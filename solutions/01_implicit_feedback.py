# %% [markdown]
# # Chapter 1: From events to implicit feedback
#
# A recommender learns from what customers did. Before any similarity or any model, we have to
# turn a log of events ("customer c1 browsed sku s2") into numbers a computer can work with. This
# chapter does that in two steps: give every customer and every sku (product) a row or column
# number, then add up the events of each customer-sku pair into one score.
#
# **Learning goals**
#
# - Tell explicit feedback from implicit feedback, and explain why an implicit score measures
#   *confidence*, not a rating.
# - Score events: browse 0.5, add to cart 2, purchase 6, summed per customer and sku.
# - Explain why customer and sku ids are mapped to contiguous indices $0, 1, \dots, n-1$.
# - Store the scores sparsely, as a dict of dicts, and build it from the raw events.

# %% nbgrader={"grade": false, "grade_id": "ch01-setup", "locked": true, "schema_version": 3, "solution": false}
from collections.abc import Hashable, Iterable, Mapping, Sequence

import pandas as pd

from recsys_workshop import exercises

# %% [markdown]
# ## Explicit and implicit feedback
#
# **Explicit feedback** is an opinion a user states on purpose: five stars for a film, a thumbs
# down for a song. It has a direction (liked or disliked) and a scale, but few people bother to
# give it: most users rate almost nothing.
#
# **Implicit feedback** is what users do anyway: they browse a product page, add an item to their
# cart, buy it, play a song to the end. A shop collects it for every visit, so there is far more
# of it. But it has no minus sign:
#
# - A purchase says *this customer was interested in this product*. It does not say they liked it
#   afterwards; it may even have been a gift.
# - The **absence** of an event is not a dislike. Most customers never saw most products. A zero
#   means "we do not know", not "they would hate it".
# - Events differ in **strength**. A browse is a weak sign (curiosity, a misclick), putting the item
#   in the cart is stronger, paying for it is the strongest. The more often and the more strongly
#   someone interacts with a product, the more **confident** we are that they are interested.
#
# So an implicit score is not a rating on a scale from bad to good. It is a measure of how sure we
# are that a customer is interested. Hu, Koren and Volinsky (2008), whose ALS model you train in
# chapter 5, make that split explicit: from a raw score $r_{ui} \ge 0$ of customer $u$ and item $i$
# they derive a **preference** and a **confidence**
# $$p_{ui} = \begin{cases} 1 & \text{if } r_{ui} > 0 \\ 0 & \text{otherwise} \end{cases}
# \qquad\qquad c_{ui} = 1 + \alpha\, r_{ui},$$
# where $\alpha > 0$ is a constant chosen by hand (chapter 5 uses 15). Every pair counts, even one
# with no event: it gets preference 0, but only the lowest confidence, $c_{ui} = 1$, because a
# missing event proves little. Pairs with strong evidence count much more.
#
# ## Scoring events
#
# The original workshop (2019) gave each kind of event a fixed score:
#
# | event | name in the data | score |
# | --- | --- | --- |
# | browsed the product page | `Browsed` | 0.5 |
# | added the product to the cart | `AddedToCart` | 2.0 |
# | bought the product | `Purchased` | 6.0 |
#
# The score of a customer-sku pair is the **sum** over all its events. A customer who browsed a sku,
# put it in the cart and bought it scores $0.5 + 2 + 6 = 8.5$; one who browsed it twice scores
# $0.5 + 0.5 = 1$. A purchase weighs twelve browses.
#
# These weights are a modelling choice, not a law: someone picked them by hand. Another shop might
# weigh a purchase 10 or count only purchases. In chapter 5 the Online Retail data holds only
# purchases, and the quantity bought plays the role of the score.
#
# ## The original workshop's events
#
# Here are the events of the original workshop's example: three customers, three skus. Each record
# maps one customer to the list of their events, and each event maps a sku to what happened.

# %%
original_events = [
    {"c0": [{"s0": "Browsed"}]},
    {"c1": [{"s1": "Browsed"}, {"s1": "AddedToCart"}, {"s1": "Purchased"}, {"s2": "Browsed"}]},
    {"c2": [{"s1": "Browsed"}, {"s2": "Browsed"}, {"s1": "AddedToCart"},
            {"s2": "AddedToCart"}, {"s2": "Purchased"}]},
]

for record in original_events:
    for customer, events in record.items():
        print(customer, "->", events)

# %% [markdown]
# Read it as a story: `c0` only glanced at `s0`. `c1` went all the way with `s1` (browse, cart,
# purchase: $8.5$) and glanced at `s2` ($0.5$). `c2` looked at both `s1` and `s2` and put both in the
# cart, but bought only `s2`: $0.5 + 2 = 2.5$ for `s1` and $0.5 + 2 + 6 = 8.5$ for `s2`. Notice that
# the events of one customer can come in any order and that the same sku appears several times.
#
# ## From ids to indices
#
# In the next chapters the scores go into a matrix with **one row per customer and one column per
# sku**. A NumPy or SciPy matrix is indexed by integers $0, 1, \dots, n-1$, but ids are not like
# that: here they are strings such as `"c1"` and `"s2"`; in the Online Retail data customer ids are
# numbers such as `17850` and stock codes are strings such as `"85123A"`. We cannot use
# `"85123A"` as a column number, and using the customer ids themselves as row numbers would need
# 18,288 rows (they go up to 18287) for fewer than 4,400 customers.
#
# So we give each distinct id an **index**: a dict `{id: index}` whose values are exactly
# $0, 1, \dots, n-1$, with no gap and no repeat. Then the cell of customer `c` and sku `s` is
# `matrix[customers[c], skus[s]]`, the matrix has exactly as many rows as customers and as many
# columns as skus, and a dict lookup finds an index in constant time.
#
# Any one-to-one numbering works, as long as the same mapping is used everywhere. This chapter
# numbers ids in their **order of first appearance**, which needs no sorting and makes the result
# easy to predict; chapter 5 sorts the ids instead.

# %%
customers = {"c0": 0, "c1": 1, "c2": 2}
skus = {"s0": 0, "s1": 1, "s2": 2}

row, column = customers["c2"], skus["s1"]
print(f"customer c2 is row {row}, sku s1 is column {column}")
print("the matrix needs", len(customers), "rows and", len(skus), "columns")


# %% [markdown]
# ## Exercise 1.1: `build_index_mapping` (1 point)
#
# Write `build_index_mapping(values)`, which gives every distinct value an index, in order of first
# appearance.
#
# - The first distinct value gets `0`, the next new one `1`, and so on up to `n - 1` for `n`
#   distinct values.
# - A value that appears again keeps the index it got the first time.
# - `values` may be any iterable: a list, a tuple, or a **generator**, which can be read only once
#   and has no length. Go through it once, from start to end.
# - An empty input gives `{}`.
# - Return a plain `dict`. Since Python 3.7 a dict remembers insertion order, so its keys come out
#   in order of first appearance too.
# - The values only need to be hashable (strings, numbers, tuples...); you do not need to check them.
#
# For example, `build_index_mapping(["b", "a", "b", "c"])` returns `{"b": 0, "a": 1, "c": 2}`.
#
# <details><summary>Hint</summary>
#
# When you meet a value you have not seen yet, which index should it get? Think about how many
# distinct values you have seen before it, and where that number is already stored.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `value in mapping` tells you in constant time whether a dict already has a key.
# Do not sort the values and do not call `len(values)`: a generator has no length.
# </details>

# %% nbgrader={"grade": false, "grade_id": "build_index_mapping", "locked": false, "schema_version": 3, "solution": true}
def build_index_mapping(values: Iterable[Hashable]) -> dict[Hashable, int]:
    """Map each distinct value to an index 0..n-1 in order of first appearance.

    Parameters
    ----------
    values : iterable of hashable
        A list, tuple, generator... A repeated value keeps its first index.

    Returns
    -------
    dict
        ``{value: index}``; ``{}`` for an empty input.
    """
    ### BEGIN SOLUTION
    mapping = {}
    for value in values:
        if value not in mapping:
            mapping[value] = len(mapping)
    return mapping
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_index_mapping", "locked": true, "points": 1, "schema_version": 3, "solution": false}
assert build_index_mapping(["c0", "c1", "c2"]) == {"c0": 0, "c1": 1, "c2": 2}, \
    "the original workshop's customers should get 0, 1, 2"
assert build_index_mapping(["s0", "s1", "s1", "s1", "s2", "s1", "s2", "s1", "s2", "s2"]) \
    == {"s0": 0, "s1": 1, "s2": 2}, "a repeated sku should keep its first index"
assert build_index_mapping(["z", "a", "m"]) == {"z": 0, "a": 1, "m": 2}, \
    "indices follow first appearance, not alphabetical order"

exercises.check("build_index_mapping", build_index_mapping)
print("✔ build_index_mapping passes every check.")

### BEGIN HIDDEN TESTS
assert build_index_mapping([]) == {}, "an empty input should give {}"
assert build_index_mapping(iter([7, 3, 7, 1, 3])) == {7: 0, 3: 1, 1: 2}, \
    "a one-shot iterator should work"
assert build_index_mapping((x % 3 for x in range(10))) == {0: 0, 1: 1, 2: 2}, \
    "a generator should work"
result = build_index_mapping(["q", "p", "q", "r"])
assert list(result) == ["q", "p", "r"] and sorted(result.values()) == [0, 1, 2], \
    "keys in order of first appearance, values exactly 0..n-1"
### END HIDDEN TESTS

# %% [markdown]
# ## Dict of dicts: a sparse representation
#
# Now the scores. We could store them in a full table with a cell for every customer and every sku,
# but almost all of those cells would be empty. In the Online Retail data of chapter 5, 4,338
# customers and 3,664 skus make 15,894,432 possible pairs, of which only 266,723 (1.7%) ever
# occurred. A full table would spend 98% of its memory on zeros.
#
# A **sparse** representation stores only what occurred. A simple one in plain Python is a dict of
# dicts: the outer dict maps a customer index to an inner dict, which maps a sku index to the score
# of that pair.
#
# $$\{\ \text{customer index}: \{\ \text{sku index}: \text{score}\ \}\ \}$$
#
# Looking up a score, listing what a customer did, or counting the stored pairs are all one-liners:

# %%
toy_interactions = {0: {0: 0.5}, 1: {1: 8.5, 2: 0.5}}

print("score of customer 1 for sku 1:", toy_interactions[1][1])
print("score of customer 1 for sku 0:", toy_interactions[1].get(0, 0.0), "(not stored, so 0)")
print("what customer 1 did:", toy_interactions[1])
print("stored pairs:", sum(len(scores) for scores in toy_interactions.values()))


# %% [markdown]
# The one thing to remember: a missing key means a score of zero, not an error. Code that reads the
# dict therefore uses `.get(key, 0.0)`, since plain indexing such as `toy_interactions[1][0]` raises
# `KeyError` for a pair that never occurred. Chapter 3 replaces the dict of dicts with SciPy's sparse
# matrices, which store the same pairs far more compactly and support linear algebra.
#
# ## Exercise 1.2: `build_interactions_mapping` (2 points)
#
# Write `build_interactions_mapping(input_data, customers_mapping, skus_mapping)`, which turns the
# raw events into the dict of dicts of scores.
#
# - `input_data` is a list of records like `original_events` above: each record is
#   `{customer: [event_dict, ...]}`, and each event dict maps a sku to an event name.
# - `customers_mapping` and `skus_mapping` are index mappings such as `build_index_mapping`
#   returns. Use them to turn ids into indices; do not number the ids yourself.
# - Scores: `Browsed` 0.5, `AddedToCart` 2.0, `Purchased` 6.0. The score of a pair is the **sum**
#   of the scores of all its events, across **all records**: a customer may appear in several
#   records, and their events all count.
# - Return `{customer_index: {sku_index: score}}` holding **only the pairs that occurred**. A
#   customer whose event list is empty gets no entry. Scores are floats. A `defaultdict` (outer or
#   inner) is accepted too, since it compares equal to the plain dict.
# - An event dict usually holds one sku, but it may hold several: count each `sku: name` pair in
#   it as one event.
# - An unknown event name (say `"Clicked"`) raises `ValueError`, with a message that names it.
# - A customer or sku missing from its mapping raises `KeyError`, naming the missing id.
# - Do not modify `input_data` or the mappings.
#
# For the original events, the result is `{0: {0: 0.5}, 1: {1: 8.5, 2: 0.5}, 2: {1: 2.5, 2: 8.5}}`.
#
# <details><summary>Hint</summary>
#
# Four nested loops reach every single event: over the records, over the `customer: events` items
# of a record, over the event dicts in that list, and over the `sku: name` items of each event dict.
# Keep the three event scores in a small dict inside your function.
# </details>
#
# <details><summary>Hint 2</summary>
#
# When a pair is met for the second time, add to its score instead of replacing it. `dict.get(key,
# default)` and `dict.setdefault(key, default)` save you an `if`. A dict lookup of a missing key
# already raises `KeyError`; an unknown event name should raise `ValueError`, so that one needs
# a check of your own.
# </details>

# %% nbgrader={"grade": false, "grade_id": "build_interactions_mapping", "locked": false, "schema_version": 3, "solution": true}
def build_interactions_mapping(
    input_data: Sequence[Mapping[Hashable, Sequence[Mapping[Hashable, str]]]],
    customers_mapping: Mapping[Hashable, int],
    skus_mapping: Mapping[Hashable, int],
) -> dict[int, dict[int, float]]:
    """Sum the implicit score of every event, per customer index and sku index.

    Parameters
    ----------
    input_data : list of dict
        Records ``{customer: [{sku: event_name}, ...]}``.
    customers_mapping, skus_mapping : dict
        ``{id: index}`` as built by ``build_index_mapping``.

    Returns
    -------
    dict
        ``{customer_index: {sku_index: score}}`` for the pairs that occurred.

    Raises
    ------
    ValueError
        If an event name is not ``Browsed``, ``AddedToCart`` or ``Purchased``.
    KeyError
        If a customer or a sku is not in its mapping.
    """
    ### BEGIN SOLUTION
    event_scores = {"Browsed": 0.5, "AddedToCart": 2.0, "Purchased": 6.0}
    interactions = {}
    for record in input_data:
        for customer, events in record.items():
            if customer not in customers_mapping:
                raise KeyError(f"customer {customer!r} is not in customers_mapping")
            customer_index = customers_mapping[customer]
            for event in events:
                for sku, event_name in event.items():
                    if sku not in skus_mapping:
                        raise KeyError(f"sku {sku!r} is not in skus_mapping")
                    if event_name not in event_scores:
                        raise ValueError(
                            f"unknown event name {event_name!r}; "
                            f"expected one of {sorted(event_scores)}"
                        )
                    sku_index = skus_mapping[sku]
                    scores = interactions.setdefault(customer_index, {})
                    scores[sku_index] = scores.get(sku_index, 0.0) + event_scores[event_name]
    return interactions
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_interactions_mapping", "locked": true, "points": 2, "schema_version": 3, "solution": false}
events = [
    {"c0": [{"s0": "Browsed"}]},
    {"c1": [{"s1": "Browsed"}, {"s1": "AddedToCart"}, {"s1": "Purchased"}, {"s2": "Browsed"}]},
    {"c2": [{"s1": "Browsed"}, {"s2": "Browsed"}, {"s1": "AddedToCart"},
            {"s2": "AddedToCart"}, {"s2": "Purchased"}]},
]
customers_mapping = {"c0": 0, "c1": 1, "c2": 2}
skus_mapping = {"s0": 0, "s1": 1, "s2": 2}
assert build_interactions_mapping(events, customers_mapping, skus_mapping) == \
    {0: {0: 0.5}, 1: {1: 8.5, 2: 0.5}, 2: {1: 2.5, 2: 8.5}}, \
    "the original workshop's example"
assert build_interactions_mapping([{"c1": [{"s2": "Purchased"}, {"s2": "Purchased"}]}],
                                  customers_mapping, skus_mapping) == {1: {2: 12.0}}, \
    "two purchases of the same sku should add up to 12.0"

exercises.check("build_interactions_mapping", build_interactions_mapping)
print("✔ build_interactions_mapping passes every check.")

### BEGIN HIDDEN TESTS
assert build_interactions_mapping([], customers_mapping, skus_mapping) == {}, \
    "no records should give {}"
assert build_interactions_mapping(
    [{"b": [{"y": "AddedToCart"}]}, {"a": [{"x": "Browsed"}]}, {"b": [{"y": "Browsed"}]}],
    {"a": 1, "b": 0}, {"x": 0, "y": 1}) == {0: {1: 2.5}, 1: {0: 0.5}}, \
    "indices come from the mappings, and records of the same customer add up"
try:
    build_interactions_mapping([{"c0": [{"s0": "Liked"}]}], customers_mapping, skus_mapping)
except ValueError:
    pass
else:
    raise AssertionError("an unknown event name should raise ValueError")
for bad_data in ([{"c9": [{"s0": "Browsed"}]}], [{"c0": [{"s9": "Browsed"}]}]):
    try:
        build_interactions_mapping(bad_data, customers_mapping, skus_mapping)
    except KeyError:
        pass
    else:
        raise AssertionError(f"an id missing from its mapping should raise KeyError: {bad_data}")
### END HIDDEN TESTS

# %% [markdown]
# ## Putting it together
#
# Now the whole pipeline on the original events: number the customers and the skus, then score
# every pair. The cell uses your functions once they pass their checks, and the reference
# implementations until then.

# %%
index_fn = exercises.yours_or_reference("build_index_mapping", build_index_mapping)
interactions_fn = exercises.yours_or_reference("build_interactions_mapping",
                                               build_interactions_mapping)

# Every customer id and every sku id, in the order they appear in the events.
customer_ids, sku_ids = [], []
for record in original_events:
    for customer, events in record.items():
        customer_ids.append(customer)
        for event in events:
            sku_ids.extend(event)  # the keys of an event dict are its skus

customers_mapping = index_fn(customer_ids)
skus_mapping = index_fn(sku_ids)
interactions = interactions_fn(original_events, customers_mapping, skus_mapping)

print("customers:", customers_mapping)
print("skus:     ", skus_mapping)
print("interactions:")
for customer_index, scores in interactions.items():
    print(f"  customer {customer_index}: {scores}")

# %% [markdown]
# Laid out as a table (customers in rows, skus in columns), the same scores show how much of it is
# empty: the cells marked `NaN` (pandas' marker for a missing value) are the pairs the dict of dicts
# never stored.

# %%
pd.DataFrame.from_dict(interactions, orient="index").sort_index().sort_index(axis=1)

# %% [markdown]
# Even in this tiny example, 4 of the 9 cells are empty. In chapter 2 you turn the dict of dicts
# into a NumPy matrix, with zeros in those cells, and compare skus by their columns.
#
# ## Recap
#
# - Explicit feedback is a stated opinion; implicit feedback is behaviour, plentiful but one-sided.
# - An implicit score measures **confidence** that a customer is interested: a missing event means
#   "unknown", not "dislike", and stronger events (browse 0.5, cart 2, purchase 6) count more.
# - Ids become contiguous indices $0, \dots, n-1$, in order of first appearance, so that customers
#   and skus can be the rows and columns of a matrix.
# - A dict of dicts `{customer_index: {sku_index: score}}` stores only the pairs that occurred: a
#   first sparse representation.
#
# Next: `02_dense_similarity`, where the scores become a NumPy matrix and skus get compared by
# cosine similarity.
