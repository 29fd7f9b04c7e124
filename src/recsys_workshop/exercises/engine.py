"""Run an exercise's cases against a learner's function and explain the first failure.

An :class:`Exercise` pairs the reference implementation with fixed cases (each
built to catch one classic mistake) and a generator of random cases; a notebook's
test cell may put its own :class:`Example` cases first. Every case is run on the
reference and on the learner's function with fresh copies of the input, with
what they print or warn captured; the learner's result is judged by the
exercise's comparison, which says in one sentence what is wrong.
"""

import contextlib
import copy
import io
import sys
import traceback
import tracemalloc
import types
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import integrity
from .show import show
from .values import same

__all__ = ["RANDOM_SEED", "Case", "CheckFailure", "Example", "Exercise"]

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


#: Where the package lives: its frames are left out of a notebook's traceback.
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]

#: How much of what the learner's function printed a failure message quotes.
_MAX_PRINTED_CHARS = 80


class CheckFailure(AssertionError):
    """The learner's function broke the contract on one case.

    In IPython and Jupyter the traceback shows only the learner's frames (the
    test cell's line) and then the message: the frames of this package are
    left out, so the input, expected, got, why and hint fields are the first
    thing below the cell.
    """

    # Tracebacks in notebooks show the shorter public name.
    __module__ = "recsys_workshop.exercises"

    def _render_traceback_(self) -> list[str]:
        """IPython's rendering of this failure, without the package's frames.

        IPython calls this hook of an exception, when it exists, instead of
        formatting the traceback itself; nothing else of the kernel changes.
        Each frame shows its executing line and the line before it only, so
        that the message stays on the first screen below a test cell.
        """
        from IPython import get_ipython  # only IPython calls this hook: load it lazily

        return get_ipython().InteractiveTB.structured_traceback(
            type(self), self, _outside_package(self.__traceback__), context=2)


def _outside_package(tb: types.TracebackType | None) -> types.TracebackType | None:
    """``tb`` without the entries of frames that run this package's code."""
    entries = []
    while tb is not None:
        if _PACKAGE_ROOT not in Path(tb.tb_frame.f_code.co_filename).resolve().parents:
            entries.append(tb)
        tb = tb.tb_next
    kept = None
    for entry in reversed(entries):
        kept = types.TracebackType(kept, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return kept


class _FromReference:
    """The default of :attr:`Example.expected`: whatever the reference returns."""

    def __repr__(self) -> str:
        return "FROM_REFERENCE"


FROM_REFERENCE: Any = _FromReference()


@dataclass(frozen=True)
class Example:
    """A worked example that a notebook's test cell shows and ``check`` runs first.

    A failing example gets the same message as any other case of the check:
    input, expected, got, why and hint.

    Parameters
    ----------
    label : str
        What the example shows, e.g. ``"indices follow first appearance"``.
    args : tuple
        The positional arguments of the call.
    expected : object, optional
        The result, written out for the reader. ``check`` verifies it against
        the reference (a wrong example is a bug of the notebook and raises
        ``ValueError``) and judges the learner's result as it judges every
        case. Leave it out when the reference's result is too long to write.
    hint : str
        One sentence that nudges towards the fix when the example fails.
    raises : exception type, optional
        The exception the contract demands for this input (then leave out
        ``expected``).
    kwargs : dict, optional
        The keyword arguments of the call.

    Examples
    --------
    >>> example = Example("a repeated value keeps its first index", (["b", "a", "b"],),
    ...                   {"b": 0, "a": 1}, hint="Skip a value seen before.")
    >>> example.case().label
    'a repeated value keeps its first index'
    """

    label: str
    args: tuple
    expected: Any = FROM_REFERENCE
    hint: str = ""
    raises: type[BaseException] | None = None
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.args, tuple):
            raise TypeError(
                f"Example {self.label!r}: args must be a tuple of the positional arguments, "
                f"e.g. ({self.args!r},), got {type(self.args).__name__}"
            )
        if self.raises is not None and self.expected is not FROM_REFERENCE:
            raise ValueError(f"Example {self.label!r} gives both expected= and raises=")

    def case(self) -> Case:
        """The :class:`Case` that ``check`` runs for this example."""
        return Case(self.label, self.args, self.kwargs, hint=self.hint, raises=self.raises)


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

    def check(self, function: Callable[..., Any], examples: Iterable[Example] = ()) -> int:
        """Run ``examples``, then every case; raise :class:`CheckFailure` on the first wrong one.

        Returns
        -------
        int
            How many cases passed.

        Raises
        ------
        ValueError
            If an example's ``expected`` is not what the reference returns.
        """
        cases = [self._verified(example) for example in examples]
        count = 0
        for case in [*cases, *self.cases()]:
            printed = io.StringIO()
            problem = self._judge(function, case, printed)
            if problem is not None:
                raise CheckFailure(self._message(case, *problem, printed.getvalue()))
            count += 1
        return count

    def _verified(self, example: Example) -> Case:
        if not isinstance(example, Example):
            raise TypeError(f"examples must be exercises.Example objects, got {example!r}")
        case = example.case()
        if example.raises is None and example.expected is not FROM_REFERENCE:
            with _captured(io.StringIO()):
                wanted = self.reference(*copy.deepcopy(case.args),
                                        **copy.deepcopy(dict(case.kwargs)))
            wrong = (case.compare or self.compare)(case, wanted, example.expected)
            if wrong is not None:
                raise ValueError(
                    f"the example {example.label!r} of {self.name!r} expects "
                    f"{show(example.expected)}, but the reference returns {show(wanted)}: {wrong}"
                )
        return case

    def _judge(
        self, function: Callable[..., Any], case: Case, printed: io.StringIO
    ) -> tuple[str, str, str] | None:
        """``None`` if ``function`` passes ``case``, else (expected, got, why).

        What either function prints goes to ``printed``; their warnings are dropped.
        """
        expected = None
        if case.raises is None:
            with _captured(io.StringIO()):
                expected = case.call(self.reference, *copy.deepcopy(case.args),
                                     **copy.deepcopy(dict(case.kwargs)))
        args, kwargs = copy.deepcopy(case.args), copy.deepcopy(dict(case.kwargs))
        expected_text = (
            f"{case.raises.__name__} raised" if case.raises else show(expected)
        )
        try:
            with _captured(printed), integrity.watching(self.reference) as watch:
                actual, peak = _measured(case, function, args, kwargs)
        except Exception as error:  # the learner's code may raise anything
            self._refuse_if_disqualified(watch)
            if case.raises is not None and isinstance(error, case.raises):
                return None
            return expected_text, _describe_error(error), _error_reason(error, case)
        self._refuse_if_disqualified(watch)
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

    def _refuse_if_disqualified(self, watch: integrity.Watch) -> None:
        """Fail the whole check when the learner's function ran the reference."""
        reason = integrity.message(self.name, self.reference, watch)
        if reason is not None:
            raise CheckFailure(reason)

    def _message(self, case: Case, expected: str, got: str, why: str, printed: str) -> str:
        lines = [
            f"check({self.name!r}) failed on: {case.label}",
            _field("input", _show_call(self.name, case)),
            _field("expected", expected),
            _field("got", got),
            _field("why", why),
            _field("hint", case.hint or _default_hint(got)),
        ]
        if printed.strip():
            lines.append(_field("printed", _summary(printed)))
        return "\n".join(lines)


@contextlib.contextmanager
def _captured(printed: io.StringIO) -> Iterator[None]:
    """Send stdout, stderr and warnings to ``printed`` instead of the notebook, for the duration."""
    with (contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed),
          warnings.catch_warnings(record=True) as caught):
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for warning in caught:
                printed.write(f"{warning.category.__name__}: {warning.message}\n")


def _summary(printed: str) -> str:
    """The first line of what a function printed, cut short, and how many lines it was."""
    lines = printed.strip().splitlines()
    first = lines[0]
    if len(first) > _MAX_PRINTED_CHARS:
        first = first[:_MAX_PRINTED_CHARS] + "..."
    more = f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else ""
    return f"{first!r}{more}"


def _default_hint(got: str) -> str:
    """The hint of a case that has none of its own."""
    if got.startswith("NotImplementedError"):
        return "Replace `raise NotImplementedError()` in the answer cell with your code and run it."
    return "Call your function on the input above in a new cell and compare with expected."


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
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename).resolve()
        if _PACKAGE_ROOT in path.parents or any(root in path.parents for root in library_roots):
            continue
        code = f": {frame.line.strip()}" if frame.line else ""
        return f" at line {frame.lineno}{code}"
    return ""
