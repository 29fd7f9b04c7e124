"""What an instructor does in the formgrader, in a real browser: Debian's chromium via Playwright.

A scratch course is generated from the project, and two submissions of chapter 1 are
autograded into it: the solution (student ``solver``) and the untouched student notebook
(student ``blank``). ``make instructor`` serves that course. Opened from JupyterLab's Nbgrader
menu, the Formgrader lists every chapter of the registry, its Gradebook every chapter's
points, and no warning; the menus offer neither Assignment List nor Course List. Manage
Submissions shows both students graded, with their scores. On ``blank``'s graded notebook, a
manual comment and a score override are saved; after a restart of the server both are still
there, and the student's total includes the override. Screenshots go to
``tests/screenshots/instructor-*.png`` (git-ignored).

The tests skip when ``/usr/bin/chromium`` or Playwright is absent, as ``tests/test_browser.py``
does, whose server and browser helpers they share.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import test_browser as attendee
from test_browser import MENU_LABELS, ROOT, Lab
from workbook import scratch_course

from recsys_workshop.chapters import CHAPTERS, chapter
from recsys_workshop.course import Course
from recsys_workshop.exercises import exercises_of

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FrameLocator, Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("instructor")]

# Debian's chromium, headless (skips the module's tests when it or Playwright is absent),
# and one page in a fresh profile, as in tests/test_browser.py.
browser = attendee.browser
page = attendee.page

CHAPTER = "01_implicit_feedback"
SOLVER, BLANK = "solver", "blank"
# The exercise whose graded notebook gets a comment and a score override.
EXERCISE = exercises_of(chapter(CHAPTER))[0]
COMMENT = "Walk through the values once, giving each new one the next index."
# Tools of nbgrader's exchange that the instructor's lab leaves out (instructor-settings/).
EXCHANGE_TOOLS = ("Assignment List", "Course List")
# The mark of the formgrader's error page ("Sorry, the formgrader encountered an error",
# shown for instance when the course is not inside the server's root), and of its warning
# that nbgrader's exchange folder is missing.
ERROR_PAGE = "[id^='error-']"
EXCHANGE_WARNING = "#warning-exchange"
# True once the graded notebook's page has loaded its scores and comments and bound its
# fields to them: a field typed into earlier is never saved.
FORMGRADE_READY = ("() => window.formgrader?.grades?.loaded === true"
                   " && window.formgrader?.comments?.loaded === true")


def _points(name: str) -> float:
    """The points of a chapter, from the registry's exercises."""
    return float(sum(exercise.points for exercise in exercises_of(chapter(name))))


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """A scratch course: every chapter generated, chapter 1 of two students autograded."""
    scratch = tmp_path_factory.mktemp("instructor")
    submissions = scratch / "submissions"
    for student, version in ((SOLVER, "solutions"), (BLANK, "notebooks")):
        (submissions / student).mkdir(parents=True)
        shutil.copyfile(ROOT / version / f"{CHAPTER}.ipynb",
                        submissions / student / f"{CHAPTER}.ipynb")
    course = scratch_course(scratch / "course")
    course.generate()
    grading = course.autograde(submissions)
    scores = {(grade.student, grade.chapter): grade.score for grade in grading.grades}
    assert scores == {(SOLVER, CHAPTER): _points(CHAPTER), (BLANK, CHAPTER): 0}, grading
    return course


class InstructorLab:
    """``make instructor`` on a scratch course, which a test can restart."""

    def __init__(self, course: Course, scratch: Path) -> None:
        self.course = course
        self.scratch = scratch
        self.lab: Lab | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Lab:
        """Start the server on a free port; its address and token."""
        self.lab, self._process = attendee.start_lab(
            "instructor", [f"COURSE_ROOT={self.course.root}"], self.scratch)
        return self.lab

    def stop(self) -> None:
        """Shut the server down (its gradebook stays on disk)."""
        if self.lab is not None and self._process is not None:
            attendee._stop(self.lab, self._process)
        self.lab = self._process = None

    def url(self, path: str, *, token: bool = True) -> str:
        """The address of ``path`` on the running server, with its token unless told not to."""
        assert self.lab is not None, "the instructor's lab is not running"
        return f"{self.lab.url}/{path}" + (f"?token={self.lab.token}" if token else "")


@pytest.fixture(scope="module")
def instructor(browser: Browser, course: Course,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[InstructorLab]:
    """``make instructor`` on the scratch course; asks for ``browser`` first, to skip early."""
    server = InstructorLab(course, tmp_path_factory.mktemp("instructor-lab"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _screenshot(page: Page, step: str) -> None:
    attendee._screenshot(page, f"instructor-{step}.png")


def _goto(page: Page, instructor: InstructorLab, path: str) -> None:
    """Open a formgrader page, logged in first as JupyterLab's own pages are.

    A formgrader page opened with the token sets its login cookie for its own folder only,
    so the requests of its scripts to ``/formgrader/api/`` would go without it.
    """
    page.goto(instructor.url("api/status"))
    page.goto(instructor.url(path, token=False))


def _rows(table: Locator, count: int, column: str) -> list[list[str]]:
    """The cells' texts of a formgrader table once it shows ``count`` rows (not 'Loading').

    ``column`` is the class of a cell only the awaited page's rows have: after a click on a
    link, the previous page's table of as many rows may still be there.
    """
    rows = table.locator(f"tr[role=row]:has(td.{column})")
    rows.nth(count - 1).wait_for()
    assert rows.count() == count, table.inner_text()
    return [row.locator("td").all_inner_texts() for row in rows.all()]


def _assert_no_error(frame: FrameLocator | Page) -> None:
    assert frame.locator(ERROR_PAGE).count() == 0, "the formgrader shows its error page"
    assert frame.locator(EXCHANGE_WARNING).count() == 0, (
        f"the formgrader warns: {frame.locator(EXCHANGE_WARNING).inner_text()}")


def test_the_formgrader_lists_every_chapter_with_its_points(
        page: Page, instructor: InstructorLab) -> None:
    page.goto(instructor.url("lab") + "&reset")
    page.wait_for_function("() => window.jupyterapp?.started !== undefined")
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").wait_for()
    menus = page.evaluate(MENU_LABELS)
    assert "Nbgrader > Formgrader" in menus, menus
    offered = [label for label in menus if any(tool in label for tool in EXCHANGE_TOOLS)]
    assert not offered, f"the instructor's lab offers nbgrader's exchange tools: {offered}"

    page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
    page.locator(".lm-Menu-item", has_text="Formgrader").first.click()
    formgrader = page.frame_locator("iframe")
    assignments = _rows(formgrader.locator("#main-table"), len(CHAPTERS), "status")
    formgrader.locator("#main-table").scroll_into_view_if_needed()
    _screenshot(page, "1-manage-assignments")
    _assert_no_error(formgrader)
    assert [row[0] for row in assignments] == [chapter.name for chapter in CHAPTERS]

    formgrader.get_by_role("link", name="Manual Grading").click()
    gradebook = _rows(formgrader.locator("#main-table"), len(CHAPTERS), "score")
    formgrader.locator("#main-table").scroll_into_view_if_needed()
    _screenshot(page, "2-gradebook")
    _assert_no_error(formgrader)
    # Each row: name, due date, submissions, "average score / max score".
    points = {row[0]: float(row[-1].split(" / ")[1]) for row in gradebook}
    assert points == {chapter.name: _points(chapter.name) for chapter in CHAPTERS}


def _submissions(page: Page, instructor: InstructorLab) -> dict[str, tuple[str, str]]:
    """Manage Submissions of chapter 1: each student's status and score."""
    _goto(page, instructor, f"formgrader/manage_submissions/{CHAPTER}")
    rows = page.locator("#main-table tr[role=row]")
    rows.nth(1).wait_for()
    return {row.locator(".student-id").inner_text(): (row.locator(".status").inner_text(),
                                                      row.locator(".score").inner_text())
            for row in rows.all()}


def test_manage_submissions_shows_both_students_autograded(
        page: Page, instructor: InstructorLab) -> None:
    submissions = _submissions(page, instructor)
    _screenshot(page, "3-submissions")
    _assert_no_error(page)
    total = f"{_points(CHAPTER):g}"
    assert submissions == {SOLVER: ("graded", f"{total} / {total}"),
                           BLANK: ("graded", f"0 / {total}")}


def _open_graded_notebook(page: Page, instructor: InstructorLab) -> tuple[Locator, Locator]:
    """``blank``'s graded chapter 1, reached by links: its comment box and score override."""
    _goto(page, instructor, f"formgrader/manage_students/{BLANK}/{CHAPTER}")
    page.locator("#main-table .name a").first.click()
    comment = page.locator(f"textarea#{EXERCISE.name}-comment")
    score = page.locator(f"input.score#test_{EXERCISE.name}")
    page.wait_for_function(FORMGRADE_READY)
    return comment, score


def _saved(page: Page, api: str, field: Locator, value: str) -> None:
    """Type ``value`` into ``field`` and leave it, as the formgrader saves on change."""
    with page.expect_response(lambda response: f"/formgrader/api/{api}/" in response.url
                              and response.request.method == "PUT") as saving:
        field.fill(value)
        field.blur()
    assert saving.value.ok, f"saving the {api} failed: {saving.value.status}"


def test_a_comment_and_a_score_override_persist_across_a_restart(
        page: Page, instructor: InstructorLab) -> None:
    override = f"{EXERCISE.points:g}"
    comment, score = _open_graded_notebook(page, instructor)
    assert (comment.input_value(), score.input_value()) == ("", "")
    _saved(page, "comment", comment, COMMENT)
    _saved(page, "grade", score, override)
    _screenshot(page, "4-comment-and-override")

    instructor.stop()
    instructor.start()
    comment, score = _open_graded_notebook(page, instructor)
    comment.scroll_into_view_if_needed()
    _screenshot(page, "5-after-restart")
    assert (comment.input_value(), score.input_value()) == (COMMENT, override)
    total = f"{_points(CHAPTER):g}"
    assert _submissions(page, instructor)[BLANK] == ("graded", f"{override} / {total}")
    _screenshot(page, "6-submissions-after-restart")
