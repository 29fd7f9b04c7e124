"""Bad inputs, kind by kind: every public function a kind applies to refuses it clearly.

Each test takes one kind of bad input (repeated items, bare strings, non-finite
values, truncating indices, duplicate indices, wrong shapes, errors that used
to be obscure) over every function it applies to, and checks the error type
and that the message names the bad value. Extreme magnitudes are not an error:
their tests check the numbers come out right.
"""

import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from recsys_workshop import (
    als,
    als_by_hand,
    evaluate,
    mapping,
    matrices,
    ranking,
    recommend,
    retail,
    serving,
    similarity,
    split,
)

SKUS = {"s0": 0, "s1": 1, "s2": 2}
TRAIN = sp.csr_array(np.array([[1.0, 0, 0, 0], [1, 0, 1, 0]]))
TEST = sp.csr_array(np.array([[1.0, 1, 0, 0], [1, 0, 1, 0]]))
FACTORS = (np.ones((2, 1)), np.array([[0.0], [3.0], [1.0], [2.0]]))  # AUCs (1.0, 0.25)
LOOKUP = pd.DataFrame({"StockCode": ["A", "B"], "Description": ["a", "b"]})
CATALOGUE = (sp.csr_array(np.array([[1.0, 0.0], [0.0, 0.0]])), np.array([12346, 12347]),
             np.array(["A", "B"]), LOOKUP)
RAW = pd.DataFrame({"CustomerID": [12346.0, 12347.0], "StockCode": ["85123A", "71053"],
                    "Quantity": [6, 2]})
PURCHASES = pd.DataFrame({"CustomerID": [12346, 12347], "StockCode": ["85123A", "71053"],
                          "Quantity": [6, 2]})


def case(name, call, error, *parts):
    """One bad call: ``call()`` must raise ``error`` with every one of ``parts`` in its message."""
    return pytest.param(call, error, parts, id=name)


def assert_refused(call, error, parts):
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    for part in parts:
        assert part in message, f"{part!r} is not in the message {message!r}"


def _rec_items(customer_id=12346, user_vecs=None, customer_list=None):
    matrix, customers, items, lookup = CATALOGUE
    return retail.rec_items(customer_id, matrix,
                            np.ones((2, 1)) if user_vecs is None else user_vecs,
                            np.ones((2, 1)),
                            customers if customer_list is None else customer_list, items, lookup)


def _with_nan(matrix):
    """A copy of a sparse matrix whose first stored value is NaN."""
    bad = matrix.copy()
    bad.data[0] = np.nan
    return bad


# --- repeated items ------------------------------------------------------------------

REPEATED_ITEMS = [
    case(f"{metric.__name__}-{how}", lambda metric=metric, recommended=recommended:
         metric(recommended, ["a"], 2), ValueError, "'a' twice")
    for metric in (ranking.precision_at_k, ranking.ndcg_at_k)
    for how, recommended in (("list", ["a", "a"]), ("beyond-k", ["a", "b", "a"]),
                             ("array", np.array(["a", "b", "a"])))
]


@pytest.mark.parametrize(("call", "error", "parts"), REPEATED_ITEMS)
def test_a_ranking_with_a_repeated_item_is_refused(call, error, parts):
    assert_refused(call, error, parts)


def test_a_repeated_item_no_longer_inflates_the_metrics():
    """The red-team numbers: 1.63 and 1.0 for a ranking that repeats its only hit."""
    with pytest.raises(ValueError):
        ranking.ndcg_at_k(["a", "a"], ["a"], 2)
    assert ranking.ndcg_at_k(["a", "b"], ["a"], 2) == 1.0
    assert ranking.precision_at_k(["a", "b"], ["a"], 2) == 0.5


# --- bare strings where a collection is meant -------------------------------------------

BARE_STRINGS = [
    case("build_index_mapping", lambda: mapping.build_index_mapping("abc"), TypeError, "'abc'"),
    case("build_interactions_mapping-input_data",
         lambda: mapping.build_interactions_mapping("c0", {"c0": 0}, SKUS), TypeError, "'c0'"),
    case("build_interactions_mapping-record",
         lambda: mapping.build_interactions_mapping(["c0"], {"c0": 0}, SKUS), TypeError, "'c0'"),
    case("build_interactions_mapping-events",
         lambda: mapping.build_interactions_mapping([{"c0": "Browsed"}], {"c0": 0}, SKUS),
         TypeError, "'Browsed'"),
    case("build_interactions_mapping-customers_mapping",
         lambda: mapping.build_interactions_mapping([], "c0", SKUS), TypeError, "'c0'"),
    case("get_inverse_skus_map", lambda: mapping.get_inverse_skus_map("abc"), TypeError, "'abc'"),
    case("build_customer_vector-interactions",
         lambda: recommend.build_customer_vector("s0", SKUS), TypeError, "'s0'"),
    case("build_customer_vector-skus_mapping",
         lambda: recommend.build_customer_vector({"s0": 1.0}, "s0"), TypeError, "'s0'"),
    case("fold_in-basket", lambda: als_by_hand.fold_in("s0", SKUS, np.ones((3, 1))),
         TypeError, "'s0'"),
    case("fold_in-skus_mapping", lambda: als_by_hand.fold_in({"s0": 1}, "s0", np.ones((3, 1))),
         TypeError, "'s0'"),
    case("make_fold_in-basket", lambda: als_by_hand.make_fold_in(SKUS, np.ones((3, 1)))("s0"),
         TypeError, "'s0'"),
    *[case(f"{metric.__name__}-{which}", call, TypeError, "'85123A'")
      for metric in (ranking.precision_at_k, ranking.ndcg_at_k)
      for which, call in (
          ("recommended", lambda metric=metric: metric("85123A", ["85123A"], 1)),
          ("relevant", lambda metric=metric: metric(["85123A"], "85123A", 1)),
      )],
    case("compare_recommenders", lambda: ranking.compare_recommenders(TRAIN, [0], TEST, "pop"),
         TypeError, "'pop'"),
    case("basket_to_row", lambda: serving.basket_to_row("85123A", SKUS, 3), TypeError,
         "'85123A'"),
]


@pytest.mark.parametrize(("call", "error", "parts"), BARE_STRINGS)
def test_a_bare_string_is_not_taken_for_a_collection(call, error, parts):
    assert_refused(call, error, parts)


def test_the_red_team_string_no_longer_scores_zero():
    """precision_at_k(["85123A"], "85123A", 1) used to be 0.0; wrapped in a list it is 1.0."""
    assert ranking.precision_at_k(["85123A"], ["85123A"], 1) == 1.0


# --- extreme magnitudes: no error, the right numbers ----------------------------------

@pytest.mark.parametrize("value", [1e-200, 1e200, 5e-324, 1e308, -1e300])
def test_compute_similarity_of_an_extreme_array_with_itself_is_one(value):
    for array in (np.array([value, 0.0]), np.array([value, value])):
        assert similarity.compute_similarity(array, array) == 1.0


def test_compute_similarity_keeps_its_sign_and_zero_cases_at_extreme_magnitudes():
    assert similarity.compute_similarity(np.array([1e200, 0.0]), np.array([-1e-200, 0.0])) == -1.0
    assert similarity.compute_similarity(np.array([1e300, 1e300]), np.array([1e300, 0.0])) == (
        pytest.approx(2 ** -0.5))
    assert similarity.compute_similarity(np.array([1e200, 0.0]), np.zeros(2)) == 0.0


@pytest.mark.parametrize("scale", [1e-200, 1e200, 5e-300, 1e300])
@pytest.mark.parametrize("build", [
    similarity.build_similarity_matrix,
    similarity.build_algebraic_similarity_matrix,
    lambda matrix: similarity.build_algebraic_sparse_similarity_matrix(
        sp.csc_array(matrix)).toarray(),
], ids=["loops", "algebraic", "sparse"])
def test_similarity_matrices_are_the_same_for_huge_and_tiny_columns(build, scale):
    ordinary = np.array([[1.0, 0.0, 2.0, 0.0], [3.0, 0.0, 1.0, 1.0], [0.0, 0.0, 2.0, 5.0]])
    scaled = ordinary.copy()
    scaled[:, [0, 2]] *= scale  # two columns extreme, the others ordinary
    expected = similarity.build_algebraic_similarity_matrix(ordinary)
    got = build(scaled)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(np.diag(got), [1.0, 0.0, 1.0, 1.0], rtol=1e-15)


# --- NaN and infinity -----------------------------------------------------------------

NAN_TRAIN = _with_nan(TRAIN)
NON_FINITE = [
    case("compute_similarity", lambda: similarity.compute_similarity(
        np.array([1.0, np.nan]), np.ones(2)), ValueError, "nan", "[1]"),
    case("build_similarity_matrix", lambda: similarity.build_similarity_matrix(
        np.array([[1.0, np.inf]])), ValueError, "inf", "[0, 1]"),
    case("build_algebraic_similarity_matrix", lambda: similarity.build_algebraic_similarity_matrix(
        np.array([[np.nan, 1.0]])), ValueError, "nan", "[0, 0]"),
    case("build_algebraic_sparse_similarity_matrix",
         lambda: similarity.build_algebraic_sparse_similarity_matrix(NAN_TRAIN.tocsc()),
         ValueError, "nan", "[0, 0]"),
    case("build_interactions_matrix", lambda: matrices.build_interactions_matrix(
        {1: {0: np.inf}}, 2, 2), ValueError, "inf", "[1, 0]"),
    case("build_sparse_interactions_matrix", lambda: matrices.build_sparse_interactions_matrix(
        {0: {1: np.nan}}, 2, 2), ValueError, "nan", "[0, 1]"),
    case("build_customer_vector", lambda: recommend.build_customer_vector(
        {"s1": np.inf}, SKUS), ValueError, "inf", "'s1'"),
    case("make_recos-similarity", lambda: recommend.make_recos(
        sp.csc_array(np.array([[1.0, np.nan], [0.0, 1.0]])), np.ones(2), 1),
         ValueError, "nan", "[0, 1]"),
    case("make_recos-customer", lambda: recommend.make_recos(
        np.eye(2), sp.csc_array(np.array([[np.nan], [1.0]])), 1), ValueError, "nan", "[0, 0]"),
    case("top_k_neighbours", lambda: recommend.top_k_neighbours(
        sp.csr_array(np.array([[1.0, np.inf], [0.0, 1.0]])), 1), ValueError, "inf", "[0, 1]"),
    case("neighbourhood_scores-similarity", lambda: recommend.neighbourhood_scores(
        np.array([[1.0, 0.0], [np.nan, 1.0]]), np.ones(2), 1), ValueError, "nan", "[1, 0]"),
    case("neighbourhood_scores-customer", lambda: recommend.neighbourhood_scores(
        np.eye(2), np.array([1.0, np.nan]), 1), ValueError, "nan", "[1]"),
    case("top_n_indices", lambda: recommend.top_n_indices(np.array([1.0, np.nan]), 1),
         ValueError, "nan", "[1]"),
    case("item_item_scores", lambda: recommend.item_item_scores(NAN_TRAIN), ValueError, "nan"),
    case("make_train", lambda: split.make_train(NAN_TRAIN), ValueError, "nan", "[0, 0]"),
    case("build_purchase_matrix", lambda: retail.build_purchase_matrix(
        PURCHASES.assign(Quantity=[6.0, np.inf])), ValueError, "inf", "row 1"),
    case("clean_purchases", lambda: retail.clean_purchases(RAW.assign(Quantity=[6.0, -np.inf])),
         ValueError, "-inf", "row 1"),
    case("rec_items", lambda: _rec_items(user_vecs=np.array([[1.0], [np.nan]])),
         ValueError, "nan", "[1, 0]"),
    case("calc_mean_auc-factors", lambda: evaluate.calc_mean_auc(
        TRAIN, [0], (FACTORS[0], np.full((4, 1), np.nan)), TEST), ValueError, "nan", "[0, 0]"),
    case("calc_mean_auc-training_set", lambda: evaluate.calc_mean_auc(
        NAN_TRAIN, [0], FACTORS, TEST), ValueError, "nan", "[0, 0]"),
    case("per_user_auc-shared", lambda: evaluate.per_user_auc(
        TRAIN, [0], TEST, np.array([0.0, np.inf, 0, 0])), ValueError, "inf", "[1]"),
    case("per_user_auc-rows", lambda: evaluate.per_user_auc(
        TRAIN, [0], TEST, lambda rows: np.full((len(rows), 4), np.nan)), ValueError, "nan"),
    case("mean_auc", lambda: evaluate.mean_auc(
        TRAIN, [0], TEST, np.array([0.0, np.nan, 0, 0])), ValueError, "nan"),
    case("top_k_unseen-shared", lambda: ranking.top_k_unseen(
        TRAIN, [0], np.array([0.0, 1, np.nan, 0]), 1), ValueError, "nan", "[2]"),
    case("top_k_unseen-rows", lambda: ranking.top_k_unseen(
        TRAIN, [0], lambda rows: np.full((len(rows), 4), -np.inf), 1), ValueError, "-inf"),
    case("ranking_metrics", lambda: ranking.ranking_metrics(
        TRAIN, [0], TEST, np.array([np.nan, 0, 0, 0])), ValueError, "nan"),
    case("als_solve_users-confidence", lambda: als_by_hand.als_solve_users(
        NAN_TRAIN, np.ones((4, 2)), 0.1), ValueError, "nan", "[0, 0]"),
    case("als_solve_users-item_factors", lambda: als_by_hand.als_solve_users(
        TRAIN, np.full((4, 2), np.inf), 0.1), ValueError, "inf", "[0, 0]"),
    case("als_solve_users-regularization", lambda: als_by_hand.als_solve_users(
        TRAIN, np.ones((4, 2)), np.inf), ValueError, "inf"),
    case("fold_in-item_factors", lambda: als_by_hand.fold_in(
        {"s0": 1}, SKUS, np.array([[1.0], [np.nan], [0.0]])), ValueError, "nan", "[1, 0]"),
    case("fold_in-quantity", lambda: als_by_hand.fold_in(
        {"s0": np.inf}, SKUS, np.ones((3, 1))), ValueError, "inf", "'s0'"),
    case("fold_in-alpha", lambda: als_by_hand.fold_in(
        {"s0": 1}, SKUS, np.ones((3, 1)), alpha=np.nan), ValueError, "nan"),
    case("make_fold_in-item_factors", lambda: als_by_hand.make_fold_in(
        SKUS, np.array([[1.0], [np.inf], [0.0]])), ValueError, "inf", "[1, 0]"),
    case("make_fold_in-quantity", lambda: als_by_hand.make_fold_in(SKUS, np.ones((3, 1)))(
        {"s1": np.nan}), ValueError, "nan", "'s1'"),
    case("fit_als_by_hand", lambda: als_by_hand.fit_als_by_hand(NAN_TRAIN), ValueError,
         "nan", "[0, 0]"),
    case("fit_als_by_hand-regularization", lambda: als_by_hand.fit_als_by_hand(
        TRAIN, regularization=np.nan), ValueError, "nan"),
    case("fit_als", lambda: als.fit_als(NAN_TRAIN), ValueError, "nan", "[0, 0]"),
    case("recommend_known_or_popular-popularity", lambda: serving.recommend_known_or_popular(
        *FACTORS, TRAIN, np.array([0.0, np.nan, 0, 0]), None, 1), ValueError, "nan", "[1]"),
    case("basket_to_row-quantity", lambda: serving.basket_to_row({"s0": np.inf}, SKUS, 3),
         ValueError, "inf", "'s0'"),
    case("latency_summary", lambda: serving.latency_summary([0.1, np.nan]), ValueError, "nan"),
]


@pytest.mark.parametrize(("call", "error", "parts"), NON_FINITE)
def test_nan_and_infinity_are_refused_where_they_are(call, error, parts):
    assert_refused(call, error, parts)


# --- indices and values that used to be truncated ----------------------------------------

TRUNCATED = [
    *[case(f"{build.__name__}-{where}", lambda build=build, interactions=interactions:
           build(interactions, 2, 2), TypeError, shown)
      for build in (matrices.build_interactions_matrix, matrices.build_sparse_interactions_matrix)
      for where, interactions, shown in (("sku", {0: {0.7: 1.0}}, "0.7"),
                                         ("customer", {1.0: {0: 1.0}}, "1.0"),
                                         ("bool", {True: {0: 1.0}}, "True"))],
    case("get_inverse_skus_map", lambda: mapping.get_inverse_skus_map({"a": 0, "b": 1.0}),
         TypeError, "'b'", "1.0"),
    case("build_interactions_mapping", lambda: mapping.build_interactions_mapping(
        [], {"c0": 0.5}, SKUS), TypeError, "'c0'", "0.5"),
    case("build_customer_vector", lambda: recommend.build_customer_vector(
        {"a": 1.0}, {"a": 0.0}), TypeError, "'a'", "0.0"),
    case("fold_in", lambda: als_by_hand.fold_in({"a": 1}, {"a": 1.5}, np.ones((3, 1))),
         TypeError, "'a'", "1.5"),
    case("clean_purchases-CustomerID-1e20", lambda: retail.clean_purchases(
        RAW.assign(CustomerID=[12346.0, 1e20])), ValueError, "1e+20", "int64", "row 1"),
    case("clean_purchases-CustomerID-fraction", lambda: retail.clean_purchases(
        RAW.assign(CustomerID=[12346.5, 12347.0])), ValueError, "12346.5", "row 0"),
    case("clean_purchases-Quantity", lambda: retail.clean_purchases(
        RAW.assign(Quantity=[1.5, 2.0])), ValueError, "1.5", "whole numbers"),
    case("calc_mean_auc-users", lambda: evaluate.calc_mean_auc(TRAIN, [0.0], FACTORS, TEST),
         TypeError, "0.0"),
    case("per_user_auc-mask", lambda: evaluate.per_user_auc(
        TRAIN, [True, False], TEST, np.ones(4)), TypeError, "True"),
    case("top_k_unseen-users", lambda: ranking.top_k_unseen(TRAIN, [1.0], np.ones(4), 1),
         TypeError, "1.0"),
    case("make_recos-n", lambda: recommend.make_recos(np.eye(2), np.ones(2), 1.5),
         TypeError, "1.5"),
    case("top_k_neighbours-k", lambda: recommend.top_k_neighbours(np.eye(2), 1.5),
         TypeError, "1.5"),
    case("neighbourhood_scores-k", lambda: recommend.neighbourhood_scores(
        np.eye(2), np.ones(2), 2.0), TypeError, "2.0"),
    case("top_n_indices-n", lambda: recommend.top_n_indices(np.ones(2), 1.0), TypeError, "1.0"),
    case("make_train-seed", lambda: split.make_train(TRAIN, 0.5, 1.5), TypeError, "1.5"),
    case("recommend_known_or_popular-customer", lambda: serving.recommend_known_or_popular(
        *FACTORS, TRAIN, np.ones(4), 1.0, 1), TypeError, "1.0"),
    case("basket_to_row-column", lambda: serving.basket_to_row({"a": 1}, {"a": 1.0}, 3),
         TypeError, "'a'", "1.0"),
]


@pytest.mark.parametrize(("call", "error", "parts"), TRUNCATED)
def test_nothing_is_truncated_into_an_index_or_a_whole_number(call, error, parts):
    assert_refused(call, error, parts)


def test_numpy_integers_are_indices_too():
    assert matrices.build_interactions_matrix({np.int64(0): {np.int32(1): 2.0}}, 1, 2).tolist() \
        == [[0.0, 2.0]]
    assert mapping.get_inverse_skus_map({"a": np.int64(0)}) == {0: "a"}
    assert als_by_hand.fold_in({"a": 1}, {"a": np.int64(0)}, np.ones((1, 1))).shape == (1,)


# --- duplicate indices and rows -------------------------------------------------------

TWO_SKUS_ONE_INDEX = {"a": 0, "b": 1, "c": 0}
DUPLICATES = [
    case("get_inverse_skus_map", lambda: mapping.get_inverse_skus_map(TWO_SKUS_ONE_INDEX),
         ValueError, "index 0", "'a'", "'c'"),
    case("build_interactions_mapping-customers", lambda: mapping.build_interactions_mapping(
        [], TWO_SKUS_ONE_INDEX, SKUS), ValueError, "customers_mapping", "'a'", "'c'"),
    case("build_interactions_mapping-skus", lambda: mapping.build_interactions_mapping(
        [], {"c0": 0}, TWO_SKUS_ONE_INDEX), ValueError, "skus_mapping", "'a'", "'c'"),
    case("build_customer_vector", lambda: recommend.build_customer_vector(
        {"a": 1.0}, TWO_SKUS_ONE_INDEX), ValueError, "index 0", "'a'", "'c'"),
    case("fold_in", lambda: als_by_hand.fold_in({"a": 1}, TWO_SKUS_ONE_INDEX, np.ones((3, 1))),
         ValueError, "index 0", "'a'", "'c'"),
    case("calc_mean_auc", lambda: evaluate.calc_mean_auc(TRAIN, [0, 1, 0], FACTORS, TEST),
         ValueError, "altered_users holds 0 twice"),
    case("per_user_auc", lambda: evaluate.per_user_auc(TRAIN, [1, 1], TEST, np.ones(4)),
         ValueError, "altered_users holds 1 twice"),
    case("mean_auc", lambda: evaluate.mean_auc(TRAIN, [0, 0], TEST, np.ones(4)),
         ValueError, "altered_users holds 0 twice"),
    case("ranking_metrics", lambda: ranking.ranking_metrics(TRAIN, [0, 0], TEST, np.ones(4)),
         ValueError, "altered_users holds 0 twice"),
    case("compare_recommenders", lambda: ranking.compare_recommenders(
        TRAIN, [0, 0], TEST, {"pop": np.ones(4)}), ValueError, "altered_users holds 0 twice"),
    case("rec_items", lambda: _rec_items(customer_list=np.array([12346, 12346])),
         ValueError, "12346", "2 times"),
    case("get_items_purchased", lambda: retail.get_items_purchased(
        7, CATALOGUE[0], np.array([7, 7]), *CATALOGUE[2:]), ValueError, "customer 7", "2 times"),
    case("build_purchase_matrix", lambda: retail.build_purchase_matrix(
        PURCHASES.assign(CustomerID=[12346, 12346], StockCode=["A", "A"])),
         ValueError, "(12346, 'A')", "twice"),
]


@pytest.mark.parametrize(("call", "error", "parts"), DUPLICATES)
def test_duplicate_indices_and_rows_are_refused(call, error, parts):
    assert_refused(call, error, parts)


def test_top_k_unseen_gives_a_repeated_user_the_same_row_again():
    """Documented: repeating a user in top_k_unseen is allowed (no mean is taken)."""
    scores = np.array([0.0, 3.0, 2.0, 1.0])
    once = ranking.top_k_unseen(TRAIN, [1], scores, 2)
    twice = ranking.top_k_unseen(TRAIN, [1, 0, 1], scores, 2)
    assert twice[[0, 2]].tolist() == once.tolist() * 2


# --- wrong shapes ---------------------------------------------------------------------

WRONG_SHAPES = [
    case("make_recos-not-square", lambda: recommend.make_recos(np.ones((2, 3)), np.ones(3), 1),
         ValueError, "square", "(2, 3)"),
    case("make_recos-sparse-not-square", lambda: recommend.make_recos(
        sp.csr_array(np.ones((2, 3))), np.ones(3), 1), ValueError, "square", "(2, 3)"),
    case("make_recos-customer", lambda: recommend.make_recos(
        np.eye(3), sp.csc_array(np.ones((3, 2))), 1), ValueError, "(3, 2)"),
    case("top_k_neighbours-not-square", lambda: recommend.top_k_neighbours(
        sp.coo_array(np.ones((2, 3))), 1), ValueError, "square", "(2, 3)"),
    case("neighbourhood_scores-not-square", lambda: recommend.neighbourhood_scores(
        np.ones((2, 3)), np.ones(3), 1), ValueError, "square", "(2, 3)"),
    case("neighbourhood_scores-customer", lambda: recommend.neighbourhood_scores(
        np.eye(3), np.ones(4), 1), ValueError, "(4,)"),
    case("compute_similarity", lambda: similarity.compute_similarity(np.ones(2), np.ones(3)),
         ValueError, "2 and 3"),
    case("top_n_indices", lambda: recommend.top_n_indices(np.ones((2, 2)), 1),
         ValueError, "(2, 2)"),
    case("calc_mean_auc-user_factors", lambda: evaluate.calc_mean_auc(
        TRAIN, [0], (np.ones((3, 1)), FACTORS[1]), TEST), ValueError, "(3, 1)"),
    case("calc_mean_auc-item_factors", lambda: evaluate.calc_mean_auc(
        TRAIN, [0], (FACTORS[0], np.ones(4)), TEST), ValueError, "(4,)"),
    case("per_user_auc-shared", lambda: evaluate.per_user_auc(TRAIN, [0], TEST, np.ones(5)),
         ValueError, "(5,)"),
    case("per_user_auc-rows", lambda: evaluate.per_user_auc(
        TRAIN, [0], TEST, lambda rows: np.ones(4)), ValueError, "(4,)"),
    case("per_user_auc-users", lambda: evaluate.per_user_auc(TRAIN, [[0]], TEST, np.ones(4)),
         ValueError, "(1, 1)"),
    case("top_k_unseen-rows", lambda: ranking.top_k_unseen(
        TRAIN, [0, 1], lambda rows: np.ones((1, 4)), 1), ValueError, "(1, 4)"),
    case("als_solve_users-no-factor", lambda: als_by_hand.als_solve_users(
        TRAIN, np.ones((4, 0)), 0.1), ValueError, "(4, 0)"),
    case("fold_in-no-factor", lambda: als_by_hand.fold_in({"s0": 1}, SKUS, np.ones((3, 0))),
         ValueError, "(3, 0)"),
    case("make_fold_in-no-factor", lambda: als_by_hand.make_fold_in(SKUS, np.ones((3, 0))),
         ValueError, "(3, 0)"),
    case("rec_items-user_vecs", lambda: _rec_items(user_vecs=np.ones((3, 1))),
         ValueError, "(3, 1)"),
    case("rec_items-customer_list", lambda: _rec_items(customer_list=np.array([12346])),
         ValueError, "(1,)"),
]


@pytest.mark.parametrize(("call", "error", "parts"), WRONG_SHAPES)
def test_wrong_shapes_are_named(call, error, parts):
    assert_refused(call, error, parts)


# --- errors that used to be obscure -----------------------------------------------------

OBSCURE = [
    # was: 'str' object has no attribute 'items'
    case("build_interactions_mapping-record", lambda: mapping.build_interactions_mapping(
        [{"c0": [{"s0": "Browsed"}]}, "c0"], {"c0": 0}, SKUS), TypeError, "'c0'", "dict"),
    case("build_interactions_mapping-event", lambda: mapping.build_interactions_mapping(
        [{"c0": ["s0"]}], {"c0": 0}, SKUS), TypeError, "'s0'", "dict"),
    case("build_interactions_mapping-dict", lambda: mapping.build_interactions_mapping(
        {"c0": [{"s0": "Browsed"}]}, {"c0": 0}, SKUS), TypeError, "list of records"),
    case("get_inverse_skus_map", lambda: mapping.get_inverse_skus_map(["a", "b"]),
         TypeError, "['a', 'b']", "dict"),
    case("build_interactions_matrix", lambda: matrices.build_interactions_matrix(
        {0: [1.0]}, 1, 1), TypeError, "[1.0]", "dict"),
    case("build_customer_vector", lambda: recommend.build_customer_vector([("s0", 1.0)], SKUS),
         TypeError, "[('s0', 1.0)]", "dict"),
    # was: negative axis 0 index: -1
    case("build_purchase_matrix", lambda: retail.build_purchase_matrix(
        PURCHASES.assign(CustomerID=[12346, np.nan])), ValueError, "CustomerID", "row 1"),
    # was: ZeroDivisionError
    case("als_solve_users", lambda: als_by_hand.als_solve_users(TRAIN, np.ones((4, 0)), 0.1),
         ValueError, "at least one factor"),
    # was: a ufunc 'rint' TypeError
    case("clean_purchases", lambda: retail.clean_purchases(
        RAW.assign(CustomerID=[12346.0, "12347"])), TypeError, "'12347'", "row 1"),
    # was: unhashable type: 'list'
    case("build_index_mapping", lambda: mapping.build_index_mapping([["a"]]),
         TypeError, "['a']", "hashable"),
    # was: too many values to unpack
    case("calc_mean_auc", lambda: evaluate.calc_mean_auc(TRAIN, [0], [*FACTORS, 1], TEST),
         TypeError, "pair"),
    # was: 'list' object has no attribute 'items'
    case("compare_recommenders", lambda: ranking.compare_recommenders(
        TRAIN, [0], TEST, [np.ones(4)]), TypeError, "list"),
    # was: 'int' object is not callable, deep in the loop
    case("fit_als_by_hand", lambda: als_by_hand.fit_als_by_hand(TRAIN, solve=3), TypeError,
         "solve must be callable, got 3"),
    # was: kth(=2) out of bounds
    case("top_n_indices", lambda: recommend.top_n_indices(np.ones(2), 3), ValueError,
         "n must be <= 2, got 3"),
]


@pytest.mark.parametrize(("call", "error", "parts"), OBSCURE)
def test_errors_that_used_to_be_obscure_now_name_the_value(call, error, parts):
    assert_refused(call, error, parts)


# --- the documented behaviours stay ---------------------------------------------------

def test_the_contract_behaviours_are_kept():
    assert similarity.compute_similarity(np.zeros(3), np.ones(3)) == 0.0
    assert recommend.make_recos(np.eye(3), np.ones(3), 0) == []
    vector = recommend.build_customer_vector({"s1": 2.0, "unknown": 5.0}, SKUS)
    assert vector.toarray().ravel().tolist() == [0.0, 2.0, 0.0]
    with pytest.raises(ValueError, match=re.escape("unknown event name 'Clicked'")):
        mapping.build_interactions_mapping([{"c0": [{"s0": "Clicked"}]}], {"c0": 0}, SKUS)
    with pytest.raises(KeyError, match="customer 'nobody'"):
        mapping.build_interactions_mapping([{"nobody": [{"s0": "Browsed"}]}], {"c0": 0}, SKUS)
    # Customer 1 has no AUC (no held-out sku): left out of both means, not an error.
    assert evaluate.calc_mean_auc(TRAIN, [0, 1], FACTORS, TEST) == (1.0, 0.25)
    assert mapping.build_index_mapping(value for value in ("b", "a", "b")) == {"b": 0, "a": 1}


def test_the_sparse_policy_any_format_where_no_format_is_required():
    for fmt in ("csr", "csc", "coo"):
        for cls in (sp.csr_array, sp.csr_matrix):
            train, test = cls(TRAIN).asformat(fmt), cls(TEST).asformat(fmt)
            assert evaluate.calc_mean_auc(train, [0, 1], FACTORS, test) == (1.0, 0.25)
            assert ranking.top_k_unseen(train, [0], np.arange(4.0), 1).tolist() == [[3]]
            assert recommend.item_item_scores(train).shape == (2, 4)
            assert recommend.make_recos(
                cls(np.eye(4)).asformat(fmt), cls(np.ones((4, 1))).asformat(fmt), 1) in (
                [0], [1], [2], [3])
            similarity = cls(np.ones((4, 4))).asformat(fmt)
            assert recommend.top_k_neighbours(similarity, 1).nnz == 4
            assert recommend.neighbourhood_scores(
                similarity, cls(np.ones((4, 1))).asformat(fmt), 1).tolist() == [1.0] * 4


@pytest.mark.parametrize(("call", "fmt"), [
    (lambda m: similarity.build_algebraic_sparse_similarity_matrix(m.tocsr()), "CSC"),
    (lambda m: split.make_train(m.tocsc()), "CSR"),
    (lambda m: als_by_hand.als_solve_users(m.tocoo(), np.ones((4, 1)), 0.1), "CSR"),
    (lambda m: retail.rec_items(12346, m.tocsc()[:1, :2], np.ones((1, 1)), np.ones((2, 1)),
                                np.array([12346]), *CATALOGUE[2:]), "CSR"),
    (lambda m: retail.get_items_purchased(12346, m.tocsc()[:1, :2], np.array([12346]),
                                          *CATALOGUE[2:]), "CSR"),
])
def test_the_sparse_policy_the_required_formats_say_how_to_convert(call, fmt):
    with pytest.raises(TypeError, match=f"must be in {fmt} format.*\\.to{fmt.lower()}\\(\\)"):
        call(TRAIN)
