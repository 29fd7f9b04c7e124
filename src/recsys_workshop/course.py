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

Run it as ``python -m recsys_workshop.course release|autograde|feedback`` from
the project folder (the Makefile does).
"""

import argparse
import os
import shutil
import sysconfig
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config, PyFileConfigLoader

from .chapters import CHAPTERS

__all__ = [
    "CONFIG_NAME",
    "Course",
    "CourseError",
    "Grade",
    "main",
]

#: The nbgrader configuration file, at the top of the project.
CONFIG_NAME = "nbgrader_config.py"


class CourseError(RuntimeError):
    """A step of the nbgrader flow failed; the message says which and why."""


@dataclass(frozen=True)
class Grade:
    """The autograded score of one student on one chapter."""

    student: str
    chapter: str
    score: float
    max_score: float


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
    ) -> None:
        self.project = Path(project).resolve()
        config_file = self.project / CONFIG_NAME
        if not config_file.is_file():
            raise CourseError(f"no {CONFIG_NAME} in {self.project}: is it the project folder?")
        self.solutions = self.project / "solutions"
        self.config: Config = PyFileConfigLoader(CONFIG_NAME, path=str(self.project)).load_config()
        if root is not None:
            self.config.CourseDirectory.root = str(Path(root).resolve())
        if timeout is not None:
            self.config.Execute.timeout = timeout
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
            _copy_into_fresh_folder(source, self.path("source", chapter))
            self._succeed(self._api.generate_assignment(chapter, force=True),
                          f"generate_assignment {chapter}")

    def release(self, notebooks: str | Path | None = None) -> list[Path]:
        """Generate the student versions and copy them into ``notebooks``.

        Parameters
        ----------
        notebooks : path-like, optional
            Where attendees find the notebooks. Default: ``notebooks/`` of the
            project.

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
        return written

    def collect(self, submissions: str | Path) -> list[tuple[str, str]]:
        """Copy ``SUBMISSIONS/STUDENT/CHAPTER.ipynb`` into nbgrader's ``submitted/``.

        Returns
        -------
        list of (str, str)
            The ``(student, chapter)`` pairs found, sorted.

        Raises
        ------
        CourseError
            If ``submissions`` is not a folder, holds no notebook, or holds a
            notebook that is not a chapter.
        """
        folder = Path(submissions)
        if not folder.is_dir():
            raise CourseError(f"no submissions folder {str(folder)!r}")
        chapters = self.chapters
        found = []
        for notebook in sorted(folder.glob("*/*.ipynb")):
            student, chapter = notebook.parent.name, notebook.stem
            if chapter not in chapters:
                raise CourseError(
                    f"{notebook} is not a chapter notebook; expected one of "
                    f"{[f'{name}.ipynb' for name in chapters]}"
                )
            _copy_into_fresh_folder(notebook, self.path("submitted", chapter, student))
            found.append((student, chapter))
        if not found:
            raise CourseError(
                f"no notebooks in {str(folder)!r}: expected {folder}/STUDENT/CHAPTER.ipynb"
            )
        return found

    def autograde(self, submissions: str | Path) -> list[Grade]:
        """Collect ``submissions`` and autograde each against the generated chapters.

        Call :meth:`generate` (or :meth:`release`) first, so the gradebook
        holds the chapters' test cells and their checksums.

        Returns
        -------
        list of Grade
            One per (student, chapter) submitted.
        """
        grades = []
        for student, chapter in self.collect(submissions):
            self._succeed(self._api.autograde(chapter, student, force=True),
                          f"autograde {chapter} of {student}")
            submission = self._api.get_submission(chapter, student)
            grades.append(Grade(student, chapter, submission["score"], submission["max_score"]))
        return grades

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


def _copy_into_fresh_folder(source: Path, destination: Path) -> None:
    """Copy ``source`` to ``destination``, after emptying the folder it goes in."""
    shutil.rmtree(destination.parent, ignore_errors=True)
    destination.parent.mkdir(parents=True)
    shutil.copyfile(source, destination)


def _put_scripts_on_path() -> None:
    """Let nbgrader find ``alembic``, which its gradebook runs as a command.

    Without this, calling nbgrader from an environment that is not activated
    (``.venv/bin/python -m ...``, a notebook kernel) fails on the gradebook.
    """
    if shutil.which("alembic") is None:
        scripts = sysconfig.get_path("scripts")
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])


def _format_grades(grades: Sequence[Grade]) -> str:
    lines = [f"{'student':<16} {'chapter':<24} score"]
    lines += [f"{g.student:<16} {g.chapter:<24} {g.score:g} / {g.max_score:g}" for g in grades]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``release``, ``autograde SUBMISSIONS`` or ``feedback``."""
    parser = argparse.ArgumentParser(prog="python -m recsys_workshop.course",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--project", default=".", help="the project folder (default: .)")
    parser.add_argument("--course", help="the course folder (default: from nbgrader_config.py)")
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("release", help="regenerate notebooks/ from solutions/")
    grading = steps.add_parser("autograde", help="autograde SUBMISSIONS/STUDENT/CHAPTER.ipynb")
    grading.add_argument("submissions", help="folder of submissions, one sub-folder per student")
    steps.add_parser("feedback", help="HTML feedback for every autograded submission")
    arguments = parser.parse_args(argv)
    # nbgrader 0.9's gradebook warns about its own session handling on every
    # autograde; it is not the instructor's concern.
    warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w+> not in session")

    course = Course(arguments.project, arguments.course)
    try:
        if arguments.step == "release":
            written = course.release()
            print(f"Released {len(written)} notebooks into {written[0].parent}")
        elif arguments.step == "autograde":
            course.generate()
            print(_format_grades(course.autograde(arguments.submissions)))
        else:
            written = course.feedback()
            print(f"Wrote {len(written)} feedback files under {course.root / 'feedback'}")
    except CourseError as error:
        print(error)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
