"""Building the slide deck from the tests, exactly as ``make slides`` does."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: What `make slides` runs, and the deck it writes.
BUILD_SCRIPT = ROOT / "slides" / "build.py"
SLIDE_DECK = ROOT / "slides" / "_build" / "index.html"


def build_slides(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``slides/build.py`` with this interpreter, ``env`` and ``arguments``."""
    return subprocess.run([sys.executable, str(BUILD_SCRIPT), *arguments], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
