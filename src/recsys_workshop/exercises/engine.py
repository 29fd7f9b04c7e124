"""Run an exercise's cases against a learner's function and explain the first failure.

An :class:`Exercise` pairs the reference implementation with fixed cases (each
built to catch one classic mistake) and a generator of random cases. Every case
is run on the reference and on the learner's function with fresh copies of the
input; the learner's result is judged by the exercise's comparison, which says
in one sentence what is wrong.
"""

import copy
import sys
import traceback
import tracemalloc
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .show import show
from .values import same

__all__ = ["RANDOM_SEED", "Case", "CheckFailure", "Exercise"]

#: Seed of the random cases: a learner sees the same cases every time.
RANDOM_SEED = 20190

#: A comparison returns ``None`` when ``actual`` is right, else one sentence saying why not.
Compare = Callable[["Case", Any, Any], str | None]


def _plain_call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return function(*args, **kwargs)


@dataclass(frozen=True)
class Case:
    """One input to try, what it is for, and how to judge the answer.

    Parameters
    ----------
    label : str
        What the case tests, shown when it fails.
    args, kwargs
        The arguments; each call receives deep copies.
    hint : str
        One sentence that nudges towards the fix.
    raises : exception type, optional
        The exception the contract demands for this input.
    call : callable, optional
        ``call(function, *args, **kwargs)`` replaces the plain call, for cases
        that call the function twice or build a generator.
    compare : callable, optional
        Replaces the exercise's comparison for this case.
    max_peak_bytes : int, optional
        Fail when the call allocates more than this at its peak (to catch a
        sparse input being densified).
    """

    label: str
    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    hint: str = ""
    raises: type[BaseException] | None = None
    call: Callable[..., Any] = _plain_call
    compare: Compare | None = None
    max_peak_bytes: int | None = None


class CheckFailure(AssertionError):
    """The learner's function broke the contract on one case."""

    # Tracebacks in notebooks show the shorter public name.
    __module__ = "recsys_workshop.exercises"


@dataclass(frozen=True)
class Exercise:
    """A graded exercise: its reference, its points and how to test an implementation of it.

    ``points`` is what its graded test cell is worth in the chapter's notebook
    (a test keeps the two equal); the exercise catalogue and the README's
    points table are generated from it.
    """

    name: str
    reference: Callable[..., Any]
    fixed_cases: Callable[[], list[Case]]
    random_case: Callable[[np.random.Generator, int], Case]
    compare: Compare
    n_random: int = 20
    points: int = field(kw_only=True)

    def cases(self) -> Iterator[Case]:
        """The fixed cases, then ``n_random`` random ones from :data:`RANDOM_SEED`.

        Each exercise draws its own stream, keyed by its name, so adding an
        exercise never changes the cases of another.
        """
        yield from self.fixed_cases()
        rng = np.random.default_rng([RANDOM_SEED, zlib.crc32(self.name.encode())])
        for number in range(1, self.n_random + 1):
            yield self.random_case(rng, number)

    def check(self, function: Callable[..., Any]) -> int:
        """Run every case; raise :class:`CheckFailure` on the first wrong one.

        Returns
        -------
        int
            How many cases passed.
        """
        count = 0
        for case in self.cases():
            problem = self._judge(function, case)
            if problem is not None:
                raise CheckFailure(self._message(case, *problem))
            count += 1
        return count

    def _judge(self, function: Callable[..., Any], case: Case) -> tuple[str, str, str] | None:
        """``None`` if ``function`` passes ``case``, else (expected, got, why)."""
        expected = None
        if case.raises is None:
            expected = case.call(self.reference, *copy.deepcopy(case.args),
                                 **copy.deepcopy(dict(case.kwargs)))
        args, kwargs = copy.deepcopy(case.args), copy.deepcopy(dict(case.kwargs))
        expected_text = (
            f"{case.raises.__name__} raised" if case.raises else show(expected)
        )
        try:
            actual, peak = _measured(case, function, args, kwargs)
        except Exception as error:  # the learner's code may raise anything
            if case.raises is not None and isinstance(error, case.raises):
                return None
            return expected_text, _describe_error(error), _error_reason(error, case)
        if case.raises is not None:
            return (expected_text, show(actual),
                    f"it returned instead of raising {case.raises.__name__}")
        if not (same(args, case.args) and same(kwargs, dict(case.kwargs))):
            return expected_text, show(actual), "it modified its input; work on a copy instead"
        if case.max_peak_bytes is not None and peak > case.max_peak_bytes:
            return (
                expected_text,
                show(actual),
                f"it allocated {peak / 1e6:.1f} MB at its peak, more than the "
                f"{case.max_peak_bytes / 1e6:.1f} MB a sparse computation needs here: "
                "the sparse input seems to have been turned into a dense array",
            )
        reason = (case.compare or self.compare)(case, expected, actual)
        return None if reason is None else (expected_text, show(actual), reason)

    def _message(self, case: Case, expected: str, got: str, why: str) -> str:
        lines = [
            f"check({self.name!r}) failed on: {case.label}",
            _field("input", _show_call(self.name, case)),
            _field("expected", expected),
            _field("got", got),
            _field("why", why),
        ]
        if case.hint:
            lines.append(_field("hint", case.hint))
        return "\n".join(lines)


def _measured(
    case: Case, function: Callable[..., Any], args: tuple, kwargs: dict
) -> tuple[Any, int]:
    if case.max_peak_bytes is None:
        return case.call(function, *args, **kwargs), 0
    tracemalloc.start()
    try:
        result = case.call(function, *args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _field(name: str, text: str) -> str:
    indent = " " * 12
    body = text.replace("\n", "\n" + indent)
    return f"  {name + ':':<10}{body}"


def _show_call(name: str, case: Case) -> str:
    parts = [show(arg) for arg in case.args]
    parts += [f"{key}={show(value)}" for key, value in case.kwargs.items()]
    if case.call is not _plain_call and case.call.__doc__:
        return case.call.__doc__.strip()
    if any("\n" in part for part in parts):
        return f"{name}(\n" + ",\n".join(parts) + "\n)"
    return f"{name}({', '.join(parts)})"


def _describe_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _error_reason(error: BaseException, case: Case) -> str:
    if isinstance(error, NotImplementedError):
        return "the function is not written yet (it still raises NotImplementedError)"
    where = _learner_line(error)
    what = f"expected {case.raises.__name__}, but " if case.raises else ""
    return f"{what}your function raised {type(error).__name__}{where}"


def _learner_line(error: BaseException) -> str:
    """' at line N: code' for the deepest frame outside libraries, when there is one."""
    library_roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    package_root = Path(__file__).resolve().parents[1]
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename).resolve()
        if package_root in path.parents or any(root in path.parents for root in library_roots):
            continue
        code = f": {frame.line.strip()}" if frame.line else ""
        return f" at line {frame.lineno}{code}"
    return ""
