"""A sandbox for the kernels that run student code while autograding.

Autograding executes whatever a student handed in, with the instructor's
permissions. :func:`configure` makes nbgrader start each notebook's kernel
inside Debian's `bubblewrap <https://github.com/containers/bubblewrap>`_
(``bwrap``), with ``prlimit`` (util-linux) bounding its resources:

* the whole file system is read-only; the only writable folders are a private,
  empty ``/tmp`` and the folder of the kernel's connection file and sockets;
* the home folder, the course folder (gradebook, source notebooks with their
  hidden tests, other submissions) and the project (``solutions/``) are hidden
  behind empty read-only folders; only the Python environment, the installed
  ``recsys_workshop`` package, the data folder and the notebook's own folder
  are shown again, read-only;
* there is no network: the kernel talks to nbgrader over Unix sockets
  (jupyter_client's ``ipc`` transport);
* the kernel runs in its own PID namespace, so every process it starts, even
  in a new session, dies with it;
* it inherits only the environment variables of :data:`KEPT_ENVIRONMENT`;
* its address space is bounded by :data:`MEMORY_LIMIT` bytes and its CPU time
  by :data:`CPU_SECONDS` seconds.

``generate_feedback`` executes nothing, so only autograding needs it.

Examples
--------
>>> from traitlets.config import Config
>>> config = Config()
>>> configure(config, project=".", course_root="course")  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute
from traitlets import Integer, List, Unicode, default
from traitlets.config import Config

from . import data
from .autograde_steps import autograde_pipeline

__all__ = [
    "CPU_SECONDS",
    "KEPT_ENVIRONMENT",
    "MEMORY_LIMIT",
    "UNSAFE_FLAG",
    "SandboxKernelManager",
    "SandboxUnavailable",
    "SandboxedExecute",
    "available",
    "configure",
    "sandbox_command",
]

#: Bytes of address space (``RLIMIT_AS``) a grading kernel may map. Measured
#: in this sandbox on a 2-core machine, the solution notebooks map at most
#: about 2.6 GB (chapter 6, of which 1.1 GB resident; chapter 5's ALS on the
#: full Online Retail table 2.0 GB, 0.5 GB resident): the limit leaves room for the
#: per-thread buffers of BLAS on machines with more cores, and stops a runaway
#: allocation before it takes the machine down.
MEMORY_LIMIT = 8 * 1024**3

#: CPU seconds (``RLIMIT_CPU``, all threads together) a grading kernel may use
#: for a whole notebook; past it, the kernel is killed and the rest of the
#: notebook scores 0. The solutions need at most about 30 (chapter 6, measured
#: as above); the per-cell wall-clock timeout (``Execute.timeout``) still applies.
CPU_SECONDS = 900

#: The command-line flag that lets an instructor grade without the sandbox.
UNSAFE_FLAG = "--unsafe"

#: The tools the sandbox runs, and the Debian packages providing them.
_TOOLS = {"bwrap": "bubblewrap", "prlimit": "util-linux"}

#: The sandbox's own writable folder: an empty tmpfs, gone with the kernel.
_SCRATCH = "/tmp"

#: The environment variables a grading kernel inherits, when set: no others
#: (tokens, credentials) reach student code.
KEPT_ENVIRONMENT = (
    "PATH", "PYTHONPATH", "VIRTUAL_ENV", "HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
    "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
    "NBGRADER_EXECUTION", data.DATA_ENV_VAR,
)


class SandboxUnavailable(RuntimeError):
    """The grading sandbox cannot run here; the message says why and what to do."""


def available() -> str | None:
    """Say whether the sandbox can run on this machine.

    Returns
    -------
    str or None
        None when it can, otherwise why not: a missing tool (with the Debian
        package to install) or bubblewrap's own error (for example when user
        namespaces are disabled).
    """
    missing = [f"{tool} (Debian package {package})" for tool, package in _TOOLS.items()
               if shutil.which(tool) is None]
    if missing:
        return f"not found on PATH: {', '.join(missing)}"
    trial = subprocess.run(
        ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
         "--unshare-net", "--unshare-pid", "--die-with-parent", "true"],
        capture_output=True, text=True, check=False,
    )
    if trial.returncode != 0:
        return f"bwrap cannot create a sandbox: {trial.stderr.strip() or trial.returncode}"
    return None


def sandbox_command(
    command: Sequence[str],
    *,
    cwd: str | Path,
    writable: str | Path,
    hidden: Sequence[str | Path],
    readable: Sequence[str | Path],
    environment: Mapping[str, str] | None = None,
    memory: int = MEMORY_LIMIT,
    cpu_seconds: int = CPU_SECONDS,
) -> list[str]:
    """Return ``command`` wrapped to run in the sandbox.

    Parameters
    ----------
    command : sequence of str
        The program and its arguments.
    cwd : path-like
        The working folder, shown read-only.
    writable : path-like
        A folder bound writable (the kernel's connection file and sockets).
    hidden : sequence of path-like
        Folders replaced by empty read-only ones.
    readable : sequence of path-like
        Folders shown read-only, even inside a hidden one.
    environment : mapping of str to str, optional
        The variables of :data:`KEPT_ENVIRONMENT` to pass on (default: from
        ``os.environ``); the command gets no others.
    memory : int, optional
        Bytes of address space, ``RLIMIT_AS``.
    cpu_seconds : int, optional
        CPU seconds, ``RLIMIT_CPU``.

    Returns
    -------
    list of str
        ``prlimit ... bwrap ... command``.

    Raises
    ------
    ValueError
        If a limit is not positive, or a folder is not absolute.
    """
    for name, value in (("memory", memory), ("cpu_seconds", cpu_seconds)):
        if value <= 0:
            raise ValueError(f"{name} must be positive, got {value!r}")
    folders = [Path(folder) for folder in (cwd, writable, *hidden, *readable)]
    relative = [str(folder) for folder in folders if not folder.is_absolute()]
    if relative:
        raise ValueError(f"sandbox folders must be absolute paths, got {relative}")
    # Parents before children, a hidden folder before what it shows again.
    mounts = sorted(
        [(Path(f), 0, "--tmpfs") for f in hidden]
        + [(Path(f), 1, "--ro-bind") for f in (*readable, cwd)]
        + [(Path(writable), 2, "--bind")],
        key=lambda mount: (len(mount[0].parts), mount[1]),
    )
    bwrap = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
             "--tmpfs", _SCRATCH]
    for folder, _, kind in mounts:
        bwrap += [kind, str(folder)] if kind == "--tmpfs" else [kind, str(folder), str(folder)]
    for folder in hidden:
        bwrap += ["--remount-ro", str(folder)]
    environment = os.environ if environment is None else environment
    bwrap.append("--clearenv")
    for name in KEPT_ENVIRONMENT:
        if name in environment:
            bwrap += ["--setenv", name, environment[name]]
    bwrap += [
        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent",
        # ipykernel exits when its parent is not JPY_PARENT_PID, which in the
        # PID namespace it never is; it does not watch a parent 1, and
        # --die-with-parent takes over that job.
        "--setenv", "JPY_PARENT_PID", "1",
        # glibc reserves 64 MiB of address space per thread that allocates,
        # which RLIMIT_AS counts: keep it independent of the number of cores.
        "--setenv", "MALLOC_ARENA_MAX", "2",
        "--setenv", "TMPDIR", _SCRATCH,
        "--setenv", "MPLCONFIGDIR", f"{_SCRATCH}/matplotlib",
        "--setenv", "IPYTHONDIR", f"{_SCRATCH}/ipython",
        "--chdir", str(cwd),
    ]
    limits = ["prlimit", f"--as={memory}", f"--cpu={cpu_seconds}", "--"]
    return [*limits, *bwrap, *command]


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts its kernel in the sandbox (:func:`sandbox_command`).

    The kernel talks over Unix sockets kept, with its connection file, in a
    private temporary folder that is removed with the kernel.
    """

    hidden = List(Unicode(), help="Folders the kernel finds empty.").tag(config=True)
    readable = List(Unicode(), help="Folders shown read-only, even inside hidden ones.").tag(
        config=True)
    _sockets = ""

    memory_limit = Integer(MEMORY_LIMIT, help="Bytes of address space.").tag(config=True)
    cpu_seconds = Integer(CPU_SECONDS, help="CPU seconds per kernel.").tag(config=True)

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        # A short path: Unix socket names are limited to about 100 characters.
        self._sockets = tempfile.mkdtemp(prefix="recsys-kernel-")
        self.connection_file = os.path.join(self._sockets, "kernel.json")
        self.ip = os.path.join(self._sockets, "kernel-ipc")
        # A SIGINT to the kernel's process group would kill bwrap, and with it
        # the kernel: interrupt with a message on the control channel instead.
        self.kernel_spec.interrupt_mode = "message"
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """Return the kernel's command, wrapped in :func:`sandbox_command`."""
        return sandbox_command(
            super().format_kernel_cmd(extra_arguments),
            cwd=os.path.abspath(self._launch_args.get("cwd") or os.getcwd()),
            writable=self._sockets,
            hidden=[folder for folder in self.hidden if os.path.isdir(folder)],
            readable=[folder for folder in self.readable if os.path.isdir(folder)],
            memory=self.memory_limit,
            cpu_seconds=self.cpu_seconds,
        )

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)
        # A restart starts over in a new folder (_async_pre_start_kernel).
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)

    # AsyncKernelManager binds its public names to KernelManager's coroutines:
    # rebind them, so that callers (nbclient, after a kernel died) reach ours.
    pre_start_kernel = _async_pre_start_kernel
    cleanup_resources = _async_cleanup_resources


class SandboxedExecute(Execute):
    """nbgrader's ``Execute``, starting its kernels with :class:`SandboxKernelManager`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Execute passes its own kernel_manager_class, which beats configuration.
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)


def configure(
    config: Config,
    *,
    project: str | Path,
    course_root: str | Path,
    data_home: str | Path | None = None,
    unsafe: bool = False,
) -> bool:
    """Make nbgrader's autograding run every kernel in the sandbox.

    Parameters
    ----------
    config : traitlets.config.Config
        The nbgrader configuration, changed in place.
    project : path-like
        The project folder; hidden (it holds the solutions), except the
        installed package and the Python environment (``sys.prefix``,
        ``sys.base_prefix``, the user's site-packages) if they live in it, as
        they may in the home folder, hidden too.
    course_root : path-like
        The nbgrader course folder; hidden, except the notebook being graded.
    data_home : path-like, optional
        The folder of the Online Retail data, shown read-only. Default:
        :func:`recsys_workshop.data.data_home`.
    unsafe : bool, optional
        Grade without a sandbox, leaving ``config`` unchanged: student code
        then runs with the instructor's permissions.

    Returns
    -------
    bool
        Whether the sandbox was configured (False only when ``unsafe``).

    Raises
    ------
    SandboxUnavailable
        If the sandbox cannot run here and ``unsafe`` is False.
    """
    if unsafe:
        return False
    reason = available()
    if reason is not None:
        raise SandboxUnavailable(
            f"cannot sandbox the grading kernels: {reason}. It needs bubblewrap and "
            "util-linux (apt-get install bubblewrap util-linux) and a system that lets "
            f"bwrap create namespaces. Or pass {UNSAFE_FLAG} to grade without a sandbox: "
            "student code then runs with your permissions."
        )
    home = data.data_home() if data_home is None else Path(data_home)
    # src/ of an editable install; site-packages (in sys.prefix) otherwise.
    package_root = Path(__file__).resolve().parents[1]
    manager = config.SandboxKernelManager
    manager.hidden = [str(folder) for folder in
                      (Path(f).resolve() for f in (Path.home(), project, course_root))
                      if folder != Path("/")]
    manager.readable = sorted({str(Path(folder).resolve()) for folder in (
        sys.prefix, sys.base_prefix, site.getusersitepackages(), package_root, home)})
    config.Autograde.autograde_preprocessors = autograde_pipeline(SandboxedExecute)
    return True
