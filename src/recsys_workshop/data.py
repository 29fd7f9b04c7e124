"""Download, cache and load the UCI "Online Retail" data set.

The table holds all 541,909 transaction lines of a UK online gift retailer
between 2010-12-01 and 2011-12-09 (UCI Machine Learning Repository, id 352;
Chen, Sain and Guo, 2012; licence CC BY 4.0).

The first call downloads the original spreadsheet from UCI with :mod:`pooch`,
converts it once to ``online-retail.parquet`` in a cache folder and every later
call reads that parquet file, which takes well under a second. The cache folder
is ``$RECSYS_WORKSHOP_DATA`` when that variable is set, otherwise the user
cache folder chosen by :func:`pooch.os_cache`.

Every load checks the table, whether freshly converted or read from the cache:
its schema (:data:`RETAIL_ARROW_SCHEMA`), its row count (:data:`EXPECTED_ROWS`)
and its content fingerprint (:data:`RETAIL_FINGERPRINT`, a few counts and sums
that take a few tens of milliseconds), so that a truncated, corrupt or
garbage file is refused with a message that says how to redo it. Before a
conversion starts (it parses the spreadsheet for a minute or so), the cache
folder is checked to be writable by creating a file there. The files the
loader writes get the permissions of any newly created file (``0o666`` less
the umask), so that a cache folder shared by several users stays readable.

Run ``python -m recsys_workshop.data`` (or ``make data``) to fetch the data
ahead of a workshop.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import stat
import sys
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pooch
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "ARCHIVE_URL",
    "DATA_ENV_VAR",
    "DOWNLOAD_URLS",
    "EXPECTED_ROWS",
    "LEGACY_URL",
    "PARQUET_NAME",
    "RETAIL_ARROW_SCHEMA",
    "RETAIL_COLUMNS",
    "RETAIL_FINGERPRINT",
    "XLSX_NAME",
    "ZIP_NAME",
    "DataError",
    "cached_path",
    "data_home",
    "fingerprint_problems",
    "is_cached",
    "load_online_retail",
    "main",
    "retail_fingerprint",
    "validate_online_retail",
]

logger = logging.getLogger(__name__)

#: The columns of the table, in order.
RETAIL_COLUMNS: tuple[str, ...] = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
#: Number of rows of the full table.
EXPECTED_ROWS = 541_909
#: Content fingerprint of the full table: the figures of :func:`retail_fingerprint`,
#: which a table with the right schema and row count but the wrong content fails
#: (for example all ``CustomerID`` missing, or one row repeated 541,909 times).
#: Measured with ``retail_fingerprint(pd.read_parquet("online-retail.parquet"))``
#: on the table converted from UCI's ``Online Retail.xlsx`` (parquet sha256
#: 182ccf7c3beb26b1f92afde72a5daa3f18bd15de9053003e6700e34c603b1bb2), pandas
#: 3.1.1; computing them takes about 30 ms. Every figure is exact (prices are
#: summed as whole thousandths of a pound), so they are compared exactly.
RETAIL_FINGERPRINT: Mapping[str, int | str] = MappingProxyType(
    {
        "rows with a CustomerID": 406_829,
        "missing Description": 1_454,
        "distinct InvoiceNo": 25_900,
        "distinct StockCode": 4_070,
        "distinct CustomerID": 4_372,
        "distinct Country": 38,
        "sum of Quantity": 5_176_450,
        "sum of UnitPrice in 0.001 GBP": 2_498_803_974,
        "sum of CustomerID": 6_219_475_867,
        "first InvoiceDate": "2010-12-01 08:26:00",
        "last InvoiceDate": "2011-12-09 12:50:00",
    }
)
#: File name of the converted table in the cache folder.
PARQUET_NAME = "online-retail.parquet"
#: File name of the original spreadsheet (inside the zip archive, or on its own).
XLSX_NAME = "Online Retail.xlsx"
#: File name under which the zip archive is saved (the name a browser gives it).
ZIP_NAME = "online+retail.zip"
#: Environment variable that overrides the cache folder.
DATA_ENV_VAR = "RECSYS_WORKSHOP_DATA"
#: Current UCI archive: a zip file that contains ``Online Retail.xlsx``.
ARCHIVE_URL = "https://archive.ics.uci.edu/static/public/352/online+retail.zip"
#: Legacy UCI address of the spreadsheet itself.
LEGACY_URL = (
    "https://archive.ics.uci.edu/ml/machine-learning-databases/00352/Online%20Retail.xlsx"
)
#: Download addresses, tried in this order.
DOWNLOAD_URLS: tuple[str, ...] = (ARCHIVE_URL, LEGACY_URL)

_STRING_COLUMNS = ("InvoiceNo", "StockCode", "Description", "Country")
_NULLABLE_COLUMNS = ("Description", "CustomerID")
#: Arrow schema of the cached parquet file.
RETAIL_ARROW_SCHEMA = pa.schema(
    [
        pa.field("InvoiceNo", pa.large_string()),
        pa.field("StockCode", pa.large_string()),
        pa.field("Description", pa.large_string()),
        pa.field("Quantity", pa.int64()),
        pa.field("InvoiceDate", pa.timestamp("us")),
        pa.field("UnitPrice", pa.float64()),
        pa.field("CustomerID", pa.float64()),
        pa.field("Country", pa.large_string()),
    ]
)
_REDO_HINT = "Delete it and run `make data` (or `python -m recsys_workshop.data`) again."


class DataError(RuntimeError):
    """The data set is missing, cannot be downloaded, or is not what it should be."""


# --------------------------------------------------------------------------- paths


def data_home() -> Path:
    """Return the folder where the data set is cached.

    This is ``$RECSYS_WORKSHOP_DATA`` when that environment variable is set and
    not empty, otherwise the user cache folder ``pooch.os_cache("recsys-workshop")``
    (for example ``~/.cache/recsys-workshop`` on Linux). The folder may not exist yet.

    Returns
    -------
    pathlib.Path
        The cache folder.

    Examples
    --------
    >>> folder = data_home()
    >>> folder.name  # doctest: +SKIP
    'recsys-workshop'
    """
    value = os.environ.get(DATA_ENV_VAR, "")
    if value.strip():
        return Path(value).expanduser()
    return Path(pooch.os_cache("recsys-workshop"))


def _folder(folder: str | os.PathLike[str] | None) -> Path:
    """Resolve an optional cache-folder argument."""
    if folder is None:
        return data_home()
    return Path(os.fspath(folder)).expanduser()


def cached_path(data_home: str | os.PathLike[str] | None = None) -> Path:
    """Return where the converted parquet file is, or would be, cached.

    Parameters
    ----------
    data_home : str or path-like, optional
        Cache folder; by default :func:`data_home`.

    Returns
    -------
    pathlib.Path
        ``<cache folder>/online-retail.parquet``.

    Examples
    --------
    >>> cached_path("/tmp/retail-cache").as_posix()
    '/tmp/retail-cache/online-retail.parquet'
    """
    return _folder(data_home) / PARQUET_NAME


def is_cached(data_home: str | os.PathLike[str] | None = None) -> bool:
    """Tell whether the converted parquet file is in the cache folder.

    The file is not read or validated: use :func:`load_online_retail` for that.

    Parameters
    ----------
    data_home : str or path-like, optional
        Cache folder; by default :func:`data_home`.

    Returns
    -------
    bool
        True if ``online-retail.parquet`` exists there.

    Examples
    --------
    >>> is_cached("/nonexistent-folder")
    False
    """
    return cached_path(data_home).is_file()


# ---------------------------------------------------------------------- validation


def _is_string_column(series: pd.Series) -> bool:
    """Tell whether a column holds strings (pandas 2 object or pandas 3 ``str``)."""
    if isinstance(series.dtype, pd.StringDtype):
        return True
    if series.dtype == object:
        return pd.api.types.infer_dtype(series, skipna=True) in {"string", "empty"}
    return False


def _whole(value: float) -> int | float:
    """Turn a float holding a whole number into an int (keep inf and NaN as they are)."""
    return int(value) if math.isfinite(value) else value


def retail_fingerprint(frame: pd.DataFrame) -> dict[str, int | str]:
    """Compute the content fingerprint of a table with the Online Retail schema.

    The figures are: the rows with a ``CustomerID`` and those without a
    ``Description``; the distinct ``InvoiceNo``, ``StockCode``, ``CustomerID``
    and ``Country`` values; the sums of ``Quantity``, of ``UnitPrice`` (each
    price rounded to whole thousandths of a pound, so that the sum is an exact
    integer) and of ``CustomerID``; the first and last ``InvoiceDate``. They
    take about 30 ms on the full table; :data:`RETAIL_FINGERPRINT` holds those
    of the real table.

    Parameters
    ----------
    frame : pandas.DataFrame
        Table with the schema that :func:`validate_online_retail` accepts.

    Returns
    -------
    dict
        Figure name to value: ints, and the dates as ``"YYYY-MM-DD hh:mm:ss"``.

    Examples
    --------
    >>> from recsys_workshop.synthetic import make_online_retail
    >>> figures = retail_fingerprint(make_online_retail(seed=1))
    >>> list(figures) == list(RETAIL_FINGERPRINT)
    True
    """
    return {
        "rows with a CustomerID": int(frame["CustomerID"].notna().sum()),
        "missing Description": int(frame["Description"].isna().sum()),
        "distinct InvoiceNo": int(frame["InvoiceNo"].nunique()),
        "distinct StockCode": int(frame["StockCode"].nunique()),
        "distinct CustomerID": int(frame["CustomerID"].nunique()),
        "distinct Country": int(frame["Country"].nunique()),
        "sum of Quantity": int(frame["Quantity"].sum()),
        "sum of UnitPrice in 0.001 GBP": _whole((frame["UnitPrice"] * 1000).round().sum()),
        "sum of CustomerID": _whole(frame["CustomerID"].sum()),
        "first InvoiceDate": str(frame["InvoiceDate"].min()),
        "last InvoiceDate": str(frame["InvoiceDate"].max()),
    }


def _figure(value: object) -> str:
    """Format a fingerprint figure for a message: ints with thousands separators."""
    return f"{value:,}" if isinstance(value, int) else str(value)


def fingerprint_problems(
    found: Mapping[str, int | str], expected: Mapping[str, int | str] = RETAIL_FINGERPRINT
) -> list[str]:
    """Each figure of a fingerprint that differs from the expected one, said in words.

    Parameters
    ----------
    found : mapping
        A table's figures, from :func:`retail_fingerprint` (or Spark's twin,
        :func:`recsys_workshop.spark_pipeline.retail_fingerprint_spark`).
    expected : mapping, default RETAIL_FINGERPRINT
        The figures it should have.

    Returns
    -------
    list of str
        ``"name: expected X, found Y"`` per differing figure; empty when all agree.

    Examples
    --------
    >>> fingerprint_problems({"rows": 3}, {"rows": 4})
    ['rows: expected 4, found 3']
    """
    return [f"{name}: expected {_figure(value)}, found {_figure(found[name])}"
            for name, value in expected.items() if found[name] != value]


def _problems(
    frame: pd.DataFrame, n_rows: int | None, fingerprint: Mapping[str, int | str] | None
) -> list[str]:
    """List what is wrong with a table that should be the Online Retail table."""
    if not isinstance(frame, pd.DataFrame):
        return [f"expected a pandas DataFrame, got {type(frame).__name__}"]
    columns = [str(c) for c in frame.columns]
    if columns != list(RETAIL_COLUMNS):
        return [f"columns are {columns}, expected {list(RETAIL_COLUMNS)}"]
    problems = []
    for name in _STRING_COLUMNS:
        if not _is_string_column(frame[name]):
            problems.append(f"column {name} has dtype {frame[name].dtype}, expected strings")
    if frame["Quantity"].dtype != "int64":
        problems.append(f"column Quantity has dtype {frame['Quantity'].dtype}, expected int64")
    date_dtype = frame["InvoiceDate"].dtype
    if not pd.api.types.is_datetime64_dtype(date_dtype):  # False when time-zone aware
        problems.append(f"column InvoiceDate has dtype {date_dtype}, expected datetime64")
    for name in ("UnitPrice", "CustomerID"):
        if frame[name].dtype != "float64":
            problems.append(f"column {name} has dtype {frame[name].dtype}, expected float64")
    if not problems:
        for name in RETAIL_COLUMNS:
            if name not in _NULLABLE_COLUMNS and frame[name].isna().any():
                problems.append(f"column {name} has {int(frame[name].isna().sum())} missing values")
    if n_rows is not None and len(frame) != n_rows:
        problems.append(f"it has {len(frame):,} rows, expected {n_rows:,}")
    if fingerprint is not None and not problems:
        problems.extend(fingerprint_problems(retail_fingerprint(frame), fingerprint))
    return problems


def validate_online_retail(
    frame: pd.DataFrame,
    *,
    n_rows: int | None = None,
    fingerprint: Mapping[str, int | str] | None = None,
) -> None:
    """Check that a table has the columns and dtypes of the Online Retail table.

    The accepted schema is: the eight columns of :data:`RETAIL_COLUMNS` in order;
    ``InvoiceNo``, ``StockCode``, ``Description`` and ``Country`` holding strings
    (``object`` under pandas 2, ``str`` under pandas 3); ``Quantity`` int64;
    ``InvoiceDate`` a time-zone-naive datetime64; ``UnitPrice`` and
    ``CustomerID`` float64. Only ``Description`` and ``CustomerID`` may be missing.
    Optionally, the row count and the content fingerprint are checked too.

    Parameters
    ----------
    frame : pandas.DataFrame
        Table to check.
    n_rows : int, optional
        Required number of rows; not checked when None.
    fingerprint : mapping, optional
        Required figures of :func:`retail_fingerprint`, such as
        :data:`RETAIL_FINGERPRINT`; not checked when None, nor when the schema
        or the row count is already wrong.

    Raises
    ------
    DataError
        With every problem found; each mismatching figure of the fingerprint
        is named with its expected and found values.

    Examples
    --------
    >>> from recsys_workshop.synthetic import make_online_retail
    >>> validate_online_retail(make_online_retail(seed=1))
    >>> bad = make_online_retail(seed=1).drop(columns="Country")
    >>> validate_online_retail(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    recsys_workshop.data.DataError: not an Online Retail table: columns are [...]
    >>> try:
    ...     validate_online_retail(make_online_retail(seed=1), fingerprint=RETAIL_FINGERPRINT)
    ... except DataError as exc:
    ...     for problem in str(exc).split("; "):
    ...         print(problem)  # doctest: +ELLIPSIS
    not an Online Retail table: rows with a CustomerID: expected 406,829, found ...
    distinct InvoiceNo: expected 25,900, found ...
    """
    problems = _problems(frame, n_rows, fingerprint)
    if problems:
        raise DataError("not an Online Retail table: " + "; ".join(problems))


# ------------------------------------------------------------------------ reading


def _read_parquet(path: Path) -> pd.DataFrame:
    """Read and validate a cached parquet file."""
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:
        raise DataError(
            f"The cached data file {path} cannot be read ({exc}). {_REDO_HINT}"
        ) from exc
    problems = _problems(frame, EXPECTED_ROWS, RETAIL_FINGERPRINT)
    if problems:
        raise DataError(
            f"The cached data file {path} is not the Online Retail table: "
            + "; ".join(problems)
            + f". {_REDO_HINT}"
        )
    return frame


def _as_text(value: object) -> object:
    """Turn one spreadsheet cell into a string, or None when it is empty.

    The spreadsheet stores invoice numbers and stock codes such as ``536365`` or
    ``71053`` as numbers and the others (``C536379``, ``85123A``) as text.
    """
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def _read_xlsx(path: Path) -> pd.DataFrame:
    """Parse the original spreadsheet into the table schema (not yet validated)."""
    logger.info("Converting %s (this takes a minute or two)", path)
    try:
        raw = pd.read_excel(
            path,
            sheet_name=0,
            engine="openpyxl",
            dtype={name: object for name in _STRING_COLUMNS},
            keep_default_na=False,
            na_values=[""],
        )
    except Exception as exc:
        raise DataError(f"{path} cannot be read as a spreadsheet ({exc})") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in RETAIL_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"{path} has no column(s) {missing}; its columns are {list(raw.columns)}")
    try:
        columns = {}
        for name in RETAIL_COLUMNS:
            column = raw[name]
            if name in _STRING_COLUMNS:
                column = pd.Series(column.map(_as_text).to_numpy(dtype=object), dtype=object)
            elif name == "Quantity":
                column = pd.to_numeric(column, errors="raise").astype("int64")
            elif name == "InvoiceDate":
                # Excel stores times as fractions of a day: undo float round-off.
                column = pd.to_datetime(column).dt.round("s").astype("datetime64[us]")
            else:
                column = pd.to_numeric(column, errors="raise").astype("float64")
            columns[name] = column.reset_index(drop=True)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{path} does not have the expected contents ({exc})") from exc
    return pd.DataFrame(columns)


def _new_file(folder: Path, prefix: str) -> Path:
    """Create an empty file under a fresh name ``<prefix><random>.tmp`` in ``folder``.

    Unlike :func:`tempfile.mkstemp`, which gives mode 0600, the file gets the
    permissions of any newly created file (``0o666`` less the umask), so that
    the files renamed from it stay readable in a cache folder shared by others.
    """
    path = folder / f"{prefix}{uuid.uuid4().hex}.tmp"
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    return path


def _check_writable(folder: Path) -> int:
    """Make sure that files can be created in ``folder``, by creating (and removing) one.

    Merely asking :func:`os.access` is not enough: it can say yes where writing
    fails (for root, on read-only or network mounts).

    Returns
    -------
    int
        The permission bits that a new file gets in ``folder``.
    """
    try:
        probe = _new_file(folder, ".write-test-")
    except OSError as exc:
        raise DataError(
            f"The data cache folder {folder} is not writable ({exc}), so the Online Retail "
            f"table cannot be converted and cached there. Set {DATA_ENV_VAR} to a writable "
            "folder, and move to it any file that you put into this one by hand."
        ) from exc
    try:
        return stat.S_IMODE(probe.stat().st_mode)
    finally:
        probe.unlink()


def _write_parquet_atomically(frame: pd.DataFrame, path: Path) -> None:
    """Write the table next to ``path`` under a temporary name, then rename it."""
    table = pa.Table.from_pandas(frame, schema=RETAIL_ARROW_SCHEMA, preserve_index=False)
    tmp = _new_file(path.parent, f".{path.stem}-")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _extract_xlsx(archive: Path, folder: Path) -> Path:
    """Extract ``Online Retail.xlsx`` from the downloaded zip archive."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.namelist() if m.lower().endswith(".xlsx")]
            exact = [m for m in members if Path(m).name == XLSX_NAME]
            if not (exact or members):
                raise DataError(f"{archive} holds no {XLSX_NAME} (it has {zf.namelist()})")
            member = (exact or members)[0]
            target = folder / XLSX_NAME
            tmp = _new_file(folder, ".xlsx-")
            try:
                with tmp.open("wb") as out, zf.open(member) as src:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
    except zipfile.BadZipFile as exc:
        raise DataError(f"{archive} is not a valid zip archive ({exc})") from exc
    return target


def _file_kind(path: Path) -> str:
    """Tell a spreadsheet (``"xlsx"``, itself a zip file) from a zip archive or anything else."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return "other"
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "zip"


def _download(url: str, folder: Path) -> Path:
    """Download ``url`` into ``folder`` with pooch and return the local file."""
    fname = ZIP_NAME if url.endswith(".zip") else XLSX_NAME
    # No known hash: UCI publishes none; the parsed table is validated instead.
    return Path(pooch.retrieve(url, known_hash=None, path=folder, fname=fname, progressbar=True))


def _offline_message(folder: Path, errors: Sequence[str]) -> str:
    """Explain how to get the data by hand when no download worked."""
    lines = [
        "Could not download the Online Retail data set: you appear to be offline.",
        *(f"  {e}" for e in errors),
        "Download it by hand from one of these addresses:",
        *(f"  {url}" for url in DOWNLOAD_URLS),
        f"and put '{XLSX_NAME}' (it will be converted), '{ZIP_NAME}' or '{PARQUET_NAME}'",
        f"into the cache folder {folder}",
        f"or set {DATA_ENV_VAR} to a folder that holds '{PARQUET_NAME}'.",
    ]
    return "\n".join(lines)


def _convert(xlsx: Path, parquet: Path, *, downloaded: bool) -> pd.DataFrame:
    """Convert the spreadsheet to the cached parquet and return the table."""
    try:
        frame = _read_xlsx(xlsx)
        validate_online_retail(frame, n_rows=EXPECTED_ROWS, fingerprint=RETAIL_FINGERPRINT)
    except DataError as exc:
        if downloaded:
            xlsx.unlink(missing_ok=True)
            raise DataError(
                f"The downloaded file {xlsx} is not the expected table ({exc}); it was "
                "deleted, so running `make data` again downloads it afresh."
            ) from exc
        raise DataError(
            f"{xlsx} is not the expected Online Retail spreadsheet ({exc}). "
            "Delete it and run `make data` again."
        ) from exc
    try:
        _write_parquet_atomically(frame, parquet)
    except OSError as exc:
        raise DataError(f"Could not write {parquet} ({exc}).") from exc
    logger.info("Wrote %s (%d rows)", parquet, len(frame))
    return _read_parquet(parquet)


def load_online_retail(
    data_home: str | os.PathLike[str] | None = None, *, download: bool = True
) -> pd.DataFrame:
    """Load the raw UCI Online Retail table, downloading it on first use.

    Reads ``online-retail.parquet`` from the cache folder. When it is missing,
    converts ``Online Retail.xlsx`` (or the zip archive) found in that folder,
    or else downloads the archive from UCI (falling back to the legacy
    address), converts it and caches the result as parquet.

    The table is checked on every load, from the cache or freshly converted:
    its schema, its :data:`EXPECTED_ROWS` rows and its content fingerprint
    :data:`RETAIL_FINGERPRINT` (which costs a few tens of milliseconds). A
    converted table that fails is not cached. Before converting, the cache
    folder is checked to be writable by creating a file there, so that a
    read-only folder is reported at once rather than after the minute that
    parsing the spreadsheet takes. The files written into the cache folder
    get the usual permissions of new files (``0o666`` less the umask), so a
    cache folder shared by several users stays readable by all of them.

    Parameters
    ----------
    data_home : str or path-like, optional
        Cache folder; by default :func:`data_home` (``$RECSYS_WORKSHOP_DATA``
        or the user cache folder).
    download : bool, default True
        Whether to download the data when it is not cached.

    Returns
    -------
    pandas.DataFrame
        541,909 rows and the columns ``InvoiceNo``, ``StockCode``,
        ``Description``, ``Country`` (strings; ``Description`` may be missing),
        ``Quantity`` (int64, negative for cancellations), ``InvoiceDate``
        (datetime64), ``UnitPrice`` (float64, GBP) and ``CustomerID``
        (float64, NaN when unknown).

    Raises
    ------
    DataError
        If the data are not cached and cannot be downloaded (or ``download``
        is False); if the table must be converted but the cache folder is not
        writable; or if a cached, downloaded or converted file is not the
        expected table (the message names each mismatching figure and says how
        to redo the file).

    Examples
    --------
    >>> retail = load_online_retail()  # doctest: +SKIP
    >>> retail.shape  # doctest: +SKIP
    (541909, 8)
    >>> int(retail["CustomerID"].notna().sum())  # doctest: +SKIP
    406829
    """
    folder = _folder(data_home)
    parquet = folder / PARQUET_NAME
    if parquet.is_file():
        return _read_parquet(parquet)

    xlsx = folder / XLSX_NAME
    if xlsx.is_file():
        _check_writable(folder)
        return _convert(xlsx, parquet, downloaded=False)
    archive = folder / ZIP_NAME
    if archive.is_file():
        _check_writable(folder)
        try:
            extracted = _extract_xlsx(archive, folder)
        except DataError as exc:
            raise DataError(f"{exc}. Delete it and run `make data` again.") from exc
        return _convert(extracted, parquet, downloaded=False)

    if not download:
        raise DataError(
            f"The Online Retail data set is not cached: expected {parquet}. "
            "Run `make data` (or `python -m recsys_workshop.data`) to download it, "
            f"or set {DATA_ENV_VAR} to a folder that holds '{PARQUET_NAME}'."
        )

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"Cannot create the data cache folder {folder} ({exc}). "
            f"Set {DATA_ENV_VAR} to a writable folder."
        ) from exc
    file_mode = _check_writable(folder)

    network_errors: list[str] = []
    other_errors: list[str] = []
    for url in DOWNLOAD_URLS:
        logger.info("Downloading %s", url)
        try:
            local = _download(url, folder)
        except OSError as exc:
            logger.warning("Download of %s failed: %s", url, exc)
            network_errors.append(f"{url}: {exc}")
            continue
        kind = _file_kind(local)
        if kind == "zip":
            try:
                extracted = _extract_xlsx(local, folder)
            except DataError as exc:
                local.unlink(missing_ok=True)
                other_errors.append(f"{url}: {exc}")
                continue
            local.unlink(missing_ok=True)
            local = extracted
        elif kind == "xlsx":
            os.chmod(local, file_mode)  # pooch saves downloads with mode 0600
            if local.name != XLSX_NAME:
                os.replace(local, folder / XLSX_NAME)
                local = folder / XLSX_NAME
        else:
            local.unlink(missing_ok=True)
            other_errors.append(f"{url}: the downloaded file is neither a zip nor a spreadsheet")
            continue
        return _convert(local, parquet, downloaded=True)

    if other_errors:
        raise DataError(
            "Could not get the Online Retail data set:\n"
            + "\n".join(f"  {e}" for e in [*network_errors, *other_errors])
            + f"\nPut '{XLSX_NAME}' or '{PARQUET_NAME}' into the cache folder {folder} by hand, "
            f"or set {DATA_ENV_VAR}."
        )
    raise DataError(_offline_message(folder, network_errors))


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    """Fetch and cache the data set ahead of a workshop (``make data``).

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments; by default ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status: 0 on success, 1 when the data cannot be had.

    Examples
    --------
    >>> main(["--data-home", "/tmp/retail-cache"])  # doctest: +SKIP
    Online Retail: 541,909 rows in /tmp/retail-cache/online-retail.parquet
    0
    """
    parser = argparse.ArgumentParser(
        prog="python -m recsys_workshop.data",
        description="Download, convert and cache the UCI Online Retail data set.",
    )
    parser.add_argument(
        "--data-home",
        default=None,
        help=f"cache folder (default: ${DATA_ENV_VAR} or the user cache folder)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        frame = load_online_retail(args.data_home)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Online Retail: {len(frame):,} rows in {cached_path(args.data_home)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
