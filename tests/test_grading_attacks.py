"""Bad submissions never stop a grading run (issue 12).

One run of the project's own command grades a class where every student but
one did something wrong: an unreadable file, another chapter's notebook, altered
or copied grade cells, stripped metadata, a killed kernel, a loop that ignores
the interrupt, files in the wrong place. Each gets its deserved score and is
named in the problems; the honest student's score is untouched; the table is
complete; the exit status says there were problems. The small checks behind it
are tested on their own first, without nbgrader.
"""

import json
import zipfile

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
    scratch_course,
    solution,
    student,
)

from recsys_workshop.autograde_steps import DEMO_TAG, is_demo
from recsys_workshop.course import ARCHIVE_NAME, EXIT_PROBLEMS, Course, main, zip_notebooks
from recsys_workshop.exercises.integrity import REFUSED
from recsys_workshop.kernel_guard import NOTE
from recsys_workshop.submissions import GRADING_KEYS, check_submission, copy_notes


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course of its own, sandboxed where bubblewrap runs (``autograde`` generates it)."""
    return scratch_course(tmp_path_factory.mktemp("attacked-course"))

CHAPTER = "01_implicit_feedback"
OTHER = "02_dense_similarity"


@pytest.fixture(scope="module")
def released():
    """The released notebooks, as ``collect`` reads them from ``course/release``."""
    return {path.stem: read(path) for path in sorted(NOTEBOOKS.glob("*.ipynb"))}


def _own_words(notebook):
    """``notebook`` with every answer cell's code made different from the solution's."""
    for cell in answer_cells(notebook):
        cell.source += "\n\nmine = True  # written in my own words\n"
    return notebook


def _honest():
    """A complete, correct notebook that is not a copy of the solutions."""
    return _own_words(solution(CHAPTER))


def _answers_from(code):
    """The student version with answer cell ``name`` set to ``code(name)``."""
    notebook = student(CHAPTER)
    for cell in answer_cells(notebook):
        cell.source = code(grading(cell)["grade_id"])
    return notebook


def _first_answer_after(line):
    """The student version, ``line`` put first in its first answer cell (before the stub)."""
    notebook = student(CHAPTER)
    first = answer_cells(notebook)[0]
    first.source = line + "\n" + first.source
    return notebook


EMPTY_EVERY_CELL = ("import ast\n"
                    "class Empty(ast.NodeTransformer):\n"
                    "    def visit_Module(self, node):\n"
                    "        return ast.Module(body=[], type_ignores=[])\n"
                    "get_ipython().ast_transformers.append(Empty())")


def _stripped():
    notebook = _honest()
    for cell in notebook.cells:
        cell.metadata.pop("nbgrader", None)
    return notebook


def _renamed():
    notebook = _honest()
    grading(graded_cells(notebook)[0])["grade_id"] = "my_own_test"
    return notebook


def _flipped():
    notebook = _honest()
    grading(graded_cells(notebook)[0])["grade"] = False
    grading(answer_cells(notebook)[0])["solution"] = False
    return notebook


def _duplicated():
    notebook = _honest()
    test = graded_cells(notebook)[0]
    copy = nbformat.from_dict(json.loads(json.dumps(test)))
    copy.id = "pasted-copy"
    notebook.cells.insert(notebook.cells.index(test) + 1, copy)
    return notebook


def _answered_with(code):
    """The honest notebook, its first answer replaced by ``code`` (defining nothing)."""
    notebook = _honest()
    answer_cells(notebook)[0].source = code
    return notebook


def _grading_keys(cell):
    return {key: grading(cell).get(key) for key in GRADING_KEYS}


def _write(path, notebook):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


# --- the checks, one at a time -------------------------------------------------

@pytest.mark.parametrize(("raw", "message"), [
    (b"", "the file is empty"),
    (b"{not json", "not JSON"),
    (b"[1, 2]", "not a notebook: a JSON list"),
    (b'{"nbformat": 3}', "not a version 4 notebook: nbformat=3"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "cells": 7, "metadata": {}}', "not a valid notebook"),
])
def test_an_unreadable_file_is_not_graded(tmp_path, released, raw, message):
    path = tmp_path / f"{CHAPTER}.ipynb"
    path.write_bytes(raw)
    notebook, notes = check_submission(path, CHAPTER, released)
    assert notebook is None
    assert len(notes) == 1 and message in notes[0] and "scored 0" in notes[0]


def test_another_chapter_is_not_graded_and_named(tmp_path, released):
    path = tmp_path / f"{CHAPTER}.ipynb"
    _write(path, solution(OTHER))
    notebook, notes = check_submission(path, CHAPTER, released)
    assert notebook is None
    assert f"it looks like {OTHER}" in notes[0]


def test_an_untouched_solution_passes_unchanged(tmp_path, released):
    path = tmp_path / f"{CHAPTER}.ipynb"
    _write(path, solution(CHAPTER))
    notebook, notes = check_submission(path, CHAPTER, released)
    assert notes == []
    assert notebook == solution(CHAPTER)


@pytest.mark.parametrize("doctor", [_stripped, _renamed, _flipped])
def test_altered_grading_metadata_is_restored_from_the_release(tmp_path, released, doctor):
    path = tmp_path / f"{CHAPTER}.ipynb"
    _write(path, doctor())
    notebook, notes = check_submission(path, CHAPTER, released)
    assert notes and all("graded with the released metadata" in note for note in notes)
    expected = {cell.id: _grading_keys(cell) for cell in released[CHAPTER].cells if grading(cell)}
    assert {cell.id: _grading_keys(cell) for cell in notebook.cells if grading(cell)} == expected


def test_a_copied_graded_cell_becomes_ordinary_code(tmp_path, released):
    path = tmp_path / f"{CHAPTER}.ipynb"
    _write(path, _duplicated())
    notebook, notes = check_submission(path, CHAPTER, released)
    assert notes == [f"cell 'pasted-copy' is a copy of graded cell "
                     f"{graded_cells(solution(CHAPTER))[0].id!r}: graded as ordinary code"]
    copy = next(cell for cell in notebook.cells if cell.id == "pasted-copy")
    assert "nbgrader" not in copy.metadata


def test_the_release_zip_holds_every_student_notebook(tmp_path):
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    archive = zip_notebooks(notebooks, tmp_path / "dist" / "handout.zip")
    with zipfile.ZipFile(archive) as bundle:
        assert bundle.namelist() == [f"handout/{path.name}" for path in notebooks]
        for path in notebooks:
            assert bundle.read(f"handout/{path.name}") == path.read_bytes()


def test_release_zips_the_notebooks_it_writes(tmp_path):
    written = Course(ROOT, tmp_path / "course").release(tmp_path / "notebooks",
                                                        tmp_path / "dist" / ARCHIVE_NAME)
    assert [path.stem for path in written] == CHAPTERS
    folder = ARCHIVE_NAME.removesuffix(".zip")
    with zipfile.ZipFile(tmp_path / "dist" / ARCHIVE_NAME) as bundle:
        assert {name: bundle.read(name) for name in bundle.namelist()} == {
            f"{folder}/{path.name}": path.read_bytes() for path in written}


# --- one run over the whole corpus ------------------------------------------------

def _corpus(folder):
    """Write the bad class into ``folder``.

    Returns {student: (expected score, problem)}, where the table's row starts
    the problem with the text before "|" and the problems list holds all of it
    (the row is shortened), and {misplaced file: why it is not graded}.
    """
    total = points(solution(CHAPTER))
    first_points = grading(graded_cells(solution(CHAPTER))[0])["points"]
    rejected = {
        "empty": b"",
        "garbled": b'{"cells": [',
        "listed": b"[]",
    }
    for student_id, raw in rejected.items():
        (folder / student_id).mkdir(parents=True)
        (folder / student_id / f"{CHAPTER}.ipynb").write_bytes(raw)
    identical = [grading(cell)["grade_id"] for cell in answer_cells(solution(CHAPTER))]
    doctored = {
        "honest": (_honest(), total, ""),
        "copier": (solution(CHAPTER), total,
                   f"answer cells {identical}|({len(identical)} of {len(identical)}) "
                   "are identical to the instructor's solutions|graded as usual, flagged"),
        "facade": (_answers_from(lambda name: "from recsys_workshop import exercises\n"
                                 f"{name} = exercises.reference({name!r})"), 0, ""),
        "importer": (_answers_from(lambda name: f"from recsys_workshop.mapping import {name}"),
                     0, ""),
        "wrapper": (_answers_from(lambda name: "from recsys_workshop import exercises\n"
                                  f"_kept = exercises.reference({name!r})\n"
                                  f"def {name}(*args):\n    return _kept(*args)"), 0, ""),
        "transformer": (_first_answer_after("get_ipython().input_transformers_cleanup.append("
                                           "lambda lines: ['pass\\n'])"), 0, ""),
        "ast_emptier": (_first_answer_after(EMPTY_EVERY_CELL), 0, ""),
        "excuser": (_first_answer_after(
            "get_ipython().set_custom_exc((Exception,), lambda *args, **kwargs: "
            "print('all checks passed'))"), 0, ""),
        # What held before the guard, and must keep holding.
        "silencer": (_first_answer_after(
            "get_ipython().showtraceback = lambda *args, **kwargs: None"), 0, ""),
        "redefiner": (_first_answer_after(
            "import builtins\nbuiltins.AssertionError = type('AssertionError', (Exception,), {})"),
            0, ""),
        "boaster": (_first_answer_after("print('✔ build_index_mapping passes every check.')"),
                    0, ""),
        "flooder": (_first_answer_after("print('x' * 50_000_000)"), 0, ""),
        "exiter": (_first_answer_after("import sys\nsys.exit(0)"), 0, ""),
        "wrong_chapter": (solution(OTHER), 0,
                          f"not graded, scored 0: missing|(it looks like {OTHER})"),
        "stripped": (_stripped(), total, "nbgrader metadata changed or stripped|"
                     " in cells ['ch01-setup', |graded with the released metadata"),
        "renamed": (_renamed(), total, "nbgrader metadata changed or stripped|"
                    " in cells ['test_build_index_mapping']: graded with the released metadata"),
        "flipped": (_flipped(), total, "nbgrader metadata changed or stripped|"
                    " in cells ['build_index_mapping', |graded with the released metadata"),
        "pasted": (_duplicated(), total, "cell 'pasted-copy' is a copy of graded cell|"
                   "'pasted-copy' is a copy of graded cell 'test_build_index_mapping': "
                   "graded as ordinary code"),
        "exited": (_answered_with("import os\nos._exit(0)\n"), 0,
                   "its run failed, scored 0|DeadKernelError"),
        "killed": (_answered_with("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"),
                   0, "its run failed, scored 0|DeadKernelError"),
        "stubborn": (_answered_with("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                    "while True:\n    pass\n"),
                     0, "its run failed, scored 0|Timeout"),
    }
    for student_id, (notebook, _, _) in doctored.items():
        _write(folder / student_id / f"{CHAPTER}.ipynb", notebook)
    expected = {"empty": (0, "not graded, scored 0: |the file is empty"),
                "garbled": (0, "not graded, scored 0: |not JSON"),
                "listed": (0, "not graded, scored 0: |not a notebook: a JSON list")}
    expected |= {student_id: (score, problem)
                 for student_id, (_, score, problem) in doctored.items()}
    assert 0 < first_points < total  # the doctored cells are worth points
    misplaced = {
        f"{CHAPTER}.ipynb": "at the top of the folder",
        f"nested/deeper/{CHAPTER}.ipynb": "nested below a student's folder",
        f"shouting/{CHAPTER}.IPYNB": "extension '.IPYNB'",
        "honest/Untitled.ipynb": "not a chapter notebook",
    }
    for name in misplaced:
        _write(folder / name, _honest())
    return expected, misplaced


def test_one_run_grades_every_bad_submission_and_names_each_problem(course, tmp_path, capsys):
    folder = tmp_path / "submissions"
    expected, misplaced = _corpus(folder)
    status = main(["--project", str(ROOT), "--course", str(course.root),
                   "autograde", "--timeout", "5", str(folder),
                   *(["--unsafe"] if course.unsafe else [])])
    out = capsys.readouterr().out
    assert status == EXIT_PROBLEMS, out
    table, _, problems = out.partition("problem(s):")
    rows = {line.split()[0]: line for line in table.splitlines()
            if line.split() and line.split()[0] in expected}
    total = points(solution(CHAPTER))
    assert set(rows) == set(expected), table
    assert rows["honest"].endswith(f"{total:g} / {total:g}"), rows["honest"]
    for student_id, (score, problem) in expected.items():
        row = rows[student_id]
        assert f"{CHAPTER} " in row and f" {score:g} / {total:g}" in row, row
        assert problem.split("|")[0] in row, row
    problem_lines = [line for line in problems.splitlines() if line.startswith("- ")]
    for student_id, (_, problem) in expected.items():
        submitted = folder / student_id / f"{CHAPTER}.ipynb"
        found = [line for line in problem_lines if line.startswith(f"- {submitted}: ")]
        assert len(found) == bool(problem), (student_id, problems)
        assert all(part in "".join(found) for part in problem.split("|")), (student_id, found)
    for name, reason in misplaced.items():
        assert any(f"{folder / name}: not graded: {reason}" in line
                   for line in problem_lines), (name, problems)
    flagged = [student_id for student_id, (_, problem) in expected.items() if problem]
    assert len(problem_lines) == len(misplaced) + len(flagged), problems
    for cheat in ("facade", "importer", "wrapper"):
        failures = [error.evalue for _, _, error in errors(read(
            course.path("autograded", CHAPTER, cheat)))]
        assert len(failures) == len(graded_cells(solution(CHAPTER))), failures
        assert all(REFUSED in failure for failure in failures), (cheat, failures)
    for cheat in ("transformer", "ast_emptier", "excuser"):
        first = answer_cells(read(course.path("autograded", CHAPTER, cheat)))[0]
        assert NOTE in "".join(output.get("text", "") for output in first.outputs), cheat


def test_answers_copied_from_the_solutions_are_flagged_and_others_not():
    source = solution(CHAPTER)
    assert copy_notes(_honest(), source) == []
    assert copy_notes(student(CHAPTER), source) == []
    halfway = _honest()
    answer_cells(halfway)[0].source = answer_cells(source)[0].source
    assert "(1 of 2) are identical" in copy_notes(halfway, source)[0]


def test_a_demonstration_cell_runs_when_the_learner_put_code_of_their_own_in_it(
        tmp_path, released):
    chapter = "02_dense_similarity"
    notebook = _own_words(solution(chapter))
    demos = [cell for cell in notebook.cells if is_demo(cell)]
    assert len(demos) >= 2, "chapter 2 should have demonstration cells to set aside"
    demos[0].source += "\nhelper = 1  # the learner's own line"
    own = nbformat.v4.new_code_cell("helper = 2", metadata={"tags": [DEMO_TAG]})
    notebook.cells.insert(1, own)
    path = tmp_path / f"{chapter}.ipynb"
    _write(path, notebook)
    checked, _ = check_submission(path, chapter, released)
    still_demos = [cell.id for cell in checked.cells if is_demo(cell)]
    assert still_demos == [cell.id for cell in demos[1:]]
