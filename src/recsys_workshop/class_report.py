"""What a class got right and wrong, after autograding: what to explain again.

:func:`write_report` (``make report``) writes into ``course/report/``:

- ``grades.csv``: the gradebook, as nbgrader's own CSV export writes it;
- ``exercises.csv``: for each graded exercise, how many notebooks were graded,
  how many earned its full points, the success rate, and its most common
  failure reasons with their counts;
- ``success.png``: the success rate of every exercise of the chapters graded,
  in workshop order.

A failure reason is what the learner saw below the exercise's test cell: the
``why`` of the first failing case of ``exercises.check``, the first line of any
other error, or the cell's timeout. Scores come from the gradebook, so a score
the instructor changed by hand in the formgrader counts as changed. Notebooks
that could not be graded at all (see the autograde command's problems list)
are not in the gradebook, and not in the report.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from nbformat import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins.export import CsvExportPlugin

from .chapters import graded
from .exercises import exercises_of
from .plots import plot_success_rates
from .submissions import grading, read

if TYPE_CHECKING:
    from .course import Course

__all__ = ["REASONS_SHOWN", "ExerciseResult", "exercise_results", "failure_reason",
           "results_table", "write_report"]

#: How many of an exercise's most common failure reasons the report lists.
REASONS_SHOWN = 3
#: The longest reason kept, in characters (values quoted in a ``why`` can be long).
MAX_REASON_CHARS = 100
#: The reason of a test cell that lost points without an error (a manual score).
NO_ERROR = "fewer points than the cell's maximum, without an error (a manual score?)"


@dataclass(frozen=True)
class ExerciseResult:
    """How a class did on one exercise.

    Attributes
    ----------
    label : str
        ``"N.k name"``: chapter number, exercise number, exercise name.
    graded : int
        Notebooks of its chapter in the gradebook.
    passed : int
        Those whose test cell of the exercise earned its full points.
    reasons : tuple of (str, int)
        Every failure reason and how many notebooks failed with it, most
        common first (ties in order of first appearance).
    """

    label: str
    graded: int
    passed: int
    reasons: tuple[tuple[str, int], ...]

    @property
    def success_rate(self) -> float:
        """``passed / graded``; NaN when no notebook of its chapter was graded."""
        return self.passed / self.graded if self.graded else math.nan


def failure_reason(cell: NotebookNode) -> str:
    r"""Why an autograded test cell did not earn its points, in one line.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell(outputs=[new_output(
    ...     "error", ename="CheckFailure", evalue="check('f') failed on: x\n"
    ...     "  input:    f(1)\n  why:      it returned None\n  hint:     Return it.",
    ...     traceback=[])])
    >>> failure_reason(cell)
    'it returned None'
    """
    errors = [output for output in cell.get("outputs", []) if output.output_type == "error"]
    if not errors:
        return NO_ERROR
    error = errors[-1]
    text = str(error.get("evalue", ""))
    if error.ename == "CheckFailure":
        if "\n  why:" in text:
            why = text.split("\n  why:", 1)[1].split("\n  hint:", 1)[0]
            return _short(" ".join(why.split()))
        text = text.partition(" failed: ")[2] or text
    first = text.strip().splitlines()[0] if text.strip() else ""
    if error.ename == "CheckFailure":
        return _short(first)
    return _short(f"{error.ename}: {first}" if first else error.ename)


def _short(reason: str) -> str:
    if len(reason) <= MAX_REASON_CHARS:
        return reason
    return reason[:MAX_REASON_CHARS - 3] + "..."


def exercise_results(course: "Course") -> list[ExerciseResult]:
    """Every graded exercise's result over the autograded class, in workshop order.

    Parameters
    ----------
    course : Course
        A course that was autograded.

    Returns
    -------
    list of ExerciseResult
        One per exercise of the chapter registry.
    """
    results = []
    with course.gradebook() as gradebook:
        for chapter in graded():
            students = _graded_students(gradebook, chapter.name)
            # {student: {grade_id: cell}}: each autograded notebook read once, when needed.
            test_cells: dict[str, dict[str, NotebookNode]] = {}
            for number, exercise in enumerate(exercises_of(chapter), start=1):
                passed, reasons = 0, Counter()
                cell_id = f"test_{exercise.name}"
                for student in students:
                    grade = gradebook.find_grade(cell_id, chapter.name, chapter.name, student)
                    if grade.score == grade.max_score:
                        passed += 1
                    else:
                        if student not in test_cells:
                            test_cells[student] = _test_cells(course, chapter.name, student)
                        reasons[failure_reason(test_cells[student][cell_id])] += 1
                results.append(ExerciseResult(
                    f"{chapter.number}.{number} {exercise.name}", len(students), passed,
                    tuple(reasons.most_common())))
    return results


def _graded_students(gradebook: Gradebook, chapter: str) -> list[str]:
    try:
        submissions = gradebook.assignment_submissions(chapter)
    except MissingEntry:
        return []
    return sorted(submission.student_id for submission in submissions)


def _test_cells(course: "Course", chapter: str, student: str) -> dict[str, NotebookNode]:
    """The graded cells of ``student``'s autograded ``chapter``, by grade id."""
    notebook = read(course.path("autograded", chapter, student))
    return {grading(cell)["grade_id"]: cell for cell in notebook.cells
            if grading(cell).get("grade")}


def write_report(course: "Course", folder: str | Path | None = None) -> list[Path]:
    """Write the grades, the results per exercise and the success figure of a class.

    Parameters
    ----------
    course : Course
        A course that was autograded.
    folder : path-like, optional
        Where to write. Default: ``report/`` in the course folder.

    Returns
    -------
    list of Path
        ``grades.csv``, ``exercises.csv`` and ``success.png``.

    Raises
    ------
    ValueError
        If no notebook was autograded yet.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(course.root / "report" if folder is None else folder)
    folder.mkdir(parents=True, exist_ok=True)
    grades, table, figure = folder / "grades.csv", folder / "exercises.csv", folder / "success.png"
    with course.gradebook() as gradebook:
        CsvExportPlugin(to=str(grades)).export(gradebook)
    results = exercise_results(course)
    shown = [result for result in results if result.graded]
    if not shown:
        raise ValueError(f"no notebook was autograded in {course.root}: run `make autograde` "
                         "first")
    results_table(results).to_csv(table, index=False)
    ax = plot_success_rates(pd.Series([result.success_rate for result in shown],
                                      index=[result.label for result in shown]))
    ax.figure.savefig(figure, dpi=120)
    plt.close(ax.figure)
    return [grades, table, figure]


def results_table(results: Sequence[ExerciseResult]) -> pd.DataFrame:
    """One row per exercise: graded, passed, success rate and the commonest reasons.

    Examples
    --------
    >>> table = results_table([ExerciseResult("1.1 f", 4, 3, (("it returned None", 1),))])
    >>> float(table.loc[0, "success rate"]), table.loc[0, "reason 1"]
    (0.75, 'it returned None (1)')
    """
    rows = []
    for result in results:
        row = {"exercise": result.label, "graded": result.graded, "passed": result.passed,
               "success rate": round(result.success_rate, 3)}
        for rank in range(REASONS_SHOWN):
            reason = result.reasons[rank] if rank < len(result.reasons) else None
            row[f"reason {rank + 1}"] = f"{reason[0]} ({reason[1]})" if reason else ""
        rows.append(row)
    return pd.DataFrame(rows)
