"""Chapter 5: hide some purchases to evaluate a recommender on them."""

import math
from typing import Any

import numpy as np
import scipy.sparse as sp

from .validation import check_count, check_share, check_sparse

__all__ = ["make_train"]


def make_train(
    ratings: Any, pct_test: float = 0.2, seed: int = 0
) -> tuple[sp.csr_array, sp.csr_array, list[int]]:
    """Mask a random share of the stored cells of ``ratings`` for testing.

    Parameters
    ----------
    ratings : scipy.sparse CSR matrix or array
        Customers x skus, with no explicit zeros. It is not modified.
    pct_test : float, default 0.2
        Share of the stored cells to hide, in ``[0, 1]``; ``ceil(pct_test * nnz)``
        cells are hidden.
    seed : int, default 0
        Seed of the random choice, ``>= 0``: the same seed gives the same split.

    Returns
    -------
    training_set : scipy.sparse.csr_array
        A copy of ``ratings`` without the hidden cells (no explicit zeros left).
    test_set : scipy.sparse.csr_array
        A copy of ``ratings`` with every stored value set to 1.
    altered_users : list of int
        The sorted distinct rows that lost at least one cell.

    Raises
    ------
    TypeError
        If ``ratings`` is not a CSR sparse matrix (convert it with ``.tocsr()``),
        ``pct_test`` is not a number or ``seed`` is not an integer.
    ValueError
        If ``pct_test`` is outside ``[0, 1]``, ``seed`` is negative, or
        ``ratings`` stores explicit zeros, NaN or an infinity.

    Examples
    --------
    >>> ratings = sp.csr_array(np.array([[3.0, 0.0, 1.0], [0.0, 2.0, 5.0]]))
    >>> training, test, altered = make_train(ratings, pct_test=0.5, seed=1)
    >>> training.nnz, test.toarray().tolist(), altered
    (2, [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], [0, 1])
    """
    check_sparse(ratings, "ratings", "csr")
    pct_test = check_share(pct_test, "pct_test")
    seed = check_count(seed, "seed")
    test_set = sp.csr_array(ratings, copy=True)
    test_set.sum_duplicates()
    if np.any(test_set.data == 0):
        raise ValueError(
            f"ratings stores {np.count_nonzero(test_set.data == 0)} explicit zero(s); "
            "call ratings.eliminate_zeros() first"
        )
    rng = np.random.default_rng(seed)
    hidden = rng.choice(test_set.nnz, size=math.ceil(pct_test * test_set.nnz), replace=False)
    training_set = test_set.copy()
    training_set.data[hidden] = 0
    training_set.eliminate_zeros()
    row_of_cell = np.repeat(np.arange(test_set.shape[0]), np.diff(test_set.indptr))
    test_set.data[:] = 1
    return training_set, test_set, np.unique(row_of_cell[hidden]).tolist()
