"""recsys_workshop.timing: best-of-n timing, the time budget, the growth exponent."""

import math
import time

import numpy as np  # noqa: F401  (loads the BLAS library that threadpoolctl limits)
import pytest
from threadpoolctl import threadpool_info

from recsys_workshop.timing import (
    compare_speed,
    growth_exponent,
    time_call,
    time_growth,
    timed_call,
)

SLOW = 0.1  # seconds slept by a "slow" call
BUDGET = 0.05  # a budget far above a no-op call, far below SLOW


def noop(data):
    return None


class Recorder:
    """A function that records its arguments and sleeps SLOW from a given size on."""

    def __init__(self, slow_from=math.inf, slow_calls=None):
        self.calls = []
        self.slow_from = slow_from
        self.slow_calls = slow_calls  # indices of calls that sleep, whatever the size

    def __call__(self, data):
        index = len(self.calls)
        self.calls.append(data)
        size = len(data) if hasattr(data, "__len__") else data
        if size >= self.slow_from or (self.slow_calls and index in self.slow_calls):
            time.sleep(SLOW)


# time_call ---------------------------------------------------------------------------


def test_time_call_calls_repeat_times_with_the_arguments():
    seen = []
    time_call(lambda *args: seen.append(args), 1, "two", repeat=4)
    assert seen == [(1, "two")] * 4


def test_time_call_keeps_the_best_time_not_the_first_or_the_mean():
    slow_first = Recorder(slow_calls={0})
    seconds = time_call(slow_first, 0, repeat=3)
    assert len(slow_first.calls) == 3
    assert seconds < SLOW / 2


def test_time_call_measures_the_call():
    assert time_call(time.sleep, SLOW, repeat=1) >= SLOW


def test_time_call_stops_repeating_once_a_call_exceeds_max_seconds():
    slow = Recorder(slow_from=0)
    seconds = time_call(slow, 0, repeat=5, max_seconds=BUDGET)
    assert len(slow.calls) == 1
    assert seconds >= SLOW


def test_time_call_without_budget_makes_every_call():
    slow = Recorder(slow_from=0)
    time_call(slow, 0, repeat=2)
    assert len(slow.calls) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"repeat": 0}, ValueError, "repeat must be >= 1, got 0"),
        ({"repeat": 2.5}, TypeError, "repeat must be an integer, got 2.5"),
        ({"max_seconds": 0}, ValueError, "max_seconds must be > 0, got 0"),
        ({"max_seconds": -1.0}, ValueError, "got -1.0"),
        ({"max_seconds": math.nan}, ValueError, "got nan"),
        ({"max_seconds": "1"}, TypeError, "max_seconds must be a number, got '1'"),
        ({"threads": 0}, ValueError, "threads must be >= 1, got 0"),
        ({"threads": 1.0}, TypeError, "threads must be an integer, got 1.0"),
    ],
)
def test_time_call_rejects_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        time_call(noop, 0, **kwargs)


def blas_threads():
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_time_call_limits_the_blas_threads_during_the_calls_only():
    before = blas_threads()
    seen = []
    time_call(lambda: seen.append(blas_threads()), repeat=2, threads=1)
    assert seen == [{1}, {1}]
    assert blas_threads() == before
    time_call(lambda: seen.append(blas_threads()), repeat=1)  # None: the defaults
    assert seen[-1] == before


def test_time_call_rejects_a_non_callable():
    with pytest.raises(TypeError, match=r"fn must be callable, got 42 \(int\)"):
        time_call(42)


def test_time_call_lets_the_functions_error_through():
    with pytest.raises(ZeroDivisionError):
        time_call(lambda: 1 / 0)


# time_growth -------------------------------------------------------------------------


def test_time_growth_times_every_function_at_every_size_in_order():
    made = []

    def make_input(size):
        made.append(size)
        return list(range(size))

    first, second = Recorder(), Recorder()
    results = time_growth({"b": first, "a": second}, (1, 5, 20), make_input, repeat=2)
    assert list(results) == ["b", "a"]  # the order of `functions`, not sorted
    assert made == [1, 5, 20]  # one input per size, in order
    for points in results.values():
        assert [size for size, _ in points] == [1, 5, 20]
        assert all(seconds > 0 for _, seconds in points)
    # both functions receive the same input object, twice per size
    assert [len(data) for data in first.calls] == [1, 1, 5, 5, 20, 20]
    assert all(a is b for a, b in zip(first.calls, second.calls, strict=True))


def test_time_growth_drops_a_function_after_its_first_size_over_budget():
    slow = Recorder(slow_from=20)
    results = time_growth(
        {"slow": slow, "fast": noop}, [5, 20, 50, 100], lambda n: list(range(n)),
        repeat=3, max_seconds=BUDGET,
    )
    assert [size for size, _ in results["slow"]] == [5, 20]  # the over-budget point is kept
    assert results["slow"][-1][1] >= SLOW
    assert [size for size, _ in results["fast"]] == [5, 20, 50, 100]
    # at size 20 the repeats stopped after the first slow call; never called afterwards
    assert [len(data) for data in slow.calls] == [5, 5, 5, 20]


def test_time_growth_stops_building_inputs_once_every_function_is_dropped():
    made = []

    def make_input(size):
        made.append(size)
        return size

    results = time_growth({"slow": Recorder(slow_from=0)}, [1, 2, 3], make_input,
                          max_seconds=BUDGET)
    assert results == {"slow": [(1, pytest.approx(results["slow"][0][1]))]}
    assert made == [1]


def test_time_growth_limits_the_blas_threads_for_every_call():
    before = blas_threads()
    seen = []
    time_growth({"f": lambda n: seen.append(blas_threads())}, [1, 2], lambda n: n,
                repeat=1, threads=1)
    assert seen == [{1}, {1}]
    assert blas_threads() == before


def test_time_growth_with_an_infinite_budget_times_every_size():
    results = time_growth({"slow": Recorder(slow_from=2)}, [1, 2, 3], lambda n: n,
                          repeat=1, max_seconds=math.inf)
    assert [size for size, _ in results["slow"]] == [1, 2, 3]


@pytest.mark.parametrize(
    ("functions", "sizes", "error", "message"),
    [
        ({}, [1], ValueError, "functions is empty"),
        ([noop], [1], TypeError, "functions must be a dict"),
        ({"f": "noop"}, [1], TypeError, r"functions\['f'\] must be callable, got 'noop'"),
        ({"f": noop}, [], ValueError, "sizes is empty"),
        ({"f": noop}, [10, 5], ValueError, "sizes must increase strictly, but 5 comes after 10"),
        ({"f": noop}, [10, 10], ValueError, "but 10 comes after 10"),
        ({"f": noop}, [0, 10], ValueError, r"sizes\[0\] must be >= 1, got 0"),
        ({"f": noop}, [1, 2.0], TypeError, r"sizes\[1\] must be an integer, got 2.0"),
        ({"f": noop}, [True], TypeError, r"sizes\[0\] must be an integer, got True"),
    ],
)
def test_time_growth_rejects_bad_functions_and_sizes(functions, sizes, error, message):
    with pytest.raises(error, match=message):
        time_growth(functions, sizes, lambda n: n)


def test_time_growth_rejects_bad_make_input_and_settings():
    with pytest.raises(TypeError, match="make_input must be callable, got 3"):
        time_growth({"f": noop}, [1], 3)
    with pytest.raises(ValueError, match="repeat must be >= 1, got 0"):
        time_growth({"f": noop}, [1], lambda n: n, repeat=0)
    with pytest.raises(ValueError, match="max_seconds must be > 0, got 0"):
        time_growth({"f": noop}, [1], lambda n: n, max_seconds=0)
    with pytest.raises(TypeError, match="max_seconds must be a number, got None"):
        time_growth({"f": noop}, [1], lambda n: n, max_seconds=None)
    with pytest.raises(ValueError, match="threads must be >= 1, got 0"):
        time_growth({"f": noop}, [1], lambda n: n, threads=0)


# growth_exponent ---------------------------------------------------------------------


@pytest.mark.parametrize("k", [0.5, 1.0, 2.0, 3.0])
def test_growth_exponent_recovers_the_power_of_a_power_law(k):
    points = [(n, 1e-6 * n**k) for n in (10, 20, 40, 80)]
    assert growth_exponent(points) == pytest.approx(k)


def test_growth_exponent_fits_noisy_points_by_least_squares():
    # slopes 1 then 3 between consecutive points: the fitted line has slope 2
    assert growth_exponent([(1, 1.0), (10, 10.0), (100, 10_000.0)]) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([(10, 0.1)], "at least two different sizes"),
        ([(10, 0.1), (10, 0.2)], "at least two different sizes"),
        ([], "points is empty"),
        ([(10, 0.1), (20, 0.0)], r"points holds \(20, 0.0\): sizes and seconds must be positive"),
        ([(0, 0.1), (20, 0.2)], r"points holds \(0, 0.1\)"),
        ([(10, 0.1), (20,)], r"points must hold \(size, seconds\) pairs, got \(20,\)"),
    ],
)
def test_growth_exponent_rejects_unusable_points(points, message):
    with pytest.raises(ValueError, match=message):
        growth_exponent(points)


def test_timed_call_gives_the_best_time_and_the_last_result():
    calls = []

    def counted(value):
        calls.append(value)
        return len(calls)

    seconds, result = timed_call(counted, "x", repeat=4)
    assert calls == ["x"] * 4 and result == 4
    assert 0 <= seconds < 1


@pytest.mark.parametrize("seconds, baseline, words", [
    (0.08, 0.04, "2.0 times slower"),
    (0.04, 0.08, "2.0 times faster"),
    (1.0, 1.04, "as fast"),
])
def test_compare_speed_says_faster_or_slower_never_a_bare_ratio(seconds, baseline, words):
    assert compare_speed(seconds, baseline) == words


@pytest.mark.parametrize("seconds, baseline, message", [
    (0.0, 1.0, "seconds"),
    (1.0, -2.0, "baseline_seconds"),
    (1.0, math.inf, "baseline_seconds"),
])
def test_compare_speed_rejects_times_that_are_not_positive(seconds, baseline, message):
    with pytest.raises(ValueError, match=message):
        compare_speed(seconds, baseline)
