"""nbgrader configuration of the recsys-workshop course.

Each chapter notebook in ``solutions/`` is one nbgrader assignment named after
it (``01_implicit_feedback``...). The instructor's working folder is
``course/`` (git-ignored): ``source/`` is staged from ``solutions/``,
``release/``, ``submitted/``, ``autograded/``, ``feedback/`` and
``gradebook.db`` are nbgrader's. Use it through ``make release``,
``make autograde`` and ``make feedback`` (README, "For instructors"), or run
``nbgrader`` from this folder.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "recsys-workshop"
# The environment variable RECSYS_WORKSHOP_COURSE names another course folder: the
# formgrader of `make instructor` reads this file from the folder it was started in,
# after any command-line option, so `make instructor COURSE_ROOT=...` (and its browser
# test, on a scratch course) can only point it elsewhere this way.
c.CourseDirectory.root = os.environ.get("RECSYS_WORKSHOP_COURSE") or os.path.join(here, "course")
# Not used by the command-line flow; keeps nbgrader away from /srv/nbgrader.
c.Exchange.root = os.path.join(c.CourseDirectory.root, "exchange")

# The stub a learner finds in place of each solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Seconds each cell may run while autograding (nbgrader's default is 30). The
# slowest cell fits ALS on the full Online Retail table: a few seconds on a
# 2-core machine, so 120 s leaves room for a slow laptop while bounding what
# an infinite loop costs. A cell that times out is interrupted and scores 0;
# the following cells still run.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
