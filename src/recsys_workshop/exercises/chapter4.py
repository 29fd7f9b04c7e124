"""Cases for chapter 4: recommendations from the similarity matrix."""

import numbers
from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import mapping, matrices, recommend, similarity
from .chapter1 import ORIGINAL_INTERACTIONS, ORIGINAL_SKUS
from .engine import Case, Exercise
from .judges import exact_mapping, sparse_matrix
from .values import close

__all__ = ["EXERCISES"]


def _customer_vector_cases() -> list[Case]:
    return [
        Case("the original workshop's third customer", ({"s1": 2.5, "s2": 8.5}, ORIGINAL_SKUS),
             hint="Put each score in the row given by skus_mapping; the vector has one "
                  "column."),
        Case("rows come from the mapping, not from the order of the dict",
             ({"a": 0.5, "c": 6.0}, {"a": 2, "b": 0, "c": 1})),
        Case("a sku missing from the mapping is ignored", ({"s0": 2.0, "unknown": 6.0},
                                                           ORIGINAL_SKUS),
             hint="Skip skus that are not in skus_mapping."),
        Case("no known sku raises ValueError", ({"unknown": 6.0}, ORIGINAL_SKUS),
             raises=ValueError,
             hint="If none of the skus maps, raise ValueError instead of returning zeros."),
        Case("an empty customer raises ValueError", ({}, ORIGINAL_SKUS), raises=ValueError),
    ]


def _random_customer_vector_case(rng: np.random.Generator, number: int) -> Case:
    n_skus = int(rng.integers(1, 7))
    skus = {f"s{i}": int(j) for i, j in enumerate(rng.permutation(n_skus))}
    chosen = rng.choice(n_skus + 2, size=int(rng.integers(1, n_skus + 2)), replace=False)
    interactions = {f"s{i}": float(rng.choice([0.5, 2.0, 6.0, 8.5])) for i in chosen}
    interactions[f"s{rng.integers(n_skus)}"] = 2.5  # at least one sku maps
    return Case(f"random case {number}", (interactions, skus))


def _original_similarity() -> np.ndarray:
    return similarity.build_algebraic_similarity_matrix(
        matrices.build_interactions_matrix(ORIGINAL_INTERACTIONS, 3, 3)
    )


def _make_recos_cases() -> list[Case]:
    original = _original_similarity()
    customer = recommend.build_customer_vector({"s1": 2.5, "s2": 8.5}, ORIGINAL_SKUS)
    chain = np.array([[1.0, 0.9, 0.1, 0.0], [0.9, 1.0, 0.5, 0.2],
                      [0.1, 0.5, 1.0, 0.7], [0.0, 0.2, 0.7, 1.0]])
    first = sp.csc_array(np.array([[1.0], [0.0], [0.0], [0.0]]))
    ties = np.array([[1.0, 0.5, 0.5, 0.0], [0.5, 1.0, 0.0, 0.0],
                     [0.5, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    # np.argpartition may return a small n already sorted (SIMD selection sorts blocks of
    # up to 256): only n well above 256 shows, on every platform, a forgotten final sort.
    many = 1000
    shuffled = sp.csc_array(np.random.default_rng(3).permutation(many)[:, None] + 1.0)
    return [
        Case("the original workshop's example (expects [2, 1, 0])", (original, customer, 3)),
        Case("the best score comes first", (chain, first, 3),
             hint="Sort the chosen skus by decreasing score."),
        Case("n = 0 gives []", (chain, first, 0)),
        Case("n = m ranks every sku", (chain, first, 4)),
        Case("a sparse similarity matrix (chapter 3) works too",
             (sp.csc_array(chain), sp.csc_array(np.array([[0.0], [2.0], [0.0], [6.0]])), 2),
             hint="S @ r is then sparse: turn it into a flat array with .toarray().ravel()."),
        Case("equal scores may come in any order", (ties, first, 3)),
        Case(f"{many} skus, n = {many // 2}: the chosen skus are sorted too, best first",
             (sp.eye_array(many, format="csc"), shuffled, many // 2),
             hint="np.argpartition only gathers the n best, in no particular order: "
                  "then sort those n by decreasing score."),
        Case("n > m raises ValueError", (chain, first, 5), raises=ValueError,
             hint="Check 0 <= n <= number of skus before selecting."),
        Case("n < 0 raises ValueError", (chain, first, -1), raises=ValueError),
    ]


def _random_make_recos_case(rng: np.random.Generator, number: int) -> Case:
    interactions = rng.choice([0.0, 0.0, 1.0, 2.0], size=(int(rng.integers(2, 6)),
                                                          int(rng.integers(2, 8))))
    interactions[0, rng.integers(interactions.shape[1])] = 1.0
    similarity_matrix = similarity.build_algebraic_similarity_matrix(interactions)
    customer = sp.csc_array(interactions[[0]].T)
    if number % 2:
        similarity_matrix = sp.csc_array(similarity_matrix)
    n = int(rng.integers(0, interactions.shape[1] + 1))
    return Case(f"random case {number}", (similarity_matrix, customer, n))


def _top_n(case: Case, expected: list[int], actual: Any) -> str | None:
    """Any order among equal scores is right: compare the scores, not the indices."""
    similarity_matrix, customer, n = case.args
    if not isinstance(actual, list):
        return f"it should return a list, not {type(actual).__name__} (use .tolist())"
    if len(actual) != n:
        return f"it returned {len(actual)} skus, expected n = {n}"
    scores = similarity_matrix @ customer
    scores = np.ravel(scores.toarray() if sp.issparse(scores) else scores)
    for index in actual:
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            return f"{index!r} is not an integer sku index"
        if not 0 <= index < scores.size:
            return f"{index!r} is not a sku index (0..{scores.size - 1})"
    if len(set(actual)) != len(actual):
        return "a sku appears twice"
    best = np.sort(scores)[::-1][:n]
    for position, (index, score) in enumerate(zip(actual, best, strict=True)):
        if not close(scores[index], score):
            return (
                f"position {position} holds sku {index} (score {scores[index]:.4g}); the "
                f"score at that position should be {score:.4g}"
            )
    return None


def _inverse_cases() -> list[Case]:
    return [
        Case("the original workshop's skus", (ORIGINAL_SKUS,)),
        Case("indices in any order", ({"a": 2, "b": 0, "c": 1},),
             hint="Each index becomes a key and its sku the value."),
        Case("integer skus", ({85123: 0, 71053: 1},)),
        Case("an empty mapping", ({},)),
    ]


def _random_inverse_case(rng: np.random.Generator, number: int) -> Case:
    n_skus = int(rng.integers(0, 8))
    return Case(f"random case {number}",
                ({f"sku{i}": int(j) for i, j in enumerate(rng.permutation(n_skus))},))


EXERCISES = [
    Exercise("build_customer_vector", recommend.build_customer_vector, _customer_vector_cases,
             _random_customer_vector_case, sparse_matrix("csc"), points=1),
    Exercise("make_recos", recommend.make_recos, _make_recos_cases, _random_make_recos_case,
             _top_n, points=2),
    Exercise("get_inverse_skus_map", mapping.get_inverse_skus_map, _inverse_cases,
             _random_inverse_case, exact_mapping, points=1),
]
