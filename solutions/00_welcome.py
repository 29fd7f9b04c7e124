# %% [markdown]
# # Chapter 0: Welcome to the recsys workshop
#
# You build a recommender system from **implicit feedback**, the traces customers leave when they
# browse, add to cart and buy. This notebook has no graded exercise: it shows how the workbook works.
#
# **Learning goals**
#
# - Know what you will build, chapter by chapter.
# - Run cells, run a whole notebook, and restart the kernel when things get confusing.
# - Understand how an exercise is laid out: the stub, the locked test cell, `exercises.check`, and the hidden tests.
# - Read a failing check's message and use it to fix a function.
# - Validate a notebook before you hand it in.
# - Check that your computer is ready, including the data set for chapters 3 to 6.

# %% nbgrader={"grade": false, "grade_id": "ch00-setup", "locked": true, "schema_version": 3, "solution": false}
import importlib
import platform

from recsys_workshop import exercises
from recsys_workshop.data import cached_path, is_cached

# %% [markdown]
# ## What you will build
#
# A shop knows what each customer looked at, put in the cart and bought. From that alone we want
# to answer: *which other products would this customer like?*
#
# You build the answer in three steps:
#
# 1. **Item-item similarity, from scratch** (chapters 1 to 4). Two products are similar when the
#    same customers interact with them:
#    $$\operatorname{sim}(i, j) = \frac{a_i \cdot a_j}{\lVert a_i \rVert \, \lVert a_j \rVert},$$
#    $a_i$ being the column of product $i$ in a customers x products matrix. You compute it with
#    loops, then with linear algebra and sparse matrices, and rank products for a customer.
# 2. **Matrix factorisation with ALS** (chapter 5). On the real
#    [UCI Online Retail](https://archive.ics.uci.edu/dataset/352/online+retail) data you train
#    implicit ALS with the [`implicit`](https://github.com/benfred/implicit) library and measure
#    with the **mean AUC** how well it finds hidden purchases, against a popularity baseline.
# 3. **Beyond the original material** (chapter 6, optional). ALS written by hand, recommendations
#    for new customers, and metrics for the top of the list (precision and NDCG at $k$).
#
# ## Agenda
#
# The core path takes about three hours, short breaks and the instructor's slides included.
#
# | time | notebook | topic | graded exercises | points |
# | --- | --- | --- | --- | --- |
# | 0:00 - 0:10 | `00_welcome` | How the workbook works | none | 0 |
# | 0:10 - 0:30 | `01_implicit_feedback` | From events to implicit feedback | 1.1 - 1.2 | 3 |
# | 0:30 - 0:55 | `02_dense_similarity` | NumPy and the dense similarity matrix, with loops | 2.1 - 2.3 | 4 |
# | 0:55 - 1:05 | | Break | | |
# | 1:05 - 1:35 | `03_sparse_similarity` | Linear algebra and sparse matrices | 3.1 - 3.3 | 5 |
# | 1:35 - 1:55 | `04_recommendations` | Recommendations from the similarity matrix | 4.1 - 4.3 | 4 |
# | 1:55 - 2:05 | | Break | | |
# | 2:05 - 2:50 | `05_als_retail` | ALS on the Online Retail data, evaluated by mean AUC | 5.1 - 5.6 | 12 |
# | 2:50 - 3:00 | | Questions and wrap-up | | |
# | after the workshop | `06_beyond` | Optional, about two hours: ALS by hand, new customers, an honest comparison | 6.1 - 6.6 | 11 |
# | after the workshop | `07_production` | Optional: serving the model, latency, ANN | 7.1 - 7.3 | 7 |
# | after the workshop | `08_spark` | Optional, needs `make scale`: the pipeline on Spark, at scale | none | 0 |
#
# Work through the chapters in order: each uses ideas from the one before.
#
# - **Core and optional.** In every chapter the core path ends at a heading
#   **Going further (optional)**: the sections after it (up to the recap) go deeper, hold no graded
#   exercise, and can wait until after the workshop.
# - **Chapters 6 to 8 are entirely optional.** Their exercises are graded like the others, but they are not
#   part of the workshop's time plan. Chapter 8 has no exercise; it needs Spark (`make scale`).
#
# ## Running cells
#
# Markdown cells (like this one) hold text; code cells hold Python that runs in a **kernel**, a
# Python process that stays alive while the notebook is open.
#
# - **Shift+Enter** runs the selected cell and moves to the next; **Ctrl+Enter** runs it and stays.
# - **Run ▸ Run All Cells** runs the notebook from top to bottom.
# - **Kernel ▸ Restart Kernel and Run All Cells…** starts a fresh Python and runs everything. Do it
#   whenever the notebook behaves strangely (the kernel keeps every variable any cell has set); it
#   is also exactly what the grader does.
# - **Kernel ▸ Interrupt Kernel** (the ■ button) stops a cell that runs too long.
#
# Try it: select the next cell and press Shift+Enter.

# %%
print("Hello from the kernel! 1 + 1 =", 1 + 1)

# %% [markdown]
# ## How the exercises work
#
# Every graded exercise comes as three cells:
#
# 1. **A description** of the function to write: what it receives and returns, the errors it
#    raises, and a hint or two (click *Hint*).
# 2. **A stub** with the function's signature and docstring. Replace its body (`# YOUR CODE HERE`
#    and `raise NotImplementedError()`) with your code; keep the name and the parameters.
# 3. **A locked test cell**: a few worked examples (`exercises.Example`: what they show, the input,
#    the expected result and a hint), then `exercises.check("name", name, examples)`, which runs
#    them, then compares your function with a reference on fixed cases (each built to catch one
#    classic mistake) and on seeded random ones, and raises an `AssertionError` showing the first
#    case that fails. Whatever catches your mistake, the message has the same form. It prints
#    `✔ name passes every check.` when all pass. When
#    [nbgrader](https://nbgrader.readthedocs.io) grades the notebook, a few **hidden tests** are
#    added; a test cell earns all its points when it runs without error.
#
# Cells that demonstrate, time or plot an exercise's function call
# `exercises.yours_or_reference("name", name)`: it returns your function once it passes `check`,
# and the reference until then, so the whole notebook runs before you have solved anything.
#
# Here is the list of every graded exercise, in workshop order:

# %%
for number, name in enumerate(exercises.names(), start=1):
    print(f"{number:2}. {name}")


# %% [markdown]
# ## A failing check, on purpose
#
# Exercise 1.1 asks for `build_index_mapping(values)`: a dict that gives each distinct value an
# index `0, 1, 2, ...` in order of first appearance, where a repeated value keeps its first index.
# Below is a *deliberately wrong* attempt (under another name, so it will not get in the way of
# your own solution): it numbers every position, so a value that comes back gets a later index. We
# print the `AssertionError`'s message, exactly what you would see under a test cell.

# %%
def wrong_index_mapping(values):
    """A buggy attempt at exercise 1.1, to see what a failing check looks like."""
    return {value: position for position, value in enumerate(values)}


try:
    exercises.check("build_index_mapping", wrong_index_mapping)
except AssertionError as failure:
    print(failure)

# %% [markdown]
# Read the message from top to bottom:
#
# - **failed on** names the case, that is, the mistake it is built to catch;
# - **input** is the call that was made, small enough to try yourself in a new cell;
# - **expected** and **got** put the right answer next to yours;
# - **why** points at the first difference;
# - **hint** suggests where to look.
#
# A function that passes every case makes `check` return `None` quietly; `exercises.report` does the
# same and prints one line, `✔ build_index_mapping: all N checks passed.` Your function must be your
# own: `exercises.reference("name")` gives the package's reference implementation, and `check` (like
# the grader) refuses any function that is it, wraps it or calls it:

# %%
try:
    exercises.check("build_index_mapping", exercises.reference("build_index_mapping"))
except AssertionError as failure:
    print(failure)

# %% [markdown]
# And this is what a demonstration cell prints while your function does not pass yet:

# %%
index_mapping = exercises.yours_or_reference("build_index_mapping", wrong_index_mapping)
index_mapping(["b", "a", "b", "c"])

# %% [markdown]
# ## Validate before you hand in
#
# nbgrader adds a **Validate** button to the notebook's toolbar (and to the *Assignments* panel).
# It saves the notebook, then runs it from top to bottom in a fresh kernel, the same way the grader
# will, and reports every test cell that fails, with its error. If all pass, it says
# *Success! Your notebook passes all the tests.* It also warns you when the contents of a test cell
# have changed. A cell that runs longer than the time limit counts as failing.
#
# Before you hand in a notebook: **Kernel ▸ Restart Kernel and Run All Cells…**, look for errors,
# then **Validate**.
#
# ## Is your computer ready?
#
# The next cell prints the versions of the main libraries and tells you whether the Online Retail
# data set, which chapters 3 to 6 need, is already downloaded. It never downloads anything.

# %% nbgrader={"grade": false, "grade_id": "ch00-environment", "locked": true, "schema_version": 3, "solution": false}
print(f"{'Python':<13} {platform.python_version()}")
for label, module_name in [("numpy", "numpy"), ("scipy", "scipy"), ("pandas", "pandas"),
                           ("scikit-learn", "sklearn"), ("implicit", "implicit"),
                           ("matplotlib", "matplotlib")]:
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        print(f"{label:<13} MISSING ({error}): run `make clean`, then `make lab`.")
    else:
        print(f"{label:<13} {getattr(module, '__version__', 'installed')}")

print()
if is_cached():
    print(f"Online Retail data: cached in {cached_path()}")
else:
    print(f"Online Retail data: not downloaded yet (it will live in {cached_path()}).")
    print("Before the workshop, run `make data` in a terminal at the project's root, or run")
    print("    from recsys_workshop.data import load_online_retail; load_online_retail()")
    print("in a cell: it downloads about 23 MB from UCI and converts it once.")

# %% [markdown]
# Every library should show a version number. If one says MISSING, run `make clean` and then
# `make lab` from the project's folder: `make lab` alone does not reinstall an environment it has
# already built, while `make clean` deletes it so that `make lab` builds it again from scratch.
#
# If the data is not cached yet, run `make data` in a terminal before the workshop (see *Going further* below).

# %% [markdown]
# ## Going further (optional)
#
# The core path of this chapter ends here. The sections below are for later, or for now if you are ahead; the recap after them covers the core path.

# %% [markdown]
# ### Validating from a terminal
#
# From a terminal, in the folder that holds the notebook, the same check is
#
# ```sh
# nbgrader validate 01_implicit_feedback.ipynb
# ```
#
# Read what it prints: at the time of writing, the command exits with status 0 even when cells fail.

# %% [markdown]
# ### Getting the data before the workshop
#
# If the data is not cached yet, fetch it **before** the workshop, while you have a good connection:
#
# ```sh
# make data
# ```
#
# or, from any notebook, `load_online_retail()` from `recsys_workshop.data`, which downloads the data
# on first use (with a progress bar) and reads the cached copy afterwards.
# The data is stored in your user cache folder, or in the folder named by the environment variable
# `RECSYS_WORKSHOP_DATA` when it is set. If you are offline, the error message tells you which file
# to fetch by hand and where to put it.

# %% [markdown]
# ## Recap
#
# - You build a recommender from implicit feedback twice: item-item cosine similarity from scratch
#   (chapters 1 to 4), then ALS with `implicit` on the real Online Retail data, evaluated by mean
#   AUC against a popularity baseline (chapter 5); then you open the ALS box, serve new customers
#   and compare everything with ranking metrics (chapter 6, optional).
# - The core path takes about three hours (see the agenda); each chapter's *Going further (optional)*
#   sections and chapter 6 are for later.
# - Shift+Enter runs a cell; *Restart Kernel and Run All Cells* gives a clean, top-to-bottom run.
# - Each exercise is a description, a stub that raises `NotImplementedError`, and a locked test
#   cell: worked examples, `exercises.check` with one clear failing case, and hidden tests for grading.
# - *Validate* (or `nbgrader validate`) runs the whole notebook fresh and lists the failing test cells.
#
# Next: `01_implicit_feedback`, where raw events become implicit feedback.
