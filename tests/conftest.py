"""Shared fixtures.

``retail_data_home`` finds a folder holding the real ``online-retail.parquet``
(never downloading anything) and ``retail`` loads it once per test session.
Tests that use them should be marked ``@pytest.mark.real_data``; they skip
when the real data are absent.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from deck import SLIDE_DECK, build_slides

from recsys_workshop import data

REPO_ROOT = Path(__file__).resolve().parents[1]
# CI clones the project with shared/ beside it: <repo root>/../shared/data.
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def _find_retail_data_home() -> tuple[Path | None, list[str]]:
    """Return the first folder that holds the cached table, and where it looked."""
    candidates: list[Path] = []
    env = os.environ.get(data.DATA_ENV_VAR, "")
    if env.strip():
        candidates.append(Path(env).expanduser())
    candidates.append(SHARED_DATA)
    candidates.append(data.data_home())
    for folder in candidates:
        if data.is_cached(folder):
            return folder, [str(c) for c in candidates]
    return None, [str(c) for c in candidates]


@pytest.fixture(scope="session")
def retail_data_home() -> Path:
    """Folder holding the real ``online-retail.parquet``; skips the test when absent."""
    folder, looked = _find_retail_data_home()
    if folder is None:
        pytest.skip(
            f"real Online Retail data not found (looked for {data.PARQUET_NAME} in: "
            + ", ".join(looked)
            + f"); run `make data` or set {data.DATA_ENV_VAR}"
        )
    return folder


@pytest.fixture(scope="session")
def optional_retail_data_home() -> Path | None:
    """Folder holding the real table, or ``None`` when it is absent (never skips)."""
    return _find_retail_data_home()[0]


@pytest.fixture(scope="session")
def retail(retail_data_home: Path) -> pd.DataFrame:
    """The real Online Retail table, loaded once per session (never downloaded).

    Tests must not modify it: copy it first.
    """
    return data.load_online_retail(retail_data_home, download=False)


@pytest.fixture(scope="session")
def slide_deck(retail_data_home: Path) -> Path:
    """``slides/_build/index.html``, built once per test session as `make slides` builds it.

    Skips when node or npm is missing (reveal.js and KaTeX come from npm) or the
    real data is absent (two figures are computed from it).
    """
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not found: building the slides needs Node.js "
                    "and npm (reveal.js and KaTeX are installed from npm)")
    result = build_slides({**os.environ, "RECSYS_WORKSHOP_DATA": str(retail_data_home)})
    assert result.returncode == 0, f"slides/build.py failed:\n{result.stdout}\n{result.stderr}"
    return SLIDE_DECK
