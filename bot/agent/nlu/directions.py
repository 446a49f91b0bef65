"""Words that say which way to order a list or bound a new one, beyond mood: how well known
the songs are, how old, how fast.

The mood marks (``features.mark_moods``) tell "sleepier" from "perkier" by the recommender's
mood table; these marks do the same for popularity ("niche", "under the radar" → POPLOW;
"chart-topping", "crowd pleasers" → POPHIGH), release year (ERAOLD, ERANEW) and tempo
(TEMPOFAST, TEMPOSLOW), so a reordering or bound in words the corpus never had still says
which way it points. A mark is turned around within three words after a negator or "less"
("less famous" → POPLOW, "not so old" → ERANEW).
"""

from __future__ import annotations

import re
from functools import lru_cache

DIRECTION_MARKS = ("POPLOW", "POPHIGH", "ERAOLD", "ERANEW", "TEMPOFAST", "TEMPOSLOW",
                   "BYPOPULARITY", "BYYEAR", "BYTEMPO")
_TURNED = {"POPLOW": "POPHIGH", "POPHIGH": "POPLOW", "ERAOLD": "ERANEW", "ERANEW": "ERAOLD",
           "TEMPOFAST": "TEMPOSLOW", "TEMPOSLOW": "TEMPOFAST"}

_WORDS = {
    "POPLOW": (
        "obscure", "obscurer", "underground", "unknown", "niche", "rare", "rarer", "rarest",
        "undiscovered", "unheard", "underrated", "unsung", "overlooked", "forgotten",
        "fringe", "esoteric", "leftfield", "left-field", "uncommon", "unfamiliar",
        "lesser-known", "lesser known", "little-known", "little known", "least known",
        "least popular", "least famous", "least streamed", "under the radar",
        "under-the-radar", "off the radar", "off the beaten path", "off the beaten track",
        "deep cuts", "deeper cuts", "deepest cuts", "hidden gems", "hidden gem", "b-sides",
        "b sides", "cult", "cult classics", "nobody knows", "no one knows",
        "nobody has heard", "never heard of", "not well known", "not famous", "unpopular",
    ),
    "POPHIGH": (
        "popular", "famous", "mainstream", "hits", "hit", "chart", "charts", "charting",
        "chart-topping", "chart topping", "chart toppers", "chart-toppers", "well-known",
        "well known", "best known", "most known", "biggest", "massive hits", "huge hits",
        "smash hits", "smashes", "anthems", "radio", "radio-friendly", "viral", "trending",
        "streamed", "most streamed", "bestselling", "best-selling", "best selling", "iconic",
        "everyone knows", "everybody knows", "crowd pleasers", "crowd-pleasers",
        "crowd pleaser", "commercial", "household names", "famed", "renowned", "celebrated",
        "blockbuster", "greatest hits", "anyone knows", "everyone has heard",
    ),
    "ERAOLD": (
        "old", "older", "oldest", "oldies", "golden oldies", "vintage", "retro", "throwback",
        "throwbacks", "earlier", "earliest", "old school", "old-school", "back in the day",
        "ancient", "dated", "aged", "classic", "classics", "from way back",
    ),
    "ERANEW": (
        "newer", "newest", "latest", "recent", "recently", "modern", "fresher", "freshest",
        "contemporary", "brand new", "brand-new", "just released", "new releases",
        "new release", "up to date", "up-to-date", "this year", "nowadays", "current hits",
    ),
    "TEMPOFAST": (
        "fast", "faster", "fastest", "quick", "quicker", "quickest", "uptempo", "up-tempo",
        "up tempo", "speedy", "speedier", "speediest", "rapid", "brisk", "pacy", "pacey",
        "high tempo", "higher tempo", "higher bpm", "highest bpm", "frantic", "breakneck",
        "zippy", "zippier",
    ),
    "TEMPOSLOW": (
        "slow", "slower", "slowest", "downtempo", "down-tempo", "down tempo", "leisurely",
        "unhurried", "low tempo", "lower tempo", "lower bpm", "lowest bpm", "sluggish",
        "plodding", "slow-paced", "slow paced", "slowed", "languid",
    ),
}

# what a list is ordered or bounded by, with no way of its own ("sort by bpm, lowest first")
_TOPICS = {
    "BYPOPULARITY": ("popularity", "streams", "plays", "play count", "fame", "how popular",
                     "how famous", "how well known", "listeners"),
    "BYYEAR": ("year", "years", "release date", "release year", "date", "age", "how old",
               "chronological", "chronologically", "era", "when released"),
    "BYTEMPO": ("bpm", "tempo", "beats per minute", "pace", "speed", "how fast"),
}

_NEGATOR = re.compile(r"^(?:not|no|never|less|fewer|hardly|isn't|aren't|ain't|\w+n't)$")
_SCOPE = 3


@lru_cache(maxsize=1)
def _phrases() -> dict[tuple[str, ...], str]:
    return {tuple(p.split(" ")): mark for mark, words in (*_WORDS.items(), *_TOPICS.items())
            for p in words}


def mark_directions(text: str) -> str:
    """A normalised clause with the marks of its direction words and phrases appended."""
    words = text.split(" ")
    bare = [w.strip(".,!?;:") for w in words]  # "famous," is "famous"
    phrases = _phrases()
    longest = max(len(p) for p in phrases)
    marks: list[str] = []
    since_negator = _SCOPE + 1
    i = 0
    while i < len(words):
        mark, step = None, 1
        for size in range(min(longest, len(words) - i), 0, -1):
            if (found := phrases.get(tuple(bare[i:i + size]))) is not None:
                mark, step = found, size
                break
        word = words[i]
        if mark in _TOPICS:
            marks.append(mark)
            since_negator += step
        elif mark:  # a phrase ("not well known") carries its own negation
            marks.append(_TURNED[mark] if since_negator < _SCOPE else mark)
            since_negator += step
        elif not word or not word[0].isalnum() or word[-1] in ".,!?;:" or \
                word in ("but", "though", "although"):
            since_negator = _SCOPE + 1
        elif _NEGATOR.match(word):
            since_negator = 0
        else:
            since_negator += 1
        i += step
    # at the end, so the words' own order (and how far a negator reaches for the sentiment
    # and mood marks) is left as typed
    return " ".join([text, *marks]) if marks else text
