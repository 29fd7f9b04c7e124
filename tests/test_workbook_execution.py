"""Every notebook runs top to bottom on a fresh kernel, as CI and attendees run it.

Solutions must run without a single error. Student notebooks may fail only
where an exercise is: in an answer cell or a graded test cell, never in a
set-up, narrative or plotting cell that should work for everyone.
"""

import pytest
from workbook import (
    CHAPTERS,
    REAL_DATA_CHAPTERS,
    errors,
    execute,
    graded_cells,
    grading,
    is_exercise_cell,
    solution,
    student,
)


@pytest.fixture
def data_home(request):
    """The real data's folder; the chapters that load it skip without it."""
    if request.node.callspec.params["chapter"] in REAL_DATA_CHAPTERS:
        return request.getfixturevalue("retail_data_home")
    return request.getfixturevalue("optional_retail_data_home")


def _describe(index, cell, error):
    kind = grading(cell).get("grade_id", "ordinary cell")
    return f"cell {index} ({kind}): {error.ename}: {error.evalue}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_runs_without_error(chapter, data_home):
    executed = execute(solution(chapter), data_home, allow_errors=True)
    failures = [_describe(*error) for error in errors(executed)]
    assert not failures, f"solutions/{chapter}.ipynb:\n" + "\n".join(failures)
    for cell in graded_cells(executed):
        printed = "".join(output.get("text", "") for output in cell.outputs)
        assert "✔" in printed, f"{chapter}: {cell.metadata.nbgrader.grade_id} printed no success"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_notebook_fails_only_at_exercises(chapter, data_home):
    executed = execute(student(chapter), data_home, allow_errors=True)
    failures = list(errors(executed))
    outside = [_describe(*failure) for failure in failures if not is_exercise_cell(failure[1])]
    assert not outside, f"notebooks/{chapter}.ipynb fails outside exercises:\n" + "\n".join(outside)
    failed_tests = {grading(cell)["grade_id"] for _, cell, _ in failures}
    every_test = {grading(cell)["grade_id"] for cell in graded_cells(executed)}
    assert failed_tests == every_test, "an unsolved exercise's test cell passed"
    if failures:
        first = failures[0][2]
        assert first.ename == "NotImplementedError", _describe(*failures[0])
