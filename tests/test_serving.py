"""Chapter 7's serving functions: ALS or popularity, a basket as a row, latency percentiles."""

import math

import numpy as np
import pytest
import scipy.sparse as sp

from recsys_workshop.evaluate import popularity
from recsys_workshop.ranking import top_k_unseen
from recsys_workshop.serving import basket_to_row, latency_summary, recommend_known_or_popular

USERS = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
ITEMS = np.array([[3.0, 0.0], [1.0, 2.0], [2.0, 2.0], [0.0, 5.0], [2.5, 0.0]])
BOUGHT = sp.csr_array(np.array([[1.0, 0, 0, 0, 0], [0, 0, 0, 2, 0], [1, 1, 1, 1, 0]]))
COUNTS = popularity(BOUGHT)  # [2, 1, 1, 2, 0]


def _recommend(customer, n, user_items=BOUGHT, counts=COUNTS):
    return recommend_known_or_popular(USERS, ITEMS, user_items, counts, customer, n)


def test_a_known_customer_gets_their_best_unbought_skus():
    skus, source = _recommend(0, 3)
    # scores of customer 0: [3, 1, 2, 0, 2.5]; sku 0 was bought
    assert (skus.tolist(), source) == ([4, 2, 1], "als")


def test_an_unknown_customer_gets_the_most_popular_skus_ties_by_lower_index():
    skus, source = _recommend(None, 4)
    assert (skus.tolist(), source) == ([0, 3, 1, 2], "popularity")


def test_n_beyond_what_is_left_returns_what_is_left():
    assert _recommend(2, 10)[0].tolist() == [4]
    assert _recommend(None, 10)[0].tolist() == [0, 3, 1, 2, 4]


def test_a_customer_who_bought_everything_gets_nothing():
    everything = sp.csr_array(np.ones((3, 5)))
    skus, source = _recommend(1, 3, user_items=everything)
    assert (skus.tolist(), source) == ([], "als")


def test_equal_scores_are_ordered_by_lower_index():
    flat = np.zeros((6, 2))
    bought = sp.csr_array((1, 6))
    skus, _ = recommend_known_or_popular(np.ones((1, 2)), flat, bought, np.zeros(6), 0, 4)
    assert skus.tolist() == [0, 1, 2, 3]


def test_a_stored_zero_is_not_a_purchase():
    with_zero = BOUGHT.copy()
    with_zero.data[0] = 0.0  # customer 0's sku 0, still stored
    assert _recommend(0, 1, user_items=with_zero)[0].tolist() == [0]


def test_csr_matrix_works_like_csr_array():
    assert np.array_equal(_recommend(2, 3, user_items=sp.csr_matrix(BOUGHT))[0],
                          _recommend(2, 3)[0])


def test_it_agrees_with_top_k_unseen_on_random_models():
    rng = np.random.default_rng(7)
    for _ in range(20):
        users, items = rng.normal(size=(6, 3)), rng.normal(size=(40, 3))
        bought = sp.csr_array((rng.random((6, 40)) < 0.3).astype(float))
        scores = users @ items.T
        for customer in range(6):
            expected = top_k_unseen(bought, [customer], lambda rows, s=scores: s[rows], 5)[0]
            skus, _ = recommend_known_or_popular(users, items, bought, popularity(bought),
                                                 customer, 5)
            assert skus.tolist() == [int(s) for s in expected if s >= 0]


def test_float32_factors_give_the_same_ranking_as_float64():
    skus, _ = recommend_known_or_popular(USERS.astype(np.float32), ITEMS.astype(np.float32),
                                         BOUGHT, COUNTS, 0, 3)
    assert skus.tolist() == [4, 2, 1]


@pytest.mark.parametrize(("customer", "n", "user_items", "counts", "error", "message"), [
    (3, 2, BOUGHT, COUNTS, ValueError, "customer must be <= 2, got 3"),
    (-1, 2, BOUGHT, COUNTS, ValueError, "customer must be >= 0, got -1"),
    (1.0, 2, BOUGHT, COUNTS, TypeError, "customer must be an integer, got 1.0"),
    ("12347", 2, BOUGHT, COUNTS, TypeError, "'12347'"),
    (0, 0, BOUGHT, COUNTS, ValueError, "n must be >= 1, got 0"),
    (None, 2.5, BOUGHT, COUNTS, TypeError, "n must be an integer, got 2.5"),
    (0, 2, BOUGHT.toarray(), COUNTS, TypeError, "user_items must be a scipy.sparse CSR"),
    (0, 2, BOUGHT.tocsc(), COUNTS, TypeError, "convert it with .tocsr()"),
    (0, 2, BOUGHT[:, :4], COUNTS, ValueError, "(3, 5), got (3, 4)"),
    (None, 2, BOUGHT, COUNTS[:4], ValueError, "popularity must have shape (5,)"),
    (None, 2, BOUGHT, np.array([1.0, np.nan, 0, 0, 0]), ValueError, "nan at [1]"),
])
def test_bad_requests_are_refused_naming_the_value(customer, n, user_items, counts, error,
                                                   message):
    with pytest.raises(error) as raised:
        _recommend(customer, n, user_items=user_items, counts=counts)
    assert message in str(raised.value)


def test_non_finite_values_that_the_answer_reads_are_named():
    users = USERS.copy()
    users[1, 0] = np.nan
    with pytest.raises(ValueError, match=r"user_factors\[1\] holds nan at \[0\]"):
        recommend_known_or_popular(users, ITEMS, BOUGHT, COUNTS, 1, 2)
    assert recommend_known_or_popular(users, ITEMS, BOUGHT, COUNTS, 0, 1)[0].tolist() == [4]
    items = ITEMS.copy()
    items[3, 1] = np.inf
    with pytest.raises(ValueError, match=r"item_factors holds inf at \[3, 1\]"):
        recommend_known_or_popular(USERS, items, BOUGHT, COUNTS, 1, 2)
    bought = BOUGHT.copy()
    bought.data[1] = np.nan  # customer 1's only purchase
    with pytest.raises(ValueError, match=r"row 1 of user_items holds nan"):
        _recommend(1, 2, user_items=bought)


def test_scores_that_overflow_are_refused():
    huge = np.full((5, 2), 1e200)
    with pytest.raises(ValueError, match="overflow"):
        recommend_known_or_popular(np.full((3, 2), 1e200), huge, BOUGHT, COUNTS, 1, 2)


def test_factors_of_different_widths_are_refused():
    with pytest.raises(ValueError, match=r"item_factors must have shape \(n_skus, 2\)"):
        recommend_known_or_popular(USERS, np.ones((5, 3)), BOUGHT, COUNTS, 0, 2)


# --- basket_to_row ---------------------------------------------------------------------------

SKUS = {"85123A": 2, "71053": 0, "84406B": 1}


def test_a_basket_becomes_one_row_of_quantities_and_its_unknown_codes():
    row, unknown = basket_to_row({"84406B": 2, "NOPE": 1, "85123A": 0.5, "ALSO": 3}, SKUS, 4)
    assert isinstance(row, sp.csr_array) and row.shape == (1, 4)
    assert row.toarray().tolist() == [[0.0, 2.0, 0.5, 0.0]]
    assert row.dtype == np.float64 and row.indices.tolist() == [1, 2]  # canonical: sorted
    assert unknown == ["NOPE", "ALSO"]


def test_an_empty_or_all_unknown_basket_gives_an_empty_row():
    assert basket_to_row({}, SKUS, 3)[0].nnz == 0
    row, unknown = basket_to_row({"X": 1, "Y": 2}, SKUS, 3)
    assert (row.nnz, row.shape, unknown) == (0, (1, 3), ["X", "Y"])


@pytest.mark.parametrize(("basket", "sku_index", "n_items", "error", "message"), [
    ({"85123A": 0}, SKUS, 3, ValueError, "the quantity of '85123A' must be > 0, got 0"),
    ({"85123A": -2}, SKUS, 3, ValueError, "'85123A'"),
    ({"NOPE": math.nan}, SKUS, 3, ValueError, "the quantity of 'NOPE' must be a number, got nan"),
    ({"71053": math.inf}, SKUS, 3, ValueError, "the quantity of '71053' must be finite"),
    ({"71053": "2"}, SKUS, 3, TypeError, "the quantity of '71053' must be a number, got '2'"),
    ({"71053": True}, SKUS, 3, TypeError, "True"),
    ({71053: 1}, SKUS, 3, TypeError, "stock codes must be strings, got 71053 (int)"),
    (["85123A"], SKUS, 3, TypeError, "basket must be a dict"),
    ({"85123A": 1}, ["85123A"], 3, TypeError, "sku_index must be a dict"),
    ({"85123A": 1}, SKUS, 2, ValueError, "the column of '85123A' must be <= 1, got 2"),
    ({"85123A": 1}, {"85123A": 1.0}, 3, TypeError, "the column of '85123A' must be an integer"),
    ({"a": 1, "b": 1}, {"a": 1, "b": 1}, 3, ValueError, "both 'a' and 'b' to the column 1"),
    ({"a": 1}, {"a": 0}, 0, ValueError, "n_items must be >= 1, got 0"),
])
def test_malformed_baskets_are_refused_naming_the_code(basket, sku_index, n_items, error,
                                                       message):
    with pytest.raises(error) as raised:
        basket_to_row(basket, sku_index, n_items)
    assert message in str(raised.value)


# --- latency_summary -------------------------------------------------------------------------

def test_percentiles_are_nearest_rank_in_milliseconds():
    seconds = np.arange(1, 101) / 1000  # 1 ms .. 100 ms
    assert latency_summary(seconds) == {"p50": 50.0, "p95": 95.0, "p99": 99.0}
    assert latency_summary([0.5]) == {"p50": 500.0, "p95": 500.0, "p99": 500.0}


def test_the_rank_is_rounded_up_not_interpolated():
    # 20 values: ceil(0.95 * 20) = 19, ceil(0.99 * 20) = 20, ceil(0.5 * 20) = 10
    seconds = np.random.default_rng(0).permutation(np.arange(1, 21)) / 1000
    assert latency_summary(seconds) == {"p50": 10.0, "p95": 19.0, "p99": 20.0}
    # 7 values: ceil(3.5) = 4, ceil(6.65) = 7, ceil(6.93) = 7
    assert latency_summary([0.007, 0.001, 0.006, 0.002, 0.005, 0.003, 0.004]) == {
        "p50": 4.0, "p95": 7.0, "p99": 7.0}


def test_the_summary_holds_python_floats_and_keeps_the_input():
    seconds = [0.003, 0.001, 0.002]
    summary = latency_summary(seconds)
    assert all(type(value) is float for value in summary.values())
    assert seconds == [0.003, 0.001, 0.002]


@pytest.mark.parametrize(("seconds", "error", "message"), [
    ([], ValueError, "seconds is empty"),
    ([0.1, math.nan], ValueError, "nan"),
    ([0.1, math.inf], ValueError, "inf"),
    ([0.1, -0.001], ValueError, "seconds holds -0.001 at [1]: a latency cannot be negative"),
    ([[0.1, 0.2]], ValueError, "1-d"),
    (["0.1"], TypeError, "seconds must hold numbers"),
])
def test_bad_latencies_are_refused(seconds, error, message):
    with pytest.raises(error) as raised:
        latency_summary(seconds)
    assert message in str(raised.value)
