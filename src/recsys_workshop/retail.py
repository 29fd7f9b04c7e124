"""Chapter 5: from the raw Online Retail table to a purchase matrix and readable recommendations."""

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .evaluate import factor_scores
from .ranking import top_k_unseen
from .validation import check_array, check_count, check_shape, check_sparse, plain

__all__ = [
    "build_purchase_matrix",
    "check_purchase_columns",
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

    Nothing else is dropped or rounded: a row with a CustomerID but no
    StockCode or no Quantity is an error (it cannot be summed, and dropping it
    would hide a broken table), and so are a CustomerID or a Quantity that is
    not a whole number or does not fit in int64.

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
    TypeError
        If CustomerID or Quantity holds something that is not a number (a
        string, for example); the message names it and its row.
    ValueError
        If a row with a CustomerID has no StockCode or no Quantity, or a
        CustomerID or Quantity is not a whole number (``1.5``) or lies outside
        the int64 range (``1e20``); the message names the value and its row.

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
    check_purchase_columns(retail.columns, "retail")
    known = retail.loc[retail["CustomerID"].notna(), PURCHASE_COLUMNS]
    _check_present(known)
    totals = (
        known.assign(CustomerID=_whole_numbers(known["CustomerID"]),
                     Quantity=_whole_numbers(known["Quantity"]))
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
    TypeError
        If Quantity holds something that is not a number.
    ValueError
        If a (CustomerID, StockCode) pair appears twice, or a value is missing
        or a Quantity is infinite (the message names the row).

    Examples
    --------
    >>> purchases = pd.DataFrame({"CustomerID": [7, 5], "StockCode": ["A", "B"],
    ...                           "Quantity": [3, 1]})
    >>> matrix, customers, skus = build_purchase_matrix(purchases)
    >>> matrix.toarray(), customers.tolist(), skus.tolist()
    (array([[0., 1.],
           [3., 0.]]), [5, 7], ['A', 'B'])
    """
    check_purchase_columns(purchases.columns, "purchases")
    _check_present(purchases)
    quantities = _numbers(purchases["Quantity"]).astype(np.float64)
    infinite = np.flatnonzero(np.isinf(quantities))
    if infinite.size:
        raise ValueError(f"Quantity holds {plain(quantities[infinite[0]])!r} in row "
                         f"{plain(purchases.index[infinite[0]])!r}: quantities must be finite")
    duplicated = purchases.duplicated(["CustomerID", "StockCode"])
    if duplicated.any():
        first = purchases.loc[duplicated].iloc[0]
        pair = (plain(first["CustomerID"]), plain(first["StockCode"]))
        raise ValueError(f"the pair (CustomerID, StockCode) = {pair!r} appears twice")
    rows, customers = pd.factorize(purchases["CustomerID"], sort=True)
    cols, skus = pd.factorize(purchases["StockCode"], sort=True)
    matrix = sp.csr_array((quantities, (rows, cols)), shape=(len(customers), len(skus)))
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
        Finite factors of shape ``(n_customers, k)`` and ``(n_skus, k)``.
    customer_list, item_list : numpy.ndarray
        The CustomerID of each row (each customer once) and the StockCode of
        each column.
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
    TypeError
        If ``mf_train`` is not a CSR sparse matrix (convert it with
        ``.tocsr()``), or ``num_items`` is not an integer.
    ValueError
        If ``customer_id`` appears twice in ``customer_list``, the shapes
        disagree, a factor is NaN or infinite, or ``num_items`` is negative.

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
    matrix, row, items = _catalogue_row(customer_id, mf_train, customer_list, item_list)
    num_items = min(check_count(num_items, "num_items"), matrix.shape[1])
    user_vecs = check_array(user_vecs, "user_vecs", (matrix.shape[0], "k"))
    item_vecs = check_array(item_vecs, "item_vecs", (matrix.shape[1], user_vecs.shape[1]))
    if num_items == 0:
        return _describe(items[:0], item_lookup)
    best = top_k_unseen(matrix, [row], factor_scores(user_vecs, item_vecs), num_items)[0]
    return _describe(items[best[best >= 0]], item_lookup)


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
    TypeError
        If ``mf_train`` is not a CSR sparse matrix (convert it with ``.tocsr()``).
    ValueError
        If ``customer_id`` appears twice in ``customer_list`` or the shapes disagree.

    Examples
    --------
    >>> train = sp.csr_array(np.array([[1.0, 0.0, 4.0]]))
    >>> lookup = pd.DataFrame({"StockCode": ["A", "B", "C"], "Description": ["a", "b", "c"]})
    >>> get_items_purchased(7, train, np.array([7]), np.array(["A", "B", "C"]), lookup)
      StockCode Description
    0         A           a
    1         C           c
    """
    matrix, row, items = _catalogue_row(customer_id, mf_train, customer_list, item_list)
    return _describe(items[np.sort(_bought_columns(matrix, row))], item_lookup)


def check_purchase_columns(columns: Iterable[Any], name: str) -> None:
    """Refuse a table that lacks one of :data:`PURCHASE_COLUMNS`, naming what it has.

    Parameters
    ----------
    columns : iterable
        The table's column names (a pandas or a Spark DataFrame's ``columns``).
    name : str
        What the table is called in the message.

    Raises
    ------
    KeyError
        Listing the missing columns and the table's own.

    Examples
    --------
    >>> check_purchase_columns(["CustomerID", "StockCode"], "retail")
    Traceback (most recent call last):
    ...
    KeyError: "retail has no column(s) ['Quantity']; it has ['CustomerID', 'StockCode']"
    """
    columns = list(columns)
    missing = [column for column in PURCHASE_COLUMNS if column not in columns]
    if missing:
        raise KeyError(f"{name} has no column(s) {missing}; it has {columns}")


def _whole_numbers(column: pd.Series) -> np.ndarray:
    """A column of whole numbers as int64, refusing what would be rounded or overflow."""
    values = _numbers(column)
    if values.dtype.kind == "f":
        for bad, problem in (
            (values != np.round(values), "must hold whole numbers, found {value!r} in row {row!r}"),
            ((values < -(2.0**63)) | (values >= 2.0**63),
             "holds {value!r} in row {row!r}, outside the int64 range"),
        ):
            if bad.any():
                i = np.flatnonzero(bad)[0]
                raise ValueError(f"{column.name} " + problem.format(
                    value=plain(values[i]), row=plain(column.index[i])))
    return values.astype(np.int64)


def _numbers(column: pd.Series) -> np.ndarray:
    """The values of a column of numbers, or a TypeError naming the first value that is not one.

    Integers stay integers; other numbers become float64 (also from an object
    column that holds only numbers).
    """
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=np.int64 if pd.api.types.is_integer_dtype(column)
                               else np.float64)
    for label, value in column.items():  # not a numeric dtype: find what is not a number
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
            raise TypeError(f"{column.name} must hold numbers, found {plain(value)!r} "
                            f"({type(value).__name__}) in row {plain(label)!r}")
    return column.to_numpy(dtype=np.float64)


def _check_present(purchases: pd.DataFrame) -> None:
    """Raise ValueError naming the first row of ``purchases`` that misses a value."""
    missing = purchases[PURCHASE_COLUMNS].isna().to_numpy()
    if missing.any():
        row, column = np.argwhere(missing)[0]
        raise ValueError(f"{PURCHASE_COLUMNS[column]} is missing in row "
                         f"{plain(purchases.index[row])!r}: every purchase needs a "
                         "CustomerID, a StockCode and a Quantity")


def _catalogue_row(
    customer_id: Any, mf_train: Any, customer_list: Any, item_list: Any
) -> tuple[Any, int, np.ndarray]:
    """Check the catalogue; return mf_train, the customer's row and the StockCode of each column."""
    matrix = check_sparse(mf_train, "mf_train", "csr")
    customers = check_shape(np.asarray(customer_list), "customer_list", (matrix.shape[0],))
    items = check_shape(np.asarray(item_list), "item_list", (matrix.shape[1],))
    matches = np.flatnonzero(customers == customer_id)
    if matches.size == 0:
        raise KeyError(f"customer {plain(customer_id)!r} is not in customer_list")
    if matches.size > 1:
        raise ValueError(f"customer {plain(customer_id)!r} appears {matches.size} times in "
                         f"customer_list (rows {matches.tolist()}): each row is one customer")
    return matrix, int(matches[0]), items


def _bought_columns(matrix: Any, row: int) -> np.ndarray:
    start, stop = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[start:stop][matrix.data[start:stop] != 0]


def _describe(stock_codes: np.ndarray, item_lookup: pd.DataFrame) -> pd.DataFrame:
    """StockCodes with the first Description item_lookup gives each of them."""
    first = item_lookup.drop_duplicates("StockCode").set_index("StockCode")["Description"]
    return pd.DataFrame(
        {"StockCode": stock_codes, "Description": first.reindex(stock_codes).to_numpy()}
    )
