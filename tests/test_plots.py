"""recsys_workshop.plots: every figure draws what it should and refuses what it cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from matplotlib.colors import to_rgba
from matplotlib.ticker import NullFormatter

from recsys_workshop import plots
from recsys_workshop.plots import (
    plot_auc_distributions,
    plot_engine_growth,
    plot_intervals,
    plot_long_tail,
    plot_metric_bars,
    plot_sensitivity_heatmap,
    plot_similarity_heatmap,
    plot_success_rates,
    plot_timings,
)
from recsys_workshop.timing import time_growth

TOY_SIMILARITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.338], [0.0, 0.338, 1.0]])
METRICS = pd.DataFrame(
    {"mean AUC": [0.811, 0.84, 0.872], "precision@10": [0.05, 0.09, 0.11],
     "NDCG@10": [0.06, 0.1, 0.13]},
    index=["popularity", "item-item", "ALS"],
)
INTERVALS = pd.DataFrame({"mean": [0.16, 0.18], "low": [0.15, 0.17], "high": [0.17, 0.19]},
                         index=["ALS, binary", "item-item, binary"])
GRID = pd.DataFrame([[0.85, 0.86, 0.855], [0.86, 0.872, 0.865]], index=[10, 20],
                    columns=[1, 15, 40])
# As growth_study's points, in a DataFrame: each engine's training time on growing shops.
GROWTH = pd.DataFrame({"scale": [1, 1, 4, 4, 16, 16],
                       "engine": ["spark", "implicit"] * 3,
                       "cells": [1_000, 1_000, 4_000, 4_000, 16_000, 16_000],
                       "seconds": [2.0, 0.01, 4.0, 0.04, 8.0, 0.16]})


@pytest.fixture(autouse=True)
def close_figures():
    """Every test starts and ends with no open figure."""
    plt.close("all")
    yield
    plt.close("all")


def texts(ax):
    return [text.get_text() for text in ax.texts]


def legend(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def tick_labels(ticks):
    return [label.get_text() for label in ticks]


# Every function: the axes it is given, the checks of `ax`, no figure left on a refusal.

RATES = pd.Series([1.0, 0.25, 0.0], index=["1.1 f", "1.2 g", "2.1 h"])
DRAWINGS = {
    "plot_timings": lambda ax: plot_timings({"f": [(1, 0.1), (2, 0.4)]}, ax=ax),
    "plot_engine_growth": lambda ax: plot_engine_growth(GROWTH, ax=ax),
    "plot_long_tail": lambda ax: plot_long_tail([3, 1, 2], ax=ax),
    "plot_auc_distributions": lambda ax: plot_auc_distributions({"ALS": [0.9, 0.7]}, ax=ax),
    "plot_similarity_heatmap": lambda ax: plot_similarity_heatmap(TOY_SIMILARITY, ax=ax),
    "plot_metric_bars": lambda ax: plot_metric_bars(METRICS, ax=ax),
    "plot_sensitivity_heatmap": lambda ax: plot_sensitivity_heatmap(GRID, ax=ax),
    "plot_intervals": lambda ax: plot_intervals(INTERVALS, ax=ax),
    "plot_success_rates": lambda ax: plot_success_rates(RATES, ax=ax),
}


def test_every_function_of_the_module_is_tested_here():
    assert sorted(DRAWINGS) == sorted(plots.__all__)


@pytest.mark.parametrize("draw", DRAWINGS.values(), ids=DRAWINGS.keys())
def test_each_function_draws_on_the_axes_it_is_given(draw):
    _, (left, right) = plt.subplots(1, 2)
    assert draw(right) is right
    assert right.has_data()
    assert not left.has_data() and not left.texts


@pytest.mark.parametrize("draw", DRAWINGS.values(), ids=DRAWINGS.keys())
def test_each_function_makes_its_own_figure_without_axes(draw):
    ax = draw(None)
    assert plt.get_fignums() == [ax.figure.number]


@pytest.mark.parametrize("draw", DRAWINGS.values(), ids=DRAWINGS.keys())
def test_each_function_rejects_something_that_is_not_axes(draw):
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None, got 'left'"):
        draw("left")
    assert plt.get_fignums() == []


# plot_timings ------------------------------------------------------------------------


@pytest.fixture
def results():
    return {"loops": [(10, 0.01), (20, 0.04), (40, 0.16)], "algebra": [(10, 0.001), (40, 0.002)]}


def test_plot_timings_draws_one_log_log_curve_per_function(results):
    ax = plot_timings(results, title="similarity", xlabel="skus")
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert ax.get_title() == "similarity"
    assert ax.get_xlabel() == "skus"
    assert ax.get_ylabel() == "seconds (best of n)"
    assert [line.get_label() for line in ax.get_lines()] == ["loops", "algebra"]
    assert legend(ax) == ["loops", "algebra"]
    loops = ax.get_lines()[0]
    assert list(loops.get_xdata()) == [10, 20, 40]
    assert list(loops.get_ydata()) == [0.01, 0.04, 0.16]


def test_plot_timings_accepts_a_time_growth_result():
    measured = time_growth({"f": lambda data: None}, [1, 2], lambda n: n, repeat=1)
    ax = plot_timings(measured)
    assert len(ax.get_lines()) == 1
    assert len(ax.get_lines()[0].get_xdata()) == 2


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ({}, ValueError, "results is empty"),
        ([(10, 0.1)], TypeError, "results must be a dict"),
        ({"f": []}, ValueError, r"results\['f'\] is empty"),
        ({"f": [(10, 0.0)]}, ValueError, r"results\['f'\] holds \(10, 0.0\)"),
        ({"f": [(-1, 0.1)]}, ValueError, r"holds \(-1, 0.1\)"),
    ],
)
def test_plot_timings_rejects_what_a_log_scale_cannot_show(bad, error, message):
    with pytest.raises(error, match=message):
        plot_timings(bad)
    assert plt.get_fignums() == []  # no empty figure left behind


# plot_engine_growth ------------------------------------------------------------------


def test_plot_engine_growth_draws_one_log_log_line_per_engine_with_its_slope():
    ax = plot_engine_growth(GROWTH)
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert legend(ax) == ["spark (slope 0.50)", "implicit (slope 1.00)"]  # first seen first
    spark, implicit = ax.get_lines()
    assert list(spark.get_xdata()) == [1_000, 4_000, 16_000]
    assert list(spark.get_ydata()) == [2.0, 4.0, 8.0]
    assert list(implicit.get_ydata()) == [0.01, 0.04, 0.16]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("stored cells (customer-sku pairs)",
                                                  "training seconds")
    assert ax.get_title() == "Training time as the shop grows"
    assert isinstance(ax.xaxis.get_minor_formatter(), NullFormatter)  # no overlapping labels


def test_plot_engine_growth_sorts_each_engine_by_size_and_labels_a_single_point_plainly():
    shuffled = GROWTH.iloc[::-1]
    ax = plot_engine_growth(shuffled, title=None)
    assert list(ax.get_lines()[1].get_xdata()) == [1_000, 4_000, 16_000]
    assert ax.get_title() == ""
    ax = plot_engine_growth(GROWTH[GROWTH["scale"] == 1], title="one shop")
    assert legend(ax) == ["spark", "implicit"]
    assert ax.get_title() == "one shop"


@pytest.mark.parametrize(
    ("growth", "error", "message"),
    [
        (GROWTH.to_dict("list"), TypeError, "growth must be a pandas DataFrame, got dict"),
        (GROWTH.drop(columns="cells"), ValueError, r"growth has no column\(s\) \['cells'\]"),
        (GROWTH.iloc[:0], ValueError, "growth is empty"),
        (GROWTH.assign(seconds=[2.0, 0.0, 4.0, 0.04, 8.0, 0.16]), ValueError,
         r"growth of 'implicit' holds \(1000, 0.0\): sizes and seconds must be positive"),
        (GROWTH.assign(cells=["a"] * 6), ValueError, "growth of 'spark' holds"),
    ],
)
def test_plot_engine_growth_rejects_what_a_log_log_plot_cannot_show(growth, error, message):
    with pytest.raises(error, match=message):
        plot_engine_growth(growth)
    assert plt.get_fignums() == []


# plot_long_tail ----------------------------------------------------------------------


def test_plot_long_tail_ranks_the_skus_from_most_to_least_bought_on_a_log_scale():
    counts = np.array([2, 50, 1, 7, 1, 3, 1, 1, 12, 1, 4, 1, 1, 1, 9, 1, 2, 1, 1, 1])
    ax = plot_long_tail(counts)
    (line,) = ax.get_lines()
    assert line.get_xdata().tolist() == list(range(1, 21))
    assert line.get_ydata().tolist() == sorted(counts.tolist(), reverse=True)
    assert ax.get_yscale() == "log" and ax.get_xscale() == "linear"
    assert ax.get_title() == "The long tail"
    assert ax.get_xlabel() == "skus, from most to least bought"
    # the head: the 2 most bought of 20 skus hold (50 + 12) / 101 of the pairs
    (span,) = ax.patches
    assert span.get_x() == 0.5 and span.get_width() == 2
    assert legend(ax)[1] == "top 10% of the skus:\n61% of the (customer, sku) pairs"


def test_plot_long_tail_takes_the_head_share_and_at_least_one_sku():
    ax = plot_long_tail([1, 2, 3, 4], head=0.5, title="tail")
    assert ax.get_title() == "tail"
    assert legend(ax)[1] == "top 50% of the skus:\n70% of the (customer, sku) pairs"
    ax = plot_long_tail([1, 2, 3, 4], head=0.01)
    assert ax.patches[0].get_width() == 1  # 1% of 4 skus is still one sku
    assert legend(ax)[1] == "top 1% of the skus:\n40% of the (customer, sku) pairs"


def test_plot_long_tail_counts_skus_without_customers_but_cannot_draw_them():
    ax = plot_long_tail(np.array([0, 9, 1, 0]), head=0.25)
    assert legend(ax)[1] == "top 25% of the skus:\n90% of the (customer, sku) pairs"
    assert np.ma.count_masked(ax.get_lines()[0].get_ydata()) == 0  # the data are kept as given
    assert ax.get_ylim()[0] > 0


@pytest.mark.parametrize(
    ("counts", "kwargs", "error", "message"),
    [
        ([], {}, ValueError, r"customers_per_sku must be a non-empty 1-d array, got shape \(0,\)"),
        ([[1, 2]], {}, ValueError, r"got shape \(1, 2\)"),
        (["a", "b"], {}, ValueError, "customers_per_sku must be a 1-d array of numbers"),
        ([3, -1], {}, ValueError, r"customers_per_sku holds -1.0: counts must be finite and >= 0"),
        ([3, np.nan], {}, ValueError, "customers_per_sku holds nan"),
        ([0, 0], {}, ValueError, "customers_per_sku is all zeros"),
        ([1, 2], {"head": 1.0}, ValueError, "head must be a share strictly between 0 and 1, got 1"),
        ([1, 2], {"head": 0}, ValueError, "got 0"),
        ([1, 2], {"head": "10%"}, TypeError, "head must be a number, got '10%'"),
    ],
)
def test_plot_long_tail_rejects_what_is_not_a_count_per_sku(counts, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_long_tail(counts, **kwargs)
    assert plt.get_fignums() == []


# plot_auc_distributions --------------------------------------------------------------


def test_plot_auc_distributions_draws_one_histogram_per_scorer_without_the_nans():
    popularity = np.array([0.55, 0.81, np.nan, 0.9, 0.75])
    model = np.array([0.95, 0.41, 0.88, np.nan, 1.0, 0.87])
    ax = plot_auc_distributions({"popularity": popularity, "ALS": model}, bins=10)
    assert len(ax.patches) == 20  # 10 bars per scorer
    heights = [bar.get_height() for bar in ax.patches]
    assert sum(heights[:10]) == 4 and sum(heights[10:]) == 5  # nan left out
    assert heights[10:][4] == 1  # 0.41 falls in [0.4, 0.5)
    assert [bar.get_x() for bar in ax.patches[:10]] == pytest.approx(np.linspace(0, 0.9, 10))
    assert legend(ax) == ["random ranking", "popularity (mean 0.753)", "ALS (mean 0.822)"]
    (random_line,) = ax.get_lines()
    assert list(random_line.get_xdata()) == [0.5, 0.5]
    assert ax.get_xlim() == (0.0, 1.0)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "AUC of one customer", "customers", "Per-customer AUC")


def test_plot_auc_distributions_draws_the_last_scorer_on_top():
    ax = plot_auc_distributions({"popularity": [0.8], "ALS": [0.9]}, bins=4)
    popularity_bars, model_bars = ax.containers
    assert all(bar.zorder <= later.zorder for bar in popularity_bars for later in model_bars)
    assert popularity_bars[0].get_facecolor() != model_bars[0].get_facecolor()


@pytest.mark.parametrize(
    ("aucs", "kwargs", "error", "message"),
    [
        ([0.5, 0.7], {}, TypeError, "aucs must be a dict of name -> per-customer AUCs, got list"),
        ({}, {}, ValueError, "aucs is empty"),
        ({"ALS": [np.nan]}, {}, ValueError, r"aucs\['ALS'\] holds no AUC: every value is nan"),
        ({"ALS": [0.5, 1.2]}, {}, ValueError, r"aucs\['ALS'\] holds 1.2: an AUC lies in \[0, 1\]"),
        ({"ALS": [[0.5]]}, {}, ValueError, r"aucs\['ALS'\] must be a non-empty 1-d array"),
        ({"ALS": [0.5]}, {"bins": 0}, ValueError, "bins must be >= 1, got 0"),
        ({"ALS": [0.5]}, {"bins": 2.5}, TypeError, "bins must be an integer, got 2.5"),
    ],
)
def test_plot_auc_distributions_rejects_what_is_not_per_customer_aucs(aucs, kwargs, error,
                                                                      message):
    with pytest.raises(error, match=message):
        plot_auc_distributions(aucs, **kwargs)
    assert plt.get_fignums() == []


# plot_similarity_heatmap -------------------------------------------------------------


def test_plot_similarity_heatmap_shows_every_cell_with_its_value_and_the_sku_labels():
    ax = plot_similarity_heatmap(TOY_SIMILARITY, labels=["s0", "s1", "s2"], title="toy")
    assert texts(ax) == ["1", "0", "0", "0", "1", "0.338", "0", "0.338", "1"]
    assert tick_labels(ax.get_xticklabels()) == ["s0", "s1", "s2"]
    assert tick_labels(ax.get_yticklabels()) == ["s0", "s1", "s2"]
    assert ax.get_title() == "toy"
    (image,) = ax.get_images()
    assert np.array_equal(image.get_array(), TOY_SIMILARITY)
    assert image.get_clim() == (0.0, 1.0)
    assert image.colorbar is not None and image.colorbar.ax.get_ylabel() == "cosine similarity"
    # text stays readable: white on the darkest cells, black on the lightest
    assert to_rgba(ax.texts[0].get_color()) == to_rgba("white")
    assert to_rgba(ax.texts[1].get_color()) == to_rgba("black")


def test_plot_similarity_heatmap_labels_skus_by_index_and_accepts_sparse_input():
    ax = plot_similarity_heatmap(sp.csc_array(TOY_SIMILARITY))
    assert tick_labels(ax.get_yticklabels()) == ["sku 0", "sku 1", "sku 2"]
    assert texts(ax)[5] == "0.338"


def test_plot_similarity_heatmap_refuses_a_large_sparse_matrix_before_densifying_it():
    huge = sp.eye_array(1_000_000, format="csc")  # 8 TB once dense
    with pytest.raises(ValueError, match="similarity has 1000000 skus"):
        plot_similarity_heatmap(huge)


def test_plot_similarity_heatmap_widens_the_scale_for_negative_similarities():
    ax = plot_similarity_heatmap(np.array([[1.0, -0.5], [-0.5, 1.0]]))
    assert ax.get_images()[0].get_clim() == (-1.0, 1.0)
    assert texts(ax) == ["1", "-0.5", "-0.5", "1"]


@pytest.mark.parametrize(
    ("similarity", "labels", "message"),
    [
        (np.ones((2, 3)), None, r"similarity must be square \(skus x skus\), got shape \(2, 3\)"),
        (np.ones(3), None, r"similarity must be a non-empty 2-d array, got shape \(3,\)"),
        (np.eye(21), None, "similarity has 21 skus: an annotated heatmap stays readable up to 20"),
        (np.array([[1.0, np.nan], [np.nan, 1.0]]), None, r"similarity holds nan at \[0, 1\]"),
        (np.array([[1.0, 2.5], [2.5, 1.0]]), None, r"similarity holds 2.5: .* lies in \[-1, 1\]"),
        (np.array([["a"]]), None, "similarity must be a 2-d array of numbers"),
        (TOY_SIMILARITY, ["a", "b"], r"labels must give one name per sku \(3\), got 2"),
        (TOY_SIMILARITY, "abc", "labels must be a sequence of 3 names, got 'abc'"),
    ],
)
def test_plot_similarity_heatmap_rejects_what_is_not_a_small_similarity_matrix(
    similarity, labels, message
):
    with pytest.raises(ValueError, match=message):
        plot_similarity_heatmap(similarity, labels=labels)
    assert plt.get_fignums() == []


# plot_metric_bars --------------------------------------------------------------------


def test_plot_metric_bars_groups_one_bar_per_model_under_each_metric():
    ax = plot_metric_bars(METRICS, title="Three recommenders")
    assert len(ax.containers) == 3  # one group of bars per model
    for model, bars in zip(METRICS.index, ax.containers, strict=True):
        assert [bar.get_height() for bar in bars] == METRICS.loc[model].tolist()
        assert len({bar.get_facecolor() for bar in bars}) == 1  # one colour per model
    assert len({bars[0].get_facecolor() for bars in ax.containers}) == 3
    # the bars of one metric sit side by side around its tick, in the table's order
    lefts = [[bar.get_x() for bar in bars] for bars in ax.containers]
    for metric in range(3):
        assert lefts[0][metric] < lefts[1][metric] < lefts[2][metric]
        centre = np.mean([lefts[m][metric] + ax.containers[m][metric].get_width() / 2
                          for m in range(3)])
        assert centre == pytest.approx(ax.get_xticks()[metric])
    assert tick_labels(ax.get_xticklabels()) == ["mean AUC", "precision@10", "NDCG@10"]
    assert legend(ax) == ["popularity", "item-item", "ALS"]
    assert "0.872" in texts(ax) and "0.050" in texts(ax)  # every bar labelled with its value
    assert len(ax.texts) == 9
    assert ax.get_ylim()[0] == 0 and ax.get_ylim()[1] >= 1
    assert ax.get_title() == "Three recommenders"


def test_plot_metric_bars_labels_do_not_overlap_on_a_small_figure():
    # The deck's size and font: three bars a group leave little room for a label.
    with plt.rc_context({"font.size": 15}):
        _, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
        plot_metric_bars(METRICS.assign(**{"mean AUC": [0.811, 0.866, 0.872]}), ax=ax)
        ax.figure.canvas.draw()
        renderer = ax.figure.canvas.get_renderer()
        boxes = [text.get_window_extent(renderer) for text in ax.texts]
        top = ax.get_window_extent(renderer).y1
    assert all(box.y1 <= top for box in boxes)  # inside the axes
    for i, first in enumerate(boxes):
        for second in boxes[i + 1:]:
            assert not first.overlaps(second), (first, second)


@pytest.mark.parametrize(
    ("table", "error", "message"),
    [
        ({"AUC": [0.8]}, TypeError, "table must be a pandas DataFrame, got dict"),
        (pd.DataFrame(), ValueError, r"table is empty \(shape \(0, 0\)\)"),
        (METRICS.assign(**{"NDCG@10": [0.1, 1.5, 0.2]}), ValueError,
         r"table holds 1.5 for row 'item-item', column 'NDCG@10': scores must be numbers in \[0, "),
        (METRICS.assign(**{"NDCG@10": [0.1, np.nan, 0.2]}), ValueError, "table holds nan"),
        (METRICS.assign(**{"NDCG@10": ["a", "b", "c"]}), ValueError,
         r"table\['NDCG@10'\] must hold numbers"),
        (pd.DataFrame({"AUC": [0.8, 0.9]}, index=["ALS", "ALS"]), ValueError,
         "table repeats the row 'ALS'"),
    ],
)
def test_plot_metric_bars_rejects_what_is_not_a_table_of_scores(table, error, message):
    with pytest.raises(error, match=message):
        plot_metric_bars(table)
    assert plt.get_fignums() == []


# plot_sensitivity_heatmap ------------------------------------------------------------


def test_plot_sensitivity_heatmap_annotates_every_setting_and_marks_the_best():
    ax = plot_sensitivity_heatmap(GRID)
    assert texts(ax) == ["0.850", "0.860", "0.855", "0.860", "0.872", "0.865"]
    bold = [text.get_text() for text in ax.texts if text.get_fontweight() == "bold"]
    assert bold == ["0.872"]
    assert tick_labels(ax.get_xticklabels()) == ["1", "15", "40"]
    assert tick_labels(ax.get_yticklabels()) == ["10", "20"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("alpha", "factors")
    (image,) = ax.get_images()
    assert np.array_equal(image.get_array(), GRID.to_numpy())
    assert image.get_clim() == (0.85, 0.872)  # the colours spread over the measured range
    assert image.colorbar.ax.get_ylabel() == "mean AUC"
    assert ax.get_title() == "Mean AUC by number of factors and alpha"


def test_plot_sensitivity_heatmap_takes_its_axis_names_from_the_grid():
    grid = GRID.rename_axis(index="k", columns="confidence scale")
    ax = plot_sensitivity_heatmap(grid, title="grid")
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("confidence scale", "k", "grid")


@pytest.mark.parametrize(
    ("grid", "error", "message"),
    [
        (GRID.to_numpy(), TypeError, "grid must be a pandas DataFrame, got ndarray"),
        (GRID.iloc[:0], ValueError, r"grid is empty \(shape \(0, 3\)\)"),
        (GRID.replace(0.872, -0.1), ValueError, "grid holds -0.1 for row 20, column 15"),
        (GRID.set_axis([1, 1, 40], axis=1), ValueError, "grid repeats the column 1"),
    ],
)
def test_plot_sensitivity_heatmap_rejects_what_is_not_a_grid_of_aucs(grid, error, message):
    with pytest.raises(error, match=message):
        plot_sensitivity_heatmap(grid)
    assert plt.get_fignums() == []


def test_plot_sensitivity_heatmap_names_its_metric_beside_the_colorbar():
    ax = plot_sensitivity_heatmap(GRID, metric="NDCG@10")
    (image,) = ax.get_images()
    assert image.colorbar.ax.get_ylabel() == "NDCG@10"


# plot_intervals ----------------------------------------------------------------------


def test_plot_intervals_draws_each_mean_with_its_interval_top_to_bottom():
    ax = plot_intervals(INTERVALS, title="NDCG@10", xlabel="NDCG@10")
    assert tick_labels(ax.get_yticklabels()) == ["ALS, binary", "item-item, binary"]
    (container,) = ax.containers
    points, _, (bars,) = container.lines
    assert np.allclose(points.get_xdata(), INTERVALS["mean"])
    ends = [segment[:, 0].tolist() for segment in bars.get_segments()]
    assert np.allclose(ends, INTERVALS[["low", "high"]].to_numpy())
    assert ax.yaxis_inverted() and (ax.get_title(), ax.get_xlabel()) == ("NDCG@10", "NDCG@10")


@pytest.mark.parametrize(
    ("intervals", "error", "message"),
    [
        (INTERVALS.to_numpy(), TypeError, "intervals must be a pandas DataFrame"),
        (INTERVALS.drop(columns="low"), ValueError, "must have the columns"),
        (INTERVALS.assign(low=[0.17, 0.17]), ValueError, "'ALS, binary' does not hold its mean"),
        (INTERVALS.assign(high=[0.17, 1.5]), ValueError, "scores must be numbers in"),
    ],
)
def test_plot_intervals_rejects_what_is_not_a_table_of_intervals(intervals, error, message):
    with pytest.raises(error, match=message):
        plot_intervals(intervals)
    assert plt.get_fignums() == []


# plot_success_rates ------------------------------------------------------------------


def test_plot_success_rates_draws_one_labelled_bar_per_exercise_top_to_bottom():
    ax = plot_success_rates(RATES)
    assert [bar.get_width() for bar in ax.patches] == [100.0, 25.0, 0.0]
    assert [bar.get_y() for bar in ax.patches] == sorted(
        (bar.get_y() for bar in ax.patches), reverse=True)
    assert tick_labels(ax.get_yticklabels()) == ["1.1 f", "1.2 g", "2.1 h"]
    assert texts(ax) == ["100%", "25%", "0%"]


@pytest.mark.parametrize(("rates", "error", "message"), [
    ([0.5], TypeError, "rates must be a pandas Series, got list"),
    (pd.Series([], dtype=float), ValueError, "rates is empty"),
    (pd.Series([1.5], index=["1.1 f"]), ValueError, "rates\\['1.1 f'\\]"),
    (pd.Series([float("nan")], index=["1.1 f"]), ValueError, "rates\\['1.1 f'\\]"),
])
def test_plot_success_rates_rejects_what_is_not_a_share_per_exercise(rates, error, message):
    with pytest.raises(error, match=message):
        plot_success_rates(rates)
    assert plt.get_fignums() == []
