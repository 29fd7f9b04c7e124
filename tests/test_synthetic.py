from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from recsys_workshop.data import RETAIL_COLUMNS, validate_online_retail
from recsys_workshop.synthetic import make_online_retail


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return make_online_retail()


def test_schema_is_the_real_tables(table: pd.DataFrame) -> None:
    validate_online_retail(table)
    assert tuple(table.columns) == RETAIL_COLUMNS
    assert table["Quantity"].dtype == "int64"
    assert table["UnitPrice"].dtype == "float64"
    assert table["CustomerID"].dtype == "float64"
    assert pd.api.types.is_datetime64_dtype(table["InvoiceDate"])
    assert isinstance(table.index, pd.RangeIndex)


@pytest.mark.real_data
def test_dtypes_match_the_real_table(table: pd.DataFrame, retail: pd.DataFrame) -> None:
    assert list(table.columns) == list(retail.columns)
    assert table.dtypes.to_dict() == retail.dtypes.to_dict()


def test_same_seed_same_table(table: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(make_online_retail(), table)
    small = make_online_retail(30, 20, 100, seed=7)
    pd.testing.assert_frame_equal(make_online_retail(30, 20, 100, seed=7), small)


def test_different_seeds_differ(table: pd.DataFrame) -> None:
    assert not make_online_retail(seed=1).equals(table)


def test_cancellations(table: pd.DataFrame) -> None:
    cancel = table["InvoiceNo"].str.startswith("C")
    assert 0 < cancel.sum() < 0.05 * len(table)
    assert (table.loc[cancel, "Quantity"] < 0).all()
    assert (table.loc[~cancel, "Quantity"] > 0).all()
    assert table.loc[cancel, "CustomerID"].notna().all()
    # Each cancelled line cancels an earlier purchase of the same customer and sku.
    cancelled = table[cancel]
    bought = table[~cancel]
    pairs = cancelled.merge(bought, on=["CustomerID", "StockCode"], suffixes=("", "_bought"))
    earlier = pairs[pairs["InvoiceDate_bought"] < pairs["InvoiceDate"]]
    assert earlier.groupby(["InvoiceNo", "StockCode"]).ngroups == cancelled.groupby(
        ["InvoiceNo", "StockCode"]
    ).ngroups
    # ... and never more than was bought: no (customer, sku) pair sums below zero,
    # while some sum to exactly zero.
    sums = table.dropna(subset=["CustomerID"]).groupby(["CustomerID", "StockCode"])["Quantity"]
    sums = sums.sum()
    assert (sums == 0).sum() > 0
    assert (sums >= 0).all()


def test_missing_values_and_messiness(table: pd.DataFrame) -> None:
    missing_customer = table["CustomerID"].isna().mean()
    assert 0.2 < missing_customer < 0.3
    assert 0 < table["Description"].isna().sum() < 0.01 * len(table)
    descriptions = table.groupby("StockCode")["Description"].nunique()
    assert (descriptions == 2).sum() >= 1
    assert (descriptions <= 2).all()


def test_values_look_real(table: pd.DataFrame) -> None:
    assert table["StockCode"].str.fullmatch(r"\d{5}[A-Z]{0,2}").all()
    assert table["InvoiceNo"].str.fullmatch(r"C?5\d{5}").all()
    ids = table["CustomerID"].dropna()
    assert (ids == ids.round()).all()
    assert ids.min() >= 12346
    assert table["InvoiceDate"].min() >= pd.Timestamp("2010-12-01")
    assert table["InvoiceDate"].max() < pd.Timestamp("2011-12-10")
    assert (table["UnitPrice"] > 0).all()
    assert 3 <= table["Country"].nunique() <= 12
    assert table["Country"].value_counts().index[0] == "United Kingdom"
    # invoices have several lines
    assert table.groupby("InvoiceNo").size().mean() > 5
    # positive quantities mostly small
    assert table.loc[table["Quantity"] > 0, "Quantity"].median() <= 6


def test_long_tail_popularity(table: pd.DataFrame) -> None:
    lines = table["StockCode"].value_counts().to_numpy()
    top_tenth = lines[: len(lines) // 10].sum() / lines.sum()
    bottom_half = lines[len(lines) // 2 :].sum() / lines.sum()
    assert top_tenth > 0.3
    assert bottom_half < 0.2


def _top10_share(lines: pd.DataFrame) -> float:
    """Mean share of a customer's lines that fall on their 10 most bought skus."""
    counts = lines.groupby(["CustomerID", "StockCode"]).size().sort_values(ascending=False)
    top = counts.groupby(level=0).head(10).groupby(level=0).sum()
    return float((top / counts.groupby(level=0).sum()).mean())


def test_customers_have_tastes(table: pd.DataFrame) -> None:
    """Customers' baskets are far more concentrated than random picks would make them."""
    known = table[table["CustomerID"].notna() & ~table["InvoiceNo"].str.startswith("C")]
    rng = np.random.default_rng(0)
    shuffled = known.assign(StockCode=rng.permutation(known["StockCode"].to_numpy()))
    assert _top10_share(known) > _top10_share(shuffled) + 0.15


def test_past_purchases_predict_future_ones(table: pd.DataFrame) -> None:
    """A customer's own favourites beat the global top 10 on later purchases."""
    known = table[table["CustomerID"].notna() & ~table["InvoiceNo"].str.startswith("C")]
    cut = pd.Timestamp("2011-09-01")
    past, future = known[known["InvoiceDate"] < cut], known[known["InvoiceDate"] >= cut]
    favourites = (
        past.groupby(["CustomerID", "StockCode"]).size().sort_values(ascending=False)
        .groupby(level=0).head(10).reset_index()[["CustomerID", "StockCode"]]
    )  # fmt: skip
    bought = future[["CustomerID", "StockCode"]].drop_duplicates()
    bought = bought[bought["CustomerID"].isin(favourites["CustomerID"])]
    personal_hits = len(bought.merge(favourites)) / len(bought)
    popular_hits = bought["StockCode"].isin(past["StockCode"].value_counts().index[:10]).mean()
    assert personal_hits > 1.5 * popular_hits


def test_real_size_is_fast_and_realistic() -> None:
    start = time.perf_counter()
    big = make_online_retail(n_customers=4338, n_skus=3664, n_invoices=25900)
    elapsed = time.perf_counter() - start
    assert 400_000 <= len(big) <= 550_000
    assert big["InvoiceNo"].nunique() == 25900
    assert big["CustomerID"].nunique() == 4338
    assert elapsed < 10


@pytest.mark.parametrize(
    ("n_customers", "n_skus", "n_invoices"), [(1, 1, 1), (3, 2, 5), (2, 50, 40)]
)
def test_tiny_sizes(n_customers: int, n_skus: int, n_invoices: int) -> None:
    tiny = make_online_retail(n_customers, n_skus, n_invoices, seed=3)
    validate_online_retail(tiny)
    assert tiny["InvoiceNo"].nunique() == n_invoices
    assert tiny["StockCode"].nunique() <= n_skus


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_customers": 0}, ValueError, "n_customers.*0"),
        ({"n_customers": -5}, ValueError, "n_customers.*-5"),
        ({"n_skus": 2.5}, TypeError, "n_skus.*2.5"),
        ({"n_skus": 90_001}, ValueError, "n_skus.*90001"),
        ({"n_invoices": "10"}, TypeError, "n_invoices.*'10'"),
        ({"n_invoices": True}, TypeError, "n_invoices.*True"),
        ({"seed": -1}, ValueError, "seed.*-1"),
        ({"seed": 1.0}, TypeError, "seed.*1.0"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        make_online_retail(**kwargs)  # type: ignore[arg-type]


def test_numpy_integers_are_accepted() -> None:
    frame = make_online_retail(np.int64(10), np.int32(10), np.int64(20), seed=np.int64(2))
    validate_online_retail(frame)
