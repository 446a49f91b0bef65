"""Q-learning from feedback, as pure functions; the table itself lives in Postgres.

State: the coarse context of a request (see ``mood.mood_state``: "default" or the
energy/valence quadrant of its mood). Actions: a track's audio cluster ("cluster:<n>") and
the track itself ("track:<id>"). A feedback signal on a track updates both of its actions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from recommender.config import RLSettings


class UnknownSignalError(ValueError):
    def __init__(self, signal: str, known: list[str]) -> None:
        super().__init__(f"unknown feedback signal {signal!r}; expected one of {', '.join(known)}")
        self.signal = signal


def q_update(q: float, reward: float, max_next_q: float, alpha: float, gamma: float) -> float:
    """Q(s,a) ← Q(s,a) + α·(r + γ·max_a′ Q(s′,a′) − Q(s,a))."""
    return q + alpha * (reward + gamma * max_next_q - q)


def reward_for(signal: str, rl: RLSettings) -> float:
    """The configured reward of a feedback signal ("like", "skip", …)."""
    try:
        return float(rl.rewards[signal])
    except KeyError:
        raise UnknownSignalError(signal, sorted(rl.rewards)) from None


def cluster_action(cluster: int) -> str:
    return f"cluster:{int(cluster)}"


def track_action(track_id: str) -> str:
    return f"track:{track_id}"


def actions_for_row(
    cluster_labels: np.ndarray, track_ids: Sequence[str] | np.ndarray, row: int
) -> list[str]:
    """The actions a feedback signal on a catalogue row updates."""
    return [cluster_action(cluster_labels[row]), track_action(str(track_ids[row]))]


class RowLookup(Protocol):
    """Anything that finds a track's row by id (a dict, ``Catalog.row_of``)."""

    def get(self, track_id: str, /) -> int | None: ...


def rl_adjustment(
    q_values: Mapping[str, float] | None,
    rows: np.ndarray,
    cluster_labels: np.ndarray,
    row_of: RowLookup,
    bound: float,
    q_scale: float,
) -> np.ndarray:
    """Per row: bound·tanh((Q(cluster) + Q(track)) / q_scale), strictly inside ±bound."""
    out = np.zeros(rows.shape[0], dtype=np.float64)
    if not q_values or rows.size == 0:
        return out
    n_clusters = int(cluster_labels.max()) + 1 if cluster_labels.size else 0
    cluster_q = np.zeros(max(n_clusters, 1), dtype=np.float64)
    track_q: dict[int, float] = {}
    for action, q in q_values.items():
        kind, _, key = action.partition(":")
        if not np.isfinite(q):
            continue
        if kind == "cluster" and key.isdigit() and int(key) < n_clusters:
            cluster_q[int(key)] = q
        elif kind == "track":
            row = row_of.get(key)
            if row is not None:
                track_q[row] = q
    total = cluster_q[cluster_labels[rows]]
    if track_q:
        total = total + np.array([track_q.get(int(r), 0.0) for r in rows])
    return bound * np.tanh(total / q_scale)
