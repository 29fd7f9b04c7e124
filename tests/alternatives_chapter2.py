"""``check`` on chapter 2: the dense interactions matrix and cosine similarity."""

import math

import numpy as np
import scipy.sparse as sp
from alternatives_helpers import reference_copy
from sklearn.metrics.pairwise import cosine_similarity


def _triples(interactions_mapping):
    """(rows, cols, scores) of a nested mapping, as arrays usable for indexing."""
    triples = [(customer, sku, score) for customer, scores in interactions_mapping.items()
               for sku, score in scores.items()]
    rows, cols, scores = zip(*triples, strict=True) if triples else ((), (), ())
    return np.array(rows, dtype=int), np.array(cols, dtype=int), np.array(scores, dtype=float)


# --- 2.1 build_interactions_matrix: wrong ---------------------------------------------


def matrix_transposed(interactions_mapping, total_customers, total_skus):
    """Puts skus in rows and customers in columns."""
    matrix = np.zeros((total_skus, total_customers))
    for customer, scores in interactions_mapping.items():
        for sku, score in scores.items():
            matrix[sku, customer] = score
    return matrix


def matrix_shape_from_indices(interactions_mapping, total_customers, total_skus):
    """Sizes the matrix from the largest indices seen, ignoring the totals."""
    rows, cols, scores = _triples(interactions_mapping)
    matrix = np.zeros((rows.max(initial=-1) + 1, cols.max(initial=-1) + 1))
    matrix[rows, cols] = scores
    return matrix


def matrix_of_ints(interactions_mapping, total_customers, total_skus):
    """Creates an integer array, so 8.5 becomes 8."""
    matrix = np.zeros((total_customers, total_skus), dtype=int)
    rows, cols, scores = _triples(interactions_mapping)
    matrix[rows, cols] = scores
    return matrix


def matrix_as_lists(interactions_mapping, total_customers, total_skus):
    """Returns nested Python lists instead of a NumPy array."""
    matrix = [[0.0] * total_skus for _ in range(total_customers)]
    for customer, scores in interactions_mapping.items():
        for sku, score in scores.items():
            matrix[customer][sku] = score
    return matrix


# --- 2.1 build_interactions_matrix: correct -------------------------------------------


def matrix_add_at(interactions_mapping, total_customers, total_skus):
    """np.add.at on the flattened coordinates."""
    matrix = np.zeros((total_customers, total_skus))
    rows, cols, scores = _triples(interactions_mapping)
    np.add.at(matrix, (rows, cols), scores)
    return matrix


def matrix_via_coo(interactions_mapping, total_customers, total_skus):
    """A COO sparse matrix turned dense."""
    rows, cols, scores = _triples(interactions_mapping)
    return sp.coo_matrix((scores, (rows, cols)), shape=(total_customers, total_skus)).toarray()


# --- 2.2 compute_similarity: wrong ----------------------------------------------------


def cosine_not_normalised(array1, array2):
    """Returns the dot product, forgetting to divide by the norms."""
    if len(array1) != len(array2):
        raise ValueError("lengths differ")
    return float(np.dot(array1, array2))


def cosine_one_norm(array1, array2):
    """Divides by the norm of the first array only."""
    if len(array1) != len(array2):
        raise ValueError("lengths differ")
    norm = np.linalg.norm(array1)
    return 0.0 if norm == 0 else float(np.dot(array1, array2) / norm)


def cosine_nan_on_zero(array1, array2):
    """Divides by zero norms, giving nan for a zero vector."""
    with np.errstate(invalid="ignore"):
        return float(np.dot(array1, array2) / (np.linalg.norm(array1) * np.linalg.norm(array2)))


def cosine_zip_truncates(array1, array2):
    """Zips the arrays, which silently drops the tail of the longer one."""
    dot = sum(x * y for x, y in zip(array1, array2))  # noqa: B905 -- the mistake itself
    norms = math.sqrt(sum(x * x for x in array1)) * math.sqrt(sum(y * y for y in array2))
    return 0.0 if norms == 0 else dot / norms


def cosine_rounded(array1, array2):
    """Rounds the similarity to 2 decimals."""
    return round(reference_copy("compute_similarity")(array1, array2), 2)


def cosine_absolute(array1, array2):
    """Takes the absolute value, so opposite vectors give 1 instead of -1."""
    return abs(reference_copy("compute_similarity")(array1, array2))


# --- 2.2 compute_similarity: correct --------------------------------------------------


def cosine_sklearn(array1, array2):
    """sklearn's cosine_similarity (zero vectors give 0; returns a numpy float)."""
    return cosine_similarity(np.atleast_2d(array1), np.atleast_2d(array2))[0, 0]


def cosine_pure_python(array1, array2):
    """math.fsum and math.hypot, no NumPy."""
    if len(array1) != len(array2):
        raise ValueError(f"lengths differ: {len(array1)} and {len(array2)}")
    norms = math.hypot(*array1) * math.hypot(*array2)
    return 0.0 if norms == 0 else math.fsum(x * y for x, y in zip(array1, array2,
                                                                    strict=True)) / norms


# --- 2.3 build_similarity_matrix: wrong -----------------------------------------------


def _loop_similarity(vectors):
    """Cosine of every pair of rows of ``vectors``, with Python loops."""
    cosine = reference_copy("compute_similarity")
    return np.array([[cosine(a, b) for b in vectors] for a in vectors], dtype=float)


def similarity_of_customers(interactions_matrix):
    """Compares rows (customers) instead of columns (skus)."""
    return _loop_similarity(interactions_matrix)


def similarity_not_normalised(interactions_matrix):
    """Loops over pairs of columns but keeps the raw dot products."""
    n_skus = interactions_matrix.shape[1]
    return np.array([[float(interactions_matrix[:, i] @ interactions_matrix[:, j])
                      for j in range(n_skus)] for i in range(n_skus)])


def similarity_nan_on_zero_column(interactions_matrix):
    """Divides by the column norms without guarding against a zero column."""
    columns = interactions_matrix.T
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.array([[a @ b / (np.linalg.norm(a) * np.linalg.norm(b)) for b in columns]
                         for a in columns])


def similarity_upper_triangle(interactions_matrix):
    """Fills only j >= i and forgets to mirror the lower triangle."""
    cosine = reference_copy("compute_similarity")
    n_skus = interactions_matrix.shape[1]
    similarity = np.zeros((n_skus, n_skus))
    for i in range(n_skus):
        for j in range(i, n_skus):
            similarity[i, j] = cosine(interactions_matrix[:, i], interactions_matrix[:, j])
    return similarity


def similarity_pearson(interactions_matrix):
    """Uses the Pearson correlation (centred) instead of the cosine."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num(np.atleast_2d(np.corrcoef(interactions_matrix, rowvar=False)))


# --- 2.3 build_similarity_matrix: correct ---------------------------------------------


def similarity_loop_all_pairs(interactions_matrix):
    """Loops over every ordered pair of columns (no symmetry shortcut)."""
    return _loop_similarity(np.asarray(interactions_matrix).T)


def similarity_sklearn(interactions_matrix):
    """sklearn's cosine_similarity of the skus (the columns)."""
    return cosine_similarity(interactions_matrix.T)


WRONG = [
    ("build_interactions_matrix", matrix_transposed, "cell (1, 2) is 2.5, expected 0.5"),
    ("build_interactions_matrix", matrix_shape_from_indices,
     "its shape is (2, 2), expected (4, 5)"),
    ("build_interactions_matrix", matrix_of_ints, "its dtype is int64"),
    ("build_interactions_matrix", matrix_as_lists, "should return a numpy ndarray, not list"),
    ("compute_similarity", cosine_not_normalised, "differs from the expected"),
    ("compute_similarity", cosine_one_norm, "differs from the expected"),
    ("compute_similarity", cosine_nan_on_zero, "it returned nan"),
    ("compute_similarity", cosine_zip_truncates, "it returned instead of raising ValueError"),
    ("compute_similarity", cosine_rounded, "differs from the expected"),
    ("compute_similarity", cosine_absolute, "differs from the expected -1.0"),
    ("build_similarity_matrix", similarity_of_customers, "its shape is (3, 3), expected (4, 4)"),
    ("build_similarity_matrix", similarity_not_normalised, "cell (0, 0)"),
    ("build_similarity_matrix", similarity_nan_on_zero_column, "it contains nan"),
    ("build_similarity_matrix", similarity_upper_triangle, "cell (2, 1) is 0"),
    ("build_similarity_matrix", similarity_pearson, "cell"),
]

CORRECT = [
    ("build_interactions_matrix", matrix_add_at),
    ("build_interactions_matrix", matrix_via_coo),
    ("compute_similarity", cosine_sklearn),
    ("compute_similarity", cosine_pure_python),
    ("build_similarity_matrix", similarity_loop_all_pairs),
    ("build_similarity_matrix", similarity_sklearn),
]
