"""The chapter registry: the one list of the workbook's chapters.

Everything that needs to know the chapters reads them here: the ``exercises``
façade (which exercises exist, in which order), the nbgrader course (which
assignments to release and grade), the tests (which notebooks to run, which
need the real data or Spark), the slide-deck test (one section per chapter)
and the exercise catalogue with the README's points table
(:mod:`recsys_workshop.catalogue`).

Adding a chapter is one entry in :data:`CHAPTERS` plus the chapter's own files;
the README's "Adding a chapter" section lists them.

Examples
--------
>>> [chapter.name for chapter in CHAPTERS][:2]
['00_welcome', '01_implicit_feedback']
>>> chapter("05_als_retail").real_data
True
>>> [chapter.name for chapter in CHAPTERS if chapter.needs_spark]
['08_spark']
"""

from dataclasses import dataclass

__all__ = ["CHAPTERS", "GOING_FURTHER", "Chapter", "chapter", "graded"]

#: The first line of the markdown cell where a chapter's optional part starts.
#: Everything from that cell to the chapter's end, except the final recap, is
#: optional; everything before it is the core path (README, "Agenda").
GOING_FURTHER = "## Going further (optional)"


@dataclass(frozen=True)
class Chapter:
    """One chapter of the workbook.

    Parameters
    ----------
    number : int
        Its number, from 0; the chapters are numbered consecutively.
    name : str
        ``NN_slug``: the notebook ``solutions/NN_slug.ipynb``, its student
        version ``notebooks/NN_slug.ipynb`` and the nbgrader assignment.
    title : str
        The title its notebook's first heading and its slides show, after
        ``Chapter N:``.
    checks : str or None
        The module of ``recsys_workshop.exercises`` that defines its graded
        exercises (``EXERCISES``), or None for a chapter without any.
    real_data : bool
        Whether its notebook loads the real Online Retail table.
    needs_spark : bool
        Whether its notebook runs Apache Spark, which is optional: pyspark
        comes with the ``scale`` extra (``make scale``), Java from the system.
        The tests execute such a notebook only where
        :func:`recsys_workshop.spark_pipeline.spark_unavailable` says Spark
        can run, and skip it with that function's reason elsewhere.
    """

    number: int
    name: str
    title: str
    checks: str | None = None
    real_data: bool = False
    needs_spark: bool = False


#: Every chapter, in workshop order.
CHAPTERS: tuple[Chapter, ...] = (
    Chapter(0, "00_welcome", "Welcome to the recsys workshop"),
    Chapter(1, "01_implicit_feedback", "From events to implicit feedback", "chapter1"),
    Chapter(2, "02_dense_similarity", "NumPy and the dense similarity matrix", "chapter2"),
    Chapter(3, "03_sparse_similarity", "Linear algebra and sparse matrices", "chapter3",
            real_data=True),
    Chapter(4, "04_recommendations", "Making recommendations", "chapter4", real_data=True),
    Chapter(5, "05_als_retail", "ALS on the Online Retail data", "chapter5", real_data=True),
    Chapter(6, "06_beyond", "Beyond the original material", "chapter6", real_data=True),
    Chapter(7, "07_production", "To production: serving the model", "chapter7",
            real_data=True),
    Chapter(8, "08_spark", "Spark when one machine is not enough", None, real_data=True,
            needs_spark=True),
)


def chapter(name: str) -> Chapter:
    """The chapter called ``name`` (``NN_slug``).

    Raises
    ------
    ValueError
        If no chapter has that name.

    Examples
    --------
    >>> chapter("01_implicit_feedback").number
    1
    """
    for candidate in CHAPTERS:
        if candidate.name == name:
            return candidate
    raise ValueError(f"unknown chapter {name!r}; the chapters are "
                     f"{[candidate.name for candidate in CHAPTERS]}")


def graded() -> list[Chapter]:
    """The chapters that have graded exercises, in order.

    Examples
    --------
    >>> [chapter.number for chapter in graded()]
    [1, 2, 3, 4, 5, 6, 7]
    """
    return [candidate for candidate in CHAPTERS if candidate.checks is not None]
