"""Comparisons shared by several exercises.

Each judge takes ``(case, expected, actual)`` and returns ``None`` when
``actual`` meets the contract, else one sentence saying what is wrong.
"""

import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from .engine import Case
from .values import close

__all__ = [
    "dense_matrix",
    "exact_mapping",
    "float_value",
    "sparse_matrix",
]


def exact_mapping(case: Case, expected: Mapping, actual: Any) -> str | None:
    """A dict (or dict subclass) with exactly the expected keys and values."""
    if not isinstance(actual, Mapping):
        return f"it should return a dict, not {type(actual).__name__}"
    missing = [key for key in expected if key not in actual]
    if missing:
        return f"key {missing[0]!r} is missing"
    extra = [key for key in actual if key not in expected]
    if extra:
        return f"key {extra[0]!r} should not be there"
    for key, value in expected.items():
        if actual[key] != value:
            return f"{key!r} maps to {actual[key]!r}, expected {value!r}"
    return None


def float_value(case: Case, expected: float, actual: Any) -> str | None:
    """A real number equal to the expected one within tolerance (and never nan)."""
    if isinstance(actual, bool) or not isinstance(actual, numbers.Real):
        return f"it should return a float, not {type(actual).__name__}"
    if np.isnan(actual):
        return "it returned nan; an undefined ratio (0 / 0) must give 0.0"
    if not close(actual, expected):
        return f"{actual!r} differs from the expected {expected!r}"
    return None


def dense_matrix(case: Case, expected: np.ndarray, actual: Any) -> str | None:
    """A float NumPy array of the expected shape and values."""
    if not isinstance(actual, np.ndarray) or isinstance(actual, np.matrix):
        return f"it should return a numpy ndarray, not {type(actual).__name__}"
    return _matrix_values(expected, actual)


def sparse_matrix(fmt: str, *, no_explicit_zeros: bool = False) -> Callable[..., str | None]:
    """A judge for a scipy sparse matrix or array in format ``fmt``."""

    def judge(case: Case, expected: Any, actual: Any) -> str | None:
        if not sp.issparse(actual):
            return (f"it should return a scipy.sparse {fmt.upper()} matrix, "
                    f"not {type(actual).__name__}")
        if actual.format != fmt:
            return (
                f"it returned a {actual.format.upper()} matrix ({type(actual).__name__}); "
                f"the contract asks for {fmt.upper()}"
            )
        if no_explicit_zeros and np.any(actual.data == 0):
            return (
                f"it stores {np.count_nonzero(actual.data == 0)} explicit zero(s); "
                "call .eliminate_zeros() or avoid creating them"
            )
        return _matrix_values(expected.toarray(), actual.toarray())

    return judge


def _matrix_values(expected: np.ndarray, actual: np.ndarray) -> str | None:
    if actual.shape != expected.shape:
        return f"its shape is {actual.shape}, expected {expected.shape}"
    if actual.dtype.kind != "f":
        return f"its dtype is {actual.dtype}, expected a float dtype"
    if np.isnan(actual).any():
        return "it contains nan; an all-zero column must give 0, not nan"
    if not close(actual, expected):
        wrong = np.argwhere(~np.isclose(actual, expected, rtol=1e-6, atol=1e-9))[0]
        cell = tuple(int(i) for i in wrong)
        return f"cell {cell} is {actual[cell]:.6g}, expected {expected[cell]:.6g}"
    return None
