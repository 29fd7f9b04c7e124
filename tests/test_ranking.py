"""Chapter 6's ranking evaluation: the top k unseen skus and the three metrics side by side."""

import numpy as np
import pytest
import scipy.sparse as sp

from recsys_workshop.evaluate import per_user_auc
from recsys_workshop.ranking import (
    compare_recommenders,
    ndcg_at_k,
    precision_at_k,
    ranking_metrics,
    top_k_unseen,
)
from recsys_workshop.recommend import build_customer_vector, item_item_scores
from recsys_workshop.similarity import build_algebraic_similarity_matrix

TRAIN = sp.csr_array(np.array([[1.0, 0, 0, 0, 0], [0, 1, 0, 0, 0], [1, 1, 1, 1, 0]]))
TEST = sp.csr_array(np.array([[1.0, 0, 1, 0, 0], [0, 1, 0, 1, 1], [1, 1, 1, 1, 1]]))
SCORES = np.array([[0.9, 0.1, 0.5, 0.7, 0.2], [0.3, 0.8, 0.4, 0.1, 0.6],
                   [0.0, 0.0, 0.0, 0.0, 0.0]])


def _rows(rows):
    return SCORES[rows].copy()


def test_top_k_skips_the_trained_skus_and_sorts_best_first():
    assert top_k_unseen(TRAIN, [0, 1], _rows, 3).tolist() == [[3, 2, 4], [4, 2, 0]]


def test_top_k_pads_with_minus_one_when_too_few_skus_are_left():
    assert top_k_unseen(TRAIN, [2], _rows, 3).tolist() == [[4, -1, -1]]


def test_shared_scores_rank_like_the_same_row_for_everyone():
    shared = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    same_rows = top_k_unseen(TRAIN, [0, 1, 2], lambda rows: np.tile(shared, (len(rows), 1)), 2)
    assert np.array_equal(top_k_unseen(TRAIN, [0, 1, 2], shared, 2), same_rows)


def test_top_k_works_in_blocks(monkeypatch):
    from recsys_workshop import ranking

    rng = np.random.default_rng(0)
    training = sp.csr_array((rng.random((50, 20)) < 0.2).astype(float))
    scores = rng.random((50, 20))
    whole = top_k_unseen(training, np.arange(50), lambda rows: scores[rows], 5)
    monkeypatch.setattr(ranking, "_BLOCK_ELEMENTS", 40)
    assert np.array_equal(top_k_unseen(training, np.arange(50), lambda rows: scores[rows], 5),
                          whole)


def test_ranking_metrics_averages_over_the_customers_with_an_auc():
    metrics = ranking_metrics(TRAIN, [0, 1, 2], TEST, _rows, k=2)
    # Customer 2 has no negative sku left: no AUC, so it is left out of all three.
    recommended = {0: [3, 2], 1: [4, 2]}
    relevant = {0: {2}, 1: {3, 4}}
    aucs = per_user_auc(TRAIN, [0, 1, 2], TEST, _rows)
    assert metrics == {
        "mean AUC": pytest.approx(np.nanmean(aucs)),
        "precision@2": pytest.approx(np.mean([precision_at_k(recommended[u], relevant[u], 2)
                                              for u in (0, 1)])),
        "recall@2": pytest.approx(np.mean([1 / 1, 1 / 2])),
        "NDCG@2": pytest.approx(np.mean([ndcg_at_k(recommended[u], relevant[u], 2)
                                         for u in (0, 1)])),
        "coverage@2": pytest.approx(3 / 5),  # skus 2, 3 and 4 on the shelves
        "customers": 2,
        "no training purchase": 0,
    }


def test_ranking_metrics_uses_the_metrics_it_is_given():
    seen = []

    def precision(recommended, relevant, k):
        seen.append((recommended, relevant, k))
        return 1.0

    metrics = ranking_metrics(TRAIN, [0, 1], TEST, _rows, k=2, precision=precision)
    assert metrics["precision@2"] == 1.0
    assert seen == [([3, 2], {2}, 2), ([4, 2], {3, 4}, 2)]


def test_ndcg_is_one_for_a_perfect_ranking_and_falls_as_hits_move_down():
    assert ndcg_at_k([1, 2, 9], {1, 2}, 3) == pytest.approx(1.0)
    assert ndcg_at_k([9, 1, 2], {1, 2}, 3) < ndcg_at_k([1, 9, 2], {1, 2}, 3) < 1.0


def test_compare_recommenders_gives_one_row_of_ranking_metrics_per_recommender():
    scorers = {"rows": _rows, "shared": np.array([5.0, 4.0, 3.0, 2.0, 1.0])}
    table = compare_recommenders(TRAIN, [0, 1, 2], TEST, scorers, k=2)
    assert list(table.index) == ["rows", "shared"]
    for name, scorer in scorers.items():
        assert table.loc[name].to_dict() == pytest.approx(
            ranking_metrics(TRAIN, [0, 1, 2], TEST, scorer, k=2))


def test_item_item_scores_are_chapter_4s_scores_of_binary_purchases():
    quantities = np.array([[3.0, 0, 1, 0], [0, 12, 1, 0], [1, 0, 0, 2]])
    similarity = build_algebraic_similarity_matrix((quantities != 0).astype(float))
    scores = item_item_scores(sp.csr_array(quantities))
    skus = {f"s{j}": j for j in range(4)}
    for customer, row in enumerate(quantities):
        bought = {f"s{j}": 1.0 for j in np.flatnonzero(row)}
        vector = build_customer_vector(bought, skus).toarray()
        assert np.allclose(scores[customer], (similarity @ vector).ravel(), atol=1e-6)
    assert scores.dtype == np.float32
