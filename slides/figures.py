"""The deck's figures, drawn by ``recsys_workshop.plots`` from measurements made at build time.

The timing curves are measured on the machine that builds the deck (small
sizes, a few seconds in all); the long tail and the per-customer AUCs come
from the chapter 5 pipeline run on the real Online Retail data. Every random
draw is seeded, so only the timings change from one build to the next.
"""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # the build draws files, never windows

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.metrics.pairwise import cosine_similarity

from recsys_workshop import plots
from recsys_workshop.als import fit_als
from recsys_workshop.bootstrap import bootstrap_intervals
from recsys_workshop.evaluate import factor_scores, per_user_auc, popularity
from recsys_workshop.pipeline import retail_split
from recsys_workshop.ranking import compare_recommenders, customer_metrics
from recsys_workshop.recommend import item_item_scores, top_n_indices
from recsys_workshop.similarity import (
    build_algebraic_similarity_matrix,
    build_algebraic_sparse_similarity_matrix,
    build_similarity_matrix,
)
from recsys_workshop.timing import time_growth
from recsys_workshop.weighting import SCHEMES, weight_confidence

#: Matplotlib settings of every figure: readable from the back of a room, and
#: SVG files that do not change when the data do not (no date, fixed ids).
STYLE = {
    "font.size": 15,
    "figure.figsize": (8.0, 4.4),
    "svg.hashsalt": "recsys-workshop",
}

#: The size of a figure that shares its slide with text.
NARROW = (6.4, 4.8)

#: The original workshop's three customers x three skus (chapters 1 and 2).
TOY_MATRIX = np.array([[0.5, 0.0, 0.0], [0.0, 8.5, 0.5], [0.0, 2.5, 8.5]])

LOOPS, DENSE, SPARSE, SKLEARN = (
    "Python loops (2.3)",
    "dense algebra (3.1)",
    "sparse algebra (3.3)",
    "scikit-learn cosine_similarity",
)
#: The chapter 3 race: four ways to the same skus x skus matrix.
SIMILARITY_CONTENDERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    LOOPS: lambda matrices: build_similarity_matrix(matrices["dense"]),
    DENSE: lambda matrices: build_algebraic_similarity_matrix(matrices["dense"]),
    SPARSE: lambda matrices: build_algebraic_sparse_similarity_matrix(matrices["csc"]),
    SKLEARN: lambda matrices: cosine_similarity(matrices["csc"].T),
}
SIMILARITY_SIZES = [10, 20, 40, 80, 160, 320, 640, 1280]
#: Chapter 2's timing: loops against scikit-learn, at the sizes of its notebook.
LOOPS_SIZES = [10, 20, 40, 80, 160]
TOP_N_SIZES = [1_000, 10_000, 100_000, 1_000_000]


def draw_all(folder: Path, retail: pd.DataFrame) -> list[Path]:
    """Measure and draw every figure of the deck into ``folder``.

    Parameters
    ----------
    folder : pathlib.Path
        An existing folder; the figures are written there as SVG files.
    retail : pandas.DataFrame
        The raw Online Retail table.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    written = []
    with plt.rc_context(STYLE):
        for draw in (_toy_similarity, _similarity_timings, _top_n_timings):
            written += _timed(draw, folder)
        written += _timed(_retail_figures, folder, retail)
    return written


def _timed(draw: Callable[..., list[Path]], *args: Any) -> list[Path]:
    start = time.perf_counter()
    written = draw(*args)
    names = ", ".join(path.name for path in written)
    print(f"  {names} ({time.perf_counter() - start:.1f} s)", flush=True)
    return written


def _save(ax: Any, path: Path) -> Path:
    ax.figure.savefig(path, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(ax.figure)
    return path


def _toy_similarity(folder: Path) -> list[Path]:
    _, ax = plt.subplots(figsize=(5.2, 4.2), layout="constrained")
    plots.plot_similarity_heatmap(build_similarity_matrix(TOY_MATRIX), ax=ax,
                                  labels=["sku 0", "sku 1", "sku 2"])
    return [_save(ax, folder / "similarity_heatmap.svg")]


def _chapter2_interactions(n_skus: int) -> np.ndarray:
    """Chapter 2's seeded random scores: 1,000 customers, about 5% of the cells filled."""
    rng = np.random.default_rng(0)
    scores = rng.choice([0.5, 2.0, 2.5, 6.0, 8.5], size=(1_000, n_skus))
    return np.where(rng.random((1_000, n_skus)) < 0.05, scores, 0.0)


def _random_interactions(n_skus: int) -> dict[str, Any]:
    """Chapter 3's seeded random scores: 2,000 customers, 1% of the cells filled."""
    rng = np.random.default_rng(0)
    matrix = sp.random_array(
        (2_000, n_skus), density=0.01, format="csc", rng=rng,
        data_sampler=lambda size: rng.choice([0.5, 2.0, 2.5, 6.0, 8.5], size=size),
    )
    return {"csc": matrix, "dense": matrix.toarray()}


def _similarity_timings(folder: Path) -> list[Path]:
    chapter2 = time_growth(
        {LOOPS: build_similarity_matrix, SKLEARN: lambda matrix: cosine_similarity(matrix.T)},
        LOOPS_SIZES, _chapter2_interactions, max_seconds=0.5, threads=1)
    _, half = plt.subplots(figsize=NARROW, layout="constrained")  # beside text on its slide
    loops = plots.plot_timings(chapter2, ax=half, xlabel="number of skus $n$")
    race = time_growth(SIMILARITY_CONTENDERS, SIMILARITY_SIZES, _random_interactions,
                       max_seconds=0.2, threads=1)
    _, whole = plt.subplots(figsize=(11.5, 4.4), layout="constrained")  # room for the legend
    everyone = plots.plot_timings(race, ax=whole, xlabel="number of skus $n$")
    # The steepest curve (the loops) crosses the whole plot: the legend goes beside it.
    everyone.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    return [_save(loops, folder / "similarity_loops.svg"),
            _save(everyone, folder / "similarity_race.svg")]


def _top_n_timings(folder: Path) -> list[Path]:
    def random_scores(n_skus: int) -> np.ndarray:
        return np.random.default_rng(0).random(n_skus)

    contenders = {
        "full sort, then keep 10": lambda scores: np.argsort(-scores)[:10],
        "partial selection of 10, then sort them": lambda scores: top_n_indices(scores, 10),
    }
    race = time_growth(contenders, TOP_N_SIZES, random_scores, threads=1)
    _, ax = plt.subplots(figsize=NARROW, layout="constrained")
    plots.plot_timings(race, ax=ax, xlabel="number of skus $m$")
    return [_save(ax, folder / "top_n.svg")]


def _retail_figures(folder: Path, retail: pd.DataFrame) -> list[Path]:
    """Chapter 5's pipeline and figures, and chapter 6's comparisons on the same split.

    The original analysis's parameters; popularity, item-item and ALS side by
    side; then both models on each weighting of the purchases, with bootstrap
    intervals.
    """
    split = retail_split(retail)
    training, test, altered = split.training, split.test, split.altered
    model = fit_als(training, alpha=15.0, factors=20, regularization=0.1, iterations=50,
                    random_state=0)
    item_item = item_item_scores(training)
    scorers = {
        "popularity": popularity(training),
        "item-item": lambda rows: item_item[rows],
        "ALS": factor_scores(model.user_factors, model.item_factors),
    }
    aucs = {name: per_user_auc(training, altered, test, scorers[name])
            for name in ("popularity", "ALS")}
    auc_ax = plots.plot_auc_distributions(aucs)
    tail_ax = plots.plot_long_tail(popularity(split.matrix),
                                   title="")  # the slide's title says it
    table = compare_recommenders(training, altered, test, scorers)
    _, bars_ax = plt.subplots(figsize=NARROW, layout="constrained")
    plots.plot_metric_bars(table[["mean AUC", "precision@10", "recall@10", "NDCG@10"]],
                           ax=bars_ax)
    per_customer = {}
    for scheme in SCHEMES:
        weighted = weight_confidence(training, scheme)
        scores = item_item if scheme == "binary" else item_item_scores(weighted, binary=False)
        per_customer[f"item-item, {scheme}"] = customer_metrics(
            training, altered, test, lambda rows, scores=scores: scores[rows])
        fitted = model if scheme == "raw" else fit_als(weighted, alpha=15.0, factors=20,
                                                       regularization=0.1, iterations=50,
                                                       random_state=0)
        per_customer[f"ALS, {scheme}"] = customer_metrics(
            training, altered, test, factor_scores(fitted.user_factors, fitted.item_factors))
    intervals = bootstrap_intervals(per_customer, seed=0).xs("NDCG@10", level="metric")
    _, weighting_ax = plt.subplots(figsize=NARROW, layout="constrained")
    plots.plot_intervals(intervals, ax=weighting_ax, xlabel="NDCG@10, 95% interval")
    return [_save(tail_ax, folder / "long_tail.svg"),
            _save(auc_ax, folder / "auc_distributions.svg"),
            _save(bars_ax, folder / "metric_bars.svg"),
            _save(weighting_ax, folder / "weighting_ndcg.svg")]
