"""Chapter 5: a reproducible wrapper around ``implicit``'s ALS.

``implicit`` picks a GPU by itself when CUDA is present and lets BLAS start one
thread per core, which both change the numbers from run to run or machine to
machine. :func:`fit_als` pins the CPU model, seeds it, and limits BLAS to one
thread, as ``implicit`` itself recommends.
"""

from typing import Any

import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares
from threadpoolctl import threadpool_limits

from .validation import check_als_parameters, check_sparse

__all__ = ["fit_als"]


def fit_als(
    user_items: Any,
    *,
    factors: int = 20,
    regularization: float = 0.1,
    alpha: float = 15.0,
    iterations: int = 50,
    random_state: int = 0,
    show_progress: bool = False,
) -> AlternatingLeastSquares:
    """Fit implicit ALS (Hu, Koren and Volinsky 2008) on the CPU, reproducibly.

    The defaults are the original analysis's parameters.

    Parameters
    ----------
    user_items : scipy.sparse matrix
        Customers x skus raw counts ``r``, in any sparse format (converted
        once to a float32 ``csr_matrix``). ``implicit`` multiplies them by
        ``alpha`` and uses ``alpha * r`` as the confidence of each stored cell
        (1 for the cells not stored), not Hu, Koren and Volinsky's
        ``1 + alpha * r``.
    factors, regularization, alpha, iterations : number
        ALS hyper-parameters: ``factors >= 1``, ``regularization >= 0``,
        ``alpha > 0``, ``iterations >= 0``.
    random_state : int, default 0
        Seed of the initial factors: the same call gives the same factors.
    show_progress : bool, default False
        Show ``implicit``'s progress bar.

    Returns
    -------
    implicit.cpu.als.AlternatingLeastSquares
        The fitted model; ``model.user_factors`` and ``model.item_factors`` are
        numpy arrays of shape ``(n_customers, factors)`` and ``(n_skus, factors)``.

    Raises
    ------
    TypeError
        If ``user_items`` is not a scipy sparse matrix or a hyper-parameter has
        the wrong type.
    ValueError
        If ``user_items`` stores NaN or an infinity, or a hyper-parameter is out
        of range.

    Examples
    --------
    >>> import numpy as np
    >>> model = fit_als(sp.csr_array(np.eye(4)), factors=2, iterations=2)
    >>> model.user_factors.shape, model.item_factors.shape
    ((4, 2), (4, 2))
    """
    check_sparse(user_items, "user_items")
    factors, regularization, alpha, iterations = check_als_parameters(
        factors, regularization, alpha, iterations)
    with threadpool_limits(limits=1, user_api="blas"):
        model = AlternatingLeastSquares(
            factors=factors,
            regularization=regularization,
            alpha=alpha,
            iterations=iterations,
            random_state=random_state,
        )
        # implicit checks for the CSR *matrix* class, not the newer sparse arrays.
        model.fit(sp.csr_matrix(user_items, dtype="float32"), show_progress=show_progress)
    return model
