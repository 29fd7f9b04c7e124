"""``check`` on chapter 4: recommendations from the similarity matrix."""

import heapq

import numpy as np
import scipy.sparse as sp

# --- 4.1 build_customer_vector: wrong -------------------------------------------------


def _known(customer_interactions, skus_mapping):
    """(rows, scores) of the skus that map; ValueError when none does."""
    known = [(skus_mapping[sku], score) for sku, score in customer_interactions.items()
             if sku in skus_mapping]
    if not known:
        raise ValueError(f"no sku of {list(customer_interactions)} is in skus_mapping")
    rows, scores = zip(*known, strict=True)
    return list(rows), list(scores)


def vector_as_row(customer_interactions, skus_mapping):
    """Builds a row vector (1, m) instead of a column vector (m, 1)."""
    rows, scores = _known(customer_interactions, skus_mapping)
    return sp.csc_array((scores, ([0] * len(rows), rows)), shape=(1, len(skus_mapping)))


def vector_csr(customer_interactions, skus_mapping):
    """Builds a CSR column vector instead of CSC."""
    rows, scores = _known(customer_interactions, skus_mapping)
    return sp.csr_array((scores, (rows, [0] * len(rows))), shape=(len(skus_mapping), 1))


def vector_dense(customer_interactions, skus_mapping):
    """Returns a dense NumPy column."""
    vector = np.zeros((len(skus_mapping), 1))
    rows, scores = _known(customer_interactions, skus_mapping)
    vector[rows, 0] = scores
    return vector


def vector_unknown_sku_keyerror(customer_interactions, skus_mapping):
    """Looks every sku up, so an unknown sku raises KeyError instead of being ignored."""
    rows = [skus_mapping[sku] for sku in customer_interactions]
    if not rows:
        raise ValueError("no sku")
    return sp.csc_array((list(customer_interactions.values()), (rows, [0] * len(rows))),
                        shape=(len(skus_mapping), 1))


def vector_zeros_when_nothing_maps(customer_interactions, skus_mapping):
    """Returns a vector of zeros instead of raising ValueError when no sku maps."""
    vector = sp.lil_array((len(skus_mapping), 1))
    for sku, score in customer_interactions.items():
        if sku in skus_mapping:
            vector[skus_mapping[sku], 0] = score
    return vector.tocsc()


def vector_shape_from_largest_index(customer_interactions, skus_mapping):
    """Sizes the vector from the largest index the customer uses, not the mapping."""
    rows, scores = _known(customer_interactions, skus_mapping)
    return sp.csc_array((scores, (rows, [0] * len(rows))), shape=(max(rows) + 1, 1))


# --- 4.1 build_customer_vector: correct -----------------------------------------------


def vector_dok(customer_interactions, skus_mapping):
    """A dok_array filled cell by cell, converted to CSC."""
    rows, scores = _known(customer_interactions, skus_mapping)
    vector = sp.dok_array((len(skus_mapping), 1))
    for row, score in zip(rows, scores, strict=True):
        vector[row, 0] = score
    return vector.tocsc()


def vector_from_dense(customer_interactions, skus_mapping):
    """A dense column turned into a csc_matrix."""
    return sp.csc_matrix(vector_dense(customer_interactions, skus_mapping))


# --- 4.2 make_recos: wrong ------------------------------------------------------------


def _scores(similarity_matrix, customer_interactions):
    scores = similarity_matrix @ customer_interactions
    return np.ravel(scores.toarray() if sp.issparse(scores) else scores)


def _check_n(n, m):
    if not 0 <= n <= m:
        raise ValueError(f"n = {n} is outside 0..{m}")


def recos_ascending(similarity_matrix, customer_interactions, n):
    """Sorts ascending, so the worst skus come first."""
    _check_n(n, similarity_matrix.shape[0])
    return np.argsort(_scores(similarity_matrix, customer_interactions))[:n].tolist()


def recos_ndarray(similarity_matrix, customer_interactions, n):
    """Returns the NumPy array of indices instead of a list."""
    _check_n(n, similarity_matrix.shape[0])
    return np.argsort(-_scores(similarity_matrix, customer_interactions))[:n]


def recos_minus_zero_slice(similarity_matrix, customer_interactions, n):
    """Takes [-n:] of an ascending sort: with n = 0 that is every sku."""
    _check_n(n, similarity_matrix.shape[0])
    return np.argsort(_scores(similarity_matrix, customer_interactions))[-n:][::-1].tolist()


def recos_argpartition_unsorted(similarity_matrix, customer_interactions, n):
    """Selects the n best with np.argpartition but never sorts them."""
    _check_n(n, similarity_matrix.shape[0])
    if n == 0:
        return []
    return np.argpartition(-_scores(similarity_matrix, customer_interactions), n - 1)[:n].tolist()


def recos_no_range_check(similarity_matrix, customer_interactions, n):
    """Slices without checking n, so n > m quietly returns every sku."""
    return np.argsort(-_scores(similarity_matrix, customer_interactions))[:n].tolist()


def recos_sparse_not_densified(similarity_matrix, customer_interactions, n):
    """Calls .ravel() on S @ r, which a sparse product does not have."""
    _check_n(n, similarity_matrix.shape[0])
    scores = (similarity_matrix @ customer_interactions).ravel()
    return np.argsort(-scores)[:n].tolist()


def recos_exclude_seen(similarity_matrix, customer_interactions, n):
    """Drops the skus the customer already has, which this exercise must not do."""
    _check_n(n, similarity_matrix.shape[0])
    scores = _scores(similarity_matrix, customer_interactions)
    seen = np.ravel(sp.csc_array(customer_interactions).toarray()) != 0
    scores[seen] = -np.inf
    return np.argsort(-scores)[:n].tolist()


# --- 4.2 make_recos: correct ----------------------------------------------------------


def recos_full_argsort(similarity_matrix, customer_interactions, n):
    """A full O(m log m) argsort (check cannot see the complexity)."""
    _check_n(n, similarity_matrix.shape[0])
    return np.argsort(-_scores(similarity_matrix, customer_interactions),
                      kind="stable")[:n].tolist()


def recos_heapq(similarity_matrix, customer_interactions, n):
    """heapq.nlargest over the sku indices, keyed by score."""
    _check_n(n, similarity_matrix.shape[0])
    scores = _scores(similarity_matrix, customer_interactions)
    return heapq.nlargest(n, range(scores.size), key=scores.__getitem__)


def recos_numpy_ints(similarity_matrix, customer_interactions, n):
    """argpartition, then a list of numpy integers (list(array), not .tolist())."""
    _check_n(n, similarity_matrix.shape[0])
    scores = _scores(similarity_matrix, customer_interactions)
    if n == 0:
        return []
    best = np.argpartition(scores, scores.size - n)[scores.size - n:]
    return list(best[np.argsort(scores[best])[::-1]])


# --- 4.3 get_inverse_skus_map: wrong --------------------------------------------------


def inverse_not_inverted(skus_map):
    """Copies the mapping without swapping keys and values."""
    return dict(skus_map)


def inverse_as_list(skus_map):
    """Returns the skus ordered by index as a list instead of a dict."""
    return sorted(skus_map, key=skus_map.get)


def inverse_by_position(skus_map):
    """Assumes the dict's order is the index order."""
    return dict(enumerate(skus_map))


# --- 4.3 get_inverse_skus_map: correct ------------------------------------------------


def inverse_zip(skus_map):
    """dict(zip(values, keys))."""
    return dict(zip(skus_map.values(), skus_map.keys(), strict=True))


def inverse_loop(skus_map):
    """An explicit loop over the items."""
    inverse = {}
    for sku, index in skus_map.items():
        inverse[index] = sku
    return inverse


WRONG = [
    ("build_customer_vector", vector_as_row, "its shape is (1, 3), expected (3, 1)"),
    ("build_customer_vector", vector_csr, "it returned a CSR matrix"),
    ("build_customer_vector", vector_dense, "not ndarray"),
    ("build_customer_vector", vector_unknown_sku_keyerror, "your function raised KeyError"),
    ("build_customer_vector", vector_zeros_when_nothing_maps,
     "it returned instead of raising ValueError"),
    ("build_customer_vector", vector_shape_from_largest_index,
     "its shape is (1, 1), expected (3, 1)"),
    ("make_recos", recos_ascending, "position 0 holds sku"),
    ("make_recos", recos_ndarray, "should return a list, not ndarray"),
    ("make_recos", recos_argpartition_unsorted, "the score at that position should be 1000"),
    ("make_recos", recos_minus_zero_slice, "it returned 4 skus, expected n = 0"),
    ("make_recos", recos_no_range_check, "it returned instead of raising ValueError"),
    ("make_recos", recos_sparse_not_densified, "your function raised AttributeError"),
    ("make_recos", recos_exclude_seen, "position 0 holds sku 0"),
    ("get_inverse_skus_map", inverse_not_inverted, "key 0 is missing"),
    ("get_inverse_skus_map", inverse_as_list, "should return a dict, not list"),
    ("get_inverse_skus_map", inverse_by_position, "2 maps to 'c', expected 'a'"),
]

CORRECT = [
    ("build_customer_vector", vector_dok),
    ("build_customer_vector", vector_from_dense),
    ("make_recos", recos_full_argsort),
    ("make_recos", recos_heapq),
    ("make_recos", recos_numpy_ints),
    ("get_inverse_skus_map", inverse_zip),
    ("get_inverse_skus_map", inverse_loop),
]
