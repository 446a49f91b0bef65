"""Everyday English → tunemate tool calls, for the offline chat model.

`read_message` splits a chat message into sentences, reads each one into at most one tool
request (personality, explain, recommend with `similar_to`, feedback, rerank, recommend, in
that order of precedence) and merges the recommend requests of one message into one.

Everything is keyword tables and regular expressions over a normalised, lower-case text;
track *names* are taken from the text as the user typed it. The same text and context always
give the same requests.

Choices made where the product spec is silent:
- "that", "it", "skip" with no track named mean the track last explained or given feedback
  on in this list; with none, track 1 (the top of the list, the one the user saw first).
  A new list (recommend, rerank) forgets it, because the positions changed.
- "the last one" is the list's length: the count the last recommend result states, else the
  count it was asked for, else 50. "second to last" is one less.
- Comparatives ("calmer", "more upbeat" → more_energetic) re-rank the current list, unless
  the message also asks for a count, a tempo, excluded genres or a new list.
- "hip hop" → rap (the catalogue's genre; its subgenres are hip hop, trap …). Counts are
  capped at 50. "obscure" → max_popularity 40, "popular / hits" → min_popularity 60,
  "around N bpm" → N ± 10. "00s"–"20s" are 2000–2020, "30s"–"90s" are 1930–1990.
- Described traits sit at 3 ± 1 on 1–5: "very" ± 1.5, "quite" ± 1.25, "a bit" ± 0.75,
  "not very outgoing" 2.25; several words for one trait are averaged. Explicit scores on
  0–100 are mapped onto 1–5.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------- results and context


@dataclass(frozen=True)
class ToolRequest:
    """One tool call the message asks for."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Clarify:
    """The message wants a tool but leaves out what it needs: ask, in words."""

    question: str


@dataclass
class Context:
    """What earlier turns tell us: the track last talked about and the list's length."""

    last_track: str | None = None
    list_length: int | None = None

    def current_track(self) -> str:
        # Nothing discussed yet: the top of the list is the track the user saw first.
        return self.last_track or "1"

    def last_position(self) -> int:
        return self.list_length or 50


Reading = ToolRequest | Clarify

MAX_COUNT = 50  # the product's list length; larger asks are capped
OBSCURE_MAX_POPULARITY = 40.0
POPULAR_MIN_POPULARITY = 60.0
TEMPO_TOLERANCE = 10.0

# ---------------------------------------------------------------- normalisation

_TYPOS = {
    "recomend": "recommend", "reccomend": "recommend", "reccommend": "recommend",
    "recommand": "recommend", "sumthing": "something", "somethin": "something",
    "smth": "something", "sth": "something", "pls": "please", "plz": "please",
    "u": "you", "ur": "your", "chil": "chill", "upbeet": "upbeat", "hapy": "happy",
    "happpy": "happy", "explane": "explain", "explian": "explain", "wat": "what",
    "y": "why", "luv": "love", "lov": "love", "h8": "hate", "thx": "thanks",
    "gimme": "give me", "wanna": "want to", "dont": "don't", "im": "i'm",
    "cant": "can't", "fav": "favourite", "fave": "favourite", "hiphop": "hip hop",
    "rnb": "r&b", "kpop": "k-pop", "lofi": "lo-fi", "edm's": "edm", "tho": "though",
}
_WORD = re.compile(r"[a-z][a-z']*")


# Long keywords people misspell ("recomend", "somthing", "energtic"). Deliberately short:
# fuzzy matching against every keyword turns real words into others ("looking" → "cooking").
_SPELLCHECKED = (
    "recommend", "something", "anything", "relaxing", "energetic", "explain", "playlist",
    "personality", "introverted", "extroverted", "extraverted", "outgoing", "organised",
    "organized", "disorganised", "anxious", "nervous", "favourite", "acoustic",
    "danceable", "melancholic", "instrumental", "obscure", "underground", "mainstream",
    "upbeat", "chiller", "calmer", "happier", "popular", "studying", "workout",
    "romantic", "curious", "easygoing", "openness", "conscientiousness", "extraversion",
    "agreeableness", "neuroticism", "dislike", "number", "second", "third",
    "fourth", "fifth", "seventh", "eighth",
)


def _fix_word(word: str) -> str:
    if word in _TYPOS:
        return _TYPOS[word]
    if len(word) < 6 or word in _SPELLCHECKED:
        return word
    close = difflib.get_close_matches(word, _SPELLCHECKED, n=1, cutoff=0.85)
    return close[0] if close else word


def normalise(text: str) -> str:
    """Lower case, plain quotes, common typos and misspellings of our keywords fixed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans("‘’“”", "''\"\"")).lower()
    text = re.sub(r"\bno\.\s*(?=\d)", "number ", text)
    text = re.sub(r"\bbeats per minute\b", "bpm", text)
    text = re.sub(r"\b(?:i'd|i would) (?:like|love)\b", "i want", text)
    text = _WORD.sub(lambda m: _fix_word(m.group()), text)
    return re.sub(r"\s+", " ", text).strip()


def lookup(table: dict[str, Any], phrase: str) -> Any:
    """A table entry for a phrase matched with either spaces or hyphens between its words."""
    for key in (phrase, re.sub(r"[\s-]+", " ", phrase), re.sub(r"[\s-]+", "-", phrase)):
        if key in table:
            return table[key]
    raise KeyError(phrase)


def _alternation(phrases: list[str] | tuple[str, ...]) -> str:
    """A regex alternation that prefers the longest phrase at any position."""
    longest_first = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in longest_first)


# ---------------------------------------------------------------- vocabulary tables

GENRE_ALIASES: dict[str, str] = {
    "pop": "pop", "rock": "rock", "rock and roll": "rock", "rock n roll": "rock",
    "rap": "rap", "hip hop": "rap", "r&b": "r&b", "r and b": "r&b", "r'n'b": "r&b",
    "rhythm and blues": "r&b", "edm": "edm", "electronic": "edm", "electronica": "edm",
    "dance music": "edm", "latin": "latin", "latino": "latin", "reggaeton": "reggaeton",
    "jazz": "jazz", "jazzy": "jazz", "classical": "classical", "country": "country",
    "metal": "metal", "heavy metal": "metal", "folk": "folk", "soul": "soul",
    "indie": "indie", "blues": "blues", "reggae": "reggae", "punk": "punk", "funk": "funk",
    "disco": "disco", "gospel": "gospel", "house": "house", "techno": "techno",
    "trance": "trance", "dubstep": "dubstep", "trap": "trap", "k-pop": "k-pop",
    "lo-fi": "lo-fi", "ambient": "ambient", "grunge": "grunge", "emo": "emo",
    "afrobeats": "afrobeats", "opera": "opera", "salsa": "salsa", "ska": "ska",
}
_GENRE = re.compile(rf"(?<![\w&-])(?:{_alternation(list(GENRE_ALIASES))})(?![\w&-])")

MOOD_WORDS = (
    "calm", "calming", "chill", "chilled", "chilling", "relax", "relaxing", "relaxed",
    "sleepy", "sleep", "happy", "sad", "energetic", "energy", "upbeat", "mellow", "focus",
    "study", "studying", "workout", "gym", "running", "run", "party", "dance", "dancing",
    "romantic", "angry", "melancholic", "melancholy", "dreamy", "uplifting", "cheerful",
    "moody", "peaceful", "quiet", "intense", "hype", "acoustic", "instrumental", "soft",
    "loud", "slow", "fast", "groovy", "fun", "dark", "emotional", "heartbreak", "rainy",
    "morning", "night", "summer", "road trip", "cozy", "cosy", "soothing", "gentle",
    "aggressive", "vibe", "vibes", "lively", "feel good", "feel-good", "nostalgic", "bored",
    "tired", "motivated", "motivation", "cooking", "dinner", "driving", "sunny", "bright",
)
_MOOD = re.compile(rf"\b(?:{_alternation(MOOD_WORDS)})\b")

# ---------------------------------------------------------------- track references

_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_TEENS = (
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
)
_TENS = {"twenty": 20, "thirty": 30, "forty": 40}
_TENS_ORDINAL = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50}


def _ordinal_words() -> dict[str, int]:
    table = {w: i + 1 for i, w in enumerate(_UNITS)}
    table.update({w: i + 10 for i, w in enumerate(_TEENS)})
    table.update(_TENS_ORDINAL)
    for tens, base in _TENS.items():
        for i, unit in enumerate(_UNITS):
            table[f"{tens}-{unit}"] = table[f"{tens} {unit}"] = base + i + 1
    return table


_ORDINALS = _ordinal_words()
_COUNTING = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)
_NUMBER_WORDS = {w: i + 1 for i, w in enumerate(_COUNTING)}
_NUMBER_WORDS |= {"thirty": 30, "forty": 40, "fifty": 50}
_ORDINAL_RE = _alternation(list(_ORDINALS))
_NUMBER_RE = _alternation(list(_NUMBER_WORDS))

_TRACK_NOUN = r"(?:number|track|song|tune|pick|position|item|entry|recommendation|rec|no)"
_POSITION_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:second|next)[\s-]+to[\s-]+last\b|\bpenultimate\b"), "penultimate"),
    (re.compile(r"\bthe\s+(?:very\s+)?last\b|\blast\s+(?:one|song|track|tune)\b"), "last"),
    (re.compile(r"\bthe\s+top\s+(?:one|song|track|pick)\b"), "top"),
    (re.compile(rf"\b{_TRACK_NOUN}\s*#?\s*(\d{{1,3}})\b"), "digits"),
    (re.compile(r"(?<!\w)#\s*(\d{1,3})\b"), "digits"),
    (re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b"), "digits"),
    (re.compile(rf"\b{_TRACK_NOUN}\s+({_NUMBER_RE})\b"), "number_word"),
    (re.compile(rf"\b({_ORDINAL_RE})\b(?!\s+(?:of all|time|thing))"), "ordinal"),
)
# "that one", "this song", "it" — but not "that's great" or "this is nice", which are as
# often about the reply as about a track.
_PRONOUN = re.compile(
    r"\b(?:that|this|it)(?:\s+(?:one|song|track|tune))?\b"
    r"(?!'s|\s+(?:is|was|kind|sort|type|style|genre|vibe|mood|list|playlist)\b)"
)
_BARE_NUMBER = re.compile(r"(?<![\w.#])(\d{1,2})(?![\w.%]|\s*(?:bpm|songs|tracks|s\b))")
_TRACK_ID = re.compile(
    r"\b(?:id\s+)?([A-Za-z0-9]{22})\b|\bid\s*[:#]\s*([\w-]+)|\bid\s+([\w-]*\d[\w-]*)", re.I
)


def find_position(text: str, context: Context) -> str | None:
    """The list position a text names ("the third one", "#4", "the last one"), if any."""
    for pattern, kind in _POSITION_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "penultimate":
            return str(max(context.last_position() - 1, 1))
        if kind == "last":
            return str(context.last_position())
        if kind == "top":
            return "1"
        word = match.group(1)
        if kind == "digits":
            return str(int(word)) if int(word) > 0 else None
        table = _NUMBER_WORDS if kind == "number_word" else _ORDINALS
        return str(lookup(table, word))
    return None


def _track_id(original: str) -> str | None:
    match = _TRACK_ID.search(original)
    if not match:
        return None
    found = match.group(1) or match.group(2) or match.group(3)
    # A 22-character token must mix letters and digits to look like a Spotify id.
    if match.group(1) and not (re.search(r"\d", found) and re.search(r"[A-Za-z]", found)):
        return None
    return found


def _clean_name(name: str) -> str:
    name = re.sub(r"^(?:the\s+)?(?:song|track|tune)\s+", "", name.strip(), flags=re.I)
    name = re.sub(r"\s+(?:please|pls|again|for me|so much)$", "", name, flags=re.I)
    return name.strip(" \t\"'?!.,")


def is_music_word(phrase: str) -> bool:
    """True for a genre or mood phrase ("rap", "chill"), which is never a track name here."""
    phrase = normalise(phrase)
    return bool(_GENRE.fullmatch(phrase) or _MOOD.fullmatch(phrase))


def _resolve_target(target: str, original_target: str, context: Context) -> str | None:
    """A track reference: a position, "that one" (the current track), or a name."""
    position = find_position(target, context)
    if position:
        return position
    if _PRONOUN.fullmatch(target.strip(" ?!.,")):
        return context.current_track()
    name = _clean_name(original_target)
    return name or None


# ---------------------------------------------------------------- personality

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
         "the life of the party", "a social butterfly"),
        ("introverted", "an introvert", "introvert", "shy", "reserved", "quiet", "a loner",
         "a homebody", "private"),
    ),
    "openness": (
        ("curious", "creative", "imaginative", "adventurous", "open-minded", "open minded",
         "artistic", "open to new things", "inventive", "a dreamer", "experimental"),
        ("traditional", "conventional", "set in my ways", "practical", "down to earth"),
    ),
    "conscientiousness": (
        ("organised", "organized", "disciplined", "tidy", "neat", "hardworking",
         "hard-working", "responsible", "reliable", "punctual", "a planner", "thorough",
         "diligent", "meticulous", "efficient", "careful"),
        ("disorganised", "disorganized", "messy", "lazy", "careless", "chaotic",
         "a procrastinator", "scatterbrained", "forgetful", "spontaneous"),
    ),
    "agreeableness": (
        ("easygoing", "easy-going", "easy going", "kind", "friendly", "warm", "cooperative",
         "trusting", "compassionate", "helpful", "nice", "considerate", "generous", "polite",
         "agreeable"),
        ("competitive", "stubborn", "critical", "blunt", "grumpy", "argumentative", "rude",
         "sceptical", "skeptical"),
    ),
    "neuroticism": (
        ("anxious", "nervous", "worried", "a worrier", "stressed", "easily stressed", "tense",
         "moody", "emotional", "insecure", "sensitive", "highly strung", "neurotic", "on edge"),
        ("calm", "relaxed", "laid back", "laid-back", "stable", "emotionally stable",
         "even-tempered", "level-headed", "chill", "secure", "unflappable", "confident",
         "resilient"),
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
_TRAIT_SCORE = re.compile(
    rf"\b(?P<trait>{_alternation(list(_TRAIT_NAMES))})\b\s*(?:score\s*)?"
    r"(?:(?:to|=|:|is|at|of|as|should be|would be|must be)\s*)?(?:be\s+)?(?P<value>\d+(?:\.\d+)?)"
)
_TRAIT_LEVEL = re.compile(
    rf"\b(?P<level>very high|very low|high|low|average|medium|neutral)\s+"
    rf"(?P<trait>{_alternation(list(_TRAIT_NAMES))})\b"
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


def _trait_scale(value: float) -> float | None:
    """Scores on 1–5 as they are; 0–100 mapped onto 1–5; anything else ignored."""
    if 1 <= value <= 5:
        return value
    if 0 <= value <= 100:
        return round(1 + 4 * value / 100, 2)
    return None


def _explicit_traits(text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for match in _TRAIT_SCORE.finditer(text):
        value = _trait_scale(float(match["value"]))
        if value is not None:
            scores[_TRAIT_NAMES[match["trait"]]] = value
    for match in _TRAIT_LEVEL.finditer(text):
        scores[_TRAIT_NAMES[match["trait"]]] = _LEVELS[match["level"]]
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


# ---------------------------------------------------------------- explain

_EXPLAIN = re.compile(
    r"\b(?:why(?! not\b)|how come|explain|what makes|what's so special|reason for|"
    r"reasoning behind|breakdown|score (?:of|for)|tell me (?:more )?about)\b"
)
_EXPLAIN_NAME = (
    re.compile(
        r"\bwhy (?:did|do|would|'d) you (?:pick|choose|chose|recommend|suggest|include|add|"
        r"put|select|play|give me)\s+(?P<name>.+?)(?:\s+(?:here|there|in|on|for|to)\b.*)?$", re.I),
    re.compile(
        r"\bwhy (?:is|was|are) (?P<name>.+?)\s+(?:here|there|in|on|included|recommended|"
        r"suggested|picked|chosen|listed|so high|at the top)\b", re.I),
    re.compile(
        r"\b(?:explain|tell me (?:more )?about|what makes|what's so special about|"
        r"score (?:of|for))\s+(?P<name>.+?)"
        r"(?:\s+(?:so good|special|a good fit|fit|work|here|in|on|to me)\b.*)?$", re.I),
)
_BARE_WHY = re.compile(r"^(?:but |and |ok |so )?(?:why|how come|explain)\W*$")


def _explained_name(original: str, context: Context) -> str | None:
    for pattern in _EXPLAIN_NAME:
        match = pattern.search(original)
        if match:
            track = _resolve_target(normalise(match["name"]), match["name"], context)
            return None if track and is_music_word(track) else track
    return None


def read_explain(text: str, original: str, context: Context) -> Reading | None:
    if not _EXPLAIN.search(text):
        return None
    track = find_position(text, context) or _track_id(original)
    track = track or _explained_name(original, context)
    if not track and _PRONOUN.search(text):
        track = context.current_track()
    if not track and (bare := _BARE_NUMBER.search(text)):
        track = str(int(bare.group(1)))
    if not track and _BARE_WHY.match(text):
        track = context.current_track()
    if not track:
        return Clarify("Which track should I explain? Say, for example, \"why number 3?\".")
    return ToolRequest("explain", {"track": track})


# ---------------------------------------------------------------- recommend: similar to

_SIMILAR = re.compile(
    r"\b(?:(?:more|songs?|tracks?|something|stuff|anything|music|ones?|others?|tunes?|some)"
    r"\s+(?:just\s+)?(?:like|similar to)|similar to|in the style of|same vibe as|"
    r"sounds? like|along the lines of)\s+(?P<target>.+)$",
    re.I,
)
_TARGET_END = re.compile(r"\s+(?:but|without|with no|except|from the|please)\b.*$|\s*,.*$", re.I)


def read_similar(text: str, original: str, context: Context) -> tuple[str, str] | None:
    """The track a "more like …" request points at, and the text left once it is removed."""
    match = _SIMILAR.search(original) or _SIMILAR.search(text)
    if not match:
        return None
    raw = _TARGET_END.sub("", match["target"])
    target = _resolve_target(normalise(raw), raw, context)
    if not target:
        return None
    rest = original[: match.start()] + " " + match["target"][len(raw):]
    return target, normalise(rest)


# ---------------------------------------------------------------- feedback

_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (signal, re.compile(pattern))
    for signal, pattern in (
        ("add_to_playlist", r"\b(?:add|put|stick|throw)\b.*\bplaylist\b|\bplaylist (?:it|that)\b"),
        ("save", r"\b(?:save|saved|bookmark|favourite|favorite|star)\b"),
        ("repeat", r"\bon repeat\b|\b(?:replay|replayed|repeat|repeating)\b|\bover and over\b|"
                   r"\b(?:play|hear)\b.*\bagain\b"),
        ("played_through", r"\b(?:all the way through|to the end|played (?:it |that )?through|"
                           r"listened (?:to )?(?:it |that )?(?:all the way )?through|"
                           r"finished (?:it|that|listening)|the whole (?:thing|song|track|way))\b"),
        ("dislike", r"\b(?:hate|hated|dislike|disliked|don't like|do not like|didn't like|"
                    r"not a fan|can't stand|cannot stand|awful|terrible|not good|no good|"
                    r"boring|sucks|thumbs down|not for me|annoying|not into)\b|👎|🤮"),
        ("like", r"\b(?:love|loved|loving|like|liked|enjoy|enjoyed|dig|adore|great|awesome|"
                 r"amazing|fantastic|nice|good|banger|fire|thumbs up|into|favourite|perfect|"
                 r"brilliant|beautiful|lovely|excellent|incredible|gorgeous)\b|🔥|❤|👍|😍"),
        ("skip", r"\b(?:skip|skipped|skipping|pass on|not now|not feeling)\b|^next\b(?! to)"),
    )
)
_STANDS_ALONE = {"skip", "save", "add_to_playlist", "repeat", "played_through"}
_QUOTED = re.compile(r"\"([^\"]+)\"|(?<!\w)'([^']+)'(?!\w)")
_WANTING = re.compile(r"\b(?:would|'d|i'd) (?:like|love)\b")
_CAPITALISED_OBJECT = re.compile(
    r"\b(?:love|like|hate|dislike|enjoy|adore|skip|save|replay)\s+"
    r"(?P<name>[A-Z0-9][\w'&.-]*(?:\s+(?:[A-Z0-9][\w'&.-]*|by|of|the|a|in|on|my))*)"
)


def _signal(text: str) -> str | None:
    text = _WANTING.sub("want", text)
    return next((signal for signal, pattern in _SIGNALS if pattern.search(text)), None)


def _named_track(original: str) -> str | None:
    quoted = _QUOTED.search(original)
    if quoted:
        return (quoted.group(1) or quoted.group(2)).strip()
    match = _CAPITALISED_OBJECT.search(original)
    if not match or is_music_word(match["name"]):
        return None
    return _clean_name(match["name"])


def read_feedback(text: str, original: str, context: Context) -> ToolRequest | None:
    signal = _signal(text)
    if not signal:
        return None
    track = find_position(text, context) or _track_id(original) or _named_track(original)
    talks_music = bool(_GENRE.search(text) or _MOOD.search(text) or _decade(text) or
                       _comparative(text))
    if not track and not talks_music and _PRONOUN.search(text):
        track = context.current_track()
    if not track and not talks_music and signal in _STANDS_ALONE and len(text.split()) <= 6:
        track = context.current_track()
    if not track:
        return None
    return ToolRequest("feedback", {"track": track, "signal": signal})


# ---------------------------------------------------------------- rerank

_RERANK_CRITERIA: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (criterion, re.compile(pattern))
    for criterion, pattern in (
        ("calmer", r"\b(?:calmer|chiller|mellower|softer|quieter|gentler|slower|"
                   r"more (?:chill|calm|relaxed|relaxing|mellow|laid[\s-]back|peaceful|soothing)|"
                   r"less (?:energetic|intense|upbeat|loud|hype|aggressive|busy|energy)|"
                   r"tone it down|calm (?:it|things) down|chill (?:it|things) (?:out|down)|"
                   r"slow (?:it|things) down|bring (?:it|the energy) down|wind down)\b"),
        ("more_energetic", r"\b(?:more (?:energetic|upbeat|energy|intense|lively|hype|pumped|"
                           r"powerful|exciting)|livelier|faster|louder|harder|peppier|punchier|"
                           r"less (?:calm|chill|mellow|sleepy|slow|boring)|pump it up|amp it up|"
                           r"turn it up|kick it up|speed (?:it|things) up|liven (?:it|things) up|"
                           r"step it up|crank it up)\b"),
        ("happier", r"\b(?:happier|cheerier|brighter|sunnier|more (?:happy|cheerful|positive|"
                    r"uplifting|joyful|fun)|less (?:sad|gloomy|depressing|dark|melancholic|"
                    r"melancholy|moody)|cheer (?:it|me|things) up|lighten (?:it|things) up)\b"),
        ("sadder", r"\b(?:sadder|darker|gloomier|moodier|more (?:sad|melancholic|melancholy|"
                   r"emotional|depressing|somber|sombre|moody|dark)|less (?:happy|cheerful|"
                   r"positive))\b"),
        ("more_acoustic", r"\b(?:more acoustic|less electronic|fewer synths|less synth|"
                          r"unplugged|more organic)\b"),
        ("more_danceable", r"\b(?:more (?:danceable|dancey|dancy|groovy|dance)|groovier|"
                           r"dancier|funkier)\b"),
        ("less_popular", r"\b(?:less (?:popular|mainstream|known|famous|obvious)|"
                         r"more (?:obscure|underground|niche|unknown)|deeper cuts|fewer hits)\b"),
        ("more_popular", r"\b(?:more (?:popular|mainstream|famous|well[\s-]known|hits)|"
                         r"better[\s-]known|less (?:obscure|niche|underground)|bigger hits)\b"),
    )
)
_SORT_BY = re.compile(
    r"\b(?:sort|order|rank|rerank|re-rank|arrange|organi[sz]e)\s+(?:it\s+|them\s+|the list\s+|"
    r"this\s+|my list\s+)?by\b|\b(?:prioriti[sz]e|favou?r|boost)\b|\bfirst\b|\bon top\b|"
    r"\bto the top\b|^(?:more|some more)\s+"
)
_SORT_WORDS = {
    "energy": "more_energetic", "popularity": "more_popular", "danceability": "more_danceable",
    "acousticness": "more_acoustic", "happiness": "happier", "calmness": "calmer",
}


def _comparative(text: str) -> str | None:
    return next((c for c, pattern in _RERANK_CRITERIA if pattern.search(text)), None)


def read_rerank(text: str) -> ToolRequest | None:
    criterion = _comparative(text)
    if criterion:
        return ToolRequest("rerank", {"criterion": criterion})
    if not _SORT_BY.search(text) or re.search(r"\bno more\b", text):
        return None
    for word, sorted_criterion in _SORT_WORDS.items():
        if re.search(rf"\b{word}\b", text):
            return ToolRequest("rerank", {"criterion": sorted_criterion})
    decade = _decade(text)
    if decade:
        return ToolRequest("rerank", {"criterion": "decade", "decade": decade[0]})
    genre = _GENRE.search(text)
    if genre:
        return ToolRequest("rerank", {"criterion": "genre",
                                      "genre": lookup(GENRE_ALIASES, genre.group())})
    return None


# ---------------------------------------------------------------- recommend: constraints

_DECADE_WORDS = {
    "fifties": 1950, "sixties": 1960, "seventies": 1970, "eighties": 1980, "nineties": 1990,
    "noughties": 2000, "two thousands": 2000, "aughts": 2000, "twenty tens": 2010,
    "twenties": 2020,
}
_DECADE_WORDS_RE = _alternation(list(_DECADE_WORDS))
_DECADE_PATTERNS = (
    re.compile(r"(?:\b(?:early|late|mid)[\s-]*)?(?:\bthe\s+)?'?\b((?:19|20)\d0|\d0)'?s\b"),
    re.compile(rf"(?:\b(?:early|late|mid)[\s-]*)?(?:\bthe\s+)?\b({_DECADE_WORDS_RE})\b"),
    re.compile(r"\b(?:from|in|of|released in|around|circa|year)\s+((?:19|20)\d\d)\b"),
)


def _decade(text: str) -> tuple[int, tuple[int, int]] | None:
    """The decade a text names ("90s", "the eighties", "from 1995" → 1990) and its span."""
    for pattern in _DECADE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        word = match.group(1)
        if word in _DECADE_WORDS:
            return _DECADE_WORDS[word], match.span()
        year = int(word)
        if year < 100:  # two digits: 00s–20s are this century, 30s–90s the last one
            year += 2000 if year <= 20 else 1900
        return year - year % 10, match.span()
    return None


_COUNT_NOUN = r"(?:songs|tracks|tunes|recommendations|recs|picks|ones|options|bangers|jams|hits)"
_COUNT_PATTERNS = (
    re.compile(rf"\b(\d{{1,3}}|{_NUMBER_RE}|a dozen|a couple(?: of)?|a few|a handful(?: of)?)"
               rf"\s+(?:[a-z&'-]+\s+){{0,3}}?{_COUNT_NOUN}\b"),
    re.compile(rf"\b(?:top|just|only|give me|another)\s+(\d{{1,3}}|{_NUMBER_RE})\b"
               r"(?!\s*(?:bpm|'?s\b))"),
)
_COUNT_PHRASES = {"a dozen": 12, "a couple": 2, "a couple of": 2, "a few": 5, "a handful": 5,
                  "a handful of": 5}


def _count(text: str) -> tuple[int, tuple[int, int]] | None:
    for pattern in _COUNT_PATTERNS:
        match = pattern.search(text)
        if match:
            word = match.group(1)
            n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word) or _COUNT_PHRASES[word]
            return max(1, min(n, MAX_COUNT)), match.span(1)
    return None


_NEGATOR = re.compile(
    r"\b(?:no|not|without|except|minus|avoid|skip|nothing|none|hate|dislike|don't|do not|"
    r"never|ban|exclude|excluding|less|zero|other than|besides|instead of)\b"
)
_CLAUSE_RESET = re.compile(r",|\bbut\b|\bjust\b|\bonly\b|\binstead\b|\brather\b|\bwith\b|\bplus\b")


def _genres(text: str) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """Genres to include and to exclude ("rock but no metal"), and where they were said."""
    text = re.sub(r"\b(?:anything|everything|all) but\b", "except", text)
    include: list[str] = []
    exclude: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _GENRE.finditer(text):
        genre = lookup(GENRE_ALIASES, match.group())
        clause = _CLAUSE_RESET.split(text[: match.start()])[-1]
        target = exclude if _NEGATOR.search(clause) else include
        if genre not in include and genre not in exclude:
            target.append(genre)
        spans.append(match.span())
    return include, exclude, spans


_OBSCURE = re.compile(
    r"\b(?:obscure|underground|hidden gems?|lesser[\s-]known|less[\s-]known|little[\s-]known|"
    r"deep cuts?|niche|unknown|undiscovered|under the radar|(?:not|nothing) (?:too |very |so )?"
    r"(?:popular|mainstream|famous|well[\s-]known)|non[\s-]mainstream|less popular)\b"
)
_POPULAR = re.compile(
    r"\b(?:popular|hits|mainstream|well[\s-]known|famous|chart[\s-]?toppers?|top 40|"
    r"chart|charting|bangers|crowd[\s-]pleasers?)\b"
)


def _popularity(text: str) -> tuple[dict[str, float], list[tuple[int, int]]]:
    if spans := [m.span() for m in _OBSCURE.finditer(text)]:
        return {"max_popularity": OBSCURE_MAX_POPULARITY}, spans
    if spans := [m.span() for m in _POPULAR.finditer(text)]:
        return {"min_popularity": POPULAR_MIN_POPULARITY}, spans
    return {}, []


_BPM = r"(\d{2,3})\s*bpm\b"
_TEMPO_PATTERNS = (
    ("range", re.compile(rf"\b(?:between\s+|from\s+)?(\d{{2,3}})\s*(?:bpm\s*)?(?:and|to|-)\s*"
                         rf"{_BPM}")),
    ("min", re.compile(rf"\b(?:over|above|more than|faster than|at least|min(?:imum)?)\s*{_BPM}")),
    ("max", re.compile(rf"\b(?:under|below|less than|slower than|at most|max(?:imum)?)\s*{_BPM}")),
    ("around", re.compile(rf"(?:\b(?:around|about|roughly|approx\w*|near|at)\s*)?\b{_BPM}")),
)


def _tempo(text: str) -> tuple[dict[str, float], list[tuple[int, int]]]:
    for kind, pattern in _TEMPO_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        bpm = float(match.group(1))
        if kind == "range":
            low, high = sorted((bpm, float(match.group(2))))
            bounds = {"min_tempo": low, "max_tempo": high}
        elif kind == "min":
            bounds = {"min_tempo": bpm}
        elif kind == "max":
            bounds = {"max_tempo": bpm}
        else:
            bounds = {"min_tempo": bpm - TEMPO_TOLERANCE, "max_tempo": bpm + TEMPO_TOLERANCE}
        return bounds, [match.span()]
    return {}, []


_ASKS_FOR_MUSIC = re.compile(
    r"\b(?:recommend|suggest|play|give me|show me|find|get me|put on|queue|spin|want|need|"
    r"looking for|in the mood for|how about|can i (?:get|have)|let's hear|new list|fresh list|"
    r"refresh|another list|start over|different|something|anything|songs?|tracks?|music|"
    r"tunes|playlist|jams|more)\b"
)
_FILLER = frozenset(
    (
    "please", "can", "could", "would", "you", "me", "i", "i'm", "want", "to", "need", "give",
    "play", "recommend", "suggest", "find", "show", "get", "put", "on", "a", "an", "the",
    "some", "something", "anything", "songs", "song", "tracks", "track", "music", "tunes",
    "stuff", "of", "from", "in", "for", "with", "and", "or", "but", "just", "only", "that",
    "is", "are", "listen", "hear", "new", "list", "now", "then", "also", "maybe", "hey",
    "tunemate", "let's", "lets", "us", "by", "made", "released", "era", "genre", "kind",
    "type", "ones", "like", "more", "few", "looking", "how", "about", "what", "thanks",
    "thank", "any", "really", "mood",
    )
)
_TRAILING_ONLY = frozenset(("no", "not", "without", "except", "don't", "do"))
_BEFORE_CUT = re.compile(rf"(?:(?:{_NEGATOR.pattern}|\bany\b|\bmore\b|\bthe\b|\bsome\b)\s*)+(?=\|)")


def _request_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The mood and free text left once the hard constraints are cut out of the message."""
    marked, cut_from = text, len(text)
    for start, end in sorted(spans, reverse=True):
        if end <= cut_from:  # overlapping spans were already cut with the longer one
            marked, cut_from = marked[:start] + " | " + marked[end:], start
    marked = _BEFORE_CUT.sub(" ", marked)
    pieces = []
    for piece in re.split(r"\s*[|,;.!?]+\s*", marked):
        words = piece.split()
        while words and (words[0] in _FILLER):
            words.pop(0)
        while words and (words[-1] in _FILLER or words[-1] in _TRAILING_ONLY):
            words.pop()
        if words:
            pieces.append(" ".join(words))
    return ", ".join(pieces)


def read_recommend(text: str, similar_to: str | None = None) -> ToolRequest | None:
    args: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    if (count := _count(text)) is not None:
        args["count"], span = count
        spans.append(span)
    if (decade := _decade(text)) is not None:
        args["decade"], span = decade
        spans.append(span)
    include, exclude, genre_spans = _genres(text)
    args |= {k: v for k, v in (("include_genres", include), ("exclude_genres", exclude)) if v}
    popularity, pop_spans = _popularity(text)
    tempo, tempo_spans = _tempo(text)
    args |= popularity | tempo
    if similar_to:
        args["similar_to"] = similar_to
    spans += genre_spans + pop_spans + tempo_spans
    if not args and not _MOOD.search(text) and not _ASKS_FOR_MUSIC.search(text):
        return None
    return ToolRequest("recommend", {"request": _request_text(text, spans), **args})


# ---------------------------------------------------------------- sentences and messages

_HELP = re.compile(
    r"^(?:i need |can you |please )?(?:help|\?+|menu|commands|options)(?: me)?\W*$|"
    r"\bwhat (?:can|do) you do\b|\btell me about (?:yourself|you)\b|"
    r"\bhow (?:does )?(?:this|it|tunemate|you) works?\b|\bhow do i use\b|"
    r"\bwho are you\b|\bwhat are you\b"
)
_SENTENCE_BREAK = re.compile(
    # a full stop, but not the one in "Mr. Brightside" or "feat. Drake"
    r"(?<!\bmr\.)(?<!\bmrs\.)(?<!\bms\.)(?<!\bdr\.)(?<!\bst\.)(?<!\bvs\.)(?<!\bft\.)"
    r"(?<!\bfeat\.)(?<=[.!?;])\s+"
    r"|,?\s+(?:and then|and now|and also|then|now|also)\s+(?=\w)|,\s+plus\s+"
    # "I love number 2 and hate number 5": a second verb about a track starts a new request
    r"|,?\s+and\s+(?=(?:i\s+)?(?:hate|love|like|dislike|skip|save|add|why|explain)\b)",
    re.I,
)


def _read_sentence(original: str, context: Context) -> Reading | None:
    text = normalise(original)
    if not text or (_HELP.search(text) and not find_position(text, context)):
        return None
    reading = read_explain(text, original, context) or read_personality(text)
    if reading:
        return reading
    if similar := read_similar(text, original, context):
        return read_recommend(similar[1], similar_to=similar[0])
    reading = read_feedback(text, original, context)
    if reading:
        return reading
    rerank, recommend = read_rerank(text), read_recommend(text)
    if rerank and not (recommend and _beyond_rerank(text, recommend, rerank)):
        return rerank
    return recommend


def _beyond_rerank(text: str, recommend: ToolRequest, rerank: ToolRequest) -> bool:
    """Whether a message with a comparative ("calmer") asks for more than re-ordering the list:
    a count, a tempo, excluded genres or a fresh list make it a new recommendation."""
    said = set(recommend.args) - {"request"}
    said -= _RERANK_SAYS.get(rerank.args["criterion"], set())
    return bool(said) or bool(_FRESH.search(text))


_RERANK_SAYS = {
    "genre": {"include_genres"}, "decade": {"decade"},
    "less_popular": {"max_popularity"}, "more_popular": {"min_popularity"},
}
_FRESH = re.compile(r"\b(?:new|fresh|different|another)\b")


def _merge_recommends(requests: list[ToolRequest]) -> list[ToolRequest]:
    """One message asks for one list: "Something calm. No rap." is a single recommend."""
    merged: list[ToolRequest] = []
    first: ToolRequest | None = None
    for request in requests:
        if request.name != "recommend" or first is None:
            merged.append(request)
            first = request if request.name == "recommend" and first is None else first
            continue
        for key, value in request.args.items():
            if key == "request" and value:
                first.args["request"] = ", ".join(filter(None, (first.args["request"], value)))
            elif isinstance(value, list):
                first.args[key] = first.args.get(key, []) + [v for v in value
                                                             if v not in first.args.get(key, [])]
            else:
                first.args.setdefault(key, value)
    return merged


def remember(request: ToolRequest, context: Context) -> None:
    """Update the context with a tool call, ours or one read back from the history."""
    if request.name in ("explain", "feedback") and request.args.get("track"):
        context.last_track = str(request.args["track"])
    elif request.name in ("recommend", "rerank"):
        context.last_track = None
        if request.name == "recommend":
            context.list_length = int(request.args.get("count") or MAX_COUNT)


@dataclass
class MessageReading:
    """What a whole chat message asks for: tool requests, or else a question back."""

    requests: list[ToolRequest] = field(default_factory=list)
    clarification: str | None = None


def read_message(message: str, context: Context) -> MessageReading:
    """Read one chat message. `context` is updated as the requests are read, so that a
    later sentence's "that one" can mean the track an earlier sentence named."""
    requests: list[ToolRequest] = []
    clarification: str | None = None
    message = re.sub(r"\b(?:no|No|NO)\.\s*(?=\d)", "number ", message.strip())  # not a full stop
    for sentence in _SENTENCE_BREAK.split(message):
        reading = _read_sentence(sentence, context) if sentence else None
        if isinstance(reading, Clarify):
            clarification = clarification or reading.question
        elif reading is not None:
            remember(reading, context)
            requests.append(reading)
    return MessageReading(_merge_recommends(requests), None if requests else clarification)

