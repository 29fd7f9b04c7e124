"""Tests of the data loader; no network: ``_download`` is replaced by fakes."""

from __future__ import annotations

import errno
import io
import os
import stat
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pooch
import pyarrow.parquet as pq
import pytest

from recsys_workshop import data
from recsys_workshop.data import DataError, load_online_retail
from recsys_workshop.synthetic import make_online_retail

# --------------------------------------------------------------------- helpers


def _cell(value: object) -> object:
    """Store values as the UCI spreadsheet does: digit-only codes as numbers."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Online Retail"
    sheet.append(list(frame.columns))
    for row in frame.astype(object).itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_bytes(xlsx: bytes, member: str = "Online Retail.xlsx") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, xlsx)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    table = make_online_retail(n_customers=15, n_skus=25, n_invoices=20, seed=5)
    # The real spreadsheet has a description stored as a number (20713).
    table.loc[1, "Description"] = "20713"
    return table


@pytest.fixture(scope="module")
def xlsx(frame: pd.DataFrame) -> bytes:
    return _xlsx_bytes(frame)


@pytest.fixture
def cache(tmp_path: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder; the expected row count and fingerprint are the small table's."""
    monkeypatch.setattr(data, "EXPECTED_ROWS", len(frame))
    monkeypatch.setattr(data, "RETAIL_FINGERPRINT", data.retail_fingerprint(frame))
    monkeypatch.delenv(data.DATA_ENV_VAR, raising=False)
    return tmp_path / "cache"


class FakeDownload:
    """Stands in for ``data._download``: serves bytes or raises, per URL.

    Like pooch, it saves the files it serves with mode 0600.
    """

    def __init__(self, responses: dict[str, bytes | Exception]) -> None:
        self.responses = responses
        self.calls: list[str] = []

    def __call__(self, url: str, folder: Path) -> Path:
        self.calls.append(url)
        response = self.responses.get(url, OSError(f"no route to {url}"))
        if isinstance(response, Exception):
            raise response
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (data.ZIP_NAME if url.endswith(".zip") else data.XLSX_NAME)
        target.write_bytes(response)
        target.chmod(0o600)
        return target


def _install(monkeypatch: pytest.MonkeyPatch, responses: dict[str, bytes | Exception]):
    fake = FakeDownload(responses)
    monkeypatch.setattr(data, "_download", fake)
    return fake


def _no_download(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(url: str, folder: Path) -> Path:
        raise AssertionError(f"unexpected download of {url}")

    monkeypatch.setattr(data, "_download", fail)


def _write_cached(frame: pd.DataFrame, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / data.PARQUET_NAME
    data._write_parquet_atomically(frame, path)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _customers_unknown(table: pd.DataFrame) -> pd.DataFrame:
    """Garbage with the right schema and row count: every CustomerID missing."""
    return table.assign(CustomerID=np.nan)


def _first_row_repeated(table: pd.DataFrame) -> pd.DataFrame:
    """Garbage with the right schema and row count: the first row, over and over."""
    return table.iloc[np.zeros(len(table), dtype=int)].reset_index(drop=True)


#: The figures that ``_customers_unknown`` garbage fails.
_CUSTOMER_FIGURES = ("rows with a CustomerID", "distinct CustomerID", "sum of CustomerID")


def _shown(value: int | str) -> str:
    """A fingerprint figure as the error messages show it."""
    return f"{value:,}" if isinstance(value, int) else value


def _figure_message(name: str, expected: int | str, found: int | str) -> str:
    return f"{name}: expected {_shown(expected)}, found {_shown(found)}"


# ----------------------------------------------------------------------- tests


def test_constants() -> None:
    assert data.RETAIL_COLUMNS == (
        "InvoiceNo", "StockCode", "Description", "Quantity",
        "InvoiceDate", "UnitPrice", "CustomerID", "Country",
    )  # fmt: skip
    assert data.EXPECTED_ROWS == 541_909
    assert data.RETAIL_FINGERPRINT["rows with a CustomerID"] == 406_829
    assert data.RETAIL_FINGERPRINT["missing Description"] == 1_454
    assert data.RETAIL_FINGERPRINT["first InvoiceDate"].startswith("2010-12-01")
    assert data.RETAIL_FINGERPRINT["last InvoiceDate"].startswith("2011-12-09")
    assert data.PARQUET_NAME == "online-retail.parquet"
    assert data.DOWNLOAD_URLS == (
        "https://archive.ics.uci.edu/static/public/352/online+retail.zip",
        "https://archive.ics.uci.edu/ml/machine-learning-databases/00352/Online%20Retail.xlsx",
    )
    assert issubclass(DataError, RuntimeError)


def test_cache_hit_does_not_download(
    cache: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_cached(frame, cache)
    _no_download(monkeypatch)
    pd.testing.assert_frame_equal(load_online_retail(cache), frame)
    pd.testing.assert_frame_equal(load_online_retail(cache, download=False), frame)


def test_download_archive_converts_and_caches(
    cache: Path,
    frame: pd.DataFrame,
    xlsx: bytes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = _install(monkeypatch, {data.ARCHIVE_URL: _zip_bytes(xlsx)})
    loaded = load_online_retail(cache)
    assert fake.calls == [data.ARCHIVE_URL]
    pd.testing.assert_frame_equal(loaded, frame)
    # digit-only codes were numbers in the spreadsheet and come back as strings
    assert loaded.loc[1, "Description"] == "20713"
    assert loaded["InvoiceNo"].iloc[0] == "536365"
    assert loaded["InvoiceNo"].str.startswith("C").any()
    # the zip was extracted, then removed; the parquet is written with the shared schema
    assert (cache / data.XLSX_NAME).is_file()
    assert not (cache / data.ZIP_NAME).exists()
    assert data.is_cached(cache)
    schema = pq.read_schema(cache / data.PARQUET_NAME)
    assert schema.remove_metadata().equals(data.RETAIL_ARROW_SCHEMA)
    assert _leftovers(cache) == []

    # a second call reads the cache
    capsys.readouterr()
    _no_download(monkeypatch)
    pd.testing.assert_frame_equal(load_online_retail(cache), frame)
    assert capsys.readouterr() == ("", "")


def test_archive_fails_then_legacy_is_used(
    cache: Path, frame: pd.DataFrame, xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _install(
        monkeypatch,
        {data.ARCHIVE_URL: OSError("404 Client Error: Not Found"), data.LEGACY_URL: xlsx},
    )
    pd.testing.assert_frame_equal(load_online_retail(cache), frame)
    assert fake.calls == [data.ARCHIVE_URL, data.LEGACY_URL]
    assert data.is_cached(cache)


def test_zip_with_member_in_a_folder(
    cache: Path, frame: pd.DataFrame, xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _zip_bytes(xlsx, member="Online Retail/Online Retail.xlsx")
    _install(monkeypatch, {data.ARCHIVE_URL: archive})
    pd.testing.assert_frame_equal(load_online_retail(cache), frame)


def test_broken_archive_falls_back_to_legacy(
    cache: Path, frame: pd.DataFrame, xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _zip_bytes(b"readme", member="README.txt")
    fake = _install(monkeypatch, {data.ARCHIVE_URL: archive, data.LEGACY_URL: xlsx})
    pd.testing.assert_frame_equal(load_online_retail(cache), frame)
    assert fake.calls == [data.ARCHIVE_URL, data.LEGACY_URL]


def test_row_count_mismatch_writes_nothing(
    cache: Path, frame: pd.DataFrame, xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data, "EXPECTED_ROWS", len(frame) + 1)
    _install(monkeypatch, {data.ARCHIVE_URL: _zip_bytes(xlsx)})
    with pytest.raises(DataError, match=f"{len(frame):,} rows, expected {len(frame) + 1:,}"):
        load_online_retail(cache)
    assert not data.is_cached(cache)
    assert _leftovers(cache) == []
    # the bad download is deleted so that a retry starts afresh
    assert sorted(p.name for p in cache.iterdir()) == []


def test_failed_write_leaves_no_temp_file(
    cache: Path, xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(monkeypatch, {data.ARCHIVE_URL: _zip_bytes(xlsx)})

    def broken_write(*args: object, **kwargs: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(data.pq, "write_table", broken_write)
    with pytest.raises(DataError, match="No space left"):
        load_online_retail(cache)
    assert not data.is_cached(cache)
    assert _leftovers(cache) == []


def test_corrupt_cached_parquet(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir()
    path = cache / data.PARQUET_NAME
    path.write_bytes(b"this is not a parquet file")
    _no_download(monkeypatch)
    with pytest.raises(DataError) as info:
        load_online_retail(cache)
    message = str(info.value)
    assert str(path) in message
    assert "make data" in message
    assert "Delete" in message
    assert path.exists()  # not deleted: the cache may be a read-only shared folder


def test_cached_parquet_with_wrong_schema(
    cache: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir()
    path = cache / data.PARQUET_NAME
    frame.drop(columns="Country").to_parquet(path)
    _no_download(monkeypatch)
    with pytest.raises(DataError, match="columns are") as info:
        load_online_retail(cache)
    assert str(path) in str(info.value)


def test_cached_parquet_with_wrong_row_count(
    cache: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_cached(frame.iloc[:-1], cache)
    with pytest.raises(DataError, match="rows, expected"):
        load_online_retail(cache)


def test_offline(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _install(monkeypatch, {})  # every URL raises OSError
    with pytest.raises(DataError) as info:
        load_online_retail(cache)
    message = str(info.value)
    assert "offline" in message
    assert str(cache) in message
    assert data.ARCHIVE_URL in message
    assert data.LEGACY_URL in message
    assert data.XLSX_NAME in message
    assert data.DATA_ENV_VAR in message
    assert fake.calls == list(data.DOWNLOAD_URLS)
    assert not data.is_cached(cache)


def test_no_download_with_empty_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_download(monkeypatch)
    with pytest.raises(DataError) as info:
        load_online_retail(cache, download=False)
    assert str(cache / data.PARQUET_NAME) in str(info.value)
    assert "make data" in str(info.value)
    assert not cache.exists()


def test_spreadsheet_in_cache_is_converted_without_download(
    cache: Path, frame: pd.DataFrame, xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir()
    (cache / data.XLSX_NAME).write_bytes(xlsx)
    _no_download(monkeypatch)
    pd.testing.assert_frame_equal(load_online_retail(cache, download=False), frame)
    assert data.is_cached(cache)


def test_bad_spreadsheet_put_by_hand_is_kept(
    cache: Path, frame: pd.DataFrame, xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data, "EXPECTED_ROWS", len(frame) + 1)
    cache.mkdir()
    (cache / data.XLSX_NAME).write_bytes(xlsx)
    _no_download(monkeypatch)
    with pytest.raises(DataError, match=r"Online Retail\.xlsx"):
        load_online_retail(cache)
    assert (cache / data.XLSX_NAME).exists()
    assert not data.is_cached(cache)


def test_environment_variable_is_respected(
    cache: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_cached(frame, cache)
    monkeypatch.setenv(data.DATA_ENV_VAR, str(cache))
    _no_download(monkeypatch)
    assert data.data_home() == cache
    assert data.cached_path() == cache / data.PARQUET_NAME
    assert data.is_cached()
    pd.testing.assert_frame_equal(load_online_retail(), frame)


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_environment_variable_uses_pooch_cache(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(data.DATA_ENV_VAR, value)
    assert data.data_home() == Path(pooch.os_cache("recsys-workshop"))
    monkeypatch.delenv(data.DATA_ENV_VAR)
    assert data.data_home() == Path(pooch.os_cache("recsys-workshop"))


def test_validator_accepts_pandas2_object_strings(frame: pd.DataFrame) -> None:
    as_objects = frame.astype({c: object for c in ("InvoiceNo", "StockCode", "Country")})
    as_objects["Description"] = np.array(frame["Description"].tolist(), dtype=object)
    assert as_objects["InvoiceNo"].dtype == object
    data.validate_online_retail(as_objects, n_rows=len(frame))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda f: f.astype({"Quantity": "float64"}), "Quantity has dtype float64"),
        (lambda f: f[list(reversed(f.columns))], "columns are"),
        (lambda f: f.assign(StockCode=1), "StockCode has dtype int64"),
        (lambda f: f.assign(Country=None), "Country"),
        (lambda f: f.assign(InvoiceDate=f["InvoiceDate"].dt.tz_localize("UTC")), "InvoiceDate"),
    ],
)
def test_validator_rejects(
    frame: pd.DataFrame, change: Callable[[pd.DataFrame], pd.DataFrame], match: str
) -> None:
    with pytest.raises(DataError, match=match):
        data.validate_online_retail(change(frame))


def test_main(
    cache: Path,
    frame: pd.DataFrame,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _install(monkeypatch, {})
    assert data.main(["--data-home", str(cache)]) == 1
    assert "offline" in capsys.readouterr().err
    _write_cached(frame, cache)
    assert data.main(["--data-home", str(cache)]) == 0
    out = capsys.readouterr().out
    assert f"{len(frame):,} rows" in out
    assert str(cache / data.PARQUET_NAME) in out


def test_fingerprint_figures() -> None:
    table = pd.DataFrame(
        {
            "InvoiceNo": ["536365", "536365", "C536379"],
            "StockCode": ["85123A", "71053", "85123A"],
            "Description": ["WHITE HANGING HEART T-LIGHT HOLDER", None, "WHITE HANGING HEART"],
            "Quantity": np.array([6, 6, -1], dtype="int64"),
            "InvoiceDate": pd.to_datetime(
                ["2010-12-01 08:26", "2010-12-01 08:26", "2010-12-01 09:41"]
            ).astype("datetime64[us]"),
            "UnitPrice": [2.55, 3.39, 0.001],
            "CustomerID": [17850.0, np.nan, 14527.0],
            "Country": ["United Kingdom", "United Kingdom", "France"],
        }
    )
    data.validate_online_retail(table)
    assert data.retail_fingerprint(table) == {
        "rows with a CustomerID": 2,
        "missing Description": 1,
        "distinct InvoiceNo": 2,
        "distinct StockCode": 2,
        "distinct CustomerID": 2,
        "distinct Country": 2,
        "sum of Quantity": 11,
        "sum of UnitPrice in 0.001 GBP": 2_550 + 3_390 + 1,
        "sum of CustomerID": 17_850 + 14_527,
        "first InvoiceDate": "2010-12-01 08:26:00",
        "last InvoiceDate": "2010-12-01 09:41:00",
    }
    assert list(data.retail_fingerprint(table)) == list(data.RETAIL_FINGERPRINT)


@pytest.mark.parametrize(
    ("garbage", "figures"),
    [
        (_customers_unknown, _CUSTOMER_FIGURES),
        (_first_row_repeated, ("distinct InvoiceNo", "distinct StockCode", "sum of Quantity")),
    ],
)
def test_cached_garbage_with_right_schema_and_row_count_is_refused(
    cache: Path,
    frame: pd.DataFrame,
    monkeypatch: pytest.MonkeyPatch,
    garbage: Callable[[pd.DataFrame], pd.DataFrame],
    figures: tuple[str, ...],
) -> None:
    bad = garbage(frame)
    data.validate_online_retail(bad, n_rows=len(frame))  # schema and row count are right
    path = _write_cached(bad, cache)
    _no_download(monkeypatch)
    with pytest.raises(DataError) as info:
        load_online_retail(cache)
    message = str(info.value)
    expected, found = data.RETAIL_FINGERPRINT, data.retail_fingerprint(bad)
    for name in figures:
        assert _figure_message(name, expected[name], found[name]) in message
    assert str(path) in message
    assert data._REDO_HINT in message
    assert "rows, expected" not in message
    assert path.exists()  # not deleted: the cache may be a read-only shared folder


@pytest.mark.parametrize("name", list(data.RETAIL_FINGERPRINT))
def test_each_mismatching_figure_is_named(
    cache: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    found = data.retail_fingerprint(frame)
    value = found[name]
    expected = {**found, name: value + 1 if isinstance(value, int) else "2000-01-01 00:00:00"}
    monkeypatch.setattr(data, "RETAIL_FINGERPRINT", expected)
    path = _write_cached(frame, cache)
    with pytest.raises(DataError) as info:
        load_online_retail(cache)
    message = str(info.value)
    assert _figure_message(name, expected[name], value) in message
    assert [other for other in expected if f"{other}:" in message] == [name]
    assert message.endswith(f". {data._REDO_HINT}")
    assert str(path) in message


@pytest.mark.parametrize("downloaded", [False, True])
def test_converted_garbage_is_refused_and_not_cached(
    cache: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch, downloaded: bool
) -> None:
    garbage = _xlsx_bytes(_first_row_repeated(frame))
    if downloaded:
        _install(monkeypatch, {data.ARCHIVE_URL: _zip_bytes(garbage)})
    else:
        cache.mkdir()
        (cache / data.XLSX_NAME).write_bytes(garbage)
        _no_download(monkeypatch)
    with pytest.raises(DataError, match="distinct InvoiceNo: expected") as info:
        load_online_retail(cache)
    assert "make data" in str(info.value)
    assert not data.is_cached(cache)
    assert _leftovers(cache) == []
    # a download is deleted so that a retry starts afresh; a file put by hand is kept
    assert (cache / data.XLSX_NAME).exists() is not downloaded


@pytest.mark.skipif(os.name != "posix", reason="file modes and the umask are POSIX")
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
@pytest.mark.parametrize("url", [data.ARCHIVE_URL, data.LEGACY_URL])
def test_written_files_follow_the_umask(
    cache: Path, xlsx: bytes, monkeypatch: pytest.MonkeyPatch, umask: int, url: str
) -> None:
    _install(monkeypatch, {url: _zip_bytes(xlsx) if url.endswith(".zip") else xlsx})
    previous = os.umask(umask)
    try:
        load_online_retail(cache)
    finally:
        os.umask(previous)
    for name in (data.PARQUET_NAME, data.XLSX_NAME):
        assert _mode(cache / name) == 0o666 & ~umask, name


@pytest.mark.skipif(os.name != "posix", reason="file modes and the umask are POSIX")
def test_spreadsheet_put_by_hand_is_converted_with_the_umask(
    cache: Path, xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir()
    (cache / data.XLSX_NAME).write_bytes(xlsx)
    _no_download(monkeypatch)
    previous = os.umask(0o027)
    try:
        load_online_retail(cache)
    finally:
        os.umask(previous)
    assert _mode(cache / data.PARQUET_NAME) == 0o640


@pytest.mark.parametrize("source", ["spreadsheet", "archive", "download"])
def test_unwritable_cache_is_reported_before_converting(
    cache: Path, xlsx: bytes, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    cache.mkdir()
    if source == "spreadsheet":
        (cache / data.XLSX_NAME).write_bytes(xlsx)
    elif source == "archive":
        (cache / data.ZIP_NAME).write_bytes(_zip_bytes(xlsx))
    probed: list[Path] = []

    def read_only(folder: Path, prefix: str) -> Path:
        probed.append(folder)
        raise PermissionError(errno.EACCES, "Permission denied", str(folder / f"{prefix}x.tmp"))

    def never(*args: object) -> None:
        raise AssertionError("the conversion started in an unwritable folder")

    monkeypatch.setattr(data, "_new_file", read_only)
    monkeypatch.setattr(data, "_read_xlsx", never)
    monkeypatch.setattr(data, "_extract_xlsx", never)
    _no_download(monkeypatch)
    with pytest.raises(DataError) as info:
        load_online_retail(cache)
    message = str(info.value)
    assert f"The data cache folder {cache} is not writable" in message
    assert "Permission denied" in message
    assert data.DATA_ENV_VAR in message
    assert probed == [cache]
    assert not data.is_cached(cache)


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="needs a POSIX system and a user other than root (root may write anywhere)",
)
def test_read_only_folder_is_reported_before_converting(
    cache: Path, xlsx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir()
    (cache / data.XLSX_NAME).write_bytes(xlsx)

    def never(path: Path) -> pd.DataFrame:
        raise AssertionError("the conversion started in a read-only folder")

    monkeypatch.setattr(data, "_read_xlsx", never)
    cache.chmod(0o555)
    try:
        with pytest.raises(DataError, match="is not writable") as info:
            load_online_retail(cache)
    finally:
        cache.chmod(0o755)
    assert str(cache) in str(info.value)
    assert data.DATA_ENV_VAR in str(info.value)
    assert _leftovers(cache) == []


@pytest.mark.real_data
def test_real_table(retail: pd.DataFrame, retail_data_home: Path) -> None:
    assert len(retail) == 541_909
    assert int(retail["CustomerID"].notna().sum()) == 406_829
    assert int(retail["Description"].isna().sum()) == 1_454
    data.validate_online_retail(
        retail, n_rows=data.EXPECTED_ROWS, fingerprint=data.RETAIL_FINGERPRINT
    )
    assert data.retail_fingerprint(retail) == dict(data.RETAIL_FINGERPRINT)
    schema = pq.read_schema(retail_data_home / data.PARQUET_NAME).remove_metadata()
    assert schema.equals(data.RETAIL_ARROW_SCHEMA)


@pytest.mark.real_data
def test_real_table_fingerprint_is_cheap(retail: pd.DataFrame) -> None:
    seconds = []
    for _ in range(3):
        start = time.perf_counter()
        data.retail_fingerprint(retail)
        seconds.append(time.perf_counter() - start)
    assert min(seconds) < 0.3  # about 0.03 s


@pytest.mark.real_data
@pytest.mark.parametrize(
    ("garbage", "figures"),
    [
        (_customers_unknown, _CUSTOMER_FIGURES),
        (
            _first_row_repeated,
            (
                "missing Description", "distinct InvoiceNo", "distinct StockCode",
                "distinct CustomerID", "distinct Country", "sum of Quantity",
                "sum of UnitPrice in 0.001 GBP", "last InvoiceDate",
            ),
        ),
    ],
)  # fmt: skip
def test_real_table_garbage_is_refused(
    retail: pd.DataFrame, garbage: Callable[[pd.DataFrame], pd.DataFrame], figures: tuple[str, ...]
) -> None:
    bad = garbage(retail)  # a new table in memory; the session's table is untouched
    data.validate_online_retail(bad, n_rows=data.EXPECTED_ROWS)
    with pytest.raises(DataError) as info:
        data.validate_online_retail(
            bad, n_rows=data.EXPECTED_ROWS, fingerprint=data.RETAIL_FINGERPRINT
        )
    message = str(info.value)
    found = data.retail_fingerprint(bad)
    for name in figures:
        assert _figure_message(name, data.RETAIL_FINGERPRINT[name], found[name]) in message
