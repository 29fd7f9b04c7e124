"""A simulated class, graded in parallel end to end, and its report (issue 13).

Fourteen students hand in chapter 1: one complete, one blank, one halfway, one
who hands back the reference, and one for each classic mistake of
``alternatives_chapter1.WRONG`` (with a correct answer to the other exercise).
The class is autograded on two workers; every score, every success rate and
every failure reason of the report is what these mixes deserve.
"""

import csv
import inspect
import linecache
from collections import Counter

import alternatives_chapter1
import matplotlib.image
import nbformat
import pytest
from alternatives_helpers import reference_copy
from workbook import (
    ROOT,
    answer_cells,
    graded_cells,
    grading,
    points,
    scratch_course,
    solution,
    student,
)

from recsys_workshop import exercises
from recsys_workshop.class_report import exercise_results, failure_reason
from recsys_workshop.course import Course
from recsys_workshop.exercises.integrity import REFUSED

CHAPTER = "01_implicit_feedback"
NOT_WRITTEN = "the function is not written yet (it still raises NotImplementedError)"
#: What a wrong or correct alternative needs besides its own source.
PRELUDE = ("import types\nfrom collections import defaultdict\n"
           "from collections.abc import Callable\nfrom typing import Any\n\nimport pandas as pd\n\n"
           "from recsys_workshop import exercises\n"
           "from recsys_workshop.mapping import EVENT_SCORES\n\n"
           + "".join(inspect.getsource(helper) + "\n\n" for helper in (
               alternatives_chapter1._events, alternatives_chapter1._score, reference_copy)))
#: One correct alternative per exercise.
CORRECT = dict(alternatives_chapter1.CORRECT)


def _answer(name, function):
    """An answer cell defining ``name`` as ``function`` from the alternatives."""
    return f"{PRELUDE}{inspect.getsource(function)}\n\n{name} = {function.__name__}\n"


def _notebook(answers):
    """The student version with ``{exercise: function or None}`` answered; None is the stub."""
    notebook = student(CHAPTER)
    for cell in answer_cells(notebook):
        function = answers.get(grading(cell)["grade_id"])
        if function is not None:
            cell.source = _answer(grading(cell)["grade_id"], function)
    return notebook


def _examples_of(exercise):
    """The worked examples the chapter's test cell of ``exercise`` passes to ``check``."""
    cell = next(cell for cell in graded_cells(solution(CHAPTER))
                if grading(cell)["grade_id"] == f"test_{exercise}")
    namespace = {"exercises": exercises}
    exec(cell.source.split("exercises.check(")[0], namespace)  # our own notebook
    return namespace["examples"]


def _why(exercise, function):
    """What the learner sees as ``why`` when an answer cell holding ``function`` is checked."""
    source, namespace = _answer(exercise, function), {}
    # Like IPython's cells: the traceback quotes the line of the cell that raised.
    linecache.cache["<answer cell>"] = (len(source), None, source.splitlines(True), "")
    exec(compile(source, "<answer cell>", "exec"), namespace)
    with pytest.raises(exercises.CheckFailure) as failure:
        exercises.check(exercise, namespace[exercise], _examples_of(exercise))
    return failure_reason(_failed_cell("CheckFailure", str(failure.value)))


def _failed_cell(ename, evalue):
    return nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[])])


def _class():
    """{student: (notebook, {exercise: reason or None for a pass})}."""
    first, second = [grading(cell)["grade_id"] for cell in answer_cells(solution(CHAPTER))]
    right = {first: CORRECT[first], second: CORRECT[second]}
    reference = ("from recsys_workshop import exercises\n"
                 "{name} = exercises.reference({name!r})\n")
    cheat = student(CHAPTER)
    for cell in answer_cells(cheat):
        cell.source = reference.format(name=grading(cell)["grade_id"])
    students = {
        "full": (_notebook(right), {first: None, second: None}),
        "blank": (_notebook({}), {first: NOT_WRITTEN, second: NOT_WRITTEN}),
        "halfway": (_notebook({first: right[first]}), {first: None, second: NOT_WRITTEN}),
        "cheat": (cheat, {first: REFUSED, second: REFUSED}),
    }
    for number, (exercise, wrong, _) in enumerate(alternatives_chapter1.WRONG):
        answers = {**right, exercise: wrong}
        deserved = {name: None for name in right} | {exercise: _why(exercise, wrong)}
        students[f"mistake{number:02d}"] = (_notebook(answers), deserved)
    return students


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class, autograded on two workers in a fresh course; returns (course, class, grading)."""
    students = _class()
    folder = tmp_path_factory.mktemp("class")
    for name, (notebook, _) in students.items():
        (folder / name).mkdir()
        nbformat.write(notebook, folder / name / f"{CHAPTER}.ipynb")
    course = scratch_course(tmp_path_factory.mktemp("class-course"), workers=2)
    course.generate()
    return course, students, course.autograde(folder)


def test_every_student_gets_the_score_their_answers_deserve(graded):
    _, students, grading_ = graded
    worth = {grading(cell)["grade_id"].removeprefix("test_"): grading(cell)["points"]
             for cell in graded_cells(solution(CHAPTER))}
    deserved = {name: sum(worth[exercise] for exercise, reason in outcome.items()
                          if reason is None)
                for name, (_, outcome) in students.items()}
    assert {grade.student: grade.score for grade in grading_.grades} == deserved
    assert {grade.max_score for grade in grading_.grades} == {points(solution(CHAPTER))}
    assert len(students) >= 12


def test_the_report_gives_every_rate_and_reason(graded):
    course, students, _ = graded
    results = {result.label.split()[1]: result for result in exercise_results(course)
               if result.label.startswith("1.")}
    for exercise, result in results.items():
        outcomes = [outcome[exercise] for _, outcome in students.values()]
        assert result.graded == len(students)
        assert result.passed == outcomes.count(None)
        assert result.success_rate == pytest.approx(outcomes.count(None) / len(students))
        expected = Counter(reason for reason in outcomes if reason is not None)
        got = dict(result.reasons)
        assert got == dict(expected), exercise
    assert results["build_interactions_mapping"].reasons[0] == (NOT_WRITTEN, 2)


def test_the_report_files_hold_the_gradebook_and_the_rates(graded):
    course, students, _ = graded
    written = course.report()
    assert [path.name for path in written] == ["grades.csv", "exercises.csv", "success.png"]
    with written[0].open() as file:
        rows = [row for row in csv.DictReader(file) if row["assignment"] == CHAPTER]
    assert {row["student_id"] for row in rows} == set(students)
    with written[1].open() as file:
        table = {row["exercise"]: row for row in csv.DictReader(file)}
    first = next(label for label in table if label.endswith("build_index_mapping"))
    assert int(table[first]["graded"]) == len(students)
    assert table[next(label for label in table if label.startswith("2.1"))]["success rate"] == ""
    assert matplotlib.image.imread(written[2]).shape[0] > 100


def test_a_report_before_any_grading_says_what_to_do(tmp_path):
    course = Course(ROOT, tmp_path / "course")
    course.generate()
    with pytest.raises(ValueError, match="no notebook was autograded"):
        course.report()


def test_a_failure_reason_of_a_timeout_or_an_assert_is_its_first_line():
    cell = _failed_cell("AssertionError", "a generator should work\nmore")
    assert failure_reason(cell) == "AssertionError: a generator should work"
    assert failure_reason(_failed_cell("CellTimeoutError", "")) == "CellTimeoutError"


@pytest.mark.parametrize("workers", [0, -1, 1.5, True, "2"])
def test_a_bad_number_of_workers_is_refused_by_name(tmp_path, workers):
    with pytest.raises(ValueError, match=f"workers must be a whole number of at least 1, got "
                                         f"{workers!r}"):
        Course(ROOT, tmp_path / "course", workers=workers)


def test_every_student_is_in_the_gradebook_before_the_workers_start(tmp_path, monkeypatch):
    """Two workers grading two chapters of one new student must not both create them."""
    course = scratch_course(tmp_path / "course", workers=2)
    course.generate()
    for name in ("ada", "grace"):
        (tmp_path / "class" / name).mkdir(parents=True)
        nbformat.write(student(CHAPTER), tmp_path / "class" / name / f"{CHAPTER}.ipynb")
    seen = []

    def each(method, jobs):
        with course.gradebook() as gradebook:
            seen.extend(sorted(known.id for known in gradebook.students))
        return ["stopped by the test"] * len(jobs)

    monkeypatch.setattr(course, "_each", each)
    grading_ = course.autograde(tmp_path / "class")
    assert seen == ["ada", "grace"]
    assert [problem.message for problem in grading_.problems] == ["stopped by the test"] * 2
