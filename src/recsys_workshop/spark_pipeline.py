"""Going further: chapter 5's pipeline on Apache Spark, written as chapter 7's artifacts.

When the shop outgrows one machine, the pipeline runs on an engine built for
that. Spark MLlib's ALS with ``implicitPrefs=True`` is the maintained
distributed implicit ALS. This module runs chapter 5 on it, unchanged from
``local[2]`` (this machine's two cores) to a cluster (``--master``):

1. :func:`read_retail` reads the raw table (Parquet, from any path Spark reads);
2. :func:`clean_purchases_spark` is :func:`~recsys_workshop.retail.clean_purchases`
   in DataFrame operations, row for row;
3. :func:`index_purchases` numbers customers and skus as
   :func:`~recsys_workshop.retail.build_purchase_matrix` does (both sorted);
4. :func:`split_cells` hides the cells :func:`~recsys_workshop.split.make_train`
   hides, for the same seed;
5. :func:`train_als_spark` trains ALS with implicit preferences, checkpointing
   its lineage (without a checkpoint folder, many iterations end in a
   ``StackOverflowError``);
6. :func:`build_artifacts_spark` gathers chapter 7's artifacts, so that the
   same service answers from a Spark-trained model.

``python -m recsys_workshop.spark_pipeline`` (``make spark``) runs it all.

**Not the same model as** ``implicit``'s. :func:`spark_als_parameters` maps
chapter 5's parameters one to one (factors -> ``rank``, regularization ->
``regParam``, alpha, iterations -> ``maxIter``, seed), but the objectives
differ, so the mapping is approximate:

- confidence: ``implicit`` weighs a stored cell by ``alpha * r``
  (:func:`~recsys_workshop.als.fit_als`), Spark by ``1 + alpha * r`` (Hu, Koren
  and Volinsky's form); with alpha 15 and ``r >= 1`` the two differ by under 7%;
- regularization: Spark multiplies ``regParam`` by each customer's and each
  sku's number of cells (ALS-WR, Zhou et al. 2008); ``implicit`` does not. The
  same 0.1 regularizes Spark's factors far more for active customers;
- initial factors and the order of the solves differ, so even equal objectives
  would not give equal factors.

What the driver holds: the distinct customers and skus, the split's hidden
positions (drawn exactly as ``make_train`` draws them: ``O(nnz)`` memory) and,
to write the artifacts, the purchase matrix and the factors. That is what one
serving machine holds anyway; a shop of 100 million customers would keep the
customers' factors in a key-value store instead (README, "Spark").

Spark is optional (``make scale`` installs the ``scale`` extra, ``pyspark[ml]``;
Java 17 or newer comes from the system). This module imports pyspark only when
one of its functions runs; :func:`spark_unavailable` says why it cannot.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .artifacts import (
    MODEL_PARAMETERS,
    Artifacts,
    assemble_artifacts,
    model_parameters,
    save_artifacts,
)
from .retail import PURCHASE_COLUMNS, check_purchase_columns
from .validation import check_als_parameters, check_count, check_share

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "EngineRun",
    "GrowthPoint",
    "SparkMatrix",
    "build_artifacts_spark",
    "clean_purchases_spark",
    "compare_on_split",
    "first_descriptions",
    "growth_study",
    "index_purchases",
    "read_retail",
    "retail_fingerprint_spark",
    "running_spark",
    "spark_als_parameters",
    "spark_session",
    "spark_unavailable",
    "split_cells",
    "to_csr",
    "train_als_spark",
]

#: The extra of ``pyproject.toml`` that installs Spark (``make scale``).
EXTRA = "scale"
#: Spark's row order of the raw table, kept to find each sku's first description.
_ROW = "_row"
_INT64 = 2.0**63


def spark_unavailable() -> str | None:
    """Why Spark cannot run here, or None when it can.

    Returns
    -------
    str or None
        A sentence naming what is missing (pyspark with its ``ml`` extra, or
        Java) and how to install it.

    Examples
    --------
    >>> reason = spark_unavailable()
    >>> reason is None or "install" in reason
    True
    """
    missing = [module for module in ("pyspark", "pyspark.ml")
               if not _importable(module)]
    if missing:
        return (f"pyspark is not installed ({missing[-1]} cannot be imported): "
                f"`make {EXTRA}` installs the optional '{EXTRA}' extra, pyspark[ml]")
    java_home = os.environ.get("JAVA_HOME")
    if not (shutil.which("java") or (java_home and (Path(java_home) / "bin" / "java").exists())):
        return ("Spark needs Java 17 or newer and none is on PATH or in JAVA_HOME: install a "
                "JRE (Debian: apt-get install default-jre-headless)")
    return None


def _importable(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is missing
        return False


def spark_session(master: str = "local[2]", *, checkpoint_dir: str | os.PathLike[str],
                  driver_memory: str = "2g", partitions: int = 4) -> SparkSession:
    """A Spark session for the pipeline, quiet and reproducible.

    Parameters
    ----------
    master : str, default "local[2]"
        Where to run: ``local[N]`` for N cores of this machine, or a cluster's
        URL (``spark://host:7077``, ``yarn``, ``k8s://...``).
    checkpoint_dir : path
        Where ALS checkpoints its lineage; on a cluster, a folder every node
        reaches (HDFS, S3...).
    driver_memory : str, default "2g"
        The driver's JVM heap (it collects the matrix and the factors).
    partitions : int, default 4
        Partitions after a shuffle: Spark's default, 200, suits a cluster, not
        a table of half a million rows.

    Returns
    -------
    pyspark.sql.SparkSession
        Times in UTC, no web UI, Python workers on this interpreter. Stop it
        with ``.stop()``, or use :func:`running_spark`.

    Raises
    ------
    RuntimeError
        If Spark cannot run here (:func:`spark_unavailable` says why).
    """
    _require_spark()
    from pyspark.sql import SparkSession

    partitions = check_count(partitions, "partitions", minimum=1)
    session = (SparkSession.builder.master(master).appName("recsys-workshop")
               .config("spark.driver.memory", driver_memory)
               .config("spark.sql.shuffle.partitions", str(partitions))
               .config("spark.default.parallelism", str(partitions))
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.pyspark.python", sys.executable)
               .config("spark.pyspark.driver.python", sys.executable)
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(checkpoint_dir))
    return session


@contextmanager
def running_spark(master: str = "local[2]", **options: Any) -> Iterator[SparkSession]:
    """:func:`spark_session` with a temporary checkpoint folder, stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="recsys-spark-") as checkpoints:
        session = spark_session(master, checkpoint_dir=checkpoints, **options)
        try:
            yield session
        finally:
            session.stop()


def _require_spark() -> None:
    reason = spark_unavailable()
    if reason is not None:
        raise RuntimeError(f"Spark cannot run here: {reason}")


def read_retail(spark: SparkSession, path: str | os.PathLike[str]) -> DataFrame:
    """The raw Online Retail table from a Parquet file or folder, its row order kept.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
    path : path
        ``online-retail.parquet`` (the data cache's, :func:`recsys_workshop.data.cached_path`),
        or any Parquet path the cluster reads.

    Returns
    -------
    pyspark.sql.DataFrame
        The table's columns, and ``_row``: increasing in the file's order
        (not consecutive), so that "the first row" means what it means in pandas.
    """
    from pyspark.sql import functions as F

    return spark.read.parquet(str(path)).withColumn(_ROW, F.monotonically_increasing_id())


def clean_purchases_spark(retail: DataFrame) -> DataFrame:
    """:func:`~recsys_workshop.retail.clean_purchases` in Spark: total quantity per pair.

    Rows without a CustomerID are dropped; Quantity is summed per (CustomerID,
    StockCode); a sum of 0 becomes 1; only sums > 0 are kept.

    Parameters
    ----------
    retail : pyspark.sql.DataFrame
        The raw table, with at least CustomerID, StockCode and Quantity.

    Returns
    -------
    pyspark.sql.DataFrame
        ``CustomerID`` (long), ``StockCode`` (string), ``Quantity`` (long),
        sorted by CustomerID then StockCode: row for row what
        ``clean_purchases`` returns for the same table.

    Raises
    ------
    KeyError
        If a required column is missing.
    TypeError
        If CustomerID or Quantity is not a numeric column.
    ValueError
        If a row with a CustomerID has no StockCode or no Quantity, or a
        CustomerID or Quantity is not a whole number or lies outside the int64
        range; the message names the value and its InvoiceNo when there is one.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import NumericType

    check_purchase_columns(retail.columns, "retail")
    types = {field.name: field.dataType for field in retail.schema.fields}
    for column in ("CustomerID", "Quantity"):
        if not isinstance(types[column], NumericType):
            raise TypeError(f"{column} must hold numbers, got the Spark type "
                            f"{types[column].simpleString()}")
    known = retail.where(F.col("CustomerID").isNotNull())
    _refuse_first(known, F.col("StockCode").isNull() | F.col("Quantity").isNull(),
                  "a row with a CustomerID has no StockCode or no Quantity")
    for column in ("CustomerID", "Quantity"):
        value = F.col(column).cast("double")
        # `value % 1`, not floor: Spark's floor returns a long, which overflows on 1e20.
        _refuse_first(known, F.isnan(value) | (F.abs(value) >= _INT64) | (value % 1 != 0),
                      f"{column} must hold whole numbers within int64")
    totals = (known.groupBy(F.col("CustomerID").cast("long").alias("CustomerID"), "StockCode")
              .agg(F.sum(F.col("Quantity").cast("long")).alias("Quantity")))
    return (totals.withColumn("Quantity", F.when(F.col("Quantity") == 0, F.lit(1).cast("long"))
                              .otherwise(F.col("Quantity")))
            .where(F.col("Quantity") > 0)
            .orderBy("CustomerID", "StockCode"))


def _refuse_first(frame: DataFrame, bad: Any, rule: str) -> None:
    """Raise ValueError naming the first row of ``frame`` (in file order) where ``bad`` holds."""
    columns = [column for column in (*PURCHASE_COLUMNS, "InvoiceNo") if column in frame.columns]
    ordered = frame.where(bad)
    if _ROW in frame.columns:
        ordered = ordered.orderBy(_ROW)
    first = ordered.select(*columns).first()
    if first is not None:
        raise ValueError(f"{rule}: {first.asDict()}")


@dataclass(frozen=True)
class SparkMatrix:
    """The purchase matrix as Spark cells, and who its rows and columns are.

    Attributes
    ----------
    cells : pyspark.sql.DataFrame
        ``row`` (int), ``col`` (int), ``quantity`` (double): one stored cell each.
    customers : numpy.ndarray
        The CustomerID of each row, ascending (int64).
    skus : numpy.ndarray
        The StockCode of each column, ascending (object).
    """

    cells: DataFrame
    customers: np.ndarray
    skus: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        """(customers, skus)."""
        return self.customers.size, self.skus.size


def index_purchases(purchases: DataFrame) -> SparkMatrix:
    """Number the customers and skus of ``purchases`` as ``build_purchase_matrix`` does.

    Parameters
    ----------
    purchases : pyspark.sql.DataFrame
        From :func:`clean_purchases_spark`.

    Returns
    -------
    SparkMatrix
        Row ``i`` is the ``i``-th smallest CustomerID and column ``j`` the
        ``j``-th StockCode in code-point order, as in
        :func:`~recsys_workshop.retail.build_purchase_matrix`.
    """
    from pyspark.sql import functions as F

    customers = _numbered(purchases, "CustomerID", "row")
    skus = _numbered(purchases, "StockCode", "col")
    cells = (purchases.join(F.broadcast(customers), "CustomerID")
             .join(F.broadcast(skus), "StockCode")
             .select("row", "col", F.col("Quantity").cast("double").alias("quantity")))
    return SparkMatrix(cells.cache(),
                       _column(customers.orderBy("row"), "CustomerID").astype(np.int64),
                       _column(skus.orderBy("col"), "StockCode").astype(object))


def _numbered(frame: DataFrame, column: str, index: str) -> DataFrame:
    """The distinct values of ``column``, sorted, each with its position ``index`` (int)."""
    from pyspark.sql.types import IntegerType

    values = frame.select(column).distinct().orderBy(column)
    return _with_position(values, index, IntegerType()).cache()


def _with_position(ordered: DataFrame, name: str, kind: Any) -> DataFrame:
    """``ordered`` with a column ``name`` (of Spark type ``kind``): each row's position, from 0.

    ``zipWithIndex`` numbers a sorted distributed frame without gathering it in
    one partition, as a window over the whole frame would.
    """
    from pyspark.sql.types import StructField, StructType

    positioned = ordered.rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1]))
    schema = StructType([*ordered.schema.fields, StructField(name, kind, False)])
    return ordered.sparkSession.createDataFrame(positioned, schema)


def _column(frame: DataFrame, column: str) -> np.ndarray:
    """One column of ``frame``, gathered on the driver."""
    return np.asarray(frame.select(column).toArrow().column(0).to_pylist())


def to_csr(cells: DataFrame, shape: tuple[int, int]) -> sp.csr_array:
    """The cells ``(row, col, quantity)`` gathered on the driver as a CSR matrix.

    Parameters
    ----------
    cells : pyspark.sql.DataFrame
        Columns ``row``, ``col`` and ``quantity``, each pair once.
    shape : tuple of int

    Returns
    -------
    scipy.sparse.csr_array
        float64, indices sorted.
    """
    table = cells.select("row", "col", "quantity").toArrow()
    rows, cols, quantities = (table.column(name).to_numpy() for name in ("row", "col", "quantity"))
    matrix = sp.csr_array((quantities.astype(np.float64), (rows, cols)), shape=shape)
    matrix.sum_duplicates()
    return matrix


def split_cells(matrix: SparkMatrix, pct_test: float = 0.2, seed: int = 0) -> DataFrame:
    """Mark the cells that :func:`~recsys_workshop.split.make_train` hides, for the same seed.

    ``make_train`` numbers the stored cells in CSR order (by row, then column)
    and hides ``ceil(pct_test * nnz)`` of those numbers drawn by
    ``numpy.random.default_rng(seed).choice``. Here Spark numbers the cells in
    the same order (``zipWithIndex`` of the sorted cells) and the driver makes the
    same draw.

    Parameters
    ----------
    matrix : SparkMatrix
    pct_test : float, default 0.2
    seed : int, default 0

    Returns
    -------
    pyspark.sql.DataFrame
        ``matrix.cells`` with a boolean column ``hidden``. The training set is
        the cells not hidden; the test set, every cell (as 1).
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StructField, StructType

    pct_test = check_share(pct_test, "pct_test")
    seed = check_count(seed, "seed")
    spark = matrix.cells.sparkSession
    ordered = matrix.cells.orderBy("row", "col")
    nnz = ordered.count()
    drawn = np.random.default_rng(seed).choice(nnz, size=math.ceil(pct_test * nnz),
                                               replace=False)
    hidden = spark.createDataFrame([(int(position),) for position in np.sort(drawn)],
                                   StructType([StructField("position", LongType(), False)]))
    flags = F.broadcast(hidden.withColumn("hidden", F.lit(True)))
    return (_with_position(ordered, "position", LongType()).join(flags, "position", "left")
            .select("row", "col", "quantity",
                    F.coalesce(F.col("hidden"), F.lit(False)).alias("hidden"))
            .cache())


def spark_als_parameters(factors: int = 20, regularization: float = 0.1, alpha: float = 15.0,
                         iterations: int = 50, random_state: int = 0) -> dict[str, Any]:
    """Chapter 5's ALS parameters as Spark's ``ALS`` names them (an approximate mapping).

    Parameters
    ----------
    factors, regularization, alpha, iterations, random_state
        As in :func:`~recsys_workshop.als.fit_als`.

    Returns
    -------
    dict
        ``rank``, ``regParam``, ``alpha``, ``maxIter``, ``seed``: the same
        numbers. The module docstring says why the models still differ.

    Examples
    --------
    >>> spark_als_parameters(iterations=10)
    {'rank': 20, 'regParam': 0.1, 'alpha': 15.0, 'maxIter': 10, 'seed': 0}
    """
    factors, regularization, alpha, iterations = check_als_parameters(
        factors, regularization, alpha, iterations)
    return {"rank": factors, "regParam": regularization, "alpha": alpha,
            "maxIter": iterations, "seed": check_count(random_state, "random_state")}


def train_als_spark(cells: DataFrame, shape: tuple[int, int], *,
                    checkpoint_interval: int = 5,
                    **parameters: Any) -> tuple[np.ndarray, np.ndarray]:
    """Spark MLlib's implicit ALS on ``cells``, its factors gathered as numpy arrays.

    Parameters
    ----------
    cells : pyspark.sql.DataFrame
        ``row``, ``col``, ``quantity``: the cells to train on.
    shape : tuple of int
        (customers, skus) of the whole matrix; a row or column without a cell
        here gets zero factors, as in ``implicit``.
    checkpoint_interval : int, default 5
        Checkpoint the factors every this many iterations (the session's
        checkpoint folder must be set, as :func:`spark_session` does).
    **parameters
        Overrides of :data:`~recsys_workshop.artifacts.MODEL_PARAMETERS`,
        mapped by :func:`spark_als_parameters`.

    Returns
    -------
    user_factors, item_factors : numpy.ndarray
        float32, of shapes ``(customers, rank)`` and ``(skus, rank)``.

    Raises
    ------
    TypeError
        For a parameter ``fit_als`` does not take.
    RuntimeError
        If the session has no checkpoint folder.
    """
    from pyspark.ml.recommendation import ALS

    chosen = model_parameters(parameters)
    if cells.sparkSession.sparkContext.getCheckpointDir() is None:
        raise RuntimeError("the Spark session has no checkpoint folder: without one, many "
                           "ALS iterations fail with a StackOverflowError (see spark_session)")
    mapped = spark_als_parameters(**chosen)
    als = ALS(userCol="row", itemCol="col", ratingCol="quantity", implicitPrefs=True,
              checkpointInterval=check_count(checkpoint_interval, "checkpoint_interval",
                                             minimum=1),
              **mapped)
    model = als.fit(cells)
    return (_factors(model.userFactors, shape[0], mapped["rank"]),
            _factors(model.itemFactors, shape[1], mapped["rank"]))


def _factors(frame: DataFrame, size: int, rank: int) -> np.ndarray:
    """Spark's ``(id, features)`` factors as a ``(size, rank)`` array, zeros where absent."""
    table = frame.toArrow()
    ids = table.column("id").to_numpy()
    features = table.column("features").combine_chunks().flatten().to_numpy()
    factors = np.zeros((size, rank), dtype=np.float32)
    factors[ids] = features.reshape(ids.size, rank)
    return factors


def retail_fingerprint_spark(retail: DataFrame) -> dict[str, int | str]:
    """:func:`~recsys_workshop.data.retail_fingerprint` computed by Spark.

    Parameters
    ----------
    retail : pyspark.sql.DataFrame
        A table of the Online Retail schema.

    Returns
    -------
    dict
        The same figures, in the same order and types, as the pandas function
        gives for the same table (prices rounded half to even, as pandas does).
    """
    from pyspark.sql import functions as F

    row = retail.agg(
        F.count("CustomerID").alias("rows with a CustomerID"),
        F.count(F.when(F.col("Description").isNull(), 1)).alias("missing Description"),
        F.countDistinct("InvoiceNo").alias("distinct InvoiceNo"),
        F.countDistinct("StockCode").alias("distinct StockCode"),
        F.countDistinct("CustomerID").alias("distinct CustomerID"),
        F.countDistinct("Country").alias("distinct Country"),
        F.sum("Quantity").alias("sum of Quantity"),
        F.sum(F.bround(F.col("UnitPrice") * 1000)).alias("sum of UnitPrice in 0.001 GBP"),
        F.sum("CustomerID").alias("sum of CustomerID"),
        F.min("InvoiceDate").alias("first InvoiceDate"),
        F.max("InvoiceDate").alias("last InvoiceDate"),
    ).first().asDict()
    return {name: str(value) if "InvoiceDate" in name else int(value or 0)
            for name, value in row.items()}


def first_descriptions(retail: DataFrame, skus: Sequence[str]) -> list[str | None]:
    """Each sku's first description in the table's order (None when it has none)."""
    from pyspark.sql import functions as F

    first = (retail.where(F.col("Description").isNotNull())
             .groupBy("StockCode")
             .agg(F.min_by("Description", _ROW).alias("Description"))
             .toArrow())
    found = dict(zip(first.column("StockCode").to_pylist(),
                     first.column("Description").to_pylist(), strict=True))
    return [found.get(code) for code in skus]


def build_artifacts_spark(retail: DataFrame, matrix: SparkMatrix, *, n_neighbours: int = 20,
                          fingerprint: Mapping[str, int | str] | None = None,
                          **parameters: Any) -> Artifacts:
    """Chapter 7's artifacts from a model Spark trains on every purchase.

    Parameters
    ----------
    retail : pyspark.sql.DataFrame
        From :func:`read_retail`: its descriptions and fingerprint.
    matrix : SparkMatrix
        ``index_purchases(clean_purchases_spark(retail))``, computed once by
        the caller, which may already have split or trained on it.
    n_neighbours : int, default 20
        How many nearest neighbours to keep per sku.
    fingerprint : mapping, optional
        ``retail_fingerprint_spark(retail)``, when the caller has it already;
        computed when None.
    **parameters
        Overrides of :data:`~recsys_workshop.artifacts.MODEL_PARAMETERS`.

    Returns
    -------
    Artifacts
        Save them with :func:`~recsys_workshop.artifacts.save_artifacts`; the
        manifest's parameters say ``"engine": "spark"`` and give Spark's names too.
    """
    chosen = model_parameters(parameters)
    user_factors, item_factors = train_als_spark(matrix.cells, matrix.shape, **chosen)
    if fingerprint is None:
        fingerprint = retail_fingerprint_spark(retail)
    return assemble_artifacts(
        to_csr(matrix.cells, matrix.shape), matrix.customers, matrix.skus,
        first_descriptions(retail, matrix.skus.tolist()), user_factors, item_factors,
        parameters={**chosen, "engine": "spark", "spark": spark_als_parameters(**chosen)},
        fingerprint=fingerprint, n_neighbours=n_neighbours)


@dataclass(frozen=True)
class EngineRun:
    """One engine's model on the workshop's split: its factors and how long it trained."""

    engine: str
    user_factors: np.ndarray
    item_factors: np.ndarray
    seconds: float


def compare_on_split(matrix: SparkMatrix, *, pct_test: float = 0.2, seed: int = 0,
                     **parameters: Any
                     ) -> tuple[tuple[sp.csr_array, sp.csr_array, list[int]], list[EngineRun]]:
    """Spark's ALS and ``implicit``'s trained on the same split of ``matrix``.

    Parameters
    ----------
    matrix : SparkMatrix
        From :func:`index_purchases`.
    pct_test, seed
        The split, as in :func:`~recsys_workshop.split.make_train`.
    **parameters
        Overrides of :data:`~recsys_workshop.artifacts.MODEL_PARAMETERS`, for both.

    Returns
    -------
    split : tuple
        ``(training_set, test_set, altered_users)`` on the driver, as
        :func:`~recsys_workshop.split.make_train` returns them.
    runs : list of EngineRun
        ``"spark"`` then ``"implicit"``; ``seconds`` is the wall time of the
        training alone (Spark's includes gathering its factors).
    """
    from .als import fit_als

    cells = split_cells(matrix, pct_test, seed)
    training_cells = cells.where(~cells["hidden"]).select("row", "col", "quantity").cache()
    training = to_csr(training_cells, matrix.shape)
    test = to_csr(cells.select("row", "col", "quantity"), matrix.shape)
    test.data[:] = 1
    # The customers with a hidden cell: their rows lost cells (every quantity is > 0).
    altered = np.flatnonzero(np.diff(test.indptr) != np.diff(training.indptr)).tolist()
    start = time.perf_counter()
    spark_factors = train_als_spark(training_cells, matrix.shape, **parameters)
    spark_seconds = time.perf_counter() - start
    start = time.perf_counter()
    model = fit_als(training, **parameters)
    implicit_seconds = time.perf_counter() - start
    return (training, test, altered), [
        EngineRun("spark", *spark_factors, spark_seconds),
        EngineRun("implicit", model.user_factors, model.item_factors, implicit_seconds),
    ]


@dataclass(frozen=True)
class GrowthPoint:
    """One engine's training time on one size of synthetic shop."""

    scale: int
    customers: int
    skus: int
    cells: int
    engine: str
    seconds: float


def growth_study(spark: SparkSession, scales: Sequence[int] = (1, 4, 16), *,
                 customers: int = 500, skus: int = 400, invoices: int = 3000,
                 iterations: int = 10, seed: int = 0) -> list[GrowthPoint]:
    """Train both engines on synthetic shops ``scale`` times larger in customers and skus.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
    scales : sequence of int, default (1, 4, 16)
        Each multiplies the customers, the skus and the invoices.
    customers, skus, invoices : int
        The shop at scale 1 (:func:`~recsys_workshop.synthetic.make_online_retail`).
    iterations : int, default 10
        ALS iterations, for both engines.
    seed : int, default 0
        Seed of the synthetic shops and of both models.

    Returns
    -------
    list of GrowthPoint
        For each scale, ``"spark"`` then ``"implicit"``: the wall time of the
        training alone, on the same cells.
    """
    from .als import fit_als
    from .synthetic import make_online_retail

    points = []
    with tempfile.TemporaryDirectory(prefix="recsys-growth-") as folder:
        for scale in scales:
            scale = check_count(scale, "scale", minimum=1)
            path = Path(folder) / f"shop-{scale}.parquet"
            make_online_retail(customers * scale, skus * scale, invoices * scale,
                               seed=seed).to_parquet(path)
            matrix = index_purchases(clean_purchases_spark(read_retail(spark, path)))
            training = to_csr(matrix.cells, matrix.shape)
            start = time.perf_counter()
            train_als_spark(matrix.cells, matrix.shape, iterations=iterations,
                            random_state=seed)
            spark_seconds = time.perf_counter() - start
            start = time.perf_counter()
            fit_als(training, iterations=iterations, random_state=seed)
            implicit_seconds = time.perf_counter() - start
            size = (scale, *matrix.shape, training.nnz)
            points += [GrowthPoint(*size, "spark", spark_seconds),
                       GrowthPoint(*size, "implicit", implicit_seconds)]
            matrix.cells.unpersist()
    return points


def main(argv: Sequence[str] | None = None) -> int:
    """Run the pipeline on Spark and write chapter 7's artifacts (``make spark``)."""
    from .data import cached_path, fingerprint_problems, is_cached

    parser = argparse.ArgumentParser(prog="python -m recsys_workshop.spark_pipeline",
                                     description=main.__doc__)
    parser.add_argument("--master", default="local[2]",
                        help="local[N], or a cluster's URL (default: local[2])")
    parser.add_argument("--data", default=None,
                        help="the raw table's Parquet path (default: the data cache's)")
    parser.add_argument("--out", type=Path, default=Path("artifacts-spark"),
                        help="the artifacts folder to write (default: artifacts-spark)")
    parser.add_argument("--iterations", type=int, default=MODEL_PARAMETERS["iterations"])
    parser.add_argument("--evaluate", action="store_true",
                        help="first train both engines on the workshop's split and print "
                             "their mean AUC")
    args = parser.parse_args(argv)
    reason = spark_unavailable()
    if reason is not None:
        print(f"Spark cannot run here: {reason}", file=sys.stderr)
        return 2
    if args.data is None and not is_cached():
        print("The Online Retail table is not cached: run `make data` first, or give --data.",
              file=sys.stderr)
        return 2
    with running_spark(args.master) as spark:
        retail = read_retail(spark, args.data or cached_path())
        fingerprint = retail_fingerprint_spark(retail)
        # The cache holds the real table: check it before any work, as pandas loads do.
        problems = fingerprint_problems(fingerprint) if args.data is None else []
        if problems:
            print(f"{cached_path()} is not the UCI Online Retail table ({'; '.join(problems)}): "
                  "delete it and run `make data`.", file=sys.stderr)
            return 2
        matrix = index_purchases(clean_purchases_spark(retail))
        if args.evaluate:
            from .evaluate import calc_mean_auc

            (training, test, altered), runs = compare_on_split(matrix,
                                                               iterations=args.iterations)
            for run in runs:
                model_auc, popularity_auc = calc_mean_auc(
                    training, altered, (run.user_factors, run.item_factors), test)
                print(f"{run.engine:>8}: mean AUC {model_auc:.4f} (popularity "
                      f"{popularity_auc:.4f}), trained in {run.seconds:.1f} s")
        start = time.perf_counter()
        artifacts = build_artifacts_spark(retail, matrix, fingerprint=fingerprint,
                                          iterations=args.iterations)
        save_artifacts(artifacts, args.out)
    print(f"Spark-trained artifacts in {args.out}/ ({time.perf_counter() - start:.1f} s); serve "
          f"them with: make serve ARTIFACTS={args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
