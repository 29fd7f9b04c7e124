"""Keep an answer cell from changing what the graded cells after it run or report.

An IPython extension that autograding loads into every grading kernel
(``--ext=recsys_workshop.kernel_guard``, set by :class:`recsys_workshop.course.Course`).
Without it, one line in an answer cell could rewrite every later cell before it
runs (an input or AST transformer that turns the test cells into ``pass``),
swallow their errors (a custom exception handler), or replace the grader's own
functions (``exercises.check = lambda *a: None``).

When it loads, the guard imports the exercises façade and records the shell's
transformers, exception handlers and execution methods, and the namespace of
every ``recsys_workshop`` module and class. After every cell, and again before
the next one runs, it puts back whatever a cell changed and drops the event
callbacks that notebook code registered; each time it does, the cell's output
ends with a line (:data:`NOTE`) that says what was undone.

It runs in the same process as the student's code, so a student who rewrites
the kernel's own machinery can still escape it; the sandbox
(:mod:`recsys_workshop.sandbox`) keeps what they can reach to their own notebook.
"""

import sys
import types
from collections.abc import Callable
from typing import Any

__all__ = ["GUARDED_EVENTS", "SHELL_METHODS", "Guard", "load_ipython_extension",
           "unload_ipython_extension"]

#: Shell methods a cell could shadow with an attribute of its own.
SHELL_METHODS = ("transform_cell", "transform_ast", "run_cell", "run_cell_async",
                 "run_ast_nodes", "run_code", "showtraceback", "_showtraceback",
                 "showsyntaxerror", "set_custom_exc")
#: The shell's attributes that hold transformers and exception handlers.
SHELL_STATE = ("input_transformer_manager", "input_transformers_post", "ast_transformers",
               "custom_exceptions", "CustomTB", "InteractiveTB", "SyntaxTB")
#: The transformer lists of IPython's input transformer manager.
MANAGER_LISTS = ("cleanup_transforms", "line_transforms", "token_transformers")
#: Where a cell's events are registered.
EVENTS = ("pre_execute", "pre_run_cell", "post_execute", "post_run_cell")
#: The first line of a cell output that reports what the guard undid.
NOTE = "grading undid what this cell changed in the kernel:"

_PACKAGE = __name__.rpartition(".")[0]
_MISSING = object()


class Guard:
    """The recorded state of one shell, and :meth:`restore` to put it back.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
        The kernel's shell.
    """

    def __init__(self, shell: Any) -> None:
        import recsys_workshop.exercises  # noqa: F401 (records every module check() uses)

        self.shell = shell
        self._state = {name: getattr(shell, name) for name in SHELL_STATE}
        self._lists = {name: list(getattr(shell, name))
                       for name in ("input_transformers_post", "ast_transformers")}
        manager = shell.input_transformer_manager
        self._manager_lists = {name: list(getattr(manager, name)) for name in MANAGER_LISTS}
        self._methods = {name: vars(shell).get(name, _MISSING) for name in SHELL_METHODS}
        self._namespaces: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._record_package()

    def _record_package(self) -> None:
        """Record every package module and class not recorded yet."""
        for name, module in list(sys.modules.items()):
            if (name == _PACKAGE or name.startswith(_PACKAGE + ".")) and module is not None:
                self._record(module)
                for value in list(vars(module).values()):
                    if isinstance(value, type) and value.__module__.startswith(_PACKAGE):
                        self._record(value)

    def _record(self, owner: Any) -> None:
        if id(owner) not in self._namespaces:
            self._namespaces[id(owner)] = (owner, dict(vars(owner)))

    def restore(self) -> list[str]:
        """Put back everything a cell changed; return what was undone, for the output.

        Returns
        -------
        list of str
            One entry per thing undone (empty when nothing had changed).
        """
        undone = self._restore_shell() + self._restore_package() + self._drop_callbacks()
        self._record_package()
        return undone

    def on_cell(self, *_: Any) -> None:
        """The events' callback: :meth:`restore`, then a :data:`NOTE` line if it undid any."""
        undone = self.restore()
        if undone:
            print(NOTE, ", ".join(sorted(set(undone))))

    def _restore_shell(self) -> list[str]:
        shell, undone = self.shell, []
        for name, value in self._state.items():
            if getattr(shell, name) is not value:
                setattr(shell, name, value)
                undone.append(f"shell.{name}")
        for name, items in self._lists.items():
            undone += _put_back(getattr(shell, name), items, f"shell.{name}")
        manager = shell.input_transformer_manager
        for name, items in self._manager_lists.items():
            undone += _put_back(getattr(manager, name), items, f"input transformers ({name})")
        for name, method in self._methods.items():
            current = vars(shell).get(name, _MISSING)
            if current is not method:
                if method is _MISSING:
                    delattr(shell, name)
                else:
                    setattr(shell, name, method)
                undone.append(f"shell.{name}")
        return undone

    def _restore_package(self) -> list[str]:
        undone = []
        for owner, recorded in self._namespaces.values():
            current = vars(owner)
            for name, value in recorded.items():
                if current.get(name, _MISSING) is not value:
                    _set(owner, name, value)
                    undone.append(f"{getattr(owner, '__name__', owner)}.{name}")
        return undone

    def _drop_callbacks(self) -> list[str]:
        undone = []
        for event in EVENTS:
            callbacks = self.shell.events.callbacks[event]
            for callback in [c for c in callbacks if _from_notebook(c)]:
                callbacks.remove(callback)
                undone.append(f"a {event} callback")
        return undone


def _put_back(current: list[Any], recorded: list[Any], what: str) -> list[str]:
    if current == recorded:
        return []
    current[:] = recorded
    return [what]


def _set(owner: Any, name: str, value: Any) -> None:
    if isinstance(owner, types.ModuleType):
        vars(owner)[name] = value
    else:
        type.__setattr__(owner, name, value)


def _from_notebook(callback: Callable[..., Any]) -> bool:
    """Whether ``callback`` was defined by notebook code rather than a library."""
    function = getattr(callback, "func", callback)  # functools.partial
    function = getattr(function, "__func__", function)  # bound methods
    return getattr(function, "__module__", None) in ("__main__", None)


#: The events the guard restores the kernel at: after a cell, and before the next.
GUARDED_EVENTS = ("post_run_cell", "pre_run_cell")


def load_ipython_extension(shell: Any) -> None:
    """Record the kernel's state and restore it around every cell (IPython's extension hook)."""
    guard = Guard(shell)
    for event in GUARDED_EVENTS:
        shell.events.register(event, guard.on_cell)
    shell._recsys_guard = guard


def unload_ipython_extension(shell: Any) -> None:
    """Stop guarding (IPython's extension hook)."""
    guard = shell.__dict__.pop("_recsys_guard", None)
    if guard is not None:
        for event in GUARDED_EVENTS:
            shell.events.unregister(event, guard.on_cell)
