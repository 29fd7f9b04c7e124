"""The instructor's JupyterLab server: the settings ``make instructor`` loads, nothing else.

nbgrader's Formgrader server extension stays on: it serves the course that
``nbgrader_config.py`` names (``course/``, or ``RECSYS_WORKSHOP_COURSE``). Its
Assignment List and Course List extensions are off: they are the students' side of
nbgrader's exchange (fetch and submit assignments through a shared folder), which this
course does not use: attendees get the notebooks from the repository or its zip, and
the instructor collects their files for ``make autograde SUBMISSIONS=folder``.
``page_config.json`` beside this file turns off the matching JupyterLab plugins, so no
menu entry leads to a page that can only report a missing exchange.
"""

c = get_config()  # noqa: F821 (defined by traitlets when it loads this file)
c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
}
