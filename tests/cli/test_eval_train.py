"""`tunemate train` and `tunemate eval` on a slice of the dev playlists: a model is saved with
its version and date, eval uses it, and the lists it writes recompute its figures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from store import db
from tests.conftest import dev_csv_or_skip
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rows of 40 dev playlists (a small catalogue of the same kind)."""
    source = dev_csv_or_skip()
    out = tmp_path_factory.mktemp("dev") / "small.csv"
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        fields = reader.fieldnames
    keep = list(dict.fromkeys(r["playlist_id"] for r in rows))[:: 8][:40]
    wanted = set(keep)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields or [])
        writer.writeheader()
        writer.writerows(r for r in rows if r["playlist_id"] in wanted)
    return out


def test_train_then_eval_with_the_model_and_lists_out(small_csv: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    trained = run_cli(["--data-dir", str(data_dir), "train", "--catalog", str(small_csv)], {},
                      timeout=600)
    assert trained.returncode == 0, trained.stderr
    header = json.loads((data_dir / "ranker" / "model.json").read_text())
    assert header["version"] >= 1 and header["trained_at"].startswith("20")
    assert header["meta"]["listeners"] >= 30
    # the second stage, fitted on out-of-fold scores of five groups, is saved beside it
    assert header["stage"]["feature_names"] and header["meta"]["stage"]["fitted"]
    assert header["meta"]["stage"]["depth"] <= 6
    with np.load(data_dir / "ranker" / "model.npz", allow_pickle=False) as arrays:
        assert "stage_roots" in arrays.files

    lists, result_json = tmp_path / "lists.json", tmp_path / "result.json"
    ran = run_cli(["eval", "--catalog", str(small_csv), "--users", str(small_csv),
                   "--model", str(data_dir), "--lists-out", str(lists),
                   "--json", str(result_json)], {}, timeout=600)
    assert ran.returncode == 0, ran.stderr
    assert "history score: learned" in ran.stdout
    result = json.loads(result_json.read_text())
    written = json.loads(lists.read_text())
    assert written["k"] == 50 and written["seed"] == 0
    assert len(written["playlists"]) == result["playlists"]
    recalls = []
    for entry in written["playlists"]:
        assert set(entry) == {"playlist_id", "visible", "hidden", "recommended"}
        assert len(entry["recommended"]) == 50
        assert len(set(entry["recommended"])) == 50
        assert not set(entry["recommended"]) & set(entry["visible"])
        hidden = set(entry["hidden"])
        recalls.append(len(hidden & set(entry["recommended"])) / len(hidden))
    # the figure recomputed from the written lists is the reported one
    assert result["methods"]["tunemate"]["recall@50"] == pytest.approx(np.mean(recalls),
                                                                      abs=1e-4)
    # the leak check sits beside the metrics
    assert 0 <= result["catalog_in_no_training_playlist"] < 1
    assert "in_no_training_playlist" in result["methods"]["tunemate"]
    assert result["methods"]["tunemate"]["min_new_artist_share"] >= 0.2


def test_eval_cross_fitted_scores_every_playlist_with_a_model_that_never_saw_it(
        small_csv: Path, tmp_path: Path) -> None:
    result_json = tmp_path / "result.json"
    ran = run_cli(["eval", "--catalog", str(small_csv), "--users", str(small_csv),
                   "--folds", "2", "--json", str(result_json)], {}, timeout=600)
    assert ran.returncode == 0, ran.stderr
    assert "fold 2/2: training on" in ran.stdout
    assert "inner fit" not in ran.stdout  # two folds: no inner groups, the first stage alone
    result = json.loads(result_json.read_text())
    assert result["folds"] == 2 and result["ranker"].startswith("learned, cross-fitted")
    assert result["methods"]["tunemate"]["min_new_artist_share"] >= 0.2
    refused = run_cli(["eval", "--catalog", str(small_csv), "--users", str(small_csv),
                       "--folds", "2", "--train-fraction", "0.5"], {}, timeout=120)
    assert refused.returncode != 0


async def test_catalog_import_keeps_playlists_and_train_reads_the_database(
    small_csv: Path, fresh_database: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": fresh_database}
    imported = run_cli(["catalog", "import", str(small_csv)], env, timeout=300)
    assert imported.returncode == 0, imported.stderr
    conn = await db.connect(fresh_database)
    try:
        playlists = await conn.fetchval(
            "SELECT count(DISTINCT playlist_id) FROM playlist_tracks")
    finally:
        await conn.close()
    assert playlists == 40
    trained = run_cli(["--data-dir", str(tmp_path), "train"], env, timeout=600)
    assert trained.returncode == 0, trained.stderr
    assert "(database)" in trained.stdout
    assert (tmp_path / "ranker" / "model.npz").is_file()
