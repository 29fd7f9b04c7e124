"""The grading sandbox: student code cannot write, connect, linger or hog memory.

The end-to-end tests run notebooks through nbclient and nbgrader with the
configuration of :func:`recsys_workshop.sandbox.configure`; they need
bubblewrap (``apt-get install bubblewrap``) and skip without it.
"""

from __future__ import annotations

import os
import shutil
import socket
import sysconfig
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config, PyFileConfigLoader
from workbook import ROOT, SOLUTIONS

from recsys_workshop import sandbox

UNAVAILABLE = sandbox.available()
needs_bwrap = pytest.mark.skipif(
    UNAVAILABLE is not None, reason=f"the grading sandbox cannot run here: {UNAVAILABLE}"
)

#: An argument no other process on the machine uses, to find the detached sleeper.
SLEEPER = ["sleep", "3141.5926"]


def test_command_shows_again_what_hidden_folders_cover_and_bounds_resources():
    command = sandbox.sandbox_command(
        ["python", "-V"], cwd="/c/autograded/s/ch", writable="/tmp/k",
        hidden=["/c", "/home/me"], readable=["/home/me/venv"], memory=1000, cpu_seconds=7,
        environment={"PATH": "/bin", "AWS_SECRET_ACCESS_KEY": "secret"},
    )
    assert command[:4] == ["prlimit", "--as=1000", "--cpu=7", "--"]
    assert command[-2:] == ["python", "-V"]
    joined = " ".join(command)
    # Each hidden folder is emptied before what it holds is shown again, then made read-only.
    assert joined.index("--tmpfs /home/me") < joined.index("--ro-bind /home/me/venv")
    assert joined.index("--tmpfs /c") < joined.index("--ro-bind /c/autograded/s/ch")
    assert joined.index("--ro-bind /home/me/venv") < joined.index("--remount-ro /home/me")
    assert "--bind /tmp/k /tmp/k" in joined
    assert "--clearenv --setenv PATH /bin" in joined
    assert "secret" not in joined
    assert {"--unshare-net", "--unshare-pid", "--die-with-parent"} <= set(command)


@pytest.mark.parametrize(("options", "message"), [
    ({"memory": 0}, "memory must be positive, got 0"),
    ({"cpu_seconds": -1}, "cpu_seconds must be positive, got -1"),
    ({"cwd": "relative"}, "must be absolute paths, got ['relative']"),
])
def test_command_rejects_bad_limits_and_relative_folders(options, message):
    arguments = {"cwd": "/c", "writable": "/w", "hidden": [], "readable": []} | options
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        sandbox.sandbox_command(["true"], **arguments)


def test_configure_refuses_without_the_sandbox_unless_unsafe(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox.shutil, "which", lambda tool: None)
    assert "bwrap (Debian package bubblewrap)" in sandbox.available()
    config = Config()
    with pytest.raises(sandbox.SandboxUnavailable, match=r"bwrap.*--unsafe"):
        sandbox.configure(config, project=tmp_path, course_root=tmp_path / "course")
    assert not sandbox.configure(config, project=tmp_path, course_root=tmp_path / "course",
                                 unsafe=True)
    assert config == Config()


def _sandbox_config(course_root: Path, **limits: int) -> Config:
    config = Config()
    assert sandbox.configure(config, project=ROOT, course_root=course_root)
    for name, value in limits.items():
        setattr(config.SandboxKernelManager, name, value)
    return config


def _run(cells: list[str], cwd: Path, config: Config, timeout: int = 60) -> NotebookNode:
    """Execute ``cells`` in a sandboxed kernel, as nbgrader's Execute would."""
    notebook = new_notebook(cells=[new_code_cell(source) for source in cells])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    client = NotebookClient(notebook, timeout=timeout, allow_errors=True, config=config,
                            interrupt_on_timeout=True,
                            kernel_manager_class=sandbox.SandboxKernelManager,
                            resources={"metadata": {"path": str(cwd)}})
    return client.execute()


def _text(cell: NotebookNode) -> str:
    return "".join(output.get("text", "") + output.get("evalue", "") for output in cell.outputs)


def _sleepers() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")[:-1]
        except OSError:
            continue
        if [argument.decode() for argument in arguments] == SLEEPER:
            found.append(int(entry.name))
    return found


@needs_bwrap
def test_student_code_cannot_write_read_hidden_tests_connect_or_linger(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_SECRET", "token")
    course = tmp_path / "course"
    cwd = course / "autograded" / "student" / "chapter"
    cwd.mkdir(parents=True)
    gradebook = course / "gradebook.db"
    gradebook.write_text("grades")
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    assert not _sleepers(), "a sleeper from an earlier run is still there"
    attempts = {
        "gradebook": f"open({str(gradebook)!r}, 'a').write('0')",
        "project": f"open({str(ROOT / 'pwned')!r}, 'w')",
        "home": "import pathlib; open(pathlib.Path.home() / 'pwned', 'w')",
        "notebook folder": "open('pwned', 'w')",
        "source": f"import os; print(os.listdir({str(SOLUTIONS)!r}))",
        "network": f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5)",
        "memory": f"bytearray({sandbox.MEMORY_LIMIT})",
        "scratch": "open('/tmp/scratch', 'w').write('ok'); print(open('/tmp/scratch').read())",
        "numpy": "import numpy, recsys_workshop; print(numpy.ones(3).sum())",
        "environment": "import os; print(os.environ.get('GRADER_SECRET'), os.environ['PATH'])",
        "sleeper": (f"import subprocess; p = subprocess.Popen({SLEEPER!r}, "
                    "start_new_session=True); print('alive' if p.poll() is None else 'dead')"),
    }
    try:
        executed = _run(list(attempts.values()), cwd, _sandbox_config(course))
    finally:
        listener.close()
    cells = dict(zip(attempts, executed.cells, strict=True))
    seen = {what: _text(cell) for what, cell in cells.items()}
    for what in ("gradebook", "project", "home", "notebook folder"):
        assert "Read-only file system" in seen[what], (what, seen[what])
    assert gradebook.read_text() == "grades"
    assert not (ROOT / "pwned").exists()
    assert not (cwd / "pwned").exists()
    assert "No such file or directory" in seen["source"]
    assert "Network is unreachable" in seen["network"] or "refused" in seen["network"]
    assert cells["memory"].outputs[0].ename == "MemoryError"
    assert seen["scratch"] == "ok\n"
    assert seen["numpy"] == "3.0\n"
    assert seen["environment"] == f"None {os.environ['PATH']}\n"
    assert seen["sleeper"] == "alive\n"
    deadline = time.monotonic() + 10
    while _sleepers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _sleepers(), "a detached process outlived its kernel"


@needs_bwrap
def test_a_slow_cell_is_interrupted_and_a_cpu_hog_killed_without_hurting_the_grader(
        tmp_path, monkeypatch):
    # The kernels' socket folders go into a folder of this test's own (short, since
    # socket paths are limited), not the shared /tmp where parallel grading makes others.
    own = Path(tempfile.mkdtemp(prefix="sbx-"))
    monkeypatch.setattr(tempfile, "tempdir", str(own))
    config = _sandbox_config(tmp_path / "course", cpu_seconds=2)
    slow = _run(["import time; time.sleep(60)", "print('next')"], tmp_path, config, timeout=3)
    # Interrupted, not killed: the kernel raises KeyboardInterrupt and runs the next cell.
    assert slow.cells[0].outputs[-1].ename == "KeyboardInterrupt"
    assert _text(slow.cells[1]) == "next\n"
    sockets = set(own.glob("recsys-kernel-*"))
    with pytest.raises(DeadKernelError):
        _run(["while True:\n    pass"], tmp_path, config)
    # Its socket folder went with it.
    assert set(own.glob("recsys-kernel-*")) <= sockets
    # The next kernel starts as usual.
    assert _text(_run(["print(1 + 1)"], tmp_path, config).cells[0]) == "2\n"
    shutil.rmtree(own)


@needs_bwrap
def test_chapter_one_solution_scores_full_marks_in_the_sandbox(tmp_path, monkeypatch):
    chapter = "01_implicit_feedback"
    course = tmp_path / "course"
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.CourseDirectory.root = str(course)
    assert sandbox.configure(config, project=ROOT, course_root=course)
    # nbgrader's gradebook runs alembic, which lives beside this Python.
    monkeypatch.setenv("PATH", os.pathsep.join([sysconfig.get_path("scripts"),
                                                os.environ["PATH"]]))
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for step, student in (("source", "."), ("submitted", "solver")):
        (course / step / student / chapter).mkdir(parents=True)
        shutil.copyfile(SOLUTIONS / f"{chapter}.ipynb",
                        course / step / student / chapter / f"{chapter}.ipynb")
        if step == "source":
            assert api.generate_assignment(chapter, force=True)["success"]
    result = api.autograde(chapter, "solver", force=True)
    assert result["success"], result["log"]
    submission = api.get_submission(chapter, "solver")
    assert submission["max_score"] > 0
    assert submission["score"] == submission["max_score"]
    graded = nbformat.read(course / "autograded" / "solver" / chapter / f"{chapter}.ipynb", 4)
    assert not [output for cell in graded.cells for output in cell.get("outputs", [])
                if output.output_type == "error"]
