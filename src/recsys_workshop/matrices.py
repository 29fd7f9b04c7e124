"""Chapters 2 and 3: the customers x skus interactions matrix, dense and sparse."""

from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from ._validation import check_count

__all__ = ["build_interactions_matrix", "build_sparse_interactions_matrix"]


def build_interactions_matrix(
    interactions_mapping: Mapping[int, Mapping[int, float]],
    total_customers: int,
    total_skus: int,
) -> np.ndarray:
    """Build the dense customers x skus matrix of implicit scores.

    Parameters
    ----------
    interactions_mapping : dict
        ``{customer_index: {sku_index: score}}`` as built by
        :func:`~recsys_workshop.mapping.build_interactions_mapping`.
    total_customers, total_skus : int
        The matrix shape.

    Returns
    -------
    numpy.ndarray
        Float array of shape ``(total_customers, total_skus)``, zero where there
        was no interaction.

    Raises
    ------
    ValueError
        If a shape is negative or an index falls outside the shape.

    Examples
    --------
    >>> build_interactions_matrix({0: {1: 2.0}}, 2, 2)
    array([[0., 2.],
           [0., 0.]])
    """
    rows, cols, scores = _coordinates(interactions_mapping, total_customers, total_skus)
    matrix = np.zeros((total_customers, total_skus))
    matrix[rows, cols] = scores
    return matrix


def build_sparse_interactions_matrix(
    interactions_mapping: Mapping[int, Mapping[int, float]],
    total_customers: int,
    total_skus: int,
) -> sp.csc_array:
    """Build the customers x skus matrix of implicit scores as a sparse CSC array.

    Same values as :func:`build_interactions_matrix`, but only the non-zero
    cells are stored.

    Parameters
    ----------
    interactions_mapping : dict
        ``{customer_index: {sku_index: score}}``.
    total_customers, total_skus : int
        The matrix shape.

    Returns
    -------
    scipy.sparse.csc_array
        Shape ``(total_customers, total_skus)``.

    Raises
    ------
    ValueError
        If a shape is negative or an index falls outside the shape.

    Examples
    --------
    >>> build_sparse_interactions_matrix({0: {1: 2.0}}, 2, 2).toarray()
    array([[0., 2.],
           [0., 0.]])
    """
    rows, cols, scores = _coordinates(interactions_mapping, total_customers, total_skus)
    matrix = sp.csc_array(
        (scores, (rows, cols)), shape=(total_customers, total_skus), dtype=np.float64
    )
    matrix.eliminate_zeros()
    return matrix


def _coordinates(
    interactions_mapping: Mapping[int, Mapping[int, float]],
    total_customers: int,
    total_skus: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flatten the nested mapping into (rows, cols, scores) after checking the indices."""
    check_count(total_customers, "total_customers")
    check_count(total_skus, "total_skus")
    rows: list[int] = []
    cols: list[int] = []
    scores: list[float] = []
    for customer, sku_scores in interactions_mapping.items():
        for sku, score in sku_scores.items():
            rows.append(customer)
            cols.append(sku)
            scores.append(score)
    _check_indices(rows, total_customers, "customer")
    _check_indices(cols, total_skus, "sku")
    return (
        np.asarray(rows, dtype=np.intp),
        np.asarray(cols, dtype=np.intp),
        np.asarray(scores, dtype=np.float64),
    )


def _check_indices(indices: list[int], total: int, what: str) -> None:
    for index in indices:
        if not 0 <= index < total:
            raise ValueError(f"{what} index {index!r} is outside 0..{total - 1}")
