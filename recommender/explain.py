"""A recommended track's score in plain words, from its breakdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recommender.catalog import Catalog

if TYPE_CHECKING:
    from recommender.engine import Recommendations

_LABELS = {
    "history_similarity": "how close it is to what you already play",
    "personality_match": "how well it fits your personality profile",
    "diversity_bonus": "how different it is from the tracks above it in the list",
    "novelty_factor": "novelty (new artists, less popular tracks)",
    "popularity": "popularity",
    "mood_match": "how well it fits the mood you asked for",
}
_PARTS = {
    "content": "sounds like your top tracks",
    "artist": "an artist you play",
    "collaborative": "listeners with similar tracks also have it",
}


def _level(value: float) -> str:
    return "high" if value >= 0.67 else "medium" if value >= 0.33 else "low"


def explain_track(catalog: Catalog, recs: Recommendations, position: int) -> str:
    """Why the track at ``position`` (0-based) is in the list, in a few sentences."""
    if not 0 <= position < len(recs.rows):
        raise IndexError(f"position {position + 1} is not in a list of {len(recs.rows)}")
    row = int(recs.rows[position])
    title = f"“{catalog.names[row]}” by {catalog.artists[row]}"
    lines = [
        f"#{position + 1} {title} scored {recs.final[position]:.3f} "
        f"({recs.stage.replace('_', ' ')} weights)."
    ]
    contributions = []
    for name, label in _LABELS.items():
        weight = recs.weights.get("popular" if name == "popularity" else name.split("_")[0], 0.0)
        if name == "mood_match":
            weight = recs.weights.get("mood", 0.0)
        if name not in recs.components or weight <= 0:
            continue
        value = float(recs.components[name][position])
        contributions.append(
            (weight * value, f"{label}: {_level(value)} ({value:.2f} × weight {weight:.2f})")
        )
    contributions.sort(key=lambda c: -c[0])
    lines.extend(text for _, text in contributions)
    if recs.history_parts:
        strong = [
            _PARTS[p]
            for p, v in recs.history_parts.items()
            if float(v[position]) >= 0.5 and p in _PARTS
        ]
        if strong:
            lines.append("From your history: " + "; ".join(strong) + ".")
    rl = float(recs.components["rl_adjustment"][position])
    if abs(rl) >= 0.001:
        lines.append(f"Your feedback {'raised' if rl > 0 else 'lowered'} it by {abs(rl):.3f}.")
    return "\n".join(lines)
