"""Chapter 7's product search: the trigram index answers what reading every text answers."""

import numpy as np
import pytest

from recsys_workshop.product_search import ProductSearch


def _brute_force(texts: list[str], query: str, n: int) -> list[int]:
    needle = query.casefold()
    return [position for position, text in enumerate(texts)
            if needle in text.casefold().replace("\n", " ")][:n]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    rng = np.random.default_rng(0)
    words = ["heart", "white", "set", "of", "pink", "cake", "stand", "bag", "retro", "spot",
             "jumbo", "Red", "TEA", "light", "holder", "ß"]
    # Many texts share the common words, so that some trigrams are in over a quarter of
    # them (the scan) and others are rare (the index).
    return [f"{code} " + " ".join(rng.choice(words, size=rng.integers(1, 6)))
            for code in rng.integers(10_000, 99_999, size=400).tolist()]


@pytest.mark.parametrize("n", [1, 3, 10, 1000])
def test_find_equals_reading_every_text(texts: list[str], n: int):
    search = ProductSearch(texts)
    queries = ["a", "he", "HEART", "heart white", "t h", "set of", "of pink", "jumbo bag",
               "retro spot jumbo", "zebra", "rt wh", "ss", "SS", "Tea light", "123",
               texts[7][:4], texts[9][-5:], " ", "  ", "x" * 50]
    for query in queries:
        assert search.find(query, n) == _brute_force(texts, query, n), query


def test_a_query_across_two_texts_or_holding_a_newline_finds_nothing():
    search = ProductSearch(["ab\ncd", "ef"])
    assert search.find("cd", 5) == [0]  # the text's own newline is a space
    assert search.find("d\nef", 5) == []
    assert search.find("cd ef", 5) == []  # the lines are never read as one
    assert search.find("b c", 5) == [0]


def test_an_empty_catalogue_finds_nothing():
    assert ProductSearch([]).find("heart", 10) == []
