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
(:mod:`recsys_workshop.submissions`): an unreadable notebook, or one missing a
graded cell, is not graded and scores 0; altered nbgrader metadata is repaired
from the release; a notebook whose answer cells are mostly the instructor's
solutions is graded as usual and flagged. Every kernel loads
:mod:`recsys_workshop.kernel_guard`, so that an answer cell cannot change what
the graded cells after it run or report. A notebook whose run fails (its
kernel died or was killed, a cell ignored the interrupt after its timeout)
scores 0. Each of these is a :class:`Problem`, printed below the score table;
the command's exit status is :data:`EXIT_CLEAN`, :data:`EXIT_PROBLEMS` or
:data:`EXIT_FAILED`.

Run it as ``python -m recsys_workshop.course release|autograde|feedback`` from
the project folder (the Makefile does).
"""

import argparse
import contextlib
import multiprocessing
import os
import shutil
import sqlite3
import sysconfig
import textwrap
import warnings
import zipfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config, PyFileConfigLoader

from . import kernel_guard, sandbox
from .autograde_steps import autograde_pipeline
from .chapters import CHAPTERS
from .submissions import check_submission, copy_notes, misplaced, points, read

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
    "main",
    "zip_notebooks",
]

#: The nbgrader configuration file, at the top of the project.
CONFIG_NAME = "nbgrader_config.py"
#: nbgrader's database of the course, in the course folder.
GRADEBOOK_NAME = "gradebook.db"
#: The zip of the student notebooks that ``release`` writes into ``dist/``.
ARCHIVE_NAME = "recsys-workshop-notebooks.zip"
#: Exit status of ``autograde``: every file graded, no problem.
EXIT_CLEAN = 0
#: Exit status of ``autograde``: the table is complete but lists problems.
EXIT_PROBLEMS = 1
#: Exit status when a step could not run at all (no submissions folder...).
EXIT_FAILED = 2


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
    workers : int, optional
        How many notebooks to autograde (and write feedback for) at once, each
        in its own process. Default: one per CPU this process may use. The
        processes are spawned: a script that grades with more than one must
        do so under ``if __name__ == "__main__":``.
    demos : bool, default False
        Run the demonstration cells (tagged ``demo``) while autograding too.
        By default they are set aside, since no graded cell needs them
        (:mod:`recsys_workshop.autograde_steps`).
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
        workers: int | None = None,
        demos: bool = False,
    ) -> None:
        self.project = Path(project).resolve()
        self.unsafe = unsafe
        self.workers = _usable_cpus() if workers is None else workers
        if not isinstance(self.workers, int) or isinstance(self.workers, bool) \
                or self.workers < 1:
            raise ValueError(f"workers must be a whole number of at least 1, got {workers!r}")
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
        self.demos = demos
        self.config.SetDemosAside.enabled = not demos
        # Answer cells cannot change what the graded cells after them run or report.
        self.config.Execute.extra_arguments = [f"--ext={kernel_guard.__name__}"]
        self.root = Path(self.config.CourseDirectory.root)
        # nbgrader's API looks at the exchange when it starts and logs a critical error
        # when the folder is missing. The course hands notebooks out and collects them as
        # files, so its exchange is an empty folder inside the course folder.
        self.config.Exchange.root = str(self.root / "exchange")
        (self.root / "exchange").mkdir(parents=True, exist_ok=True)
        _put_scripts_on_path()
        self._api = NbGraderAPI(coursedir=CourseDirectory(config=self.config), config=self.config)

    @property
    def chapters(self) -> list[str]:
        """The assignment names: the chapters of :data:`recsys_workshop.chapters.CHAPTERS`."""
        return [chapter.name for chapter in CHAPTERS]

    def gradebook(self) -> Gradebook:
        """The course's nbgrader gradebook; use it in a ``with`` block, which closes it."""
        return self._api.gradebook

    def report(self) -> list[Path]:
        """Write the class report into ``course/report/`` (:mod:`recsys_workshop.class_report`).

        Returns
        -------
        list of Path
            The files written.
        """
        from .class_report import write_report  # it imports this module

        return write_report(self)

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
            failure = _failure(self._api.generate_assignment(chapter, force=True),
                               f"generate_assignment {chapter}")
            if failure:
                raise CourseError(failure)

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
        released = {chapter: read(self.path("release", chapter)) for chapter in self.chapters}
        sources = {chapter: read(self.path("source", chapter)) for chapter in self.chapters}
        accepted, rejected, problems = [], [], []
        for path in files:
            why_not = misplaced(path.relative_to(folder), self.chapters)
            if why_not:
                problems.append(Problem(path, f"not graded: {why_not}"))
                continue
            student, chapter = path.parent.name, path.stem
            notebook, notes = check_submission(path, chapter, released)
            if notebook is not None:
                notes += copy_notes(notebook, sources[chapter])
            problems += [Problem(path, note) for note in notes]
            grade = Grade(student, chapter, 0, points(released[chapter]), "; ".join(notes))
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
        self._share_gradebook({grade.student for _, grade in accepted})
        grades, problems = list(rejected.grades), list(rejected.problems)
        failures = self._each("_autograde_one",
                              [(grade.chapter, grade.student) for _, grade in accepted])
        for (path, grade), failure in zip(accepted, failures, strict=True):
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

    def _share_gradebook(self, students: set[str]) -> None:
        """Let the workers write the gradebook side by side.

        SQLite's write-ahead log: readers never block the one writer, and
        writers queue behind a lock (nbgrader's transactions are short) instead
        of failing. Every student is created here first: nbgrader's autograde
        creates a missing student, and two workers grading two chapters of one
        new student would both insert them, and one would fail.
        """
        with contextlib.closing(sqlite3.connect(self.root / GRADEBOOK_NAME)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
        with self.gradebook() as gradebook:
            for student in sorted(students):
                gradebook.update_or_create_student(student)

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

        Raises
        ------
        CourseError
            If nbgrader could not write one of them (the others are written).
        """
        jobs = [(autograded.parent.name, autograded.parent.parent.name)
                for autograded in sorted((self.root / "autograded").glob("*/*/*.ipynb"))]
        failures = [failure for failure in self._each("_feedback_one", jobs) if failure]
        if failures:
            raise CourseError("\n".join(failures))
        return [self.path("feedback", chapter, student, suffix=".html")
                for chapter, student in jobs]

    def _feedback_one(self, chapter: str, student: str) -> str:
        """Write one notebook's feedback; return why it failed, or ``""``."""
        return _failure(self._api.generate_feedback(chapter, student, force=True),
                        f"generate_feedback {chapter} of {student}")

    def _each(self, method: str, jobs: list[tuple[str, str]]) -> list[str]:
        """``method(chapter, student)`` for every job, on :attr:`workers` processes, in order."""
        if self.workers == 1 or len(jobs) < 2:
            return [getattr(self, method)(*job) for job in jobs]
        settings = (self.project, self.root, self.config.Execute.timeout, self.unsafe,
                    self.demos)
        with ProcessPoolExecutor(min(self.workers, len(jobs)),
                                 mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_start_worker, initargs=settings) as pool:
            return list(pool.map(_run_in_worker, [method] * len(jobs), jobs))


def _failure(result: dict, step: str) -> str:
    """Why nbgrader's ``step`` failed, with its log, from its API's ``result``; ``""`` if not."""
    if result["success"]:
        return ""
    return f"nbgrader {step} failed:\n{result.get('log') or result['error']}"


#: A worker process's course (see :meth:`Course._each`).
_worker_course: Course | None = None


def _start_worker(project: Path, root: Path, timeout: int, unsafe: bool, demos: bool) -> None:
    """Build the worker's course, its grading kernels sandboxed like the parent's."""
    global _worker_course
    warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w+> not in session")
    _worker_course = Course(project, root, timeout=timeout, unsafe=unsafe, workers=1,
                            demos=demos)
    sandbox.configure(_worker_course.config, project=_worker_course.project,
                      course_root=root, unsafe=unsafe)


def _usable_cpus() -> int:
    """The CPUs this process may run on (all of the machine's where that is unknown)."""
    if hasattr(os, "sched_getaffinity"):  # Linux
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _run_in_worker(method: str, job: tuple[str, str]) -> str:
    return getattr(_worker_course, method)(*job)


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
    parser.add_argument("--workers", type=int,
                        help="notebooks graded at once (default: one per CPU)")
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("release", help="regenerate notebooks/ (and their zip) from solutions/")
    grading = steps.add_parser("autograde", help="autograde SUBMISSIONS/STUDENT/CHAPTER.ipynb")
    grading.add_argument("submissions", help="folder of submissions, one sub-folder per student")
    grading.add_argument("--timeout", type=int,
                         help="seconds a cell may run (default: Execute.timeout of the config)")
    grading.add_argument("--demos", action="store_true",
                         help="run the demonstration cells (tagged demo) too")
    grading.add_argument(sandbox.UNSAFE_FLAG, action="store_true",
                         help="grade without the sandbox: student code runs with your permissions")
    steps.add_parser("feedback", help="HTML feedback for every autograded submission")
    steps.add_parser("report", help="the class report: grades.csv, exercises.csv, success.png")
    arguments = parser.parse_args(argv)
    # nbgrader 0.9's gradebook warns about its own session handling on every
    # autograde; it is not the instructor's concern.
    warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w+> not in session")

    course = Course(arguments.project, arguments.course,
                    timeout=getattr(arguments, "timeout", None),
                    unsafe=getattr(arguments, "unsafe", False), workers=arguments.workers,
                    demos=getattr(arguments, "demos", False))
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
        elif arguments.step == "feedback":
            written = course.feedback()
            print(f"Wrote {len(written)} feedback files under {course.root / 'feedback'}")
        else:
            try:
                written = course.report()
            except ValueError as error:
                raise CourseError(str(error)) from None
            print(f"Wrote the class report: {', '.join(str(path) for path in written)}")
    except CourseError as error:
        print(error)
        return EXIT_FAILED
    return EXIT_CLEAN


if __name__ == "__main__":
    raise SystemExit(main())
