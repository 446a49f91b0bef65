"""Big Five traits, stated as scores ("openness 80") or described ("I'm very outgoing")."""

from __future__ import annotations

import re

from bot.agent.intent.context import ToolRequest
from bot.agent.intent.words import _MOOD, _alternation, lookup

_TRAIT_NAMES = {
    "openness": "openness", "open-mindedness": "openness",
    "conscientiousness": "conscientiousness", "extraversion": "extraversion",
    "extroversion": "extraversion", "agreeableness": "agreeableness",
    "neuroticism": "neuroticism", "emotional stability": "stability",
}
PERSONALITY_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "extraversion": (
        ("outgoing", "extroverted", "extraverted", "an extrovert", "extrovert", "sociable",
         "social", "talkative", "a people person", "bubbly", "chatty", "gregarious",
         "the life of the party", "a social butterfly", "a party animal", "lively",
         "friendly with everyone", "a chatterbox"),
        ("introverted", "an introvert", "introvert", "shy", "reserved", "quiet", "a loner",
         "a homebody", "private", "an introvert at heart", "quiet person", "antisocial",
         "anti-social", "withdrawn", "solitary", "a bookworm"),
    ),
    "openness": (
        ("curious", "creative", "imaginative", "adventurous", "open-minded", "open minded",
         "artistic", "open to new things", "inventive", "a dreamer", "experimental",
         "open to new experiences", "open to new ideas", "open to anything", "inquisitive",
         "philosophical", "intellectual", "a thinker", "artsy", "eclectic", "quirky",
         "unconventional"),
        ("traditional", "conventional", "set in my ways", "practical", "down to earth",
         "old-fashioned", "old fashioned", "a creature of habit", "routine-oriented",
         "close-minded", "closed-minded", "narrow-minded"),
    ),
    "conscientiousness": (
        ("organised", "organized", "disciplined", "tidy", "neat", "hardworking", "hard-working",
         "responsible", "reliable", "punctual", "a planner", "thorough", "diligent",
         "meticulous", "efficient", "careful", "a perfectionist", "ambitious", "driven",
         "hard working", "methodical", "dependable", "a hard worker", "goal-oriented"),
        ("disorganised", "disorganized", "messy", "lazy", "careless", "chaotic",
         "a procrastinator", "scatterbrained", "forgetful", "spontaneous", "unreliable",
         "impulsive", "unorganized", "unorganised", "a slacker", "all over the place"),
    ),
    "agreeableness": (
        ("easygoing", "easy-going", "easy going", "kind", "friendly", "warm", "cooperative",
         "trusting", "compassionate", "helpful", "nice", "considerate", "generous", "polite",
         "agreeable", "empathetic", "caring", "patient", "soft-hearted", "a people pleaser",
         "forgiving"),
        ("competitive", "stubborn", "critical", "blunt", "grumpy", "argumentative", "rude",
         "sceptical", "skeptical", "selfish", "impatient", "confrontational", "cynical",
         "hot-headed", "hot headed"),
    ),
    "neuroticism": (
        ("anxious", "nervous", "worried", "a worrier", "stressed", "easily stressed", "tense",
         "moody", "emotional", "insecure", "sensitive", "highly strung", "neurotic", "on edge",
         "an overthinker", "overthinking", "an anxious person", "a nervous wreck",
         "easily upset", "temperamental", "self-conscious"),
        ("calm", "relaxed", "laid back", "laid-back", "stable", "emotionally stable",
         "even-tempered", "level-headed", "chill", "secure", "unflappable", "confident",
         "resilient", "carefree", "cool-headed", "cool headed", "unbothered"),
    ),
}
_STRONG = r"extremely|incredibly|super|really|very|so|highly|totally|definitely|way too"
_MILD = r"a bit|a little bit|a little|slightly|somewhat|kind of|kinda|sort of|mildly|fairly|rather"
_MEDIUM = r"quite|pretty"
_SELF = re.compile(
    r"\b(?:i'm|i am|i'd say i'm|i tend to be|i consider myself|people say i'm|"
    r"my friends say i'm|i'm generally|i'm usually)\b"
)
_NOT_A_TRAIT = re.compile(
    r"\b(?:feeling|feel|mood|today|tonight|right now|at the moment|play|songs?|tracks?|music|"
    r"something|recommend|looking for|listening|in the|after|for a)\b"
)
_TRAITS = _alternation(list(_TRAIT_NAMES))
# the words between a trait and its score or level: "my agreeableness is like a 4",
# "openness: maybe 3", "bump my openness up to 4", "make my extraversion high"
_BETWEEN = (r"(?:\s*(?:[:=]|\b(?:score|is|at|to|of|as|should|would|must|be|like|a|an|about|"
            r"around|maybe|probably|up|down|roughly|set|level|rating)\b))*\s*")
_SCORE_WORDS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0}
_VALUE = r"(?P<value>\d+(?:\.\d+)?|one|two|three|four|five)\b"
_PERCENT = r"(?P<percent>\s*(?:%|percent\b|/\s*100\b|out of 100\b))?"
_TRAIT_SCORE = re.compile(rf"\b(?P<trait>{_TRAITS})\b{_BETWEEN}{_VALUE}{_PERCENT}")
# a trait given a value that is no score: "set my openness to nan", "… to -0", "… to 1e309"
ODD_TRAIT_SCORE = re.compile(
    rf"\b(?P<trait>{_TRAITS})\b{_BETWEEN}(?P<value>[-+]\s*\d[\d.]*|[-+]?(?:nan|inf(?:inity)?)\b|"
    r"\d+(?:\.\d+)?e[-+]?\d+\b)")
# a score before its trait: "put me at 5 for extraversion", "rate me 4 on openness"
_SCORE_TRAIT = re.compile(rf"\b{_VALUE}{_PERCENT}\s+(?:for|on|in)\s+(?:my\s+)?"
                          rf"(?P<trait>{_TRAITS})\b")
_TRAIT_LEVEL = re.compile(
    rf"\b(?P<level>very high|very low|high|low|average|medium|neutral)\s+"
    rf"(?P<trait>{_TRAITS})\b|"
    rf"\b(?P<trait_first>{_TRAITS})\b{_BETWEEN}"
    rf"(?P<level_after>very high|very low|high|low|average|medium|neutral)\b"
)
_LEVELS = {"very high": 5.0, "high": 4.5, "average": 3.0, "medium": 3.0, "neutral": 3.0,
           "low": 1.5, "very low": 1.0}
_SHOW_PERSONALITY = re.compile(
    r"\b(?:personality|big five|big 5|my traits|my profile|personality profile)\b"
)


def _trait_phrase_pattern() -> re.Pattern[str]:
    words = [w for high, low in PERSONALITY_WORDS.values() for w in (*high, *low)]
    return re.compile(
        rf"\b(?P<neg>not\s+)?(?:(?P<strong>{_STRONG})\s+|(?P<mild>{_MILD})\s+|"
        rf"(?P<medium>{_MEDIUM})\s+)?(?:an?\s+)?(?P<word>{_alternation(words)})\b"
    )


_TRAIT_PHRASE_WORDS = {
    w: (trait, sign)
    for trait, (high, low) in PERSONALITY_WORDS.items()
    for sign, group in ((1, high), (-1, low))
    for w in group
}


def _trait_scale(value: float, percent: bool) -> float | None:
    """A score said as a percentage ("80%", "80/100") mapped onto 1–5; any other number is
    taken on 1–5 as it is (the tool refuses one outside 1–5: nothing is guessed)."""
    if percent:
        return round(1 + 4 * value / 100, 2) if 0 <= value <= 100 else None
    return value


def _explicit_traits(text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for match in (*_TRAIT_SCORE.finditer(text), *_SCORE_TRAIT.finditer(text)):
        said = match["value"]
        value = _trait_scale(_SCORE_WORDS.get(said) or float(said), bool(match["percent"]))
        if value is not None:
            scores[lookup(_TRAIT_NAMES, match["trait"])] = value
    for match in _TRAIT_LEVEL.finditer(text):
        trait = match["trait"] or match["trait_first"]
        scores.setdefault(lookup(_TRAIT_NAMES, trait),
                          _LEVELS[match["level"] or match["level_after"]])
    if "stability" in scores:  # emotional stability is neuroticism turned around
        scores["neuroticism"] = 6 - scores.pop("stability")
    return scores


def _pull(match: re.Match[str]) -> float:
    """How far from neutral (3) a described trait sits: "very" 1.5, "a bit" 0.75."""
    if match["neg"]:  # "not very outgoing" is a little introverted; "not shy" is outgoing
        return 0.75 if match["strong"] else 1.0
    return 1.5 if match["strong"] else 0.75 if match["mild"] else 1.25 if match["medium"] else 1.0


def _described_traits(text: str) -> dict[str, float]:
    """'I'm very outgoing and a bit anxious' → extraversion 4.5, neuroticism 3.75."""
    found: dict[str, list[float]] = {}
    for match in _TRAIT_PHRASE.finditer(text):
        trait, sign = lookup(_TRAIT_PHRASE_WORDS, match["word"])
        pull = _pull(match)
        sign = -sign if match["neg"] else sign
        found.setdefault(trait, []).append(min(5.0, max(1.0, 3 + sign * pull)))
    return {trait: round(sum(v) / len(v), 2) for trait, v in found.items()}


_TRAIT_PHRASE = _trait_phrase_pattern()


def read_personality(text: str) -> ToolRequest | None:
    traits = _explicit_traits(text)
    if not traits and _SELF.search(text) and not _NOT_A_TRAIT.search(text):
        traits = _described_traits(text)
    if traits:
        return ToolRequest("personality", {"action": "set", **dict(sorted(traits.items()))})
    if _SHOW_PERSONALITY.search(text) and not _MOOD.search(text):
        return ToolRequest("personality", {"action": "show"})
    return None
