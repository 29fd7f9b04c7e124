"""Every documented error of the reference functions, with a message naming the bad value."""

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
    similarity,
    split,
)

SKUS = {"s0": 0, "s1": 1, "s2": 2}
SIMILARITY = np.eye(3)
CUSTOMER = sp.csc_array(np.array([[1.0], [0.0], [0.0]]))
RATINGS = sp.csr_array(np.array([[5.0, 0, 3, 0], [0, 1, 0, 12]]))
WITH_EXPLICIT_ZERO = sp.csr_array((np.array([1.0, 0.0]), np.array([0, 1]), np.array([0, 2])),
                                  shape=(1, 2))
TRAIN = sp.csr_array(np.array([[1.0, 0, 0, 0], [1, 0, 1, 0]]))
TEST = sp.csr_array(np.array([[1.0, 1, 0, 0], [1, 0, 1, 0]]))
FACTORS = (np.ones((2, 1)), np.arange(4.0)[:, None])
PURCHASES = pd.DataFrame({"CustomerID": [12346, 12346], "StockCode": ["A", "A"],
                          "Quantity": [1, 2]})
CATALOGUE = (sp.csr_array(np.array([[1.0, 0.0]])), np.array([12346]), np.array(["A", "B"]),
             pd.DataFrame({"StockCode": ["A", "B"], "Description": ["a", "b"]}))
NAN_FACTORS = (np.array([[1.0], [np.nan]]), FACTORS[1])
RAW = pd.DataFrame({"CustomerID": [12346.0, 12347.0], "StockCode": ["85123A", "71053"],
                    "Quantity": [6, 2]})


def _rec_items(customer_id, mf_train=CATALOGUE[0], num_items=1):
    _, customers, items, lookup = CATALOGUE
    return retail.rec_items(customer_id, mf_train, np.ones((1, 1)), np.ones((2, 1)), customers,
                            items, lookup, num_items)


#: (function, args, error, message): a message given as a tuple lists parts that must all
#: appear.
ERRORS = [
    # chapter 1
    (mapping.build_interactions_mapping, ([{"c0": [{"s0": "Clicked"}]}], {"c0": 0}, SKUS),
     ValueError, "unknown event name 'Clicked'"),
    (mapping.build_interactions_mapping, ([{"nobody": [{"s0": "Browsed"}]}], {"c0": 0}, SKUS),
     KeyError, "customer 'nobody' is not in the customers mapping"),
    (mapping.build_interactions_mapping, ([{"c0": [{"nothing": "Browsed"}]}], {"c0": 0}, SKUS),
     KeyError, "sku 'nothing' is not in the skus mapping"),
    (mapping.build_interactions_mapping, (["abc"], {"c0": 0}, SKUS), TypeError,
     "a record of input_data must be a dict {customer: [event]}, got 'abc' (str)"),
    (mapping.build_interactions_mapping, ([{"c0": ["s0"]}], {"c0": 0}, SKUS), TypeError,
     "an event of customer 'c0' must be a dict {sku: event name}, got 's0' (str)"),
    (mapping.build_interactions_mapping, ([{"c0": "Browsed"}], {"c0": 0}, SKUS), TypeError,
     "the events of customer 'c0' must be a collection of items, got the string 'Browsed'"),
    (mapping.build_interactions_mapping, ([], {"c0": 0, "c1": 0}, SKUS), ValueError,
     "customers_mapping maps both 'c0' and 'c1' to the index 0"),
    (mapping.build_interactions_mapping, ([], {"c0": 0}, {"s0": 1, "s1": 1}), ValueError,
     "skus_mapping maps both 's0' and 's1' to the index 1"),
    (mapping.build_index_mapping, ("abc",), TypeError,
     "values must be a collection of items, got the string 'abc'"),
    (mapping.get_inverse_skus_map, ({"a": 0, "b": 0},), ValueError,
     "skus_map maps both 'a' and 'b' to the index 0: indices must be distinct"),
    (mapping.get_inverse_skus_map, ("abc",), TypeError,
     "skus_map must be a dict {key: index}, got 'abc' (str)"),
    # chapters 2 and 3: the interactions matrix, dense and sparse
    *[(build, args, error, match)
      for build in (matrices.build_interactions_matrix, matrices.build_sparse_interactions_matrix)
      for args, error, match in [
          (({}, -1, 2), ValueError, "total_customers must be >= 0, got -1"),
          (({}, 2, 2.0), TypeError, "total_skus must be an integer, got 2.0"),
          (({5: {0: 1.0}}, 2, 3), ValueError,
           "interactions_mapping's customer indices holds 5, outside 0..1"),
          (({0: {7: 1.0}}, 2, 3), ValueError,
           "interactions_mapping's sku indices holds 7, outside 0..2"),
          (({0: {0.7: 1.0}}, 1, 2), TypeError,
           "interactions_mapping's sku indices holds 0.7 (float): indices must be integers"),
          (({0: {1: np.nan}}, 1, 2), ValueError, "interactions_mapping holds nan at [0, 1]"),
      ]],
    # chapter 2: cosine similarity
    (similarity.compute_similarity, (np.ones(2), np.ones(3)), ValueError,
     "arrays differ in length: 2 and 3"),
    (similarity.compute_similarity, (np.ones((2, 2)), np.ones(2)), ValueError,
     "array1 must be 1-d, got shape (2, 2)"),
    (similarity.compute_similarity, (np.array([1.0, np.nan]), np.ones(2)), ValueError,
     "array1 holds nan at [1]: values must be finite"),
    (similarity.compute_similarity, (np.ones(2), np.array([np.inf, 0.0])), ValueError,
     "array2 holds inf at [0]"),
    *[(build, (matrix,), error, match)
      for build in (similarity.build_similarity_matrix,
                    similarity.build_algebraic_similarity_matrix)
      for matrix, error, match in [
          (sp.csc_array(np.eye(2)), TypeError, "got a sparse csc_array"),
          ([[1.0, 0.0]], TypeError, "must be a numpy array, got list"),
          (np.ones(3), ValueError, "must be 2-d, got shape (3,)"),
          (np.array([["a", "b"]]), TypeError, "must hold numbers, got 'a' (dtype <U1)"),
          (np.array([[1.0, 0.0], [0.0, -np.inf]]), ValueError,
           "interactions_matrix holds -inf at [1, 1]"),
      ]],
    # chapter 3: sparse similarity
    (similarity.build_algebraic_sparse_similarity_matrix, (sp.csr_array(np.eye(2)),),
     TypeError, "must be in CSC format, got CSR (csr_array)"),
    (similarity.build_algebraic_sparse_similarity_matrix, (np.eye(2),), TypeError,
     "must be a scipy.sparse CSC matrix, got ndarray"),
    (similarity.build_algebraic_sparse_similarity_matrix,
     (sp.csc_array(np.array([[1.0, 0.0], [0.0, np.nan]])),), ValueError,
     "sparse_interactions_matrix holds nan at [1, 1]"),
    # chapter 4
    (recommend.build_customer_vector, ({"zz": 1.0}, SKUS), ValueError,
     "none of the customer's skus ['zz'] is in skus_mapping"),
    (recommend.make_recos, (SIMILARITY, CUSTOMER, 4), ValueError, "n must be <= 3, got 4"),
    (recommend.make_recos, (SIMILARITY, CUSTOMER, -1), ValueError, "n must be >= 0, got -1"),
    (recommend.make_recos, (SIMILARITY, CUSTOMER, 1.5), TypeError,
     "n must be an integer, got 1.5"),
    (recommend.make_recos, (SIMILARITY, np.ones(2), 1), ValueError,
     ("customer_interactions must have shape (3, 1) or (3,)", "got (2,)")),
    (recommend.make_recos, (np.ones((2, 3)), np.ones(3), 1), ValueError,
     "similarity_matrix must be square (skus x skus), got shape (2, 3)"),
    (recommend.make_recos, (np.array([[1.0, np.nan], [0.0, 1.0]]), np.ones(2), 1), ValueError,
     "similarity_matrix holds nan at [0, 1]"),
    (recommend.make_recos, (SIMILARITY, np.array([0.0, np.inf, 1.0]), 1), ValueError,
     "customer_interactions holds inf at [1]"),
    (recommend.build_customer_vector, ({"s0": 1.0}, {"s0": 0, "s1": 0}), ValueError,
     "skus_mapping maps both 's0' and 's1' to the index 0"),
    (recommend.build_customer_vector, ({"s0": np.nan}, SKUS), ValueError,
     "the score of sku 's0' must be a number, got nan"),
    # chapter 5: cleaning and the purchase matrix
    (retail.clean_purchases, (PURCHASES.drop(columns="Quantity"),), KeyError,
     "retail has no column(s) ['Quantity']"),
    (retail.clean_purchases, (PURCHASES.assign(CustomerID=[12346.5, 1.0]),), ValueError,
     ("CustomerID must hold whole numbers, found ", "12346.5")),
    (retail.clean_purchases, (RAW.assign(CustomerID=[1e20, 12347.0]),), ValueError,
     "CustomerID holds 1e+20 in row 0, outside the int64 range"),
    (retail.clean_purchases, (RAW.assign(Quantity=[6.0, 1.5]),), ValueError,
     "Quantity must hold whole numbers, found 1.5 in row 1"),
    (retail.clean_purchases, (RAW.assign(StockCode=["85123A", None]),), ValueError,
     "StockCode is missing in row 1"),
    (retail.clean_purchases, (RAW.assign(CustomerID=["12346", 12347.0]),), TypeError,
     "CustomerID must hold numbers, found '12346' (str) in row 0"),
    (retail.build_purchase_matrix, (PURCHASES.assign(CustomerID=[np.nan, 12346]),),
     ValueError, "CustomerID is missing in row 0"),
    (retail.build_purchase_matrix, (PURCHASES.drop(columns="StockCode"),), KeyError,
     "purchases has no column(s) ['StockCode']"),
    (retail.build_purchase_matrix, (PURCHASES,), ValueError,
     "the pair (CustomerID, StockCode) = (12346, 'A') appears twice"),
    # chapter 5: the split
    (split.make_train, (RATINGS, 1.5), ValueError, "pct_test must be a share in [0, 1], got 1.5"),
    (split.make_train, (RATINGS, -0.1), ValueError, "got -0.1"),
    (split.make_train, (RATINGS, "0.2"), TypeError, "pct_test must be a number, got '0.2'"),
    (split.make_train, (RATINGS, 0.2, -1), ValueError, "seed must be >= 0, got -1"),
    (split.make_train, (RATINGS.multiply(np.array([[np.nan, 1, 1, 1]])).tocsr(), 0.2),
     ValueError, "ratings holds nan at [0, 0]"),
    (split.make_train, (RATINGS.tocsc(), 0.2), TypeError, "ratings must be in CSR format, got CSC"),
    (split.make_train, (RATINGS, 0.2, 1.0), TypeError, "seed must be an integer, got 1.0"),
    (split.make_train, (WITH_EXPLICIT_ZERO, 0.2), ValueError,
     "ratings stores 1 explicit zero(s)"),
    # chapter 5: AUC
    (evaluate.calc_mean_auc, (TRAIN, [0], FACTORS, TEST[:, :3]), ValueError,
     "training_set has shape (2, 4) but test_set has (2, 3)"),
    (evaluate.calc_mean_auc, (TRAIN.toarray(), [0], FACTORS, TEST), TypeError,
     "training_set must be a scipy.sparse matrix, got ndarray"),
    (evaluate.calc_mean_auc, (TRAIN, [], FACTORS, TEST), ValueError,
     "altered_users is empty: give at least one row to evaluate"),
    (evaluate.calc_mean_auc, (TRAIN, [5], FACTORS, TEST), ValueError,
     "altered_users holds 5, outside 0..1"),
    (evaluate.calc_mean_auc, (TRAIN, [0, 0], FACTORS, TEST), ValueError,
     "altered_users holds 0 twice: each row must appear once"),
    (evaluate.calc_mean_auc, (TRAIN, [0.0], FACTORS, TEST), TypeError,
     "altered_users holds 0.0 (float): indices must be integers"),
    (evaluate.calc_mean_auc, (TRAIN, [0], NAN_FACTORS, TEST), ValueError,
     "user_factors holds nan at [1, 0]"),
    (evaluate.calc_mean_auc, (TRAIN, [0], FACTORS[0], TEST), TypeError,
     "predictions must be a pair (user_factors, item_factors)"),
    (evaluate.calc_mean_auc, (TRAIN, [0], (np.ones((3, 1)), FACTORS[1]), TEST), ValueError,
     "user_factors must have shape (2, k), got (3, 1)"),
    (evaluate.calc_mean_auc, (TRAIN, [0], (FACTORS[0], np.ones((4, 2))), TEST), ValueError,
     "item_factors must have shape (4, 1), got (4, 2)"),
    (evaluate.calc_mean_auc, (TRAIN, [1], FACTORS, TEST), ValueError, "AUC is undefined"),
    # chapter 5: readable recommendations
    (_rec_items, (99999,), KeyError, "customer 99999 is not in customer_list"),
    (_rec_items, (12346, CATALOGUE[0], -1), ValueError, "num_items must be >= 0, got -1"),
    (_rec_items, (12346, CATALOGUE[0].tocsc()), TypeError, "mf_train must be in CSR format"),
    (retail.get_items_purchased, (99999, *CATALOGUE), KeyError,
     "customer 99999 is not in customer_list"),
    # chapter 6: ALS by hand and folding in
    (als_by_hand.als_solve_users, (TRAIN.tocsc(), np.ones((4, 2)), 0.1), TypeError,
     "confidence must be in CSR format, got CSC"),
    (als_by_hand.als_solve_users, (TRAIN, np.ones((3, 2)), 0.1), ValueError,
     "confidence has 4 columns (skus) but item_factors has 3 rows"),
    (als_by_hand.als_solve_users, (TRAIN, np.ones((4, 2)), -1.0), ValueError,
     "regularization must be >= 0, got -1.0"),
    (als_by_hand.als_solve_users, (TRAIN, np.ones((4, 2)), "0.1"), TypeError,
     "regularization must be a number, got '0.1'"),
    (als_by_hand.als_solve_users, (TRAIN, np.ones((4, 2)), float("nan")), ValueError,
     "regularization must be a number, got nan"),
    (als_by_hand.als_solve_users, (TRAIN, np.ones((4, 0)), 0.1), ValueError,
     "item_factors has shape (4, 0): there must be at least one factor"),
    (als_by_hand.als_solve_users, (TRAIN, np.full((4, 2), np.inf), 0.1), ValueError,
     "item_factors holds inf at [0, 0]"),
    (als_by_hand.fold_in, ({"zz": 1}, SKUS, np.ones((3, 2))), ValueError,
     "no sku of the basket ['zz'] is in skus_mapping"),
    (als_by_hand.fold_in, ({"s0": 0}, SKUS, np.ones((3, 2))), ValueError,
     "the quantity of sku 's0' must be > 0, got 0"),
    (als_by_hand.fold_in, ({"s0": "2"}, SKUS, np.ones((3, 2))), TypeError,
     "the quantity of sku 's0' must be a number, got '2'"),
    (als_by_hand.fold_in, ({"a": 1}, {"a": 1.5}, np.ones((3, 2))), TypeError,
     "skus_mapping maps 'a' to 1.5 (float): indices must be integers"),
    (als_by_hand.fold_in, ({"s0": 1}, {"s0": 0, "s1": 0}, np.ones((3, 2))), ValueError,
     "skus_mapping maps both 's0' and 's1' to the index 0"),
    (als_by_hand.fold_in, ({"s0": 1}, SKUS, np.ones((3, 2)), 0.1, 0.0), ValueError,
     "alpha must be > 0, got 0.0"),
    (als_by_hand.fold_in, ({"s2": 1}, SKUS, np.ones((2, 2))), ValueError,
     "skus_mapping maps 's2' to 2: indices must be in 0..1"),
    (als_by_hand.fold_in, ([("s0", 1)], SKUS, np.ones((3, 2))), TypeError,
     "basket must be a dict {sku: quantity}, got [('s0', 1)] (list)"),
    (als_by_hand.fit_als_by_hand, (TRAIN.toarray(),), TypeError,
     "user_items must be a scipy.sparse matrix, got ndarray"),
    (lambda: als_by_hand.fit_als_by_hand(TRAIN, factors=0), (), ValueError,
     "factors must be >= 1, got 0"),
    (als_by_hand.fit_als_by_hand, (TRAIN * np.inf,), ValueError, "user_items holds inf at [0, 0]"),
    (als.fit_als, (TRAIN * np.nan,), ValueError, "user_items holds nan at [0, 0]"),
    (lambda: als.fit_als(TRAIN, alpha=0), (), ValueError, "alpha must be > 0, got 0"),
    # chapter 6: ranking metrics
    (ranking.precision_at_k, ([1], {1}, 0), ValueError, "k must be >= 1, got 0"),
    (ranking.ndcg_at_k, ([1], {1}, -3), ValueError, "k must be >= 1, got -3"),
    (ranking.ndcg_at_k, ([1], {1}, 2.0), TypeError, "k must be an integer, got 2.0"),
    (ranking.top_k_unseen, (TRAIN, [0], np.ones(4), 5), ValueError, "k must be <= 4, got 5"),
    (ranking.precision_at_k, (["a", "a"], ["a"], 2), ValueError,
     "recommended holds 'a' twice: its items must be distinct"),
    (ranking.ndcg_at_k, (["a", "a"], ["a"], 2), ValueError, "recommended holds 'a' twice"),
    (ranking.precision_at_k, (["85123A"], "85123A", 1), TypeError,
     "relevant must be a collection of items, got the string '85123A'"),
    (ranking.ndcg_at_k, ("85123A", ["85123A"], 1), TypeError,
     "recommended must be a collection of items, got the string '85123A'"),
    (ranking.top_k_unseen, (TRAIN, [2], np.ones(4), 1), ValueError,
     "users holds 2, outside 0..1"),
    (ranking.top_k_unseen, (TRAIN, [0], np.ones(3), 1), ValueError,
     "score_rows must have shape (4,), got (3,)"),
    (ranking.top_k_unseen, (TRAIN, [0], np.array([0.0, np.nan, 1, 2]), 1), ValueError,
     "score_rows holds nan at [1]"),
    (ranking.top_k_unseen, (TRAIN, [1], lambda rows: np.full((len(rows), 4), np.inf), 1),
     ValueError, "score_rows(rows) holds inf at [0, 0]"),
    (evaluate.per_user_auc, (TRAIN, [0], TEST, np.array([0.0, np.nan, 1, 2])), ValueError,
     "score_rows holds nan at [1]"),
    (evaluate.per_user_auc, (TRAIN, [0], TEST, lambda rows: np.ones((len(rows), 3))), ValueError,
     "score_rows(rows) must have shape (1, 4), got (1, 3)"),
    (evaluate.per_user_auc, (TRAIN, [1, 1], TEST, np.ones(4)), ValueError,
     "altered_users holds 1 twice"),
    (evaluate.mean_auc, (TRAIN, [0, 0], TEST, np.ones(4)), ValueError,
     "altered_users holds 0 twice"),
    (ranking.ranking_metrics, (TRAIN, [0, 0], TEST, np.ones(4)), ValueError,
     "altered_users holds 0 twice"),
    (ranking.compare_recommenders, (TRAIN, [0], TEST, [np.ones(4)]), TypeError,
     "scorers must be a dict {name: score_rows}, got list"),
    (ranking.compare_recommenders, (TRAIN, [0], TEST, {}), ValueError, "scorers is empty"),
    (recommend.item_item_scores, (TRAIN.toarray(),), TypeError,
     "training_set must be a scipy.sparse matrix, got ndarray"),
]


@pytest.mark.parametrize(
    ("function", "args", "error", "message"),
    [pytest.param(*row, id=f"{row[0].__name__}-{row[2].__name__}-{number}")
     for number, row in enumerate(ERRORS)],
)
def test_the_reference_raises_a_message_naming_the_bad_value(function, args, error, message):
    parts = (message,) if isinstance(message, str) else message
    with pytest.raises(error, match="".join(f"(?=.*{re.escape(part)})" for part in parts)):
        function(*args)
