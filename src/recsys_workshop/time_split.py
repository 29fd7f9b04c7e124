"""Chapter 6: split the purchases by date, so that the model never sees the future.

Chapter 5 hid random cells of the purchase matrix: a hidden purchase often has
siblings from the same order left in training. A split by date asks the real
question instead: trained on everything bought before a cut-off date, which
new skus does each customer buy in the following weeks?
:func:`split_by_date` cuts the raw transactions; :func:`date_split` builds the
training and test matrices from the two parts, on one shared index, in the
shape every evaluation of :mod:`~recsys_workshop.evaluate` and
:mod:`~recsys_workshop.ranking` reads.
"""

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .evaluate import warm_users
from .retail import clean_purchases

__all__ = ["TimeSplit", "date_split", "split_by_date"]


def split_by_date(
    transactions: pd.DataFrame, cutoff: datetime.datetime, end: datetime.datetime | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The transactions before ``cutoff``, and those from ``cutoff`` up to ``end``.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Raw transactions with a datetime column ``InvoiceDate``. It is not modified.
    cutoff : datetime.datetime
        The first instant of the test period (a ``pandas.Timestamp`` is one).
    end : datetime.datetime, optional
        The first instant after the test period; everything from ``cutoff`` on
        when omitted.

    Returns
    -------
    before, after : pandas.DataFrame
        Copies of the rows with ``InvoiceDate < cutoff``, and of those with
        ``cutoff <= InvoiceDate < end``, in their original order and with
        their original index. A row dated exactly ``cutoff`` is in ``after``.

    Raises
    ------
    KeyError
        If ``transactions`` has no ``InvoiceDate`` column.
    TypeError
        If ``cutoff`` or ``end`` is not a datetime (a string is not parsed), or
        ``InvoiceDate`` does not hold datetimes.
    ValueError
        If ``end`` is not after ``cutoff``.

    Examples
    --------
    >>> rows = pd.DataFrame({"InvoiceDate": pd.to_datetime(
    ...     ["2011-01-05", "2011-02-01", "2011-01-31", "2011-03-01"]), "Quantity": [1, 2, 3, 4]})
    >>> before, after = split_by_date(rows, pd.Timestamp("2011-02-01"), pd.Timestamp("2011-03-01"))
    >>> before["Quantity"].tolist(), after["Quantity"].tolist()
    ([1, 3], [2])
    """
    if "InvoiceDate" not in transactions.columns:
        raise KeyError("transactions has no column 'InvoiceDate'; "
                       f"it has {list(transactions.columns)}")
    for name, value in (("cutoff", cutoff), ("end", end)):
        if value is not None and not isinstance(value, datetime.datetime):
            raise TypeError(f"{name} must be a datetime such as pd.Timestamp('2011-11-09'), "
                            f"got {type(value).__name__} {value!r}")
    if end is not None and end <= cutoff:
        raise ValueError(f"end ({end}) must be after cutoff ({cutoff})")
    dates = transactions["InvoiceDate"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise TypeError(f"InvoiceDate must hold datetimes, got dtype {dates.dtype}")
    after = dates >= cutoff
    if end is not None:
        after &= dates < end
    return transactions.loc[dates < cutoff].copy(), transactions.loc[after].copy()


@dataclass(frozen=True)
class TimeSplit:
    """A split by date, seen as chapter 5's masked split is: one index, two matrices.

    Attributes
    ----------
    training : scipy.sparse.csr_array
        Customers x skus quantities bought before the cut-off.
    test : scipy.sparse.csr_array
        1 on every cell bought before the cut-off or in the test period, so
        that a customer's held-out purchases are the skus new to them.
    customers, skus : numpy.ndarray
        The CustomerID of each row and the StockCode of each column: everyone
        and everything seen before the end of the test period.
    users : numpy.ndarray
        The rows to evaluate: customers who bought a new sku in the test
        period and something before the cut-off.
    cold_users : numpy.ndarray
        Customers who bought in the test period but nothing before the
        cut-off: no recommender has anything to go on, so they are left out
        of every mean and counted here.
    """

    training: sp.csr_array
    test: sp.csr_array
    customers: np.ndarray
    skus: np.ndarray
    users: np.ndarray
    cold_users: np.ndarray


def date_split(
    retail: pd.DataFrame, cutoff: datetime.datetime, end: datetime.datetime | None = None
) -> TimeSplit:
    """Clean the purchases of each period and build the split's matrices on one index.

    Parameters
    ----------
    retail : pandas.DataFrame
        The raw Online Retail table (columns CustomerID, StockCode, Quantity
        and InvoiceDate). It is not modified.
    cutoff, end
        As in :func:`split_by_date`. Nothing dated ``end`` or later is read, so
        a validation split (``end`` = the test period's cut-off) never sees
        the test period.

    Returns
    -------
    TimeSplit
        Each period's purchases go through
        :func:`~recsys_workshop.retail.clean_purchases` on their own: a
        cancellation in the test period of an earlier purchase is not a new
        purchase.

    Raises
    ------
    KeyError, TypeError, ValueError
        As :func:`split_by_date` and :func:`~recsys_workshop.retail.clean_purchases`,
        and ``ValueError`` if a period holds no purchase.

    Examples
    --------
    >>> from recsys_workshop.synthetic import make_online_retail
    >>> retail = make_online_retail(n_customers=40, n_skus=25, seed=1)
    >>> split = date_split(retail, retail["InvoiceDate"].quantile(0.8))
    >>> split.training.shape == split.test.shape == (split.customers.size, split.skus.size)
    True
    """
    before, after = (clean_purchases(part) for part in split_by_date(retail, cutoff, end))
    for name, part in (("before the cut-off", before), ("in the test period", after)):
        if part.empty:
            raise ValueError(f"no purchase {name} ({cutoff} to {end})")
    customers = np.union1d(before["CustomerID"], after["CustomerID"])
    skus = np.union1d(before["StockCode"].astype(str), after["StockCode"].astype(str))
    training = _matrix(before, customers, skus)
    bought = _matrix(after, customers, skus)
    test = sp.csr_array(((training != 0) + (bought != 0)).astype(np.float64))
    new = np.flatnonzero(np.diff(sp.csr_array(test > (training != 0)).indptr))
    warm, cold = warm_users(training, new)
    return TimeSplit(training, test, customers, skus, warm, cold)


def _matrix(purchases: pd.DataFrame, customers: np.ndarray, skus: np.ndarray) -> sp.csr_array:
    """Quantities of ``purchases`` on the rows ``customers`` and the columns ``skus`` (sorted)."""
    rows = np.searchsorted(customers, purchases["CustomerID"].to_numpy())
    columns = np.searchsorted(skus, purchases["StockCode"].astype(str).to_numpy())
    return sp.csr_array((purchases["Quantity"].to_numpy(dtype=np.float64), (rows, columns)),
                        shape=(customers.size, skus.size))
