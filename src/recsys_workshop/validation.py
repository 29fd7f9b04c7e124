"""The input checks every reference function runs before it computes anything.

Each public function of the package checks its arguments at its boundary with
these helpers and fails early, with a message that names the offending value
(:func:`plain` prints a NumPy scalar as ``12346``, not ``np.int64(12346)``)
and, where it helps, its position. Nothing is silently coerced: a float is
never truncated into an index, a bare string is never taken for a collection
of one-letter items, a NaN never propagates into a result. The error types
follow one rule:

- ``TypeError``: the argument has the wrong type (a string where a number is
  meant, a float where an index is meant, a dense array where a sparse matrix
  is meant, a sparse matrix in the wrong format);
- ``ValueError``: the type is right but the value is not (out of range,
  negative, repeated, NaN or infinite, wrong shape);
- ``KeyError`` is left to the functions that look something up (a customer or
  a sku missing from a mapping).

Sparse formats, one policy
--------------------------
A function that reads the internal arrays of one sparse format, or whose
exercise contract names that format, **requires** it and raises ``TypeError``
naming the format and the conversion to make (``.tocsr()`` / ``.tocsc()``)
rather than converting behind the learner's back:

- CSC: :func:`~recsys_workshop.similarity.build_algebraic_sparse_similarity_matrix`;
- CSR: :func:`~recsys_workshop.split.make_train`,
  :func:`~recsys_workshop.als_by_hand.als_solve_users`,
  :func:`~recsys_workshop.serving.recommend_known_or_popular` (which reads one
  customer's row per request), and the ``mf_train`` of
  :func:`~recsys_workshop.retail.rec_items` and
  :func:`~recsys_workshop.retail.get_items_purchased`.

Every other function that takes a sparse matrix accepts **any** scipy sparse
format, of the matrix or the array classes (``csr_matrix``, ``csc_array``,
``coo_array``, ...), and converts it once, at its boundary:
:func:`~recsys_workshop.recommend.make_recos`,
:func:`~recsys_workshop.recommend.top_k_neighbours`,
:func:`~recsys_workshop.recommend.neighbourhood_scores`,
:func:`~recsys_workshop.recommend.item_item_scores`, the evaluation functions
of :mod:`~recsys_workshop.evaluate` and :mod:`~recsys_workshop.ranking`,
:func:`~recsys_workshop.als.fit_als` and
:func:`~recsys_workshop.als_by_hand.fit_als_by_hand`.

Every check stays cheap on the real data (4,338 x 3,664, 266,723 stored
cells): NumPy does the work on whole arrays, and Python only loops over values
a function already loops over.
"""

import math
import numbers
import reprlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = [
    "check_als_parameters",
    "check_array",
    "check_callable",
    "check_collection",
    "check_count",
    "check_dense_2d",
    "check_distinct",
    "check_finite",
    "check_index_mapping",
    "check_real",
    "check_rows",
    "check_shape",
    "check_share",
    "check_sparse",
    "plain",
]

#: The dtype kinds accepted as numbers: signed and unsigned integers, floats.
_NUMERIC_KINDS = "iuf"


def plain(value: Any) -> Any:
    """A NumPy scalar as the Python value it holds, for error messages.

    Parameters
    ----------
    value : object
        Anything; only NumPy scalars are changed.

    Returns
    -------
    object
        ``value.item()`` for a NumPy scalar, ``value`` itself otherwise.

    Examples
    --------
    >>> plain(np.int64(12346)), plain(np.float64(1.5)), plain("85123A")
    (12346, 1.5, '85123A')
    """
    return value.item() if isinstance(value, np.generic) else value


def check_count(value: Any, name: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Return ``value`` as an int after checking it is a whole number in range.

    Parameters
    ----------
    value : int
        The number to check. Booleans and floats (even ``2.0``) are refused.
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

    Examples
    --------
    >>> check_count(np.int64(3), "n")
    3
    >>> check_count(2.0, "n")
    Traceback (most recent call last):
    ...
    TypeError: n must be an integer, got 2.0 (float)
    """
    if not _is_integer(value):
        raise TypeError(f"{name} must be an integer, got {_show(value)} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {plain(value)}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {plain(value)}")
    return int(value)


def check_real(
    value: Any,
    name: str,
    *,
    minimum: float | None = None,
    exclusive_minimum: float | None = None,
    finite: bool = True,
) -> float:
    """Return ``value`` as a float after checking it is a real number in range.

    Parameters
    ----------
    value : int or float
        The number to check. Booleans and strings are refused; NaN always is.
    name : str
        The argument's name, used in the error message.
    minimum : float, optional
        The smallest accepted value.
    exclusive_minimum : float, optional
        ``value`` must be strictly greater than this.
    finite : bool, default True
        Refuse infinities too. ``False`` accepts ``math.inf`` (for example as
        "no time limit").

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is NaN, infinite (when ``finite``) or out of range.

    Examples
    --------
    >>> check_real(np.float32(0.5), "alpha", exclusive_minimum=0)
    0.5
    >>> check_real(0, "alpha", exclusive_minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: alpha must be > 0, got 0
    """
    if not _is_real(value):
        raise TypeError(f"{name} must be a number, got {_show(value)} ({type(value).__name__})")
    if math.isnan(value):
        raise ValueError(f"{name} must be a number, got nan")
    if finite and math.isinf(value):
        raise ValueError(f"{name} must be finite, got {plain(value)!r}")
    if minimum is not None and not value >= minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {plain(value)!r}")
    if exclusive_minimum is not None and not value > exclusive_minimum:
        raise ValueError(f"{name} must be > {exclusive_minimum}, got {plain(value)!r}")
    return float(value)


def check_share(value: Any, name: str, *, strict: bool = False) -> float:
    """Return ``value`` as a float after checking it is a share: a number in ``[0, 1]``.

    Parameters
    ----------
    value : int or float
        The share to check.
    name : str
        The argument's name, used in the error message.
    strict : bool, default False
        Refuse 0 and 1 as well: the share must lie strictly between them.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is NaN or outside ``[0, 1]`` (``(0, 1)`` when ``strict``).

    Examples
    --------
    >>> check_share(1, "pct_test")
    1.0
    >>> check_share(1.5, "pct_test")
    Traceback (most recent call last):
    ...
    ValueError: pct_test must be a share in [0, 1], got 1.5
    """
    share = check_real(value, name)
    if strict and not 0 < share < 1:
        raise ValueError(f"{name} must be a share strictly between 0 and 1, got {plain(value)!r}")
    if not 0 <= share <= 1:
        raise ValueError(f"{name} must be a share in [0, 1], got {plain(value)!r}")
    return share


def check_callable(value: Any, name: str) -> Callable[..., Any]:
    """Check that ``value`` can be called and return it.

    Parameters
    ----------
    value : callable
        The function to check.
    name : str
        The argument's name, used in the error message.

    Returns
    -------
    callable
        ``value`` itself.

    Raises
    ------
    TypeError
        If ``value`` is not callable.

    Examples
    --------
    >>> check_callable(42, "fn")
    Traceback (most recent call last):
    ...
    TypeError: fn must be callable, got 42 (int)
    """
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {_show(value)} ({type(value).__name__})")
    return value


def check_collection(value: Any, name: str) -> Iterable[Any]:
    """Check that ``value`` is a collection of items and not a bare string.

    A string is iterable, one character at a time, so ``"85123A"`` passed where
    a list of skus is meant would silently become six one-letter skus. Strings
    and bytes are therefore refused wherever a collection is meant; wrap a
    single item in a list.

    Parameters
    ----------
    value : iterable
        A list, tuple, set, dict (its keys), NumPy array, generator, ...
    name : str
        The argument's name, used in the error message.

    Returns
    -------
    iterable
        ``value`` itself (a generator is not consumed).

    Raises
    ------
    TypeError
        If ``value`` is a string or bytes, or is not iterable.

    Examples
    --------
    >>> check_collection("85123A", "relevant")
    Traceback (most recent call last):
    ...
    TypeError: relevant must be a collection of items, got the string '85123A'; \
wrap a single item in a list: ['85123A']
    """
    if isinstance(value, str | bytes | bytearray):
        raise TypeError(f"{name} must be a collection of items, got the string {value!r}; "
                        f"wrap a single item in a list: [{value!r}]")
    if not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a collection of items (a list, tuple, set, ...), "
                        f"got {_show(value)} ({type(value).__name__})")
    return value


def check_distinct(items: Iterable[Any], name: str) -> list[Any]:
    """Return ``items`` as a list after checking that no item appears twice.

    Parameters
    ----------
    items : iterable of hashable
        The items, for example a ranking of recommended skus.
    name : str
        The argument's name, used in the error message.

    Returns
    -------
    list
        The items, in their order.

    Raises
    ------
    ValueError
        If an item appears twice; the message names the first repeated one.

    Examples
    --------
    >>> check_distinct(["a", "b", "a"], "recommended")
    Traceback (most recent call last):
    ...
    ValueError: recommended holds 'a' twice: its items must be distinct
    """
    items = list(items)
    if len(set(items)) < len(items):
        seen: set[Any] = set()
        for item in items:
            if item in seen:
                raise ValueError(f"{name} holds {plain(item)!r} twice: its items must be distinct")
            seen.add(item)
    return items


def check_rows(rows: Any, name: str, size: int, *, unique: bool = False) -> np.ndarray:
    """Check 1-d integer indices into ``0..size-1`` and return them as an ``intp`` array.

    Parameters
    ----------
    rows : sequence of int or numpy.ndarray
        The indices. Booleans (a mask is not a list of rows) and floats (even
        ``1.0``) are refused.
    name : str
        The argument's name, used in the error message.
    size : int
        How many rows there are.
    unique : bool, default False
        Refuse an index that appears twice.

    Returns
    -------
    numpy.ndarray
        The indices, 1-d, dtype ``intp``.

    Raises
    ------
    TypeError
        If an index is not an integer.
    ValueError
        If ``rows`` is not 1-d, an index is outside ``0..size-1``, or (with
        ``unique``) an index appears twice.

    Examples
    --------
    >>> check_rows([2, 0], "users", 3)
    array([2, 0])
    >>> check_rows([0, 2, 0], "altered_users", 3, unique=True)
    Traceback (most recent call last):
    ...
    ValueError: altered_users holds 0 twice: each row must appear once
    """
    array = np.asarray(rows)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-d list of row indices, got shape {array.shape}")
    if isinstance(rows, np.ndarray):
        items = array.tolist() if array.dtype == object else array
    else:  # judge a list by its items: np.asarray([True, 2]) would hide the bool
        items = list(rows)
    bad = _first_non_integer(items)
    if bad is not None:
        value = items[bad]
        raise TypeError(f"{name} holds {_show(value)} ({type(value).__name__}): "
                        "indices must be integers")
    array = array.astype(np.intp, copy=False)
    outside = np.flatnonzero((array < 0) | (array >= size))
    if outside.size:
        raise ValueError(f"{name} holds {plain(array[outside[0]])}, outside 0..{size - 1}")
    if unique:
        pair = _first_repeat(array)
        if pair is not None:
            raise ValueError(f"{name} holds {plain(array[pair[0]])} twice: "
                             "each row must appear once")
    return array


def check_index_mapping(
    mapping: Any, name: str, *, size: int | None = None
) -> Mapping[Any, int]:
    """Check an index mapping ``{key: index}``: distinct non-negative integer indices.

    Parameters
    ----------
    mapping : dict
        For example ``{sku: column}`` as built by
        :func:`~recsys_workshop.mapping.build_index_mapping`. The indices may be
        Python or NumPy integers; booleans and floats (even ``1.0``) are refused.
    name : str
        The argument's name, used in the error message.
    size : int, optional
        The number of rows or columns the indices point into: every index must
        be below it.

    Returns
    -------
    dict
        ``mapping`` itself.

    Raises
    ------
    TypeError
        If ``mapping`` is not a mapping or an index is not an integer.
    ValueError
        If an index is negative or not below ``size``, or two keys share an
        index (the message names both).

    Examples
    --------
    >>> check_index_mapping({"a": 0, "b": 1.5}, "skus_mapping")
    Traceback (most recent call last):
    ...
    TypeError: skus_mapping maps 'b' to 1.5 (float): indices must be integers
    >>> check_index_mapping({"a": 0, "b": 0}, "skus_mapping")
    Traceback (most recent call last):
    ...
    ValueError: skus_mapping maps both 'a' and 'b' to the index 0: indices must be distinct
    """
    if not isinstance(mapping, Mapping):
        raise TypeError(f"{name} must be a dict {{key: index}}, "
                        f"got {_show(mapping)} ({type(mapping).__name__})")
    keys, values = [plain(key) for key in mapping], list(mapping.values())
    bad = _first_non_integer(values)
    if bad is not None:
        raise TypeError(f"{name} maps {keys[bad]!r} to {_show(values[bad])} "
                        f"({type(values[bad]).__name__}): indices must be integers")
    top = math.inf if size is None else size
    try:
        indices = np.array(values, dtype=np.int64)
    except OverflowError:  # a Python int beyond int64: compare the ints themselves
        indices = np.array(values, dtype=object)
    outside = np.flatnonzero((indices < 0) | (indices >= top))
    if outside.size:
        i = outside[0]
        allowed = ">= 0" if size is None else f"in 0..{size - 1}"
        raise ValueError(f"{name} maps {keys[i]!r} to {plain(values[i])}: "
                         f"indices must be {allowed}")
    pair = _first_repeat(indices)
    if pair is not None:
        first, second = pair
        raise ValueError(f"{name} maps both {keys[first]!r} and {keys[second]!r} to the index "
                         f"{plain(values[first])}: indices must be distinct")
    return mapping


def check_shape(array: Any, name: str, shape: tuple[int | str, ...]) -> Any:
    """Check the shape of an array or matrix and return it.

    Parameters
    ----------
    array : numpy.ndarray or scipy.sparse matrix
        Anything with a ``shape``.
    name : str
        The argument's name, used in the error message.
    shape : tuple of int or str
        The expected shape; a str entry (such as ``"k"``) accepts any length.

    Returns
    -------
    numpy.ndarray or scipy.sparse matrix
        ``array`` itself.

    Raises
    ------
    ValueError
        If ``array`` has the wrong number of dimensions or a wrong length.

    Examples
    --------
    >>> check_shape(np.ones((3, 1)), "user_factors", (2, "k"))
    Traceback (most recent call last):
    ...
    ValueError: user_factors must have shape (2, k), got (3, 1)
    """
    if len(array.shape) != len(shape):
        raise ValueError(f"{name} must be {len(shape)}-d, got shape {array.shape}")
    if any(not isinstance(want, str) and got != want
           for got, want in zip(array.shape, shape, strict=True)):
        expected = ", ".join(str(length) for length in shape) + ("," if len(shape) == 1 else "")
        raise ValueError(f"{name} must have shape ({expected}), got {array.shape}")
    return array


def check_finite(array: Any, name: str, *, allow_infinite: bool = False) -> Any:
    """Check that an array or sparse matrix holds no NaN and no infinity, and return it.

    Parameters
    ----------
    array : numpy.ndarray or scipy.sparse matrix
        The numbers to check (only the stored values of a sparse matrix).
        Integer and boolean arrays are finite by nature.
    name : str
        The argument's name, used in the error message.
    allow_infinite : bool, default False
        Accept infinities, refusing only NaN (``-inf`` can mark what must never
        be chosen).

    Returns
    -------
    numpy.ndarray or scipy.sparse matrix
        ``array`` itself.

    Raises
    ------
    ValueError
        If a value is NaN or (unless ``allow_infinite``) infinite; the message
        names the first one and its position (row and column of a matrix,
        sparse or not).

    Examples
    --------
    >>> check_finite(np.array([[1.0, 2.0], [np.inf, np.nan]]), "factors")
    Traceback (most recent call last):
    ...
    ValueError: factors holds inf at [1, 0]: values must be finite
    """
    def refused(values: np.ndarray) -> np.ndarray:
        return np.isnan(values) if allow_infinite else ~np.isfinite(values)

    values = array.data if sp.issparse(array) else np.asarray(array)
    if values.dtype.kind not in "fc" or not refused(values).any():
        return array
    if sp.issparse(array):
        coo = array.tocoo()
        first = np.flatnonzero(refused(coo.data))[0]
        value, position = coo.data[first], [coords[first] for coords in coo.coords]
    else:
        position = np.unravel_index(np.flatnonzero(refused(values))[0], values.shape)
        value = values[position]
    where = ", ".join(str(int(i)) for i in position)
    must = "must not be nan" if allow_infinite else "must be finite"
    raise ValueError(f"{name} holds {plain(value)!r} at [{where}]: values {must}")


def check_array(
    values: Any,
    name: str,
    shape: tuple[int | str, ...] | None = None,
    *,
    finite: bool = True,
) -> np.ndarray:
    """Return array-like ``values`` as a floating-point NumPy array after checking it.

    Parameters
    ----------
    values : array-like
        Numbers: a NumPy array, a list, a list of lists, ...
    name : str
        The argument's name, used in the error message.
    shape : tuple of int or str, optional
        The expected shape, as in :func:`check_shape`; any shape when omitted.
    finite : bool, default True
        Also refuse NaN and infinities (with :func:`check_finite`).

    Returns
    -------
    numpy.ndarray
        A float array: integers become float64, float32 stays float32.

    Raises
    ------
    TypeError
        If ``values`` is sparse or does not hold numbers (booleans, strings,
        ``None``, ...).
    ValueError
        If it has the wrong shape or, when ``finite``, holds NaN or an infinity.

    Examples
    --------
    >>> check_array([1, 2], "scores", (2,))
    array([1., 2.])
    >>> check_array([1.0, None], "scores")
    Traceback (most recent call last):
    ...
    TypeError: scores must hold numbers, got None (dtype object)
    """
    if sp.issparse(values):
        raise TypeError(f"{name} must be a dense array, got a sparse {type(values).__name__}; "
                        "convert it with .toarray()")
    array = _check_numeric(np.asarray(values), name)
    if shape is not None:
        check_shape(array, name, shape)
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    return check_finite(array, name) if finite else array


def check_dense_2d(array: Any, name: str) -> np.ndarray:
    """Check that ``array`` is a 2-d NumPy array of finite numbers and return it.

    Parameters
    ----------
    array : numpy.ndarray
        The matrix to check; a list or a sparse matrix is refused.
    name : str
        The argument's name, used in the error message.

    Returns
    -------
    numpy.ndarray
        ``array`` itself (integers are not converted).

    Raises
    ------
    TypeError
        If ``array`` is sparse, not a NumPy array or not numeric.
    ValueError
        If it is not 2-d or holds NaN or an infinity.

    Examples
    --------
    >>> check_dense_2d(np.ones(3), "interactions_matrix")
    Traceback (most recent call last):
    ...
    ValueError: interactions_matrix must be 2-d, got shape (3,)
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
    return check_finite(_check_numeric(array, name), name)


def check_sparse(matrix: Any, name: str, fmt: str | None = None, *, finite: bool = True) -> Any:
    """Check that ``matrix`` is a 2-d scipy sparse matrix of finite values, in format ``fmt``.

    See the module's sparse format policy for which functions pass ``fmt``.

    Parameters
    ----------
    matrix : scipy.sparse matrix or array
        The matrix to check; the matrix and the array classes are both accepted.
    name : str
        The argument's name, used in the error message.
    fmt : {"csr", "csc"}, optional
        The required sparse format; any format when omitted.
    finite : bool, default True
        Also refuse stored NaN and infinities (with :func:`check_finite`).
        ``False`` leaves that to the caller, who checks only the values it
        reads (a service answering one customer checks that customer's row).

    Returns
    -------
    scipy.sparse matrix or array
        ``matrix`` itself.

    Raises
    ------
    TypeError
        If ``matrix`` is not sparse or not in format ``fmt``.
    ValueError
        If ``matrix`` is not 2-d or, when ``finite``, stores NaN or an infinity.

    Examples
    --------
    >>> check_sparse(sp.csc_array(np.eye(2)), "confidence", "csr")
    Traceback (most recent call last):
    ...
    TypeError: confidence must be in CSR format, got CSC (csc_array); convert it with .tocsr()
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
    return check_finite(matrix, name) if finite else matrix


def check_als_parameters(
    factors: Any, regularization: Any, alpha: Any, iterations: Any
) -> tuple[int, float, float, int]:
    """Check the hyper-parameters of implicit ALS, by hand or with ``implicit``.

    Parameters
    ----------
    factors : int
        The number of latent factors, at least 1.
    regularization : float
        The weight of the factors' squared norm, ``>= 0``.
    alpha : float
        The confidence gained per unit of the raw counts, ``> 0``.
    iterations : int
        How many alternations to run, ``>= 0``.

    Returns
    -------
    tuple
        ``(factors, regularization, alpha, iterations)`` as int, float, float, int.

    Raises
    ------
    TypeError
        If a parameter has the wrong type.
    ValueError
        If a parameter is out of range or not finite.

    Examples
    --------
    >>> check_als_parameters(20, 0.1, 15, 50)
    (20, 0.1, 15.0, 50)
    """
    return (
        check_count(factors, "factors", minimum=1),
        check_real(regularization, "regularization", minimum=0),
        check_real(alpha, "alpha", exclusive_minimum=0),
        check_count(iterations, "iterations"),
    )


def _is_integer(value: Any) -> bool:
    """Whether ``value`` is a Python or NumPy integer, booleans excluded."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    """Whether ``value`` is a Python or NumPy real number, booleans excluded."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _check_numeric(array: np.ndarray, name: str) -> np.ndarray:
    """``array`` itself if its dtype holds integers or floats (not booleans)."""
    if array.dtype.kind not in _NUMERIC_KINDS:
        bad = [value for value in array.flat if not _is_real(value)]  # an error: time to look
        shown = f"{_show(bad[0])} " if bad else ""
        raise TypeError(f"{name} must hold numbers, got {shown}(dtype {array.dtype})")
    return array


def _first_non_integer(values: Sequence[Any] | np.ndarray) -> int | None:
    """Position of the first value that is not an integer, or None.

    An array is judged by its dtype; a sequence by the set of its values'
    types (a C-speed pass), and only walked when a bad type is present.
    """
    if isinstance(values, np.ndarray):
        return None if values.size == 0 or values.dtype.kind in "iu" else 0
    if all(issubclass(kind, numbers.Integral) and not issubclass(kind, bool)
           for kind in set(map(type, values))):
        return None
    return next(i for i, value in enumerate(values) if not _is_integer(value))


def _first_repeat(values: np.ndarray) -> tuple[int, int] | None:
    """Positions of two equal values (the smallest repeated one), or None."""
    order = np.argsort(values, kind="stable")
    repeats = np.flatnonzero(values[order][1:] == values[order][:-1])
    return None if repeats.size == 0 else (int(order[repeats[0]]), int(order[repeats[0] + 1]))


def _show(value: Any) -> str:
    """A short repr for messages: plain scalars, long containers cut with ``...``."""
    return reprlib.repr(plain(value))
