"""Short, readable renderings of the values a check shows a learner."""

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["show"]

_MAX_CHARS = 1200
_MAX_DENSE_CELLS = 120
_MAX_LIST_ITEMS = 20


def show(value: Any) -> str:
    """Render ``value`` for a failure message, a few lines at most.

    Examples
    --------
    >>> show({"a": 0.5})
    "{'a': 0.5}"
    >>> print(show(np.eye(2)))
    array([[1., 0.],
           [0., 1.]])
    """
    text = _render(value)
    if len(text) > _MAX_CHARS:
        text = text[:_MAX_CHARS] + " ..."
    return text


def _render(value: Any) -> str:
    if sp.issparse(value):
        header = (
            f"{type(value).__name__} of shape {value.shape} with {value.nnz} stored values"
        )
        if np.prod(value.shape) <= _MAX_DENSE_CELLS:
            return f"{header}, as dense:\n{_render(value.toarray())}"
        return header
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, threshold=_MAX_DENSE_CELLS, edgeitems=3,
                             suppress=True, linewidth=88):
            text = repr(value)
        return text
    if isinstance(value, pd.DataFrame):
        return (
            f"DataFrame with {len(value)} rows, dtypes {dict(value.dtypes.astype(str))}:\n"
            + value.to_string(max_rows=12, max_cols=8)
        )
    if isinstance(value, tuple) and any(_is_bulky(item) for item in value):
        return "(\n" + ",\n".join(_render(item) for item in value) + "\n)"
    if isinstance(value, list) and len(value) > _MAX_LIST_ITEMS:
        shown = [*map(_render, value[:10]), "...", *map(_render, value[-3:])]
        return f"[{', '.join(shown)}] ({len(value)} items)"
    return repr(value)


def _is_bulky(value: Any) -> bool:
    return sp.issparse(value) or isinstance(value, np.ndarray | pd.DataFrame)
