"""The ``explain`` tool: why a track of the list is there, in plain words with numbers."""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool

from tools.context import ChatContext
from tools.shown import TrackNotFound, resolve, shown_tracks

_COMPONENTS = {
    "history_similarity": ("history", "how close it is to what you already play"),
    "personality_match": ("personality", "how well it suits your personality profile"),
    "diversity_bonus": ("diversity", "how much it differs from the tracks above it"),
    "novelty_factor": ("novelty", "how new it is to you (new artist, less popular)"),
    "popularity": ("popular", "how popular it is (helps while your account is new)"),
    "mood_match": ("mood", "how well it fits the mood you asked for"),
}
_STAGES = {
    "week1": "your account is in its first week, so personality and popularity lead",
    "weeks2_4": "your account is 1-4 weeks old, so personality leads and history follows",
    "month2_plus": "your account is over a month old, so history and personality share the lead",
}


def explain_track(track: dict[str, Any]) -> str:
    """Plain words for one track's score breakdown."""
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
    lines = [f"#{track['position']} \"{track['name']}\" by {track['artists']} scores "
             f"{track['score']:.3f}."]
    lines += [f"- {text}" for _, text in parts]
    rl = float(breakdown.get("rl_adjustment", 0.0))
    if abs(rl) >= 0.0005:
        lines.append(f"- your feedback {'raised' if rl > 0 else 'lowered'} it by {abs(rl):.3f}")
    else:
        lines.append("- your feedback has not moved it (RL term 0.000)")
    stage = breakdown.get("stage")
    if stage in _STAGES:
        lines.append(f"({_STAGES[stage]}.)")
    return "\n".join(lines)


async def explain_reference(ctx: ChatContext, *, track: str) -> str:
    tracks, _ = await shown_tracks(ctx)
    try:
        chosen = resolve(tracks, track)
        summary = explain_track(chosen)
    except TrackNotFound as exc:
        summary = str(exc)
    ctx.record("explain", {"track": track}, summary)
    return summary


@tool
async def explain(runtime: ToolRuntime[ChatContext], track: str) -> str:
    """Explain why a track is in the user's list: its score components with the numbers.

    Use it for "why number 4?", "why did you pick X?", "explain the third one".

    Args:
        track: the track's position in the list ("4"), its name, or its id.
    """
    return await explain_reference(runtime.context, track=track)
