"""The ``personality`` tool: show the Big Five profile, or set some of its traits."""

from __future__ import annotations

from langchain.tools import ToolRuntime, tool

from recommender.personality import TRAIT_NAMES, PersonalityInputError, traits_from_scores
from store import profile
from tools.context import ChatContext


def _describe(traits: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.2f}" for name, value in traits.items())


async def personality_profile(ctx: ChatContext, *, action: str,
                              values: dict[str, float | None], scale: str = "1-5") -> str:
    given = {k: v for k, v in values.items() if v is not None}
    args: dict[str, object] = {"action": action, **given}
    if scale != "1-5":
        args["scale"] = scale
    current = await profile.latest_personality(ctx.services.pool, ctx.user.id)
    if action == "show" or not given:
        summary = ("Your personality profile (1-5): " + _describe(current["traits"]) + "."
                   if current else
                   "You have no personality profile yet; tell me about yourself, e.g. "
                   "\"I'm very outgoing and a bit anxious\".")
        ctx.record("personality", args, summary)
        return summary
    merged = dict(current["traits"]) if current else dict.fromkeys(
        TRAIT_NAMES, ctx.services.settings.recommender.personality.neutral)
    try:
        # the new values on their declared scale, the kept ones already on 1-5
        new = traits_from_scores({**dict.fromkeys(TRAIT_NAMES, 0 if scale == "0-100" else 1),
                                  **given}, scale=scale)
        merged.update({k: getattr(new, k) for k in given})
        traits = traits_from_scores(merged)
    except PersonalityInputError as exc:
        summary = f"I could not set that: {exc}"
        ctx.record("personality", args, summary)
        return summary
    stored = await ctx.services.set_personality(ctx.user, traits, source="chat")
    summary = ("Updated your personality profile (1-5): " + _describe(stored["traits"])
               + ". Your next list will use it.")
    ctx.record("personality", args, summary)
    return summary


@tool
async def personality(
    runtime: ToolRuntime[ChatContext],
    action: str = "show",
    openness: float | None = None,
    conscientiousness: float | None = None,
    extraversion: float | None = None,
    agreeableness: float | None = None,
    neuroticism: float | None = None,
    scale: str = "1-5",
) -> str:
    """Show the user's Big Five personality profile, or set some traits from what they say.

    Use "show" for "what's my personality?"; use "set" with the traits the user described
    ("I'm very outgoing and a bit anxious" -> extraversion 4.5, neuroticism 3.75).
    Traits not given keep their current value.

    Args:
        action: "show" or "set".
        openness: 1 (conventional) to 5 (curious, creative).
        conscientiousness: 1 (spontaneous) to 5 (organised).
        extraversion: 1 (reserved) to 5 (outgoing).
        agreeableness: 1 (challenging) to 5 (kind, easygoing).
        neuroticism: 1 (calm, secure) to 5 (anxious, moody).
        scale: the scale of the values given: "1-5" (default) or "0-100" when the user
            gave percentages. A value outside the scale is refused, never rescaled.
    """
    return await personality_profile(runtime.context, action=action, values={
        "openness": openness, "conscientiousness": conscientiousness,
        "extraversion": extraversion, "agreeableness": agreeableness,
        "neuroticism": neuroticism,
    }, scale=scale)
