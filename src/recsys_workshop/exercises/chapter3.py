"""Cases for chapter 3: the algebraic similarity, dense and sparse."""

import numpy as np
import scipy.sparse as sp

from .. import matrices, similarity
from .chapter2 import (
    interactions_matrix_cases,
    random_interactions_matrix_case,
    random_matrix,
    random_similarity_case,
    similarity_cases,
)
from .engine import Case, Exercise
from .judges import dense_matrix, sparse_matrix

__all__ = ["EXERCISES"]


def _sparse(matrix: np.ndarray, number: int) -> sp.csc_matrix | sp.csc_array:
    """Alternate between the two CSC classes scipy offers."""
    return sp.csc_array(matrix) if number % 2 else sp.csc_matrix(matrix)


def _sparse_similarity_cases() -> list[Case]:
    cases = [
        Case(case.label, (_sparse(case.args[0], number),), hint=case.hint)
        for number, case in enumerate(similarity_cases())
    ]
    tall = sp.random_array((100_000, 50), density=1e-4, format="csc", rng=0)
    return [
        *cases,
        Case("disjoint skus: their zero similarity is not stored",
             (sp.csc_array(np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]])),),
             hint="Scaling by a diagonal with zeros stores explicit zeros: remove them."),
        Case("a tall matrix (100,000 customers x 50 skus) must stay sparse", (tall,),
             max_peak_bytes=8_000_000,
             hint="Scale and multiply sparse matrices; never call .toarray() or .todense() "
                  "on the input."),
    ]


def _random_sparse_similarity_case(rng: np.random.Generator, number: int) -> Case:
    return Case(f"random case {number}", (_sparse(random_matrix(rng), number),))


EXERCISES = [
    Exercise("build_algebraic_similarity_matrix", similarity.build_algebraic_similarity_matrix,
             similarity_cases, random_similarity_case, dense_matrix, points=2),
    Exercise("build_sparse_interactions_matrix", matrices.build_sparse_interactions_matrix,
             interactions_matrix_cases, random_interactions_matrix_case, sparse_matrix("csc"),
             points=1),
    Exercise("build_algebraic_sparse_similarity_matrix",
             similarity.build_algebraic_sparse_similarity_matrix, _sparse_similarity_cases,
             _random_sparse_similarity_case, sparse_matrix("csc", no_explicit_zeros=True),
             points=2),
]
