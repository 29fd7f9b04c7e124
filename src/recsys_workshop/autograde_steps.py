"""The steps the course adds to nbgrader's autograding pipeline.

nbgrader scores a graded cell 0 when it has an error output **or any output on
stderr**, so correct code that merely warns (a NumPy ``RuntimeWarning``, a
``DeprecationWarning``, a debug print to ``sys.stderr``) would lose the cell's
points. :class:`StderrAsStdout` runs right after the notebook is executed and
turns the stderr of graded cells into ordinary output, kept for the feedback:
only a real failure (an error output) costs points.

Grading needs the answers and the tests, not the demonstrations between them
(timing races, plots, sensitivity studies). A code cell tagged
:data:`DEMO_TAG` only demonstrates: no graded cell needs what it computes.
:class:`SetDemosAside` turns such cells into raw cells just before the
notebook is executed, and :class:`PutDemosBack` turns them back right after,
with :data:`DEMO_NOTE` as their output, so the graded notebook and its
feedback still show them. An nbgrader cell is never set aside, whatever its
tags; the course removes the tag from a demonstration cell the learner edited
(:func:`recsys_workshop.submissions.check_submission`), so that code of their
own always runs. ``Course(..., demos=True)`` (``--demos``) runs them all.
"""

from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, NbGraderPreprocessor

__all__ = [
    "DEMO_NOTE",
    "DEMO_TAG",
    "STDERR_NOTE",
    "PutDemosBack",
    "SetDemosAside",
    "StderrAsStdout",
    "autograde_pipeline",
    "is_demo",
]

#: The cell tag of a code cell that only demonstrates, which grading does not run.
DEMO_TAG = "demo"
#: The output a demonstration cell gets in the graded notebook and its feedback.
DEMO_NOTE = "(a demonstration, not run while grading: run it in JupyterLab to see its output)\n"
#: Cell metadata that marks a cell set aside, until it is put back.
_SET_ASIDE = "recsys_workshop_set_aside"

#: Put before the text a graded cell wrote to stderr, in the graded notebook and feedback.
STDERR_NOTE = "(written to stderr, which costs no points:)\n"


class StderrAsStdout(NbGraderPreprocessor):
    """Turn what graded cells wrote to stderr into stdout, so that a warning costs no points."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], cell_index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        """Rename the stderr streams of a graded code cell, with :data:`STDERR_NOTE` first."""
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            for output in cell.outputs:
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
                    output.text = STDERR_NOTE + output.text
        return cell, resources


def is_demo(cell: NotebookNode) -> bool:
    """Whether ``cell`` is a code cell tagged :data:`DEMO_TAG` and not an nbgrader cell."""
    return (cell.cell_type == "code" and DEMO_TAG in cell.metadata.get("tags", [])
            and not cell.metadata.get("nbgrader"))


class SetDemosAside(NbGraderPreprocessor):
    """Turn the demonstration cells into raw cells, which the execution does not run."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], cell_index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        """Make a demonstration cell raw, and mark it for :class:`PutDemosBack`."""
        if is_demo(cell):
            cell.cell_type = "raw"
            cell.metadata[_SET_ASIDE] = True
            del cell["outputs"], cell["execution_count"]
        return cell, resources


class PutDemosBack(NbGraderPreprocessor):
    """Turn the cells :class:`SetDemosAside` made raw back into code, with :data:`DEMO_NOTE`."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], cell_index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        """Make a set-aside cell a code cell again, its output the note."""
        if cell.metadata.pop(_SET_ASIDE, False):
            cell.cell_type = "code"
            cell.execution_count = None
            cell.outputs = [new_output("stream", name="stdout", text=DEMO_NOTE)]
        return cell, resources


def autograde_pipeline(execute: type = Execute) -> list[type]:
    """The autograding preprocessors: nbgrader's, executing with ``execute``, and the course's.

    :class:`SetDemosAside` comes right before the execution; :class:`PutDemosBack`
    and :class:`StderrAsStdout` right after it, before the grades are saved.

    Parameters
    ----------
    execute : type, default nbgrader's Execute
        The preprocessor that runs the notebook (the sandbox passes its own).

    Returns
    -------
    list of type
        The preprocessors, for ``Autograde.autograde_preprocessors``.

    Examples
    --------
    >>> [step.__name__ for step in autograde_pipeline()][:4]
    ['SetDemosAside', 'Execute', 'PutDemosBack', 'StderrAsStdout']
    """
    steps = []
    for step in Autograde.class_traits()["autograde_preprocessors"].default():
        if step is Execute:
            steps += [SetDemosAside, execute, PutDemosBack, StderrAsStdout]
        else:
            steps.append(step)
    return steps
