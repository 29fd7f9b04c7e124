"""The steps the course adds to nbgrader's autograding pipeline.

nbgrader scores a graded cell 0 when it has an error output **or any output on
stderr**, so correct code that merely warns (a NumPy ``RuntimeWarning``, a
``DeprecationWarning``, a debug print to ``sys.stderr``) would lose the cell's
points. :class:`StderrAsStdout` runs right after the notebook is executed and
turns the stderr of graded cells into ordinary output, kept for the feedback:
only a real failure (an error output) costs points.
"""

from typing import Any

from nbformat import NotebookNode
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, NbGraderPreprocessor

__all__ = ["STDERR_NOTE", "StderrAsStdout", "autograde_pipeline"]

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


def autograde_pipeline(execute: type = Execute) -> list[type]:
    """The autograding preprocessors: nbgrader's, executing with ``execute``, then the course's.

    :class:`StderrAsStdout` comes right after the execution, before the grades are saved.

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
    >>> [step.__name__ for step in autograde_pipeline()][:2]
    ['Execute', 'StderrAsStdout']
    """
    steps = []
    for step in Autograde.class_traits()["autograde_preprocessors"].default():
        if step is Execute:
            steps += [execute, StderrAsStdout]
        else:
            steps.append(step)
    return steps
