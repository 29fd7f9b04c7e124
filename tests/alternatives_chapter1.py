"""``check`` on chapter 1: index mappings and implicit scores."""

from collections import defaultdict

import pandas as pd
from alternatives_helpers import reference_copy

from recsys_workshop.mapping import EVENT_SCORES

# --- 1.1 build_index_mapping: wrong ---------------------------------------------------


def index_sorted(values):
    """Sorts the distinct values instead of keeping their first-appearance order."""
    return {value: index for index, value in enumerate(sorted(set(values)))}


def index_position(values):
    """Gives every value its position, so a repeated value gets a new index."""
    return {value: index for index, value in enumerate(values)}


def index_uses_len(values):
    """Indexes into the input, which a generator does not allow."""
    mapping = {}
    for position in range(len(values)):
        mapping.setdefault(values[position], len(mapping))
    return mapping


def index_as_list(values):
    """Returns the distinct values as a list instead of a dict."""
    return list(dict.fromkeys(values))


# --- 1.1 build_index_mapping: correct -------------------------------------------------


def index_fromkeys(values):
    """dict.fromkeys keeps first appearances, then enumerate numbers them."""
    return {value: index for index, value in enumerate(dict.fromkeys(values))}


def index_defaultdict(values):
    """A defaultdict whose factory hands out the next index on first access."""
    mapping = defaultdict(lambda: len(mapping))
    for value in values:
        mapping[value]  # the lookup creates the entry
    return mapping


def index_pandas_unique(values):
    """pd.unique keeps the order of appearance (keys may be numpy scalars)."""
    return {value: index for index, value in enumerate(pd.unique(pd.Series(list(values),
                                                                           dtype=object)))}


# --- 1.2 build_interactions_mapping: wrong --------------------------------------------


def _events(input_data):
    for record in input_data:
        for customer, events in record.items():
            for event in events:
                for sku, name in event.items():
                    yield customer, sku, name


def scores_overwritten(input_data, customers_mapping, skus_mapping):
    """Overwrites a pair's score with the latest event instead of adding it."""
    result = {}
    for customer, sku, name in _events(input_data):
        if name not in EVENT_SCORES:
            raise ValueError(name)
        result.setdefault(customers_mapping[customer], {})[skus_mapping[sku]] = EVENT_SCORES[name]
    return result


def scores_reset_per_record(input_data, customers_mapping, skus_mapping):
    """Starts a customer afresh in every record, losing the earlier records' scores."""
    result = {}
    for record in input_data:
        for customer, events in record.items():
            scores = result[customers_mapping[customer]] = {}
            for event in events:
                for sku, name in event.items():
                    if name not in EVENT_SCORES:
                        raise ValueError(name)
                    scores[skus_mapping[sku]] = scores.get(skus_mapping[sku], 0.0) + \
                        EVENT_SCORES[name]
    return result


def scores_by_order_of_data(input_data, customers_mapping, skus_mapping):
    """Numbers customers and skus as they come instead of looking them up."""
    customers, skus, result = {}, {}, {}
    for customer, sku, name in _events(input_data):
        if name not in EVENT_SCORES or customer not in customers_mapping \
                or sku not in skus_mapping:
            raise (ValueError if name not in EVENT_SCORES else KeyError)(name)
        row = customers.setdefault(customer, len(customers))
        column = skus.setdefault(sku, len(skus))
        scores = result.setdefault(row, {})
        scores[column] = scores.get(column, 0.0) + EVENT_SCORES[name]
    return result


def scores_unknown_event_keyerror(input_data, customers_mapping, skus_mapping):
    """Looks the event up directly, so an unknown name raises KeyError, not ValueError."""
    result = {}
    for customer, sku, name in _events(input_data):
        scores = result.setdefault(customers_mapping[customer], {})
        scores[skus_mapping[sku]] = scores.get(skus_mapping[sku], 0.0) + EVENT_SCORES[name]
    return result


def scores_unknown_event_ignored(input_data, customers_mapping, skus_mapping):
    """Scores an unknown event 0 instead of raising ValueError."""
    result = {}
    for customer, sku, name in _events(input_data):
        scores = result.setdefault(customers_mapping[customer], {})
        scores[skus_mapping[sku]] = scores.get(skus_mapping[sku], 0.0) + \
            EVENT_SCORES.get(name, 0.0)
    return result


def scores_unknown_customer_skipped(input_data, customers_mapping, skus_mapping):
    """Silently skips customers missing from the mapping instead of raising KeyError."""
    kept = [{customer: events for customer, events in record.items()
             if customer in customers_mapping} for record in input_data]
    return reference_copy("build_interactions_mapping")(kept, customers_mapping,
                                                             skus_mapping)


# --- 1.2 build_interactions_mapping: correct ------------------------------------------


def _score(name):
    try:
        return EVENT_SCORES[name]
    except KeyError:
        raise ValueError(f"unknown event {name!r}") from None


def scores_defaultdict(input_data, customers_mapping, skus_mapping):
    """Nested defaultdicts, returned as they are."""
    result = defaultdict(lambda: defaultdict(float))
    for customer, sku, name in _events(input_data):
        result[customers_mapping[customer]][skus_mapping[sku]] += _score(name)
    return result


def scores_pandas_groupby(input_data, customers_mapping, skus_mapping):
    """Flattens the events into a table and sums them with groupby."""
    rows = [(customers_mapping[customer], skus_mapping[sku], _score(name))
            for customer, sku, name in _events(input_data)]
    table = pd.DataFrame(rows, columns=["customer", "sku", "score"])
    totals = table.groupby(["customer", "sku"])["score"].sum()
    result = {}
    for (customer, sku), score in totals.items():
        result.setdefault(int(customer), {})[int(sku)] = float(score)
    return result


WRONG = [
    ("build_index_mapping", index_sorted, "'b' maps to 1, expected 0"),
    ("build_index_mapping", index_position, "'b' maps to 2, expected 0"),
    ("build_index_mapping", index_uses_len, "raised TypeError"),
    ("build_index_mapping", index_as_list, "should return a dict, not list"),
    ("build_interactions_mapping", scores_overwritten, "scores 6.0, expected 8.5"),
    ("build_interactions_mapping", scores_reset_per_record,
     "sku index 1 is missing for customer 2"),
    ("build_interactions_mapping", scores_by_order_of_data, "sku index 1 is missing"),
    ("build_interactions_mapping", scores_unknown_event_keyerror,
     "expected ValueError, but your function raised KeyError"),
    ("build_interactions_mapping", scores_unknown_event_ignored,
     "it returned instead of raising ValueError"),
    ("build_interactions_mapping", scores_unknown_customer_skipped,
     "it returned instead of raising KeyError"),
]

CORRECT = [
    ("build_index_mapping", index_fromkeys),
    ("build_index_mapping", index_defaultdict),
    ("build_index_mapping", index_pandas_unique),
    ("build_interactions_mapping", scores_defaultdict),
    ("build_interactions_mapping", scores_pandas_groupby),
]
