"""``check`` on chapter 3: the algebraic similarity, dense and sparse."""

import numpy as np
import scipy.sparse as sp
from alternatives_helpers import reference_copy
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.preprocessing import normalize


def _safe_inverse(norms):
    """1 / norms with 0 where the norm is 0."""
    norms = np.asarray(norms, dtype=float).ravel()
    return np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)


# --- 3.1 build_algebraic_similarity_matrix: wrong -------------------------------------


def algebraic_of_customers(interactions_matrix):
    """Normalises the rows and takes A A^T: customer-customer similarity."""
    unit_rows = normalize(interactions_matrix, axis=1)
    return unit_rows @ unit_rows.T


def algebraic_nan_on_zero_column(interactions_matrix):
    """Divides A^T A by the outer product of the norms, giving nan for a zero column."""
    norms = np.linalg.norm(interactions_matrix, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return interactions_matrix.T @ interactions_matrix / np.outer(norms, norms)


def algebraic_one_side(interactions_matrix):
    """Computes D^-1 A^T A, forgetting the second D^-1."""
    inverse = _safe_inverse(np.linalg.norm(interactions_matrix, axis=0))
    return inverse[:, None] * (interactions_matrix.T @ interactions_matrix)


def algebraic_inverts_singular_d(interactions_matrix):
    """Inverts D with np.linalg.inv, which fails when a sku has a zero column."""
    d_inverse = np.linalg.inv(np.diag(np.linalg.norm(interactions_matrix, axis=0)))
    return d_inverse @ interactions_matrix.T @ interactions_matrix @ d_inverse


def algebraic_scales_input_in_place(interactions_matrix):
    """Scales the caller's matrix to unit columns in place (*=) instead of a copy."""
    interactions_matrix *= _safe_inverse(np.linalg.norm(interactions_matrix, axis=0))
    return interactions_matrix.T @ interactions_matrix


# --- 3.1 build_algebraic_similarity_matrix: correct -----------------------------------


def algebraic_sklearn_normalize(interactions_matrix):
    """Unit columns with sklearn's normalize (zero columns stay zero), then N^T N."""
    unit_columns = normalize(interactions_matrix.astype(float), axis=0)
    return unit_columns.T @ unit_columns


def algebraic_pseudo_inverse(interactions_matrix):
    """D^-1 as the pseudo-inverse of diag(norms): the formula literally, 0 for zero norms."""
    d_inverse = np.linalg.pinv(np.diag(np.linalg.norm(interactions_matrix, axis=0)))
    return d_inverse @ interactions_matrix.T @ interactions_matrix @ d_inverse


def algebraic_einsum(interactions_matrix):
    """np.einsum for the Gram matrix, then both scalings by broadcasting."""
    matrix = np.asarray(interactions_matrix, dtype=float)
    inverse = _safe_inverse(np.sqrt(np.einsum("ij,ij->j", matrix, matrix)))
    return np.einsum("ki,kj->ij", matrix, matrix) * np.outer(inverse, inverse)


# --- 3.2 build_sparse_interactions_matrix: wrong --------------------------------------


def sparse_matrix_csr(interactions_mapping, total_customers, total_skus):
    """Builds a CSR matrix instead of CSC."""
    return sp.csr_array(reference_copy("build_interactions_matrix")(
        interactions_mapping, total_customers, total_skus))


def sparse_matrix_coo(interactions_mapping, total_customers, total_skus):
    """Stops at the COO matrix and never converts it to CSC."""
    return sp.coo_array(reference_copy("build_interactions_matrix")(
        interactions_mapping, total_customers, total_skus))


def sparse_matrix_dense(interactions_mapping, total_customers, total_skus):
    """Returns the dense array of chapter 2."""
    return reference_copy("build_interactions_matrix")(
        interactions_mapping, total_customers, total_skus)


def sparse_matrix_transposed(interactions_mapping, total_customers, total_skus):
    """Puts skus in rows and customers in columns."""
    return sp.csc_array(reference_copy("build_interactions_matrix")(
        interactions_mapping, total_customers, total_skus).T)


def sparse_matrix_of_ints(interactions_mapping, total_customers, total_skus):
    """Asks for an integer dtype, so 8.5 becomes 8."""
    matrix = sp.lil_array((total_customers, total_skus), dtype=int)
    for customer, scores in interactions_mapping.items():
        for sku, score in scores.items():
            matrix[customer, sku] = score
    return matrix.tocsc()


# --- 3.2 build_sparse_interactions_matrix: correct ------------------------------------


def sparse_matrix_lil(interactions_mapping, total_customers, total_skus):
    """Fills a lil_matrix cell by cell, then converts it to csc_matrix."""
    matrix = sp.lil_matrix((total_customers, total_skus))
    for customer, scores in interactions_mapping.items():
        for sku, score in scores.items():
            matrix[customer, sku] = score
    return matrix.tocsc()


def sparse_matrix_dok(interactions_mapping, total_customers, total_skus):
    """A dok_array keyed by (row, column), converted to CSC."""
    matrix = sp.dok_array((total_customers, total_skus), dtype=float)
    for customer, scores in interactions_mapping.items():
        for sku, score in scores.items():
            matrix[customer, sku] = score
    return matrix.tocsc()


def sparse_matrix_from_dense(interactions_mapping, total_customers, total_skus):
    """csc_matrix of the chapter-2 dense array."""
    return sp.csc_matrix(reference_copy("build_interactions_matrix")(
        interactions_mapping, total_customers, total_skus))


# --- 3.3 build_algebraic_sparse_similarity_matrix: wrong ------------------------------


def sparse_similarity_densified(sparse_interactions_matrix):
    """Turns the input into a dense array (fine on toys, too big on real data)."""
    return sp.csc_array(reference_copy("build_algebraic_similarity_matrix")(
        sparse_interactions_matrix.toarray()))


def sparse_similarity_csr(sparse_interactions_matrix):
    """Returns N^T N as it comes out of the product: CSR, not CSC."""
    unit_columns = normalize(sparse_interactions_matrix, axis=0)
    return unit_columns.T @ unit_columns


def sparse_similarity_dense_output(sparse_interactions_matrix):
    """Uses sklearn's cosine_similarity with its default dense output."""
    return cosine_similarity(sparse_interactions_matrix.T)


def sparse_similarity_stores_zeros(sparse_interactions_matrix):
    """Builds the result from every (i, j) pair, storing the zero similarities."""
    unit_columns = normalize(sparse_interactions_matrix, axis=0)
    similarity = (unit_columns.T @ unit_columns).toarray()  # only skus x skus
    rows, cols = np.indices(similarity.shape)
    return sp.csc_array((similarity.ravel(), (rows.ravel(), cols.ravel())),
                        shape=similarity.shape)


def sparse_similarity_normalises_input(sparse_interactions_matrix):
    """Scales the input's own data to unit columns, modifying it in place."""
    matrix = sparse_interactions_matrix
    norms = np.sqrt(np.asarray(matrix.power(2).sum(axis=0)).ravel())
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
    return sp.csc_array(matrix.T @ matrix)


def sparse_similarity_of_customers(sparse_interactions_matrix):
    """Normalises the rows and takes A A^T: customer-customer similarity."""
    unit_rows = normalize(sparse_interactions_matrix, axis=1)
    return sp.csc_array(unit_rows @ unit_rows.T)


# --- 3.3 build_algebraic_sparse_similarity_matrix: correct ----------------------------


def sparse_similarity_sklearn(sparse_interactions_matrix):
    """sklearn's cosine_similarity kept sparse, converted to csc_matrix."""
    return cosine_similarity(sparse_interactions_matrix.T, dense_output=False).tocsc()


def sparse_similarity_diagonal(sparse_interactions_matrix):
    """D^-1 A^T A D^-1 with a sparse diagonal D^-1, as a csc_matrix."""
    squares = sparse_interactions_matrix.multiply(sparse_interactions_matrix)
    d_inverse = sp.diags_array(_safe_inverse(np.sqrt(squares.sum(axis=0))))
    product = d_inverse @ sparse_interactions_matrix.T @ sparse_interactions_matrix @ d_inverse
    return sp.csc_matrix(product)


WRONG = [
    ("build_algebraic_similarity_matrix", algebraic_of_customers,
     "its shape is (3, 3), expected (4, 4)"),
    ("build_algebraic_similarity_matrix", algebraic_nan_on_zero_column, "it contains nan"),
    ("build_algebraic_similarity_matrix", algebraic_one_side, "cell"),
    ("build_algebraic_similarity_matrix", algebraic_inverts_singular_d,
     "your function raised LinAlgError"),
    ("build_algebraic_similarity_matrix", algebraic_scales_input_in_place,
     "it modified its input"),
    ("build_sparse_interactions_matrix", sparse_matrix_csr, "the contract asks for CSC"),
    ("build_sparse_interactions_matrix", sparse_matrix_coo, "it returned a COO matrix"),
    ("build_sparse_interactions_matrix", sparse_matrix_dense,
     "should return a scipy.sparse CSC matrix, not ndarray"),
    ("build_sparse_interactions_matrix", sparse_matrix_transposed, "cell (1, 2) is 2.5"),
    ("build_sparse_interactions_matrix", sparse_matrix_of_ints, "its dtype is int64"),
    ("build_algebraic_sparse_similarity_matrix", sparse_similarity_densified,
     "the sparse input seems to have been turned into a dense array"),
    ("build_algebraic_sparse_similarity_matrix", sparse_similarity_csr,
     "it returned a CSR matrix"),
    ("build_algebraic_sparse_similarity_matrix", sparse_similarity_dense_output,
     "not ndarray"),
    ("build_algebraic_sparse_similarity_matrix", sparse_similarity_stores_zeros,
     "explicit zero"),
    ("build_algebraic_sparse_similarity_matrix", sparse_similarity_normalises_input,
     "it modified its input"),
    ("build_algebraic_sparse_similarity_matrix", sparse_similarity_of_customers,
     "its shape is (3, 3), expected (4, 4)"),
]

CORRECT = [
    ("build_algebraic_similarity_matrix", algebraic_sklearn_normalize),
    ("build_algebraic_similarity_matrix", algebraic_pseudo_inverse),
    ("build_algebraic_similarity_matrix", algebraic_einsum),
    ("build_sparse_interactions_matrix", sparse_matrix_lil),
    ("build_sparse_interactions_matrix", sparse_matrix_dok),
    ("build_sparse_interactions_matrix", sparse_matrix_from_dense),
    ("build_algebraic_sparse_similarity_matrix", sparse_similarity_sklearn),
    ("build_algebraic_sparse_similarity_matrix", sparse_similarity_diagonal),
]
