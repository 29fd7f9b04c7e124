"""The workbook's shape: every exercise in nbgrader form, clean student versions, fresh release."""

import json
import re

import pytest
from workbook import (
    CHAPTERS,
    HIDDEN_REGION,
    NOTEBOOKS,
    ROOT,
    SOLUTION_REGION,
    SOLUTIONS,
    answer_cells,
    grading,
    read,
    solution,
    student,
)

from recsys_workshop import exercises
from recsys_workshop.course import Course

STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
RAISES_EXCEPTION = "raises-exception"


def test_the_answer_cells_are_the_curriculum_in_order():
    answers = [grading(cell)["grade_id"] for chapter in CHAPTERS
               for cell in answer_cells(solution(chapter))]
    assert answers == exercises.names()


def test_grade_ids_are_unique_across_the_course():
    seen: dict[str, str] = {}
    for chapter in CHAPTERS:
        for cell in solution(chapter).cells:
            meta = grading(cell)
            if not meta:
                continue
            grade_id = meta.get("grade_id", "")
            assert grade_id.strip(), f"{chapter}: an nbgrader cell has a blank grade_id"
            assert grade_id not in seen, f"grade_id {grade_id!r} in {chapter} and {seen[grade_id]}"
            seen[grade_id] = chapter


def _exercise_triples(chapter):
    cells = solution(chapter).cells
    for index, cell in enumerate(cells):
        if grading(cell).get("solution"):
            yield grading(cell)["grade_id"], cells[index - 1], cell, cells[index + 1]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_is_a_statement_an_answer_and_a_locked_graded_test(chapter):
    for name, statement, answer, test in _exercise_triples(chapter):
        assert statement.cell_type == "markdown", f"{name}: no statement just above the answer"
        assert f"`{name}`" in statement.source and "point" in statement.source, name
        assert "<details>" in statement.source, f"{name}: the statement has no collapsed hint"
        assert answer.cell_type == "code" and not grading(answer).get("grade"), name
        assert f"def {name}(" in answer.source, f"{name}: the answer cell does not define it"
        assert SOLUTION_REGION.search(answer.source), f"{name}: no BEGIN/END SOLUTION"

        meta = grading(test)
        assert meta.get("grade_id") == f"test_{name}", f"{name}: no test cell just below"
        assert meta["grade"] and meta["locked"] and meta["points"] > 0, name
        visible = HIDDEN_REGION.split(test.source)[0]
        call = re.search(rf'^exercises\.check\(\s*"{name}",\s*{name},\s*examples\)$', visible,
                         flags=re.MULTILINE)
        assert call, f'{name}: the test cell does not call exercises.check("{name}", ...)'
        before = visible[:call.start()]
        assert "exercises.Example(" in before, f"{name}: no visible example before the check"
        assert "hint=" in before, f"{name}: the visible examples give no hint"
        assert not re.search(r"^\s*assert ", before, flags=re.MULTILINE), (
            f"{name}: a visible assert would fail without the check's input, expected and hint"
        )
        assert re.search(r"print\(\s*[\"']✔", visible), f"{name}: no success message"
        assert HIDDEN_REGION.search(test.source), f"{name}: no hidden tests"


@pytest.mark.parametrize("chapter", CHAPTERS[1:])
def test_chapters_open_with_learning_goals_and_close_with_a_recap(chapter):
    markdown = [cell.source for cell in solution(chapter).cells if cell.cell_type == "markdown"]
    assert "Learning goals" in markdown[0]
    assert "Recap" in markdown[-1]


@pytest.mark.parametrize("folder", [SOLUTIONS, NOTEBOOKS], ids=["solutions", "notebooks"])
def test_only_the_graded_test_cells_carry_the_raises_exception_tag(folder):
    """JupyterLab's Run All goes on past a cell with this tag that raises, stops at any other."""
    for chapter in CHAPTERS:
        for cell in read(folder / f"{chapter}.ipynb").cells:
            tagged = RAISES_EXCEPTION in cell.metadata.get("tags", [])
            graded = cell.cell_type == "code" and bool(grading(cell).get("grade"))
            kind, verb = ("graded test cell", "lacks") if graded else ("cell", "has")
            assert tagged == graded, (f"{folder.name}/{chapter}.ipynb: the {kind} {cell.id} "
                                      f"{verb} the {RAISES_EXCEPTION!r} tag")


@pytest.mark.parametrize("folder", [SOLUTIONS, NOTEBOOKS], ids=["solutions", "notebooks"])
def test_notebooks_are_committed_without_outputs_on_the_python3_kernel(folder):
    for chapter in CHAPTERS:
        notebook = read(folder / f"{chapter}.ipynb")
        assert notebook.metadata.kernelspec.name == "python3", chapter
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, (chapter, cell.id)


def _stubbed(source: str) -> str:
    """What nbgrader makes of an answer cell: each solution region becomes the stub."""
    def stub(match: re.Match) -> str:
        indent = match[1]
        return "\n".join(indent + line for line in STUB.splitlines())

    return re.sub(r"^([ \t]*)### BEGIN SOLUTION.*?### END SOLUTION", stub, source,
                  flags=re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_notebooks_hold_no_solution_and_no_hidden_test(chapter):
    source, released = solution(chapter), student(chapter)
    assert [cell.id for cell in released.cells] == [cell.id for cell in source.cells]
    for original, cell in zip(source.cells, released.cells, strict=True):
        assert "BEGIN SOLUTION" not in cell.source and "HIDDEN TESTS" not in cell.source
        if grading(original).get("solution"):
            assert cell.source == _stubbed(original.source), cell.id
        if grading(original).get("grade"):
            assert _lines(cell.source) == _lines(HIDDEN_REGION.sub("", original.source)), (
                f"{chapter} {cell.id}: the released test is not the visible part of the original"
            )


def _lines(source: str) -> list[str]:
    return [line.rstrip() for line in source.splitlines() if line.strip()]


def test_notebooks_match_a_fresh_release(tmp_path):
    fresh = tmp_path / "notebooks"
    Course(ROOT, tmp_path / "course").release(fresh)
    for chapter in CHAPTERS:
        committed = json.loads((NOTEBOOKS / f"{chapter}.ipynb").read_text())
        released = json.loads((fresh / f"{chapter}.ipynb").read_text())
        assert committed == released, f"notebooks/{chapter}.ipynb is stale: run `make release`"
