"""A recommended track's score in plain words, from its breakdown.

Works on the JSON-ready track (``Recommendations.to_dicts``), so the same words explain a
fresh list and one read back from a session's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# component -> (the weight it is multiplied by, what it means)
_COMPONENTS = {
    "history_similarity": ("history", "how close it is to what you already play"),
    "personality_match": ("personality", "how well it suits your personality profile"),
    "diversity_bonus": ("diversity", "how much it differs from the tracks above it"),
    "novelty_factor": ("novelty", "how new it is to you (new artist, less popular)"),
    "popularity": ("popular", "how popular it is (helps while your account is new)"),
    "mood_match": ("mood", "how well it fits the mood you asked for"),
}
_HISTORY_PARTS = {
    "content": "sounds like your top tracks",
    "artist": "an artist you play",
    "album": "from an album you play",
    "artist_cf": "its artist goes with artists you play",
    "year": "from the years you play",
    "collaborative": "listeners with similar tracks also have it",
}
_STAGES = {
    "week1": "stage week 1: personality and popularity lead",
    "weeks2_4": "stage weeks 2-4: personality leads and history follows",
    "month2_plus": "stage month 2+: history and personality share the lead",
}


def explain_track(track: Mapping[str, Any]) -> str:
    """Why a track is in the list: each weighted component with its numbers, biggest first."""
    breakdown = track["breakdown"]
    components, weights = breakdown["components"], breakdown["weights"]
    parts = []
    for name, (weight_key, words) in _COMPONENTS.items():
        weight = float(weights.get(weight_key, 0.0))
        if name not in components or weight <= 0:
            continue
        value = float(components[name])
        parts.append((weight * value, f"{words}: {value:.2f} × weight {weight:.2f} = "
                                      f"{weight * value:.3f}"))
    parts.sort(key=lambda p: -p[0])
    lines = [f"#{track['position']} \"{track['name']}\" by {track['artists']} scored "
             f"{track['score']:.3f}."]
    lines += [f"- {text}" for _, text in parts]
    strong = [words for part, words in _HISTORY_PARTS.items()
              if float(breakdown.get("history_parts", {}).get(part, 0.0)) >= 0.5]
    if strong and float(weights.get("history", 0.0)) > 0:
        lines.append("- from your history: " + "; ".join(strong))
    rl = float(breakdown.get("rl_adjustment", 0.0))
    if abs(rl) >= 0.0005:
        lines.append(f"- your feedback {'raised' if rl > 0 else 'lowered'} it by {abs(rl):.3f}")
    else:
        lines.append("- your feedback has not moved it (RL term 0.000)")
    stage = breakdown.get("stage")
    if stage in _STAGES:
        reason = breakdown.get("stage_reason")
        lines.append(f"({_STAGES[stage]}" + (f"; chosen by {reason}" if reason else "") + ".)")
    return "\n".join(lines)
