"""Chapter 1: turn raw customer events into index mappings and implicit scores.

The workshop represents customers and skus (products) by consecutive integer
indices so that they can later become the rows and columns of a matrix.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from .validation import check_collection, check_index_mapping

__all__ = [
    "EVENT_SCORES",
    "build_index_mapping",
    "build_interactions_mapping",
    "get_inverse_skus_map",
]

#: Implicit score of each kind of event: a purchase says far more than a browse.
EVENT_SCORES: dict[str, float] = {"Browsed": 0.5, "AddedToCart": 2.0, "Purchased": 6.0}


def build_index_mapping(values: Iterable[Hashable]) -> dict[Hashable, int]:
    """Map each distinct value to an index ``0..n-1`` in order of first appearance.

    Parameters
    ----------
    values : iterable of hashable
        Any iterable: list, tuple, generator, ... A repeated value keeps the index
        of its first appearance. A bare string is refused rather than read as
        its characters: ``build_index_mapping("abc")`` is surely a mistake for
        ``build_index_mapping(["abc"])``.

    Returns
    -------
    dict
        ``{value: index}``; ``{}`` for an empty input.

    Raises
    ------
    TypeError
        If ``values`` is a string or not iterable, or holds an unhashable value.

    Examples
    --------
    >>> build_index_mapping(["b", "a", "b", "c"])
    {'b': 0, 'a': 1, 'c': 2}
    """
    mapping: dict[Hashable, int] = {}
    for value in check_collection(values, "values"):
        try:
            mapping.setdefault(value, len(mapping))
        except TypeError:
            raise TypeError(f"values holds {value!r} ({type(value).__name__}), which is not "
                            "hashable: it cannot be a key of the mapping") from None
    return mapping


def build_interactions_mapping(
    input_data: Sequence[Mapping[Hashable, Sequence[Mapping[Hashable, str]]]],
    customers_mapping: Mapping[Hashable, int],
    skus_mapping: Mapping[Hashable, int],
) -> dict[int, dict[int, float]]:
    """Sum the implicit score of every event, per customer and sku index.

    Parameters
    ----------
    input_data : list of dict
        Records ``{customer: [event_dict, ...]}``; each event dict maps a sku to
        an event name (a key of :data:`EVENT_SCORES`). A customer may appear in
        several records: all their events are summed.
    customers_mapping, skus_mapping : dict
        Index mappings as built by :func:`build_index_mapping`: distinct,
        non-negative integer indices.

    Returns
    -------
    dict
        ``{customer_index: {sku_index: score}}`` holding only the pairs that occurred.

    Raises
    ------
    ValueError
        If an event name is not one of :data:`EVENT_SCORES`, or a mapping gives
        two keys the same index or a negative one.
    KeyError
        If a customer or a sku is missing from its mapping.
    TypeError
        If ``input_data``, a record, a customer's events or an event is not of
        the shape above (a string where a list is meant included), or a
        mapping's index is not an integer.

    Examples
    --------
    >>> data = [{"c1": [{"s1": "Browsed"}, {"s1": "Purchased"}]}]
    >>> build_interactions_mapping(data, {"c1": 0}, {"s1": 0})
    {0: {0: 6.5}}
    """
    if isinstance(input_data, Mapping):
        raise TypeError("input_data must be a list of records {customer: [event, ...]}, got "
                        f"the dict {input_data!r}; wrap a single record in a list")
    check_index_mapping(customers_mapping, "customers_mapping")
    check_index_mapping(skus_mapping, "skus_mapping")
    interactions: dict[int, dict[int, float]] = {}
    for record in check_collection(input_data, "input_data"):
        for customer, events in _items(record, "a record of input_data", "{customer: [event]}"):
            customer_index = _lookup(customers_mapping, customer, "customer")
            for event in check_collection(events, f"the events of customer {customer!r}"):
                for sku, name in _items(event, f"an event of customer {customer!r}",
                                        "{sku: event name}"):
                    sku_index = _lookup(skus_mapping, sku, "sku")
                    scores = interactions.setdefault(customer_index, {})
                    scores[sku_index] = scores.get(sku_index, 0.0) + _event_score(name)
    return interactions


def get_inverse_skus_map(skus_map: Mapping[Hashable, int]) -> dict[int, Hashable]:
    """Invert an index mapping: ``{index: sku}``.

    Parameters
    ----------
    skus_map : dict
        ``{sku: index}`` as built by :func:`build_index_mapping`.

    Returns
    -------
    dict
        ``{index: sku}``.

    Raises
    ------
    TypeError
        If ``skus_map`` is not a mapping or an index is not an integer.
    ValueError
        If two skus share an index (the inverse would silently keep only one of
        them) or an index is negative.

    Examples
    --------
    >>> get_inverse_skus_map({"s1": 0, "s2": 1})
    {0: 's1', 1: 's2'}
    """
    return {index: sku for sku, index in check_index_mapping(skus_map, "skus_map").items()}


def _items(value: Any, what: str, shape: str) -> Iterable[tuple[Any, Any]]:
    """The ``(key, value)`` pairs of a dict, or a TypeError saying what was expected."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{what} must be a dict {shape}, got {value!r} ({type(value).__name__})")
    return value.items()


def _event_score(name: str) -> float:
    try:
        return EVENT_SCORES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown event name {name!r}; expected one of {sorted(EVENT_SCORES)}"
        ) from None


def _lookup(mapping: Mapping[Hashable, int], key: Hashable, what: str) -> int:
    try:
        return mapping[key]
    except KeyError:
        raise KeyError(f"{what} {key!r} is not in the {what}s mapping") from None
