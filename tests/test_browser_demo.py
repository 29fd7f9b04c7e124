"""Chapter 7's demo page in Debian's chromium: search, the also-bought shelf, a customer, a basket.

The service runs in a child process on 127.0.0.1 on a port the system picks, on the
small synthetic model of ``conftest.small_artifacts_folder``; every request that
leaves this machine is blocked and counted (the page must need none). Screenshots
land in ``tests/screenshots/demo-*.png``.
"""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest
from test_browser import CHROMIUM, CHROMIUM_FLAGS, SCREENSHOTS

from recsys_workshop.artifacts import Artifacts
from recsys_workshop.loadtest import serving

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module")
def page(small_artifacts_folder: Path) -> Iterator:
    """The demo page, loaded, in a headless chromium; the requests it sent outside, listed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium (as .ci/run does)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is absent: pip install --editable '.[dev]'")
    SCREENSHOTS.mkdir(exist_ok=True)
    with serving(small_artifacts_folder) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.outside = []

            def block_outside(route) -> None:
                if urlparse(route.request.url).hostname == "127.0.0.1":
                    route.continue_()
                else:
                    tab.outside.append(route.request.url)
                    route.abort()

            tab.route("**/*", block_outside)
            tab.goto(url)
            tab.wait_for_load_state("networkidle")
            yield tab
        finally:
            browser.close()


def _texts(page, selector: str) -> list[str]:
    return page.locator(selector).all_inner_texts()


def _best_seller_word(artifacts: Artifacts) -> str:
    """A word of the best seller's description, which search must then list first."""
    best = int(np.argmax(artifacts.popularity))
    return artifacts.descriptions[best].split()[-1].lower()


def test_search_suggests_products_and_the_shelf_shows_descriptions(
        page, small_artifacts: Artifacts):
    word = _best_seller_word(small_artifacts)
    page.fill("#search", word)
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    results = _texts(page, "#search-results li")
    assert results and all(word in result.lower() for result in results)
    suggestions = page.locator("#suggestions option")
    assert suggestions.count() == len(results)
    first_code = suggestions.first.get_attribute("value")
    assert first_code in small_artifacts.sku_index
    page.screenshot(path=SCREENSHOTS / "demo-search.png", full_page=True)

    page.locator("#search-results li").first.get_by_role("button", name="also bought").click()
    page.wait_for_function("document.querySelectorAll('#also-bought li').length > 0")
    assert page.locator("#product-section").is_visible()
    sku = small_artifacts.sku_index[first_code]
    assert small_artifacts.descriptions[sku] in page.inner_text("#product-name")
    shelf = _texts(page, "#also-bought li")
    neighbours = small_artifacts.neighbours[[sku]].indices
    expected = {small_artifacts.descriptions[other] for other in neighbours}
    assert len(shelf) == min(8, neighbours.size)
    assert all(any(description in item for description in expected) for item in shelf)
    page.locator("#product-section").screenshot(path=SCREENSHOTS / "demo-shelf.png")


def test_a_customer_sees_recommendations_beside_past_purchases(page,
                                                               small_artifacts: Artifacts):
    row = 0
    customer = int(small_artifacts.customers[row])
    page.fill("#customer", str(customer))
    page.click("#customer-form button")
    page.wait_for_function("document.querySelectorAll('#customer-purchases li').length > 0")
    assert page.inner_text("#customer-source") == "als"
    recommended = _texts(page, "#customer-recommendations li")
    bought = _texts(page, "#customer-purchases li")
    assert len(recommended) == 10
    bought_codes = set(small_artifacts.stock_codes[small_artifacts.user_items[[row]].indices])
    assert len(bought) == min(15, len(bought_codes))
    assert all(item.split()[0] in bought_codes for item in bought)
    assert not any(item.split()[0] in bought_codes for item in recommended)
    page.locator("#customer-section").screenshot(path=SCREENSHOTS / "demo-customer.png")

    page.fill("#customer", "1")
    page.click("#customer-form button")
    page.wait_for_function("document.querySelector('#customer-source').textContent"
                           " === 'popularity'")
    assert "new to the model" in page.inner_text("#customer-status")
    assert _texts(page, "#customer-purchases li") == []


def test_a_basket_builds_up_to_fold_in_recommendations(page, small_artifacts: Artifacts):
    assert page.inner_text("#basket-source") == "popularity"  # the empty basket, on load
    code = small_artifacts.stock_codes[int(np.argmax(small_artifacts.popularity))]
    page.fill("#basket-code", code)
    page.fill("#basket-quantity", "3")
    page.click("#basket-form button")
    page.wait_for_function("document.querySelector('#basket-source').textContent === 'fold-in'")
    assert _texts(page, "#basket li") == [f"{code} x 3"]
    page.fill("#basket-code", "NO-SUCH-CODE")
    page.click("#basket-form button")
    page.wait_for_function("document.querySelector('#basket-status').textContent"
                           ".includes('NO-SUCH-CODE')")
    recommended = _texts(page, "#basket-recommendations li")
    assert len(recommended) == 10
    assert not any(item.split()[0] == code for item in recommended)
    assert all(small_artifacts.descriptions[small_artifacts.sku_index[item.split()[0]]] in item
               for item in recommended)
    page.locator("#basket-section").screenshot(path=SCREENSHOTS / "demo-basket.png")
    page.click("#basket-clear")
    page.wait_for_function("document.querySelector('#basket-source').textContent"
                           " === 'popularity'")
    page.screenshot(path=SCREENSHOTS / "demo-page.png", full_page=True)


def test_the_page_asked_nothing_outside_this_machine(page):
    assert page.outside == []
