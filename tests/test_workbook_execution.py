"""Every notebook runs top to bottom on a fresh kernel, as CI and attendees run it.

Solutions must run without a single error. Student notebooks may fail only
where an exercise is: in an answer cell or a graded test cell, never in a
set-up, narrative or plotting cell that should work for everyone.

The notebooks are the ones ``graded_class`` autograded (each executed once per
session, on a fresh kernel, every cell run even after an error); chapters that
load the real data skip without it.
"""

import pytest
from nbgrader.utils import determine_grade
from workbook import CHAPTERS, errors, graded_cells, grading, is_exercise_cell, solution

from recsys_workshop.autograde_steps import DEMO_NOTE, is_demo

pytestmark = pytest.mark.xdist_group("course")


def _describe(index, cell, error):
    kind = grading(cell).get("grade_id", "ordinary cell")
    return f"cell {index} ({kind}): {error.ename}: {error.evalue}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_runs_without_error(chapter, graded_class):
    executed = graded_class.executed("solver", chapter)
    failures = [_describe(*error) for error in errors(executed)]
    assert not failures, f"solutions/{chapter}.ipynb:\n" + "\n".join(failures)
    for cell in graded_cells(executed):
        printed = "".join(output.get("text", "") for output in cell.outputs)
        assert "✔" in printed, f"{chapter}: {cell.metadata.nbgrader.grade_id} printed no success"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_notebook_fails_only_at_exercises(chapter, graded_class):
    executed = graded_class.executed("blank", chapter)
    failures = list(errors(executed))
    outside = [_describe(*failure) for failure in failures if not is_exercise_cell(failure[1])]
    assert not outside, f"notebooks/{chapter}.ipynb fails outside exercises:\n" + "\n".join(outside)
    failed_tests = {grading(cell)["grade_id"] for _, cell, _ in failures}
    every_test = {grading(cell)["grade_id"] for cell in graded_cells(executed)}
    assert failed_tests == every_test, "an unsolved exercise's test cell passed"
    for failure in failures:
        # The stub's NotImplementedError, reported by check() in its usual form: never a
        # NameError of a graded cell that needed a demonstration cell grading set aside.
        if grading(failure[1]).get("grade"):
            assert failure[2].ename == "CheckFailure", _describe(*failure)
            assert "why:      the function is not written yet" in failure[2].evalue, \
                _describe(*failure)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_validate_passes_every_test_of_the_solution_and_none_of_the_release(
        chapter, graded_class):
    """What nbgrader's Validate decides, from the grade of each executed test cell."""
    for who, passes in (("solver", True), ("blank", False)):
        for cell in graded_cells(graded_class.executed(who, chapter)):
            score, max_score = determine_grade(cell)
            assert (score == max_score) is passes, (who, grading(cell)["grade_id"], score)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_autograding_keeps_the_tag_that_lets_run_all_go_on(chapter, graded_class):
    """The tag reaches the graded notebooks, where a tagged test that raised still scores 0."""
    for cell in graded_cells(graded_class.executed("blank", chapter)):
        assert "raises-exception" in cell.metadata.get("tags", []), grading(cell)["grade_id"]
        assert determine_grade(cell)[0] == 0, grading(cell)["grade_id"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_grading_sets_aside_only_the_demonstration_cells(chapter, graded_class):
    """The class (``blank``) is graded without the demonstrations; the solver ran them all."""
    tagged = [cell.id for cell in solution(chapter).cells if is_demo(cell)]
    blank = graded_class.executed("blank", chapter)
    solver = graded_class.executed("solver", chapter)
    noted = [cell.id for cell in blank.cells if cell.cell_type == "code"
             and [output.get("text") for output in cell.outputs] == [DEMO_NOTE]]
    assert noted == tagged
    assert all(cell.cell_type == "code" for cell in blank.cells if cell.id in tagged)
    assert not [cell.id for cell in solver.cells
                if cell.id in tagged and cell.execution_count is None]
