"""The chapter registry is the one source: notebooks, points, slides and the catalogue follow it."""

import re

import pytest
from workbook import CHAPTERS, NOTEBOOKS, ROOT, SOLUTIONS, graded_cells, grading, solution

from recsys_workshop import catalogue, chapters
from recsys_workshop.course import Course
from recsys_workshop.exercises import exercises_of


def test_chapters_are_numbered_from_0_with_unique_names():
    assert [chapter.number for chapter in chapters.CHAPTERS] == list(range(len(CHAPTERS)))
    for chapter in chapters.CHAPTERS:
        assert re.fullmatch(rf"{chapter.number:02d}_[a-z0-9_]+", chapter.name), chapter.name


def test_solutions_and_notebooks_hold_exactly_the_registry_chapters():
    assert sorted(path.stem for path in SOLUTIONS.glob("*.ipynb")) == CHAPTERS
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == CHAPTERS


def test_the_course_grades_the_registry_chapters():
    assert Course(ROOT).chapters == CHAPTERS


@pytest.mark.parametrize("chapter", chapters.CHAPTERS, ids=lambda chapter: chapter.name)
def test_each_notebook_opens_with_its_registry_title(chapter):
    heading = solution(chapter.name).cells[0].source.splitlines()[0]
    assert heading.startswith(f"# Chapter {chapter.number}: {chapter.title}"), heading


@pytest.mark.parametrize("chapter", chapters.CHAPTERS, ids=lambda chapter: chapter.name)
def test_each_test_cell_is_worth_its_exercises_points(chapter):
    in_notebook = {grading(cell)["grade_id"]: grading(cell)["points"]
                   for cell in graded_cells(solution(chapter.name))}
    in_registry = {f"test_{exercise.name}": exercise.points for exercise in exercises_of(chapter)}
    assert in_notebook == in_registry


def test_unknown_chapter_names_are_refused():
    with pytest.raises(ValueError, match=r"unknown chapter '07_nowhere'; the chapters are \["):
        chapters.chapter("07_nowhere")


def test_the_catalogue_is_up_to_date():
    committed = (ROOT / catalogue.CATALOGUE_NAME).read_text(encoding="utf-8")
    assert committed == catalogue.render_catalogue(), "EXERCISES.md is stale: `make catalogue`"


def test_the_readmes_points_table_is_up_to_date():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert catalogue.update_readme(readme) == readme, "README.md is stale: `make catalogue`"


def test_the_catalogue_gives_every_exercise_its_signature_points_and_errors():
    text = catalogue.render_catalogue()
    for chapter in chapters.graded():
        assert f"## Chapter {chapter.number}: {chapter.title} (`{chapter.name}`)" in text
        for number, exercise in enumerate(exercises_of(chapter), start=1):
            entry = text.split(f"### {chapter.number}.{number} `{exercise.name}(", 1)[1]
            entry = entry.split("\n### ", 1)[0].split("\n## ", 1)[0]
            points = f"{exercise.points} point" + ("" if exercise.points == 1 else "s")
            assert f"`\n\n{points}. " in entry, exercise.name
            assert "**Returns**" in entry, exercise.name
    assert "- `KeyError`: If a customer or a sku is missing from its mapping." in text


def test_the_points_table_sums_the_exercises():
    table = catalogue.points_table().splitlines()
    assert table[-1] == "| total | 26 | 46 |"
    assert len(table) == 2 + len(chapters.graded()) + 1


def test_the_command_line_checks_and_rewrites(tmp_path, capsys):
    (tmp_path / "README.md").write_text(
        f"intro\n{catalogue.TABLE_START}\nold table\n{catalogue.TABLE_END}\nmore\n")
    assert catalogue.main(["--project", str(tmp_path), "--check"]) == 1
    assert "EXERCISES.md is out of date" in capsys.readouterr().err
    assert catalogue.main(["--project", str(tmp_path)]) == 0
    assert catalogue.main(["--project", str(tmp_path), "--check"]) == 0
    readme = (tmp_path / "README.md").read_text()
    assert readme == f"intro\n{catalogue.TABLE_START}\n{catalogue.points_table()}\n" \
                     f"{catalogue.TABLE_END}\nmore\n"


def test_a_readme_without_the_markers_is_refused():
    with pytest.raises(ValueError, match=r"README\.md has no"):
        catalogue.update_readme("no table here")
