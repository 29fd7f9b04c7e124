"""Chapter 7's artifacts: a saved model reads back identical, and a damaged folder is named."""

import argparse
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from recsys_workshop import data
from recsys_workshop.artifacts import (
    ARTIFACTS_ENV,
    FILES,
    MODEL_PARAMETERS,
    ArtifactError,
    Artifacts,
    add_folder_option,
    artifacts_from_factors,
    build_artifacts,
    load_artifacts,
    save_artifacts,
)
from recsys_workshop.pipeline import retail_split
from recsys_workshop.recommend import top_k_neighbours
from recsys_workshop.service import create_app
from recsys_workshop.similarity import build_algebraic_sparse_similarity_matrix
from recsys_workshop.synthetic import make_online_retail

TABLE_SEED = 5  # conftest's small_artifacts are built from make_online_retail(seed=5)


@pytest.fixture(scope="module")
def built() -> Artifacts:
    """The artifacts of conftest's table, built again in this process (never saved)."""
    return build_artifacts(make_online_retail(seed=TABLE_SEED))


@pytest.fixture
def copy(small_artifacts_folder: Path, tmp_path: Path) -> Path:
    """A scratch copy of the saved folder, free to damage."""
    return Path(shutil.copytree(small_artifacts_folder, tmp_path / "copy"))


def test_round_trip_gives_identical_arrays(built: Artifacts, small_artifacts: Artifacts):
    assert np.array_equal(built.user_factors, small_artifacts.user_factors)
    assert np.array_equal(built.item_factors, small_artifacts.item_factors)
    assert small_artifacts.item_factors.dtype == np.float32
    for name in ("user_items", "neighbours"):
        before, after = getattr(built, name), getattr(small_artifacts, name)
        assert before.shape == after.shape
        assert (before != after).nnz == 0, name
    assert np.array_equal(built.popularity, small_artifacts.popularity)
    assert built.stock_codes.tolist() == small_artifacts.stock_codes.tolist()
    assert built.descriptions.tolist() == small_artifacts.descriptions.tolist()
    assert built.customers.tolist() == small_artifacts.customers.tolist()
    assert small_artifacts.customers.dtype == np.int64
    assert built.parameters == small_artifacts.parameters == {**MODEL_PARAMETERS,
                                                               "n_neighbours": 20}


def test_round_trip_gives_identical_recommendations(built: Artifacts,
                                                    small_artifacts: Artifacts):
    fresh, loaded = TestClient(create_app(built)), TestClient(create_app(small_artifacts))
    customers = built.customers[:: max(1, built.customers.size // 10)].tolist()
    targets = [f"/recommend/{customer}?n=20" for customer in customers]
    targets += [f"/similar/{code}?n=20" for code in built.stock_codes[:10].tolist()]
    for target in targets:
        answer = fresh.get(target)
        assert answer.status_code == 200, target
        assert answer.json() == loaded.get(target).json(), target
    basket = dict.fromkeys(built.stock_codes[:3].tolist(), 2)
    assert (fresh.post("/recommend", json=basket).json()
            == loaded.post("/recommend", json=basket).json())


def test_the_same_table_gives_the_same_files(small_artifacts_folder: Path, built: Artifacts,
                                             tmp_path: Path):
    save_artifacts(built, tmp_path)
    again = json.loads((tmp_path / "manifest.json").read_text())
    first = json.loads((small_artifacts_folder / "manifest.json").read_text())
    assert again["files"] == first["files"]


def test_the_manifest_records_parameters_versions_data_and_hashes(
        small_artifacts_folder: Path, small_artifacts: Artifacts):
    manifest = json.loads((small_artifacts_folder / "manifest.json").read_text())
    assert manifest == small_artifacts.manifest
    assert manifest["parameters"]["alpha"] == MODEL_PARAMETERS["alpha"]
    assert set(manifest["versions"]) == {"python", "numpy", "scipy", "implicit",
                                         "recsys-workshop"}
    assert manifest["versions"]["numpy"] == np.__version__
    assert manifest["data_fingerprint"] == data.retail_fingerprint(
        make_online_retail(seed=TABLE_SEED))
    assert sorted(manifest["files"]) == sorted(FILES)
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((small_artifacts_folder / name).read_bytes()).hexdigest() == digest
    assert manifest["shape"] == {"customers": small_artifacts.customers.size,
                                 "skus": small_artifacts.stock_codes.size,
                                 "factors": MODEL_PARAMETERS["factors"]}


def test_the_neighbours_are_chapter_3s_similarity_pruned(built: Artifacts):
    matrix = retail_split(make_online_retail(seed=TABLE_SEED)).matrix
    expected = top_k_neighbours(build_algebraic_sparse_similarity_matrix(matrix.tocsc()), 20)
    assert (expected != built.neighbours).nnz == 0
    assert np.diff(built.neighbours.indptr).max() == 20


def test_no_file_needs_pickle(small_artifacts_folder: Path):
    for name in FILES:
        if name.endswith((".npz", ".npy")):
            loaded = np.load(small_artifacts_folder / name, allow_pickle=False)
            arrays = loaded.values() if hasattr(loaded, "values") else [loaded]
            assert all(array.dtype != object for array in arrays), name


@pytest.mark.parametrize("name", FILES)
def test_a_changed_file_is_named(copy: Path, name: str):
    path = copy / name
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))
    with pytest.raises(ArtifactError, match=rf"{name} does not match its sha256"):
        load_artifacts(copy)


@pytest.mark.parametrize("name", [*FILES, "manifest.json"])
def test_a_missing_file_is_named(copy: Path, name: str):
    (copy / name).unlink()
    with pytest.raises(ArtifactError, match=rf"{name} is missing"):
        load_artifacts(copy)


@pytest.mark.parametrize(("manifest", "message"), [
    ("{not json", "is not valid JSON"),
    ('{"format": 1, "files": {}}', "is not a format-1 manifest"),
    ("[1, 2]", "is not a format-1 manifest"),
])
def test_a_broken_manifest_is_named(copy: Path, manifest: str, message: str):
    (copy / "manifest.json").write_text(manifest)
    with pytest.raises(ArtifactError, match=rf"manifest.json {message}"):
        load_artifacts(copy)


def test_unknown_training_parameters_are_refused():
    with pytest.raises(TypeError, match=r"unknown ALS parameter\(s\) \['factor'\]"):
        build_artifacts(make_online_retail(n_customers=20, n_skus=10, seed=1), factor=3)


def test_factors_of_another_matrix_are_refused(built: Artifacts):
    table = make_online_retail(seed=TABLE_SEED)
    with pytest.raises(ValueError, match="item_factors"):
        artifacts_from_factors(table, built.user_factors, built.item_factors[1:],
                               parameters=MODEL_PARAMETERS)
    with pytest.raises(ValueError, match=r"\['alpha'\]"):
        artifacts_from_factors(table, built.user_factors, built.item_factors,
                               parameters={"regularization": 0.1})


def test_only_artifacts_are_saved(tmp_path: Path):
    with pytest.raises(TypeError, match="must be an Artifacts, got dict"):
        save_artifacts({}, tmp_path)


def test_the_commands_artifacts_option_defaults_to_the_environment_s_folder(
        monkeypatch, tmp_path: Path):
    monkeypatch.setenv(ARTIFACTS_ENV, str(tmp_path))
    parser = argparse.ArgumentParser()
    add_folder_option(parser)
    assert parser.parse_args([]).artifacts == tmp_path
    assert parser.parse_args(["--artifacts", "elsewhere"]).artifacts == Path("elsewhere")
    monkeypatch.delenv(ARTIFACTS_ENV)
    parser = argparse.ArgumentParser()
    add_folder_option(parser)
    assert parser.parse_args([]).artifacts == Path("artifacts")
