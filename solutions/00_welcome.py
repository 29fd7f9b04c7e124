# %% [markdown]
# # Chapter 0: Welcome to the recsys workshop
#
# In this workshop you build a recommender system from **implicit feedback**: the traces customers
# leave when they browse, add to cart and buy, rather than star ratings. You start with a handful of
# events written by hand and end with recommendations for real customers of an online shop.
#
# This notebook has no graded exercise. It shows you how the workbook works, so that the chapters
# can focus on recommenders.
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
# to answer: *which other products would this customer like?* Nobody told us what they like; we
# infer it from what they did.
#
# You build the answer in two ways:
#
# 1. **Item-item similarity, from scratch.** Two products are similar when the same customers
#    interact with them. You write every step yourself: you turn events into scores, store them
#    in a matrix with one row per customer and one column per product, and compute the cosine
#    similarity of every pair of products
#    $$\operatorname{sim}(i, j) = \frac{a_i \cdot a_j}{\lVert a_i \rVert \, \lVert a_j \rVert},$$
#    where $a_i$ is the column of product $i$. You compute it first with Python loops, then with
#    linear algebra and sparse matrices, and finally use it to rank products for a customer.
# 2. **Matrix factorisation with ALS.** On the real
#    [UCI Online Retail](https://archive.ics.uci.edu/dataset/352/online+retail) data set (about
#    540,000 transaction lines of a UK gift shop), you train implicit Alternating Least Squares
#    (Hu, Koren and Volinsky, 2008) with the [`implicit`](https://github.com/benfred/implicit)
#    library, hide part of the purchases, and measure how well the model finds them again with the
#    **mean AUC** (the area under the ROC curve, averaged over customers; chapter 5 explains it),
#    compared with a baseline that simply recommends the most popular products.
# 3. **Beyond the original material.** You write the heart of ALS yourself, recommend to a
#    customer the model has never seen without retraining it, and compare popularity, item-item
#    similarity and ALS on the same data with metrics that look at the top of the list
#    (precision and NDCG at $k$).
#
# ## The chapters
#
# | notebook | chapter | graded exercises | points |
# | --- | --- | --- | --- |
# | `01_implicit_feedback` | From events to implicit feedback: index mappings and event scores | 1.1 - 1.2 | 3 |
# | `02_dense_similarity` | NumPy and the dense similarity matrix, with loops | 2.1 - 2.3 | 4 |
# | `03_sparse_similarity` | Linear algebra and sparse matrices: the same matrix, much faster | 3.1 - 3.3 | 5 |
# | `04_recommendations` | Making recommendations from the similarity matrix | 4.1 - 4.3 | 4 |
# | `05_als_retail` | ALS on the Online Retail data, evaluated by mean AUC | 5.1 - 5.6 | 12 |
# | `06_beyond` | ALS by hand, new customers, and an honest comparison with ranking metrics | 6.1 - 6.4 | 8 |
#
# Work through them in order: each chapter uses ideas from the one before.
#
# ## Running cells
#
# A notebook is a list of cells. Markdown cells (like this one) hold text; code cells hold Python
# that runs in a **kernel**, a Python process that stays alive while the notebook is open.
#
# - **Shift+Enter** runs the selected cell and moves to the next one. **Ctrl+Enter** runs it and
#   stays put.
# - While a cell runs, its label shows `[*]`; afterwards it shows a number, the order in which
#   cells ran.
# - **Run ▸ Run All Cells** runs the notebook from top to bottom.
# - **Kernel ▸ Restart Kernel and Run All Cells…** starts a fresh Python and runs everything
#   again. Do this whenever the notebook behaves strangely: the kernel keeps every variable that
#   any cell you ran has set, so a variable you deleted from a cell may still exist, and a cell run
#   out of order may see stale values. A fresh run is also exactly what the grader does.
# - **Kernel ▸ Interrupt Kernel** (the ■ button) stops a cell that runs too long.
#
# Try it: select the next cell and press Shift+Enter.

# %%
print("Hello from the kernel! 1 + 1 =", 1 + 1)

# %% [markdown]
# ## How the exercises work
#
# Every graded exercise comes as three cells.
#
# 1. **A description** of the function to write: what it receives, what it returns, which errors
#    it raises, the choices that are left to you, and a hint or two (click *Hint* to open one).
# 2. **A stub** holding the function's signature and docstring, and in its body
#
#    ```python
#    # YOUR CODE HERE
#    raise NotImplementedError()
#    ```
#
#    Replace those two lines with your code. Keep the function's name and parameters: the tests
#    call it by that name.
# 3. **A locked test cell.** You can run it but not edit it (and if you somehow did, grading puts
#    the original back). It holds:
#    - a few **visible asserts**, usually the original workshop's example, so you can see what is
#      expected;
#    - a call `exercises.check("name", name)` that compares your function with a reference
#      implementation on many cases: fixed ones, each built to catch one classic mistake, and
#      random ones drawn with a fixed seed, so that you see the same case every time you run it.
#      When a case fails, it raises an `AssertionError` that shows that one case: the input, what
#      was expected, what your function returned (or raised), why that is wrong, and a hint;
#    - a final line that prints `✔ name passes every check.` when everything passes.
#
#    The source version of the test cell also holds **hidden tests**, a few more asserts that you
#    do not see. They are put back when your notebook is graded by
#    [nbgrader](https://nbgrader.readthedocs.io). A test cell earns all its points when it runs
#    without error, and none otherwise. A function that passes the visible asserts and
#    `exercises.check` is very likely to earn them; the graded run, hidden tests included, decides.
#
# Cells that demonstrate, time or plot an exercise's function call
# `exercises.yours_or_reference("name", name)` first: it prints one line saying whose function it
# uses, then returns yours if it passes `check`, and the reference otherwise. That way the whole
# notebook runs even before you have solved anything.
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
# Below is a *deliberately wrong* attempt (its name is different, so it will not get in the way of
# your own solution in chapter 1). It numbers every position, so a value that comes back gets
# overwritten with a later index.
#
# We catch the `AssertionError` and print its message, which is exactly what you would see under
# a test cell.

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
# A function that passes every case makes `check` return `None` quietly. `exercises.report` does the
# same and prints one line; here it checks the reference itself:

# %%
exercises.report("build_index_mapping", exercises.reference("build_index_mapping"))

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
# From a terminal, in the folder that holds the notebook, the same check is
#
# ```sh
# nbgrader validate 01_implicit_feedback.ipynb
# ```
#
# Read what it prints: at the time of writing, the command exits with status 0 even when cells fail.
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
# If the data is not cached yet, fetch it **before** the workshop, while you have a good connection:
#
# ```sh
# make data
# ```
#
# or, from any notebook, `load_online_retail()` from `recsys_workshop.data`, which downloads the data
# on first use (with a progress bar) and reads the cached copy in well under a second afterwards.
# The data is stored in your user cache folder, or in the folder named by the environment variable
# `RECSYS_WORKSHOP_DATA` when it is set. If you are offline, the error message tells you which file
# to fetch by hand and where to put it.
#
# ## Recap
#
# - You build a recommender from implicit feedback twice: item-item cosine similarity from scratch
#   (chapters 1 to 4), then ALS with `implicit` on the real Online Retail data, evaluated by mean
#   AUC against a popularity baseline (chapter 5); then you open the ALS box, serve new customers
#   and compare everything with ranking metrics (chapter 6).
# - Shift+Enter runs a cell; *Restart Kernel and Run All Cells* gives a clean, top-to-bottom run.
# - Each exercise is a description, a stub that raises `NotImplementedError`, and a locked test
#   cell: visible asserts, `exercises.check` with one clear failing case, and hidden tests for grading.
# - *Validate* (or `nbgrader validate`) runs the whole notebook fresh and lists the failing test cells.
#
# Next: `01_implicit_feedback`, where raw events become implicit feedback.
