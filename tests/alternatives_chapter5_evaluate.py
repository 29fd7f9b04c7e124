"""``check`` on chapter 5, results: mean AUC and readable recommendations."""

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score

# --- 5.4 calc_mean_auc: wrong ---------------------------------------------------------


def _auc_per_user(training_set, altered_users, predictions, test_set, popularity,
                  skip_trained=True):
    """Mean per-user roc_auc_score of the model and of ``popularity``."""
    user_factors, item_factors = predictions
    training, test = sp.csr_array(training_set).toarray(), sp.csr_array(test_set).toarray()
    model_aucs, popularity_aucs = [], []
    for user in altered_users:
        candidates = training[user] == 0 if skip_trained else np.ones(training.shape[1], bool)
        actual = test[user, candidates] != 0
        if actual.all() or not actual.any():
            continue
        model_aucs.append(roc_auc_score(actual, (user_factors[user] @ item_factors.T)[candidates]))
        popularity_aucs.append(roc_auc_score(actual, popularity[candidates]))
    return float(np.mean(model_aucs)), float(np.mean(popularity_aucs))


def _customers_per_sku(matrix):
    return np.ravel((sp.csr_array(matrix) != 0).sum(axis=0))


def auc_popularity_on_test(training_set, altered_users, predictions, test_set):
    """Counts popularity on test_set, leaking the held-out cells (the original analysis)."""
    return _auc_per_user(training_set, altered_users, predictions, test_set,
                         _customers_per_sku(test_set))


def auc_rounded(training_set, altered_users, predictions, test_set):
    """Rounds both means to 3 decimals, as the original analysis printed them."""
    model, popularity = _auc_per_user(training_set, altered_users, predictions, test_set,
                                      _customers_per_sku(training_set))
    return round(model, 3), round(popularity, 3)


def auc_popularity_of_quantities(training_set, altered_users, predictions, test_set):
    """Sums the quantities per sku instead of counting customers."""
    return _auc_per_user(training_set, altered_users, predictions, test_set,
                         np.ravel(training_set.sum(axis=0)))


def auc_every_user(training_set, altered_users, predictions, test_set):
    """Averages over every customer with a held-out sku, not over altered_users."""
    return _auc_per_user(training_set, range(training_set.shape[0]), predictions, test_set,
                         _customers_per_sku(training_set))


def auc_trained_skus_as_candidates(training_set, altered_users, predictions, test_set):
    """Ranks every sku, including those the user already has in training_set."""
    return _auc_per_user(training_set, altered_users, predictions, test_set,
                         _customers_per_sku(training_set), skip_trained=False)


# --- 5.4 calc_mean_auc: correct -------------------------------------------------------


def auc_roc_auc_score(training_set, altered_users, predictions, test_set):
    """One sklearn roc_auc_score per user, popularity counted on training_set."""
    return _auc_per_user(training_set, altered_users, predictions, test_set,
                         _customers_per_sku(training_set))


def _mann_whitney(scores, positive):
    """AUC as the normalised rank-sum of the positives (ties get average ranks)."""
    n_positive, n_negative = positive.sum(), (~positive).sum()
    rank_sum = rankdata(scores)[positive].sum()
    return (rank_sum - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative)


def auc_rank_sum(training_set, altered_users, predictions, test_set):
    """The Mann-Whitney U statistic per user, with scipy's rankdata."""
    user_factors, item_factors = predictions
    popularity = _customers_per_sku(training_set)
    model, baseline = [], []
    for user in altered_users:
        candidates = sp.csr_array(training_set)[[user]].toarray().ravel() == 0
        positive = sp.csr_array(test_set)[[user]].toarray().ravel()[candidates] != 0
        model.append(_mann_whitney((item_factors @ user_factors[user])[candidates], positive))
        baseline.append(_mann_whitney(popularity[candidates], positive))
    return float(np.mean(model)), float(np.mean(baseline))


# --- 5.5 rec_items and 5.6 get_items_purchased: wrong ---------------------------------


def _first_descriptions(item_lookup, keep="first"):
    return item_lookup.drop_duplicates("StockCode", keep=keep).set_index("StockCode")[
        "Description"]


def _table(codes, item_lookup, keep="first"):
    codes = list(codes)
    descriptions = _first_descriptions(item_lookup, keep).reindex(codes).tolist()
    return pd.DataFrame({"StockCode": codes, "Description": descriptions})


def _row(customer_id, customer_list):
    rows = {customer: row for row, customer in enumerate(customer_list)}
    return rows[customer_id]


def _ranked(row, mf_train, user_vecs, item_vecs, exclude=True, descending=True):
    scores = user_vecs[row] @ item_vecs.T
    order = np.argsort(-scores if descending else scores, kind="stable")
    bought = set(sp.csr_array(mf_train)[[row]].indices.tolist()) if exclude else set()
    return [column for column in order if column not in bought]


def rec_items_keeps_bought(customer_id, mf_train, user_vecs, item_vecs, customer_list,
                           item_list, item_lookup, num_items=10):
    """Recommends the best skus overall, including those already bought."""
    ranked = _ranked(_row(customer_id, customer_list), mf_train, user_vecs, item_vecs,
                     exclude=False)
    return _table(item_list[ranked[:num_items]], item_lookup)


def rec_items_id_as_row(customer_id, mf_train, user_vecs, item_vecs, customer_list,
                        item_list, item_lookup, num_items=10):
    """Uses the CustomerID as the row of user_vecs."""
    ranked = _ranked(customer_id, mf_train, user_vecs, item_vecs)
    return _table(item_list[ranked[:num_items]], item_lookup)


def rec_items_ascending(customer_id, mf_train, user_vecs, item_vecs, customer_list,
                        item_list, item_lookup, num_items=10):
    """Sorts the scores ascending, so the worst unbought skus come first."""
    ranked = _ranked(_row(customer_id, customer_list), mf_train, user_vecs, item_vecs,
                     descending=False)
    return _table(item_list[ranked[:num_items]], item_lookup)


def rec_items_last_description(customer_id, mf_train, user_vecs, item_vecs, customer_list,
                               item_list, item_lookup, num_items=10):
    """Keeps the last description of a sku instead of its first."""
    ranked = _ranked(_row(customer_id, customer_list), mf_train, user_vecs, item_vecs)
    return _table(item_list[ranked[:num_items]], item_lookup, keep="last")


def rec_items_pads_with_bought(customer_id, mf_train, user_vecs, item_vecs, customer_list,
                               item_list, item_lookup, num_items=10):
    """Puts bought skus last instead of dropping them, so short lists get padded."""
    row = _row(customer_id, customer_list)
    unbought = _ranked(row, mf_train, user_vecs, item_vecs)
    rest = [column for column in _ranked(row, mf_train, user_vecs, item_vecs, exclude=False)
            if column not in unbought]
    return _table(item_list[(unbought + rest)[:num_items]], item_lookup)


def rec_items_list_index(customer_id, mf_train, user_vecs, item_vecs, customer_list,
                         item_list, item_lookup, num_items=10):
    """Finds the row with list.index, which raises ValueError for an unknown customer."""
    ranked = _ranked(list(customer_list).index(customer_id), mf_train, user_vecs, item_vecs)
    return _table(item_list[ranked[:num_items]], item_lookup)


def rec_items_default_five(customer_id, mf_train, user_vecs, item_vecs, customer_list,
                           item_list, item_lookup, num_items=5):
    """Defaults num_items to 5 instead of 10."""
    ranked = _ranked(_row(customer_id, customer_list), mf_train, user_vecs, item_vecs)
    return _table(item_list[ranked[:num_items]], item_lookup)


def _bought(row, mf_train):
    return sorted(sp.csr_array(mf_train)[[row]].indices.tolist())


def purchased_id_as_row(customer_id, mf_train, customer_list, item_list, item_lookup):
    """Uses the CustomerID as the row of mf_train."""
    return _table(item_list[_bought(customer_id, mf_train)], item_lookup)


def purchased_everyone(customer_id, mf_train, customer_list, item_list, item_lookup):
    """Takes mf_train.nonzero() of the whole matrix: every customer's skus."""
    _row(customer_id, customer_list)
    return _table(item_list[np.unique(mf_train.nonzero()[1])], item_lookup)


def purchased_last_description(customer_id, mf_train, customer_list, item_list, item_lookup):
    """Keeps the last description of a sku instead of its first."""
    return _table(item_list[_bought(_row(customer_id, customer_list), mf_train)], item_lookup,
                  keep="last")


def purchased_with_quantity(customer_id, mf_train, customer_list, item_list, item_lookup):
    """Adds a Quantity column the contract does not ask for."""
    row = _row(customer_id, customer_list)
    table = _table(item_list[_bought(row, mf_train)], item_lookup)
    return table.assign(Quantity=sp.csr_array(mf_train)[[row]].toarray().ravel()[
        _bought(row, mf_train)])


def purchased_list_index(customer_id, mf_train, customer_list, item_list, item_lookup):
    """Finds the row with list.index, which raises ValueError for an unknown customer."""
    row = list(customer_list).index(customer_id)
    return _table(item_list[_bought(row, mf_train)], item_lookup)


# --- 5.5 rec_items and 5.6 get_items_purchased: correct -------------------------------


def rec_items_pandas(customer_id, mf_train, user_vecs, item_vecs, customer_list, item_list,
                     item_lookup, num_items=10):
    """A Series of scores: drop the bought skus, nlargest, then merge the descriptions."""
    row = _row(customer_id, customer_list)
    scores = pd.Series(item_vecs @ user_vecs[row])
    scores = scores.drop(index=sp.csr_array(mf_train)[[row]].indices)
    best = pd.DataFrame({"StockCode": np.asarray(item_list)[scores.nlargest(num_items).index]})
    first = item_lookup.groupby("StockCode", sort=False)["Description"].first().reset_index()
    return best.merge(first, on="StockCode", how="left")


def rec_items_python(customer_id, mf_train, user_vecs, item_vecs, customer_list, item_list,
                     item_lookup, num_items=10):
    """sorted() over the unbought columns and a dict of first descriptions."""
    matches = np.flatnonzero(np.asarray(customer_list) == customer_id)
    if matches.size == 0:
        raise KeyError(f"unknown customer {customer_id!r}")
    row = int(matches[0])
    bought = set(mf_train[[row]].nonzero()[1].tolist())
    scores = user_vecs[row] @ item_vecs.T
    best = sorted((column for column in range(len(item_list)) if column not in bought),
                  key=lambda column: -scores[column])[:num_items]
    first = {}
    for code, description in zip(item_lookup["StockCode"], item_lookup["Description"],
                                 strict=True):
        first.setdefault(code, description)
    codes = [item_list[column] for column in best]
    return pd.DataFrame({"StockCode": codes, "Description": [first[code] for code in codes]},
                        columns=["StockCode", "Description"])


def purchased_merge(customer_id, mf_train, customer_list, item_list, item_lookup):
    """The row's nonzero columns, merged with the first descriptions."""
    row = _row(customer_id, customer_list)
    columns = mf_train[[row]].toarray().ravel().nonzero()[0]
    bought = pd.DataFrame({"StockCode": np.asarray(item_list)[columns]})
    return bought.merge(item_lookup.drop_duplicates("StockCode"), on="StockCode", how="left")


def purchased_reversed(customer_id, mf_train, customer_list, item_list, item_lookup):
    """Rows in reverse column order (order is free), descriptions from a reversed dict."""
    row = _row(customer_id, customer_list)
    first = dict(zip(item_lookup["StockCode"][::-1], item_lookup["Description"][::-1],
                     strict=True))
    codes = [item_list[column] for column in reversed(_bought(row, mf_train))]
    return pd.DataFrame({"StockCode": codes, "Description": [first[code] for code in codes]},
                        columns=["StockCode", "Description"])


WRONG = [
    ("calc_mean_auc", auc_popularity_on_test, "popularity_auc is 0.75, expected 0.25"),
    ("calc_mean_auc", auc_rounded, "(unrounded)"),
    ("calc_mean_auc", auc_popularity_of_quantities, "popularity_auc is 1.0, expected 0.5"),
    ("calc_mean_auc", auc_every_user, "model_auc is 0.5, expected 1.0"),
    ("calc_mean_auc", auc_trained_skus_as_candidates, "model_auc is 0.5, expected 1.0"),
    ("rec_items", rec_items_keeps_bought,
     "row ['84029G', 'KNITTED UNION FLAG HOT WATER BOTTLE'] should be"),
    ("rec_items", rec_items_id_as_row, "your function raised IndexError"),
    ("rec_items", rec_items_ascending, "row ['21730', 'GLASS STAR FROSTED'] should be"),
    ("rec_items", rec_items_last_description,
     "row ['71053', 'LANTERN'] should be ['71053', 'WHITE METAL LANTERN']"),
    ("rec_items", rec_items_pads_with_bought, "it has 5 rows, expected 1"),
    ("rec_items", rec_items_list_index, "expected KeyError, but your function raised ValueError"),
    ("rec_items", rec_items_default_five, "it has 5 rows, expected 10"),
    ("get_items_purchased", purchased_id_as_row, "your function raised IndexError"),
    ("get_items_purchased", purchased_everyone, "it has 6 rows, expected 5"),
    ("get_items_purchased", purchased_last_description,
     "should be ['22423', 'CAKESTAND (2ND NAME)']"),
    ("get_items_purchased", purchased_with_quantity, "its columns are"),
    ("get_items_purchased", purchased_list_index,
     "expected KeyError, but your function raised ValueError"),
]

CORRECT = [
    ("calc_mean_auc", auc_roc_auc_score),
    ("calc_mean_auc", auc_rank_sum),
    ("rec_items", rec_items_pandas),
    ("rec_items", rec_items_python),
    ("get_items_purchased", purchased_merge),
    ("get_items_purchased", purchased_reversed),
]
