"""Each chapter's text version, solutions/NN_name.py, matches its notebook; no release ships one.

The .ipynb is the source of truth (nbgrader and the other tests read it); the
.py is written from it by `make pair` with solutions/jupytext.toml. Contents are
compared, never file times, which a fresh clone scrambles.
"""

import jupytext
import pytest
from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file
from workbook import CHAPTERS, NOTEBOOKS, ROOT, SOLUTIONS, grading, solution

from recsys_workshop.course import Course

CONFIG = load_jupytext_configuration_file(str(SOLUTIONS / "jupytext.toml"))
FORMAT = "py:percent"


def _pair(chapter):
    return SOLUTIONS / f"{chapter}.py"


def _cells(notebook):
    """What the pair must carry of each cell: its type, source, nbgrader metadata and tags."""
    return [(cell.cell_type, cell.source, grading(cell), cell.metadata.get("tags"))
            for cell in notebook.cells]


def test_every_chapter_and_nothing_else_has_a_pair():
    assert sorted(path.stem for path in SOLUTIONS.glob("*.py")) == CHAPTERS, (
        "solutions/*.py should be the chapters' pairs: run `make pair`"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_pair_is_in_sync_with_the_notebook(chapter):
    notebook = solution(chapter)
    assert jupytext.writes(notebook, FORMAT, config=CONFIG) == _pair(chapter).read_text(), (
        f"solutions/{chapter}.py is stale: run `make pair`"
    )
    assert _cells(jupytext.read(_pair(chapter))) == _cells(notebook)


def test_the_configuration_keeps_nbgrader_metadata_and_tags_only():
    notebook = solution(CHAPTERS[1])
    graded = next(cell for cell in notebook.cells if grading(cell).get("grade"))
    graded.metadata.update(tags=["raises-exception"], scrolled=True,
                           jupyter={"source_hidden": True})
    back = jupytext.reads(jupytext.writes(notebook, FORMAT, config=CONFIG), FORMAT)
    assert [cell.metadata for cell in back.cells] == [
        {key: cell.metadata[key] for key in ("nbgrader", "tags") if key in cell.metadata}
        for cell in notebook.cells
    ]


def test_attendees_notebooks_are_neither_paired_nor_configured_to_be():
    for chapter in CHAPTERS:
        assert [path.name for path in NOTEBOOKS.glob(f"{chapter}.*")] == [f"{chapter}.ipynb"]
    # Neither notebooks/ nor the project folder above it (pyproject.toml) holds a
    # jupytext configuration: JupyterLab on notebooks/ creates no text file.
    for folder in (NOTEBOOKS, ROOT):
        assert find_jupytext_configuration_file(folder, search_parent_dirs=False) is None, folder


def test_a_release_copies_no_pair(tmp_path):
    course = Course(ROOT, tmp_path / "course")
    course.release(tmp_path / "notebooks")
    notebooks = sorted(f"{chapter}.ipynb" for chapter in CHAPTERS)
    assert sorted(path.name for path in (tmp_path / "notebooks").iterdir()) == notebooks
    for step in ("source", "release"):
        files = sorted(path.name for path in (course.root / step).rglob("*") if path.is_file())
        assert files == notebooks, f"course/{step} holds more than the chapter notebooks"
