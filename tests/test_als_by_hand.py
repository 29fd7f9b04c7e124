"""Chapter 6's ALS by hand: exact half-steps, a decreasing loss, and the AUC of implicit."""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from recsys_workshop import als_by_hand
from recsys_workshop.als import fit_als
from recsys_workshop.als_by_hand import (
    als_solve_users,
    fit_als_by_hand,
    fold_in,
    make_fold_in,
)
from recsys_workshop.evaluate import calc_mean_auc


def _random_counts(seed: int, shape: tuple[int, int] = (30, 12), density: float = 0.3):
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 5, size=shape) * (rng.random(shape) < density)
    counts[0] = 0  # a customer with nothing
    counts[1] = rng.integers(1, 5, size=shape[1])  # a customer with everything
    return sp.csr_array(counts.astype(float))


def _loss(counts, alpha, user_factors, item_factors, regularization):
    """Hu, Koren and Volinsky's objective, computed densely."""
    confidence = 1.0 + alpha * counts.toarray()
    preference = (counts.toarray() != 0).astype(float)
    error = preference - user_factors @ item_factors.T
    penalty = regularization * ((user_factors ** 2).sum() + (item_factors ** 2).sum())
    return float((confidence * error ** 2).sum() + penalty)


def test_each_half_step_minimises_the_loss_over_its_factors():
    counts = _random_counts(0)
    item_factors = np.random.default_rng(1).normal(size=(12, 3))
    user_factors = als_solve_users(15.0 * counts, item_factors, 0.1)
    best = _loss(counts, 15.0, user_factors, item_factors, 0.1)
    rng = np.random.default_rng(2)
    for _ in range(20):
        nudged = user_factors + 1e-3 * rng.normal(size=user_factors.shape)
        assert _loss(counts, 15.0, nudged, item_factors, 0.1) > best


def test_a_customer_without_purchases_gets_zero_factors():
    counts = _random_counts(0)
    factors = als_solve_users(counts, np.random.default_rng(1).normal(size=(12, 4)), 0.1)
    has_cells = np.diff(counts.indptr) > 0
    assert not has_cells[0]
    assert np.array_equal(np.abs(factors).sum(axis=1) > 0, has_cells)


def test_the_loss_never_increases_over_the_iterations():
    counts = _random_counts(3)
    losses = [
        _loss(counts, 15.0, *fit_als_by_hand(counts, factors=4, iterations=n), 0.1)
        for n in range(1, 8)
    ]
    assert all(later <= earlier * (1 + 1e-5)
               for earlier, later in itertools.pairwise(losses)), losses
    assert losses[-1] < losses[0]


def test_batches_of_any_size_give_the_same_factors(monkeypatch):
    counts = _random_counts(4, shape=(200, 40), density=0.25)
    item_factors = np.random.default_rng(5).normal(size=(40, 5))
    whole = als_solve_users(counts, item_factors, 0.5)
    monkeypatch.setattr(als_by_hand, "_BATCH_ELEMENTS", 64)
    assert np.allclose(als_solve_users(counts, item_factors, 0.5), whole, rtol=1e-10)


def test_float32_factors_stay_float32_and_others_give_float64():
    counts = _random_counts(6)
    item_factors = np.random.default_rng(7).normal(size=(12, 3))
    single = als_solve_users(counts, item_factors.astype(np.float32), 0.1)
    double = als_solve_users(counts, item_factors, 0.1)
    assert (single.dtype, double.dtype) == (np.float32, np.float64)
    assert np.allclose(single, double, rtol=1e-3, atol=1e-4)
    assert als_solve_users(counts, np.ones((12, 2), dtype=np.int64), 0.1).dtype == np.float64


def test_fit_calls_the_half_step_it_is_given_twice_per_iteration():
    calls = []

    def counting(confidence, fixed, regularization):
        calls.append(confidence.shape)
        return als_solve_users(confidence, fixed, regularization)

    fit_als_by_hand(_random_counts(8), factors=2, iterations=3, solve=counting)
    assert calls == [(30, 12), (12, 30)] * 3


def test_the_same_seed_gives_the_same_factors():
    counts = _random_counts(9)
    first = fit_als_by_hand(counts, factors=3, iterations=2, random_state=4)
    second = fit_als_by_hand(counts, factors=3, iterations=2, random_state=4)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


def test_folding_in_a_basket_solves_the_same_equation_as_its_row():
    item_factors = np.random.default_rng(10).normal(size=(5, 3))
    basket = {"b": 2, "e": 1, "unknown": 7}
    skus = {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4}
    row = sp.csr_array(np.array([[0.0, 2.0, 0.0, 0.0, 1.0]]))
    expected = als_solve_users(40.0 * row, item_factors, 0.3)[0]
    assert np.allclose(fold_in(basket, skus, item_factors, 0.3, 40.0), expected)


def test_make_fold_in_computes_the_gram_matrix_once_and_folds_in_like_fold_in(monkeypatch):
    item_factors = np.random.default_rng(11).normal(size=(5, 3))
    skus = {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4}
    baskets = [{"b": 2, "e": 1}, {"a": 1}, {"c": 3, "d": 1, "unknown": 2}]
    expected = [fold_in(basket, skus, item_factors, 0.3, 40.0) for basket in baskets]
    grams = []
    original = als_by_hand._with_gram
    monkeypatch.setattr(als_by_hand, "_with_gram",
                        lambda factors: grams.append(1) or original(factors))
    fold = make_fold_in(skus, item_factors, 0.3, 40.0)
    folded = [fold(basket) for basket in baskets]
    assert len(grams) == 1  # Y^T Y once, not once a basket
    assert all(np.array_equal(x, y) for x, y in zip(folded, expected, strict=True))


def test_als_by_hand_finds_the_planted_tastes_of_synthetic_customers(synthetic_split):
    split = synthetic_split
    training, test, altered = split.training, split.test, split.altered
    model_auc, popularity_auc = calc_mean_auc(
        training, altered, fit_als_by_hand(training, factors=8, iterations=10), test)
    assert 0.5 < popularity_auc < model_auc <= 1.0


@pytest.mark.real_data
def test_als_by_hand_matches_implicit_on_the_real_data(real_split):
    training, test, altered = real_split.training, real_split.test, real_split.altered
    ours, _ = calc_mean_auc(training, altered, fit_als_by_hand(training), test)
    model = fit_als(training)
    theirs, _ = calc_mean_auc(training, altered, (model.user_factors, model.item_factors), test)
    assert ours == pytest.approx(theirs, abs=0.01)
