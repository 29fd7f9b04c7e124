# %% [markdown]
# # Chapter 1: From events to implicit feedback
#
# A recommender learns from what customers did. This chapter turns a log of events ("customer c1
# browsed sku s2") into numbers: every customer and every sku (product) gets a row or column number,
# and the events of each customer-sku pair add up to one score.
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
# **Explicit feedback** is an opinion stated on purpose (five stars, a thumbs down); few people
# bother to give it. **Implicit feedback** is what users do anyway: browse a product page, add an
# item to the cart, buy it. There is far more of it, but it has no minus sign:
#
# - A purchase says *this customer was interested in this product*, not that they liked it (it may
#   have been a gift).
# - The **absence** of an event is not a dislike: most customers never saw most products. A zero
#   means "we do not know".
# - Events differ in **strength**: a browse is a weak sign, a purchase the strongest. The more often
#   and the more strongly someone interacts with a product, the more **confident** we are that they
#   are interested.
#
# So an implicit score is not a rating from bad to good: it measures how sure we are that a
# customer is interested.
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
# ## The original workshop's events
#
# Here are the events of the original workshop's example: three customers, three skus. Each record
# maps one customer to the list of their events, and each event maps a sku to what happened.

# %%
original_events = [
    {"c0": [{"s0": "Browsed"}]},
    {"c1": [{"s1": "Browsed", "s2": "Browsed"}, {"s1": "AddedToCart"}, {"s1": "Purchased"}]},
    {"c2": [{"s1": "Browsed"}, {"s2": "Browsed"}, {"s1": "AddedToCart"}]},
    {"c2": [{"s2": "AddedToCart"}, {"s2": "Purchased"}]},
]

for record in original_events:
    for customer, events in record.items():
        print(customer, "->", events)

# %% [markdown]
# Read it as a story: `c0` only glanced at `s0`. `c1` browsed `s1` and `s2` on the same page (one
# event dict holding two skus), then went all the way with `s1` (cart, purchase: $0.5 + 2 + 6 = 8.5$)
# and left `s2` at $0.5$. `c2` came twice, so it has two records: the first time it looked at `s1`
# and `s2` and put `s1` in the cart; the second time it put `s2` in the cart and bought it. That
# gives $0.5 + 2 = 2.5$ for `s1` and $0.5 + 2 + 6 = 8.5$ for `s2`. Notice that a customer can
# appear in several records, that an event dict can hold several skus, that the events of one
# customer can come in any order, and that the same sku appears several times.
#
# ## From ids to indices
#
# In the next chapters the scores go into a matrix with **one row per customer and one column per
# sku**, indexed by integers $0, 1, \dots, n-1$. Ids are not like that: here they are strings such
# as `"c1"`; in the Online Retail data, customer ids such as `17850` go up to 18287 for fewer than
# 4,400 customers, and stock codes are strings such as `"85123A"`.
#
# So we give each distinct id an **index**: a dict `{id: index}` whose values are exactly
# $0, 1, \dots, n-1$, with no gap and no repeat. The cell of customer `c` and sku `s` is then
# `matrix[customers[c], skus[s]]`, and a dict lookup finds an index in constant time.

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


# %% nbgrader={"grade": true, "grade_id": "test_build_index_mapping", "locked": true, "points": 1, "schema_version": 3, "solution": false} tags=["raises-exception"]
examples = [
    exercises.Example("the original workshop's customers", (["c0", "c1", "c2"],),
                      {"c0": 0, "c1": 1, "c2": 2},
                      hint="Number from 0: the first value gets 0, the next new value 1, ..."),
    exercises.Example("the original workshop's skus: a repeated sku keeps its first index",
                      (["s0", "s1", "s2", "s1", "s1", "s1", "s2", "s1", "s2", "s2"],),
                      {"s0": 0, "s1": 1, "s2": 2},
                      hint="When a value was seen before, skip it; do not give it a new index."),
    exercises.Example("indices follow first appearance, not alphabetical order",
                      (["z", "a", "m"],), {"z": 0, "a": 1, "m": 2},
                      hint="Do not sort the values: walk through them in the order they come."),
]
exercises.check("build_index_mapping", build_index_mapping, examples)
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
# A full table with a cell for every customer and every sku would be almost empty.
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
# A missing key means a score of zero, not an error: read the dict with `.get(key, 0.0)`, since
# `toy_interactions[1][0]` raises `KeyError`. Chapter 3 replaces the dict of dicts with SciPy's
# sparse matrices.
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


# %% nbgrader={"grade": true, "grade_id": "test_build_interactions_mapping", "locked": true, "points": 2, "schema_version": 3, "solution": false} tags=["raises-exception"]
events = [
    {"c0": [{"s0": "Browsed"}]},
    {"c1": [{"s1": "Browsed", "s2": "Browsed"}, {"s1": "AddedToCart"}, {"s1": "Purchased"}]},
    {"c2": [{"s1": "Browsed"}, {"s2": "Browsed"}, {"s1": "AddedToCart"}]},
    {"c2": [{"s2": "AddedToCart"}, {"s2": "Purchased"}]},
]
customers_mapping = {"c0": 0, "c1": 1, "c2": 2}
skus_mapping = {"s0": 0, "s1": 1, "s2": 2}
examples = [
    exercises.Example("the original workshop's example", (events, customers_mapping, skus_mapping),
                      {0: {0: 0.5}, 1: {1: 8.5, 2: 0.5}, 2: {1: 2.5, 2: 8.5}},
                      hint="Count every sku: name pair of every event dict (c1's first one holds "
                           "two), and every record (c2 has two)."),
    exercises.Example("two purchases of the same sku add up to 12.0",
                      ([{"c1": [{"s2": "Purchased"}, {"s2": "Purchased"}]}],
                       customers_mapping, skus_mapping), {1: {2: 12.0}},
                      hint="Add each event's score to what the pair already has; never overwrite."),
]
exercises.check("build_interactions_mapping", build_interactions_mapping, examples)
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
# The whole pipeline on the original events, with your functions once they pass their checks (the
# references until then):

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
# As a table (customers in rows, skus in columns), the cells marked `NaN` are the pairs the dict of
# dicts never stored.

# %%
pd.DataFrame.from_dict(interactions, orient="index").sort_index().sort_index(axis=1)

# %% [markdown]
# Even here, 4 of the 9 cells are empty. Chapter 2 turns the dict of dicts into a NumPy matrix.

# %% [markdown]
# ## Going further (optional)
#
# The core path of this chapter ends here. The sections below go deeper: read them after the workshop, or now if you are ahead. They hold no graded exercise, and the recap after them covers the core path.

# %% [markdown]
# ### Preference and confidence
#
# Hu, Koren and Volinsky (2008), whose ALS model you train in
# chapter 5, make that split explicit: from a raw score $r_{ui} \ge 0$ of customer $u$ and item $i$
# they derive a **preference** and a **confidence**
# $$p_{ui} = \begin{cases} 1 & \text{if } r_{ui} > 0 \\ 0 & \text{otherwise} \end{cases}
# \qquad\qquad c_{ui} = 1 + \alpha\, r_{ui},$$
# where $\alpha > 0$ is a constant chosen by hand (chapter 5 uses 15). Every pair counts, even one
# with no event: it gets preference 0, but only the lowest confidence, $c_{ui} = 1$, because a
# missing event proves little. Pairs with strong evidence count much more.

# %% [markdown]
# ### Other weights
#
# These weights are a modelling choice, not a law: someone picked them by hand. Another shop might
# weigh a purchase 10 or count only purchases. In chapter 5 the Online Retail data holds only
# purchases, and the quantity bought plays the role of the score.

# %% [markdown]
# ### Which numbering?
#
# Any one-to-one numbering works, as long as the same mapping is used everywhere. This chapter
# numbers ids in their **order of first appearance**, which needs no sorting and makes the result
# easy to predict; chapter 5 sorts the ids instead.

# %% [markdown]
# ### How empty is a real shop's table?
#
# In the Online Retail data of chapter 5, 4,338
# customers and 3,664 skus make 15,894,432 possible pairs, of which only 266,723 (1.7%) ever
# occurred. A full table would spend 98% of its memory on zeros.

# %% [markdown]
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
