"""Chapter 7: everything serving needs, written to one folder and checked when read back.

Training happens offline, once; the service only reads what training left
behind. :func:`build_artifacts` trains chapter 5's model on every purchase and
gathers what the service answers from: the ALS factors, the purchases (to
leave out what a customer already bought), popularity (for customers the model
has never seen), each sku's nearest neighbours by chapter 3's cosine
similarity, and the sku and customer tables. :func:`save_artifacts` writes
them as plain ``.npz``, ``.npy`` and ``.csv`` files (no pickle) with a
``manifest.json`` that records the parameters, the package versions, a
fingerprint of the data and the sha256 of every file; :func:`load_artifacts`
refuses a folder whose files do not match it, naming the file.

Run ``python -m recsys_workshop.artifacts [FOLDER]`` (``make artifacts``) to
build the folder from the cached Online Retail table.
"""

import argparse
import csv
import hashlib
import json
import os
import platform
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .als import fit_als
from .data import retail_fingerprint
from .evaluate import popularity
from .recommend import top_k_neighbours
from .retail import build_purchase_matrix, clean_purchases
from .similarity import build_algebraic_sparse_similarity_matrix
from .validation import check_array, check_count

__all__ = [
    "ARTIFACTS_ENV",
    "FILES",
    "MODEL_PARAMETERS",
    "ArtifactError",
    "Artifacts",
    "add_folder_option",
    "artifacts_from_factors",
    "assemble_artifacts",
    "build_artifacts",
    "default_folder",
    "load_artifacts",
    "model_parameters",
    "save_artifacts",
]

#: Chapter 5's ALS parameters, used by :func:`build_artifacts` unless overridden.
MODEL_PARAMETERS: dict[str, Any] = {
    "factors": 20, "regularization": 0.1, "alpha": 15.0, "iterations": 50, "random_state": 0,
}
#: The files of an artifacts folder besides ``manifest.json``.
FILES = ("factors.npz", "purchases.npz", "neighbours.npz", "popularity.npy", "skus.csv",
         "customers.csv")
#: Environment variable naming the artifacts folder (default: :func:`default_folder`).
ARTIFACTS_ENV = "RECSYS_WORKSHOP_ARTIFACTS"
#: Version of the folder layout, recorded in the manifest.
FORMAT = 1
_MANIFEST = "manifest.json"
_REBUILD = "`make artifacts` or `python -m recsys_workshop.artifacts FOLDER`"
_VERSIONED = ("numpy", "scipy", "implicit", "recsys-workshop")


class ArtifactError(ValueError):
    """An artifacts folder that is incomplete or does not match its manifest."""


@dataclass(frozen=True)
class Artifacts:
    """A trained model and the tables the service answers from.

    Attributes
    ----------
    user_factors, item_factors : numpy.ndarray
        ALS factors, ``(n_customers, k)`` and ``(n_skus, k)``, float32.
    user_items : scipy.sparse.csr_array
        Customers x skus quantities bought: row ``i`` is ``customers[i]``,
        column ``j`` is ``stock_codes[j]``.
    popularity : numpy.ndarray
        How many customers bought each sku (float64), the fallback for new customers.
    neighbours : scipy.sparse.csr_array
        Skus x skus: row ``j`` holds sku ``j``'s nearest neighbours by cosine similarity.
    stock_codes, descriptions : numpy.ndarray
        Each sku's StockCode and its first description in the raw table (str).
    customers : numpy.ndarray
        Each row's CustomerID (int64).
    parameters : dict
        The ALS parameters the factors were trained with.
    manifest : dict
        What :func:`save_artifacts` wrote (or :func:`load_artifacts` read); before
        saving, only ``data_fingerprint``, the training table's.
    """

    user_factors: np.ndarray
    item_factors: np.ndarray
    user_items: sp.csr_array
    popularity: np.ndarray
    neighbours: sp.csr_array
    stock_codes: np.ndarray
    descriptions: np.ndarray
    customers: np.ndarray
    parameters: dict[str, Any]
    manifest: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def sku_index(self) -> dict[str, int]:
        """StockCode -> column index."""
        return {code: index for index, code in enumerate(self.stock_codes.tolist())}

    @cached_property
    def customer_index(self) -> dict[int, int]:
        """CustomerID -> row index."""
        return {customer: index for index, customer in enumerate(self.customers.tolist())}


def model_parameters(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """:data:`MODEL_PARAMETERS` with ``overrides`` applied, refusing unknown names.

    Parameters
    ----------
    overrides : mapping
        Some of :data:`MODEL_PARAMETERS`' names, with the values to use instead.

    Returns
    -------
    dict
        Every parameter ``fit_als`` is called with, in :data:`MODEL_PARAMETERS`' order.

    Raises
    ------
    TypeError
        For a name that is not one of :data:`MODEL_PARAMETERS`, naming it.

    Examples
    --------
    >>> model_parameters({"iterations": 5})["iterations"]
    5
    """
    unknown = sorted(set(overrides) - set(MODEL_PARAMETERS))
    if unknown:
        raise TypeError(f"unknown ALS parameter(s) {unknown}; expected some of "
                        f"{sorted(MODEL_PARAMETERS)}")
    return {**MODEL_PARAMETERS, **overrides}


def build_artifacts(retail: pd.DataFrame, *, n_neighbours: int = 20,
                    **parameters: Any) -> Artifacts:
    """Train chapter 5's ALS on every purchase and gather what serving needs.

    Evaluation (chapter 5) hides a share of the purchases; a served model is
    trained on all of them, with the same parameters and seed.

    Parameters
    ----------
    retail : pandas.DataFrame
        The raw Online Retail table, or a synthetic one of the same columns.
    n_neighbours : int, default 20
        How many nearest neighbours to keep per sku.
    **parameters
        Overrides of :data:`MODEL_PARAMETERS`, passed to
        :func:`~recsys_workshop.als.fit_als`.

    Returns
    -------
    Artifacts
        Whose ``manifest`` holds only the data fingerprint until saved.

    Raises
    ------
    TypeError, ValueError
        As :func:`~recsys_workshop.retail.clean_purchases`,
        :func:`~recsys_workshop.retail.build_purchase_matrix` and
        :func:`~recsys_workshop.als.fit_als`; ``TypeError`` for a parameter
        that ``fit_als`` does not take.

    Examples
    --------
    >>> from recsys_workshop.synthetic import make_online_retail
    >>> artifacts = build_artifacts(make_online_retail(n_customers=30, n_skus=20, seed=1),
    ...                             iterations=2)
    >>> artifacts.item_factors.shape
    (20, 20)
    """
    chosen = model_parameters(parameters)
    purchases = build_purchase_matrix(clean_purchases(retail))
    model = fit_als(purchases[0], **chosen)
    return _assemble(retail, purchases, model.user_factors, model.item_factors, chosen,
                     n_neighbours)


def artifacts_from_factors(retail: pd.DataFrame, user_factors: np.ndarray,
                           item_factors: np.ndarray, *, parameters: Mapping[str, Any],
                           n_neighbours: int = 20) -> Artifacts:
    """Gather what serving needs around factors you already trained.

    Parameters
    ----------
    retail : pandas.DataFrame
        The raw table the factors were trained on.
    user_factors, item_factors : numpy.ndarray
        Factors whose rows follow the purchase matrix of ``retail``
        (:func:`~recsys_workshop.retail.build_purchase_matrix` of
        :func:`~recsys_workshop.retail.clean_purchases`, which is also
        ``pipeline.retail_split(retail).matrix``): customer ``i`` is its row
        ``i``, sku ``j`` its column ``j``.
    parameters, n_neighbours
        As in :func:`assemble_artifacts`.

    Returns
    -------
    Artifacts

    Raises
    ------
    TypeError, ValueError
        As :func:`assemble_artifacts`.
    """
    return _assemble(retail, build_purchase_matrix(clean_purchases(retail)), user_factors,
                     item_factors, parameters, n_neighbours)


def _assemble(retail: pd.DataFrame, purchases: tuple[sp.csr_array, np.ndarray, np.ndarray],
              user_factors: Any, item_factors: Any, parameters: Mapping[str, Any],
              n_neighbours: Any) -> Artifacts:
    """:func:`artifacts_from_factors` once the purchase matrix is built."""
    matrix, customers, skus = purchases
    described = retail.dropna(subset=["Description"]).drop_duplicates("StockCode")
    first = dict(zip(described["StockCode"], described["Description"], strict=True))
    return assemble_artifacts(matrix, customers, skus, [first.get(code) for code in skus],
                              user_factors, item_factors, parameters=parameters,
                              fingerprint=retail_fingerprint(retail), n_neighbours=n_neighbours)


def assemble_artifacts(matrix: sp.csr_array, customers: Any, skus: Any,
                       descriptions: Sequence[str | None], user_factors: Any, item_factors: Any,
                       *, parameters: Mapping[str, Any], fingerprint: Mapping[str, Any],
                       n_neighbours: int = 20) -> Artifacts:
    """Gather what serving needs from a purchase matrix and factors, however they were made.

    :func:`build_artifacts` and :func:`artifacts_from_factors` start from the
    raw table in pandas; the Spark pipeline
    (:mod:`recsys_workshop.spark_pipeline`) computes the same pieces on its
    engine and gathers them here.

    Parameters
    ----------
    matrix : scipy.sparse.csr_array
        Customers x skus quantities (as
        :func:`~recsys_workshop.retail.build_purchase_matrix` gives).
    customers, skus : array-like
        The CustomerID of each row and the StockCode of each column.
    descriptions : sequence of str or None
        The description of each sku (its first in the raw table); None for
        a sku that has none.
    user_factors, item_factors : numpy.ndarray
        Row ``i`` is customer ``i`` of ``matrix``, row ``j`` its sku ``j``.
    parameters : mapping
        The training parameters, recorded in the manifest; the service's
        fold-in reads ``"regularization"`` and ``"alpha"`` from it.
    fingerprint : mapping
        :func:`~recsys_workshop.data.retail_fingerprint` of the raw table.
    n_neighbours : int, default 20
        How many nearest neighbours to keep per sku.

    Returns
    -------
    Artifacts

    Raises
    ------
    TypeError
        If a factor array does not hold numbers or ``n_neighbours`` is not an integer.
    ValueError
        If a factor array's shape or the number of descriptions does not match
        ``matrix``, a factor holds NaN or an infinity, ``parameters`` lacks
        regularization or alpha, or ``n_neighbours < 1``.
    """
    missing = [name for name in ("regularization", "alpha") if name not in parameters]
    if missing:
        raise ValueError(f"parameters must give {missing}: fold-in solves with them")
    n_neighbours = check_count(n_neighbours, "n_neighbours", minimum=1)
    n_customers, n_skus = matrix.shape
    if len(descriptions) != n_skus:
        raise ValueError(f"descriptions must hold one per sku, {n_skus}; "
                         f"got {len(descriptions)}")
    user_factors = check_array(user_factors, "user_factors", (n_customers, "k"))
    item_factors = check_array(item_factors, "item_factors", (n_skus, user_factors.shape[1]))
    similarity = build_algebraic_sparse_similarity_matrix(sp.csc_array(matrix))
    return Artifacts(
        user_factors=np.ascontiguousarray(user_factors, dtype=np.float32),
        item_factors=np.ascontiguousarray(item_factors, dtype=np.float32),
        user_items=matrix,
        popularity=popularity(matrix),
        neighbours=top_k_neighbours(similarity, n_neighbours),
        stock_codes=np.array([str(code) for code in skus], dtype=object),
        descriptions=np.array(["" if text is None else str(text).strip()
                               for text in descriptions], dtype=object),
        customers=np.asarray(customers, dtype=np.int64),
        parameters={**dict(parameters), "n_neighbours": n_neighbours},
        manifest={"data_fingerprint": dict(fingerprint)},
    )


def save_artifacts(artifacts: Artifacts, folder: str | os.PathLike[str]) -> Path:
    """Write ``artifacts`` into ``folder``, then its ``manifest.json`` last.

    Parameters
    ----------
    artifacts : Artifacts
        From :func:`build_artifacts` or :func:`artifacts_from_factors`.
    folder : str or path
        Created if missing; files of an earlier build are overwritten.

    Returns
    -------
    pathlib.Path
        The manifest's path. The manifest holds ``format``, ``parameters``,
        ``versions`` (Python and the packages), ``data_fingerprint``
        (:func:`~recsys_workshop.data.retail_fingerprint` of the training
        table), the shapes, and ``files``: the sha256 of every file.

    Raises
    ------
    TypeError
        If ``artifacts`` is not an :class:`Artifacts`.
    """
    if not isinstance(artifacts, Artifacts):
        raise TypeError(f"artifacts must be an Artifacts, got {type(artifacts).__name__}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / _MANIFEST).unlink(missing_ok=True)  # a half-written folder has no manifest
    np.savez(folder / "factors.npz", user_factors=artifacts.user_factors,
             item_factors=artifacts.item_factors)
    _save_csr(folder / "purchases.npz", artifacts.user_items)
    _save_csr(folder / "neighbours.npz", artifacts.neighbours)
    np.save(folder / "popularity.npy", artifacts.popularity)
    _write_csv(folder / "skus.csv", ("index", "stock_code", "description"),
               zip(range(artifacts.stock_codes.size), artifacts.stock_codes,
                   artifacts.descriptions, strict=True))
    _write_csv(folder / "customers.csv", ("index", "customer_id"),
               enumerate(artifacts.customers.tolist()))
    manifest = {
        "format": FORMAT,
        "parameters": artifacts.parameters,
        "versions": {"python": platform.python_version(),
                     **{name: metadata.version(name) for name in _VERSIONED}},
        "data_fingerprint": artifacts.manifest.get("data_fingerprint"),
        "shape": {"customers": int(artifacts.customers.size),
                  "skus": int(artifacts.stock_codes.size),
                  "factors": int(artifacts.item_factors.shape[1])},
        "files": {name: _sha256(folder / name) for name in FILES},
    }
    path = folder / _MANIFEST
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path


def load_artifacts(folder: str | os.PathLike[str]) -> Artifacts:
    """Read an artifacts folder, after checking every file against its manifest.

    Parameters
    ----------
    folder : str or path
        Written by :func:`save_artifacts`.

    Returns
    -------
    Artifacts
        Equal to what was saved.

    Raises
    ------
    ArtifactError
        If the folder or its manifest is missing or unreadable, a file is
        missing, or a file's sha256 differs from the manifest's: the message
        names the file.

    Examples
    --------
    >>> load_artifacts("no/such/folder")
    Traceback (most recent call last):
    ...
    recsys_workshop.artifacts.ArtifactError: no/such/folder/manifest.json is missing: ...
    """
    folder = Path(folder)
    manifest = _read_manifest(folder)
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise ArtifactError(f"{path} is missing: rebuild the folder ({_REBUILD})")
        if _sha256(path) != manifest["files"][name]:
            raise ArtifactError(f"{path} does not match its sha256 in {folder / _MANIFEST}: "
                                f"it changed after the build ({_REBUILD})")
    with np.load(folder / "factors.npz", allow_pickle=False) as factors:
        user_factors, item_factors = factors["user_factors"], factors["item_factors"]
    skus = pd.read_csv(folder / "skus.csv", dtype=str, keep_default_na=False)
    customers = pd.read_csv(folder / "customers.csv", dtype={"customer_id": np.int64})
    return Artifacts(
        user_factors=user_factors,
        item_factors=item_factors,
        user_items=_load_csr(folder / "purchases.npz"),
        popularity=np.load(folder / "popularity.npy", allow_pickle=False),
        neighbours=_load_csr(folder / "neighbours.npz"),
        stock_codes=skus["stock_code"].to_numpy(dtype=object),
        descriptions=skus["description"].to_numpy(dtype=object),
        customers=customers["customer_id"].to_numpy(),
        parameters=manifest["parameters"],
        manifest=manifest,
    )


def default_folder() -> Path:
    """The artifacts folder: ``$RECSYS_WORKSHOP_ARTIFACTS``, else ``artifacts/`` here.

    Returns
    -------
    pathlib.Path
        ``artifacts`` in the current folder (the project root, under ``make``;
        git-ignored) unless the environment variable names another.
    """
    return Path(os.environ.get(ARTIFACTS_ENV) or "artifacts")


def add_folder_option(parser: argparse.ArgumentParser) -> None:
    """Give a command an ``--artifacts FOLDER`` option, defaulting to :func:`default_folder`.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command's parser; ``args.artifacts`` is then a :class:`~pathlib.Path`.
    """
    parser.add_argument("--artifacts", type=Path, default=default_folder(),
                        help=f"the artifacts folder (default: ${ARTIFACTS_ENV} or ./artifacts)")


def _read_manifest(folder: Path) -> dict[str, Any]:
    """The checked manifest of ``folder``."""
    path = folder / _MANIFEST
    if not path.is_file():
        raise ArtifactError(f"{path} is missing: build the folder first ({_REBUILD})")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(f"{path} is not valid JSON ({error}): rebuild the folder") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or not isinstance(manifest.get("files"), dict) \
            or sorted(manifest["files"]) != sorted(FILES):
        raise ArtifactError(f"{path} is not a format-{FORMAT} manifest listing {list(FILES)}: "
                            f"rebuild the folder ({_REBUILD})")
    return manifest


def _sha256(path: Path) -> str:
    """The sha256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _save_csr(path: Path, matrix: sp.csr_array) -> None:
    """Write a CSR matrix's arrays into an ``.npz`` (as ``sp.save_npz``, without its format tag)."""
    matrix = sp.csr_array(matrix)
    np.savez(path, data=matrix.data, indices=matrix.indices, indptr=matrix.indptr,
             shape=np.array(matrix.shape))


def _load_csr(path: Path) -> sp.csr_array:
    """Read what :func:`_save_csr` wrote."""
    with np.load(path, allow_pickle=False) as arrays:
        return sp.csr_array((arrays["data"], arrays["indices"], arrays["indptr"]),
                            shape=tuple(arrays["shape"].tolist()))


def _write_csv(path: Path, header: Sequence[str], rows: Any) -> None:
    """Write ``rows`` under ``header`` as UTF-8 CSV."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the artifacts folder from the cached Online Retail table (``make artifacts``)."""
    from .data import load_online_retail  # the command line only

    parser = argparse.ArgumentParser(prog="python -m recsys_workshop.artifacts",
                                     description=main.__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=None,
                        help=f"where to write (default: ${ARTIFACTS_ENV} or ./artifacts)")
    args = parser.parse_args(argv)
    folder = args.folder or default_folder()
    print(f"training chapter 5's ALS on every purchase, then writing {folder} ...")
    manifest = save_artifacts(build_artifacts(load_online_retail()), folder)
    print(f"wrote {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
