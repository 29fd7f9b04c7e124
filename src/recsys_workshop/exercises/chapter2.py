"""Cases for chapter 2: the dense interactions matrix and cosine similarity."""

import numpy as np

from .. import matrices, similarity
from .chapter1 import ORIGINAL_INTERACTIONS
from .engine import Case, Exercise
from .judges import dense_matrix, float_value

__all__ = [
    "EXERCISES",
    "interactions_matrix_cases",
    "random_interactions_matrix_case",
    "random_matrix",
    "random_similarity_case",
    "similarity_cases",
]


def interactions_matrix_cases() -> list[Case]:
    """Cases shared by the dense (2.1) and sparse (3.2) interactions matrices."""
    return [
        Case("the original workshop's example", (ORIGINAL_INTERACTIONS, 3, 3)),
        Case("customers are rows, skus are columns", ({0: {2: 6.0}, 1: {0: 0.5}}, 2, 3),
             hint="Row = customer index, column = sku index; the shape is "
                  "(total_customers, total_skus)."),
        Case("the shape comes from the totals, not from the largest index",
             ({1: {1: 2.0}}, 4, 5),
             hint="Customers or skus without any interaction still get a row or a column."),
        Case("whole-number scores still give a float matrix", ({0: {0: 6.0, 1: 2.0}}, 1, 2),
             hint="Create the array with a float dtype (np.zeros does by default)."),
        Case("no interactions give a matrix of zeros", ({}, 2, 2)),
    ]


def random_interactions_matrix_case(rng: np.random.Generator, number: int) -> Case:
    """Random mapping and totals (shared by 2.1 and 3.2)."""
    n_customers, n_skus = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    mapping = {}
    for customer in range(n_customers):
        skus = rng.choice(n_skus, size=int(rng.integers(0, n_skus + 1)), replace=False)
        if skus.size:
            mapping[customer] = {int(s): float(rng.choice([0.5, 2.0, 2.5, 6.0, 8.5])) for s in skus}
    return Case(f"random case {number}", (mapping, n_customers, n_skus))


def random_matrix(rng: np.random.Generator, max_size: int = 6) -> np.ndarray:
    """A small non-negative customers x skus matrix, often with an all-zero column."""
    shape = (int(rng.integers(1, max_size + 1)), int(rng.integers(1, max_size + 1)))
    matrix = rng.choice([0.0, 0.0, 0.0, 0.5, 2.0, 6.0, 8.5], size=shape)
    if rng.random() < 0.3:
        matrix[:, rng.integers(shape[1])] = 0.0
    return matrix


def similarity_cases() -> list[Case]:
    """Customers x skus inputs that catch the classic mistakes of a similarity matrix."""
    original = matrices.build_interactions_matrix(ORIGINAL_INTERACTIONS, 3, 3)
    asymmetric = np.array([[1.0, 0.0, 2.0, 0.0], [0.0, 3.0, 1.0, 0.5], [4.0, 1.0, 0.0, 2.0]])
    return [
        Case("the original workshop's example", (original,)),
        Case("3 customers x 4 skus: the result is skus x skus", (asymmetric,),
             hint="Compare columns (skus), not rows (customers): the result is "
                  "n_skus x n_skus."),
        Case("a sku nobody interacted with gives zeros, not nan",
             (np.array([[1.0, 0.0, 2.0], [3.0, 0.0, 1.0]]),),
             hint="Where a norm is 0 the similarity is 0: avoid dividing by zero."),
        Case("columns with different lengths are normalised",
             (np.array([[1.0, 10.0], [1.0, 10.0], [0.0, 0.0]]),),
             hint="Divide the dot product by both column norms."),
        Case("a single customer", (np.array([[2.0, 0.0, 6.0]]),)),
    ]


def random_similarity_case(rng: np.random.Generator, number: int) -> Case:
    """A random small customers x skus matrix (shared by 2.3 and 3.1)."""
    return Case(f"random case {number}", (random_matrix(rng),))


def _compute_similarity_cases() -> list[Case]:
    return [
        Case("orthogonal vectors", (np.array([1.0, 0.0]), np.array([0.0, 3.0]))),
        Case("parallel vectors of different lengths give 1",
             (np.array([1.0, 2.0, 0.0]), np.array([2.0, 4.0, 0.0])),
             hint="Divide the dot product by the product of the two norms."),
        Case("a general pair", (np.array([0.5, 8.5, 0.0]), np.array([0.0, 2.5, 8.5]))),
        Case("opposite vectors give -1", (np.array([1.0, -2.0]), np.array([-1.0, 2.0]))),
        Case("a zero vector gives 0.0, not nan", (np.array([0.0, 0.0]), np.array([1.0, 2.0])),
             hint="When a norm is 0, return 0.0 before dividing."),
        Case("two zero vectors give 0.0", (np.zeros(3), np.zeros(3))),
        Case("integer arrays", (np.array([1, 1]), np.array([0, 1]))),
        Case("arrays of different lengths raise ValueError",
             (np.array([1.0, 2.0]), np.array([1.0, 2.0, 3.0])), raises=ValueError,
             hint="Check the lengths first and raise ValueError when they differ."),
    ]


def _random_compute_similarity_case(rng: np.random.Generator, number: int) -> Case:
    size = int(rng.integers(1, 7))
    values = [0.0, 0.0, 0.5, 2.0, 6.0, -1.0]
    return Case(f"random case {number}",
                (rng.choice(values, size=size), rng.choice(values, size=size)))


EXERCISES = [
    Exercise("build_interactions_matrix", matrices.build_interactions_matrix,
             interactions_matrix_cases, random_interactions_matrix_case, dense_matrix, points=1),
    Exercise("compute_similarity", similarity.compute_similarity, _compute_similarity_cases,
             _random_compute_similarity_case, float_value, points=1),
    Exercise("build_similarity_matrix", similarity.build_similarity_matrix, similarity_cases,
             random_similarity_case, dense_matrix, points=2),
]
