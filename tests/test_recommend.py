"""Chapter 4's neighbourhood recommenders: top-k pruning and the original workshop's prediction."""

import numpy as np
import pytest
import scipy.sparse as sp

from recsys_workshop.recommend import neighbourhood_scores, top_k_neighbours


def _random_similarity(seed, n=12, with_negatives=True):
    """A symmetric similarity with a unit diagonal, some zeros, some ties and maybe negatives."""
    rng = np.random.default_rng(seed)
    values = rng.choice([-0.4, -0.1, 0.0, 0.0, 0.2, 0.2, 0.5, 0.7, 0.9], size=(n, n))
    if not with_negatives:
        values = np.abs(values)
    similarity = np.triu(values, 1)
    return similarity + similarity.T + np.eye(n)


def _nearest(candidates, similarity_row, k):
    """The ``k`` candidates of largest similarity, ties to the smaller index, by brute force."""
    return sorted(candidates, key=lambda j: (-similarity_row[j], j))[:k]


def _brute_neighbourhood(similarity, r, k, normalise):
    scores = np.zeros(len(r))
    for i in range(len(r)):
        neighbours = _nearest([j for j in np.flatnonzero(r) if j != i], similarity[i], k)
        total = sum(similarity[i, j] * r[j] for j in neighbours)
        weight = sum(abs(similarity[i, j]) for j in neighbours)
        scores[i] = (total / weight if weight else 0.0) if normalise else total
    return scores


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [1, 2, 4, 20])
def test_top_k_neighbours_keeps_each_skus_k_nearest_others(seed, k):
    similarity = _random_similarity(seed)
    pruned = top_k_neighbours(similarity, k)
    assert isinstance(pruned, sp.csr_array)
    expected = np.zeros_like(similarity)
    for i in range(similarity.shape[0]):
        others = [j for j in range(similarity.shape[0]) if j != i]
        for j in _nearest(others, similarity[i], k):
            expected[i, j] = similarity[i, j]
    assert np.array_equal(pruned.toarray(), expected)
    assert np.all(np.diff(pruned.indptr) <= k)
    assert not np.any(pruned.diagonal())


def test_top_k_neighbours_reads_every_sparse_format_alike():
    similarity = _random_similarity(7)
    dense = top_k_neighbours(similarity, 3).toarray()
    for matrix in (sp.csr_array(similarity), sp.csc_matrix(similarity), sp.coo_array(similarity)):
        assert np.array_equal(top_k_neighbours(matrix, 3).toarray(), dense)


def test_top_k_neighbours_does_not_modify_its_input():
    similarity = sp.csr_array(_random_similarity(8))
    before = similarity.copy()
    top_k_neighbours(similarity, 2)
    assert (similarity != before).nnz == 0


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [1, 2, 3, 20])
@pytest.mark.parametrize("normalise", [False, True])
def test_neighbourhood_scores_follow_the_definition(seed, k, normalise):
    similarity = _random_similarity(seed)
    r = np.random.default_rng(100 + seed).choice([0.0, 0.0, 0.0, 0.5, 2.5, 8.5], size=12)
    r[seed] = 1.0  # at least one interaction
    expected = _brute_neighbourhood(similarity, r, k, normalise)
    assert np.allclose(neighbourhood_scores(similarity, r, k, normalise=normalise), expected)
    column = sp.csc_array(r[:, None])
    assert np.allclose(neighbourhood_scores(sp.csr_array(similarity), column, k,
                                            normalise=normalise), expected)


def test_with_every_neighbour_the_scores_are_s_r_without_the_sku_itself():
    similarity = _random_similarity(3, with_negatives=False)
    r = np.array([0, 2.5, 0, 8.5, 1, 0, 0, 0, 0, 0, 0, 0.5])
    expected = (similarity - np.diag(np.diag(similarity))) @ r
    assert np.allclose(neighbourhood_scores(similarity, r, 12), expected)


def test_normalised_scores_average_the_customers_scores():
    # Every neighbour scored 2: a weighted average of 2s is 2, whatever the weights.
    similarity = _random_similarity(4, with_negatives=False)
    r = np.where(np.arange(12) % 3 == 0, 2.0, 0.0)
    scores = neighbourhood_scores(similarity, r, 2, normalise=True)
    has_neighbour = (similarity - np.eye(12))[:, r != 0].any(axis=1)
    assert np.allclose(scores[has_neighbour], 2.0)
    assert np.all(scores[~has_neighbour] == 0.0)


def test_the_original_workshops_toy_customer():
    # Chapter 4's toy: three skus, customer c2 = (0, 2.5, 8.5).
    similarity = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.8], [0.0, 0.8, 1.0]])
    r = np.array([0.0, 2.5, 8.5])
    assert np.allclose(neighbourhood_scores(similarity, r, 1), [0.0, 6.8, 2.0])
    assert np.allclose(neighbourhood_scores(similarity, r, 1, normalise=True), [0.0, 8.5, 2.5])
