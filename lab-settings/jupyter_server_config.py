"""The attendee's JupyterLab server: the settings ``make lab`` loads, and nothing else does.

- nbgrader's instructor server extensions are off (formgrader, assignment and course
  lists); its Validate extension stays. jupytext's extension is off too: attendees open
  notebooks, never paired text files. ``page_config.json`` beside this file turns off
  the matching JupyterLab plugins.
- An untouched notebook opens unmodified. When a kernel starts, JupyterLab writes the
  kernel's ``language_info`` into the notebook's metadata and marks the notebook
  modified unless the value is already there, Python version included. That version is
  the attendee's own, so no committed notebook can carry it: the server adds it as it
  serves a notebook, and the file on disk changes only when the attendee saves.
"""

from typing import Any

from ipykernel.ipkernel import IPythonKernel
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager


class AttendeeContentsManager(AsyncLargeFileManager):
    """Serves Python notebooks with the ``language_info`` this server's kernel reports."""

    async def get(self, path: str, content: bool = True, type: str | None = None,
                  format: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """The file or folder at ``path``; a Python notebook with the kernel's language_info."""
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model["type"] == "notebook" and model["content"] is not None:
            metadata = model["content"]["metadata"]
            if metadata.get("language_info", {}).get("name") == IPythonKernel.language_info["name"]:
                metadata["language_info"] = dict(IPythonKernel.language_info)
        return model


c = get_config()  # noqa: F821 (defined by traitlets when it loads this file)
c.ServerApp.contents_manager_class = AttendeeContentsManager
c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
    "jupyterlab_jupytext": False,
}
