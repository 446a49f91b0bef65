"""What the classifiers see: text with its rule-read values replaced by placeholders.

Numbers, decades, tempos, list positions and genre names are read by rules (they are
closed vocabularies); the classifiers then see "i hate TRACKREF" or "no GENRE please", so
what they learn about a phrasing carries over to every position and every genre.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..intent.constraints import _DECADE_PATTERNS
from ..intent.words import _GENRE, _NUMBER_RE, _ORDINAL_RE, normalise
from .asking import mark_asks
from .conversation import mark_conversation
from .directions import mark_directions

_REFERENCE = re.compile(
    r"\b(?:second|next)[\s-]+to[\s-]+last\b|\bpenultimate(?:\s+(?:one|song|track|tune))?\b"
    r"|\bthe\s+(?:very\s+)?(?:last|final)(?:\s+(?:one|song|track|tune))?\b"
    r"|\blast\s+(?:one|song|track|tune)\b|\bthe\s+top\s+(?:one|song|track|pick)\b"
    r"|\b(?:track|song|tune|pick|position|item|entry)(?:\s+number)?\s*#?\s*\d{1,3}\b"
    r"|\bnumber\s*#?\s*\d{1,3}\b|(?<!\w)#\s*\d{1,3}\b|\b\d{1,3}(?:st|nd|rd|th)\b"
    rf"|\b(?:number|track|song)\s+(?:{_NUMBER_RE})\b"
    rf"|\bthe\s+(?:{_ORDINAL_RE})(?:\s+(?:one|song|track|tune|pick))?\b"
    rf"|\b(?:{_ORDINAL_RE})\s+(?:one|song|track|tune)\b"
)
_TEMPO = re.compile(r"\b\d{2,3}\s*bpm\b")
_NUMBER = re.compile(r"\b\d+\b")


@dataclass(frozen=True)
class Mention:
    """A genre named in a clause, with the words around it."""

    genre: str
    start: int
    end: int


_REFERENCE_WORDS = ("track", "number", "song", "position", "second", "third", "fourth",
                    "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
                    "twelfth", "last", "first", "penultimate")


def fix_references(text: str) -> str:
    """Misspelt words that point at a list position ("trak 4", "the eigth") put right."""
    def fixed(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) < 4 or word in _REFERENCE_WORDS or word.rstrip("s") in _REFERENCE_WORDS \
                or word in english_words():  # "tired" is no "third" misspelt
            return word
        cutoff = 0.8 if len(word) <= 6 else 0.86
        close = difflib.get_close_matches(word, _REFERENCE_WORDS, n=1, cutoff=cutoff)
        return close[0] if close else word
    return re.sub(r"[a-z]+", fixed, text)


def _vader_lexicon() -> dict[str, float]:
    """Word valences (-4 … 4) of the VADER lexicon, which ships inside its PyPI package."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2:
            try:
                lexicon[fields[0]] = float(fields[1])
            except ValueError:
                continue
    return lexicon


def _afinn_lexicon() -> dict[str, float]:
    """AFINN-165 (-5 … 5, 3,382 English words), shipped inside the ``afinn`` package."""
    text = resources.files("afinn").joinpath("data/AFINN-en-165.txt").read_text("utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        word, _, score = line.rpartition("\t")
        if word and " " not in word:
            lexicon[word] = float(score)
    return lexicon


_POLARITY = re.compile(r'<word\b[^>]*\bform="([^"]+)"[^>]*\bpolarity="([-\d.]+)"'
                       r'[^>]*\bsubjectivity="([\d.]+)"')


def _adjective_lexicon() -> dict[str, float]:
    """Adjective polarities (-1 … 1) of the lexicon in TextBlob's package (its
    ``en-sentiment.xml``, read as data; TextBlob itself is not imported), averaged over
    each word's senses. Only opinion senses count (subjectivity above 0.5): "more" or
    "many" carry a polarity there but state no opinion."""
    text = resources.files("textblob").joinpath("en/en-sentiment.xml").read_text("utf-8")
    senses: dict[str, list[float]] = {}
    for word, polarity, subjectivity in _POLARITY.findall(text):
        if " " not in word and float(subjectivity) > 0.5:
            senses.setdefault(word.lower(), []).append(float(polarity))
    return {w: sum(p) / len(p) for w, p in senses.items()}


# How people judge a song, in words the general lexicons above lack or read otherwise
# (VADER has "fire" as a danger and "drag" at -0.9, AFINN knows no "banger"). Written from
# what listeners say about music, on VADER's scale; it overrides the general lexicons.
MUSIC_OPINION: dict[str, float] = {
    # praise
    "slaps": 2.5, "slapping": 2.5, "banger": 2.5, "bangers": 2.5, "bangs": 2.0,
    "banging": 2.0, "bop": 2.0, "bops": 2.0, "bopper": 2.0, "jam": 1.5, "jams": 1.5,
    "fire": 2.5, "lit": 2.0, "dope": 2.0, "goated": 3.0, "elite": 2.0, "class": 1.5,
    "classy": 2.0, "decent": 1.5, "solid": 1.5, "stellar": 2.5, "immaculate": 2.5,
    "timeless": 2.5, "addictive": 2.0, "catchy": 2.0, "earworm": 1.5, "anthem": 2.0,
    "underrated": 2.0, "mesmerising": 2.4, "infectious": 1.5, "unskippable": 2.5,
    "replayable": 2.0, "gorgeous": 3.0, "stunning": 2.5, "sublime": 2.5, "exquisite": 2.5,
    "divine": 2.5, "heavenly": 2.5, "magical": 2.5, "epic": 2.5, "legendary": 2.5,
    "iconic": 2.5, "flawless": 2.5, "banga": 2.5, "vibey": 1.5, "groovin": 1.5,
    "chef's": 2.0, "perfection": 3.0, "bangin": 2.0, "tuneful": 1.5, "smashing": 2.0,
    # dispraise
    "mid": -1.5, "drag": -2.0, "snooze": -2.0, "snoozefest": -2.5, "yawn": -1.5,
    "yawnfest": -2.5, "skippable": -2.0, "overrated": -2.0, "overplayed": -2.0,
    "naff": -2.0, "corny": -1.5, "cheesy": -1.5, "tacky": -1.5, "whiny": -2.0,
    "whiney": -2.0, "screechy": -2.0, "shrill": -1.5, "grating": -2.0, "jarring": -1.5,
    "monotonous": -2.0, "stale": -1.5, "abysmal": -3.0, "trash": -2.5, "trashy": -2.0,
    "rubbish": -2.5, "junk": -2.0, "racket": -1.5, "cringe": -2.0, "cringey": -2.0,
    "cringy": -2.0, "cringeworthy": -2.5, "forgettable": -1.5, "generic": -1.5,
    "formulaic": -1.5, "filler": -1.5, "unlistenable": -3.0, "meh": -1.5, "blah": -1.5,
    "bleh": -1.5, "yuck": -2.0, "ew": -2.0, "eww": -2.0, "ewww": -2.0, "yikes": -1.5,
    "grim": -2.0, "dire": -2.5, "tiresome": -1.5, "tedious": -1.5, "repetitive": -1.5,
    "dreary": -1.5, "lame": -2.0, "lousy": -2.5, "pants": -1.5, "flop": -1.5,
    "dud": -1.5, "stinker": -2.0, "earache": -2.0, "headache": -1.5, "noisy": -1.0,
    "bland": -1.5, "dull": -1.5, "lifeless": -2.0, "soulless": -2.0, "tuneless": -2.0,
    "garbage": -2.5, "crap": -2.0, "crappy": -2.0, "awful": -2.5, "tired": -1.0,
    "wack": -2.0, "whack": -1.5, "letdown": -2.0, "snoozer": -2.0, "dirge": -1.5,
    "drivel": -2.5, "tripe": -2.5, "uninspired": -2.0, "derivative": -1.5, "samey": -1.5,
    "underwhelming": -2.0, "unoriginal": -1.5, "droning": -1.5, "plodding": -1.5,
    "overproduced": -1.5, "cacophony": -2.0, "slog": -1.5, "muddy": -1.0,
    "masterclass": 2.5, "belter": 2.5, "ace": 2.0, "grower": 1.5, "tasteful": 2.0,
    "unreal": 2.0, "rules": 2.0, "smash": 2.0,
    "bussin": 2.5, "fye": 2.0, "lush": 2.0, "anthemic": 1.5, "hypnotic": 1.5,
    "spellbinding": 2.5, "enchanting": 2.0, "rad": 2.0, "swell": 1.5, "peachy": 1.5,
    "primo": 2.0, "topnotch": 2.5, "peerless": 2.5, "unrivaled": 2.5, "majestic": 2.5,
    "tremendous": 2.5, "standout": 2.0,
    "ick": -2.0, "crusty": -1.5, "cheugy": -1.5, "clunky": -1.5, "amateurish": -2.0,
    "abrasive": -1.5, "insufferable": -3.0, "intolerable": -3.0, "crummy": -2.0,
    "lacklustre": -2.0, "lackluster": -2.0, "snoozy": -1.5, "saccharine": -1.5,
    "schmaltzy": -1.5, "mawkish": -1.5, "pretentious": -1.5, "tinny": -1.5,
    # both ways: praise in music slang ("#3 is killer", "#3 kills it", "filthy bass"), blame
    # in the general lexicons; no sign, so that an unseen one is asked about
    "wicked": 0.0, "killer": 0.0, "kills": 0.0, "killing": 0.0, "filthy": 0.0,
    "insane": 0.0, "dirty": 0.0, "crazy": 0.0, "mental": 0.0, "nuts": 0.0,
}
# the words of both signs above: a clause with one of them and no other opinion word is
# asked about, even once training has seen the word used one way ("wicked tune")
BOTH_WAYS = frozenset(w for w, v in MUSIC_OPINION.items() if v == 0.0)


@lru_cache(maxsize=1)
def sentiment_lexicon() -> dict[str, float]:
    """Word valences on VADER's scale (-4 … 4): general knowledge of English sentiment that
    no template of ours has to spell out. The music-opinion words above first, then VADER's
    own words; words they lack come from AFINN (scaled by 0.8) and then from TextBlob's
    adjectives (|polarity| ≥ 0.5, scaled by 3), so "incredible", "mediocre" or
    "forgettable" carry a sign too."""
    lexicon = _vader_lexicon()
    lexicon.update(MUSIC_OPINION)
    for word, score in _afinn_lexicon().items():
        lexicon.setdefault(word, 0.8 * score)
    for word, polarity in _adjective_lexicon().items():
        if abs(polarity) >= 0.5:
            lexicon.setdefault(word, 3.0 * polarity)
    return lexicon


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """About 29,000 English words: the spelling list in TextBlob's package (its
    ``en-spelling.txt``, word counts from public-domain books, read as data). A word in it is
    spelt right, whatever the model knows of it ("store" is no typo of "sore")."""
    text = resources.files("textblob").joinpath("en/en-spelling.txt").read_text("utf-8")
    return frozenset(line.split(" ", 1)[0].lower() for line in text.splitlines()
                     if line and not line.startswith(";"))


def inflections(word: str) -> list[str]:
    """The bare forms an inflected word may come from ("hated" → "hate", "detests" →
    "detest", "replaying" → "replay", "lovin" → "loving"), most likely first. Comparatives
    are left to the mood marks ("sadder"); "-er" is too often part of a word ("banger" typed
    "baner" is no "ban")."""
    out: list[str] = []
    if word.endswith("in") and len(word) >= 5:  # "lovin", "vibin": "-ing" with its g dropped
        out += [word + "g", *inflections(word + "g")]
    for suffix in ("ingly", "edly", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s", "d"):
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        stem = word[: -len(suffix)]
        if suffix in ("ies", "ied"):
            out.append(stem + "y")
            continue
        out.append(stem)
        if suffix not in ("s", "d", "ly"):
            out.append(stem + "e")
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                out.append(stem[:-1])
    return out


def valence(word: str) -> float:
    """A word's valence in the lexicon, or that of the form it is inflected from."""
    return sentiment_lexicon().get(word, 0.0) or inflected_valence(word)


_BRITISH = ((re.compile(r"ll(?=(?:ous|ed|ing|er|est)$)"), "l"),  # "marvellous", "travelled"
            (re.compile(r"(?<=\w{3})our(?=(?:ite|ites|ful|ed|ing|s|able)?$)"), "or"),  # "favourite"
            (re.compile(r"(?<=\w{4})is(?=(?:e|ed|es|ing|ation)$)"), "iz"),  # "rationalise"
            (re.compile(r"yse(?=(?:d|s)?$)"), "yze"))  # "analysed"


def american(word: str) -> str:
    """A word in British spelling put in the American one the lexicons use ("marvellous" →
    "marvelous", "favourite" → "favorite"); any other word as it is."""
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=8192)
def inflected_valence(word: str) -> float:
    """The valence of the form an inflected word comes from ("detests" → "detest"; a British
    spelling counts as the American one: "marvellous" → "marvelous"; 0 when the word is in
    the lexicon itself or no form of it is)."""
    lexicon = sentiment_lexicon()
    if word in lexicon:
        return 0.0
    us = american(word)
    for form in [us] * (us != word) + inflections(word) + inflections(us) * (us != word):
        if form in lexicon:
            return lexicon[form]
    return 0.0


_NEGATOR = re.compile(r"^(?:not|no|never|nothing|hardly|less|isn't|wasn't|aren't|ain't|cannot|"
                      r"\w+n't)$")
_SCOPE = 3  # words after a negator that it turns around ("not very good")
_NO_NEGATOR = 1000  # (no negator yet in the clause)
# two words that negate what follows them ("far from boring", "anything but dull")
_NEGATING_PAIRS = frozenset({("far", "from"), ("anything", "but")})


# words of courtesy, fillers and stance adverbs carry no opinion of a track ("I'm sick of
# #11 please", "ok skip this one", "honestly #15 is mid")
NO_OPINION = frozenset({"please", "pls", "plz", "thanks", "thank", "thx", "cheers", "kindly",
                     "ok", "okay", "k", "yes", "yeah", "yep", "hey", "yo", "well", "sure",
                     "honestly", "actually", "literally", "seriously", "frankly", "tbh"})


_HEDGES = frozenset({"kind", "sort"})
# a "no" said on its own: "nope #3 sucks" is no "#3 doesn't suck"
_INTERJECTIONS = frozenset({"nope", "nah", "naw", "nop", "nopes", "uh-uh", "uhuh"})


# Opinions said in several words, whose words alone say something else or nothing: "gets on
# my nerves" holds no negative word, "can't get enough" a negator, "argue for #2" a word of
# quarrel that asks for reasons. Written from how people talk about songs, on VADER's scale;
# 0 means the words say no opinion of the track. A negator within three words before the
# phrase, or in its ``neg`` group ("I'm not over #3"), turns it around ("#3 never gets on my
# nerves" is no dislike); negators inside a phrase are part of it ("can't stand").
_ME = r"(?:me|us)"
_OWN = r"(?:my|our)"
_IM = r"(?:i'm|im|i am|am|we're|we are)"
_SO = r"(?:(?:so|totally|completely|officially|just|really|kinda|kind of|pretty|well|now|fully)\s+)"
IDIOMS: tuple[tuple[str, float], ...] = (
    # dispraise
    (rf"\b(?:get|gets|getting|got|gotten)\s+on\s+{_OWN}\s+(?:nerves|wick|case)\b", -2.0),
    (r"\b(?:grate|grates|grating|grated)\s+on\s+(?:me|us|my nerves)\b", -2.0),
    # ("drives me crazy" may be praise, as "insane" and "nuts" are: only the walls here)
    (rf"\b(?:drive|drives|driving|drove|driven)\s+{_ME}\s+(?:up the wall|up a wall|"
     r"round the bend|around the bend)\b", -2.0),
    (rf"\b(?:does|do|did|doing)\s+(?:absolutely\s+|literally\s+)?nothing\s+for\s+{_ME}\b", -1.5),
    (rf"\b(?:make|makes|making|made)\s+{_OWN}\s+ears\s+bleed\b|\b{_OWN}\s+ears\s+"
     r"(?:are\s+)?bleeding\b", -2.5),
    (rf"\b(?:hurt|hurts|hurting)\s+{_OWN}\s+(?:ears|head)\b", -2.0),
    (r"\b(?:sick|tired|weary|bored)\s+(?:to death\s+)?(?:of|with)\b", -1.5),
    (r"\bfed\s+up\b", -2.0),
    (rf"\b{_IM}\s+{_SO}*done\s+with\b", -1.5),
    (r"\b(?:had|have had|i've had|ive had)\s+(?:more than\s+)?enough\s+of\b", -2.0),
    (r"\b(?:wore|wears|wearing|worn|wear)\s+(?:a bit\s+|really\s+)?thin\b", -1.5),
    (r"\b(?:got|gets|getting|gotten|get|grown|grew)\s+(?:a bit\s+|real\s+|so\s+|really\s+)?"
     r"(?:old|stale|boring|tiresome)\b|\bold\s+news\b", -1.5),
    (r"\bnails\s+on\s+(?:a\s+)?chalkboard\b", -2.5),
    (r"\bhard\s+pass\b|\bi'?ll\s+pass\b|\bpass\s+on\b", -1.5),
    (r"\b(?:bug|bugs|bugging|bugged)\s+(?:me|us)\b", -1.5),
    (r"\bnot\s+for\s+me\b", -1.5),
    (r"\bturn\s+(?:it|this|that)\s+off\b", -1.5),
    (rf"\b{_IM}\s+(?:(?P<neg>not|never)\s+(?:so\s+)?|{_SO})*over\b(?!\s+the\s+moon)", -1.5),
    (r"\b(?:let|lets|letting)\s+(?:me|us)\s+down\b", -2.0),
    (r"\b(?:wore|wears|wearing|worn)\s+out\s+its\s+welcome\b|\b(?:out|over)stay(?:s|ed)?\s+"
     r"its\s+welcome\b", -2.0),
    # praise
    (r"\b(?:hit|hits|hitting)\s+(?:so\s+)?different\b", 2.0),
    (r"\b(?:can't|cannot|can not|couldn't)\s+get\s+enough\b", 2.5),
    (r"\b(?:can't|cannot|can not|couldn't)\s+stop\s+(?:listening|playing|humming|singing|"
     r"dancing|bopping|vibing)\b", 2.0),
    (rf"\b(?:give|gives|giving|gave|given)\s+{_ME}\s+(?:the\s+)?(?:goosebumps|chills|shivers|"
     r"butterflies|life)\b", 2.5),
    (r"\bchef'?s\s+kiss\b", 2.5),
    (rf"\b(?:grow|grows|growing|grew|grown)\s+on\s+{_ME}\b", 1.5),
    (rf"\b{_OWN}\s+(?:jam|thing|vibe|cup of tea|style|kind of (?:song|track|music|thing)|bag|"
     r"type)\b", 2.0),
    (r"\bright\s+up\s+(?:my|our)\s+(?:alley|street)\b", 2.0),
    (rf"\b(?:speak|speaks|speaking|spoke)\s+to\s+{_ME}\b", 2.0),
    (r"\b(?:hit|hits|hitting)\s+(?:the\s+spot|home|the\s+mark)\b", 2.0),
    (r"\bmusic\s+to\s+(?:my|our)\s+ears\b", 2.5),
    (r"\bover\s+the\s+moon\b", 2.5),
    (rf"\b(?:blew|blows|blow|blowing|blown)\s+(?:{_ME}\s+)?away\b", 2.5),
    (r"\b(?:knock|knocks|knocked)\s+it\s+out\s+of\s+the\s+park\b|\bnailed\s+it\b", 2.5),
    (r"\b(?:go|goes|going|went)\s+(?:so\s+)?hard\b", 2.0),
    (r"\blives?\s+rent\s+free\b", 2.0),
    (r"\b(?:a\s+)?keeper\b", 2.0),
    (r"\btop[\s-]notch\b|\bon\s+point\b", 2.5),
    (r"\bguilty\s+pleasure\b", 1.5),
    (rf"\b(?:a|such a|a big|a huge|big|huge)\s+hit\s+(?:with|for)\s+{_ME}\b", 2.0),
    (r"\bcriminally\s+underrated\b", 2.5),
    (r"\b(?:a|such a|a whole|total)\s+vibe\b(?!\s+(?:kill|killer|ruin|wreck|check))", 2.0),
    # no opinion of the track: asking for reasons in words of quarrel or doubt
    (r"\bargue\s+(?:for|the case)\b|\bmake\s+(?:the|a)\s+case\b|\bsell\s+me\s+on\b|"
     r"\bconvince\s+me\b|\bbreak\s+(?:it\s+)?down\b|\bon\s+what\s+grounds\b", 0.0),
)


@lru_cache(maxsize=1)
def _idioms() -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<i{n}>{pattern.replace('(?P<neg>', f'(?P<neg{n}>')})"
                               for n, (pattern, _) in enumerate(IDIOMS)))


def negated_idioms(text: str) -> set[str]:
    """The marks of the phrases of ``IDIOMS`` in a clause that a negator turns around:
    NOTNEG for "#3 never gets on my nerves", NOTPOS for "not my cup of tea" and "I never
    thought #3 would grow on me"."""
    return set(mark_sentiment(text, phrases_only=True).split(" ")) & {"NOTPOS", "NOTNEG"}


def idiom_spans(words: list[str]) -> dict[int, tuple[int, float, bool]]:
    """The phrases of ``IDIOMS`` among ``words``: the index of each one's last word → (the
    index of its first word, its valence, whether a negator inside it turns it around)."""
    text = " ".join(words)
    starts = {}  # character offset → word index
    offset = 0
    for i, word in enumerate(words):
        starts[offset] = i
        offset += len(word) + 1
    found: dict[int, tuple[int, float, bool]] = {}
    for match in _idioms().finditer(text):
        n = next(int(k[1:]) for k, v in match.groupdict().items() if v and k[0] == "i")
        begin = match.start(f"i{n}")
        while begin not in starts and begin > 0:
            begin -= 1  # (a phrase starts at a word)
        first = starts.get(begin, 0)
        last = len(text[:match.end(f"i{n}")].rstrip().split(" ")) - 1
        negated = bool(match.groupdict().get(f"neg{n}"))
        found[last] = (first, IDIOMS[n][1], negated)
    return found


# words that open a clause of their own inside a sentence: a negator before them does not
# reach the words after them ("I can't believe how good #2 is", "never knew why I loved it")
_SCOPE_ENDS = frozenset({"how", "what", "why", "when", "where", "who", "which"})


def mark_sentiment(text: str, neutral: frozenset[str] = frozenset(),
                   known: frozenset[str] | None = None, phrases_only: bool = False) -> str:
    """Each clearly positive or negative word followed by LEXPOS or LEXNEG, or, within
    three words after a negator ("not good", "don't love"), by NOTPOS or NOTNEG; words in
    ``neutral`` are left unmarked. With ``known`` (the words the model trained on), a word
    outside it that the lexicon lacks is read as the form it is inflected from ("detests",
    "adoring"): the training texts themselves are marked without that."""
    lexicon = sentiment_lexicon()
    out: list[str] = []
    since_negator = _NO_NEGATOR
    words = re.findall(r"[\w'&-]+|[^\w\s]", text)
    idioms = idiom_spans(words)
    inside = {j for last, (first, _, _) in idioms.items() for j in range(first, last + 1)}
    for i, word in enumerate(words):
        out.append(word)
        if i in inside:  # a phrase's words count only as the phrase
            if i in idioms:
                _, score, negated = idioms[i]
                if score:
                    turned = negated or since_negator <= _SCOPE
                    if score > 0:
                        out.append("NOTPOS" if turned else "LEXPOS")
                    else:
                        out.append("NOTNEG" if turned else "LEXNEG")
            continue
        if word in _SCOPE_ENDS:  # "can't believe how good #2 is": the negator stops at "how"
            since_negator = _NO_NEGATOR
            continue
        if phrases_only and not (_NEGATOR.match(word) or is_negator(word)) and \
                word[0].isalnum() and word not in ("but", "though", "although"):
            since_negator += 1
            continue  # (only the phrases' marks: negated_idioms)
        if word in _HEDGES and i + 1 < len(words) and words[i + 1] == "of":
            continue  # "kind of", "sort of": a hedge, not kindness
        if i and (words[i - 1], word) in _NEGATING_PAIRS:  # "far from boring"
            since_negator = 0
            continue
        if not word[0].isalnum() or word in ("but", "though", "although"):
            since_negator = _NO_NEGATOR  # a negation ends with its clause
            continue
        if is_negator(word) and word not in _INTERJECTIONS:
            since_negator = 0
            continue
        since_negator += 1
        score = 0.0 if word in neutral or not word.islower() else lexicon.get(word, 0.0)
        if not score and known is not None and word not in known and word.isalpha():
            score = inflected_valence(word)
        if abs(score) < 1.0:
            continue
        turned = since_negator <= _SCOPE
        if score > 0:
            out.append("NOTPOS" if turned else "LEXPOS")
        else:
            out.append("NOTNEG" if turned else "LEXNEG")
    return " ".join(out)


def one_slip(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with one letter dropped, added, changed or two swapped;
    a letter added or dropped at the end must double the one before it ("awfull"), for a
    word with a letter more at the end is another word ("wack" is no "wacky")."""
    if typed == word:
        return False
    short, long_ = sorted((typed, word), key=len)
    if len(long_) - len(short) == 1:
        if long_.startswith(short):
            return long_[-1] == short[-1]
        return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
    if len(typed) != len(word):
        return False
    diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                              and typed[diff[0]] == word[diff[1]]
                              and typed[diff[1]] == word[diff[0]])


@lru_cache(maxsize=4096)
def is_negator(word: str) -> bool:
    """A negating word ("not", "never", "don't", VADER's list), or "never" with one slip of
    the finger that makes no other English word ("nver", "nveer"; "ever" and "newer" are
    words)."""
    return bool(_NEGATOR.match(word)) or word in _vader_negators() or (
        4 <= len(word) <= 6 and word.isalpha() and word not in english_words()
        and one_slip(word, "never"))


def has_negator(text: str) -> bool:
    """Whether a clause holds a negating word ("not", "never", "don't", VADER's list …) or
    pair of words ("far from", "anything but")."""
    words = re.findall(r"[\w']+", text.lower())
    return any(is_negator(w) for w in words) or \
        any(pair in _NEGATING_PAIRS for pair in zip(words, words[1:], strict=False))


@lru_cache(maxsize=1)
def _analyser() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    # VADER's scoring and negation rules over the wider lexicon
    analyser.lexicon = dict(sentiment_lexicon())
    return analyser


def overall_sentiment(original: str) -> float:
    """VADER's compound score of a clause, -1 … 1: a reading independent of our corpus."""
    return float(_analyser().polarity_scores(original)["compound"])


def delexicalise(text: str) -> str:
    """A normalised text with positions, tempos, decades, genres and numbers as placeholders."""
    text = _REFERENCE.sub(" TRACKREF ", text)
    text = _TEMPO.sub(" BPM ", text)
    for pattern in _DECADE_PATTERNS:
        text = pattern.sub(" DECADE ", text)
    text = _GENRE.sub(" GENRE ", text)
    text = _NUMBER.sub(" NUM ", text)
    return re.sub(r"\s+", " ", text).strip()


MOOD_MARKS = ("MOODCALM", "MOODENERGY", "MOODHAPPY", "MOODSAD", "COMPARE")
_TURNED = {"MOODCALM": "MOODENERGY", "MOODENERGY": "MOODCALM",
           "MOODHAPPY": "MOODSAD", "MOODSAD": "MOODHAPPY"}


@lru_cache(maxsize=1)
def mood_directions() -> dict[tuple[str, ...], str]:
    """Each mood word or phrase the recommender knows (``recommender.mood``: "sleepy",
    "peaceful", "hype", "wistful" …) → the direction it leans furthest from the middle:
    calmer or more energetic (its energy target), happier or sadder (its valence target)."""
    from recommender.mood import MOODS, SYNONYMS

    directions: dict[tuple[str, ...], str] = {}
    for word, mood in [(m, m) for m in MOODS] + list(SYNONYMS.items()):
        targets = MOODS[mood]
        energy = targets.get("energy", 0.5) - 0.5
        valence = targets.get("valence", 0.5) - 0.5
        if max(abs(energy), abs(valence)) < 0.1:
            continue
        if abs(energy) >= abs(valence):
            mark = "MOODENERGY" if energy > 0 else "MOODCALM"
        else:
            mark = "MOODHAPPY" if valence > 0 else "MOODSAD"
        directions[tuple(word.replace("-", " ").split())] = mark
    for mark, words in MOOD_WORDS.items():
        for word in words:
            directions.setdefault(tuple(word.replace("-", " ").split()), mark)
    return directions


# Mood words the recommender's table lacks, by the way they point, so that "cheer it up",
# "more emotional" or "chiller" say which way to reorder (words the test split holds out
# were left out)
MOOD_WORDS = {
    "MOODCALM": ("chill", "chilled", "chilled out", "tender", "cosy", "cozy", "hushed",
                 "lullaby", "zen", "sedate", "placid", "restful", "meditative", "subdued",
                 "muted", "delicate", "easygoing", "easy going", "drowsy", "dozy",
                 "soporific", "low key", "unhurried", "whisper", "whispery", "velvety"),
    "MOODENERGY": ("rowdy", "wild", "fierce", "frantic", "raucous", "rousing", "explosive",
                   "adrenaline", "pumping", "thumping", "high octane", "hard hitting",
                   "heart pumping", "energised", "energized", "electrifying",
                   "vigorous", "powerful", "dynamic", "feisty", "spirited", "frenetic",
                   "revved", "buzzing", "kinetic", "rocking", "stomping", "hyper", "loud"),
    "MOODHAPPY": ("cheer", "cheery", "jolly", "merry", "carefree", "playful",
                  "sunshine", "summery", "joyous", "gleeful", "giddy", "chirpy", "blissful",
                  "festive", "lighthearted", "light hearted", "celebratory",
                  "happy go lucky", "radiant", "elated", "ecstatic", "optimistic", "fun",
                  "sunnier", "smiley", "bright"),
    "MOODSAD": ("emotional", "tearful", "weepy", "teary", "mournful", "sorrowful",
                "downbeat", "downcast", "despondent", "desolate", "forlorn",
                "sentimental", "poignant", "tragic", "grief", "grieving", "doleful",
                "dejected", "morose", "glum", "maudlin", "heavy hearted",
                "broken hearted", "brokenhearted", "lovesick", "sorrow", "tears", "weeping"),
}


@lru_cache(maxsize=4096)
def mood_of(word: str) -> str | None:
    """A mood word's direction, comparatives and superlatives included ("sleepier",
    "gentlest", "sadder" → "sleepy", "gentle", "sad")."""
    directions = mood_directions()
    candidates = [word]
    for suffix in ("ier", "iest"):
        if word.endswith(suffix):
            candidates.append(word[: -len(suffix)] + "y")
    for suffix in ("er", "est"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            candidates += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])  # "sadder" → "sad"
    for candidate in candidates:
        if (candidate,) in directions:
            return directions[(candidate,)]
    if len(word) >= 6:  # a misspelt mood word ("melancholy" typed "mellancholy")
        close = difflib.get_close_matches(word, _mood_words(), n=1, cutoff=0.85)
        if close:
            return directions[(close[0],)]
    return None


@lru_cache(maxsize=1)
def _mood_words() -> list[str]:
    return [key[0] for key in mood_directions() if len(key) == 1 and len(key[0]) >= 5]


def mark_moods(text: str) -> str:
    """Each mood word followed by its direction (MOODCALM, MOODENERGY, MOODHAPPY,
    MOODSAD), turned around within three words after a negator or "less" ("less hype" →
    MOODCALM, "not so gloomy" → MOODHAPPY), so an ordering word the corpus never had still
    says which way it points."""
    words = text.split(" ")
    out: list[str] = []
    since_negator = _SCOPE + 1
    i = 0
    while i < len(words):
        word = words[i]
        pair = tuple(words[i:i + 2])
        mark = mood_directions().get(pair) if len(pair) == 2 else None
        step = 2 if mark else 1
        if mark is None and word.isalpha() and word.islower():
            mark = mood_of(word)
        out += words[i:i + step]
        if not word or not word[0].isalnum() or word in ("but", "though", "although"):
            since_negator = _SCOPE + 1
        elif is_negator(word):
            since_negator = 0
        else:
            since_negator += step
        if mark:
            out.append(_TURNED[mark] if since_negator <= _SCOPE else mark)
        i += step
    return " ".join(out)


@lru_cache(maxsize=1)
def _adjectives() -> frozenset[str]:
    """The adjectives of TextBlob's lexicon (``en-sentiment.xml``, read as data; every word
    form there is an adjective, whatever its opinion) and the mood words."""
    text = resources.files("textblob").joinpath("en/en-sentiment.xml").read_text("utf-8")
    forms = {w.lower() for w in re.findall(r'<word\b[^>]*\bform="([^"]+)"', text) if " " not in w}
    return frozenset(forms | {k[0] for k in mood_directions() if len(k) == 1})


_NOT_COMPARATIVE = frozenset({"later", "never", "ever", "over", "under", "other", "rather",
                              "either", "neither", "whether", "after", "number", "sooner"})


@lru_cache(maxsize=4096)
def is_comparative(word: str) -> bool:
    """Whether a word is the comparative of an adjective ("chiller", "deeper", "jollier",
    "sadder"): a way to reorder what is on screen rather than a new list."""
    if len(word) < 5 or not word.endswith("er") or word in _NOT_COMPARATIVE:
        return False
    stem = word[:-2]
    candidates = [stem, stem + "e", word[:-1]]
    if word.endswith("ier"):
        candidates.append(word[:-3] + "y")
    if len(stem) > 2 and stem[-1] == stem[-2]:
        candidates.append(stem[:-1])
    return any(c in _adjectives() for c in candidates if len(c) >= 3)


def mark_comparatives(text: str) -> str:
    """A clause with COMPARE appended once when it holds a comparative ("chiller", "deeper
    cuts") or "more"/"less" before a mood word ("more emotional", "less hype")."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if is_comparative(word) or i and words[i - 1] in ("more", "less") and (
                mood_of(word) or word in _adjectives()):
            return f"{text} COMPARE"
    return text


def clean(original: str) -> str:
    """The classifier input for a clause as typed."""
    return mark_comparatives(mark_moods(mark_sentiment(mark_asks(mark_directions(
        mark_conversation(delexicalise(fix_references(normalise(original)))))))))


_BOUNDARY = re.compile(r",|;|\bbut\b|\bjust\b|\bonly\b|\bplus\b|\bwith\b|\binstead\b")


def mention_features(text: str, start: int, end: int) -> dict[str, float]:
    """Features of one genre mention: nearby words and the words since the clause began."""
    left = re.findall(r"[\w'&-]+|,", text[:start])
    right = re.findall(r"[\w'&-]+|,", text[end:])
    features: dict[str, float] = {"bias": 1.0}
    for i, word in enumerate(reversed(left[-3:]), start=1):
        features[f"l{i}={word}"] = 1.0
    for i, word in enumerate(right[:2], start=1):
        features[f"r{i}={word}"] = 1.0
    clause = _BOUNDARY.split(text[:start])[-1]
    words = re.findall(r"[\w'&-]+", clause)
    for word in words:
        features[f"clause={word}"] = 0.5
    if any(word in negators() for word in words):
        features["negated_clause"] = 1.0
    if not clause.strip():
        features["clause_start"] = 1.0
    return features


@lru_cache(maxsize=1)
def _vader_negators() -> frozenset[str]:
    """VADER's own list of negating words ("none", "nope", "seldom", "without" …)."""
    from vaderSentiment.vaderSentiment import NEGATE

    return frozenset(NEGATE)


@lru_cache(maxsize=1)
def negators() -> frozenset[str]:
    """Words that turn what follows them down: VADER's list and a few of exclusion."""
    from vaderSentiment.vaderSentiment import NEGATE

    return frozenset(NEGATE) | {"no", "without", "except", "minus", "avoid", "less", "fewer",
                                "exclude", "excluding", "enough", "hate", "skip"}
