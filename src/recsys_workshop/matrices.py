"""Chapters 2 and 3: the customers x skus interactions matrix, dense and sparse."""

from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from .validation import check_array, check_count, check_finite, check_rows

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
    TypeError
        If ``interactions_mapping`` is not a dict of dicts, a shape or an index
        is not an integer (a float such as ``0.7`` is never truncated into an
        index), or a score is not a number.
    ValueError
        If a shape is negative, an index falls outside the shape, or a score is
        NaN or infinite.

    Examples
    --------
    >>> build_interactions_matrix({0: {1: 2.0}}, 2, 2)
    array([[0., 2.],
           [0., 0.]])
    """
    return _interactions(interactions_mapping, total_customers, total_skus).toarray()


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
    TypeError, ValueError
        As :func:`build_interactions_matrix`.

    Examples
    --------
    >>> build_sparse_interactions_matrix({0: {1: 2.0}}, 2, 2).toarray()
    array([[0., 2.],
           [0., 0.]])
    """
    matrix = sp.csc_array(_interactions(interactions_mapping, total_customers, total_skus))
    matrix.eliminate_zeros()
    return matrix


def _interactions(
    interactions_mapping: Mapping[int, Mapping[int, float]],
    total_customers: int,
    total_skus: int,
) -> sp.coo_array:
    """The nested mapping as a float64 COO matrix, after checking every index and score."""
    shape = (check_count(total_customers, "total_customers"), check_count(total_skus, "total_skus"))
    if not isinstance(interactions_mapping, Mapping):
        raise TypeError("interactions_mapping must be a dict {customer_index: {sku_index: score}}, "
                        f"got {interactions_mapping!r} ({type(interactions_mapping).__name__})")
    rows: list[int] = []
    cols: list[int] = []
    scores: list[float] = []
    for customer, sku_scores in interactions_mapping.items():
        if not isinstance(sku_scores, Mapping):
            raise TypeError(f"interactions_mapping[{customer!r}] must be a dict "
                            f"{{sku_index: score}}, got {sku_scores!r}")
        for sku, score in sku_scores.items():
            rows.append(customer)
            cols.append(sku)
            scores.append(score)
    matrix = sp.coo_array(
        (check_array(scores, "interactions_mapping's scores", finite=False),
         (check_rows(rows, "interactions_mapping's customer indices", shape[0]),
          check_rows(cols, "interactions_mapping's sku indices", shape[1]))),
        shape=shape, dtype=np.float64,
    )
    return check_finite(matrix, "interactions_mapping")  # names the [customer, sku] of a NaN
