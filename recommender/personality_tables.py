"""The per-catalogue personality tables: how each track aligns with each trait, and per trait
and direction the rows it pulls hardest toward. Built on first use and then only read."""

from __future__ import annotations

import numpy as np

from recommender.config import RecommenderSettings
from recommender.genres import GenreIndex
from recommender.index import CatalogIndex
from recommender.personality import (
    TRAIT_NAMES,
    combine_alignment,
    genre_alignment,
    personality_match,
)


class PersonalityTables:
    def __init__(
        self,
        n_tracks: int,
        index: CatalogIndex,
        genres: GenreIndex,
        settings: RecommenderSettings,
        *,
        alignment: np.ndarray | None = None,
        poles: dict[tuple[int, int], np.ndarray] | None = None,
    ) -> None:
        """``alignment`` and ``poles``, when given, are tables built earlier for the same
        catalogue and settings (e.g. memory-mapped from files); otherwise built on first use."""
        self.n_tracks = n_tracks
        self.index = index
        self.genres = genres
        self.settings = settings
        self._alignment: np.ndarray | None = alignment
        self._poles: dict[tuple[int, int], np.ndarray] | None = poles

    def alignment(self) -> np.ndarray:
        if self._alignment is None:
            genre_part = genre_alignment(self.genres, self.settings.personality)
            self._alignment = combine_alignment(self.index.audio_alignment, genre_part)
        return self._alignment

    def poles(self) -> dict[tuple[int, int], np.ndarray]:
        """Per trait and direction (+1/−1), the rows that trait pulls hardest toward."""
        if self._poles is None:
            alignment = self.alignment()
            size = min(self.n_tracks, max(1, self.settings.candidates.scan_budget // 2))
            poles = {}
            for t in range(len(TRAIT_NAMES)):
                for sign in (1, -1):
                    col = sign * alignment[:, t]
                    if size < col.size:
                        top = np.argpartition(-col, size - 1)[:size]
                    else:
                        top = np.arange(col.size)
                    poles[(t, sign)] = np.sort(top).astype(np.int64)
            self._poles = poles
        return self._poles

    def match(self, rows: np.ndarray, deviations: np.ndarray) -> np.ndarray:
        """The personality match of rows; 0.5 for everyone when no trait deviates."""
        if not np.any(deviations != 0.0):
            return np.full(rows.shape[0], 0.5)
        return personality_match(self.alignment()[rows], deviations)
