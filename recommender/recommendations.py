"""What `Recommender.recommend` returns: the list, each track's score breakdown, and how the
list was made (stage, weights, candidate sources)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender.catalog import Catalog
from recommender.mood import MoodTargets
from recommender.request import EMPTY_ROWS

COMPONENTS: tuple[str, ...] = (
    "history_similarity",
    "personality_match",
    "diversity_bonus",
    "novelty_factor",
    "popularity",
    "rl_adjustment",
)


@dataclass(frozen=True, eq=False)
class Recommendations:
    rows: np.ndarray  # int64, the list in order (len ≤ k)
    final: np.ndarray  # float64 final score per chosen track
    components: dict[str, np.ndarray]  # per chosen track; [0, 1] except rl_adjustment
    weights: dict[str, float]  # the weights applied
    stage: str  # "week1" | "weeks2_4" | "month2_plus"
    candidate_sources: dict[str, int]  # tracks of the pool each source proposed
    total_candidates: int  # the pool after de-duplication
    state: str  # the RL state of this request
    mood: MoodTargets | None = None
    history_parts: dict[str, np.ndarray] = field(default_factory=dict)
    clusters: np.ndarray = field(default_factory=lambda: EMPTY_ROWS)  # RL cluster per track
    stage_reason: str = ""  # which rule chose the stage (account age or evidence)
    ranker: str = "hand-weighted"  # how history similarity was scored: "learned" or this

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def to_dicts(self, catalog: Catalog) -> list[dict[str, Any]]:
        """JSON-ready tracks, each with its score breakdown."""
        out = []
        for i, row in enumerate(self.rows.tolist()):
            pop = float(catalog.popularity[row])
            year = int(catalog.release_year[row])
            out.append(
                {
                    "position": i + 1,
                    "track_id": str(catalog.track_ids[row]),
                    "name": str(catalog.names[row]),
                    "artists": str(catalog.artists[row]),
                    "album": str(catalog.albums[row]),
                    "genres": sorted(catalog.genres[row]),
                    "release_year": year or None,
                    "popularity": None if np.isnan(pop) else round(pop, 1),
                    "score": round(float(self.final[i]), 6),
                    "breakdown": {
                        "components": {
                            k: round(float(v[i]), 6) for k, v in self.components.items()
                        },
                        "history_parts": {
                            k: round(float(v[i]), 6) for k, v in self.history_parts.items()
                        },
                        "weights": dict(self.weights),
                        "rl_adjustment": round(float(self.components["rl_adjustment"][i]), 6),
                        "stage": self.stage,
                        "stage_reason": self.stage_reason,
                        "ranker": self.ranker,
                    },
                    "cluster": int(self.clusters[i]) if self.clusters.size else None,
                }
            )
        return out
