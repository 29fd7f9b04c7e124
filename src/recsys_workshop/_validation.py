"""Input checks shared by the reference implementations.

Every public function validates its inputs at the boundary and raises an error
that names the offending value, in the style of scikit-learn.
"""

import numbers
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = [
    "check_count",
    "check_dense_2d",
    "check_sparse",
]


def check_count(value: Any, name: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Return ``value`` as an int after checking it is a whole number ``>= minimum``.

    Parameters
    ----------
    value : int
        The number to check. Booleans and floats are refused.
    name : str
        The argument's name, used in the error message.
    minimum : int, default 0
        The smallest accepted value.
    maximum : int, optional
        The largest accepted value.

    Returns
    -------
    int
        ``value`` itself, as a Python int.

    Raises
    ------
    TypeError
        If ``value`` is not an integer.
    ValueError
        If ``value`` is below ``minimum`` or above ``maximum``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return int(value)


def check_dense_2d(array: Any, name: str) -> np.ndarray:
    """Check that ``array`` is a 2-d numeric NumPy array and return it.

    Raises
    ------
    TypeError
        If ``array`` is sparse or not a NumPy array.
    ValueError
        If it is not 2-d or not numeric.
    """
    if sp.issparse(array):
        raise TypeError(
            f"{name} must be a dense numpy array, got a sparse {type(array).__name__}; "
            "use the sparse version of this function instead"
        )
    if not isinstance(array, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(array).__name__}")
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-d, got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must be numeric, got dtype {array.dtype}")
    return array


def check_sparse(matrix: Any, name: str, fmt: str | None = None) -> Any:
    """Check that ``matrix`` is a 2-d scipy sparse matrix or array, in format ``fmt`` if given.

    Parameters
    ----------
    matrix : scipy.sparse matrix or array
        The matrix to check.
    name : str
        The argument's name, used in the error message.
    fmt : {"csr", "csc"}, optional
        The required sparse format; any format when omitted.

    Returns
    -------
    scipy.sparse matrix or array
        ``matrix`` itself.

    Raises
    ------
    TypeError
        If ``matrix`` is not sparse or not in format ``fmt``.
    ValueError
        If ``matrix`` is not 2-d.
    """
    if not sp.issparse(matrix):
        kind = "" if fmt is None else f" {fmt.upper()}"
        raise TypeError(
            f"{name} must be a scipy.sparse{kind} matrix, got {type(matrix).__name__}"
        )
    if fmt is not None and matrix.format != fmt:
        raise TypeError(
            f"{name} must be in {fmt.upper()} format, got {matrix.format.upper()} "
            f"({type(matrix).__name__}); convert it with .to{fmt}()"
        )
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be 2-d, got shape {matrix.shape}")
    return matrix
