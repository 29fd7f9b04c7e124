"""Chapter 7's loopback load test: a real uvicorn server, short runs, zero errors.

The server listens on 127.0.0.1 on a port the system picks, so these tests share no
port with any other; they only check correctness (speed targets live in ``make bench``).
"""

import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from recsys_workshop.artifacts import Artifacts
from recsys_workshop.loadtest import (
    CONCURRENCY,
    LoadResult,
    endpoints,
    host_port,
    main,
    run_load,
    serving,
    table,
)
from recsys_workshop.service import MAX_BODY_BYTES

pytestmark = pytest.mark.xdist_group("loadtest")


@pytest.fixture(scope="module")
def url(small_artifacts_folder: Path) -> Iterator[str]:
    with serving(small_artifacts_folder) as base:
        yield base


def _raw(url: str, payload: bytes) -> bytes:
    """Send ``payload`` on a fresh connection; what came back before the server closed it."""
    with socket.create_connection(host_port(url), timeout=10) as connection:
        connection.sendall(payload)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def _healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/health", timeout=5) as answer:
        return answer.status == 200


@pytest.mark.parametrize("concurrency", CONCURRENCY)
def test_every_endpoint_answers_every_request_without_error(
        url: str, small_artifacts: Artifacts, concurrency: int):
    host, port = host_port(url)
    for endpoint in endpoints(small_artifacts, host=host, port=port):
        result = run_load(url, endpoint, concurrency=concurrency, requests=120, max_seconds=30)
        assert (result.endpoint, result.requests, result.errors) == (endpoint.name, 120, 0)
        assert 0 < result.latency["p50"] <= result.latency["p95"] <= result.latency["p99"]
        assert result.throughput > 0


def test_the_requests_vary_and_are_reproducible(small_artifacts: Artifacts):
    first, again = endpoints(small_artifacts, seed=1), endpoints(small_artifacts, seed=1)
    assert first == again
    assert [endpoint.name for endpoint in first] == [
        "GET /health", "GET /products?q=", "GET /similar/{stock_code}",
        "GET /recommend/{customer_id}", "POST /recommend"]
    assert all(len(set(endpoint.requests)) > 10 for endpoint in first[2:])
    assert endpoints(small_artifacts, seed=2)[2] != first[2]


def test_a_run_stops_at_its_time_cap(url: str, small_artifacts: Artifacts):
    health = endpoints(small_artifacts)[0]
    start = time.perf_counter()
    result = run_load(url, health, concurrency=4, requests=10**7, max_seconds=0.3)
    assert time.perf_counter() - start < 5
    assert 0 < result.requests < 10**7 and result.errors == 0


def test_errors_are_counted(url: str):
    from recsys_workshop.loadtest import Endpoint

    missing = Endpoint("GET /nowhere", (b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n",))
    result = run_load(url, missing, concurrency=2, requests=10, max_seconds=10)
    assert (result.requests, result.errors) == (10, 10)


def test_the_server_survives_malformed_oversized_and_concurrent_requests(
        url: str, small_artifacts: Artifacts):
    assert _raw(url, b"NOT HTTP AT ALL\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert _raw(url, b"\x00\xff" * 1000).startswith(b"HTTP/1.1 400")
    announced = (b"POST /recommend HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\n\r\n" % (50 * MAX_BODY_BYTES))
    assert _raw(url, announced + b"{" * 1000).startswith(b"HTTP/1.1 413")
    chunk = b"{" + b" " * (MAX_BODY_BYTES + 10)
    chunked = (b"POST /recommend HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
               + b"%x\r\n" % len(chunk) + chunk + b"\r\n0\r\n\r\n")
    assert _raw(url, chunked).startswith(b"HTTP/1.1 413")
    body = b'{"A": -1}'
    negative = (b"POST /recommend HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                % len(body)) + body
    assert _raw(url, negative).startswith(b"HTTP/1.1 422")
    half = b"GET /similar/" + small_artifacts.stock_codes[0].encode()  # hung up mid-request
    _raw(url, half)
    posts = endpoints(small_artifacts)[-1]
    assert run_load(url, posts, concurrency=32, requests=64, max_seconds=30).errors == 0
    assert _healthy(url)


def test_the_table_has_every_figure():
    result = LoadResult("GET /health", 8, 100, 1, 0.5, {"p50": 1.0, "p95": 2.5, "p99": 3.25})
    lines = table([result]).splitlines()
    assert lines[0].split("|")[1:-1] == [
        " endpoint ", " concurrency ", " requests ", " requests/s ", " p50 ms ", " p95 ms ",
        " p99 ms ", " errors "]
    assert lines[2] == "| `GET /health` | 8 | 100 | 200 | 1.00 | 2.50 | 3.25 | 1 |"


def test_bad_settings_are_refused(url: str, small_artifacts: Artifacts):
    health = endpoints(small_artifacts)[0]
    with pytest.raises(ValueError, match="requests"):
        run_load(url, health, concurrency=8, requests=4, max_seconds=1)
    with pytest.raises(ValueError, match="max_seconds"):
        run_load(url, health, concurrency=1, requests=4, max_seconds=0)


def test_a_server_that_cannot_start_is_reported(tmp_path: Path):
    with pytest.raises(RuntimeError, match=r"manifest\.json is missing"), serving(tmp_path):
        pass


def test_the_command_prints_the_table_and_stops(small_artifacts_folder: Path,
                                                capsys: pytest.CaptureFixture):
    status = main(["--artifacts", str(small_artifacts_folder), "--requests", "30",
                   "--concurrency", "1", "3", "--max-seconds", "10"])
    printed = capsys.readouterr().out
    assert status == 0
    rows = [line for line in printed.splitlines() if line.startswith("| `")]
    assert len(rows) == 5 * 2
    assert all(line.endswith("| 0 |") for line in rows)
