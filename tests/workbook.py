"""What the workbook tests share: the chapters, their cells, running them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

from recsys_workshop import data

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"

#: Every chapter, in workshop order.
CHAPTERS = [
    "00_welcome",
    "01_implicit_feedback",
    "02_dense_similarity",
    "03_sparse_similarity",
    "04_recommendations",
    "05_als_retail",
    "06_beyond",
]
#: Chapters that load the real Online Retail table.
REAL_DATA_CHAPTERS = {
    "03_sparse_similarity", "04_recommendations", "05_als_retail", "06_beyond",
}

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


def execute(notebook: NotebookNode, data_home: Path | None, *, allow_errors: bool) -> NotebookNode:
    """Run ``notebook`` top to bottom on a fresh ``python3`` kernel, from ``notebooks/``.

    The kernel finds the real data in ``data_home`` when one is given.
    """
    previous = os.environ.get(data.DATA_ENV_VAR)
    if data_home is not None:
        os.environ[data.DATA_ENV_VAR] = str(data_home)
    try:
        client = NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        return client.execute()
    finally:
        if previous is None:
            os.environ.pop(data.DATA_ENV_VAR, None)
        else:
            os.environ[data.DATA_ENV_VAR] = previous
