"""Normalised text and the vocabularies read from it: genres, moods, number and ordinal words."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

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
    "fourth", "fifth", "seventh", "eighth", "electronic", "classical", "country", "reggae",
    "techno", "before", "released", "slower", "faster", "emotional",
)
# short genre names, typed with one letter doubled ("bluees", "meetal", "indiie"): too short
# for fuzzy matching ("mental" is no "metal")
_DOUBLED_GENRES = frozenset({"metal", "blues", "indie", "latin", "house", "disco", "rock",
                             "jazz", "soul", "punk", "funk", "folk", "trap"})


def _fix_word(word: str) -> str:
    if word in _TYPOS:
        return _TYPOS[word]
    if word in _SPELLCHECKED or word in _DOUBLED_GENRES:
        return word
    for i in range(len(word) - 1):
        if word[i] == word[i + 1] and (single := word[:i] + word[i + 1:]) in _DOUBLED_GENRES:
            return single
    if len(word) < 6:
        return word
    close = difflib.get_close_matches(word, _SPELLCHECKED, n=1, cutoff=0.85)
    return close[0] if close else word


def normalise(text: str) -> str:
    """Lower case, plain quotes, common typos and misspellings of our keywords fixed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans("‘’“”", "''\"\"")).lower()
    text = re.sub(r"\bno\.\s*(?=\d)", "number ", text)
    text = re.sub(r"\bbeats per minute\b", "bpm", text)
    text = re.sub(r"\b([\w&]+(?:-[\w&]+)*)-free\b", r"no \1", text)  # "soul-free": no soul
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

# ---------------------------------------------------------------- number and ordinal words

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
# "thirty one", "twenty-five" (the alternation below matches a space or a hyphen between)
_NUMBER_WORDS |= {f"{tens} {unit}": base + i + 1 for tens, base in _TENS.items()
                  for i, unit in enumerate(_COUNTING[:9])}
_ORDINAL_RE = _alternation(list(_ORDINALS))
_NUMBER_RE = _alternation(list(_NUMBER_WORDS))


def is_music_word(phrase: str) -> bool:
    """True for a genre or mood phrase ("rap", "chill"), which is never a track name here."""
    phrase = normalise(phrase)
    return bool(_GENRE.fullmatch(phrase) or _MOOD.fullmatch(phrase))
