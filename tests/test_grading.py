"""The instructor's loop through nbgrader itself: validate, release, autograde, feedback.

A temporary course folder gets the project's ``nbgrader_config.py``; the
submissions are the solutions, the untouched student notebooks, and doctored
copies of chapter 1 (tampered tests, an infinite loop, half done).
"""

import shutil

import nbformat
import pytest
from nbgrader.validator import Validator
from traitlets.config import Config
from workbook import (
    CHAPTERS,
    NOTEBOOKS,
    ROOT,
    SOLUTIONS,
    answer_cells,
    errors,
    graded_cells,
    grading,
    points,
    read,
    solution,
    student,
)

from recsys_workshop import data
from recsys_workshop.course import Course, CourseError, main

CHAPTER = "01_implicit_feedback"


@pytest.fixture(scope="module")
def course(tmp_path_factory, optional_retail_data_home):
    """A generated course in a temporary folder, its kernels pointed at the real data."""
    with pytest.MonkeyPatch.context() as patch:
        if optional_retail_data_home is not None:
            patch.setenv(data.DATA_ENV_VAR, str(optional_retail_data_home))
        course = Course(ROOT, tmp_path_factory.mktemp("course"))
        course.generate()
        yield course


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
def test_validate_passes_the_solution_and_no_test_of_the_release(chapter):
    assert Validator().validate(str(SOLUTIONS / f"{chapter}.ipynb")) == {}
    config = Config()
    config.Validator.invert = True
    assert Validator(config=config).validate(str(NOTEBOOKS / f"{chapter}.ipynb")) == {}


def test_solutions_get_full_marks_and_feedback(course, tmp_path, retail_data_home):
    grades = course.autograde(_submit(tmp_path, "solver", {c: solution(c) for c in CHAPTERS}))
    assert _scores(grades) == {c: (points(solution(c)),) * 2 for c in CHAPTERS}
    feedback = course.feedback()
    for chapter in CHAPTERS:
        page = course.path("feedback", chapter, "solver", suffix=".html")
        assert page in feedback and page.stat().st_size > 0


def test_untouched_student_notebooks_get_zero_and_complete(course, tmp_path, retail_data_home):
    grades = course.autograde(_submit(tmp_path, "blank", {c: student(c) for c in CHAPTERS}))
    assert _scores(grades) == {c: (0, points(solution(c))) for c in CHAPTERS}
    for chapter in CHAPTERS:
        assert course.path("autograded", chapter, "blank").is_file()


def test_a_tampered_test_cell_is_graded_with_the_original(course, tmp_path):
    notebook = student(CHAPTER)
    for cell in graded_cells(notebook):
        cell.source = "pass"
    grades = course.autograde(_submit(tmp_path, "tamperer", {CHAPTER: notebook}))
    assert _scores(grades) == {CHAPTER: (0, points(notebook))}
    graded = read(course.path("autograded", CHAPTER, "tamperer"))
    originals = {cell.id: cell.source for cell in graded_cells(solution(CHAPTER))}
    assert {cell.id: cell.source for cell in graded_cells(graded)} == originals


def test_an_infinite_loop_times_out_and_the_rest_is_graded(course, tmp_path):
    notebook = solution(CHAPTER)
    first = answer_cells(notebook)[0]
    name = grading(first)["grade_id"]
    first.source = f"def {name}(*args, **kwargs):\n    while True:\n        pass\n"
    quick = Course(ROOT, course.root, timeout=5)
    grades = quick.autograde(_submit(tmp_path, "looper", {CHAPTER: notebook}))
    looped = grading(graded_cells(notebook)[0])["points"]
    assert _scores(grades) == {CHAPTER: (points(notebook) - looped, points(notebook))}
    graded = read(course.path("autograded", CHAPTER, "looper"))
    timed_out = {grading(cell).get("grade_id") for _, cell, _ in errors(graded)}
    assert f"test_{name}" in timed_out


def test_one_exercise_right_and_the_rest_blank_gets_its_points(course, tmp_path):
    notebook = student(CHAPTER)
    answer_cells(notebook)[0].source = answer_cells(solution(CHAPTER))[0].source
    grades = course.autograde(_submit(tmp_path, "halfway", {CHAPTER: notebook}))
    earned = grading(graded_cells(notebook)[0])["points"]
    assert 0 < earned < points(notebook)
    assert _scores(grades) == {CHAPTER: (earned, points(notebook))}


def test_a_stray_notebook_in_the_submissions_is_reported(course, tmp_path):
    folder = tmp_path / "submissions" / "someone"
    folder.mkdir(parents=True)
    shutil.copyfile(NOTEBOOKS / f"{CHAPTER}.ipynb", folder / "Untitled.ipynb")
    with pytest.raises(CourseError, match=r"Untitled\.ipynb is not a chapter notebook"):
        course.autograde(folder.parent)


def test_the_command_line_reports_a_missing_submissions_folder(course, tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["--project", str(ROOT), "--course", str(course.root),
                 "autograde", str(missing)]) == 1
    assert f"no submissions folder {str(missing)!r}" in capsys.readouterr().out


def test_the_command_line_writes_feedback_for_what_was_autograded(course, capsys):
    assert main(["--project", str(ROOT), "--course", str(course.root), "feedback"]) == 0
    assert f"feedback files under {course.root / 'feedback'}" in capsys.readouterr().out
