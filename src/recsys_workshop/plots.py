"""Every figure of the course, drawn from code in one place.

The notebooks and the slides call these functions, so a figure looks the same
wherever it appears and is changed in one place only. Each function checks its
input before it creates anything, draws on the ``ax`` it is given (on a new
figure when ``ax`` is omitted) and returns that Axes. Matplotlib's ``pyplot``
is imported only when a figure is drawn, so importing this module is cheap.
"""

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .timing import _checked_points, growth_exponent
from .validation import check_count, check_finite, check_share, plain

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.image import AxesImage
    from matplotlib.text import Text

__all__ = [
    "plot_auc_distributions",
    "plot_engine_growth",
    "plot_intervals",
    "plot_long_tail",
    "plot_metric_bars",
    "plot_sensitivity_heatmap",
    "plot_similarity_heatmap",
    "plot_success_rates",
    "plot_timings",
]

#: The largest similarity matrix whose cells can still be read once annotated.
MAX_ANNOTATED_SKUS = 20


def plot_timings(
    results: Mapping[str, Sequence[tuple[int, float]]],
    ax: "Axes | None" = None,
    *,
    title: str | None = None,
    xlabel: str = "size",
    ylabel: str = "seconds (best of n)",
) -> "Axes":
    """Draw one log-log curve per function of a :func:`~recsys_workshop.timing.time_growth` result.

    On log-log axes a time proportional to ``size**k`` is a straight line of
    slope ``k``: a quadratic algorithm climbs twice as steeply as a linear one.

    Parameters
    ----------
    results : mapping of str to sequence of (size, seconds)
        The curves, e.g. the result of :func:`~recsys_workshop.timing.time_growth`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    title : str, optional
        The plot's title.
    xlabel, ylabel : str
        The axis labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        If ``results`` is not a mapping, or ``ax`` is not a matplotlib Axes.
    ValueError
        If ``results`` or one of its curves is empty, or holds a size or a time
        that is not positive (a log scale cannot show it).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_timings({"loops": [(10, 0.001), (100, 0.1)]}, title="loops")
    >>> ax.get_xscale(), ax.get_yscale(), ax.get_title()
    ('log', 'log', 'loops')
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    if not isinstance(results, Mapping):
        raise TypeError(f"results must be a dict of name -> [(size, seconds), ...], "
                        f"got {type(results).__name__}")
    if not results:
        raise ValueError("results is empty: there is nothing to plot")
    curves = {name: _checked_points(points, f"results[{name!r}]")
              for name, points in results.items()}

    ax = _axes(ax, figsize=(6.4, 4.2))
    for name, (sizes, seconds) in curves.items():
        ax.plot(sizes, seconds, marker="o", label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return ax


def plot_engine_growth(
    growth: pd.DataFrame,
    ax: "Axes | None" = None,
    *,
    title: str | None = "Training time as the shop grows",
) -> "Axes":
    """Draw each engine's training time against the data's size, one log-log line per engine.

    Each line's label gives its slope (:func:`~recsys_workshop.timing.growth_exponent`):
    1 for a time proportional to the number of stored cells, less while fixed
    costs (starting jobs, moving data) still dominate.

    Parameters
    ----------
    growth : pandas.DataFrame
        One row per (shop, engine) with the columns ``"engine"``, ``"cells"``
        (stored customer-sku cells, > 0) and ``"seconds"`` (> 0), such as the
        points of :func:`~recsys_workshop.spark_pipeline.growth_study` in a
        DataFrame; other columns are ignored. Engines are drawn in the order
        they first appear.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    title : str or None, default "Training time as the shop grows"
        The plot's title; None for none.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        If ``growth`` is not a DataFrame, or ``ax`` is not a matplotlib Axes.
    ValueError
        If ``growth`` is empty, lacks one of the three columns, or holds a
        size or a time that is not a positive number (a log scale cannot show it).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> growth = pd.DataFrame({"engine": ["spark", "implicit", "spark", "implicit"],
    ...                        "cells": [1000, 1000, 4000, 4000],
    ...                        "seconds": [2.0, 0.01, 4.0, 0.04]})
    >>> ax = plot_engine_growth(growth)
    >>> [line.get_label() for line in ax.get_lines()]
    ['spark (slope 0.50)', 'implicit (slope 1.00)']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    if not isinstance(growth, pd.DataFrame):
        raise TypeError(f"growth must be a pandas DataFrame, got {type(growth).__name__}")
    columns = ["engine", "cells", "seconds"]
    missing = [column for column in columns if column not in growth.columns]
    if missing:
        raise ValueError(f"growth has no column(s) {missing}; it has {list(growth.columns)}")
    if growth.empty:
        raise ValueError("growth is empty: there is no training time to plot")
    curves = {}
    for engine, rows in growth.groupby("engine", sort=False, dropna=False):
        points = sorted(zip(rows["cells"].tolist(), rows["seconds"].tolist(), strict=True))
        sizes, _ = _checked_points(points, f"growth of {plain(engine)!r}")
        slope = (f" (slope {growth_exponent(points):.2f})" if len(set(sizes)) > 1 else "")
        curves[f"{engine}{slope}"] = points
    ax = plot_timings(curves, ax, title=title, xlabel="stored cells (customer-sku pairs)",
                      ylabel="training seconds")
    # Less than two decades of cells: matplotlib would label the minor ticks too, overlapping.
    from matplotlib.ticker import NullFormatter

    ax.xaxis.set_minor_formatter(NullFormatter())
    return ax


def plot_long_tail(
    customers_per_sku: Any,
    ax: "Axes | None" = None,
    *,
    head: float = 0.1,
    title: str = "The long tail",
) -> "Axes":
    """Draw the number of customers of each sku, skus ranked from most to least bought.

    The counts are drawn on a log scale, from the best seller on the left to
    the rarest sku on the right. The ``head`` (the most bought share of the
    skus) is shaded, and the legend says which share of all (customer, sku)
    pairs it holds.

    Parameters
    ----------
    customers_per_sku : array-like of numbers
        1-d, one count per sku in any order, e.g.
        :func:`recsys_workshop.evaluate.popularity` of the purchase matrix. Skus with
        no customer count in the totals but cannot be drawn on the log scale.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    head : float, default 0.1
        The share of the skus, strictly between 0 and 1, that forms the head
        (at least one sku).
    title : str, default "The long tail"
        The plot's title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        If ``head`` is not a number, or ``ax`` is not a matplotlib Axes.
    ValueError
        If ``customers_per_sku`` is not a non-empty 1-d array of finite,
        non-negative numbers with a positive sum, or ``head`` is not in (0, 1).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_long_tail([1, 40, 3, 2, 1, 1, 5, 1, 2, 4])
    >>> ax.get_yscale(), ax.get_lines()[0].get_ydata().tolist()
    ('log', [40.0, 5.0, 4.0, 3.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0])
    >>> print(ax.get_legend().get_texts()[1].get_text())
    top 10% of the skus:
    67% of the (customer, sku) pairs
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    counts = _checked_vector(customers_per_sku, "customers_per_sku")
    if not np.isfinite(counts).all() or (counts < 0).any():
        bad = counts[~np.isfinite(counts) | (counts < 0)][0]
        raise ValueError(f"customers_per_sku holds {plain(bad)!r}: counts must be finite and >= 0")
    if counts.sum() == 0:
        raise ValueError("customers_per_sku is all zeros: no sku has a customer")
    check_share(head, "head", strict=True)

    ranked = np.sort(counts)[::-1]
    n_head = max(1, math.floor(head * ranked.size))
    share = ranked[:n_head].sum() / ranked.sum()

    ax = _axes(ax, figsize=(6.4, 4.2))
    ax.plot(np.arange(1, ranked.size + 1), ranked, label="customers of each sku")
    ax.axvspan(0.5, n_head + 0.5, color="C1", alpha=0.2,
               label=f"top {head:.0%} of the skus:\n{share:.0%} of the (customer, sku) pairs")
    ax.set_yscale("log", nonpositive="mask")
    ax.set_xlim(0.5, ranked.size + 0.5)
    ax.set_xlabel("skus, from most to least bought")
    ax.set_ylabel("customers who bought it (log scale)")
    ax.set_title(title)
    ax.legend(loc="upper right")  # the curve falls from the top left corner
    return ax


def plot_auc_distributions(
    aucs: Mapping[str, Any],
    ax: "Axes | None" = None,
    *,
    bins: int = 40,
    title: str = "Per-customer AUC",
) -> "Axes":
    """Draw one histogram of per-customer AUCs per scorer, e.g. a model and popularity.

    Each array is what :func:`~recsys_workshop.evaluate.per_user_auc` returns:
    one AUC per customer, ``nan`` where it is undefined. The ``nan`` are left
    out, and each legend entry gives the mean of the rest. A dashed line marks
    0.5, the AUC of a random ranking.

    Parameters
    ----------
    aucs : mapping of str to array-like
        ``{scorer name: per-customer AUCs}``, drawn in this order (the last on top).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    bins : int, default 40
        The number of bins between 0 and 1.
    title : str, default "Per-customer AUC"
        The plot's title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        If ``aucs`` is not a mapping, ``bins`` not an integer, or ``ax`` not a
        matplotlib Axes.
    ValueError
        If ``aucs`` is empty, an entry is not 1-d, has no AUC that is not
        ``nan``, or holds a value outside [0, 1], or ``bins`` is below 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_auc_distributions({"popularity": [0.6, 0.8, np.nan], "ALS": [0.9, 0.7, 1.0]})
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['random ranking', 'popularity (mean 0.700)', 'ALS (mean 0.867)']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    if not isinstance(aucs, Mapping):
        raise TypeError(f"aucs must be a dict of name -> per-customer AUCs, "
                        f"got {type(aucs).__name__}")
    if not aucs:
        raise ValueError("aucs is empty: there is nothing to plot")
    defined = {}
    for name, values in aucs.items():
        label = f"aucs[{name!r}]"
        values = _checked_vector(values, label)
        values = values[~np.isnan(values)]
        if values.size == 0:
            raise ValueError(f"{label} holds no AUC: every value is nan")
        outside = values[(values < 0) | (values > 1)]
        if outside.size:
            raise ValueError(f"{label} holds {plain(outside[0])!r}: an AUC lies in [0, 1]")
        defined[name] = values
    check_count(bins, "bins", minimum=1)

    ax = _axes(ax, figsize=(6.4, 4.2))
    edges = np.linspace(0.0, 1.0, bins + 1)
    ax.axvline(0.5, color="grey", linestyle="--", linewidth=1, label="random ranking")
    for name, values in defined.items():
        ax.hist(values, bins=edges, alpha=0.6, label=f"{name} (mean {values.mean():.3f})")
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("AUC of one customer")
    ax.set_ylabel("customers")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


def plot_similarity_heatmap(
    similarity: Any,
    ax: "Axes | None" = None,
    *,
    labels: Sequence[str] | None = None,
    title: str | None = None,
) -> "Axes":
    """Draw a small skus x skus similarity matrix as a heatmap, each cell annotated.

    Darker cells are more similar skus; every cell shows its value (3
    significant digits), so the figure can be read like the matrix itself.
    The colour scale runs from 0 to 1, or from -1 to 1 when a value is negative.

    Parameters
    ----------
    similarity : numpy.ndarray or scipy.sparse matrix
        Square matrix of cosine similarities, at most
        :data:`MAX_ANNOTATED_SKUS` skus a side.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    labels : sequence of str, optional
        One name per sku, in row order; ``"sku 0"``, ``"sku 1"``... by default.
    title : str, optional
        The plot's title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a colorbar is added beside them).

    Raises
    ------
    TypeError
        If ``ax`` is not a matplotlib Axes.
    ValueError
        If ``similarity`` is not a square numeric matrix of at most
        :data:`MAX_ANNOTATED_SKUS` skus, holds a value that is not finite or
        not in [-1, 1], or ``labels`` does not give one name per sku.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> toy = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.338], [0.0, 0.338, 1.0]])
    >>> ax = plot_similarity_heatmap(toy)
    >>> [text.get_text() for text in ax.texts][:4]
    ['1', '0', '0', '0']
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['sku 0', 'sku 1', 'sku 2']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    if sp.issparse(similarity):
        _check_small_square(similarity.shape)  # before densifying it
        similarity = similarity.toarray()
    values = _checked_matrix(similarity, "similarity")
    _check_small_square(values.shape)
    n_rows = values.shape[0]
    outside = values[np.abs(values) > 1 + 1e-9]
    if outside.size:
        raise ValueError(f"similarity holds {plain(outside[0])!r}: "
                         "a cosine similarity lies in [-1, 1]")
    if labels is None:
        names = [f"sku {i}" for i in range(n_rows)]
    elif isinstance(labels, str) or not np.iterable(labels):
        raise ValueError(f"labels must be a sequence of {n_rows} names, got {labels!r}")
    else:
        names = [str(label) for label in labels]
        if len(names) != n_rows:
            raise ValueError(f"labels must give one name per sku ({n_rows}), got {len(names)}: "
                             f"{labels!r}")

    ax = _axes(ax, figsize=(1.1 * n_rows + 2.4, 1.1 * n_rows + 1.0))
    image, _ = _annotated_heatmap(ax, values, names, names, fmt="{:.3g}", cmap="Blues",
                                  vmin=-1.0 if values.min() < 0 else 0.0, vmax=1.0)
    ax.figure.colorbar(image, ax=ax, label="cosine similarity")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_metric_bars(
    table: pd.DataFrame,
    ax: "Axes | None" = None,
    *,
    title: str | None = None,
) -> "Axes":
    """Draw a grouped bar chart of several models' scores on several metrics.

    One group of bars per metric (column), one bar per model (row) in each
    group, the same colour for a model everywhere; each bar is labelled with
    its value, written vertically so that neighbouring labels never overlap.

    Parameters
    ----------
    table : pandas.DataFrame
        Index: model names (e.g. "popularity", "item-item", "ALS"); columns:
        metric names (e.g. "mean AUC", "precision@10", "NDCG@10"); values in
        [0, 1], higher is better.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    title : str, optional
        The plot's title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame, or ``ax`` is not a matplotlib Axes.
    ValueError
        If ``table`` is empty, repeats a model or a metric, or holds a value
        that is not a number in [0, 1].

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({"mean AUC": [0.81, 0.87], "NDCG@10": [0.05, 0.12]},
    ...                      index=["popularity", "ALS"])
    >>> ax = plot_metric_bars(table)
    >>> [float(bar.get_height()) for bar in ax.patches]
    [0.81, 0.05, 0.87, 0.12]
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    values = _checked_scores(table, "table")
    n_models, n_metrics = values.shape

    ax = _axes(ax, figsize=(max(6.4, 0.9 * n_metrics * n_models + 1.5), 4.2))
    width = 0.8 / n_models
    positions = np.arange(n_metrics)
    for i, model in enumerate(table.index):
        offset = (i - (n_models - 1) / 2) * width
        bars = ax.bar(positions + offset, values[i], width, label=str(model))
        # Vertical labels: side by side bars are narrower than a horizontal "0.872".
        ax.bar_label(bars, fmt="{:.3f}", padding=3, fontsize="small", rotation=90)
    ax.set_xticks(positions, labels=[str(metric) for metric in table.columns])
    ax.set_ylim(0.0, 1.2)
    ax.set_yticks(np.linspace(0.0, 1.0, 6))
    ax.set_ylabel("score (higher is better)")
    if title is not None:
        ax.set_title(title)
    ax.legend(title="model", loc="upper right")
    return ax


def plot_sensitivity_heatmap(
    grid: pd.DataFrame,
    ax: "Axes | None" = None,
    *,
    title: str = "Mean AUC by number of factors and alpha",
    metric: str = "mean AUC",
) -> "Axes":
    """Draw a grid of mean AUCs as an annotated heatmap, the best cell in bold.

    Parameters
    ----------
    grid : pandas.DataFrame
        Mean AUC of ALS for each setting: index = numbers of factors, columns =
        values of alpha, values in [0, 1]. The axis names come from
        ``grid.index.name`` and ``grid.columns.name`` ("factors" and "alpha"
        when they are not set).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    title : str, default "Mean AUC by number of factors and alpha"
        The plot's title.
    metric : str, default "mean AUC"
        What the values are, written beside the colorbar (such as "NDCG@10").

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a colorbar is added beside them).

    Raises
    ------
    TypeError
        If ``grid`` is not a DataFrame, or ``ax`` is not a matplotlib Axes.
    ValueError
        If ``grid`` is empty, repeats a row or a column, or holds a value that
        is not a number in [0, 1].

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> grid = pd.DataFrame([[0.85, 0.86], [0.86, 0.87]], index=[10, 20], columns=[5, 15])
    >>> ax = plot_sensitivity_heatmap(grid)
    >>> [text.get_text() for text in ax.texts], ax.get_xlabel(), ax.get_ylabel()
    (['0.850', '0.860', '0.860', '0.870'], 'alpha', 'factors')
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    values = _checked_scores(grid, "grid")
    n_rows, n_columns = values.shape

    ax = _axes(ax, figsize=(1.1 * n_columns + 2.6, 0.8 * n_rows + 1.6))
    image, texts = _annotated_heatmap(ax, values, [str(i) for i in grid.index],
                                      [str(c) for c in grid.columns], fmt="{:.3f}",
                                      cmap="viridis", vmin=values.min(), vmax=values.max())
    texts[int(np.argmax(values))].set_fontweight("bold")
    ax.figure.colorbar(image, ax=ax, label=metric)
    ax.set_xlabel(grid.columns.name or "alpha")
    ax.set_ylabel(grid.index.name or "factors")
    ax.set_title(title)
    return ax


def plot_intervals(
    intervals: pd.DataFrame,
    ax: "Axes | None" = None,
    *,
    title: str | None = None,
    xlabel: str = "score (higher is better)",
) -> "Axes":
    """Draw each model's score as a dot with its interval, one row per model.

    Parameters
    ----------
    intervals : pandas.DataFrame
        Index: model names, drawn top to bottom; columns ``"mean"``, ``"low"``
        and ``"high"`` (such as one metric of
        :func:`~recsys_workshop.bootstrap.bootstrap_intervals`), numbers in
        [0, 1] with ``low <= mean <= high``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    title : str, optional
        The plot's title.
    xlabel : str, default "score (higher is better)"
        The label of the horizontal axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        If ``intervals`` is not a DataFrame, or ``ax`` is not a matplotlib Axes.
    ValueError
        If a column is missing, a value is not a number in [0, 1], or an
        interval does not hold its mean.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({"mean": [0.1, 0.2], "low": [0.08, 0.17], "high": [0.12, 0.22]},
    ...                      index=["ALS", "item-item"])
    >>> ax = plot_intervals(table)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['ALS', 'item-item']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    columns = ["mean", "low", "high"]
    if isinstance(intervals, pd.DataFrame) and not set(columns) <= set(intervals.columns):
        raise ValueError(f"intervals must have the columns {columns}, "
                         f"got {list(intervals.columns)}")
    values = _checked_scores(intervals[columns] if isinstance(intervals, pd.DataFrame)
                             else intervals, "intervals")
    mean, low, high = values.T
    outside = (low > mean) | (mean > high)
    if outside.any():
        row = plain(intervals.index[np.argmax(outside)])
        raise ValueError(f"the interval of {row!r} does not hold its mean")
    ax = _axes(ax, figsize=(6.4, 0.45 * len(intervals) + 1.4))
    rows = np.arange(len(intervals))
    ax.errorbar(mean, rows, xerr=[mean - low, high - mean], fmt="o", capsize=4)
    ax.set_yticks(rows, labels=[str(name) for name in intervals.index])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    if title is not None:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- helpers


def _axes(ax: Any, figsize: tuple[float, float]) -> "Axes":
    """``ax`` itself after checking it is an Axes, or the Axes of a new figure."""
    if ax is None:
        import matplotlib.pyplot as plt  # here: importing the module draws nothing

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {ax!r}")
    return ax


def _annotated_heatmap(
    ax: "Axes",
    values: np.ndarray,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    *,
    fmt: str,
    cmap: str,
    vmin: float,
    vmax: float,
) -> tuple["AxesImage", list["Text"]]:
    """Draw ``values`` as coloured cells labelled by row and column, each showing its value.

    Returns the image (for a colorbar) and the cells' texts, row by row: cell
    ``(i, j)`` is ``texts[i * n_columns + j]``.
    """
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax)
    n_rows, n_columns = values.shape
    ax.set_xticks(np.arange(n_columns), labels=column_labels)
    ax.set_yticks(np.arange(n_rows), labels=row_labels)
    ax.tick_params(length=0)
    texts = []
    for (i, j), value in np.ndenumerate(values):
        red, green, blue, _ = image.cmap(image.norm(value))
        dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5  # perceived brightness
        texts.append(ax.text(j, i, fmt.format(value), ha="center", va="center",
                             color="white" if dark else "black"))
    return image, texts


def _checked_vector(values: Any, name: str) -> np.ndarray:
    """``values`` as a non-empty 1-d float array (``nan`` and ``inf`` are left to the caller)."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 1-d array of numbers, got {values!r}") from None
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d array, got shape {array.shape}")
    return array


def _checked_matrix(values: Any, name: str) -> np.ndarray:
    """``values`` as a non-empty 2-d float array of finite numbers."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 2-d array of numbers, got {values!r}") from None
    if array.ndim != 2 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-d array, got shape {array.shape}")
    return check_finite(array, name)


def _check_small_square(shape: tuple[int, ...]) -> None:
    """Check that a similarity matrix of this shape can be drawn as an annotated heatmap."""
    if len(shape) != 2 or shape[0] != shape[1]:
        raise ValueError(f"similarity must be square (skus x skus), got shape {shape}")
    if shape[0] > MAX_ANNOTATED_SKUS:
        raise ValueError(f"similarity has {shape[0]} skus: an annotated heatmap stays readable "
                         f"up to {MAX_ANNOTATED_SKUS}; plot a slice of it")


def _checked_scores(table: Any, name: str) -> np.ndarray:
    """The values of a DataFrame of scores in [0, 1], with unique row and column labels."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
    if table.empty:
        raise ValueError(f"{name} is empty (shape {table.shape}): there is nothing to plot")
    for axis, labels in (("row", table.index), ("column", table.columns)):
        if labels.has_duplicates:
            repeated = labels[labels.duplicated()][0]
            raise ValueError(f"{name} repeats the {axis} {plain(repeated)!r}")
    for column, dtype in table.dtypes.items():
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise ValueError(f"{name}[{column!r}] must hold numbers, got dtype {dtype}")
    values = table.to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(f"{name} holds {plain(values[i, j])!r} for row "
                         f"{plain(table.index[i])!r}, column {plain(table.columns[j])!r}: "
                         "scores must be numbers in [0, 1]")
    return values


def plot_success_rates(rates: pd.Series, ax: "Axes | None" = None) -> "Axes":
    """Draw the share of a class that solved each exercise, one horizontal bar each.

    Parameters
    ----------
    rates : pandas.Series
        Index: exercise labels, in the order to show them (top to bottom);
        values: shares in [0, 1].
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        If ``rates`` is not a Series, or ``ax`` is not a matplotlib Axes.
    ValueError
        If ``rates`` is empty or holds a value that is not a share.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_success_rates(pd.Series([1.0, 0.25], index=["1.1 f", "1.2 g"]))
    >>> [float(bar.get_width()) for bar in ax.patches]
    [100.0, 25.0]
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    if not isinstance(rates, pd.Series):
        raise TypeError(f"rates must be a pandas Series, got {type(rates).__name__}")
    if rates.empty:
        raise ValueError("rates is empty: there is no exercise to draw")
    shares = [check_share(value, f"rates[{label!r}]") for label, value in rates.items()]
    ax = _axes(ax, figsize=(7.0, 0.3 * len(shares) + 1.2))
    positions = np.arange(len(shares))[::-1]
    bars = ax.barh(positions, [100 * share for share in shares], color="tab:green")
    ax.bar_label(bars, fmt="{:.0f}%", padding=3, fontsize="small")
    ax.set_yticks(positions, labels=[str(label) for label in rates.index])
    ax.set_xlim(0, 110)
    ax.set_xlabel("notebooks that earned the exercise's full points (%)")
    ax.set_title("Success rate per exercise")
    return ax
