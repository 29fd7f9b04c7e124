"""Chapter 5 end to end: raw table -> purchases -> split -> ALS -> mean AUC.

The real-data tests pin the numbers the workshop promises; the synthetic ones
run everywhere, on data with planted tastes that ALS should find.
"""

import math

import numpy as np
import pytest

from recsys_workshop.als import fit_als
from recsys_workshop.evaluate import calc_mean_auc
from recsys_workshop.retail import build_purchase_matrix, clean_purchases
from recsys_workshop.split import make_train
from recsys_workshop.synthetic import make_online_retail


@pytest.fixture(scope="module")
def real_split(retail):
    purchases = clean_purchases(retail)
    matrix, customers, skus = build_purchase_matrix(purchases)
    return purchases, matrix, customers, skus, make_train(matrix, pct_test=0.2, seed=0)


@pytest.mark.real_data
def test_real_purchases_have_the_documented_size(real_split):
    purchases, matrix, customers, skus, _ = real_split
    assert len(purchases) == 266_723
    assert purchases["CustomerID"].nunique() == len(customers) == 4_338
    assert purchases["StockCode"].nunique() == len(skus) == 3_664
    assert matrix.shape == (4_338, 3_664)
    assert matrix.nnz == 266_723


@pytest.mark.real_data
def test_real_split_hides_a_fifth_of_the_purchases(real_split):
    *_, matrix, _, _, (training, test, altered) = real_split
    assert matrix.nnz - training.nnz == math.ceil(0.2 * 266_723)
    assert test.nnz == matrix.nnz
    assert len(altered) > 4_000


@pytest.mark.real_data
def test_als_beats_popularity_on_the_real_data_as_in_the_original_analysis(real_split):
    *_, (training, test, altered) = real_split
    model = fit_als(training, factors=20, regularization=0.1, alpha=15.0, iterations=50,
                    random_state=0)
    model_auc, popularity_auc = calc_mean_auc(
        training, altered, (model.user_factors, model.item_factors), test
    )
    assert model_auc == pytest.approx(0.87, abs=0.01)
    assert popularity_auc == pytest.approx(0.81, abs=0.01)


@pytest.fixture(scope="module")
def synthetic_split():
    purchases = clean_purchases(make_online_retail(seed=3))
    matrix, _, _ = build_purchase_matrix(purchases)
    return make_train(matrix, pct_test=0.2, seed=0)


def test_als_finds_the_planted_tastes_of_synthetic_customers(synthetic_split):
    training, test, altered = synthetic_split
    model = fit_als(training, factors=8, iterations=10)
    model_auc, popularity_auc = calc_mean_auc(
        training, altered, (model.user_factors, model.item_factors), test
    )
    assert 0.5 < popularity_auc < model_auc <= 1.0


def test_the_same_als_fit_twice_gives_the_same_factors(synthetic_split):
    training, _, _ = synthetic_split
    first, second = (fit_als(training, factors=8, iterations=5) for _ in range(2))
    np.testing.assert_array_equal(first.user_factors, second.user_factors)
    np.testing.assert_array_equal(first.item_factors, second.item_factors)
    other_seed = fit_als(training, factors=8, iterations=5, random_state=1)
    assert not np.array_equal(first.user_factors, other_seed.user_factors)


def test_fit_als_runs_on_the_cpu_whatever_the_machine(synthetic_split):
    training, _, _ = synthetic_split
    model = fit_als(training, factors=4, iterations=1)
    assert type(model).__module__ == "implicit.cpu.als"
    assert isinstance(model.user_factors, np.ndarray)


def test_fit_als_refuses_a_dense_matrix():
    with pytest.raises(TypeError, match="ndarray"):
        fit_als(np.eye(3))
