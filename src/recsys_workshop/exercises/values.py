"""Comparisons of the values exercises return: exact, or within float tolerance."""

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["ATOL", "RTOL", "close", "same"]

RTOL = 1e-6
ATOL = 1e-9


def same(a: Any, b: Any) -> bool:
    """Exact equality of two values of any kind the exercises use (NaN equals NaN).

    Used to tell whether a function modified its input.

    Examples
    --------
    >>> same({"a": [1, np.array([1.0, np.nan])]}, {"a": [1, np.array([1.0, np.nan])]})
    True
    >>> same(np.array([1, 2]), np.array([1, 3]))
    False
    """
    if sp.issparse(a) or sp.issparse(b):
        return (
            sp.issparse(a) and sp.issparse(b) and a.shape == b.shape
            and a.format == b.format and a.dtype == b.dtype and (a != b).nnz == 0
        )
    if isinstance(a, pd.DataFrame | pd.Series) or isinstance(b, pd.DataFrame | pd.Series):
        return type(a) is type(b) and a.equals(b)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        )
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return (
            type(a) is type(b) and len(a) == len(b)
            and all(same(x, y) for x, y in zip(a, b, strict=True))
        )
    if _is_nan(a) and _is_nan(b):
        return True
    return bool(a == b)


def close(a: Any, b: Any) -> bool:
    """Numeric equality within :data:`RTOL` / :data:`ATOL`, for scalars or arrays.

    Examples
    --------
    >>> close(0.1 + 0.2, 0.3), close([1.0, 2.0], [1.0, 2.1])
    (True, False)
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=False))


def _is_nan(value: Any) -> bool:
    return isinstance(value, numbers.Real) and math.isnan(value)
