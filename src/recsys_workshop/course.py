"""The instructor's nbgrader flow: release the chapters, autograde, give feedback.

Every chapter notebook ``solutions/NN_name.ipynb`` is one nbgrader assignment
``NN_name`` holding one notebook of the same name. The course folder (by
default ``course/``, from ``nbgrader_config.py``) gets nbgrader's usual layout::

    course/source/NN_name/NN_name.ipynb          staged from solutions/
    course/release/NN_name/NN_name.ipynb         the student version
    course/submitted/STUDENT/NN_name/NN_name.ipynb
    course/autograded/STUDENT/NN_name/NN_name.ipynb
    course/feedback/STUDENT/NN_name/NN_name.html
    course/gradebook.db

Submissions are read from a flat folder, one sub-folder per student holding
the chapter notebooks as they downloaded them: ``SUBMISSIONS/STUDENT/NN_name.ipynb``.

Grading never stops on one bad submission. Every other file in the folder is
named as not graded. Each notebook is checked before nbgrader sees it
(:func:`check_submission`): it must be a readable notebook holding each of the
chapter's nbgrader cells once. A cell whose nbgrader metadata was stripped or
altered (a renamed ``grade_id``, a flipped ``grade``/``solution`` flag) gets the
released metadata back, found by its cell id; a copy of a graded cell is graded
as ordinary code; a notebook missing a graded cell (another chapter's, one
whose cell ids were lost too) is not graded and scores 0. A notebook whose run
fails (its kernel died or was killed, a cell ignored the interrupt after its
timeout) scores 0. Each of these is a :class:`Problem`, printed below the score
table; the command's exit status is :data:`EXIT_CLEAN`, :data:`EXIT_PROBLEMS`
or :data:`EXIT_FAILED`.

Run it as ``python -m recsys_workshop.course release|autograde|feedback`` from
the project folder (the Makefile does).
"""

import argparse
import json
import os
import shutil
import sysconfig
import textwrap
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config, PyFileConfigLoader

from . import sandbox
from .autograde_steps import autograde_pipeline
from .chapters import CHAPTERS

__all__ = [
    "ARCHIVE_NAME",
    "CONFIG_NAME",
    "EXIT_CLEAN",
    "EXIT_FAILED",
    "EXIT_PROBLEMS",
    "Course",
    "CourseError",
    "Grade",
    "Grading",
    "Problem",
    "check_submission",
    "main",
    "zip_notebooks",
]

#: The nbgrader configuration file, at the top of the project.
CONFIG_NAME = "nbgrader_config.py"
#: The zip of the student notebooks that ``release`` writes into ``dist/``.
ARCHIVE_NAME = "recsys-workshop-notebooks.zip"
#: Exit status of ``autograde``: every file graded, no problem.
EXIT_CLEAN = 0
#: Exit status of ``autograde``: the table is complete but lists problems.
EXIT_PROBLEMS = 1
#: Exit status when a step could not run at all (no submissions folder...).
EXIT_FAILED = 2
#: The nbgrader metadata that decides how a cell is graded.
GRADING_KEYS = ("grade_id", "grade", "solution", "locked", "points")


class CourseError(RuntimeError):
    """A step of the nbgrader flow failed; the message says which and why."""


@dataclass(frozen=True)
class Grade:
    """The autograded score of one student on one chapter."""

    student: str
    chapter: str
    score: float
    max_score: float
    #: Why the score is 0 or what was repaired before grading; empty if nothing.
    problem: str = ""


@dataclass(frozen=True)
class Problem:
    """Something the instructor should look at: a file not graded, a notebook repaired."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Grading:
    """What :meth:`Course.autograde` found: one grade per notebook, and the problems."""

    grades: list[Grade]
    problems: list[Problem]


class Course:
    """The workshop as an nbgrader course.

    Parameters
    ----------
    project : path-like
        The project folder, holding ``nbgrader_config.py`` and ``solutions/``.
    root : path-like, optional
        The course folder. Default: ``CourseDirectory.root`` from the
        configuration file.
    timeout : int, optional
        Seconds a cell may run while autograding, overriding ``Execute.timeout``.
    unsafe : bool, default False
        Autograde without the sandbox of :mod:`recsys_workshop.sandbox`: student
        code then runs with your permissions. By default, autograding refuses
        to start where the sandbox cannot run.

    Examples
    --------
    >>> course = Course(".")  # doctest: +SKIP
    >>> course.release()  # doctest: +SKIP
    """

    def __init__(
        self,
        project: str | Path,
        root: str | Path | None = None,
        *,
        timeout: int | None = None,
        unsafe: bool = False,
    ) -> None:
        self.project = Path(project).resolve()
        self.unsafe = unsafe
        config_file = self.project / CONFIG_NAME
        if not config_file.is_file():
            raise CourseError(f"no {CONFIG_NAME} in {self.project}: is it the project folder?")
        self.solutions = self.project / "solutions"
        self.config: Config = PyFileConfigLoader(CONFIG_NAME, path=str(self.project)).load_config()
        if root is not None:
            self.config.CourseDirectory.root = str(Path(root).resolve())
        if timeout is not None:
            self.config.Execute.timeout = timeout
        # Warnings on stderr cost no points; autograde() sandboxes the Execute step.
        self.config.Autograde.autograde_preprocessors = autograde_pipeline()
        self.root = Path(self.config.CourseDirectory.root)
        _put_scripts_on_path()
        self._api = NbGraderAPI(coursedir=CourseDirectory(config=self.config), config=self.config)

    @property
    def chapters(self) -> list[str]:
        """The assignment names: the chapters of :data:`recsys_workshop.chapters.CHAPTERS`."""
        return [chapter.name for chapter in CHAPTERS]

    def path(self, step: str, chapter: str, student: str = ".", suffix: str = ".ipynb") -> Path:
        """Where nbgrader keeps ``chapter`` at ``step`` (``release``, ``autograded``...)."""
        return self.root / step / student / chapter / f"{chapter}{suffix}"

    def generate(self) -> None:
        """Stage ``solutions/`` as the course source and generate every student version.

        Raises
        ------
        CourseError
            If nbgrader fails on a chapter; the message holds its log.
        """
        for chapter in self.chapters:
            source = self.solutions / f"{chapter}.ipynb"
            shutil.copyfile(source, _fresh_folder(self.path("source", chapter)))
            self._succeed(self._api.generate_assignment(chapter, force=True),
                          f"generate_assignment {chapter}")

    def release(self, notebooks: str | Path | None = None,
                archive: str | Path | None = None) -> list[Path]:
        """Generate the student versions, copy them into ``notebooks`` and zip them.

        Parameters
        ----------
        notebooks : path-like, optional
            Where attendees find the notebooks. Default: ``notebooks/`` of the
            project.
        archive : path-like, optional
            The zip to hand out without the repository. Default:
            ``dist/recsys-workshop-notebooks.zip`` of the project.

        Returns
        -------
        list of Path
            The notebooks written.
        """
        target = self.project / "notebooks" if notebooks is None else Path(notebooks)
        target.mkdir(parents=True, exist_ok=True)
        self.generate()
        written = []
        for chapter in self.chapters:
            destination = target / f"{chapter}.ipynb"
            shutil.copyfile(self.path("release", chapter), destination)
            written.append(destination)
        zip_notebooks(written, self.project / "dist" / ARCHIVE_NAME if archive is None else archive)
        return written

    def collect(self, submissions: str | Path) -> tuple[list[tuple[Path, Grade]], Grading]:
        """Check ``SUBMISSIONS/STUDENT/CHAPTER.ipynb`` and copy them into nbgrader's ``submitted/``.

        Returns
        -------
        accepted : list of (Path, Grade)
            The notebooks copied, to grade, by submitted file (their score is
            0 until graded; ``problem`` says what was repaired).
        rejected : Grading
            A score of 0 for each notebook that cannot be graded, and the
            problems: every file not graded, every notebook rejected or repaired.

        Raises
        ------
        CourseError
            If ``submissions`` is not a folder or holds no file at all.
        """
        folder = Path(submissions)
        if not folder.is_dir():
            raise CourseError(f"no submissions folder {str(folder)!r}")
        files = sorted(path for path in folder.rglob("*") if path.is_file())
        if not files:
            raise CourseError(
                f"no notebooks in {str(folder)!r}: expected {folder}/STUDENT/CHAPTER.ipynb"
            )
        released = {chapter: _read(self.path("release", chapter)) for chapter in self.chapters}
        accepted, rejected, problems = [], [], []
        for path in files:
            misplaced = _misplaced(path.relative_to(folder), self.chapters)
            if misplaced:
                problems.append(Problem(path, f"not graded: {misplaced}"))
                continue
            student, chapter = path.parent.name, path.stem
            notebook, notes = check_submission(path, chapter, released)
            problems += [Problem(path, note) for note in notes]
            grade = Grade(student, chapter, 0, _points(released[chapter]), "; ".join(notes))
            if notebook is None:
                rejected.append(grade)
            else:
                nbformat.write(notebook, _fresh_folder(self.path("submitted", chapter, student)))
                accepted.append((path, grade))
        return accepted, Grading(rejected, problems)

    def autograde(self, submissions: str | Path) -> Grading:
        """Collect ``submissions`` and autograde each against the generated chapters.

        Call :meth:`generate` (or :meth:`release`) first, so the gradebook
        holds the chapters' test cells and their checksums. One notebook that
        cannot be read or run scores 0 and is listed in the problems; the
        others are graded all the same.

        Returns
        -------
        Grading
            One grade per (student, chapter) submitted, sorted, and the problems.

        Raises
        ------
        CourseError
            If the submissions folder is missing or empty, or the sandbox cannot
            run here and the course is not ``unsafe``.
        """
        accepted, rejected = self.collect(submissions)
        try:
            sandbox.configure(self.config, project=self.project, course_root=self.root,
                              unsafe=self.unsafe)
        except sandbox.SandboxUnavailable as error:
            raise CourseError(str(error)) from None
        grades, problems = list(rejected.grades), list(rejected.problems)
        for path, grade in accepted:
            failure = self._autograde_one(grade.chapter, grade.student)
            if failure:
                problems.append(Problem(path, failure))
                grades.append(Grade(grade.student, grade.chapter, 0, grade.max_score,
                                    "; ".join(filter(None, [grade.problem, failure]))))
                continue
            submission = self._api.get_submission(grade.chapter, grade.student)
            grades.append(Grade(grade.student, grade.chapter, submission["score"],
                                submission["max_score"], grade.problem))
        return Grading(sorted(grades, key=lambda g: (g.student, g.chapter)),
                       sorted(problems, key=lambda problem: str(problem.path)))

    def _autograde_one(self, chapter: str, student: str) -> str:
        """Autograde one notebook; return why it failed, or ``""``."""
        try:
            result = self._api.autograde(chapter, student, force=True)
        except Exception as error:  # one notebook must not stop the class
            return f"not graded, scored 0: nbgrader raised {error!r}"
        if result["success"]:
            return ""
        log = (result.get("log") or "") + (result.get("error") or "")
        reasons = [line.strip() for line in log.splitlines()
                   if "Error" in line or "died" in line or "Timeout" in line]
        reason = reasons[-1] if reasons else "see nbgrader's log"
        return f"its run failed, scored 0 (kernel died, or a cell ignored its timeout): {reason}"

    def feedback(self) -> list[Path]:
        """Write HTML feedback for every autograded submission.

        Returns
        -------
        list of Path
            The feedback files, ``course/feedback/STUDENT/CHAPTER/CHAPTER.html``.
        """
        written = []
        for autograded in sorted((self.root / "autograded").glob("*/*/*.ipynb")):
            chapter, student = autograded.parent.name, autograded.parent.parent.name
            self._succeed(self._api.generate_feedback(chapter, student, force=True),
                          f"generate_feedback {chapter} of {student}")
            written.append(self.path("feedback", chapter, student, suffix=".html"))
        return written

    @staticmethod
    def _succeed(result: dict, step: str) -> None:
        if not result["success"]:
            raise CourseError(f"nbgrader {step} failed:\n{result.get('log') or result['error']}")


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
        notebook = _parse_notebook(path.read_bytes())
    except ValueError as error:
        return None, [f"not graded, scored 0: {error}"]
    return _match_graded_cells(notebook, chapter, released)


def _parse_notebook(raw: bytes) -> NotebookNode:
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
    expected = {cell.get("id"): cell for cell in released[chapter].cells if _grading(cell)}
    grade_ids = {_grading(cell)["grade_id"]: cell_id for cell_id, cell in expected.items()}
    holders: dict[str, list[NotebookNode]] = {cell_id: [] for cell_id in expected}
    submitted = {_grading(cell).get("grade_id") for cell in notebook.cells} - {None}
    notes, restored = [], []
    for cell in notebook.cells:
        cell_id = cell.get("id") if cell.get("id") in expected else grade_ids.get(
            _grading(cell).get("grade_id"))
        if cell_id is not None:
            holders[cell_id].append(cell)
        elif _grading(cell):
            notes.append(f"cell {cell.get('id')!r} has nbgrader metadata for "
                         f"{_grading(cell).get('grade_id')!r}, not a cell of {chapter}: "
                         "graded as ordinary code")
            del cell.metadata["nbgrader"]
    missing = [cell_id for cell_id, cells in holders.items() if not cells]
    if missing:
        others = [name for name, other in released.items() if name != chapter
                  and submitted & {_grading(cell).get("grade_id") for cell in other.cells}]
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
        if [_grading(keeper).get(key) for key in GRADING_KEYS] != [
                wanted.get(key) for key in GRADING_KEYS]:
            restored.append(cell_id)
            keeper.metadata["nbgrader"] = dict(wanted)
    if restored:
        notes.append(f"nbgrader metadata changed or stripped in cells {restored}: "
                     "graded with the released metadata")
    return notebook, notes


def _grading(cell: NotebookNode) -> dict:
    """The nbgrader metadata of ``cell`` (empty if none)."""
    return cell.get("metadata", {}).get("nbgrader") or {}


def _points(notebook: NotebookNode) -> float:
    """The points of the graded cells of ``notebook``."""
    return float(sum(_grading(cell).get("points", 0) for cell in notebook.cells
                     if _grading(cell).get("grade")))


def _read(path: Path) -> NotebookNode:
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)


def _misplaced(relative: Path, chapters: Sequence[str]) -> str:
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


def zip_notebooks(notebooks: Sequence[Path], archive: str | Path) -> Path:
    """Write ``notebooks`` into the zip ``archive``, in a folder named after it.

    Parameters
    ----------
    notebooks : sequence of Path
        The student notebooks.
    archive : path-like
        The zip to write (its folder is created).

    Returns
    -------
    Path
        The zip written.
    """
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    folder = archive.name.removesuffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for notebook in notebooks:
            bundle.write(notebook, f"{folder}/{notebook.name}")
    return archive


def _fresh_folder(destination: Path) -> Path:
    """Empty (or create) the folder ``destination`` goes in; return ``destination``."""
    shutil.rmtree(destination.parent, ignore_errors=True)
    destination.parent.mkdir(parents=True)
    return destination


def _put_scripts_on_path() -> None:
    """Let nbgrader find ``alembic``, which its gradebook runs as a command.

    Without this, calling nbgrader from an environment that is not activated
    (``.venv/bin/python -m ...``, a notebook kernel) fails on the gradebook.
    """
    if shutil.which("alembic") is None:
        scripts = sysconfig.get_path("scripts")
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])


def _format_grading(grading: Grading) -> str:
    """The score table, one row per notebook, then the problems, one per line."""
    lines = [f"{'student':<16} {'chapter':<24} {'score':<12} problem"]
    lines += [f"{g.student:<16} {g.chapter:<24} {f'{g.score:g} / {g.max_score:g}':<12} "
              f"{textwrap.shorten(g.problem, 72, placeholder=' [...]')}".rstrip()
              for g in grading.grades]
    if grading.problems:
        lines += ["", f"{len(grading.problems)} problem(s):"]
        lines += [f"- {problem}" for problem in grading.problems]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``release``, ``autograde SUBMISSIONS`` or ``feedback``.

    Returns
    -------
    int
        :data:`EXIT_CLEAN`; :data:`EXIT_PROBLEMS` if ``autograde`` listed
        problems (the table is still complete); :data:`EXIT_FAILED` if a step
        could not run.
    """
    parser = argparse.ArgumentParser(prog="python -m recsys_workshop.course",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--project", default=".", help="the project folder (default: .)")
    parser.add_argument("--course", help="the course folder (default: from nbgrader_config.py)")
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("release", help="regenerate notebooks/ (and their zip) from solutions/")
    grading = steps.add_parser("autograde", help="autograde SUBMISSIONS/STUDENT/CHAPTER.ipynb")
    grading.add_argument("submissions", help="folder of submissions, one sub-folder per student")
    grading.add_argument("--timeout", type=int,
                         help="seconds a cell may run (default: Execute.timeout of the config)")
    grading.add_argument(sandbox.UNSAFE_FLAG, action="store_true",
                         help="grade without the sandbox: student code runs with your permissions")
    steps.add_parser("feedback", help="HTML feedback for every autograded submission")
    arguments = parser.parse_args(argv)
    # nbgrader 0.9's gradebook warns about its own session handling on every
    # autograde; it is not the instructor's concern.
    warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w+> not in session")

    course = Course(arguments.project, arguments.course,
                    timeout=getattr(arguments, "timeout", None),
                    unsafe=getattr(arguments, "unsafe", False))
    try:
        if arguments.step == "release":
            written = course.release()
            print(f"Released {len(written)} notebooks into {written[0].parent}"
                  f" and {course.project / 'dist' / ARCHIVE_NAME}")
        elif arguments.step == "autograde":
            course.generate()
            result = course.autograde(arguments.submissions)
            print(_format_grading(result))
            return EXIT_PROBLEMS if result.problems else EXIT_CLEAN
        else:
            written = course.feedback()
            print(f"Wrote {len(written)} feedback files under {course.root / 'feedback'}")
    except CourseError as error:
        print(error)
        return EXIT_FAILED
    return EXIT_CLEAN


if __name__ == "__main__":
    raise SystemExit(main())
