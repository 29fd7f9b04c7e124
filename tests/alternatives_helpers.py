"""Shared helpers of the tests that run ``exercises.check`` on wrong and correct functions.

Each ``tests/alternatives_chapterN*.py`` lists, per exercise, wrong implementations
(one classic learner mistake each, with a piece of the reason ``check`` must give)
and correct alternatives written with another algorithm than the reference.
"""

import types
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from recsys_workshop import exercises

#: A failure message must stay readable in a notebook cell.
MAX_MESSAGE_CHARS = 3000


def wrong_cases(rows: Iterable[tuple[str, Callable[..., Any], str]]) -> list[Any]:
    """``(name, wrong_fn, reason)`` rows as pytest params named after the mistake."""
    return [pytest.param(name, fn, reason, id=f"{name}-{fn.__name__}")
            for name, fn, reason in rows]


def correct_cases(rows: Iterable[tuple[str, Callable[..., Any]]]) -> list[Any]:
    """``(name, fn)`` rows as pytest params named after the alternative."""
    return [pytest.param(name, fn, id=f"{name}-{fn.__name__}") for name, fn in rows]


def failure_message(name: str, fn: Callable[..., Any]) -> str:
    """The message of the AssertionError ``check(name, fn)`` must raise."""
    try:
        exercises.check(name, fn)
    except AssertionError as failure:
        return str(failure)
    raise AssertionError(f"check({name!r}) accepted the wrong {fn.__name__}: {fn.__doc__}")


def why(message: str) -> str:
    """The ``why:`` part of a failure message."""
    return message.split("\n  why:", 1)[1].split("\n  hint:", 1)[0].strip()


def assert_rejected(name: str, fn: Callable[..., Any], reason: str) -> None:
    """``check`` rejects ``fn`` with a complete, short message whose reason holds ``reason``."""
    message = failure_message(name, fn)
    for part in (f"check({name!r}) failed on: ", "\n  input:", "\n  expected:", "\n  got:",
                 "\n  why:"):
        assert part in message, f"{part!r} missing from the message:\n{message}"
    assert reason in why(message), f"expected {reason!r} in the reason of:\n{message}"
    assert len(message) < MAX_MESSAGE_CHARS, f"{len(message)} characters:\n{message}"


def reference_copy(name: str) -> Callable[..., Any]:
    """The reference of exercise ``name`` with its code compiled anew: a learner's equal answer.

    ``check`` refuses the reference itself and anything that runs its code
    object (``recsys_workshop.exercises.integrity``); a copy of the code, like
    an answer that happens to equal the reference, is judged on its results.
    """
    original = exercises.reference(name)
    copy = types.FunctionType(original.__code__.replace(), original.__globals__, name,
                              original.__defaults__, original.__closure__)
    copy.__kwdefaults__ = original.__kwdefaults__
    return copy
