"""The exercises façade used by notebooks, tests and graders alike.

>>> from recsys_workshop import exercises
>>> exercises.names()[:2]
['build_index_mapping', 'build_interactions_mapping']
>>> def build_index_mapping(values):
...     return {value: index for index, value in enumerate(dict.fromkeys(values))}
>>> exercises.check("build_index_mapping", build_index_mapping)

``check(name, fn)`` returns ``None`` when ``fn`` meets the exercise's contract
(``EXERCISES.md``, generated from the chapter registry) and raises an
``AssertionError`` that shows the first failing case otherwise, or says that
``fn`` runs the reference instead of code of its own (:mod:`.integrity`); a test cell
passes its worked examples as ``check(name, fn, examples=[Example(...), ...])``
so that they fail with the same message. :func:`report` does the same and prints one line
when everything passes, for notebooks. :func:`yours_or_reference` lets a
demonstration cell run for everyone: it uses the learner's function once it
passes, and the reference until then.
"""

import importlib
from collections.abc import Callable, Iterable
from typing import Any

from ..chapters import Chapter, graded
from .engine import CheckFailure, Example, Exercise

__all__ = [
    "CheckFailure",
    "Example",
    "check",
    "exercises_of",
    "names",
    "reference",
    "report",
    "yours_or_reference",
]


def exercises_of(chapter: Chapter) -> list[Exercise]:
    """The graded exercises of ``chapter``, in order (``[]`` for a chapter without any).

    They are the ``EXERCISES`` of the module the chapter registry names.

    Examples
    --------
    >>> from recsys_workshop.chapters import chapter
    >>> [exercise.name for exercise in exercises_of(chapter("04_recommendations"))]
    ['build_customer_vector', 'make_recos', 'get_inverse_skus_map']
    """
    if chapter.checks is None:
        return []
    return list(importlib.import_module(f"{__name__}.{chapter.checks}").EXERCISES)


_EXERCISES: dict[str, Exercise] = {
    exercise.name: exercise for chapter in graded() for exercise in exercises_of(chapter)
}


def names() -> list[str]:
    """Every graded exercise name, in workshop order.

    Examples
    --------
    >>> len(names()), names()[-1]
    (26, 'latency_summary')
    """
    return list(_EXERCISES)


def reference(name: str) -> Callable[..., Any]:
    """The reference implementation of exercise ``name``.

    Raises
    ------
    ValueError
        If ``name`` is not an exercise.

    Examples
    --------
    >>> reference("get_inverse_skus_map")({"a": 0})
    {0: 'a'}
    """
    return _exercise(name).reference


def check(name: str, fn: Callable[..., Any], examples: Iterable[Example] = ()) -> None:
    """Check ``fn`` against exercise ``name``'s contract, on examples, fixed and random cases.

    The ``examples`` run first, then the exercise's fixed cases (each built to
    catch one classic mistake), then random cases from a fixed seed. What
    ``fn`` prints or warns meanwhile is kept out of the output (a failure
    message quotes it briefly). In IPython and Jupyter the traceback of a
    failure holds the caller's frames only, then the message.

    Parameters
    ----------
    name : str
        An exercise name from :func:`names`.
    fn : callable
        The implementation to check.
    examples : iterable of Example, optional
        Worked examples that the notebook's test cell shows, each with its
        label, arguments, expected result (checked against the reference)
        and hint.

    Returns
    -------
    None
        When every case passes.

    Raises
    ------
    AssertionError
        A :class:`CheckFailure` on the first failing case, with the input, the
        expected and the actual result (or the exception raised), why it is
        wrong, and a hint; or as soon as ``fn`` runs the reference's code (it
        is the reference, wraps it or calls it) or turns off the watch on it.
    TypeError
        If ``fn`` is not callable, or an example is not an :class:`Example`.
    ValueError
        If ``name`` is not an exercise, or an example's expected result is not
        the reference's.

    Examples
    --------
    >>> check("build_index_mapping", lambda values: {1: 0}, examples=[
    ...     Example("three values", (["a", "b", "c"],), {"a": 0, "b": 1, "c": 2},
    ...             hint="Number the values from 0, in the order they come."),
    ... ])
    Traceback (most recent call last):
    ...
    recsys_workshop.exercises.CheckFailure: check('build_index_mapping') failed on: three values
      input:    build_index_mapping(['a', 'b', 'c'])
      expected: {'a': 0, 'b': 1, 'c': 2}
      got:      {1: 0}
      why:      key 'a' is missing
      hint:     Number the values from 0, in the order they come.
    """
    _run(name, fn, examples)


def report(name: str, fn: Callable[..., Any], examples: Iterable[Example] = ()) -> None:
    """Like :func:`check`, and print one line when every case passes.

    Examples
    --------
    >>> report("get_inverse_skus_map", lambda mapping: {i: sku for sku, i in mapping.items()})
    ✔ get_inverse_skus_map: all 24 checks passed.
    """
    print(f"✔ {name}: all {_run(name, fn, examples)} checks passed.")


def yours_or_reference(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` if it passes :func:`check`, else the reference; print which one.

    Notebook cells that demonstrate, time or plot an exercise call this, so
    they work before the exercise is solved and use the learner's own code
    after.

    Parameters
    ----------
    name : str
        An exercise name from :func:`names`.
    fn : callable
        The learner's implementation.

    Returns
    -------
    callable
        ``fn`` or ``reference(name)``.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    ValueError
        If ``name`` is not an exercise.

    Examples
    --------
    >>> def unfinished(values):
    ...     raise NotImplementedError()
    >>> chosen = yours_or_reference("build_index_mapping", unfinished)
    build_index_mapping: yours does not pass check() yet, so this uses the reference.
    >>> chosen(["a", "b", "a"])
    {'a': 0, 'b': 1}
    """
    try:
        _run(name, fn)
    except CheckFailure:
        print(f"{name}: yours does not pass check() yet, so this uses the reference.")
        return reference(name)
    print(f"{name}: using yours, which passes check().")
    return fn


def _run(name: str, fn: Callable[..., Any], examples: Iterable[Example] = ()) -> int:
    exercise = _exercise(name)
    if not callable(fn):
        raise TypeError(f"check({name!r}, fn) needs a function, got {fn!r}")
    try:
        return exercise.check(fn, examples)
    except CheckFailure as failure:
        raise CheckFailure(str(failure)) from None


def _exercise(name: str) -> Exercise:
    try:
        return _EXERCISES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown exercise {name!r}; the exercises are {names()}") from None
