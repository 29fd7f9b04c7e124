"""Chapter 5's pipeline in one call: raw table -> purchases -> matrix -> masked split.

Chapter 5 builds it step by step; chapter 6, the slides, the benchmark and the
tests reuse :func:`retail_split`, so that every comparison is made on the same
split. The scores compared on it come from
:func:`~recsys_workshop.evaluate.popularity` (the baseline) and
:func:`~recsys_workshop.evaluate.factor_scores` (a factor model such as ALS).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .retail import build_purchase_matrix, clean_purchases
from .split import make_train

__all__ = ["RetailSplit", "retail_split"]


@dataclass(frozen=True)
class RetailSplit:
    """Chapter 5's data: the purchases, their matrix, and the masked split of it.

    Attributes
    ----------
    purchases : pandas.DataFrame
        :func:`~recsys_workshop.retail.clean_purchases` of the raw table.
    matrix : scipy.sparse.csr_array
        Customers x skus quantities.
    customers, skus : numpy.ndarray
        The CustomerID of each row and the StockCode of each column.
    training, test : scipy.sparse.csr_array
        :func:`~recsys_workshop.split.make_train`'s training and test sets.
    altered : list of int
        The rows that lost a cell.
    """

    purchases: pd.DataFrame
    matrix: sp.csr_array
    customers: np.ndarray
    skus: np.ndarray
    training: sp.csr_array
    test: sp.csr_array
    altered: list[int]


def retail_split(retail: pd.DataFrame, pct_test: float = 0.2, seed: int = 0) -> RetailSplit:
    """Clean the raw table, build the purchase matrix and hide a share of it, as chapter 5 does.

    Parameters
    ----------
    retail : pandas.DataFrame
        The raw Online Retail table (or a synthetic one of the same columns).
    pct_test, seed
        As in :func:`~recsys_workshop.split.make_train`; the defaults are the
        workshop's split.

    Returns
    -------
    RetailSplit
        Every intermediate result, named.

    Raises
    ------
    KeyError, TypeError, ValueError
        As :func:`~recsys_workshop.retail.clean_purchases` and
        :func:`~recsys_workshop.split.make_train`.

    Examples
    --------
    >>> from recsys_workshop.synthetic import make_online_retail
    >>> split = retail_split(make_online_retail(n_customers=30, n_skus=20, seed=1))
    >>> split.matrix.shape == (split.customers.size, split.skus.size)
    True
    >>> split.matrix.nnz - split.training.nnz == -(-split.matrix.nnz // 5)  # ceil(20%) hidden
    True
    """
    purchases = clean_purchases(retail)
    matrix, customers, skus = build_purchase_matrix(purchases)
    training, test, altered = make_train(matrix, pct_test=pct_test, seed=seed)
    return RetailSplit(purchases, matrix, customers, skus, training, test, altered)
