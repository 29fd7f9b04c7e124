"""per_user_auc: one AUC per altered customer, as sklearn computes it on their candidates."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import roc_auc_score

from recsys_workshop.evaluate import calc_mean_auc, mean_auc, per_user_auc, popularity
from recsys_workshop.split import make_train


def _expected(training, test, altered, scores):
    """Per-user roc_auc_score over the skus the user has not in training, nan if undefined."""
    train, full = training.toarray(), test.toarray()
    result = []
    for user in altered:
        candidates = train[user] == 0
        labels = full[user, candidates] != 0
        if labels.all() or not labels.any():
            result.append(np.nan)
        else:
            result.append(roc_auc_score(labels, scores[user, candidates]))
    return np.array(result)


@pytest.fixture
def small_split():
    rng = np.random.default_rng(7)
    dense = np.where(rng.random((12, 9)) < 0.45, rng.integers(1, 6, (12, 9)), 0).astype(float)
    dense[0] = [1, 2, 3, 1, 1, 1, 1, 1, 0]  # one unseen sku: may end up all positive
    dense[1] = 0
    dense[1, 4] = 2.0
    training, test, altered = make_train(sp.csr_array(dense), pct_test=0.3, seed=1)
    return training, test, altered, rng


def test_model_scores_match_sklearn_per_user(small_split):
    training, test, altered, rng = small_split
    # Rounded scores make ties, which both count one half.
    scores = np.round(rng.standard_normal(test.shape), 1)
    got = per_user_auc(training, altered, test, lambda rows: scores[rows].copy())
    want = _expected(training, test, altered, scores)
    assert got.shape == (len(altered),)
    np.testing.assert_allclose(got, want, equal_nan=True)
    assert mean_auc(training, altered, test, lambda rows: scores[rows].copy()) == pytest.approx(
        np.nanmean(want)
    )


def test_shared_scores_match_sklearn_and_calc_mean_auc(small_split):
    training, test, altered, rng = small_split
    shared = popularity(training)
    got = per_user_auc(training, altered, test, shared)
    want = _expected(training, test, altered, np.tile(shared, (test.shape[0], 1)))
    np.testing.assert_allclose(got, want, equal_nan=True)
    # The same numbers through the callable path.
    np.testing.assert_allclose(
        per_user_auc(training, altered, test, lambda rows: np.tile(shared, (len(rows), 1))),
        want, equal_nan=True,
    )
    factors = (rng.standard_normal((test.shape[0], 3)), rng.standard_normal((test.shape[1], 3)))
    model = per_user_auc(training, altered, test, lambda rows: factors[0][rows] @ factors[1].T)
    assert calc_mean_auc(training, altered, factors, test) == pytest.approx(
        (np.nanmean(model), np.nanmean(got))
    )


def test_undefined_users_are_nan():
    test = sp.csr_array(np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]))
    train = sp.csr_array(np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]))
    got = per_user_auc(train, [0, 1, 2], test, np.array([0.0, 1.0, 2.0]))
    assert got[0] == 0.0
    assert np.isnan(got[1]) and np.isnan(got[2])


def test_wrong_shared_scores_raise():
    test = sp.csr_array(np.array([[1.0, 1.0, 0.0]]))
    train = sp.csr_array(np.array([[1.0, 0.0, 0.0]]))
    with pytest.raises(ValueError, match="shape"):
        per_user_auc(train, [0], test, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="undefined"):
        mean_auc(train, [0], sp.csr_array(np.array([[1.0, 1.0, 1.0]])), np.zeros(3))
