"""The recommender core imports no I/O library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("asyncpg", "redis", "aiohttp", "spotipy")


def test_recommender_imports_no_io_library():
    modules = sorted(p.stem for p in (ROOT / "recommender").glob("*.py") if p.stem != "__init__")
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('recommender.' + name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "engine" in modules and "evaluation" in modules
    assert result.stdout.strip() == "", f"recommender/ pulled in: {result.stdout.strip()}"
