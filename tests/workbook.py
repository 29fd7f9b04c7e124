"""What the workbook tests share: the chapters, their cells, where they can run, and courses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from recsys_workshop import chapters as registry
from recsys_workshop import sandbox, spark_pipeline
from recsys_workshop.course import Course

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"

#: Every chapter, in workshop order (from the chapter registry).
CHAPTERS = [chapter.name for chapter in registry.CHAPTERS]
#: Chapters that load the real Online Retail table.
REAL_DATA_CHAPTERS = {chapter.name for chapter in registry.CHAPTERS if chapter.real_data}
#: Chapters that run Apache Spark (optional: pyspark and Java).
SPARK_CHAPTERS = {chapter.name for chapter in registry.CHAPTERS if chapter.needs_spark}

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION.*?### END SOLUTION", re.DOTALL)
HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.DOTALL)


def read(path: Path) -> NotebookNode:
    """The notebook at ``path``, as nbformat 4."""
    return nbformat.read(path, as_version=4)


def solution(chapter: str) -> NotebookNode:
    """The nbgrader source notebook of ``chapter``."""
    return read(SOLUTIONS / f"{chapter}.ipynb")


def student(chapter: str) -> NotebookNode:
    """The committed student notebook of ``chapter``."""
    return read(NOTEBOOKS / f"{chapter}.ipynb")


def grading(cell: NotebookNode) -> dict:
    """The cell's nbgrader metadata, ``{}`` for an ordinary cell."""
    return cell.metadata.get("nbgrader", {})


def is_exercise_cell(cell: NotebookNode) -> bool:
    """An answer cell or a graded test cell."""
    meta = grading(cell)
    return bool(meta.get("solution") or meta.get("grade"))


def answer_cells(notebook: NotebookNode) -> list[NotebookNode]:
    """The cells a learner fills in, in order."""
    return [cell for cell in notebook.cells if grading(cell).get("solution")]


def graded_cells(notebook: NotebookNode) -> list[NotebookNode]:
    """The graded, locked test cells, in order."""
    return [cell for cell in notebook.cells if grading(cell).get("grade")]


def points(notebook: NotebookNode) -> float:
    """The notebook's total points."""
    return sum(grading(cell)["points"] for cell in graded_cells(notebook))


def errors(notebook: NotebookNode) -> Iterator[tuple[int, NotebookNode, NotebookNode]]:
    """``(index, cell, error output)`` of every executed cell that raised."""
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                yield index, cell, output


def why_not_runnable(chapter: str, retail_data_home: Path | None) -> str | None:
    """Why ``chapter``'s notebook cannot run here (no real data, no Spark), or None."""
    if chapter in REAL_DATA_CHAPTERS and retail_data_home is None:
        return "it needs the real Online Retail data, which was not found"
    if chapter in SPARK_CHAPTERS:
        reason = spark_pipeline.spark_unavailable()
        if reason is not None:
            return f"it runs Spark, which cannot run here: {reason}"
    return None


def scratch_course(folder: Path, **options: object) -> Course:
    """A course of this project in ``folder``, for a test to generate and grade.

    Sandboxed where bubblewrap runs (CI installs it); elsewhere it grades ``unsafe``,
    and ``tests/test_sandbox.py`` skips, saying why. ``options`` go to :class:`Course`.
    """
    return Course(ROOT, folder, unsafe=sandbox.available() is not None, **options)
