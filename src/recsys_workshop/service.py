"""Chapter 7: a FastAPI service that answers recommendation requests from saved artifacts.

:func:`create_app` turns an :class:`~recsys_workshop.artifacts.Artifacts` into
a web application; ``make serve`` starts it with uvicorn (``python -m
recsys_workshop.service``). Everything a request can reuse is prepared once,
when the application is created: each sku's product record and its JSON, its
neighbours in order, every known customer's best 100 unbought skus (the model
changes only when it is retrained), the fold-in's Gram matrix. Only a new
customer's basket is scored online, by one small linear solve. The answers:

- ``GET /health``: the service is up, and the model's size;
- ``GET /products?q=&n=``: skus whose description or stock code contains
  ``q``, best sellers first;
- ``GET /similar/{stock_code}?n=``: customers who bought this also bought
  (chapter 3's cosine similarity, pruned to each sku's nearest neighbours);
- ``GET /recommend/{customer_id}?n=``: ALS for a known customer, skipping what
  they bought; popularity for a customer the model never saw;
- ``GET /customers/{customer_id}/purchases``: what a known customer bought;
- ``POST /recommend?n=`` with a basket ``{stock_code: quantity}``: the new
  customer's factors by fold-in (chapter 6), unknown codes listed;
- ``GET /``: the demo page (``static/``).

Every product in an answer is ``{"stock_code", "description"}``, with a
``score`` where it was ranked. Errors are JSON ``{"detail": ...}``: 404 for an
unknown product or customer where the answer needs one, 422 for ``n`` outside
1-100 or a malformed basket, 413 for a body over :data:`MAX_BODY_BYTES`. The
interactive API docs (``/docs``, ``/redoc``) are off, since FastAPI loads their
scripts from a CDN; the schema stays at ``/openapi.json``.
"""

import argparse
import gc
import json
import math
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from .als_by_hand import make_fold_in
from .artifacts import Artifacts, add_folder_option, load_artifacts
from .product_search import ProductSearch
from .serving import best_first, recommend_known_or_popular

__all__ = ["MAX_BODY_BYTES", "MAX_N", "create_app", "main"]

#: The largest request body accepted (a basket of a few thousand skus); larger gets 413.
MAX_BODY_BYTES = 64 * 1024
#: The most products one answer may hold (``n`` is 1 to this).
MAX_N = 100
_DEFAULT_N = 10
_STATIC = resources.files("recsys_workshop") / "static"

#: The longest text ``/products`` searches for.
MAX_QUERY = 100
# The parameters are read by hand, not declared to FastAPI: its validation of a path and
# a query parameter costs about as much as the rest of a request (see README, "Serving
# the model"). These describe them in /openapi.json.
_N_PARAMETER = {"name": "n", "in": "query", "required": False,
                "description": f"How many products, 1 to {MAX_N}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_N,
                           "default": _DEFAULT_N}}
_QUERY_PARAMETER = {"name": "q", "in": "query", "required": True,
                    "description": "The text to find, in any case.",
                    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY}}
_CODE_PARAMETER = {"name": "stock_code", "in": "path", "required": True,
                   "schema": {"type": "string"}, "description": "A StockCode."}
_CUSTOMER_PARAMETER = {"name": "customer_id", "in": "path", "required": True,
                       "schema": {"type": "integer"}, "description": "A CustomerID."}


def _encode(content: Any) -> str:
    """``content`` as compact JSON, non-ASCII characters kept."""
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"))


class _Json(Response):
    """A JSON response encoded with the standard library, without FastAPI's re-encoding pass."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """``content`` as compact UTF-8 JSON."""
        return _encode(content).encode("utf-8")


def _answer(head: dict[str, Any], products: str) -> Response:
    """The JSON object ``{**head, "products": ...}``, ``products`` already encoded."""
    return Response(f'{_encode(head)[:-1]},"products":{products}}}', media_type=_Json.media_type)


def create_app(artifacts: Artifacts) -> FastAPI:
    """The web service and demo page of a trained model.

    Parameters
    ----------
    artifacts : Artifacts
        From :func:`~recsys_workshop.artifacts.build_artifacts` or
        :func:`~recsys_workshop.artifacts.load_artifacts`; its arrays must not
        change while the application runs.

    Returns
    -------
    fastapi.FastAPI
        Serve it with uvicorn, or call it in-process with
        ``fastapi.testclient.TestClient(app)``.

    Raises
    ------
    TypeError
        If ``artifacts`` is not an :class:`~recsys_workshop.artifacts.Artifacts`.
    ValueError
        As :func:`~recsys_workshop.als_by_hand.make_fold_in`, for factors that
        hold NaN or an infinity, or parameters out of range.

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> from recsys_workshop.artifacts import build_artifacts
    >>> from recsys_workshop.synthetic import make_online_retail
    >>> artifacts = build_artifacts(make_online_retail(n_customers=30, n_skus=20, seed=1),
    ...                             iterations=2)
    >>> client = TestClient(create_app(artifacts))
    >>> client.get("/recommend/1", params={"n": 3}).json()["source"]  # never seen: popularity
    'popularity'
    >>> client.get("/similar/nope").json()
    {'detail': "unknown product 'nope': no sku has this stock code"}
    """
    if not isinstance(artifacts, Artifacts):
        raise TypeError(f"artifacts must be an Artifacts, got {type(artifacts).__name__}")
    model = _Model(artifacts)
    app = FastAPI(title="recsys-workshop", version="1", docs_url=None, redoc_url=None,
                  description="Chapter 7's recommendation service (see the package's README).")

    @app.get("/health")
    async def health() -> _Json:
        """The service is up; the model's size."""
        return _Json(model.health)

    @app.get("/products", openapi_extra=_parameters(_QUERY_PARAMETER))
    async def products(request: Request) -> _Json:
        """Skus whose description or stock code contains ``q``, best sellers first."""
        text = _text(request)
        return _answer({"query": text}, model.encoded(model.search(text, _count(request))))

    @app.get("/similar/{stock_code}", openapi_extra=_parameters(_CODE_PARAMETER))
    async def similar(request: Request) -> _Json:
        """Customers who bought this also bought: the sku's nearest neighbours."""
        sku = model.sku(request.path_params["stock_code"])
        return _answer({"product": model.records[sku], "source": "similarity"},
                       model.encoded(model.neighbours[sku][:_count(request)]))

    @app.get("/recommend/{customer_id}", openapi_extra=_parameters(_CUSTOMER_PARAMETER))
    async def recommend(request: Request) -> _Json:
        """ALS for a known customer (bought skus left out), popularity for a new one."""
        customer_id, n = _customer_id(request), _count(request)
        row = model.customer_rows.get(customer_id)
        (skus, scores), source = ((model.popular, "popularity") if row is None
                                  else (model.known_top[row], "als"))
        return _answer({"customer_id": customer_id, "known": row is not None, "source": source},
                       model.ranked(skus[:n], scores[:n]))

    @app.get("/customers/{customer_id}/purchases",
             openapi_extra={"parameters": [_CUSTOMER_PARAMETER]})
    async def purchases(request: Request) -> _Json:
        """What a known customer bought, most units first."""
        customer_id = _customer_id(request)
        return _Json({"customer_id": customer_id,
                      "products": model.purchases(model.customer(customer_id))})

    @app.post("/recommend", openapi_extra={**_parameters(), **_BASKET_SCHEMA})
    async def recommend_basket(request: Request) -> _Json:
        """A new customer's recommendations from their basket, by fold-in."""
        n = _count(request)
        basket = _parse_basket(await _read_body(request))
        return _answer(*model.for_basket(basket, n))

    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")

    @app.get("/", include_in_schema=False)
    async def demo_page() -> FileResponse:
        """The demo page."""
        return FileResponse(str(_STATIC / "index.html"))

    return app


class _Model:
    """What the requests read, prepared once from the artifacts."""

    def __init__(self, artifacts: Artifacts) -> None:
        self.artifacts = artifacts
        self.sku_rows = artifacts.sku_index
        self.customer_rows = artifacts.customer_index
        self.records = [{"stock_code": code, "description": description}
                        for code, description in zip(artifacts.stock_codes.tolist(),
                                                     artifacts.descriptions.tolist(), strict=True)]
        # Each record's JSON without its closing brace, to append a score to: encoding the
        # records of an answer is then one join (json.dumps of ten dicts costs more than
        # the rest of the handler).
        self.open_records = [_encode(record)[:-1] for record in self.records]
        neighbours = artifacts.neighbours
        self.neighbours = []
        for sku in range(neighbours.shape[0]):
            start, stop = neighbours.indptr[sku], neighbours.indptr[sku + 1]
            columns, values = neighbours.indices[start:stop], neighbours.data[start:stop]
            order = np.lexsort((columns, -values))  # best first, ties by lower index
            self.neighbours.append(self.scored(columns[order], values[order]))
        # Search reads "code description" of each sku, best sellers first.
        self.by_popularity = np.argsort(-artifacts.popularity, kind="stable").tolist()
        self.catalogue = ProductSearch([f"{self.records[sku]['stock_code']} "
                                        f"{self.records[sku]['description']}"
                                        for sku in self.by_popularity])
        self.fold = make_fold_in(self.sku_rows, artifacts.item_factors,
                                 artifacts.parameters["regularization"],
                                 artifacts.parameters["alpha"])
        # Known customers' best MAX_N unbought skus, and the MAX_N best sellers, ranked once
        # here rather than at every request: the model changes only when it is retrained.
        self.known_top = [self.best(row) for row in range(artifacts.customers.size)]
        self.popular = self.best(None)
        self.health = {"status": "ok", "skus": len(self.records),
                       "customers": int(artifacts.customers.size),
                       "factors": int(artifacts.item_factors.shape[1])}

    def sku(self, stock_code: str) -> int:
        """The column of ``stock_code``; 404 when unknown."""
        sku = self.sku_rows.get(stock_code)
        if sku is None:
            raise HTTPException(404, f"unknown product {stock_code!r}: no sku has this stock code")
        return sku

    def customer(self, customer_id: int) -> int:
        """The row of ``customer_id``; 404 when unknown."""
        row = self.customer_rows.get(customer_id)
        if row is None:
            raise HTTPException(404, f"unknown customer {customer_id}: the model never saw them")
        return row

    def scored(self, skus: Any, scores: Any) -> list[str]:
        """The JSON of the product records of ``skus``, each with its score."""
        return [f'{self.open_records[sku]},"score":{round(score, 6)!r}}}'
                for sku, score in zip(np.asarray(skus).tolist(), np.asarray(scores).tolist(),
                                      strict=True)]

    def ranked(self, skus: Any, scores: Any) -> str:
        """The JSON list of the product records of ``skus``, each with its score."""
        return self.encoded(self.scored(skus, scores))

    @staticmethod
    def encoded(items: list[str]) -> str:
        """The JSON list of ``items``, each already JSON."""
        return f"[{','.join(items)}]"

    def search(self, text: str, n: int) -> list[str]:
        """The JSON records of the ``n`` best sellers whose code or description holds ``text``."""
        return [f"{self.open_records[self.by_popularity[line]]}}}"
                for line in self.catalogue.find(text, n)]

    def best(self, row: int | None) -> tuple[np.ndarray, np.ndarray]:
        """The :data:`MAX_N` skus of customer ``row`` (``None``: a new one) and their scores.

        :func:`~recsys_workshop.serving.recommend_known_or_popular`, with the scores.
        """
        artifacts = self.artifacts
        skus, _ = recommend_known_or_popular(artifacts.user_factors, artifacts.item_factors,
                                             artifacts.user_items, artifacts.popularity, row,
                                             MAX_N)
        scores = (artifacts.popularity[skus] if row is None
                  else artifacts.item_factors[skus] @ artifacts.user_factors[row])
        return skus, scores

    def purchases(self, row: int) -> list[dict[str, Any]]:
        """The skus of customer ``row``, most units first, each with its quantity."""
        items = self.artifacts.user_items
        start, stop = items.indptr[row], items.indptr[row + 1]
        columns, quantities = items.indices[start:stop], items.data[start:stop]
        order = np.lexsort((columns, -quantities))
        return [{**self.records[sku], "quantity": quantity}
                for sku, quantity in zip(columns[order].tolist(), quantities[order].tolist(),
                                         strict=True)]

    def for_basket(self, basket: dict[str, Any], n: int) -> tuple[dict[str, Any], str]:
        """Fold-in recommendations for ``basket``; popularity when no code of it is known.

        The basket was checked by :func:`_parse_basket`. This is what
        :func:`~recsys_workshop.serving.basket_to_row` and
        :func:`~recsys_workshop.serving.recommend_known_or_popular` answer, without
        their checks of the model at every request: it was checked once, at start.
        """
        known = {code: quantity for code, quantity in basket.items() if code in self.sku_rows}
        unknown = [code for code in basket if code not in known]
        head = {"source": "popularity" if not known else "fold-in", "unknown": unknown}
        if not known:
            skus, scores = self.popular
            return head, self.ranked(skus[:n], scores[:n])
        with np.errstate(over="ignore", invalid="ignore"):  # refused just below
            scores = self.artifacts.item_factors @ self.fold(known)
        if not np.isfinite(scores).all():
            raise HTTPException(422, "malformed basket: its quantities are too large to "
                                     "fold in (the scores overflow)")
        scores[[self.sku_rows[code] for code in known]] = -np.inf
        skus = best_first(scores, min(n, scores.size - len(known)))
        return head, self.ranked(skus, scores[skus])


_BASKET_SCHEMA = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "additionalProperties": {"type": "number", "exclusiveMinimum": 0},
    "description": "The basket: {stock_code: quantity}, quantities finite and > 0.",
    "example": {"85123A": 2, "22423": 1}}}}}}


def _parameters(*parameters: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` declaring ``parameters`` and ``n``."""
    return {"parameters": [*parameters, _N_PARAMETER]}


def _invalid(where: str, name: str, value: str, message: str) -> RequestValidationError:
    """A 422 error shaped like FastAPI's own: ``{"detail": [{"loc", "msg", ...}]}``."""
    return RequestValidationError([{"type": "value_error", "loc": (where, name),
                                    "msg": message, "input": value}])


def _count(request: Request) -> int:
    """The query parameter ``n``: a whole number from 1 to :data:`MAX_N`, 10 when absent."""
    value = request.query_params.get("n")
    if value is None:
        return _DEFAULT_N
    if value.isascii() and value.isdigit() and len(value) <= 3 and 1 <= int(value) <= MAX_N:
        return int(value)
    raise _invalid("query", "n", value, f"n must be a whole number from 1 to {MAX_N}")


def _text(request: Request) -> str:
    """The query parameter ``q``: 1 to :data:`MAX_QUERY` characters."""
    value = request.query_params.get("q")
    if value is None or not 1 <= len(value) <= MAX_QUERY:
        raise _invalid("query", "q", value, f"q must hold 1 to {MAX_QUERY} characters")
    return value


def _customer_id(request: Request) -> int:
    """The path parameter ``customer_id``: 1 to 20 digits (no sign, space or ``_``)."""
    value = request.path_params["customer_id"]
    if value.isascii() and value.isdigit() and len(value) <= 20:
        return int(value)
    raise _invalid("path", "customer_id", value,
                   "customer_id must be a CustomerID: 1 to 20 digits")


async def _read_body(request: Request) -> bytes:
    """The request body, refused with 413 as soon as it exceeds :data:`MAX_BODY_BYTES`."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(413, f"the body has {int(declared)} bytes; "
                                 f"at most {MAX_BODY_BYTES} are accepted")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise HTTPException(413, f"the body has more than {MAX_BODY_BYTES} bytes, "
                                     "the most accepted")
    return bytes(body)


def _parse_basket(body: bytes) -> dict[str, Any]:
    """The JSON object of ``body``; 422 naming what is wrong otherwise."""
    try:
        basket = json.loads(body)
    except ValueError as error:  # not UTF-8, not JSON, or a number of over 4,300 digits
        raise HTTPException(422, f"the body is not JSON: {error}") from None
    except RecursionError:
        raise HTTPException(422, "the body nests too deep to be a basket") from None
    if not isinstance(basket, dict):
        raise HTTPException(422, "the body must be a JSON object {stock_code: quantity}, "
                                 f"got {type(basket).__name__}")
    for code, quantity in basket.items():  # JSON numbers only: no "2", no true
        if isinstance(quantity, bool) or not isinstance(quantity, int | float) \
                or not _finite(quantity) or quantity <= 0:
            raise HTTPException(422, f"malformed basket: the quantity of {code!r} must be a "
                                     f"finite number > 0, got {json.dumps(quantity)}")
    return basket


def _finite(number: float) -> bool:
    """Whether ``number`` is a finite float, or an int that a float can hold."""
    try:
        return math.isfinite(number)
    except OverflowError:  # an int beyond the largest float
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the artifacts folder with uvicorn: one worker, one BLAS thread (``make serve``)."""
    import uvicorn  # the command line only
    from threadpoolctl import threadpool_limits

    parser = argparse.ArgumentParser(prog="python -m recsys_workshop.service",
                                     description=main.__doc__)
    add_folder_option(parser)
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1, this machine")
    parser.add_argument("--port", type=int, default=8000, help="default: 8000")
    args = parser.parse_args(argv)
    threadpool_limits(limits=1)  # for the life of the process
    app = create_app(load_artifacts(args.artifacts))
    # The model's many long-lived objects (a product record per sku and neighbour) would
    # otherwise be walked by every full garbage collection, a pause of milliseconds.
    gc.freeze()
    print(f"demo page: http://{args.host}:{args.port}/   (Ctrl+C stops the service)", flush=True)
    # httptools parses HTTP in C; asyncio's own loop, so that every install runs the same
    # server (uvloop has no Windows build).
    uvicorn.run(app, host=args.host, port=args.port, workers=1, loop="asyncio",
                http="httptools", access_log=False, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
