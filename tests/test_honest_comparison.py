"""Chapter 6's honest comparison: weighting, the split by date, bootstrap intervals, new metrics."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from implicit.evaluation import ndcg_at_k as implicit_ndcg_at_k
from implicit.evaluation import precision_at_k as implicit_precision_at_k
from implicit.nearest_neighbours import bm25_weight
from threadpoolctl import threadpool_limits

from recsys_workshop import bootstrap, pipeline, ranking, time_split, weighting
from recsys_workshop.als import fit_als
from recsys_workshop.evaluate import factor_scores, warm_users
from recsys_workshop.retail import clean_purchases
from recsys_workshop.synthetic import make_online_retail

RETAIL = make_online_retail(n_customers=120, n_skus=60, n_invoices=900, seed=3)
QUANTITIES = sp.csr_array(np.array([[1.0, 0.0, 24.0], [0.0, 3.0, 0.0], [2.0, 0.0, 0.0],
                                    [0.0, 0.0, 5.0]]))


# --- weighting --------------------------------------------------------------------------


@pytest.mark.parametrize(("scheme", "expected"), [
    ("raw", QUANTITIES.data),
    ("binary", np.ones(QUANTITIES.nnz)),
    ("log1p", np.log1p(QUANTITIES.data)),
    ("bm25", bm25_weight(QUANTITIES, K1=100, B=0.8).tocsr().data),
])
def test_weight_confidence_weighs_the_stored_cells_only(scheme, expected):
    before = QUANTITIES.copy()
    weighted = weighting.weight_confidence(QUANTITIES, scheme)
    assert weighted.format == "csr" and weighted.dtype == np.float64
    assert np.array_equal(weighted.indices, QUANTITIES.indices)
    assert np.allclose(weighted.data, expected)
    assert (QUANTITIES != before).nnz == 0, "the input is not modified"


@pytest.mark.parametrize(("matrix", "scheme", "error", "message"), [
    (QUANTITIES.tocsc(), "raw", TypeError, "CSR"),
    (QUANTITIES, "tfidf", ValueError, "tfidf"),
    (QUANTITIES, 2, TypeError, "scheme"),
    (sp.csr_array(np.array([[1.0, -3.0]])), "log1p", ValueError, "-3"),
])
def test_weight_confidence_rejects_bad_input(matrix, scheme, error, message):
    with pytest.raises(error, match=message):
        weighting.weight_confidence(matrix, scheme)


# --- the split by date ------------------------------------------------------------------


def _cutoffs():
    dates = RETAIL["InvoiceDate"]
    return dates.quantile(0.6).floor("D"), dates.quantile(0.8).floor("D")


def test_split_by_date_never_leaks_the_future():
    cutoff, end = _cutoffs()
    before, after = time_split.split_by_date(RETAIL, cutoff, end)
    assert (before["InvoiceDate"] < cutoff).all()
    assert ((after["InvoiceDate"] >= cutoff) & (after["InvoiceDate"] < end)).all()
    between = (RETAIL["InvoiceDate"] >= cutoff) & (RETAIL["InvoiceDate"] < end)
    assert len(before) + len(after) == (RETAIL["InvoiceDate"] < cutoff).sum() + between.sum()


def test_date_split_trains_on_the_past_and_tests_on_new_purchases_of_the_period():
    cutoff, end = _cutoffs()
    split = time_split.date_split(RETAIL, cutoff, end)
    known = RETAIL["CustomerID"].notna()
    past = clean_purchases(RETAIL[known & (RETAIL["InvoiceDate"] < cutoff)])
    period = clean_purchases(
        RETAIL[known & (RETAIL["InvoiceDate"] >= cutoff) & (RETAIL["InvoiceDate"] < end)])
    trained = {(split.customers[u], split.skus[i])
               for u, i in zip(*split.training.nonzero(), strict=True)}
    assert trained == set(zip(past["CustomerID"], past["StockCode"], strict=True))
    new = set(zip(period["CustomerID"], period["StockCode"], strict=True)) - trained
    held_out = sp.csr_array(split.test != 0).astype(int) - sp.csr_array(split.training != 0)
    assert {(split.customers[u], split.skus[i])
            for u, i in zip(*held_out.nonzero(), strict=True)} == new
    evaluated = set(split.users.tolist()) | set(split.cold_users.tolist())
    assert evaluated == {int(np.searchsorted(split.customers, c)) for c, _ in new}
    assert (np.diff(split.training.indptr)[split.cold_users] == 0).all()
    assert (np.diff(split.training.indptr)[split.users] > 0).all()


def test_a_validation_split_reads_nothing_from_the_test_period():
    cutoff, end = _cutoffs()
    later = RETAIL.assign(Quantity=np.where(RETAIL["InvoiceDate"] >= end, 999, RETAIL["Quantity"]))
    one = time_split.date_split(RETAIL, cutoff, end)
    other = time_split.date_split(later, cutoff, end)
    assert (one.training != other.training).nnz == 0 and (one.test != other.test).nnz == 0


def test_split_by_date_rejects_bad_bounds():
    cutoff, end = _cutoffs()
    with pytest.raises(TypeError, match="datetime"):
        time_split.split_by_date(RETAIL, str(cutoff))
    with pytest.raises(ValueError, match="after cutoff"):
        time_split.split_by_date(RETAIL, end, cutoff)
    with pytest.raises(KeyError, match="InvoiceDate"):
        time_split.split_by_date(RETAIL.drop(columns="InvoiceDate"), cutoff)


# --- clean populations, recall, coverage ------------------------------------------------


TRAIN = sp.csr_array(np.array([[1.0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 0, 0, 0]]))
TEST = sp.csr_array(np.array([[1.0, 0, 1, 0, 0], [0, 1, 1, 0, 0], [1, 1, 0, 1, 1]]))
SCORES = np.array([0.1, 0.5, 0.4, 0.3, 0.2])


def test_customers_without_a_training_purchase_are_counted_apart_not_averaged():
    warm, cold = warm_users(TRAIN, [0, 1, 2])
    assert warm.tolist() == [0, 2] and cold.tolist() == [1]
    table = ranking.customer_metrics(TRAIN, [0, 1, 2], TEST, SCORES, k=2)
    assert table.index.tolist() == [0, 2]
    assert table.attrs["no training purchase"] == 1
    metrics = ranking.ranking_metrics(TRAIN, [0, 1, 2], TEST, SCORES, k=2)
    assert metrics["customers"] == 2 and metrics["no training purchase"] == 1
    assert metrics["recall@2"] == pytest.approx(np.mean([1 / 1, 1 / 2]))


def test_recall_and_coverage():
    assert ranking.recall_at_k([3, 1, 4], {1, 2}, 2) == 0.5
    assert ranking.recall_at_k([3, 1, 4], set(), 2) == 0.0
    assert ranking.catalogue_coverage(np.array([[1, 2], [2, -1]]), 5) == pytest.approx(0.4)
    with pytest.raises(ValueError, match="outside"):
        ranking.catalogue_coverage(np.array([[5]]), 5)
    with pytest.raises(TypeError, match="integers"):
        ranking.catalogue_coverage(np.array([[0.5]]), 5)


# --- agreement with implicit.evaluation -------------------------------------------------


def _as_implicit(matrix):
    converted = sp.csr_matrix(matrix, dtype=np.float32)
    converted.indices = converted.indices.astype(np.int32)
    converted.indptr = converted.indptr.astype(np.int32)
    return converted


def test_ndcg_and_pooled_precision_agree_with_implicit_evaluation():
    split = pipeline.retail_split(RETAIL)
    model = fit_als(split.training, factors=8, iterations=10, random_state=0)
    held_out = _as_implicit((split.test != 0) > (split.training != 0))
    with threadpool_limits(limits=1, user_api="blas"):
        theirs_ndcg = implicit_ndcg_at_k(model, _as_implicit(split.training), held_out, K=10,
                                         show_progress=False)
        theirs_precision = implicit_precision_at_k(model, _as_implicit(split.training), held_out,
                                                   K=10, show_progress=False)
    users = np.flatnonzero(np.diff(held_out.indptr))
    shelves = ranking.top_k_unseen(split.training, users,
                                   factor_scores(model.user_factors, model.item_factors), 10)
    relevant = [set(held_out[[user]].indices.tolist()) for user in users]
    ours_ndcg = np.mean([ranking.ndcg_at_k(shelf.tolist(), items, 10)
                         for shelf, items in zip(shelves, relevant, strict=True)])
    hits = [ranking.precision_at_k(shelf.tolist(), items, 10) * 10
            for shelf, items in zip(shelves, relevant, strict=True)]
    pooled = np.sum(hits) / np.sum([min(10, len(items)) for items in relevant])
    assert ours_ndcg == pytest.approx(theirs_ndcg, abs=1e-6)
    assert pooled == pytest.approx(theirs_precision, abs=1e-6)


# --- bootstrap --------------------------------------------------------------------------


def _tables(seed=0, n=300):
    rng = np.random.default_rng(seed)
    good = pd.DataFrame({"hit": (rng.random(n) < 0.6).astype(float), "score": rng.random(n)})
    bad = pd.DataFrame({"hit": (rng.random(n) < 0.3).astype(float), "score": rng.random(n)})
    return {"good": good, "bad": bad}


def test_the_bootstrap_is_deterministic_for_a_seed_and_covers_its_estimate():
    tables = _tables()
    one = bootstrap.bootstrap_intervals(tables, seed=7)
    assert one.equals(bootstrap.bootstrap_intervals(tables, seed=7))
    assert not one.equals(bootstrap.bootstrap_intervals(tables, seed=8))
    assert ((one["low"] <= one["mean"]) & (one["mean"] <= one["high"])).all()
    assert one.loc[("good", "hit"), "mean"] == pytest.approx(tables["good"]["hit"].mean())
    assert np.array_equal(bootstrap.resampled_means(tables["good"], 50, seed=1),
                          bootstrap.resampled_means(tables["good"], 50, seed=1))


def test_the_interval_narrows_as_customers_grow():
    small = bootstrap.bootstrap_intervals(_tables(n=100))
    large = bootstrap.bootstrap_intervals(_tables(n=3000))
    assert ((large["high"] - large["low"]) < (small["high"] - small["low"])).all()


def test_a_difference_is_a_win_only_when_its_interval_excludes_zero():
    tables = _tables()
    differences = bootstrap.bootstrap_differences(tables, [("good", "bad"), ("bad", "good")])
    assert differences.loc[("good - bad", "hit"), "verdict"] == "good"
    assert differences.loc[("bad - good", "hit"), "verdict"] == "good"
    same = bootstrap.bootstrap_differences({"a": tables["good"], "b": tables["good"].copy()},
                                           [("a", "b")])
    assert (same["verdict"] == "no clear winner").all()
    assert (same["mean"] == 0).all()


def test_the_bootstrap_rejects_tables_on_other_customers():
    tables = _tables()
    with pytest.raises(ValueError, match="same customers"):
        bootstrap.bootstrap_intervals({"a": tables["good"], "b": tables["bad"].iloc[1:]})
    with pytest.raises(KeyError, match="nobody"):
        bootstrap.bootstrap_differences(tables, [("good", "nobody")])
    with pytest.raises(ValueError, match="NaN"):
        bootstrap.resampled_means([0.5, np.nan])
