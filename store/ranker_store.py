"""The learned ranker on disk: ``<data_dir>/ranker/model.json`` (version, training date,
feature names, what it was trained on) beside ``model.npz`` (the trees' node arrays).
Plain JSON and numpy arrays, read with ``allow_pickle=False``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from recommender.ranker import TreeRanker

RANKER_DIR = "ranker"


def ranker_paths(data_dir: Path) -> tuple[Path, Path]:
    folder = Path(data_dir) / RANKER_DIR
    return folder / "model.json", folder / "model.npz"


def save_ranker(data_dir: Path, ranker: TreeRanker) -> Path:
    """Write the model (arrays first, then the header, each replaced atomically)."""
    header_path, arrays_path = ranker_paths(data_dir)
    header_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_arrays = arrays_path.with_suffix(".tmp.npz")
    np.savez(tmp_arrays, **ranker.arrays())  # type: ignore[arg-type]
    os.replace(tmp_arrays, arrays_path)
    tmp_header = header_path.with_suffix(".tmp")
    tmp_header.write_text(json.dumps(ranker.header(), indent=2) + "\n")
    os.replace(tmp_header, header_path)
    return header_path


def load_ranker(data_dir: Path) -> TreeRanker | None:
    """The saved model, or None when there is none. A model that does not fit this code
    (another version or feature set) raises ``ValueError``."""
    header_path, arrays_path = ranker_paths(data_dir)
    if not header_path.is_file() or not arrays_path.is_file():
        return None
    header = json.loads(header_path.read_text())
    with np.load(arrays_path, allow_pickle=False) as arrays:
        return TreeRanker.from_parts(header, {k: arrays[k] for k in arrays.files})
