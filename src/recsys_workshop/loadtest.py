"""Chapter 7: a loopback load test of the service, bounded in requests and in time.

``make loadtest`` (``python -m recsys_workshop.loadtest``) starts the service
(:mod:`recsys_workshop.service`, one uvicorn worker, one BLAS thread) on
127.0.0.1 on a free port, then sends each endpoint a bounded number of
requests from 1, 8 and 32 concurrent connections, each run stopped after a
few seconds at most, and prints requests per second, the latency percentiles
(:func:`~recsys_workshop.serving.latency_summary`) and the errors; it then
stops the server.

The client shares the machine with the server, so it must cost little CPU:
it is asyncio over raw streams, one keep-alive HTTP/1.1 connection per
concurrent client, each request's bytes written in advance, and a response
read by its ``Content-Length``. Each request's latency runs from writing it
to having read its whole body.
"""

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np

from .artifacts import Artifacts, add_folder_option, load_artifacts
from .serving import PERCENTILES, latency_summary
from .validation import check_count, check_real

__all__ = ["CONCURRENCY", "Endpoint", "LoadResult", "endpoints", "free_port", "host_port",
           "main", "run_load", "serving", "table"]

#: The numbers of concurrent connections ``make loadtest`` tries.
CONCURRENCY = (1, 8, 32)
#: Environment variables that pin BLAS (and OpenMP) to one thread in the server.
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "MKL_NUM_THREADS")}


@dataclass(frozen=True)
class Endpoint:
    """One endpoint's requests, ready to write, cycled through in order.

    Attributes
    ----------
    name : str
        How the tables name it, e.g. ``"GET /similar/{stock_code}"``.
    requests : tuple of bytes
        Complete HTTP/1.1 requests (head and body).
    """

    name: str
    requests: tuple[bytes, ...]


@dataclass(frozen=True)
class LoadResult:
    """What one run measured.

    Attributes
    ----------
    endpoint : str
        :attr:`Endpoint.name`.
    concurrency : int
        Concurrent connections.
    requests : int
        Requests answered (with any status).
    errors : int
        Answers whose status was not 200, plus requests that failed.
    seconds : float
        Wall time of the run.
    latency : dict
        :func:`~recsys_workshop.serving.latency_summary` of the answered requests (ms).
    """

    endpoint: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latency: dict[str, float]

    @property
    def throughput(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free on ``host`` a moment ago (the system's pick).

    Returns
    -------
    int
    """
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def host_port(url: str) -> tuple[str, int]:
    """The host and port of an ``http://host[:port][/]`` address (port 80 when not given).

    Examples
    --------
    >>> host_port("http://127.0.0.1:8000/")
    ('127.0.0.1', 8000)
    """
    host, _, port = url.removeprefix("http://").rstrip("/").partition(":")
    return host, int(port or 80)


@contextlib.contextmanager
def serving(artifacts_folder: str | os.PathLike[str], *, host: str = "127.0.0.1",
            port: int | None = None, start_timeout: float = 60.0) -> Iterator[str]:
    """Run the service in a child process while the ``with`` block runs.

    Parameters
    ----------
    artifacts_folder : str or path
        The folder the service loads.
    host : str, default "127.0.0.1"
    port : int, optional
        Default: :func:`free_port`.
    start_timeout : float, default 60
        Seconds to wait for ``/health`` to answer.

    Yields
    ------
    str
        The base URL, e.g. ``"http://127.0.0.1:41234"``.

    Raises
    ------
    RuntimeError
        If the server exits or does not answer in time (with its output).
    """
    port = free_port(host) if port is None else port
    command = [sys.executable, "-m", "recsys_workshop.service", "--artifacts",
               str(artifacts_folder), "--host", host, "--port", str(port)]
    url = f"http://{host}:{port}"
    # The server's output goes to a file: a pipe nobody reads would block it once full.
    with tempfile.TemporaryFile() as output:
        server = subprocess.Popen(command, env={**os.environ, **ONE_THREAD}, stdout=output,
                                  stderr=subprocess.STDOUT)
        try:
            _wait_for_health(server, output, url, start_timeout)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_for_health(server: subprocess.Popen, output: IO[bytes], url: str,
                     timeout: float) -> None:
    """Return once ``url/health`` answers 200; raise if the server dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output.seek(0)
            raise RuntimeError(f"the service exited with status {server.returncode}:\n"
                               f"{output.read().decode(errors='replace')}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/health", timeout=1) as answer:
                if answer.status == 200:
                    return
        time.sleep(0.1)
    raise RuntimeError(f"the service did not answer {url}/health within {timeout} s")


def endpoints(artifacts: Artifacts, *, host: str = "127.0.0.1", port: int = 80,
              variety: int = 200, seed: int = 0) -> list[Endpoint]:
    """The requests of the load test, drawn from the model's own skus and customers.

    Parameters
    ----------
    artifacts : Artifacts
        The served model: its stock codes, customers and descriptions.
    host, port
        For the ``Host`` header.
    variety : int, default 200
        How many different requests each endpoint cycles through.
    seed : int, default 0
        Seed of the draws: the same call gives the same requests.

    Returns
    -------
    list of Endpoint
        ``GET /health`` (the HTTP ceiling), ``GET /products?q=``,
        ``GET /similar/{stock_code}``, ``GET /recommend/{customer_id}`` and
        ``POST /recommend`` (a basket of three known codes), each with ``n=10``.
    """
    variety = check_count(variety, "variety", minimum=1)
    rng = np.random.default_rng(seed)
    skus = rng.integers(artifacts.stock_codes.size, size=(variety, 3))
    codes = artifacts.stock_codes[skus]
    customers = artifacts.customers[rng.integers(artifacts.customers.size, size=variety)]
    words = [word for description in artifacts.descriptions[skus[:, 0]]
             for word in description.split()[:1]] or ["a"]

    def get(target: str) -> bytes:
        return f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()

    def post(target: str, body: bytes) -> bytes:
        return (f"POST {target} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
                ).encode() + body

    quote = urllib.request.quote
    return [
        Endpoint("GET /health", (get("/health"),)),
        Endpoint("GET /products?q=", tuple(get(f"/products?q={quote(word)}&n=10")
                                           for word in words)),
        Endpoint("GET /similar/{stock_code}", tuple(get(f"/similar/{quote(code)}?n=10")
                                                    for code in codes[:, 0])),
        Endpoint("GET /recommend/{customer_id}", tuple(get(f"/recommend/{customer}?n=10")
                                                       for customer in customers.tolist())),
        Endpoint("POST /recommend", tuple(
            post("/recommend?n=10", json.dumps(dict.fromkeys(basket, 1)).encode())
            for basket in codes.tolist())),
    ]


def run_load(url: str, endpoint: Endpoint, *, concurrency: int, requests: int,
             max_seconds: float) -> LoadResult:
    """Send ``requests`` requests of ``endpoint`` from ``concurrency`` connections.

    Parameters
    ----------
    url : str
        ``http://host:port`` of the service.
    endpoint : Endpoint
        Its requests are sent in turn, the i-th request being
        ``endpoint.requests[i % len(endpoint.requests)]``.
    concurrency : int
        Keep-alive connections, each sending its next request as soon as the
        previous answer is read.
    requests : int
        Requests in all, at least ``concurrency``.
    max_seconds : float
        The run stops sending after this many seconds, even if requests are left.

    Returns
    -------
    LoadResult

    Raises
    ------
    TypeError, ValueError
        If a count is not an integer at least 1, ``requests < concurrency``,
        or ``max_seconds`` is not positive.
    OSError
        If a connection cannot be opened.
    """
    concurrency = check_count(concurrency, "concurrency", minimum=1)
    requests = check_count(requests, "requests", minimum=concurrency)
    max_seconds = check_real(max_seconds, "max_seconds", exclusive_minimum=0)
    return asyncio.run(_load(*host_port(url), endpoint, concurrency, requests, max_seconds))


async def _load(host: str, port: int, endpoint: Endpoint, concurrency: int, requests: int,
                max_seconds: float) -> LoadResult:
    """:func:`run_load`'s event loop."""
    latencies: list[float] = []
    errors = [0]
    next_request = iter(range(requests))
    deadline = time.perf_counter() + max_seconds
    cycle = endpoint.requests

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for index in next_request:
                if time.perf_counter() > deadline:
                    break
                start = time.perf_counter()
                writer.write(cycle[index % len(cycle)])
                try:
                    status = await _read_response(reader)
                except (OSError, ValueError, asyncio.IncompleteReadError):
                    errors[0] += 1
                    break
                latencies.append(time.perf_counter() - start)
                errors[0] += status != 200
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    seconds = time.perf_counter() - start
    return LoadResult(endpoint.name, concurrency, len(latencies), errors[0], seconds,
                      latency_summary(latencies) if latencies else
                      {f"p{q}": float("nan") for q in PERCENTILES})


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response with a ``Content-Length``; return its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            await reader.readexactly(int(value))
            return status
    raise ValueError(f"a response without Content-Length: {lines[0]!r}")


def table(results: Sequence[LoadResult]) -> str:
    """The results as a Markdown table: requests/s, p50/p95/p99 in ms, errors.

    Parameters
    ----------
    results : sequence of LoadResult

    Returns
    -------
    str
    """
    lines = ["| endpoint | concurrency | requests | requests/s | p50 ms | p95 ms | p99 ms | "
             "errors |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| `{result.endpoint}` | {result.concurrency} | {result.requests} | "
              f"{result.throughput:,.0f} | {result.latency['p50']:.2f} | "
              f"{result.latency['p95']:.2f} | {result.latency['p99']:.2f} | {result.errors} |"
              for result in results]
    return "\n".join(lines)


def run_all(url: str, artifacts: Artifacts, *, concurrency: Sequence[int] = CONCURRENCY,
            requests: int = 2000, max_seconds: float = 10.0) -> list[LoadResult]:
    """Every endpoint of :func:`endpoints` at every concurrency, warmed up first.

    Parameters
    ----------
    url : str
        ``http://host:port`` of the service.
    artifacts : Artifacts
        The model the service loaded (for the requests' codes and customers).
    concurrency : sequence of int, default CONCURRENCY
    requests, max_seconds
        Per run, as in :func:`run_load`.

    Returns
    -------
    list of LoadResult
        Endpoint by endpoint, in ``concurrency`` order.
    """
    host, port = host_port(url)
    results = []
    for endpoint in endpoints(artifacts, host=host, port=port):
        run_load(url, endpoint, concurrency=1, requests=50, max_seconds=max_seconds)  # warm-up
        results += [run_load(url, endpoint, concurrency=clients,
                             requests=max(requests, clients), max_seconds=max_seconds)
                    for clients in concurrency]
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Start the service on a free loopback port, load it, print the table, stop it."""
    parser = argparse.ArgumentParser(prog="python -m recsys_workshop.loadtest",
                                     description=main.__doc__)
    add_folder_option(parser)
    parser.add_argument("--requests", type=int, default=2000,
                        help="requests per endpoint and concurrency (default: 2000)")
    parser.add_argument("--max-seconds", type=float, default=10.0,
                        help="time cap of each run (default: 10)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=list(CONCURRENCY))
    args = parser.parse_args(argv)
    artifacts = load_artifacts(args.artifacts)
    with serving(args.artifacts) as url:
        print(f"load test of {url} (one uvicorn worker, one BLAS thread), "
              f"{os.cpu_count()} cores shared with this client\n", flush=True)
        results = run_all(url, artifacts, concurrency=args.concurrency,
                          requests=args.requests, max_seconds=args.max_seconds)
    print(table(results))
    return 1 if any(result.errors for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
