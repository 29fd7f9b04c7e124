"""Catch a learner's function that runs the reference instead of its own code.

Every notebook can reach the reference implementations: through
``exercises.reference(name)``, an import from a topic module
(``from recsys_workshop.mapping import build_interactions_mapping``), or a
function object captured earlier. An answer that is, wraps or calls one of them
would pass every case. While ``check`` runs the learner's function,
:func:`watching` installs a profile hook (``sys.setprofile``, and
``threading.setprofile`` for the threads it starts) that notes every start of
the reference's code object, whatever name or wrapper it was reached through,
and every call that would blind the hook: turning profiling off, or starting
another process (which the hook cannot follow). ``check`` then fails with
:func:`message`, and so does the graded test cell.

What it does not catch: the reference's source text compiled again (a new code
object), or the private helpers a reference calls. Grading flags notebooks whose
answer cells are identical to the instructor's solutions for the instructor to
read (:mod:`recsys_workshop.submissions`).
"""

import contextlib
import importlib
import types
from collections.abc import Callable, Iterator
from sys import getprofile, setprofile
from threading import setprofile as set_thread_profile
from typing import Any

__all__ = ["REFUSED", "Watch", "message", "watching"]

#: How the message of an answer that runs the reference begins, after ``check('name') failed:``.
REFUSED = "your function runs the reference implementation"


def _module(name: str) -> types.ModuleType | None:
    """The module ``name``, or None where this platform has none."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_SPAWNS = "started another process, which check() cannot watch"
#: C functions a learner's function may not call while it is checked, and why.
_BLINDING = {
    function: why
    for module, name, why in [
        ("sys", "setprofile", "turned off the hook that watches it"),
        ("sys", "getprofile", "reached for the hook that watches it"),
        ("os", "fork", _SPAWNS),
        ("os", "forkpty", _SPAWNS),
        ("os", "posix_spawn", _SPAWNS),
        ("os", "posix_spawnp", _SPAWNS),
        ("os", "system", _SPAWNS),
        ("os", "execv", _SPAWNS),
        ("os", "execve", _SPAWNS),
        ("_posixsubprocess", "fork_exec", _SPAWNS),  # subprocess and multiprocessing
    ]
    if (function := getattr(_module(module), name, None)) is not None
}


class Watch:
    """What a learner's function did while :func:`watching` it.

    Attributes
    ----------
    reference_ran : bool
        Whether the reference's code started, in any thread.
    blinded : str
        Why the hook could not watch the whole call (``""`` if it could).
    """

    def __init__(self, reference: Callable[..., Any]) -> None:
        self._code: types.CodeType = reference.__code__
        self._threading_setprofile = set_thread_profile.__code__
        self._armed = True
        self.reference_ran = False
        self.blinded = ""

    def hook(self, frame: types.FrameType, event: str, arg: Any) -> None:
        """The profile function: note the reference's start and every blinding call."""
        if not self._armed:
            return
        if event == "call":
            if frame.f_code is self._code:
                self.reference_ran = True
            elif frame.f_code is self._threading_setprofile:
                self.blinded = self.blinded or "changed the hook that watches its threads"
        elif event == "c_call" and not self.blinded:
            with contextlib.suppress(TypeError):  # an unhashable callable is never listed
                self.blinded = _BLINDING.get(arg, "")

    def disarm(self) -> None:
        """Stop noting anything (before the hook itself is removed)."""
        self._armed = False


@contextlib.contextmanager
def watching(reference: Callable[..., Any]) -> Iterator[Watch]:
    """Watch the calls made while the block runs, in this thread and the threads it starts.

    Parameters
    ----------
    reference : function
        The reference implementation the block must not run.

    Yields
    ------
    Watch
        Read it after the block.

    Examples
    --------
    >>> def reference(x):
    ...     return x + 1
    >>> captured = reference
    >>> with watching(reference) as watch:
    ...     _ = (lambda x: captured(x))(1)
    >>> watch.reference_ran
    True
    """
    watch = Watch(reference)
    previous = getprofile()
    set_thread_profile(watch.hook)
    setprofile(watch.hook)
    try:
        yield watch
    finally:
        watch.disarm()
        setprofile(previous)
        set_thread_profile(None)


def message(name: str, reference: Callable[..., Any], watch: Watch) -> str | None:
    """Why ``watch`` disqualifies the answer to exercise ``name``, or ``None`` if it does not.

    Examples
    --------
    >>> def reference(x):
    ...     return x
    >>> with watching(reference) as watch:
    ...     _ = reference(1)
    >>> print(message("identity", reference, watch).splitlines()[0])
    check('identity') failed: your function runs the reference implementation
    """
    if watch.reference_ran:
        where = f"{reference.__module__}.{reference.__qualname__}"
        return (f"check({name!r}) failed: {REFUSED}\n"
                f"  ({where})\n"
                "  instead of code of its own: it is that function, wraps it or calls it\n"
                "  (through exercises.reference, an import from recsys_workshop, or a\n"
                "  function object kept earlier). check() and grading score such an\n"
                "  answer 0: write the function yourself.")
    if watch.blinded:
        return (f"check({name!r}) failed: while it was checked, your function {watch.blinded}.\n"
                "  check() and grading score such an answer 0: remove that call.")
    return None
