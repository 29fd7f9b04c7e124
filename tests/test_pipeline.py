"""Chapter 5 end to end: raw table -> purchases -> split -> ALS -> mean AUC.

The real-data tests pin the numbers the workshop promises; the synthetic ones
run everywhere, on data with planted tastes that ALS should find. The splits
(``real_split``, ``synthetic_split``) are :func:`recsys_workshop.pipeline.retail_split`'s.
"""

import math

import numpy as np
import pytest
import scipy.sparse as sp

from recsys_workshop.als import fit_als
from recsys_workshop.evaluate import calc_mean_auc, factor_scores, popularity
from recsys_workshop.pipeline import retail_split
from recsys_workshop.retail import build_purchase_matrix, clean_purchases
from recsys_workshop.split import make_train
from recsys_workshop.synthetic import make_online_retail


@pytest.mark.real_data
def test_real_purchases_have_the_documented_size(real_split):
    purchases, matrix = real_split.purchases, real_split.matrix
    customers, skus = real_split.customers, real_split.skus
    assert len(purchases) == 266_723
    assert purchases["CustomerID"].nunique() == len(customers) == 4_338
    assert purchases["StockCode"].nunique() == len(skus) == 3_664
    assert matrix.shape == (4_338, 3_664)
    assert matrix.nnz == 266_723


@pytest.mark.real_data
def test_real_split_hides_a_fifth_of_the_purchases(real_split):
    matrix, training, test = real_split.matrix, real_split.training, real_split.test
    altered = real_split.altered
    assert matrix.nnz - training.nnz == math.ceil(0.2 * 266_723)
    assert test.nnz == matrix.nnz
    assert len(altered) > 4_000


@pytest.mark.real_data
def test_als_beats_popularity_on_the_real_data_as_in_the_original_analysis(real_split):
    training, test, altered = real_split.training, real_split.test, real_split.altered
    model = fit_als(training, factors=20, regularization=0.1, alpha=15.0, iterations=50,
                    random_state=0)
    model_auc, popularity_auc = calc_mean_auc(
        training, altered, (model.user_factors, model.item_factors), test
    )
    assert model_auc == pytest.approx(0.87, abs=0.01)
    assert popularity_auc == pytest.approx(0.81, abs=0.01)


def test_the_split_is_chapter_5s_steps_one_after_the_other():
    retail = make_online_retail(n_customers=40, n_skus=30, seed=8)
    split = retail_split(retail, pct_test=0.3, seed=4)
    purchases = clean_purchases(retail)
    matrix, customers, skus = build_purchase_matrix(purchases)
    training, test, altered = make_train(matrix, pct_test=0.3, seed=4)
    assert split.purchases.equals(purchases)
    assert (split.matrix != matrix).nnz == 0 and (split.training != training).nnz == 0
    assert (split.test != test).nnz == 0 and split.altered == altered
    assert split.customers.tolist() == customers.tolist()
    assert split.skus.tolist() == skus.tolist()


def test_popularity_counts_customers_in_training_not_quantities():
    training = sp.coo_array(np.array([[30.0, 0.0, 1.0], [2.0, 0.0, 0.0]]))
    assert popularity(training).tolist() == [2.0, 0.0, 1.0]
    with pytest.raises(TypeError, match=r"training_set must be a scipy\.sparse matrix"):
        popularity(np.eye(2))


def test_factor_scores_are_each_rows_products_with_every_sku():
    rng = np.random.default_rng(2)
    users, items = rng.normal(size=(5, 3)), rng.normal(size=(7, 3))
    score_rows = factor_scores(users, items)
    np.testing.assert_allclose(score_rows(np.array([4, 0])), (users @ items.T)[[4, 0]])


@pytest.mark.parametrize(("users", "items", "message"), [
    (np.ones((2, 3)), np.ones((4, 2)), "user_factors has 3 factors but item_factors has 2"),
    (np.array([[1.0, np.nan]]), np.ones((4, 2)), "user_factors"),
    (np.ones((2, 2)), np.ones(4), "item_factors must be 2-d"),
])
def test_factor_scores_refuse_factors_that_do_not_fit(users, items, message):
    with pytest.raises(ValueError, match=message):
        factor_scores(users, items)


def test_als_finds_the_planted_tastes_of_synthetic_customers(synthetic_split):
    split = synthetic_split
    training, test, altered = split.training, split.test, split.altered
    model = fit_als(training, factors=8, iterations=10)
    model_auc, popularity_auc = calc_mean_auc(
        training, altered, (model.user_factors, model.item_factors), test
    )
    assert 0.5 < popularity_auc < model_auc <= 1.0


def test_the_same_als_fit_twice_gives_the_same_factors(synthetic_split):
    training = synthetic_split.training
    first, second = (fit_als(training, factors=8, iterations=5) for _ in range(2))
    np.testing.assert_array_equal(first.user_factors, second.user_factors)
    np.testing.assert_array_equal(first.item_factors, second.item_factors)
    other_seed = fit_als(training, factors=8, iterations=5, random_state=1)
    assert not np.array_equal(first.user_factors, other_seed.user_factors)


def test_fit_als_runs_on_the_cpu_whatever_the_machine(synthetic_split):
    training = synthetic_split.training
    model = fit_als(training, factors=4, iterations=1)
    assert type(model).__module__ == "implicit.cpu.als"
    assert isinstance(model.user_factors, np.ndarray)


def test_fit_als_refuses_a_dense_matrix():
    with pytest.raises(TypeError, match="ndarray"):
        fit_als(np.eye(3))
