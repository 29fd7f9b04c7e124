"""A small synthetic stand-in for the UCI Online Retail table.

:func:`make_online_retail` returns a table with exactly the columns and dtypes
of :func:`recsys_workshop.data.load_online_retail`, so that every function of
the workshop can be developed, tested and demonstrated without the real data
(no network, no 23 MB download, answers known in advance).

What is planted, and why
------------------------
Customer tastes
    Customers belong to a few latent *segments*. Every product belongs to one
    segment's group, and most products of a group share a "theme" word in their
    description (``RETROSPOT``, ``SPACEBOY``...). A customer's basket lines come
    from their own handful of favourite products (re-ordered across invoices),
    from their segment's group, or from the catalogue at large. A recommender
    that learns from co-purchases therefore has something to find, while a
    popularity baseline does not know the segments.
Long-tail popularity
    Product popularity follows a Zipf-like law (a power law with an
    exponential cut-off) fitted to the real table: the top 10% of products make
    about half the lines and the bottom half under a tenth.
Messiness of the real table
    Invoices of many lines; positive quantities mostly small (1, 2, 3, 6, 12...)
    with some bulk orders; cancellations (``InvoiceNo`` starting with ``"C"``,
    negative ``Quantity``) that cancel lines of an earlier invoice of the same
    customer, half of them in full, so that a (customer, product) pair can sum to
    zero; about a quarter of the lines with no ``CustomerID`` (guest checkouts);
    a few missing descriptions; a few products whose description changes during
    the year; some descriptions with a trailing space; no sales on Saturdays;
    busier autumn months; a handful of countries, mostly the United Kingdom.

The generator is vectorised with NumPy: the default call takes a few tens of
milliseconds and a call the size of the real table
(``make_online_retail(4338, 3664, 25900)``, about half a million lines) takes
a second or two. The same arguments always give an identical table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .data import RETAIL_ARROW_SCHEMA
from .validation import check_count

__all__ = ["make_online_retail"]

_FIRST_INVOICE = 536_365
_FIRST_CUSTOMER = 12_346
_CUSTOMER_ID_SPAN = 5_942  # the real IDs run from 12346 to 18287
_FIRST_DAY = np.datetime64("2010-12-01", "D")
_LAST_DAY = np.datetime64("2011-12-09", "D")
_LAST_MINUTE = np.datetime64("2011-12-09T23:59", "m")
_MAX_SKUS = 90_000  # five-digit base codes 10000..99999

_MEAN_LINES = 21  # lines per purchase invoice, as in the real table
_MAX_LINES = 250
_CANCEL_SHARE = 0.10  # share of invoices that are cancellations
_GUEST_SHARE = 0.25  # share of purchase invoices without a CustomerID
_N_FAVOURITES = 8
_P_FAVOURITE = 0.35  # line drawn from the customer's favourites
_P_SEGMENT = 0.45  # line drawn from the customer's segment group
_P_FULL_CANCEL = 0.5
_P_MISSING_DESCRIPTION = 0.01  # of guest lines
_ALT_DESCRIPTION_SHARE = 0.02
_TRAILING_SPACE_SHARE = 0.05

_COUNTRIES = np.array(
    [
        "United Kingdom",
        "Germany",
        "France",
        "EIRE",
        "Spain",
        "Netherlands",
        "Belgium",
        "Switzerland",
        "Portugal",
        "Australia",
    ],
    dtype=object,
)
_FOREIGN_WEIGHTS = np.array([0.22, 0.20, 0.18, 0.10, 0.08, 0.08, 0.06, 0.05, 0.03])
_P_UK_CUSTOMER = 0.9
_P_UK_GUEST = 0.98

_QUANTITIES = np.array([1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 36, 48, 72, 96, 144])
_QUANTITY_WEIGHTS = np.array(
    [0.26, 0.14, 0.08, 0.07, 0.02, 0.10, 0.03, 0.05, 0.12, 0.01, 0.02, 0.05, 0.01, 0.015,
     0.005, 0.005, 0.005]
)  # fmt: skip

_SUFFIXES = np.array(["A", "B", "C", "D", "E", "F", "G", "L", "P", "S", "W", "BL", "GR"])
_ADJECTIVES = (
    "VINTAGE", "RETRO", "SET OF 3", "JUMBO", "REGENCY", "HANGING", "SMALL", "LARGE",
    "GLASS", "WOODEN", "PAPER", "CERAMIC", "ENAMEL", "FELT", "LACE", "CHRISTMAS",
)  # fmt: skip
_THEMES = (
    "RED", "PINK", "BLUE", "WHITE", "IVORY", "GREEN", "RETROSPOT", "POLKADOT",
    "PAISLEY", "SPACEBOY", "DOLLY GIRL", "SKULLS", "STRAWBERRY", "FLORAL", "HEART",
    "BIRD",
)  # fmt: skip
_NOUNS = (
    "MUG", "LUNCH BAG", "T-LIGHT HOLDER", "TEACUP AND SAUCER", "CAKE STAND",
    "BUNTING", "CANDLE", "DOORSTOP", "NOTEBOOK", "WATER BOTTLE", "CUSHION COVER",
    "PHOTO FRAME", "BAKING SET", "JAM JAR", "SHOPPER BAG", "ALARM CLOCK", "PARASOL",
    "TISSUES", "GIFT WRAP", "STORAGE TIN", "DOOR MAT", "LANTERN", "COAT HANGER",
    "PARTY BUNTING", "PURSE", "TRINKET BOX",
)  # fmt: skip
# Relative busyness of the months from December 2010 to December 2011.
_MONTH_WEIGHTS = np.array([1.1, 0.8, 0.7, 0.9, 0.8, 0.9, 0.9, 0.9, 0.9, 1.3, 1.5, 1.9, 1.0])
_HOURS = np.arange(7, 20)
_HOUR_WEIGHTS = np.array([0.2, 1.5, 3.0, 4.5, 5.5, 6.5, 5.5, 4.5, 3.0, 1.5, 0.8, 0.6, 0.4])


def _normalise(weights: np.ndarray) -> np.ndarray:
    """Scale non-negative weights to sum to one."""
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()


def _popularity(rng: np.random.Generator, n_skus: int) -> np.ndarray:
    """Zipf-like popularity (power law with exponential cut-off), shuffled over skus."""
    rank = np.arange(1, n_skus + 1)
    weights = np.exp(-3.0 * rank / n_skus) / (rank + 0.02 * n_skus) ** 0.5
    return _normalise(weights)[rng.permutation(n_skus)]


def _descriptions(
    rng: np.random.Generator, group: np.ndarray, n_segments: int, popularity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Make a description per sku, and a second one for a few popular skus."""
    n_skus = len(group)
    themes = rng.choice(len(_THEMES), size=n_segments, replace=False)
    theme = np.where(
        rng.random(n_skus) < 0.6, themes[group], rng.integers(0, len(_THEMES), n_skus)
    )
    noun = rng.integers(0, len(_NOUNS), n_skus)
    adjective = np.where(
        rng.random(n_skus) < 0.4, rng.integers(0, len(_ADJECTIVES), n_skus), -1
    )
    other_theme = (theme + rng.integers(1, len(_THEMES), n_skus)) % len(_THEMES)
    trailing = np.where(rng.random(n_skus) < _TRAILING_SPACE_SHARE, " ", "")

    def text(t: int, n: int, a: int, end: str) -> str:
        words = ([_ADJECTIVES[a]] if a >= 0 else []) + [_THEMES[t], _NOUNS[n]]
        return " ".join(words) + end

    parts = zip(theme.tolist(), noun.tolist(), adjective.tolist(), trailing.tolist(), strict=True)
    description = np.array([text(t, n, a, e) for t, n, a, e in parts], dtype=object)

    # A few of the more popular skus get renamed during the year.
    n_alt = max(1, round(_ALT_DESCRIPTION_SHARE * n_skus))
    popular = np.argsort(-popularity, kind="stable")[: max(n_alt, n_skus // 2)]
    renamed = rng.choice(popular, size=n_alt, replace=False)
    alternative = np.full(n_skus, None, dtype=object)
    alternative[renamed] = [
        text(int(other_theme[i]), int(noun[i]), int(adjective[i]), str(trailing[i]))
        for i in renamed
    ]
    return description, alternative


def _stock_codes(rng: np.random.Generator, n_skus: int) -> np.ndarray:
    """Make unique codes like the real ones: ``22423``, ``85123A``, ``15056BL``."""
    base = rng.choice(_MAX_SKUS, size=n_skus, replace=False) + 10_000
    suffix = np.where(
        rng.random(n_skus) < 0.12, rng.choice(_SUFFIXES, size=n_skus), ""
    ).astype(str)
    return np.char.add(base.astype(str), suffix).astype(object)


def _invoice_minutes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Draw purchase times: no Saturdays, busier in autumn, mostly around midday."""
    days = np.arange(_FIRST_DAY, _LAST_DAY + np.timedelta64(1, "D"))
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    month = (days.astype("datetime64[M]") - _FIRST_DAY.astype("datetime64[M]")).astype("int64")
    weights = np.where(weekday == 5, 0.0, _MONTH_WEIGHTS[month])
    day = rng.choice(days, size=n, p=_normalise(weights))
    hour = rng.choice(_HOURS, size=n, p=_normalise(_HOUR_WEIGHTS))
    minute = hour * 60 + rng.integers(0, 60, size=n)
    return day.astype("datetime64[m]") + minute.astype("timedelta64[m]")


def make_online_retail(
    n_customers: int = 400, n_skus: int = 300, n_invoices: int = 3000, *, seed: int = 0
) -> pd.DataFrame:
    """Make a synthetic table shaped like the UCI Online Retail table.

    The table has the columns and dtypes of
    :func:`recsys_workshop.data.load_online_retail` and planted structure
    (customer segments with preferred products, long-tail popularity,
    cancellations, guest checkouts...): see the module docstring.

    Parameters
    ----------
    n_customers : int, default 400
        Number of customers with a ``CustomerID`` (a few may end up with no
        invoice when ``n_invoices`` is small).
    n_skus : int, default 300
        Size of the catalogue (at most 90,000); the rarest products may never be sold.
    n_invoices : int, default 3000
        Number of distinct invoices, about 10% of which are cancellations.
        Purchase invoices have 21 lines on average.
    seed : int, default 0
        Seed of the random generator: the same arguments give an identical table.

    Returns
    -------
    pandas.DataFrame
        Columns ``InvoiceNo``, ``StockCode``, ``Description``, ``Quantity``,
        ``InvoiceDate``, ``UnitPrice``, ``CustomerID``, ``Country``, one row per
        invoice line, in invoice order.

    Raises
    ------
    TypeError
        If a size or ``seed`` is not an integer.
    ValueError
        If a size is below 1 (or ``n_skus`` exceeds 90,000), or ``seed`` is negative.

    Examples
    --------
    >>> retail = make_online_retail(n_customers=50, n_skus=40, n_invoices=200, seed=1)
    >>> list(retail.columns[:4])
    ['InvoiceNo', 'StockCode', 'Description', 'Quantity']
    >>> bool(retail["InvoiceNo"].str.startswith("C").any())
    True
    >>> retail.equals(make_online_retail(n_customers=50, n_skus=40, n_invoices=200, seed=1))
    True
    """
    n_customers = check_count(n_customers, "n_customers", minimum=1)
    n_skus = check_count(n_skus, "n_skus", minimum=1, maximum=_MAX_SKUS)
    n_invoices = check_count(n_invoices, "n_invoices", minimum=1)
    rng = np.random.default_rng(check_count(seed, "seed"))

    # ---------------------------------------------------------------- products
    n_segments = min(n_skus, int(np.clip(round(np.sqrt(n_customers) / 3), 2, 10)))
    group = rng.permutation(np.arange(n_skus) % n_segments)
    popularity = _popularity(rng, n_skus)
    members = [np.flatnonzero(group == s) for s in range(n_segments)]
    member_p = [_normalise(popularity[m]) for m in members]
    codes = _stock_codes(rng, n_skus)
    description, alternative = _descriptions(rng, group, n_segments, popularity)
    rename_at = _FIRST_DAY + rng.integers(90, 280, size=n_skus).astype("timedelta64[D]")
    price = np.clip(np.round(rng.lognormal(np.log(2.1), 0.8, size=n_skus), 2), 0.1, 250.0)

    # --------------------------------------------------------------- customers
    span = max(_CUSTOMER_ID_SPAN, 2 * n_customers)
    customer_id = np.sort(rng.choice(span, size=n_customers, replace=False) + _FIRST_CUSTOMER)
    customer_id = customer_id.astype("float64")
    segment = rng.integers(0, n_segments, size=n_customers)
    activity = _normalise(rng.lognormal(0.0, 1.2, size=n_customers))
    foreign = rng.choice(len(_FOREIGN_WEIGHTS), size=n_customers, p=_normalise(_FOREIGN_WEIGHTS))
    customer_country = np.where(rng.random(n_customers) < _P_UK_CUSTOMER, 0, foreign + 1)
    n_favourites = min(_N_FAVOURITES, n_skus)
    favourites = np.empty((n_customers, n_favourites), dtype=np.int64)
    for s in range(n_segments):
        rows = np.flatnonzero(segment == s)
        favourites[rows] = rng.choice(members[s], size=(len(rows), n_favourites), p=member_p[s])

    # ---------------------------------------------------------------- invoices
    n_cancel = int(n_invoices * _CANCEL_SHARE)
    n_purchase = n_invoices - n_cancel
    n_guest = round(_GUEST_SHARE * n_purchase)
    n_known = n_purchase - n_guest
    n_cancel = min(n_cancel, n_known)
    n_purchase = n_invoices - n_cancel
    n_guest = n_purchase - n_known
    if n_known >= n_customers:  # every customer shops at least once
        buyers = np.concatenate(
            [np.arange(n_customers), rng.choice(n_customers, n_known - n_customers, p=activity)]
        )
    else:
        buyers = rng.choice(n_customers, n_known, p=activity, replace=False)
    inv_customer = rng.permutation(np.concatenate([buyers, np.full(n_guest, -1)]))
    is_guest = inv_customer < 0
    known = np.where(is_guest, 0, inv_customer)
    inv_segment = np.where(is_guest, rng.integers(0, n_segments, n_purchase), segment[known])
    guest_country = np.where(
        rng.random(n_purchase) < _P_UK_GUEST,
        0,
        rng.choice(len(_FOREIGN_WEIGHTS), size=n_purchase, p=_normalise(_FOREIGN_WEIGHTS)) + 1,
    )
    inv_country = np.where(is_guest, guest_country, customer_country[known])
    inv_minute = _invoice_minutes(rng, n_purchase)
    n_lines = np.minimum(rng.geometric(1.0 / _MEAN_LINES, size=n_purchase), _MAX_LINES)

    # ------------------------------------------------------------------- lines
    n_rows = int(n_lines.sum())
    line_invoice = np.repeat(np.arange(n_purchase), n_lines)
    line_customer = inv_customer[line_invoice]
    line_guest = line_customer < 0
    draw = rng.random(n_rows)
    from_favourites = ~line_guest & (draw < _P_FAVOURITE)
    from_segment = ~from_favourites & (draw < _P_FAVOURITE + _P_SEGMENT)
    sku = rng.choice(n_skus, size=n_rows, p=popularity)
    picked = rng.integers(0, n_favourites, size=int(from_favourites.sum()))
    sku[from_favourites] = favourites[line_customer[from_favourites], picked]
    line_segment = inv_segment[line_invoice]
    for s in range(n_segments):
        rows = np.flatnonzero(from_segment & (line_segment == s))
        sku[rows] = rng.choice(members[s], size=len(rows), p=member_p[s])
    quantity = rng.choice(_QUANTITIES, size=n_rows, p=_normalise(_QUANTITY_WEIGHTS))
    unit_price = price[sku]
    discounted = (quantity >= 12) & (rng.random(n_rows) < 0.3)
    unit_price = np.where(discounted, np.maximum(np.round(unit_price * 0.85, 2), 0.01), unit_price)

    # ----------------------------------------------------------- cancellations
    # Each cancellation invoice cancels one or more lines of an earlier purchase
    # invoice of a known customer, in full or in part.
    source = np.sort(rng.choice(np.flatnonzero(~is_guest), size=n_cancel, replace=False))
    cancel_of = np.full(n_purchase, -1)
    cancel_of[source] = np.arange(n_cancel)
    start = np.cumsum(n_lines) - n_lines
    chosen = np.zeros(n_rows, dtype=bool)
    chosen[start[source] + (rng.random(n_cancel) * n_lines[source]).astype(np.int64)] = True
    p_more = np.where(n_lines > 1, np.minimum(1.0, 1.4 / np.maximum(n_lines - 1, 1)), 0.0)
    p_more = np.where(cancel_of >= 0, p_more, 0.0)
    chosen |= rng.random(n_rows) < p_more[line_invoice]
    cancelled = np.flatnonzero(chosen)
    bought = quantity[cancelled]
    partial = (rng.random(len(cancelled)) >= _P_FULL_CANCEL) & (bought > 1)
    cancel_quantity = np.where(
        partial, rng.integers(1, np.maximum(bought, 2)), bought
    )
    # Up to 30 days later (sooner near the end of the data), never on a Saturday.
    room = (_LAST_MINUTE - inv_minute[source]).astype(np.int64)  # at least 4 hours
    longest = np.minimum(30 * 24 * 60, room)
    delay = 5 + (rng.random(n_cancel) * (longest - 5)).astype(np.int64)
    cancel_minute = inv_minute[source] + delay.astype("timedelta64[m]")
    saturday = (cancel_minute.astype("datetime64[D]").astype(np.int64) + 3) % 7 == 5
    cancel_minute[saturday] += np.timedelta64(1, "D")
    cancel_minute = np.minimum(cancel_minute, _LAST_MINUTE)

    # ---------------------------------------------- invoice numbers, in time order
    # Invoices 0..n_purchase-1 are purchases, the next n_cancel are cancellations.
    minute = np.concatenate([inv_minute, cancel_minute])
    is_cancel = np.arange(n_invoices) >= n_purchase
    order = np.lexsort((is_cancel, minute))
    rank = np.empty(n_invoices, dtype=np.int64)
    rank[order] = np.arange(n_invoices)
    number = (rank + _FIRST_INVOICE).astype(str).astype(object)
    invoice_no = np.where(is_cancel, "C" + number, number)
    invoice_customer = np.concatenate([inv_customer, inv_customer[source]])
    invoice_country = np.concatenate([inv_country, inv_country[source]])

    # ------------------------------------------------------------ assemble rows
    row_invoice = np.concatenate([line_invoice, n_purchase + cancel_of[line_invoice[cancelled]]])
    row_sku = np.concatenate([sku, sku[cancelled]])
    row_quantity = np.concatenate([quantity, -cancel_quantity]).astype("int64")
    row_price = np.concatenate([unit_price, unit_price[cancelled]])
    row_order = np.argsort(rank[row_invoice], kind="stable")
    row_invoice = row_invoice[row_order]
    row_sku = row_sku[row_order]
    row_minute = minute[row_invoice]
    row_customer = invoice_customer[row_invoice]

    row_description = description[row_sku]
    has_alternative = np.array([a is not None for a in alternative], dtype=bool)
    renamed = has_alternative[row_sku] & (row_minute >= rename_at[row_sku])
    row_description[renamed] = alternative[row_sku[renamed]]
    missing = (row_customer < 0) & (rng.random(len(row_sku)) < _P_MISSING_DESCRIPTION)
    row_description[missing] = None

    frame = pd.DataFrame(
        {
            "InvoiceNo": invoice_no[row_invoice],
            "StockCode": codes[row_sku],
            "Description": row_description,
            "Quantity": row_quantity[row_order],
            "InvoiceDate": row_minute.astype("datetime64[us]"),
            "UnitPrice": row_price[row_order],
            "CustomerID": np.where(
                row_customer < 0, np.nan, customer_id[np.maximum(row_customer, 0)]
            ),
            "Country": _COUNTRIES[invoice_country[row_invoice]],
        }
    )
    # Convert through Arrow, as the real table is read from parquet, so that the
    # string and date columns get exactly the dtypes of load_online_retail.
    table = pa.Table.from_pandas(frame, schema=RETAIL_ARROW_SCHEMA, preserve_index=False)
    return table.to_pandas()
