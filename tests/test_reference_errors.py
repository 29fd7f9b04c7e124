"""Every documented error of the reference functions, with a message naming the bad value."""

import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from recsys_workshop import (
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
    # chapters 2 and 3: the interactions matrix, dense and sparse
    *[(build, args, error, match)
      for build in (matrices.build_interactions_matrix, matrices.build_sparse_interactions_matrix)
      for args, error, match in [
          (({}, -1, 2), ValueError, "total_customers must be >= 0, got -1"),
          (({}, 2, 2.0), TypeError, "total_skus must be an integer, got 2.0"),
          (({5: {0: 1.0}}, 2, 3), ValueError, "customer index 5 is outside 0..1"),
          (({0: {7: 1.0}}, 2, 3), ValueError, "sku index 7 is outside 0..2"),
      ]],
    # chapter 2: cosine similarity
    (similarity.compute_similarity, (np.ones(2), np.ones(3)), ValueError,
     "arrays differ in length: 2 and 3"),
    (similarity.compute_similarity, (np.ones((2, 2)), np.ones(2)), ValueError,
     "got shapes (2, 2) and (2,)"),
    *[(build, (matrix,), error, match)
      for build in (similarity.build_similarity_matrix,
                    similarity.build_algebraic_similarity_matrix)
      for matrix, error, match in [
          (sp.csc_array(np.eye(2)), TypeError, "got a sparse csc_array"),
          ([[1.0, 0.0]], TypeError, "must be a numpy array, got list"),
          (np.ones(3), ValueError, "must be 2-d, got shape (3,)"),
          (np.array([["a", "b"]]), ValueError, "must be numeric, got dtype <U1"),
      ]],
    # chapter 3: sparse similarity
    (similarity.build_algebraic_sparse_similarity_matrix, (sp.csr_array(np.eye(2)),),
     TypeError, "must be in CSC format, got CSR (csr_array)"),
    (similarity.build_algebraic_sparse_similarity_matrix, (np.eye(2),), TypeError,
     "must be a scipy.sparse CSC matrix, got ndarray"),
    # chapter 4
    (recommend.build_customer_vector, ({"zz": 1.0}, SKUS), ValueError,
     "none of the customer's skus ['zz'] is in skus_mapping"),
    (recommend.make_recos, (SIMILARITY, CUSTOMER, 4), ValueError, "n must be <= 3, got 4"),
    (recommend.make_recos, (SIMILARITY, CUSTOMER, -1), ValueError, "n must be >= 0, got -1"),
    (recommend.make_recos, (SIMILARITY, CUSTOMER, 1.5), TypeError,
     "n must be an integer, got 1.5"),
    (recommend.make_recos, (SIMILARITY, np.ones(2), 1), ValueError,
     "customer_interactions has 2 rows but similarity_matrix has 3 columns"),
    # chapter 5: cleaning and the purchase matrix
    (retail.clean_purchases, (PURCHASES.drop(columns="Quantity"),), KeyError,
     "retail has no column(s) ['Quantity']"),
    (retail.clean_purchases, (PURCHASES.assign(CustomerID=[12346.5, 1.0]),), ValueError,
     ("CustomerID must hold whole numbers, found ", "12346.5")),
    (retail.build_purchase_matrix, (PURCHASES.drop(columns="StockCode"),), KeyError,
     "purchases has no column(s) ['StockCode']"),
    (retail.build_purchase_matrix, (PURCHASES,), ValueError,
     "the pair (CustomerID, StockCode) = (12346, 'A') appears twice"),
    # chapter 5: the split
    (split.make_train, (RATINGS, 1.5), ValueError, "pct_test must be a number in [0, 1], got 1.5"),
    (split.make_train, (RATINGS, -0.1), ValueError, "got -0.1"),
    (split.make_train, (RATINGS, "0.2"), ValueError, "got '0.2'"),
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
     "altered_users must be a non-empty list of rows, got shape (0,)"),
    (evaluate.calc_mean_auc, (TRAIN, [5], FACTORS, TEST), ValueError,
     "altered_users holds 5, outside the rows 0..1"),
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
     "regularization must be a real number, got '0.1'"),
    (als_by_hand.als_solve_users, (TRAIN, np.ones((4, 2)), float("nan")), ValueError,
     "regularization must be finite, got nan"),
    (als_by_hand.fold_in, ({"zz": 1}, SKUS, np.ones((3, 2))), ValueError,
     "no sku of the basket ['zz'] is in skus_mapping"),
    (als_by_hand.fold_in, ({"s0": 0}, SKUS, np.ones((3, 2))), ValueError,
     "the quantity of sku 's0' must be > 0, got 0"),
    (als_by_hand.fold_in, ({"s0": "2"}, SKUS, np.ones((3, 2))), TypeError,
     "the quantity of sku 's0' must be a real number, got '2'"),
    (als_by_hand.fold_in, ({"s0": 1}, SKUS, np.ones((3, 2)), 0.1, 0.0), ValueError,
     "alpha must be > 0, got 0.0"),
    (als_by_hand.fold_in, ({"s2": 1}, SKUS, np.ones((2, 2))), ValueError,
     "skus_mapping gives column 2, outside the rows 0..1 of item_factors"),
    (als_by_hand.fold_in, ([("s0", 1)], SKUS, np.ones((3, 2))), TypeError,
     "basket must be a dict, got list"),
    (als_by_hand.fit_als_by_hand, (TRAIN.toarray(),), TypeError,
     "user_items must be a scipy.sparse matrix, got ndarray"),
    (lambda: als_by_hand.fit_als_by_hand(TRAIN, factors=0), (), ValueError,
     "factors must be >= 1, got 0"),
    # chapter 6: ranking metrics
    (ranking.precision_at_k, ([1], {1}, 0), ValueError, "k must be >= 1, got 0"),
    (ranking.ndcg_at_k, ([1], {1}, -3), ValueError, "k must be >= 1, got -3"),
    (ranking.ndcg_at_k, ([1], {1}, 2.0), TypeError, "k must be an integer, got 2.0"),
    (ranking.top_k_unseen, (TRAIN, [0], np.ones(4), 5), ValueError, "k must be <= 4, got 5"),
    (ranking.top_k_unseen, (TRAIN, [2], np.ones(4), 1), ValueError,
     "users holds 2, outside the rows 0..1"),
    (ranking.top_k_unseen, (TRAIN, [0], np.ones(3), 1), ValueError,
     "shared scores must have shape (4,), got (3,)"),
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
