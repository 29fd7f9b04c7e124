"""Cases for chapter 1: index mappings and implicit scores."""

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import mapping
from .engine import Case, Exercise
from .judges import exact_mapping
from .values import close

__all__ = ["EXERCISES", "ORIGINAL_EVENTS", "ORIGINAL_INTERACTIONS"]

EVENTS = list(mapping.EVENT_SCORES)

#: The original workshop's example: three customers, three skus; ``c2`` comes in two
#: records, and ``c1``'s first event dict holds two skus.
ORIGINAL_EVENTS = [
    {"c0": [{"s0": "Browsed"}]},
    {"c1": [{"s1": "Browsed", "s2": "Browsed"}, {"s1": "AddedToCart"}, {"s1": "Purchased"}]},
    {"c2": [{"s1": "Browsed"}, {"s2": "Browsed"}, {"s1": "AddedToCart"}]},
    {"c2": [{"s2": "AddedToCart"}, {"s2": "Purchased"}]},
]
ORIGINAL_CUSTOMERS = {"c0": 0, "c1": 1, "c2": 2}
ORIGINAL_SKUS = {"s0": 0, "s1": 1, "s2": 2}
ORIGINAL_INTERACTIONS = {0: {0: 0.5}, 1: {1: 8.5, 2: 0.5}, 2: {1: 2.5, 2: 8.5}}


def _from_generator(function: Any, values: list) -> Any:
    """build_index_mapping(value for value in ['x', 'y', 'x', 'z'])  # a generator"""  # noqa: D400
    return function(value for value in values)


def _index_cases() -> list[Case]:
    return [
        Case("distinct values get 0, 1, 2 in order", (["c1", "c2", "c3"],)),
        Case("a repeated value keeps its first index", (["b", "a", "b", "c", "a"],),
             hint="When a value was seen before, skip it instead of giving it a new index."),
        Case("indices follow first appearance, not sorted order", (["z", "a", "m"],),
             hint="Do not sort the values: walk through them in the order they come."),
        Case("a tuple works like a list", ((5, 3, 5, 9),)),
        Case("a generator can be read only once", args=(["x", "y", "x", "z"],),
             call=_from_generator,
             hint="Iterate over the values once; do not call len() or index into them."),
        Case("an empty input gives an empty dict", ([],)),
    ]


def _random_index_case(rng: np.random.Generator, number: int) -> Case:
    pool = [f"sku{i}" for i in range(6)] if number % 2 else list(range(100, 106))
    size = int(rng.integers(0, 12))
    values = [pool[i] for i in rng.integers(0, len(pool), size)]
    return Case(f"random case {number}", (values,))


def _interactions_cases() -> list[Case]:
    customers, skus = ORIGINAL_CUSTOMERS, ORIGINAL_SKUS
    return [
        Case("the original workshop's example", (ORIGINAL_EVENTS, customers, skus),
             hint="Count every sku: name pair of every event dict, and every record: a "
                  "customer's scores add up across records."),
        Case("events of the same pair add up",
             ([{"c0": [{"s1": "Purchased"}, {"s1": "Purchased"}, {"s1": "Browsed"}]}],
              customers, skus),
             hint="Add each event's score to what the pair already has; do not overwrite it."),
        Case("a customer's events in several records add up",
             ([{"c1": [{"s0": "Browsed"}]}, {"c2": [{"s0": "Purchased"}]},
               {"c1": [{"s0": "AddedToCart"}, {"s2": "Browsed"}]}], customers, skus),
             hint="A customer seen in an earlier record keeps the scores gathered so far."),
        Case("indices come from the mappings, not from the order of the data",
             ([{"y": [{"b": "Purchased"}]}, {"x": [{"a": "AddedToCart"}]}],
              {"x": 1, "y": 0}, {"a": 1, "b": 0}),
             hint="Look each customer and sku up in its mapping."),
        Case("an event dict may hold several skus",
             ([{"c0": [{"s0": "Browsed", "s2": "Purchased"}]}], customers, skus)),
        Case("no records give an empty dict", ([], customers, skus)),
        Case("an unknown event name raises ValueError",
             ([{"c0": [{"s0": "Clicked"}]}], customers, skus), raises=ValueError,
             hint="Raise ValueError when an event name has no score."),
        Case("a customer missing from its mapping raises KeyError",
             ([{"nobody": [{"s0": "Browsed"}]}], customers, skus), raises=KeyError),
        Case("a sku missing from its mapping raises KeyError",
             ([{"c0": [{"nothing": "Browsed"}]}], customers, skus), raises=KeyError),
    ]


def _random_interactions_case(rng: np.random.Generator, number: int) -> Case:
    n_customers, n_skus = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    customers = {f"c{i}": int(j) for i, j in enumerate(rng.permutation(n_customers))}
    skus = {f"s{i}": int(j) for i, j in enumerate(rng.permutation(n_skus))}
    records = [
        {f"c{rng.integers(n_customers)}": [
            {f"s{rng.integers(n_skus)}": EVENTS[rng.integers(len(EVENTS))]}
            for _ in range(int(rng.integers(0, 4)))
        ]}
        for _ in range(int(rng.integers(1, 4)))
    ]
    return Case(f"random case {number}", (records, customers, skus))


def _nested_scores(case: Case, expected: Mapping, actual: Any) -> str | None:
    if not isinstance(actual, Mapping):
        return f"it should return a dict, not {type(actual).__name__}"
    got = {customer: dict(scores) for customer, scores in actual.items() if scores}
    for customer, scores in expected.items():
        if customer not in got:
            return f"customer index {customer!r} is missing"
        for sku, score in scores.items():
            if sku not in got[customer]:
                return f"sku index {sku!r} is missing for customer {customer!r}"
            if not close(got[customer][sku], score):
                return (
                    f"customer {customer!r}, sku {sku!r} scores {got[customer][sku]!r}, "
                    f"expected {score!r}"
                )
        extra = set(got[customer]) - set(scores)
        if extra:
            return f"customer {customer!r} has sku {min(extra)!r}, which never occurred"
    extra = set(got) - set(expected)
    if extra:
        return f"customer index {min(extra)!r} should not be there"
    return None


EXERCISES = [
    Exercise("build_index_mapping", mapping.build_index_mapping, _index_cases,
             _random_index_case, exact_mapping, points=1),
    Exercise("build_interactions_mapping", mapping.build_interactions_mapping,
             _interactions_cases, _random_interactions_case, _nested_scores, points=2),
]
