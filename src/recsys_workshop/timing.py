"""Chapters 2 and 3: time functions on growing inputs and measure how the time grows.

The notebooks compare several ways of computing the same similarity matrix.
:func:`time_growth` times each of them on inputs of growing size and gives up
on a function once it gets too slow, so a quadratic loop cannot hold the
chapter up. On log-log axes (:func:`recsys_workshop.plots.plot_timings` draws
them) a time growing like ``n**k`` is a straight line of slope ``k``, which
:func:`growth_exponent` estimates.
"""

import math
import numbers
import time
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from .validation import check_callable, check_count, check_real

__all__ = ["Timings", "compare_speed", "growth_exponent", "time_call", "time_growth", "timed_call"]

#: ``{function name: [(size, seconds), ...]}``, sizes in increasing order.
Timings = dict[str, list[tuple[int, float]]]


def timed_call(
    fn: Callable[..., Any],
    *args: Any,
    repeat: int = 3,
    max_seconds: float | None = None,
    threads: int | None = None,
) -> tuple[float, Any]:
    """Best wall time, in seconds, of ``repeat`` calls ``fn(*args)``, and the last result.

    The smallest of several measurements is the least disturbed by whatever
    else the machine was doing, hence "best of n".

    Parameters
    ----------
    fn : callable
        The function to time.
    *args
        The arguments of every call.
    repeat : int, default 3
        How many calls to make (at least 1).
    max_seconds : float, optional
        Stop repeating as soon as one call takes longer than this, so that a
        slow function costs one call instead of ``repeat``.
    threads : int, optional
        Run the calls with at most this many BLAS / OpenMP threads (through
        ``threadpoolctl``), e.g. 1 to compare compiled code fairly with a
        single-threaded Python loop, and to keep a busy machine from slowing
        multi-threaded code down erratically. ``None`` leaves the libraries' defaults.

    Returns
    -------
    seconds : float
        The smallest duration of the calls made.
    result : object
        What the last call returned.

    Raises
    ------
    TypeError
        If ``fn`` is not callable, or ``repeat`` or ``threads`` is not an integer.
    ValueError
        If ``repeat`` or ``threads`` is below 1 or ``max_seconds`` is not a positive number.

    Examples
    --------
    >>> seconds, result = timed_call(sorted, [3, 1, 2], repeat=5)
    >>> 0 < seconds < 1, result
    (True, [1, 2, 3])
    >>> timed_call(sorted, [3, 1, 2], repeat=0)
    Traceback (most recent call last):
    ...
    ValueError: repeat must be >= 1, got 0
    """
    check_callable(fn, "fn")
    _check_settings(repeat, max_seconds, threads)
    best, result = math.inf, None
    with threadpool_limits(limits=threads):  # None changes nothing
        for _ in range(repeat):
            start = time.perf_counter()
            result = fn(*args)
            elapsed = time.perf_counter() - start
            best = min(best, elapsed)
            if max_seconds is not None and elapsed > max_seconds:
                break
    return best, result


def time_call(
    fn: Callable[..., Any],
    *args: Any,
    repeat: int = 3,
    max_seconds: float | None = None,
    threads: int | None = None,
) -> float:
    """Best wall time, in seconds, of ``repeat`` calls ``fn(*args)``: :func:`timed_call`'s time.

    Parameters
    ----------
    fn, *args, repeat, max_seconds, threads
        As in :func:`timed_call`.

    Returns
    -------
    float
        The smallest duration of the calls made.

    Raises
    ------
    TypeError, ValueError
        As :func:`timed_call`.

    Examples
    --------
    >>> seconds = time_call(sorted, [3, 1, 2], repeat=5)
    >>> 0 < seconds < 1
    True
    """
    return timed_call(fn, *args, repeat=repeat, max_seconds=max_seconds, threads=threads)[0]


def time_growth(
    functions: Mapping[str, Callable[[Any], Any]],
    sizes: Sequence[int],
    make_input: Callable[[int], Any],
    *,
    repeat: int = 3,
    max_seconds: float = 1.0,
    threads: int | None = None,
) -> Timings:
    """Time every function on inputs of growing size, dropping each once it gets slow.

    For each size, in order, ``make_input(size)`` builds one input and every
    function still in the race is timed on it with :func:`time_call`. A
    function whose time at a size exceeds ``max_seconds`` keeps that last
    measurement but is not timed at the larger sizes.

    Parameters
    ----------
    functions : mapping of str to callable
        ``{name: function}``; each function takes the input as its one argument.
    sizes : sequence of int
        Strictly increasing positive sizes.
    make_input : callable
        ``make_input(size)`` returns the input for that size (built once per
        size and shared by every function, not timed).
    repeat : int, default 3
        Calls per function and size; the best time is kept.
    max_seconds : float, default 1.0
        The time budget of one call; ``math.inf`` times every size.
    threads : int, optional
        The thread limit of :func:`time_call`, for every call.

    Returns
    -------
    dict
        ``{name: [(size, seconds), ...]}`` in the order of ``functions``; a
        function dropped early has fewer points than ``sizes``.

    Raises
    ------
    TypeError
        If ``functions`` is not a mapping, a function or ``make_input`` is not
        callable, or a size, ``repeat`` or ``threads`` is not an integer.
    ValueError
        If ``functions`` or ``sizes`` is empty, a size is below 1, the sizes do
        not increase, or ``repeat``, ``max_seconds`` or ``threads`` is out of range.

    Examples
    --------
    >>> results = time_growth({"sorted": sorted, "max": max}, [10, 100],
    ...                       make_input=lambda n: list(range(n, 0, -1)))
    >>> [size for size, _ in results["sorted"]], [size for size, _ in results["max"]]
    ([10, 100], [10, 100])
    >>> time_growth({"sorted": sorted}, [100, 10], make_input=list)
    Traceback (most recent call last):
    ...
    ValueError: sizes must increase strictly, but 10 comes after 100
    """
    if not isinstance(functions, Mapping):
        raise TypeError(f"functions must be a dict of name -> function, got {functions!r}")
    if not functions:
        raise ValueError("functions is empty: give at least one function to time")
    for name, fn in functions.items():
        check_callable(fn, f"functions[{name!r}]")
    sizes = _checked_sizes(sizes)
    check_callable(make_input, "make_input")
    _check_settings(repeat, max_seconds, threads)
    if max_seconds is None:
        raise TypeError("max_seconds must be a number, got None; use math.inf for no budget")

    results: Timings = {name: [] for name in functions}
    racing = list(functions)
    with threadpool_limits(limits=threads):  # once here rather than in every time_call
        for size in sizes:
            if not racing:
                break
            data = make_input(size)
            for name in list(racing):
                seconds = time_call(functions[name], data, repeat=repeat, max_seconds=max_seconds)
                results[name].append((size, seconds))
                if seconds > max_seconds:
                    racing.remove(name)
    return results


def growth_exponent(points: Sequence[tuple[int, float]]) -> float:
    """Slope of the least-squares line through ``(log size, log seconds)``.

    A time proportional to ``size**k`` gives ``k``: about 2 for a loop over all
    pairs of columns, less while fixed overheads still dominate the small sizes.

    Parameters
    ----------
    points : sequence of (size, seconds)
        At least two points with different sizes, as in one entry of
        :func:`time_growth`'s result.

    Returns
    -------
    float
        The estimated exponent ``k``.

    Raises
    ------
    ValueError
        If there are fewer than two distinct sizes, or a size or time is not positive.

    Examples
    --------
    >>> round(growth_exponent([(10, 0.001), (100, 0.1), (1000, 10.0)]), 6)
    2.0
    """
    sizes, seconds = _checked_points(points, "points")
    if len(set(sizes)) < 2:
        raise ValueError(f"points need at least two different sizes, got {list(points)!r}")
    slope, _ = np.polyfit(np.log(sizes), np.log(seconds), 1)
    return float(slope)


def compare_speed(seconds: float, baseline_seconds: float) -> str:
    """Say how fast ``seconds`` is against ``baseline_seconds``, in words that cannot be misread.

    A bare ratio such as "0.6x" reads as faster to some and slower to others;
    this says "N times faster" or "N times slower", N being at least 1.

    Parameters
    ----------
    seconds : float
        The time of the version being described, positive.
    baseline_seconds : float
        The time of the version it is compared with, positive.

    Returns
    -------
    str
        ``"2.0 times faster"``, ``"1.6 times slower"``, or ``"as fast"`` when the
        two agree to the one decimal shown.

    Raises
    ------
    ValueError
        If either time is not a positive, finite number.

    Examples
    --------
    >>> compare_speed(1.0, 1.6)
    '1.6 times faster'
    >>> compare_speed(1.6, 1.0)
    '1.6 times slower'
    >>> compare_speed(1.0, 1.01)
    'as fast'
    """
    ours = check_real(seconds, "seconds", exclusive_minimum=0.0)
    baseline = check_real(baseline_seconds, "baseline_seconds", exclusive_minimum=0.0)
    factor = max(ours, baseline) / min(ours, baseline)
    if round(factor, 1) == 1.0:
        return "as fast"
    return f"{factor:.1f} times {'faster' if ours < baseline else 'slower'}"


def _check_settings(repeat: Any, max_seconds: Any, threads: Any) -> None:
    """Check the keyword arguments shared by :func:`time_call` and :func:`time_growth`."""
    check_count(repeat, "repeat", minimum=1)
    if max_seconds is not None:
        check_real(max_seconds, "max_seconds", exclusive_minimum=0, finite=False)
    if threads is not None:
        check_count(threads, "threads", minimum=1)


def _checked_sizes(sizes: Sequence[int]) -> list[int]:
    sizes = list(sizes)
    if not sizes:
        raise ValueError("sizes is empty: give at least one size")
    checked = [check_count(size, f"sizes[{i}]", minimum=1) for i, size in enumerate(sizes)]
    for before, after in pairwise(checked):
        if after <= before:
            raise ValueError(f"sizes must increase strictly, but {after} comes after {before}")
    return checked


def _checked_points(
    points: Sequence[tuple[int, float]], name: str
) -> tuple[list[float], list[float]]:
    """Split ``[(size, seconds), ...]`` into two lists after checking every value is > 0."""
    points = list(points)
    if not points:
        raise ValueError(f"{name} is empty: there is no (size, seconds) point")
    sizes, seconds = [], []
    for point in points:
        try:
            size, elapsed = point
        except (TypeError, ValueError):
            raise ValueError(f"{name} must hold (size, seconds) pairs, got {point!r}") from None
        for value in (size, elapsed):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
                raise ValueError(
                    f"{name} holds {point!r}: sizes and seconds must be positive numbers "
                    "(a log scale cannot show 0)"
                )
        sizes.append(float(size))
        seconds.append(float(elapsed))
    return sizes, seconds
