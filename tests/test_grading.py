"""The instructor's loop through nbgrader itself: release, autograde, feedback.

The course is the session's ``graded_class`` (tests/conftest.py), generated
from the project's ``nbgrader_config.py`` in a temporary folder, where the
solutions and the untouched student notebooks were autograded once; the tests
here add doctored copies of chapter 1 (tampered tests, an infinite loop, half
done). What Validate decides is tested in ``test_workbook_execution.py``.
"""

import shutil

import nbformat
import pytest
from workbook import (
    CHAPTERS,
    NOTEBOOKS,
    ROOT,
    answer_cells,
    errors,
    graded_cells,
    grading,
    points,
    read,
    solution,
    student,
)

from recsys_workshop import sandbox
from recsys_workshop.autograde_steps import STDERR_NOTE, StderrAsStdout
from recsys_workshop.course import EXIT_CLEAN, EXIT_FAILED, Course, CourseError, main

pytestmark = pytest.mark.xdist_group("course")

CHAPTER = "01_implicit_feedback"


@pytest.fixture
def course(graded_class):
    """The session's generated course (see ``graded_class``), to grade more students in."""
    return graded_class.course


def _submit(tmp_path, student_id, notebooks):
    """A submissions folder: ``{chapter: notebook}`` for one student."""
    folder = tmp_path / "submissions" / student_id
    folder.mkdir(parents=True)
    for chapter, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{chapter}.ipynb")
    return folder.parent


def _scores(grades):
    return {grade.chapter: (grade.score, grade.max_score) for grade in grades}


def test_the_config_sets_the_cell_timeout_explicitly(course):
    assert course.config.Execute.timeout >= 60
    assert course.config.Execute.interrupt_on_timeout is True


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solutions_get_full_marks_and_blank_notebooks_zero(chapter, graded_class):
    graded_class.executed("solver", chapter)  # skips a chapter that was not graded
    total = points(solution(chapter))
    assert graded_class.scores["solver", chapter] == (total, total)
    assert graded_class.scores["blank", chapter] == (0, total)


def test_a_tampered_test_cell_is_graded_with_the_original(course, tmp_path):
    notebook = student(CHAPTER)
    for cell in graded_cells(notebook):
        cell.source = "pass"
    grades = course.autograde(_submit(tmp_path, "tamperer", {CHAPTER: notebook})).grades
    assert _scores(grades) == {CHAPTER: (0, points(notebook))}
    graded = read(course.path("autograded", CHAPTER, "tamperer"))
    originals = {cell.id: cell.source for cell in graded_cells(solution(CHAPTER))}
    assert {cell.id: cell.source for cell in graded_cells(graded)} == originals


def test_an_infinite_loop_times_out_and_the_rest_is_graded(course, tmp_path):
    notebook = solution(CHAPTER)
    first = answer_cells(notebook)[0]
    name = grading(first)["grade_id"]
    first.source = f"def {name}(*args, **kwargs):\n    while True:\n        pass\n"
    quick = Course(ROOT, course.root, timeout=5, unsafe=course.unsafe)
    grades = quick.autograde(_submit(tmp_path, "looper", {CHAPTER: notebook})).grades
    looped = grading(graded_cells(notebook)[0])["points"]
    assert _scores(grades) == {CHAPTER: (points(notebook) - looped, points(notebook))}
    graded = read(course.path("autograded", CHAPTER, "looper"))
    timed_out = {grading(cell).get("grade_id") for _, cell, _ in errors(graded)}
    assert f"test_{name}" in timed_out


def test_correct_code_that_writes_to_stderr_keeps_its_points(course, tmp_path):
    """nbgrader scores any stderr in a graded cell 0; the course turns it into plain output."""
    notebook = solution(CHAPTER)
    first = answer_cells(notebook)[0]
    name = grading(first)["grade_id"]
    first.source += (f"\n\n_correct = {name}\n\n\ndef {name}(*args, **kwargs):\n"
                     "    import sys, warnings\n"
                     "    print('debugging', file=sys.stderr)\n"
                     "    warnings.warn('deprecated', DeprecationWarning, stacklevel=1)\n"
                     "    return _correct(*args, **kwargs)\n")
    grades = course.autograde(_submit(tmp_path, "noisy", {CHAPTER: notebook})).grades
    assert _scores(grades) == {CHAPTER: (points(notebook),) * 2}
    graded = read(course.path("autograded", CHAPTER, "noisy"))
    outputs = [output for output in graded_cells(graded)[0].outputs]
    assert not [output for output in outputs if output.get("name") == "stderr"]
    printed = "".join(output.get("text", "") for output in outputs)
    assert STDERR_NOTE in printed and "debugging" in printed


def test_a_real_failure_still_costs_the_points(course, tmp_path):
    notebook = solution(CHAPTER)
    first = answer_cells(notebook)[0]
    name = grading(first)["grade_id"]
    first.source = f"def {name}(values):\n    return {{}}\n"
    grades = course.autograde(_submit(tmp_path, "wrong", {CHAPTER: notebook})).grades
    lost = grading(graded_cells(notebook)[0])["points"]
    assert _scores(grades) == {CHAPTER: (points(notebook) - lost, points(notebook))}


def test_one_exercise_right_and_the_rest_blank_gets_its_points(course, tmp_path):
    notebook = student(CHAPTER)
    answer_cells(notebook)[0].source = answer_cells(solution(CHAPTER))[0].source
    grades = course.autograde(_submit(tmp_path, "halfway", {CHAPTER: notebook})).grades
    earned = grading(graded_cells(notebook)[0])["points"]
    assert 0 < earned < points(notebook)
    assert _scores(grades) == {CHAPTER: (earned, points(notebook))}


def test_a_stray_notebook_in_the_submissions_is_reported(course, tmp_path):
    folder = tmp_path / "submissions" / "someone"
    folder.mkdir(parents=True)
    shutil.copyfile(NOTEBOOKS / f"{CHAPTER}.ipynb", folder / "Untitled.ipynb")
    result = course.autograde(folder.parent)
    assert result.grades == []
    assert [(problem.path.name, problem.message.split(":")[0]) for problem in result.problems] \
        == [("Untitled.ipynb", "not graded")]
    assert "not a chapter notebook" in result.problems[0].message


def test_an_empty_submissions_folder_is_an_error(course, tmp_path):
    with pytest.raises(CourseError, match="no notebooks in"):
        course.autograde(tmp_path)


def test_grading_refuses_without_the_sandbox_unless_told_it_is_unsafe(
        course, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sandbox, "available", lambda: "bwrap is not installed")
    folder = _submit(tmp_path, "someone", {CHAPTER: student(CHAPTER)})
    assert main(["--project", str(ROOT), "--course", str(course.root),
                 "autograde", str(folder)]) == EXIT_FAILED
    message = capsys.readouterr().out
    assert "cannot sandbox the grading kernels: bwrap is not installed" in message
    assert "--unsafe" in message
    assert main(["--project", str(ROOT), "--course", str(course.root),
                 "autograde", "--unsafe", str(folder)]) == EXIT_CLEAN
    assert "someone" in capsys.readouterr().out


def test_the_command_line_reports_a_missing_submissions_folder(course, tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["--project", str(ROOT), "--course", str(course.root),
                 "autograde", str(missing)]) == EXIT_FAILED
    assert f"no submissions folder {str(missing)!r}" in capsys.readouterr().out


def test_the_command_line_writes_feedback_for_what_was_autograded(graded_class, capsys):
    course = graded_class.course
    assert main(["--project", str(ROOT), "--course", str(course.root), "feedback"]) == 0
    assert f"feedback files under {course.root / 'feedback'}" in capsys.readouterr().out
    for student_id, chapter in graded_class.scores:
        page = course.path("feedback", chapter, student_id, suffix=".html")
        assert page.is_file() and page.stat().st_size > 0, page


def test_only_graded_cells_have_their_stderr_turned_into_output():
    def cell(graded):
        return nbformat.v4.new_code_cell(
            "", metadata={"nbgrader": {"grade": graded}},
            outputs=[nbformat.v4.new_output("stream", name="stderr", text="careful\n"),
                     nbformat.v4.new_output("error", ename="E", evalue="", traceback=[])])

    notebook = nbformat.v4.new_notebook(cells=[cell(True), cell(False)])
    processed, _ = StderrAsStdout().preprocess(notebook, {})
    graded, other = processed.cells
    assert graded.outputs[0].name == "stdout"
    assert graded.outputs[0].text == STDERR_NOTE + "careful\n"
    assert graded.outputs[1].output_type == "error"  # a real failure stays one
    assert other.outputs[0].name == "stderr"
