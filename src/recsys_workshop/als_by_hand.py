"""Chapter 6: implicit ALS written from the equations, and folding in a new customer.

Hu, Koren and Volinsky (2008) give every customer ``u`` a confidence
``c_ui = 1 + alpha * r_ui`` in each sku (1 where nothing was bought) and a
preference ``p_ui`` (1 where something was bought, 0 elsewhere). With the item
factors ``Y`` fixed, the best factors of ``u`` solve one small linear system::

    (Y^T Y + Y^T (C_u - I) Y + regularization * I) x_u = Y^T C_u p_u

``Y^T Y`` is shared by every customer, and ``C_u - I`` and ``p_u`` are zero
outside the skus ``u`` bought, so each customer costs only their own skus.
:func:`als_solve_users` solves all the customers at once; :func:`fit_als_by_hand`
alternates it over customers and skus.

``implicit`` stores ``alpha * r_ui`` as the confidence itself (not
``1 + alpha * r_ui``) and solves each system approximately, by a few conjugate
gradient steps: its factors differ slightly from these.
"""

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp
from tqdm.auto import tqdm

from .validation import (
    check_als_parameters,
    check_callable,
    check_dense_2d,
    check_index_mapping,
    check_real,
    check_sparse,
)

__all__ = ["als_solve_users", "fit_als_by_hand", "fold_in", "make_fold_in"]

#: How many (customer, sku, factor) values one batch of :func:`als_solve_users` gathers.
_BATCH_ELEMENTS = 2**20

#: A half-step: ``solve(confidence, fixed_factors, regularization) -> new factors``.
HalfStep = Callable[[Any, np.ndarray, float], np.ndarray]


def als_solve_users(confidence: Any, item_factors: np.ndarray, regularization: float) -> np.ndarray:
    """One exact half-step of implicit ALS: the best customer factors for fixed sku factors.

    Parameters
    ----------
    confidence : scipy.sparse CSR matrix or array, shape (n_customers, n_skus)
        ``alpha * r_ui`` on the observed cells. (``implicit`` is passed the raw
        ``r`` and multiplies it by ``alpha`` itself.) A stored cell means
        ``p_ui = 1``.
    item_factors : numpy.ndarray, shape (n_skus, k)
        The fixed sku factors ``Y``, finite, with at least one factor.
    regularization : float
        The weight ``lambda >= 0`` of the factors' squared norm.

    Returns
    -------
    numpy.ndarray, shape (n_customers, k)
        For every customer, the solution ``x_u`` of
        ``(Y^T Y + Y^T (C_u - I) Y + regularization * I) x_u = Y^T C_u p_u``
        with ``C_u = I + diag(confidence row u)``; zeros for a customer with no
        stored cell. float32 when ``item_factors`` is float32 (as ``implicit``
        keeps them), float64 otherwise. Called with the transposed
        (skus x customers) matrix and the customer factors, it solves the sku
        half-step.

    Raises
    ------
    TypeError
        If ``confidence`` is not a CSR sparse matrix (convert it with
        ``.tocsr()``), ``item_factors`` not a NumPy array of numbers or
        ``regularization`` not a real number.
    ValueError
        If the shapes disagree, ``item_factors`` has no column, an input holds
        NaN or an infinity, or ``regularization`` is negative or not finite.

    Notes
    -----
    Customers are solved in batches of similar sizes: their skus' factors are
    gathered into one padded 3-d array, so that the Gram matrices and the
    solves are single batched NumPy calls, with no Python loop per customer.

    Examples
    --------
    >>> confidence = sp.csr_array(np.array([[2.0, 0.0], [0.0, 0.0]]))
    >>> als_solve_users(confidence, np.eye(2), 0.0)
    array([[1., 0.],
           [0., 0.]])
    """
    confidence = check_sparse(confidence, "confidence", "csr")
    item_factors = _check_item_factors(item_factors)
    regularization = check_real(regularization, "regularization", minimum=0)
    if confidence.shape[1] != item_factors.shape[0]:
        raise ValueError(
            f"confidence has {confidence.shape[1]} columns (skus) but item_factors has "
            f"{item_factors.shape[0]} rows; they must match"
        )
    factors, gram = _with_gram(item_factors)
    return _solve_rows(confidence, factors, gram, regularization)


def _check_item_factors(item_factors: Any) -> np.ndarray:
    """``item_factors`` checked as a finite 2-d array with at least one factor (column)."""
    item_factors = check_dense_2d(item_factors, "item_factors")
    if item_factors.shape[1] == 0:
        raise ValueError(f"item_factors has shape {item_factors.shape}: there must be at least "
                         "one factor (column)")
    return item_factors


def _with_gram(item_factors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The factors in the dtype they are solved in, and their Gram matrix ``Y^T Y``: O(n k^2).

    float32 factors (as implicit keeps them) are solved in float32, others in float64.
    """
    factors = item_factors.astype(np.result_type(item_factors.dtype, np.float32), copy=False)
    return factors, factors.T @ factors


def _solve_rows(confidence: Any, factors: np.ndarray, gram: np.ndarray,
                regularization: float) -> np.ndarray:
    """:func:`als_solve_users` on checked inputs; ``factors, gram`` come from :func:`_with_gram`."""
    confidence = sp.csr_array(confidence)
    if not confidence.has_canonical_format:
        confidence = confidence.copy()
        confidence.sum_duplicates()
    dtype = factors.dtype
    k = factors.shape[1]
    shared = gram + regularization * np.eye(k, dtype=dtype)
    # Y^T C_u p_u for every customer at once: (1 + confidence) on the stored cells.
    rhs = sp.csr_array((1.0 + confidence.data.astype(dtype), confidence.indices,
                        confidence.indptr), shape=confidence.shape) @ factors
    result = np.zeros((confidence.shape[0], k), dtype=dtype)
    for users, positions, present in _padded_batches(confidence.indptr, k):
        gathered = factors[confidence.indices[positions]]  # (users, width, k)
        weights = np.where(present, confidence.data[positions], 0).astype(dtype)
        lhs = shared + np.matmul(gathered.transpose(0, 2, 1), gathered * weights[..., None])
        result[users] = np.linalg.solve(lhs, rhs[users, :, None])[..., 0]
    return result


def _padded_batches(indptr: np.ndarray, k: int) -> Iterator[tuple[np.ndarray, ...]]:
    """Customers with stored cells, grouped by count rounded up to a power of two.

    Yields ``(users, positions, present)``: the rows of one batch, the position
    in ``indices`` / ``data`` of each of their cells padded to the batch's width
    (padding repeats a valid position), and whether each slot is a real cell.
    """
    counts = np.diff(indptr)
    width_of = 2 ** np.ceil(np.log2(np.maximum(counts, 1))).astype(np.int64)
    for width in np.unique(width_of[counts > 0]):
        users = np.flatnonzero((width_of == width) & (counts > 0))
        step = max(1, _BATCH_ELEMENTS // (int(width) * k))
        for start in range(0, users.size, step):
            batch = users[start:start + step]
            slots = np.arange(width)
            present = slots < counts[batch, None]
            positions = indptr[batch, None] + np.where(present, slots, 0)
            yield batch, positions, present


def fit_als_by_hand(
    user_items: Any,
    *,
    factors: int = 20,
    regularization: float = 0.1,
    alpha: float = 15.0,
    iterations: int = 50,
    random_state: int = 0,
    solve: HalfStep = als_solve_users,
    show_progress: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Implicit ALS by alternating exact half-steps, customers then skus.

    The defaults are the original analysis's parameters, as in
    :func:`recsys_workshop.als.fit_als`.

    Parameters
    ----------
    user_items : scipy.sparse matrix, shape (n_customers, n_skus)
        Raw counts ``r``, in any sparse format; the confidence is ``alpha * r``
        on the stored cells.
    factors : int, default 20
        The number of latent factors ``k``.
    regularization : float, default 0.1
        The weight of the factors' squared norm.
    alpha : float, default 15.0
        The confidence gained per unit of ``r``.
    iterations : int, default 50
        How many (customers, skus) pairs of half-steps to run.
    random_state : int, default 0
        Seed of the initial factors, drawn uniformly from ``[0, 0.01)`` as
        ``implicit`` draws them.
    solve : callable, default :func:`als_solve_users`
        The half-step, for example a learner's own implementation of it.
    show_progress : bool, default False
        Show a progress bar over the iterations.

    Returns
    -------
    user_factors : numpy.ndarray, shape (n_customers, factors)
        float32, as ``implicit`` keeps them (with the default ``solve``).
    item_factors : numpy.ndarray, shape (n_skus, factors)

    Raises
    ------
    TypeError
        If ``user_items`` is not sparse, a parameter has the wrong type or
        ``solve`` is not callable.
    ValueError
        If a parameter is out of range, or ``user_items`` stores NaN or an
        infinity.

    Examples
    --------
    >>> user_factors, item_factors = fit_als_by_hand(
    ...     sp.csr_array(np.eye(4)), factors=2, iterations=2)
    >>> user_factors.shape, item_factors.shape
    ((4, 2), (4, 2))
    """
    check_sparse(user_items, "user_items")
    factors, regularization, alpha, iterations = check_als_parameters(
        factors, regularization, alpha, iterations)
    check_callable(solve, "solve")
    confidence = sp.csr_array(user_items, dtype=float) * alpha
    confidence_by_sku = confidence.T.tocsr()
    rng = np.random.default_rng(random_state)
    user_factors = rng.random((confidence.shape[0], factors), dtype=np.float32) * 0.01
    item_factors = rng.random((confidence.shape[1], factors), dtype=np.float32) * 0.01
    for _ in tqdm(range(iterations), disable=not show_progress, desc="ALS by hand"):
        user_factors = solve(confidence, item_factors, regularization)
        item_factors = solve(confidence_by_sku, user_factors, regularization)
    return user_factors, item_factors


def fold_in(
    basket: Mapping[Any, float],
    skus_mapping: Mapping[Any, int],
    item_factors: np.ndarray,
    regularization: float = 0.1,
    alpha: float = 15.0,
) -> np.ndarray:
    """Factors of a customer who was not in training, from their basket, without retraining.

    One call costs ``O(n k^2)`` for the Gram matrix ``Y^T Y`` of the ``n`` skus'
    factors, plus ``O(|B| k^2 + k^3)`` for a basket of ``|B|`` known skus. To
    fold in many customers with the same model, :func:`make_fold_in` computes
    ``Y^T Y`` once, and each customer then costs ``O(|B| k^2 + k^3)`` only.

    Parameters
    ----------
    basket : mapping of sku to quantity
        What the new customer bought; quantities must be positive and finite.
    skus_mapping : mapping of sku to column index
        The trained skus' columns (rows of ``item_factors``): distinct integers.
    item_factors : numpy.ndarray, shape (n_skus, k)
        The trained sku factors ``Y``.
    regularization : float, default 0.1
        As in training.
    alpha : float, default 15.0
        As in training: the confidence of a sku is ``alpha * quantity``.

    Returns
    -------
    numpy.ndarray, shape (k,)
        The customer's factors, by the equation of :func:`als_solve_users` for
        one row; ``item_factors @ x`` scores every sku for them.

    Raises
    ------
    TypeError
        If ``basket`` or ``skus_mapping`` is not a mapping, a quantity is not a
        real number, or a mapped index is not an integer (``1.5`` is never
        truncated into a column).
    ValueError
        If no sku of the basket is in ``skus_mapping``, a quantity is not
        positive and finite, ``skus_mapping`` gives two skus the same column or
        a column that is not a row of ``item_factors``, ``item_factors`` has
        no column or holds NaN or an infinity, or ``regularization`` is
        negative.

    Examples
    --------
    >>> x = fold_in({"a": 1, "unknown": 3}, {"a": 0, "b": 1}, np.eye(2), alpha=1.0)
    >>> x.round(3)
    array([0.952, 0.   ])
    """
    return make_fold_in(skus_mapping, item_factors, regularization, alpha)(basket)


def make_fold_in(
    skus_mapping: Mapping[Any, int],
    item_factors: np.ndarray,
    regularization: float = 0.1,
    alpha: float = 15.0,
) -> Callable[[Mapping[Any, float]], np.ndarray]:
    """:func:`fold_in` for many new customers of one model: ``Y^T Y`` computed once.

    Checks the model's side (``skus_mapping``, ``item_factors`` and the
    parameters) and computes the Gram matrix ``Y^T Y`` once, in ``O(n k^2)``.
    The function it returns folds in one basket in ``O(|B| k^2 + k^3)``.

    Parameters
    ----------
    skus_mapping, item_factors, regularization, alpha
        As in :func:`fold_in`. ``item_factors`` must not be modified while the
        returned function is in use (its Gram matrix would be stale).

    Returns
    -------
    callable
        ``fold(basket) -> numpy.ndarray`` of shape ``(k,)``: exactly
        ``fold_in(basket, skus_mapping, item_factors, regularization, alpha)``.

    Raises
    ------
    TypeError, ValueError
        As :func:`fold_in`, for the model's side here and for the basket when
        the returned function is called.

    Examples
    --------
    >>> fold = make_fold_in({"a": 0, "b": 1}, np.eye(2), alpha=1.0)
    >>> fold({"a": 1}).round(3), fold({"b": 1, "a": 1}).round(3)
    (array([0.952, 0.   ]), array([0.952, 0.952]))
    """
    item_factors = _check_item_factors(item_factors)
    check_index_mapping(skus_mapping, "skus_mapping", size=item_factors.shape[0])
    regularization = check_real(regularization, "regularization", minimum=0)
    alpha = check_real(alpha, "alpha", exclusive_minimum=0)
    factors, gram = _with_gram(item_factors)
    shared = gram + regularization * np.eye(factors.shape[1], dtype=factors.dtype)

    def fold(basket: Mapping[Any, float]) -> np.ndarray:
        """The factors of the customer who bought ``basket`` ({sku: quantity})."""
        columns, confidence = _basket_confidence(basket, skus_mapping, alpha)
        # One customer's normal equation, dense: a basket holds a few skus, and building
        # sparse matrices for them would cost more than the solve (chapter 7's service).
        bought = factors[columns]
        confidence = confidence.astype(factors.dtype)
        lhs = shared + bought.T @ (bought * confidence[:, None])
        return np.linalg.solve(lhs, bought.T @ (1 + confidence))

    return fold


def _basket_confidence(basket: Any, skus_mapping: Mapping[Any, int],
                       alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """The checked ``basket``'s columns and their confidences ``alpha * quantity``."""
    if not isinstance(basket, Mapping):
        raise TypeError(f"basket must be a dict {{sku: quantity}}, got {basket!r} "
                        f"({type(basket).__name__})")
    known = {sku: check_real(quantity, f"the quantity of sku {sku!r}", exclusive_minimum=0)
             for sku, quantity in basket.items() if sku in skus_mapping}
    if not known:
        raise ValueError(
            f"no sku of the basket {list(basket)[:10]!r} is in skus_mapping: "
            "there is nothing to fold in"
        )
    columns = np.array([skus_mapping[sku] for sku in known], dtype=np.intp)
    return columns, alpha * np.array(list(known.values()), dtype=float)
