"""Shared fixtures.

``retail_data_home`` finds a folder holding the real ``online-retail.parquet``
(never downloading anything) and ``retail`` loads it once per test session.
Tests that use them should be marked ``@pytest.mark.real_data``; they skip
when the real data are absent.

``graded_class`` autogrades every solution and every untouched student notebook
once per session: the tests that need an executed notebook read it there, so no
notebook runs twice. A chapter that needs the real data or Spark is graded only
where they are available; its tests skip, saying why, elsewhere. ``slide_deck``
builds the deck once per session. Under pytest-xdist (``make test``), the tests
that use one of them carry an ``xdist_group`` mark so that one worker holds it;
those groups are collected first, so the longest work starts at once and the
other worker takes the rest.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from deck import SLIDE_DECK, build_slides
from nbformat import NotebookNode
from workbook import (
    CHAPTERS,
    ROOT,
    answer_cells,
    read,
    scratch_course,
    solution,
    student,
    why_not_runnable,
)

from recsys_workshop import data
from recsys_workshop.artifacts import Artifacts, build_artifacts, load_artifacts, save_artifacts
from recsys_workshop.course import Course, Grading
from recsys_workshop.pipeline import RetailSplit, retail_split
from recsys_workshop.synthetic import make_online_retail

# CI clones the project with shared/ beside it: <repo root>/../shared/data.
SHARED_DATA = ROOT.parent / "shared" / "data"


def _find_retail_data_home() -> tuple[Path | None, list[str]]:
    """Return the first folder that holds the cached table, and where it looked."""
    candidates: list[Path] = []
    env = os.environ.get(data.DATA_ENV_VAR, "")
    if env.strip():
        candidates.append(Path(env).expanduser())
    candidates.append(SHARED_DATA)
    candidates.append(data.data_home())
    for folder in candidates:
        if data.is_cached(folder):
            return folder, [str(c) for c in candidates]
    return None, [str(c) for c in candidates]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the grouped tests (the course, the deck) first, keeping the order otherwise."""
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)


def _once_per_run(tmp_path_factory: pytest.TempPathFactory, what: str) -> None:
    """Fail when a second xdist worker builds ``what``: its tests were not grouped."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return
    claim = tmp_path_factory.getbasetemp().parent / f"{what}.built-by"
    try:
        with claim.open("x") as file:
            file.write(worker)
    except FileExistsError:
        pytest.fail(f"{what} was built by {claim.read_text()} and again by {worker}: the "
                    f"xdist_group marks did not keep its tests on one worker")


@pytest.fixture(scope="session")
def retail_data_home() -> Path:
    """Folder holding the real ``online-retail.parquet``; skips the test when absent."""
    folder, looked = _find_retail_data_home()
    if folder is None:
        pytest.skip(
            f"real Online Retail data not found (looked for {data.PARQUET_NAME} in: "
            + ", ".join(looked)
            + f"); run `make data` or set {data.DATA_ENV_VAR}"
        )
    return folder


@pytest.fixture(scope="session")
def optional_retail_data_home() -> Path | None:
    """Folder holding the real table, or ``None`` when it is absent (never skips)."""
    return _find_retail_data_home()[0]


@pytest.fixture(scope="session")
def retail(retail_data_home: Path) -> pd.DataFrame:
    """The real Online Retail table, loaded once per session (never downloaded).

    Tests must not modify it: copy it first.
    """
    return data.load_online_retail(retail_data_home, download=False)


@pytest.fixture(scope="session")
def real_split(retail: pd.DataFrame) -> RetailSplit:
    """Chapter 5's split of the real table (skips without it)."""
    return retail_split(retail)


@pytest.fixture(scope="session")
def synthetic_split() -> RetailSplit:
    """Chapter 5's split of a synthetic table with planted tastes, for every machine."""
    return retail_split(make_online_retail(seed=3))


@pytest.fixture(scope="session")
def small_artifacts_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chapter 7's artifacts of a small synthetic table, saved once (``small_artifacts``)."""
    folder = tmp_path_factory.mktemp("artifacts")
    save_artifacts(build_artifacts(make_online_retail(seed=5)), folder)
    return folder


@pytest.fixture(scope="session")
def small_artifacts(small_artifacts_folder: Path) -> Artifacts:
    """The model of ``small_artifacts_folder``, loaded (do not modify its arrays)."""
    return load_artifacts(small_artifacts_folder)


@pytest.fixture(scope="session")
def slide_deck(retail_data_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``slides/_build/index.html``, built once per test session as `make slides` builds it.

    Skips when node or npm is missing (reveal.js and KaTeX come from npm) or the
    real data is absent (two figures are computed from it).
    """
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not found: building the slides needs Node.js "
                    "and npm (reveal.js and KaTeX are installed from npm)")
    _once_per_run(tmp_path_factory, "slide_deck")
    result = build_slides({**os.environ, "RECSYS_WORKSHOP_DATA": str(retail_data_home)})
    assert result.returncode == 0, f"slides/build.py failed:\n{result.stdout}\n{result.stderr}"
    return SLIDE_DECK


@dataclass(frozen=True)
class GradedClass:
    """A generated course where two students were autograded on every runnable chapter.

    ``solver`` handed in the solutions, graded with the demonstration cells run;
    ``blank`` the untouched student notebooks, graded as a class is (demonstration
    cells set aside).
    """

    course: Course
    #: ``{(student, chapter): (score, max_score)}``.
    scores: dict[tuple[str, str], tuple[float, float]]
    #: ``{chapter: why it was not graded}``, for the chapters that could not run here.
    not_graded: dict[str, str]

    def executed(self, who: str, chapter: str) -> NotebookNode:
        """The notebook ``who`` handed in for ``chapter``, as autograding executed it."""
        if (who, chapter) not in self.scores:
            pytest.skip(f"{chapter} was not graded: {self.not_graded[chapter]}")
        return read(self.course.path("autograded", chapter, who))


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory, optional_retail_data_home) -> GradedClass:
    """Every chapter's solution and untouched student notebook, autograded once per session.

    Without the real data, only the chapters that do not load it are graded;
    without Spark, the chapters that run it are not either.
    """
    _once_per_run(tmp_path_factory, "graded_class")
    not_graded = {chapter: why for chapter in CHAPTERS
                  if (why := why_not_runnable(chapter, optional_retail_data_home))}
    runnable = [chapter for chapter in CHAPTERS if chapter not in not_graded]
    submissions = tmp_path_factory.mktemp("submissions")
    for who, version in (("solver", solution), ("blank", student)):
        (submissions / who / who).mkdir(parents=True)
        for chapter in runnable:
            nbformat.write(version(chapter), submissions / who / who / f"{chapter}.ipynb")
    with pytest.MonkeyPatch.context() as patch:
        if optional_retail_data_home is not None:
            patch.setenv(data.DATA_ENV_VAR, str(optional_retail_data_home))
        course = scratch_course(tmp_path_factory.mktemp("course"))
        course.generate()
        # The solutions run end to end, demonstrations included: CI's execution of every
        # notebook. The student notebooks are graded as a class is, demonstrations set aside.
        solver = Course(ROOT, course.root, unsafe=course.unsafe, demos=True)
        solved, blank = solver.autograde(submissions / "solver"), course.autograde(
            submissions / "blank")
    grading = Grading(solved.grades + blank.grades, solved.problems + blank.problems)
    # Untouched notebooks: nothing to reject or repair; the solver's answers are flagged
    # as the instructor's solutions, which they are.
    flagged = [(problem.path.parent.name, problem.path.stem) for problem in grading.problems]
    assert flagged == [("solver", chapter) for chapter in runnable
                       if answer_cells(solution(chapter))], grading.problems
    assert all("identical to the instructor's solutions" in problem.message
               for problem in grading.problems), grading.problems
    grades = grading.grades
    return GradedClass(course, {(grade.student, grade.chapter): (grade.score, grade.max_score)
                                for grade in grades}, not_graded)
