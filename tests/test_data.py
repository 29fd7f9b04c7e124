"""Tests of the data loader; no network: ``_download`` is replaced by fakes."""

from __future__ import annotations

import io
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
    """An empty cache folder; the expected row count is the small table's."""
    monkeypatch.setattr(data, "EXPECTED_ROWS", len(frame))
    monkeypatch.delenv(data.DATA_ENV_VAR, raising=False)
    return tmp_path / "cache"


class FakeDownload:
    """Stands in for ``data._download``: serves bytes or raises, per URL."""

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


# ----------------------------------------------------------------------- tests


def test_constants() -> None:
    assert data.RETAIL_COLUMNS == (
        "InvoiceNo", "StockCode", "Description", "Quantity",
        "InvoiceDate", "UnitPrice", "CustomerID", "Country",
    )  # fmt: skip
    assert data.EXPECTED_ROWS == 541_909
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


@pytest.mark.real_data
def test_real_table(retail: pd.DataFrame, retail_data_home: Path) -> None:
    assert len(retail) == 541_909
    assert int(retail["CustomerID"].notna().sum()) == 406_829
    assert int(retail["Description"].isna().sum()) == 1_454
    data.validate_online_retail(retail, n_rows=data.EXPECTED_ROWS)
    schema = pq.read_schema(retail_data_home / data.PARQUET_NAME).remove_metadata()
    assert schema.equals(data.RETAIL_ARROW_SCHEMA)
