"""Chapter 7's service contract, through FastAPI's in-process test client."""

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from recsys_workshop.als_by_hand import fold_in
from recsys_workshop.artifacts import Artifacts
from recsys_workshop.service import MAX_BODY_BYTES, MAX_N, create_app
from recsys_workshop.serving import recommend_known_or_popular


@pytest.fixture(scope="module")
def client(small_artifacts: Artifacts) -> TestClient:
    return TestClient(create_app(small_artifacts))


def _codes(answer) -> list[str]:
    return [product["stock_code"] for product in answer.json()["products"]]


def _described(artifacts: Artifacts, products: list[dict]) -> None:
    """Each product carries its sku's description."""
    for product in products:
        sku = artifacts.sku_index[product["stock_code"]]
        assert product["description"] == artifacts.descriptions[sku]
        assert product["description"]


def test_health(client: TestClient, small_artifacts: Artifacts):
    assert client.get("/health").json() == {
        "status": "ok", "skus": small_artifacts.stock_codes.size,
        "customers": small_artifacts.customers.size, "factors": 20}


def test_products_are_found_in_descriptions_and_codes_best_sellers_first(
        client: TestClient, small_artifacts: Artifacts):
    word = small_artifacts.descriptions[0].split()[-1]
    answer = client.get("/products", params={"q": word.lower(), "n": MAX_N}).json()
    found = [small_artifacts.sku_index[code] for code in
             (product["stock_code"] for product in answer["products"])]
    expected = [sku for sku in np.argsort(-small_artifacts.popularity, kind="stable").tolist()
                if word.casefold() in small_artifacts.descriptions[sku].casefold()][:MAX_N]
    assert found == expected and found
    _described(small_artifacts, answer["products"])
    assert len(client.get("/products", params={"q": word, "n": 2}).json()["products"]) == 2
    code = small_artifacts.stock_codes[7]
    assert code in _codes(client.get("/products", params={"q": code}))
    assert client.get("/products", params={"q": "no such thing"}).json()["products"] == []
    assert client.get("/products", params={"q": "a\nb"}).json()["products"] == []
    last = int(np.argsort(-small_artifacts.popularity, kind="stable")[-1])
    tail = f"{small_artifacts.stock_codes[last]} {small_artifacts.descriptions[last]}"
    assert _codes(client.get("/products", params={"q": tail.upper()})) == [
        small_artifacts.stock_codes[last]]  # the catalogue's last line, whole


def test_similar_lists_the_nearest_neighbours_best_first(client: TestClient,
                                                         small_artifacts: Artifacts):
    sku = 4
    answer = client.get(f"/similar/{small_artifacts.stock_codes[sku]}", params={"n": 5}).json()
    assert answer["source"] == "similarity"
    assert answer["product"] == {"stock_code": small_artifacts.stock_codes[sku],
                                 "description": small_artifacts.descriptions[sku]}
    row = small_artifacts.neighbours[[sku]].toarray().ravel()
    best = np.lexsort((np.arange(row.size), -row))[:5]
    assert [product["stock_code"] for product in answer["products"]] == \
        small_artifacts.stock_codes[best].tolist()
    assert [product["score"] for product in answer["products"]] == \
        pytest.approx(row[best].tolist(), abs=1e-6)
    _described(small_artifacts, answer["products"])
    everything = client.get(f"/similar/{small_artifacts.stock_codes[sku]}", params={"n": MAX_N})
    assert len(everything.json()["products"]) == np.count_nonzero(row)  # what is available


def test_a_known_customer_gets_als_without_what_they_bought(client: TestClient,
                                                            small_artifacts: Artifacts):
    row = 11
    customer = int(small_artifacts.customers[row])
    answer = client.get(f"/recommend/{customer}", params={"n": 8}).json()
    skus, _ = recommend_known_or_popular(
        small_artifacts.user_factors, small_artifacts.item_factors, small_artifacts.user_items,
        small_artifacts.popularity, row, 8)
    assert answer["source"] == "als" and answer["known"] is True
    assert answer["customer_id"] == customer
    assert [product["stock_code"] for product in answer["products"]] == \
        small_artifacts.stock_codes[skus].tolist()
    bought = set(small_artifacts.stock_codes[small_artifacts.user_items[[row]].indices])
    assert bought and not bought & {product["stock_code"] for product in answer["products"]}
    _described(small_artifacts, answer["products"])
    purchases = client.get(f"/customers/{customer}/purchases").json()["products"]
    assert {product["stock_code"] for product in purchases} == bought
    quantities = [product["quantity"] for product in purchases]
    assert quantities == sorted(quantities, reverse=True)
    _described(small_artifacts, purchases)


def test_an_unknown_customer_gets_popularity_and_is_told(client: TestClient,
                                                         small_artifacts: Artifacts):
    answer = client.get("/recommend/1", params={"n": 4}).json()
    assert answer["source"] == "popularity" and answer["known"] is False
    assert [small_artifacts.sku_index[code] for code in _codes(client.get("/recommend/1?n=4"))] \
        == np.argsort(-small_artifacts.popularity, kind="stable")[:4].tolist()
    _described(small_artifacts, answer["products"])


def test_a_basket_is_folded_in_as_chapter_6_does(client: TestClient, small_artifacts: Artifacts):
    codes = small_artifacts.stock_codes[[3, 30, 60]].tolist()
    basket = {codes[0]: 2, codes[1]: 1, "NO-SUCH-CODE": 5, codes[2]: 0.5}
    answer = client.post("/recommend", params={"n": 10}, json=basket).json()
    assert answer["source"] == "fold-in"
    assert answer["unknown"] == ["NO-SUCH-CODE"]
    factors = fold_in(basket, small_artifacts.sku_index, small_artifacts.item_factors,
                      small_artifacts.parameters["regularization"],
                      small_artifacts.parameters["alpha"])
    scores = small_artifacts.item_factors @ factors
    scores[[3, 30, 60]] = -np.inf
    expected = np.lexsort((np.arange(scores.size), -scores))[:10]
    assert _codes_of(answer) == small_artifacts.stock_codes[expected].tolist()
    assert [product["score"] for product in answer["products"]] == \
        pytest.approx(scores[expected].tolist(), abs=1e-5)
    assert not set(codes) & set(_codes_of(answer))
    _described(small_artifacts, answer["products"])


def _codes_of(answer: dict) -> list[str]:
    return [product["stock_code"] for product in answer["products"]]


@pytest.mark.parametrize(("basket", "unknown"), [({}, []), ({"NOPE": 1, "ALSO-NOT": 2},
                                                              ["NOPE", "ALSO-NOT"])])
def test_a_basket_without_a_known_code_gets_popularity(client: TestClient,
                                                       small_artifacts: Artifacts,
                                                       basket: dict, unknown: list):
    answer = client.post("/recommend", params={"n": 3}, json=basket).json()
    assert answer["source"] == "popularity" and answer["unknown"] == unknown
    assert [small_artifacts.sku_index[code] for code in _codes_of(answer)] == \
        np.argsort(-small_artifacts.popularity, kind="stable")[:3].tolist()


@pytest.mark.parametrize("target", ["/similar/NO-SUCH-CODE", "/customers/1/purchases"])
def test_unknown_products_and_customers_are_404_naming_them(client: TestClient, target: str):
    answer = client.get(target)
    assert answer.status_code == 404
    named = "'NO-SUCH-CODE'" if "similar" in target else "customer 1"
    assert named in answer.json()["detail"]


@pytest.mark.parametrize("n", ["0", "101", "-3", "ten", "2.5", "+5", "٣", "", "0010",
                               pytest.param("1" * 5000, id="5000-digits")])
@pytest.mark.parametrize("target", ["/similar/{code}", "/recommend/{customer}", "/products?q=a&",
                                    "POST /recommend"])
def test_n_outside_1_to_100_is_422(client: TestClient, small_artifacts: Artifacts, n: str,
                                   target: str):
    target = target.format(code=small_artifacts.stock_codes[0],
                           customer=small_artifacts.customers[0])
    if target.startswith("POST"):
        answer = client.post(f"/recommend?n={n}", json={small_artifacts.stock_codes[0]: 1})
    else:
        answer = client.get(f"{target}{'&' if '?' in target else '?'}n={n}".replace("&&", "&"))
    assert answer.status_code == 422, target
    assert answer.json()["detail"][0]["loc"] == ["query", "n"]


def test_the_bounds_of_n_are_accepted(client: TestClient, small_artifacts: Artifacts):
    customer = small_artifacts.customers[0]
    assert len(_codes(client.get(f"/recommend/{customer}?n=1"))) == 1
    assert len(_codes(client.get(f"/recommend/{customer}?n={MAX_N}"))) == MAX_N


@pytest.mark.parametrize(("body", "named"), [
    (b"{not json", "the body is not JSON"),
    (b"[1, 2]", "must be a JSON object"),
    (b'"A"', "must be a JSON object"),
    (b'{"A": "2"}', "the quantity of 'A' must be a finite number > 0, got \"2\""),
    (b'{"A": true}', "the quantity of 'A' must be a finite number > 0, got true"),
    (b'{"A": null}', "got null"),
    (b'{"A": NaN}', "got NaN"),
    (b'{"A": Infinity}', "got Infinity"),
    (b'{"A": [1]}', "got [1]"),
    (b'{"A": 1' + b"0" * 400 + b"}", "the quantity of 'A' must be a finite number > 0"),
    (b'{"A": 1' + b"0" * 5000 + b"}", "the body is not JSON"),
    (b'{"A": 1e400}', "got Infinity"),
    (b"[" * 50_000, "the body nests too deep"),
    (b"\xff\xfe{}", "the body is not JSON"),
    (b'{"KNOWN": 0}', "the quantity of 'KNOWN' must be a finite number > 0, got 0"),
    (b'{"KNOWN": -1}', "the quantity of 'KNOWN' must be a finite number > 0, got -1"),
    (b'{"UNKNOWN": -1.5}', "the quantity of 'UNKNOWN' must be a finite number > 0, got -1.5"),
    (b'{"KNOWN": 1e308}', "its quantities are too large to fold in"),
])
def test_a_malformed_basket_is_422_saying_why(client: TestClient, small_artifacts: Artifacts,
                                              body: bytes, named: str):
    body = body.replace(b"KNOWN", small_artifacts.stock_codes[0].encode())
    named = named.replace("KNOWN", small_artifacts.stock_codes[0])
    answer = client.post("/recommend", content=body,
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert named in answer.json()["detail"]


def test_an_oversized_body_is_413(client: TestClient, small_artifacts: Artifacts):
    basket = {f"CODE{index:07d}": 1 for index in range(MAX_BODY_BYTES // 10)}
    body = json.dumps(basket).encode()
    assert len(body) > MAX_BODY_BYTES
    answer = client.post("/recommend", content=body)
    assert answer.status_code == 413
    assert str(MAX_BODY_BYTES) in answer.json()["detail"]
    streamed = client.post("/recommend", content=iter([body[:40_000], body[40_000:]]))
    assert streamed.status_code == 413  # no Content-Length: counted while reading
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize("customer", ["abc", "1_000", " 12", "-5", "1e3", "12.0",
                                      pytest.param("1" * 5000, id="5000-digits")])
@pytest.mark.parametrize("target", ["/recommend/{}", "/customers/{}/purchases"])
def test_a_customer_id_must_be_digits(client: TestClient, customer: str, target: str):
    answer = client.get(target.format(customer))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["path", "customer_id"]
    assert "customer_id must be a CustomerID" in answer.json()["detail"][0]["msg"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 101}])
def test_a_search_needs_1_to_100_characters(client: TestClient, params: dict):
    answer = client.get("/products", params=params)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "q"]


def test_the_demo_page_is_served_and_needs_nothing_outside(client: TestClient):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for asset in ("/static/app.js", "/static/style.css"):
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert "http://" not in answer.text and "https://" not in answer.text, asset
        assert asset in page.text
    assert "http://" not in page.text and "https://" not in page.text


def test_the_api_docs_pages_are_off_and_the_schema_is_served(client: TestClient):
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    schema = client.get("/openapi.json").json()
    assert {"/health", "/products", "/similar/{stock_code}", "/recommend/{customer_id}",
            "/recommend", "/customers/{customer_id}/purchases"} == set(schema["paths"])
    declared = {(path, method): sorted(parameter["name"] for parameter in
                                       operation.get("parameters", []))
                for path, operations in schema["paths"].items()
                for method, operation in operations.items()}
    assert declared == {
        ("/health", "get"): [], ("/products", "get"): ["n", "q"],
        ("/similar/{stock_code}", "get"): ["n", "stock_code"],
        ("/recommend/{customer_id}", "get"): ["customer_id", "n"],
        ("/customers/{customer_id}/purchases", "get"): ["customer_id"],
        ("/recommend", "post"): ["n"]}
    body = schema["paths"]["/recommend"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["type"] == "object"


def test_create_app_wants_artifacts():
    with pytest.raises(TypeError, match="must be an Artifacts, got dict"):
        create_app({})
