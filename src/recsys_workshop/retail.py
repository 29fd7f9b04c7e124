"""Chapter 5: from the raw Online Retail table to a purchase matrix and readable recommendations."""

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._validation import check_count, check_sparse
from .recommend import top_n_indices

__all__ = [
    "build_purchase_matrix",
    "clean_purchases",
    "get_items_purchased",
    "rec_items",
]

PURCHASE_COLUMNS = ["CustomerID", "StockCode", "Quantity"]


def clean_purchases(retail: pd.DataFrame) -> pd.DataFrame:
    """Total quantity bought per customer and sku.

    Rows without a CustomerID are dropped; Quantity is summed per
    (CustomerID, StockCode), so cancellations (negative quantities) offset the
    purchases they cancel. A sum of 0 (the item was returned) becomes 1: the
    customer still showed interest. Only sums > 0 are kept.

    Parameters
    ----------
    retail : pandas.DataFrame
        The raw table, with at least the columns CustomerID, StockCode and Quantity.
        It is not modified.

    Returns
    -------
    pandas.DataFrame
        Columns ``CustomerID`` (int64), ``StockCode`` (str), ``Quantity`` (int64),
        one row per (customer, sku) pair, sorted by CustomerID then StockCode.

    Raises
    ------
    KeyError
        If a required column is missing.
    ValueError
        If a CustomerID is not a whole number.

    Examples
    --------
    >>> raw = pd.DataFrame({"CustomerID": [1.0, 1.0, None, 2.0, 2.0],
    ...                     "StockCode": ["A", "A", "A", "B", "B"],
    ...                     "Quantity": [3, 2, 9, 4, -4]})
    >>> clean_purchases(raw)
       CustomerID StockCode  Quantity
    0           1         A         5
    1           2         B         1
    """
    missing = [column for column in PURCHASE_COLUMNS if column not in retail.columns]
    if missing:
        raise KeyError(f"retail has no column(s) {missing}; it has {list(retail.columns)}")
    known = retail.loc[retail["CustomerID"].notna(), PURCHASE_COLUMNS]
    customer_ids = known["CustomerID"].to_numpy()
    if not np.array_equal(customer_ids, np.round(customer_ids)):
        bad = customer_ids[customer_ids != np.round(customer_ids)][0]
        raise ValueError(f"CustomerID must hold whole numbers, found {float(bad)!r}")
    totals = (
        known.astype({"CustomerID": np.int64, "Quantity": np.int64})
        .groupby(["CustomerID", "StockCode"], sort=True, observed=True)["Quantity"]
        .sum()
        .reset_index()
    )
    totals.loc[totals["Quantity"] == 0, "Quantity"] = 1
    return totals.loc[totals["Quantity"] > 0].reset_index(drop=True)


def build_purchase_matrix(purchases: pd.DataFrame) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """Customers x skus sparse matrix of quantities.

    Parameters
    ----------
    purchases : pandas.DataFrame
        One row per (CustomerID, StockCode) pair with its Quantity, as returned by
        :func:`clean_purchases`.

    Returns
    -------
    matrix : scipy.sparse.csr_array
        Float64 quantities, customers in rows and skus in columns.
    customers : numpy.ndarray
        The distinct CustomerIDs sorted ascending: ``customers[i]`` is row ``i``.
    skus : numpy.ndarray
        The distinct StockCodes sorted ascending: ``skus[j]`` is column ``j``.

    Raises
    ------
    KeyError
        If a required column is missing.
    ValueError
        If a (CustomerID, StockCode) pair appears twice.

    Examples
    --------
    >>> purchases = pd.DataFrame({"CustomerID": [7, 5], "StockCode": ["A", "B"],
    ...                           "Quantity": [3, 1]})
    >>> matrix, customers, skus = build_purchase_matrix(purchases)
    >>> matrix.toarray(), customers.tolist(), skus.tolist()
    (array([[0., 1.],
           [3., 0.]]), [5, 7], ['A', 'B'])
    """
    missing = [column for column in PURCHASE_COLUMNS if column not in purchases.columns]
    if missing:
        raise KeyError(f"purchases has no column(s) {missing}; it has {list(purchases.columns)}")
    duplicated = purchases.duplicated(["CustomerID", "StockCode"])
    if duplicated.any():
        first = purchases.loc[duplicated].iloc[0]
        pair = (_plain(first["CustomerID"]), _plain(first["StockCode"]))
        raise ValueError(f"the pair (CustomerID, StockCode) = {pair!r} appears twice")
    rows, customers = pd.factorize(purchases["CustomerID"], sort=True)
    cols, skus = pd.factorize(purchases["StockCode"], sort=True)
    matrix = sp.csr_array(
        (purchases["Quantity"].to_numpy(dtype=np.float64), (rows, cols)),
        shape=(len(customers), len(skus)),
    )
    return matrix, np.asarray(customers), np.asarray(skus, dtype=object)


def rec_items(
    customer_id: Any,
    mf_train: Any,
    user_vecs: np.ndarray,
    item_vecs: np.ndarray,
    customer_list: np.ndarray,
    item_list: np.ndarray,
    item_lookup: pd.DataFrame,
    num_items: int = 10,
) -> pd.DataFrame:
    """The ``num_items`` best-scored skus a customer has not bought yet.

    Parameters
    ----------
    customer_id : int
        A CustomerID present in ``customer_list``.
    mf_train : scipy.sparse CSR matrix
        Customers x skus training purchases; its stored cells are what each
        customer has bought.
    user_vecs, item_vecs : numpy.ndarray
        Factors of shape ``(n_customers, k)`` and ``(n_skus, k)``.
    customer_list, item_list : numpy.ndarray
        The CustomerID of each row and the StockCode of each column.
    item_lookup : pandas.DataFrame
        Columns StockCode and Description; a sku's first row gives its description.
    num_items : int, default 10
        How many skus to return at most.

    Returns
    -------
    pandas.DataFrame
        Columns ``StockCode`` and ``Description``, best first. Fewer than
        ``num_items`` rows when fewer unbought skus exist; never a bought sku.

    Raises
    ------
    KeyError
        If ``customer_id`` is not in ``customer_list``.

    Examples
    --------
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 0.0]]))
    >>> lookup = pd.DataFrame({"StockCode": ["A", "B", "C"], "Description": ["a", "b", "c"]})
    >>> rec_items(7, train, np.array([[1.0]]), np.array([[3.0], [1.0], [2.0]]),
    ...           np.array([7]), np.array(["A", "B", "C"]), lookup, num_items=5)
      StockCode Description
    0         C           c
    1         B           b
    """
    row = _customer_row(customer_id, customer_list)
    num_items = check_count(num_items, "num_items")
    bought = _bought_columns(mf_train, row)
    scores = np.asarray(user_vecs[row] @ np.asarray(item_vecs).T, dtype=float)
    scores[bought] = -np.inf
    available = scores.shape[0] - bought.size
    best = top_n_indices(scores, min(num_items, available))
    return _describe(np.asarray(item_list)[best], item_lookup)


def get_items_purchased(
    customer_id: Any,
    mf_train: Any,
    customer_list: np.ndarray,
    item_list: np.ndarray,
    item_lookup: pd.DataFrame,
) -> pd.DataFrame:
    """The skus a customer bought in ``mf_train``, with their descriptions.

    Parameters
    ----------
    customer_id : int
        A CustomerID present in ``customer_list``.
    mf_train : scipy.sparse CSR matrix
        Customers x skus training purchases.
    customer_list, item_list : numpy.ndarray
        The CustomerID of each row and the StockCode of each column.
    item_lookup : pandas.DataFrame
        Columns StockCode and Description; a sku's first row gives its description.

    Returns
    -------
    pandas.DataFrame
        Columns ``StockCode`` and ``Description``, one row per bought sku, in
        column order of ``mf_train``.

    Raises
    ------
    KeyError
        If ``customer_id`` is not in ``customer_list``.

    Examples
    --------
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 4.0]]))
    >>> lookup = pd.DataFrame({"StockCode": ["A", "B", "C"], "Description": ["a", "b", "c"]})
    >>> get_items_purchased(7, train, np.array([7]), np.array(["A", "B", "C"]), lookup)
      StockCode Description
    0         A           a
    1         C           c
    """
    row = _customer_row(customer_id, customer_list)
    bought = np.sort(_bought_columns(mf_train, row))
    return _describe(np.asarray(item_list)[bought], item_lookup)


def _customer_row(customer_id: Any, customer_list: np.ndarray) -> int:
    matches = np.flatnonzero(np.asarray(customer_list) == customer_id)
    if matches.size == 0:
        raise KeyError(f"customer {_plain(customer_id)!r} is not in customer_list")
    return int(matches[0])


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds, so messages show ``12346``."""
    return value.item() if isinstance(value, np.generic) else value


def _bought_columns(mf_train: Any, row: int) -> np.ndarray:
    matrix = check_sparse(mf_train, "mf_train", "csr")
    start, stop = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[start:stop][matrix.data[start:stop] != 0]


def _describe(stock_codes: np.ndarray, item_lookup: pd.DataFrame) -> pd.DataFrame:
    """StockCodes with the first Description item_lookup gives each of them."""
    first = item_lookup.drop_duplicates("StockCode").set_index("StockCode")["Description"]
    return pd.DataFrame(
        {"StockCode": stock_codes, "Description": first.reindex(stock_codes).to_numpy()}
    )
