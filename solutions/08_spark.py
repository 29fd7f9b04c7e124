# %% [markdown]
# # Chapter 8: Spark when one machine is not enough
#
# Optional.
#
# **Learning goals**: run chapter 5's pipeline on Spark, compare it with `implicit`, size a
# cluster on paper, and serve a Spark-trained model.

# %% nbgrader={"grade": false, "grade_id": "ch08-setup", "locked": true, "schema_version": 3, "solution": false}
import contextlib
import dataclasses
import math
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

# Notices about the versions of the packages, not about this notebook: keep them out of the
# output (Starlette's test client and its HTTP library; PySpark and pandas 3).
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
from fastapi.testclient import TestClient  # noqa: E402

from recsys_workshop import plots, spark_pipeline
from recsys_workshop.als import fit_als
from recsys_workshop.artifacts import MODEL_PARAMETERS, load_artifacts, save_artifacts
from recsys_workshop.data import cached_path, load_online_retail
from recsys_workshop.evaluate import calc_mean_auc, factor_scores, popularity
from recsys_workshop.ranking import compare_recommenders
from recsys_workshop.retail import build_purchase_matrix, clean_purchases
from recsys_workshop.service import create_app
from recsys_workshop.split import make_train
from recsys_workshop.timing import compare_speed

why_not = spark_pipeline.spark_unavailable()
if why_not is not None:
    raise RuntimeError(f"This chapter runs Spark, which cannot run here: {why_not}. In a "
                       "terminal at the project's root, run `make scale`, then restart the "
                       "kernel and run this notebook again.")
print("Spark can run here.")

# %% [markdown]
# ## Going further (optional)
#
# This whole chapter is optional: it is not on the workshop's three-hour core path (see the agenda
# in `00_welcome`) and has no graded exercise. It needs Spark, which the workshop does not install
# by default: `make scale` adds it (pyspark; Spark also needs Java 17 or newer).
#
# ### Why Spark
#
# Chapter 5 trained ALS with `implicit` on one machine: the purchase matrix, both factor matrices
# and every solve live in one process's memory, and the work is shared among that machine's cores.
# That goes a long way (a sparse matrix of a few hundred million cells fits in a laptop's memory),
# but it stops at one machine: when the purchases or the customers' factors no longer fit, or one
# machine's cores take too long, the work must be split across several.
#
# [Apache Spark](https://spark.apache.org) runs DataFrame operations on a cluster, and its
# machine-learning library MLlib has ALS: `pyspark.ml.recommendation.ALS` with
# `implicitPrefs=True` is the maintained distributed implementation of Hu, Koren and Volinsky's
# implicit ALS. It cuts the customers and the skus into blocks; each half-iteration sends every
# block the factors it needs, then solves each customer's (or sku's) small system where its
# purchases are.
#
# The package's `spark_pipeline` module runs chapter 5 on it. On `local[2]` Spark runs inside this
# machine, on two cores; the same code runs on a cluster by naming the cluster's address instead.
# `running_spark` starts a session with a temporary checkpoint folder (see below) and stops it when
# the chapter closes it. Spark's Java side may print a few warnings as it starts, or when it finds
# no native BLAS library and uses its own code instead: they are harmless.

# %% tags=["demo"]
spark_session = contextlib.ExitStack()  # closed in the last cell, which stops Spark
spark = spark_session.enter_context(spark_pipeline.running_spark("local[2]"))
print(f"Spark {spark.version} on {spark.sparkContext.master}, "
      f"{spark.sparkContext.defaultParallelism} partitions by default")

# %% [markdown]
# ## The pipeline on Spark
#
# The four steps of chapter 5, as DataFrame operations:
#
# 1. `read_retail` reads the cached Parquet file of the raw table;
# 2. `clean_purchases_spark` keeps the rows with a customer, sums each (customer, sku) pair's
#    quantities, turns a sum of 0 into 1 and drops negative sums, as `clean_purchases` does;
# 3. `index_purchases` numbers the customers and the skus in sorted order, as
#    `build_purchase_matrix` does, and gives the stored cells as `(row, col, quantity)` rows;
# 4. `split_cells` marks as hidden the cells `make_train` hides for the same share and seed.
#
# Spark is lazy: these calls only describe the work. It runs when a result is asked for, such as
# a count or the rows gathered into this Python process.

# %% tags=["demo"]
retail = spark_pipeline.read_retail(spark, cached_path())
purchases = spark_pipeline.clean_purchases_spark(retail)
matrix = spark_pipeline.index_purchases(purchases)
cells = spark_pipeline.split_cells(matrix, pct_test=0.2, seed=0)
n_customers, n_skus = matrix.shape
n_hidden = cells.where(cells["hidden"]).count()
print(f"{retail.count():,} raw rows -> {purchases.count():,} (customer, sku) purchases")
print(f"{n_customers:,} customers x {n_skus:,} skus; {n_hidden:,} cells hidden for the test")

# %% [markdown]
# Are they really chapter 5's steps? The next cell runs the pandas pipeline on the same table and
# compares: the cleaned purchases row for row, the customers and skus in order, the matrix cell for
# cell, and the training set and altered customers of the split.

# %% tags=["demo"]
expected_purchases = clean_purchases(load_online_retail())
spark_purchases = purchases.toArrow().to_pandas()
purchase_matrix, customers, skus = build_purchase_matrix(expected_purchases)
training, test, altered = make_train(purchase_matrix, pct_test=0.2, seed=0)
spark_matrix = spark_pipeline.to_csr(matrix.cells, matrix.shape)
spark_training = spark_pipeline.to_csr(cells.where(~cells["hidden"]), matrix.shape)
hidden_rows = cells.where(cells["hidden"]).select("row").distinct().toArrow()
spark_altered = sorted(hidden_rows.column("row").to_pylist())

checks = {
    "purchases equal clean_purchases, row for row": spark_purchases.equals(expected_purchases),
    "same customers, in the same order": matrix.customers.tolist() == customers.tolist(),
    "same skus, in the same order": matrix.skus.tolist() == skus.tolist(),
    "same purchase matrix": (spark_matrix != purchase_matrix).nnz == 0,
    "same training cells as make_train": (spark_training.nnz == training.nnz
                                          and (spark_training != training).nnz == 0),
    "same altered customers": spark_altered == altered,
}
for check, passed in checks.items():
    print(f"{'✔' if passed else '✘'} {check}")

# %% [markdown]
# ## Same parameters, not quite the same model
#
# `spark_als_parameters` gives chapter 5's parameters the names Spark's `ALS` uses: the number of
# factors becomes the `rank`, the regularization `regParam`, the iterations `maxIter` and the
# random state `seed`; `alpha` keeps its name. The numbers are the same, but the two libraries do
# not minimise quite the same loss, so the mapping is approximate:
#
# - **Confidence.** `implicit` weighs a stored cell by $\alpha r$ (chapter 6 showed it), Spark by
#   $1 + \alpha r$, as Hu, Koren and Volinsky wrote it. With $\alpha = 15$ and $r \ge 1$ the two
#   differ by at most $1 / 15$ of `implicit`'s weight.
# - **Regularization.** Spark multiplies $\lambda$ by each customer's number of purchased skus
#   $n_u$ when it solves that customer, and by each sku's number of customers when it solves that
#   sku (*ALS-WR*, Zhou et al. 2008); `implicit` uses the same $\lambda$ for everyone. The same
#   0.1 therefore pulls an active customer's factors much harder towards 0 in Spark.
# - **The rest.** The initial factors and the order of the solves differ, so even equal losses
#   would not give equal factors.
#
# The next cell prints the mapping and the regularization each engine applies to a typical and to
# the most active customer.

# %% tags=["demo"]
spark_parameters = spark_pipeline.spark_als_parameters(**MODEL_PARAMETERS)
print(pd.DataFrame({"chapter 5 (implicit)": list(MODEL_PARAMETERS),
                    "Spark's ALS": list(spark_parameters),
                    "value": [str(value) for value in spark_parameters.values()]}
                   ).to_string(index=False))

skus_per_customer = np.diff(spark_matrix.indptr)
regularization = MODEL_PARAMETERS["regularization"]
print()
for who, n_u in (("median customer", int(np.median(skus_per_customer))),
                 ("most active customer", int(skus_per_customer.max()))):
    print(f"{who:>20} ({n_u:,} skus): implicit's lambda {regularization}, "
          f"Spark's lambda x n_u = {regularization * n_u:,.1f}")

# %% [markdown]
# ### Checkpointing
#
# Spark remembers how to recompute every intermediate result from its inputs: its *lineage*. Each
# ALS iteration computes new factors from the previous ones, so after many iterations the lineage is
# a very long chain, and walking it (to plan a job, or to send its tasks to the executors) recurses
# so deep that the JVM ends with a `StackOverflowError`. A **checkpoint** writes the factors to a
# folder and starts the lineage afresh from those files. `train_als_spark` checkpoints every 5
# iterations into the session's checkpoint folder, and refuses to start without one; on a cluster,
# that folder must be one every machine reaches (HDFS, S3...).

# %% [markdown]
# ## Spark and `implicit` on the same split
#
# Both engines now train on the training cells of the split above, with chapter 5's parameters
# (50 iterations): Spark's ALS on the cells where they are, `implicit`'s on the same cells gathered
# into this process. The wall time is the training alone, on this machine; Spark's includes
# collecting its factors. Each model is then evaluated as in chapters 5 and 6: the
# mean AUC of `calc_mean_auc`, and precision and NDCG at 10 over the held-out purchases
# (`compare_recommenders`), next to the popularity baseline. (`compare_on_split` does all of this
# in one call, and `make spark` prints its mean AUCs.)

# %% tags=["demo"]
training_cells = cells.where(~cells["hidden"]).select("row", "col", "quantity").cache()
started = time.perf_counter()
spark_factors = spark_pipeline.train_als_spark(training_cells, matrix.shape)
spark_seconds = time.perf_counter() - started
print(f"Spark's ALS: {spark_seconds:.1f} s")

# %% tags=["demo"]
started = time.perf_counter()
implicit_model = fit_als(spark_training)
implicit_seconds = time.perf_counter() - started
factors = {"spark": spark_factors,
           "implicit": (implicit_model.user_factors, implicit_model.item_factors)}

scorers = {engine: factor_scores(*pair) for engine, pair in factors.items()}
scorers["popularity"] = popularity(spark_training)
ranked = compare_recommenders(spark_training, altered, test, scorers, k=10)
aucs = {engine: calc_mean_auc(spark_training, altered, pair, test)
        for engine, pair in factors.items()}
comparison = pd.DataFrame({
    "mean AUC": [aucs["spark"][0], aucs["implicit"][0], aucs["spark"][1]],
    "precision@10": ranked["precision@10"].tolist(),
    "NDCG@10": ranked["NDCG@10"].tolist(),
    "training (s)": [spark_seconds, implicit_seconds, float("nan")],
}, index=["spark", "implicit", "popularity"])
print(comparison.to_string(float_format="{:.4f}".format, na_rep="-"))
print(f"\nSpark's training was {compare_speed(spark_seconds, implicit_seconds)} than "
      "implicit's on this split")

# %% [markdown]
# Read the metrics first: how far each model stands above popularity, and how close the two
# models come to each other; they cannot be equal, since their losses differ (above). Then the
# time: Spark pays for its machinery at every iteration (planning jobs, moving factor blocks
# between partitions, checkpointing), while `implicit` runs compiled loops on arrays already in
# memory. On a table that fits in one machine, that machinery buys nothing; it pays once the data
# must be spread over several.

# %% [markdown]
# ## How the time grows
#
# `growth_study` trains both engines, 10 iterations each, on a small synthetic shop
# (`make_online_retail`) and on shops 4 and 16 times as large in customers, skus and invoices. On
# log-log axes, a time proportional to the number of stored cells is a line of slope 1; a smaller
# slope means fixed costs (for Spark: jobs, shuffles and checkpoints at every iteration) still weigh
# more than the data.

# %% tags=["demo"]
growth = pd.DataFrame([dataclasses.asdict(point) for point in spark_pipeline.growth_study(spark)])
print(growth.pivot(index=["scale", "customers", "skus", "cells"], columns="engine",
                   values="seconds").round(2).to_string())
plots.plot_engine_growth(growth)
plt.show()

# %% [markdown]
# ## On paper: 100 million customers
#
# Before renting a cluster, estimate what the model needs. The next cell does the arithmetic from
# stated assumptions: 100 million customers, 300,000 skus, each customer with as many purchased
# skus as the average Online Retail customer (measured on the matrix above), rank 20, float32
# numbers of 4 bytes. With $m$ customers, $n$ skus, rank $k$ and $\text{nnz}$ stored cells:
#
# - **Ratings.** Spark's ALS keeps every rating twice: in its customer's block, to solve the
#   customers, and in its sku's block, to solve the skus. Each copy holds two indices and the value,
#   about 12 bytes: $2 \times 12 \times \text{nnz}$ bytes.
# - **Factors.** $(m + n) \times k \times 4$ bytes, counted twice, since an iteration holds the old
#   factors of one side while it computes the new ones.
# - **Shuffle.** In each half-iteration a block receives the factors of the other side that its
#   ratings need. At most every cell brings one factor of $4k$ bytes: $2 \times \text{nnz} \times
#   4k$ bytes per iteration. Spark sends a factor once per block rather than once per cell, so this
#   is an upper bound.
# - **Cluster.** Executors (the worker processes) of 32 GB, of which Spark leaves about 60% to
#   cached data and computing (its default memory fraction): the number of executors is the
#   ratings and factors divided by what one executor can hold, rounded up, before any room for
#   spikes, skew or failures.
#
# The customers' factors alone are far beyond what one serving process should load: at that size
# they go to a key-value store, looked up one customer per request.

# %% tags=["demo"]
GB = 1e9
assumed_customers, assumed_skus = 100_000_000, 300_000
rank, float_bytes, bytes_per_rating = MODEL_PARAMETERS["factors"], 4, 12
executor_memory, usable_share = 32 * GB, 0.6

cells_per_customer = spark_matrix.nnz / n_customers
stored_cells = assumed_customers * cells_per_customer
ratings_bytes = 2 * bytes_per_rating * stored_cells
factor_bytes = (assumed_customers + assumed_skus) * rank * float_bytes
shuffle_bytes = 2 * stored_cells * rank * float_bytes
needed = ratings_bytes + 2 * factor_bytes
executors = math.ceil(needed / (executor_memory * usable_share))
print(f"measured: {cells_per_customer:.1f} purchased skus per customer on average")
print(f"stored cells:                {stored_cells:,.0f}")
print(f"ratings, both copies:        {ratings_bytes / GB:,.1f} GB")
print(f"factors:                     {factor_bytes / GB:,.1f} GB (customers "
      f"{assumed_customers * rank * float_bytes / GB:,.1f} GB, skus "
      f"{assumed_skus * rank * float_bytes / GB:,.3f} GB)")
print(f"shuffle per iteration, max:  {shuffle_bytes / GB:,.1f} GB")
print(f"executors of {executor_memory / GB:.0f} GB, {usable_share:.0%} usable: {executors}")

# %% [markdown]
# ## Serving the Spark-trained model
#
# Chapter 7's service reads a folder of artifacts; it does not care which engine trained the
# factors. `build_artifacts_spark` trains Spark's ALS on *every* purchase and gathers the same
# artifacts as `build_artifacts`; their manifest records `"engine": "spark"` and Spark's parameter
# names. To keep this notebook short it trains 10 iterations instead of chapter 5's 50. The service
# below answers in this process, through FastAPI's test client, as in chapter 7.

# %% tags=["demo"]
started = time.perf_counter()
spark_artifacts = spark_pipeline.build_artifacts_spark(retail, matrix, iterations=10)
print(f"trained on Spark and gathered in {time.perf_counter() - started:.1f} s")
print("parameters:", spark_artifacts.parameters)

workdir = Path(tempfile.mkdtemp(prefix="recsys-ch8-"))
save_artifacts(spark_artifacts, workdir / "artifacts-spark")
client = TestClient(create_app(load_artifacts(workdir / "artifacts-spark")))
customer = int(spark_artifacts.customers[0])
answer = client.get(f"/recommend/{customer}", params={"n": 5}).json()
print(f"\nGET /recommend/{customer}?n=5 -> source {answer['source']!r}")
for product in answer["products"]:
    print(f"  {product['stock_code']:<8} {product['description']}")

# %% [markdown]
# Outside the notebook, two commands do the same at full length:
#
# - `make spark` runs the pipeline on Spark (`MASTER=local[2]` by default, or a cluster's address),
#   prints both engines' mean AUC on the split, trains on every purchase with chapter 5's
#   parameters and writes `artifacts-spark/`;
# - `make serve ARTIFACTS=artifacts-spark` starts chapter 7's service and demo page on that model.
#
# The last cell stops Spark and removes this chapter's temporary folder.

# %% tags=["demo"]
spark_session.close()
shutil.rmtree(workdir, ignore_errors=True)
print("Spark stopped.")

# %% [markdown]
# ## Recap
#
# - Spark MLlib's ALS with `implicitPrefs=True` runs chapter 5's pipeline from one machine's cores
#   to a cluster; its cleaning, indexing and split equal the pandas ones.
# - The mapping of the parameters is approximate ($1 + \alpha r$, ALS-WR): compare the engines by
#   their metrics, not by their factors. Checkpoint long runs.
# - Spark pays fixed costs at every iteration: measure before reaching for a cluster, and size one
#   on paper from the stored cells, the rank and the bytes.
# - The service serves Spark-trained artifacts unchanged.
