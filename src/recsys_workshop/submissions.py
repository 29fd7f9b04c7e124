"""What a submitted notebook must be before nbgrader grades it, and what the instructor should see.

:func:`check_submission` reads one submitted file: it must be a readable
notebook holding each of its chapter's nbgrader cells once. A cell whose
nbgrader metadata was stripped or altered (a renamed ``grade_id``, a flipped
``grade``/``solution`` flag) gets the released metadata back, found by its cell
id; a copy of a graded cell is graded as ordinary code; a notebook missing a
graded cell (another chapter's, one whose cell ids were lost too) is not graded.
A demonstration cell the learner edited loses its ``demo`` tag, so that grading
runs it.
:func:`identical_answers` names the answer cells that are the instructor's
solution, to flag for the instructor (every clone of the project holds
``solutions/``). :func:`misplaced` says why a file in the submissions folder is
not a student's chapter notebook.
"""

import ast
import json
import math
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .autograde_steps import DEMO_TAG, is_demo

__all__ = [
    "GRADING_KEYS",
    "check_submission",
    "copy_notes",
    "grading",
    "identical_answers",
    "misplaced",
    "points",
    "read",
]

#: The nbgrader metadata that decides how a cell is graded.
GRADING_KEYS = ("grade_id", "grade", "solution", "locked", "points")


def check_submission(
    path: Path, chapter: str, released: dict[str, NotebookNode]
) -> tuple[NotebookNode | None, list[str]]:
    """Read a submitted notebook and match its nbgrader cells with the release.

    Parameters
    ----------
    path : Path
        The submitted file.
    chapter : str
        The chapter it claims to be.
    released : dict of str to NotebookNode
        The released notebook of every chapter, by name.

    Returns
    -------
    notebook : NotebookNode or None
        The notebook to grade, its nbgrader cells repaired; None if it must
        not be graded (it scores 0).
    notes : list of str
        What was wrong: why it is not graded, or what was repaired.
    """
    try:
        notebook = _parse(path.read_bytes())
    except ValueError as error:
        return None, [f"not graded, scored 0: {error}"]
    _run_edited_demos(notebook, released[chapter])
    return _match_graded_cells(notebook, chapter, released)


def _run_edited_demos(notebook: NotebookNode, release: NotebookNode) -> None:
    """Untag every demonstration cell that is not as released, so that grading runs it.

    Grading sets aside the cells tagged ``demo``
    (:mod:`recsys_workshop.autograde_steps`); a learner's own code in one, or a
    tag they added to their own cell, must still run.
    """
    released = {cell.get("id"): cell.source for cell in release.cells if is_demo(cell)}
    for cell in notebook.cells:
        if is_demo(cell) and released.get(cell.get("id")) != cell.source:
            cell.metadata.tags = [tag for tag in cell.metadata.tags if tag != DEMO_TAG]


def _parse(raw: bytes) -> NotebookNode:
    """The notebook in ``raw``; ValueError saying why it is not one."""
    if not raw.strip():
        raise ValueError("the file is empty")
    try:
        content = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(content, dict):
        raise ValueError(f"not a notebook: a JSON {type(content).__name__}")
    if content.get("nbformat") != 4:
        raise ValueError(f"not a version 4 notebook: nbformat={content.get('nbformat')!r}")
    try:
        nbformat.validate(content)
    except (nbformat.ValidationError, TypeError, AttributeError) as error:
        raise ValueError(f"not a valid notebook: {getattr(error, 'message', error)}") from None
    return nbformat.reads(json.dumps(content), as_version=4)


def _match_graded_cells(
    notebook: NotebookNode, chapter: str, released: dict[str, NotebookNode]
) -> tuple[NotebookNode | None, list[str]]:
    """Give each released nbgrader cell its released metadata once; see :func:`check_submission`."""
    expected = {cell.get("id"): cell for cell in released[chapter].cells if grading(cell)}
    grade_ids = {grading(cell)["grade_id"]: cell_id for cell_id, cell in expected.items()}
    holders: dict[str, list[NotebookNode]] = {cell_id: [] for cell_id in expected}
    submitted = {grading(cell).get("grade_id") for cell in notebook.cells} - {None}
    notes, restored = [], []
    for cell in notebook.cells:
        cell_id = cell.get("id") if cell.get("id") in expected else grade_ids.get(
            grading(cell).get("grade_id"))
        if cell_id is not None:
            holders[cell_id].append(cell)
        elif grading(cell):
            notes.append(f"cell {cell.get('id')!r} has nbgrader metadata for "
                         f"{grading(cell).get('grade_id')!r}, not a cell of {chapter}: "
                         "graded as ordinary code")
            del cell.metadata["nbgrader"]
    missing = [cell_id for cell_id, cells in holders.items() if not cells]
    if missing:
        others = [name for name, other in released.items() if name != chapter
                  and submitted & {grading(cell).get("grade_id") for cell in other.cells}]
        why = f" (it looks like {others[0]})" if others else ""
        return None, [f"not graded, scored 0: missing the graded cells {missing}{why}"]
    for cell_id, cells in holders.items():
        keeper = next((cell for cell in cells if cell.get("id") == cell_id), cells[0])
        for copy in cells:
            if copy is not keeper:
                notes.append(f"cell {copy.get('id')!r} is a copy of graded cell {cell_id!r}: "
                             "graded as ordinary code")
                copy.metadata.pop("nbgrader", None)
        wanted = expected[cell_id].metadata["nbgrader"]
        if [grading(keeper).get(key) for key in GRADING_KEYS] != [
                wanted.get(key) for key in GRADING_KEYS]:
            restored.append(cell_id)
            keeper.metadata["nbgrader"] = dict(wanted)
    if restored:
        notes.append(f"nbgrader metadata changed or stripped in cells {restored}: "
                     "graded with the released metadata")
    return notebook, notes


def grading(cell: NotebookNode) -> dict:
    """The nbgrader metadata of ``cell`` (empty if none)."""
    return cell.get("metadata", {}).get("nbgrader") or {}


def points(notebook: NotebookNode) -> float:
    """The points of the graded cells of ``notebook``."""
    return float(sum(grading(cell).get("points", 0) for cell in notebook.cells
                     if grading(cell).get("grade")))


def read(path: Path) -> NotebookNode:
    """The notebook at path (a generated one, trusted to be valid)."""
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)


def misplaced(relative: Path, chapters: Sequence[str]) -> str:
    """Why ``SUBMISSIONS/relative`` is not a chapter notebook of a student, or ``""``."""
    if len(relative.parts) == 1:
        return "at the top of the folder; expected STUDENT/CHAPTER.ipynb"
    if len(relative.parts) > 2:
        return "nested below a student's folder; expected STUDENT/CHAPTER.ipynb"
    if relative.suffix.lower() == ".ipynb" and relative.suffix != ".ipynb":
        return f"extension {relative.suffix!r}; rename it to .ipynb"
    if relative.suffix != ".ipynb" or relative.stem not in chapters:
        return f"not a chapter notebook; expected one of {[f'{c}.ipynb' for c in chapters]}"
    return ""




def identical_answers(notebook: NotebookNode, source: NotebookNode) -> list[str]:
    """The answer cells of ``notebook`` whose code is the instructor's solution in ``source``.

    Two cells are the same when their code parses to the same syntax tree:
    comments, blank lines and spacing do not count.

    Parameters
    ----------
    notebook : NotebookNode
        A submission, its nbgrader cells matched by :func:`check_submission`.
    source : NotebookNode
        The chapter's source notebook, with the solutions.

    Returns
    -------
    list of str
        The grade ids of the identical answer cells, in notebook order.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> def answer(code):
    ...     return new_code_cell(code, metadata={"nbgrader": {"grade_id": "a", "solution": True}})
    >>> solution = new_notebook(cells=[answer("x = 1  # the solution")])
    >>> identical_answers(new_notebook(cells=[answer("x  =  1")]), solution)
    ['a']
    >>> identical_answers(new_notebook(cells=[answer("x = 2")]), solution)
    []
    """
    solutions = {grading(cell)["grade_id"]: _tree(cell.source) for cell in _answers(source)}
    answers = {grading(cell)["grade_id"]: _tree(cell.source) for cell in _answers(notebook)}
    return [grade_id for grade_id, tree in answers.items()
            if tree is not None and tree == solutions.get(grade_id)]


def copy_notes(notebook: NotebookNode, source: NotebookNode) -> list[str]:
    """A note for the instructor when at least half of the answer cells are the solutions.

    The notebook is graded as usual: identical code can be honest work (a
    one-line answer) or a copy of ``solutions/``; the instructor decides.

    Returns
    -------
    list of str
        One note, or none.
    """
    identical, answers = identical_answers(notebook, source), len(_answers(source))
    if not identical or len(identical) < math.ceil(answers / 2):
        return []
    return [f"answer cells {identical} ({len(identical)} of {answers}) are identical to the "
            "instructor's solutions: graded as usual, flagged for you to decide"]


def _answers(notebook: NotebookNode) -> list[NotebookNode]:
    return [cell for cell in notebook.cells
            if cell.cell_type == "code" and grading(cell).get("solution")]


def _tree(code: str) -> str | None:
    """``code``'s syntax tree as text, or None when it does not parse (magics...)."""
    try:
        return ast.dump(ast.parse(code))
    except SyntaxError:
        return None
