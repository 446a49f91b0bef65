"""A chat message read by the trained model into tool requests, or a question back.

The message is cut into clauses (sentence ends, "and then", "now" …; a comma only when the
pieces each read confidently as requests). The intent model decides what each clause asks
for; the slot models and the rules for numbers fill in its arguments. Feedback is only
recorded when the signal model and the separate polarity model agree, both confidently:
otherwise the reader asks, so a "never play it again" can never become a like.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import Any

from recommender.search import simplify

from ..intent.constraints import (
    CHART,
    OBSCURE_MAX_POPULARITY,
    POPULAR_MIN_POPULARITY,
    _decade,
    _tempo,
    _years,
)
from ..intent.context import Clarify, Context, Reading, ToolRequest
from ..intent.message import _SENTENCE_BREAK, _merge_recommends, merge_trait_settings, remember
from ..intent.personality import ODD_TRAIT_SCORE, _described_traits, _explicit_traits
from ..intent.positions import _BARE_NUMBER, _PRONOUN, _track_id, find_position, several_positions
from ..intent.recommend import _SIMILAR, _TARGET_END, read_recommend
from ..intent.words import (
    _GENRE,
    _NUMBER_WORDS,
    GENRE_ALIASES,
    _alternation,
    is_music_word,
    lookup,
    normalise,
)
from .directions import mark_directions
from .features import (
    _REFERENCE,
    BOTH_WAYS,
    NO_OPINION,
    delexicalise,
    fix_references,
    has_negator,
    mood_of,
    negated_idioms,
    overall_sentiment,
    valence,
)
from .model import NEGATIVE_SIGNALS, POSITIVE_SIGNALS, Guess, Understanding, trained

INTENT_THRESHOLD = 0.45  # below it a clause is "unclear"
SIGNAL_THRESHOLD = 0.5  # below it the signal is asked about
POLARITY_THRESHOLD = 0.8  # below it, or if it disagrees with the signal, we ask too
DISAGREEING_SENTIMENT = 0.3  # VADER compound this far the other way: ask
DISAGREEING_SKIP = 0.6  # ("skip it please" reads a little positive: a skip needs more)
LEARNED_WORDS_CONFIDENCE = 0.9  # see feedback_doubts
WEAK_SENTIMENT = 0.2  # VADER compound below this (either way) is no sentiment at all
ACTIONABLE = ("recommend", "rerank", "explain", "feedback", "personality")

_SENTIMENT_MARK = re.compile(r"\b(?:LEXPOS|LEXNEG|NOTPOS|NOTNEG)\b")
# a negator just before a verb of taking a track away: "#4 isn't a skip for me", "I can't
# skip #4", "never delete #3", "I'll never get rid of #3" ask to keep it
_NEGATED_SKIP = re.compile(r"(?:\b(?:no|not|never|cannot)|n't)\W+(?:\w+\W+){0,2}?"
                          r"(?:skip|delete|remove|get rid|ban\b|drop\b|ditch|block|dump|scrap)")
_TAKE_AWAY = re.compile(r"\b(?:get\s+rid|rid\s+me|remove|delete|ditch|bin|scrap|dump|ban|"
                        r"block|axe|toss|trash|chuck\s+(?:out|away)|throw\s+(?:out|away)|"
                        r"take\s+(?:\S+\s+){1,3}off|kick\s+(?:\S+\s+){1,3}out|"
                        r"(?:keep|get|take)\s+(?:\S+\s+){1,4}away|away\s+from\s+me)\b")
# a request to take a track off ("remove number 2", "take out track thirty", "the first one
# has to go", "could you drop it?", "I'd rather not hear #8 again"): a dislike, said as a deed
_REMOVAL = re.compile(
    r"\b(?:remove|delete|ditch|scrap|dump|axe|uninstall|yeet|nuke|get\s+rid\s+of|"
    r"drop\s+(?:it|that|this|#|number|track|song|the\s+(?:\w+\s+)?(?:one|song|track))|"
    r"take\s+(?:out|off)\s+(?:it|that|this|#|number|track|song|the)|"
    r"take\s+(?:\S+\s+){1,3}(?:out|off)|kick\s+(?:\S+\s+){1,3}out|"
    r"(?:(?:has|have|needs?|got)\s+to|gotta|must)\s+go(?!\s+(?:in|into|on|onto|to|with|back|up)\b)|"
    r"rather\s+not\s+(?:hear|listen|have|play)|stop\s+playing|"
    r"turn\s+(?:it|that|this|the\s+(?:\w+\s+){0,2}(?:one|song|track))\s+off|turn\s+off)\b")
# "don't skip #22", "never skipping #14", "#42 is a mood, dont remove it": a wish to keep
# the track (not "I can't skip #4 fast enough")
_KEEP = re.compile(r"(?:\b(?:not|never|cannot)|n't)\s+(?:(?:ever|even|really|just|you|u|we|i|"
                   r"gonna|going\s+to|wanna|want\s+to|be|dare|need\s+to|have\s+to)\s+){0,3}"
                   r"(?:skip|delete|remove|get\s+rid|ditch|scrap|stop\s+playing|"
                   r"take\s+(?:\S+\s+){0,3}(?:off|out))\w*\b"
                   r"(?!.*\b(?:fast|quick|soon|quickly)\s+enough\b)")
_FRANKLY = re.compile(r"\b(?:not\s+(?:gonna|going\s+to|gon)\s+lie|no\s+lie|no\s+cap|ngl|"
                      r"no\s+kidding|not\s+gonna\s+front|no\s+joke|i\s+won'?t\s+lie)\b,?",
                      re.I)
_DEAD_GOOD = re.compile(r"\bdead\s+(?=(?:good|brilliant|nice|great|class|lovely|catchy|fun|cool|"
                        r"gorgeous|beautiful|sound|decent|chill|smooth|funny)\b)", re.I)
_LAUGHTER = re.compile(r"\b(?:lol|lmao|lmfao|rofl|haha\w*)\b", re.I)
_PRAISE = re.compile(
    r"\b(?:sucker|sucka)\s+for\b|\bcan'?t\s+get\s+enough\b|\bobsessed\b|\bhooked\s+on\b|"
    r"\bon\s+(?:repeat|loop)\b|\bstuck\s+in\s+my\s+head\b|\b(?:listen\s+to|play)\s+.*\s+"
    r"(?:all\s+day|forever|on\s+loop)\b|\bgrow(?:s|n|ing)?\s+on\s+me\b|\bhere\s+for\s+it\b|"
    r"\b(?:my|new|latest|current)\s+obsession\b|\bnever\s+gets?\s+old\b|\bhits?\s+different\b|"
    r"\bcan'?t\s+stop\s+(?:playing|listening|replaying|humming|singing|dancing)\b|"
    r"\bma(?:ke|kes|de|king)\s+me\s+(?:(?:so|really|feel|very)\s+)*(?:happy|smile|glad|good|alive|"
    r"grin)\b|\bcan'?t\s+get\s+.{1,25}\s+out\s+of\s+my\s+head\b|\bkeep\s+(?:it|them|these|'em)\s+"
    r"coming\b|\b(?:till|until|til)\s+i\s+die\b")
_BLAME = re.compile(
    r"\boff-?putting\b|\bdoing\s+my\s+head\s+in\b|\bdrives?\s+me\s+(?:mad|nuts|crazy|up\s+the"
    r"\s+wall|insane)\b|\bcan'?t\s+(?:stand|bear|stomach)\b|\bvibe\s+kill|\bkills?\s+the\s+"
    r"(?:vibe|mood)\b|\bnot\s+my\s+cup\s+of\s+tea\b|\bteeth\s+on\s+edge\b|\bcringe\b|"
    r"\btune[\s-]?out\b|\b(?:is|'s)\s+not\s+it\b|\bisn'?t\s+it\b(?!\s*\?)|\bain'?t\s+it\b")
_SLANG_PRAISE = re.compile(r"\b(?:sick|sickest|tight|wicked|killer|filthy|dirty|savage|insane|"
                           r"mental|nuts|crazy|mad|bad\s+ass|badass|fire|lit|destroys|deadly|"
                           r"brutal|criminal|illegal|dangerous|ruined\s+(?:every|all)\s+other)\b"
                           r"(?!\s+(?:of|with))")
_SARCASM = re.compile(
    r"^\W*(?:oh|ah|wow|ooh|yay)\W+(?:\w+\W+)?(?:great|wonderful|fantastic|brilliant|perfect|"
    r"lovely|marvellous|marvelous|super|fabulous|terrific|amazing)\b|\bjust\s+what\s+i\s+"
    r"(?:needed|wanted)\b|\b(?:great|wonderful|fantastic|brilliant|perfect|lovely|amazing)"
    r"\W+(?:another|more|yet\s+another)\b|\bmy\s+favou?rite\s+thing\b|\bsaid\s+no\s+one\b|"
    # "the best part of #26 is when it ends", "#2 is the best... at making me change the
    # station", "great for someone else", "remember when #43 was good? me neither"
    r"\bbest\s+(?:part|thing|bit)\s+(?:of|about)\b|\.\.+\s*(?:at|for|if|when|in)\b|"
    r"\bfor\s+(?:someone|somebody)\s+else\b|\bsome\s+people\b|\bme\s+neither\b|"
    r"\bnot\s+one\s+of\s+them\b|\bsure\s+(?:love|enjoy|like)\b|\bexcept\b|[🙃😑🙄😒🤡]")
_MAKES_ME_WANT = re.compile(r"\b(?:makes?|making|makin'?|made)\s+me\s+(?:want\s+to|wanna|"
                            r"wanting\s+to|feel\s+like)\s+(?P<deed>[\w']+)")
_GLAD_DEED = re.compile(r"(?:dance|dancing|sing|singing|move|groove|jump|party|smile|"
                        r"celebrate|vibe|bop|sway|replay|listen|hear|play|turn|blast|drive|"
                        r"run|work|go)\b")
_TEARS = re.compile(r"(?:cry|crying|weep|sob|tear)")  # of joy or of grief
_NEGATED_BELIEF = re.compile(
    r"\b(?:didn'?t|did\s+not|don'?t|do\s+not|never|wasn'?t|was\s+not|not|hadn'?t)\s+"
    r"(?:\w+\s+)?(?:expect|expected|expecting|think|thought|imagine|imagined|believe|guess|"
    r"guessed|know|knew|realise|realize|realised|realized)\b")
# a deed that names itself: an unseen word beside it ("stick 38 in my roadtrip playlist")
# is no opinion the deed could rest on
_NAMED_DEED = {
    "add_to_playlist": re.compile(r"\b(?:in|into|on|onto|to)\s+(?:my|the|a|our)\s+(?:[\w'-]+\s+)"
                                  r"{0,2}play\s?list\b"),
    "save": re.compile(r"\b(?:save|saving|saved|bookmark|bookmarking|bookmarked)\b"),
}
_RATHER_THAN = re.compile(r"\brather\b.*\bthan\b")
_LIKENESS = re.compile(r"\b(?:sounds?|sounding|looks?|feels?|seems?|smells?)\s+"
                       r"(?:just\s+|a\s+bit\s+|kinda\s+|exactly\s+)?like\b", re.I)
# ("a bit much" is excess; "very much", "so much" are no excess: "I did enjoy #3 very much")
_EXCESS = re.compile(r"\btoo\b(?=\s+(?P<next>[\w']+))?|\ba\s+(?:bit|little|tad)\s+much\b|"
                     r"\boverkill\b", re.I)
_DEGREE = re.compile(r"\b(?:a (?:bit|little|tad)(?: of)?|kind of|kinda|sort of|sorta|totally|"
                     r"total|absolutely|absolute|completely|complete|really|real|way|pretty|"
                     r"quite|rather|super|utterly|just|all)\b", re.I)
# ("next" only before a comma: "next track" is a skip, not a connector and a "track")
_LEADING_CONNECTOR = re.compile(r"^(?:(?:and|oh|so|ok|okay)\s+)?(?:also|then|now|plus|and|"
                                r"after that|next(?=\s*[,:])|btw)\b[\s,:]*", re.I)
_ANY_REFERENCE = re.compile(_REFERENCE.pattern, re.I)
_SECOND_TO_LAST = re.compile(r"\b(?:second|next|2nd)[\s-]+(?:to|from)[\s-]+(?:the[\s-]+)?last\b",
                             re.I)
_COURTESY = re.compile(r"(?<![\w'])(?:" + "|".join(sorted(NO_OPINION, key=len, reverse=True)) +
                       r")(?![\w'])", re.I)
_QUESTION = re.compile(r"\?\s*$|^\W*(?:(?:so|and|but|ok|okay|hey|um|yo)\W+)?(?:why|how|what|which|"
                       r"who|where|whence)\b", re.I)
_WH_QUESTION = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|hey|um|yo)\W+)?(?:what|when|who|"
                          r"which|where|how)\b(?!\s+(?:come|about)\b)(?<!what)|^\W*what\b(?!\s+an?\b)",
                          re.I)  # not "what a banger #3 is": an exclamation
_SAID = re.compile(r"[^\s.,!?;:'\"()-]")  # a word, a number or an emoji
# words that say nothing when a clause holds nothing else ("lol", "hmm ok")
_FILLER = re.compile(r"(?<![\w'])(?:lol|lmao|haha+|hmm+|um+|uh+|ok|okay|so|yeah|yes|well|oh|"
                     r"and|then|also|please|pls|thanks|thx|ty|cheers|hey|hi|hello|tbh|ngl)"
                     r"(?![\w'])", re.I)
_COMMA = re.compile(r"\s*,\s+|\s+-\s+|\s+but\s+(?=.*\d|.*\b(?:it|that|this)\b)")


@dataclass
class ClauseReading:
    """What one clause asks for, and how sure the model is."""

    intent: str
    confidence: float
    request: Reading | None = None
    # a feedback that names no track (and so falls to the track playing): "no lyrics"
    unpointed: bool = False


@dataclass
class MessageReading:
    requests: list[ToolRequest] = field(default_factory=list)
    clarification: str | None = None
    intents: list[ClauseReading] = field(default_factory=list)
    # clauses read as nothing to act on beside others that were ("who sings 9? and put the
    # happy ones first"): the reply says which part it did not understand
    unread: list[str] = field(default_factory=list)


def _split(message: str, model: Understanding) -> list[str]:
    clauses: list[str] = []
    for sentence in _SENTENCE_BREAK.split(message):
        sentence = (sentence or "").strip()
        if not sentence:
            continue
        pieces = [p for p in _COMMA.split(sentence) if p.strip()]
        if len(pieces) > 1 and several_positions(normalise(sentence), Context()) and \
                not _SEVERAL_APART.search(normalise(sentence)):
            pieces = [sentence]  # "dislike #4, #6 and #9": one list of tracks, not requests
        if len(pieces) > 1 and _all_requests(pieces, model):
            clauses += pieces
        else:
            clauses.append(sentence)
    # a later request's leading connector is no part of it ("… . Also underground edm" is
    # no request for an artist called "Also")
    clauses = clauses[:1] + [_LEADING_CONNECTOR.sub("", c) or c for c in clauses[1:]]
    # a track named on its own asks nothing yet: "tune 8? yikes" is one opinion of #8
    merged: list[str] = []
    for clause in clauses:
        if merged and _ONLY_REFERENCE.fullmatch(fix_references(normalise(merged[-1]))):
            merged[-1] = f"{merged[-1].rstrip(' ?!.,;:')} {clause}"
        else:
            merged.append(clause)
    return merged


_GENRES_ONLY = re.compile(r"(?:(?:but|and|or|plus|also|so)\s+)?(?:no|not|without|minus|zero|"
                          r"nothing|except|no more|hold the|skip the|leave out|ditch|ditch the|"
                          r"not any|none of the)\s+"
                          r"GENRE(?:\s*(?:,|and|or|&)?\s*GENRE)*"
                          r"(?:\s+(?:please|thanks|only|too|as well))?\W*")


# a question of one word or two after an opinion: "#11 is an odd pick, why?"
_BARE_WHY = re.compile(r"(?:but\s+|so\s+)?(?:why|how come|how so|what for|why though|why tho)"
                       r"\s*\?*", re.I)
_ONLY_REFERENCE = re.compile(rf"(?:(?:so|and|ok|um|hey|yo|well|hmm)\W+)?(?:the\s+)?"
                             rf"(?:{_REFERENCE.pattern})(?:\s+(?:one|song|track|tune))?[\s?!.,;:]*",
                             re.I)


# a comma after which a new request starts with its own words ("#4, and now something calm")
_SEVERAL_APART = re.compile(r",\s*(?:and\s+)?(?:now|then|also|plus|next)\b")


def _all_requests(pieces: list[str], model: Understanding) -> bool:
    """Cut at commas only if every piece is a confident request on its own and they differ
    (so "something calm, no rap" and "I hate #1, never play it again" stay one clause,
    "love #2, something calmer" becomes two)."""
    if any(not _SAID.search(_COURTESY.sub(" ", _ANY_REFERENCE.sub(" ", p))) for p in pieces):
        return False  # "#5 - reasoning?": a track alone is no request of its own
    if any(_BARE_WHY.fullmatch(p.strip()) for p in pieces[1:]):
        return False  # "#11 is an odd pick, why?": one question about the track
    if any(_GENRES_ONLY.fullmatch(delexicalise(normalise(p))) for p in pieces):
        return False  # "intense, rock-free": a genre left out belongs to the request beside it
    guesses = [_intent_of(p, model) for p in pieces]
    if any(g.label not in ACTIONABLE or g.confidence < 0.6 for g in guesses):
        return False
    if len({g.label for g in guesses}) == len(guesses):
        return True
    if {g.label for g in guesses} == {"feedback"} and len(pieces) == 2:
        # an opinion, then something to do with the same track: "#12 is awesome, save it",
        # "love #3, add it to my playlist"
        first, then = (model.signal_of(p)[0] for p in pieces)
        if then.label in _ACTIONS and first.label != then.label and \
                then.confidence >= 0.6 and _PRONOUN.search(normalise(pieces[1])):
            return True
    # the same request twice, each about its own track: "number 1 is good, number 2 is bad"
    context = Context()
    positions = [find_position(normalise(p), context) for p in pieces]
    return None not in positions and len(set(positions)) == len(positions)


# track titles a name typed in lower case is matched against: the catalogue's, given when
# the app starts (``know_titles``), and the training messages' (``Understanding.track_names``)
_catalogue_titles: Callable[[], Container[str]] = frozenset
TITLE_MIN_LENGTH = 7  # characters of a title found in lower case ("riptide", "dance monkey")
_TITLE_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def know_titles(titles: Callable[[], Container[str]]) -> None:
    """Where the catalogue's simplified track names are, so that "i love sunflower" finds
    "Sunflower": a function, so that the app can hand over the catalogue's own name index
    (``recommender.search.name_index``), built when a message first needs it."""
    global _catalogue_titles
    _catalogue_titles = titles


def _title_in(original: str, model: Understanding, tagged: str = "") -> str | None:
    """A track title said in any case ("i love sunflower", "play blinding lights"), as typed:
    the longest run of words that is a known title, when that length has only one, the title
    is long enough and not made only of words the model saw outside names ("someone like
    you" may be said of anything), unless it holds the name the tagger found (``tagged``:
    "take" of "never play take on me again")."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TITLE_TOKEN.finditer(original)]
    simple = [simplify(t) for t, _, _ in tokens]
    catalogue = _catalogue_titles()
    hint = simplify(tagged)
    for size in range(min(6, len(tokens)), 0, -1):
        found = {(i, " ".join(simple[i:i + size])) for i in range(len(tokens) - size + 1)}
        found = {(i, name) for i, name in found
                 if (name in model.track_names or name in catalogue) and
                 len(name) >= TITLE_MIN_LENGTH and
                 (any(w not in model.known_words for w in name.split()) or
                  hint and f" {hint} " in f" {name} " and hint != name)}
        if len({name for _, name in found}) == 1:
            i = min(i for i, _ in found)
            return original[tokens[i][1]:tokens[i + size - 1][2]]
        if found:
            return None  # two titles as long: which is meant is not clear
    return None


def _reference(text: str, original: str, context: Context, model: Understanding,
               *, fallback: bool) -> str | None:
    """The track a clause points at: a position, an id, a name, "it", or else the current one."""
    track = find_position(text, context) or _track_id(original)
    if track:
        return track
    # "choice 42", "slot 9": a clause with one plain number on the list points at it
    numbers = _BARE_NUMBER.findall(text)
    if len(numbers) == 1 and 0 < int(numbers[0]) <= context.last_position():
        return str(int(numbers[0]))
    names = _names(original, model)
    name = names["TRACK"][0] if "TRACK" in names else ""
    pronoun = _PRONOUN.search(text)
    title = _title_in(original, model, name)
    if title and (not name or simplify(name) in simplify(title)):
        return title  # "i love sunflower"; "old town road is great" (the tagger: "town road")
    # "WHY ON EARTH IS THAT ONE HERE?": a lone tagged word loses to a clear "that one"
    if name and not is_music_word(name) and not (pronoun and len(name.split()) == 1):
        return name
    # "the weeknd song", "that Lizzo track", "the Post Malone one": the track on the list by
    # that artist (the tool finds it, or asks which when the list holds several)
    if (by := _BY_ARTIST.search(original)) and not is_music_word(by["who"]) and \
            not any(w in _NOT_AN_ARTIST or mood_of(w) or valence(w)  # ("the finaal one")
                    for w in model.corrected(by["who"]).lower().split()):
        return f"the {by['who']} song"
    if pronoun or fallback:
        return context.current_track()
    return None


_BY_ARTIST = re.compile(r"\b(?:the|that|this)\s+(?P<who>[\w'&.$!-]+(?:\s+[\w'&.$!-]+){0,3}?)\s+"
                        r"(?:song|one|track|tune|number|jam|record)\b", re.I)
# words of "the ___ song" that say which by something else than an artist
_NOT_AN_ARTIST = frozenset([
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "last", "final", "next", "previous", "other", "same", "new", "old", "top", "bottom",
    "current", "whole", "entire", "earlier", "later", "above", "below", "second-to-last",
    "penultimate", "very", "only", "little", "short", "long", "slow", "fast", "loud", "quiet",
    "latest", "newest", "oldest", "opening", "closing", "middle", "one", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", "a", "an", "my", "your", "this", "that",
    "these", "those", "rap", "rock", "pop", "song", "track",
])


_NAME_GOES_ON = re.compile(r"\s*(?:&|\+|and)\s+(?:[Tt]he\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*")
# a version suffix the tagger cut off a title: " - Remastered 2011", "(feat. Drake)", or the
# year after a "remastered" it kept
_VERSION_SUFFIX = re.compile(r"\s+-\s+(?:\d{4}\s+)?remaster(?:ed)?(?:\s+(?:version\s+)?\d{4})?\b"
                             r"|\s*[(\[](?:feat|ft)\.?\s[^)\]]*[)\]]"
                             r"|(?<=remastered)\s+\d{4}\b|(?<=remaster)\s+\d{4}\b", re.I)
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'])(?P<word>[A-Z][\w'.-]*)\s+$")
_QUOTED = re.compile(r"\"([^\"]+)\"|(?<!\w)'([^']+)'(?!\w)|“([^”]+)”|‘([^’]+)’")


def _names(original: str, model: Understanding) -> dict[str, tuple[str, int, int]]:
    """Track and artist names in a clause: a quoted name as typed, else the tagger's spans."""
    quoted = _QUOTED.search(original)
    if quoted:
        name = next(g for g in quoted.groups() if g)
        return {"TRACK": (name.strip(), quoted.start(), quoted.end())}
    found = model.names_in(original)
    for label, (name, start, end) in list(found.items()):
        if re.search(r"\w{3}\.$", name):  # "play Dance Monkey. slowest first": a full stop
            found[label] = (name[:-1], start, end - 1)
            continue
        # "Anelsa & the Lights", "Simon & Garfunkel": a name goes on after "&" when
        # capitalised words follow (also when the tagger's span stopped just after the "&")
        if joiner := re.search(r"\s*(?:&|\+|\band)$", original[start:end]):
            end = start + joiner.start()
            found[label] = (original[start:end], start, end)
        # "I hate Happy Accident": capitalised words just before the span are the name's
        # own (a mood word the tagger left out), unless they begin the clause
        while not original.isupper() and (before := _CAPITALISED_BEFORE.search(
                original[:start])) and before.start() > 0 and before["word"] not in ("I", "I'm"):
            start = before.start()
            found[label] = (original[start:end], start, end)
        if label == "TRACK" and (suffix := _VERSION_SUFFIX.match(original, end)):
            end = suffix.end()
            found[label] = (original[start:end], start, end)
        more = _NAME_GOES_ON.match(original[end:])
        if more and not any(s <= end + more.end() and start < e for lab, (_, s, e) in
                            found.items() if lab != label and s >= end):
            found[label] = (original[start:end + more.end()], start, end + more.end())
    return found


def _without_name(original: str, text: str, model: Understanding) -> str:
    """A feedback clause without the name of the track it is about, when it points at the
    track by that name (no list position), the name quoted or capitalised as typed in a
    clause that is not all capitals; otherwise the clause as it is (a lower-case word the
    tagger takes for a name may be an opinion)."""
    if find_position(text, Context()) or _BARE_NUMBER.search(text) or original.isupper():
        return original
    names = _names(original, model)
    quoted = bool(_QUOTED.search(original))
    cut = original
    for _, (name, start, end) in sorted(names.items(), key=lambda item: -item[1][1]):
        if (quoted or all(w[:1].isupper() or not w[:1].isalpha() for w in name.split())) \
                and not is_music_word(name):
            cut = cut[:start] + " " + cut[end:]
    return cut if _SAID.search(cut) else original


def feedback_doubts(original: str, model: Understanding, text: str | None = None
                    ) -> tuple[Guess, Guess, float, list[str]]:
    """The signal and polarity read from a feedback clause, VADER's score of it, and every
    reason not to act on that reading (empty: record it)."""
    # "not gonna lie", "no cap": a way of saying what follows is true, not a negation
    original = _FRANKLY.sub(" ", original).strip() or original
    original = _DEAD_GOOD.sub("really ", original)  # "pure dead brilliant": "dead" is "very"
    signal, polarity = model.signal_of(original)
    signal_is_positive = signal.label in POSITIVE_SIGNALS
    normalised = normalise(original)
    text = fix_references(normalised) if text is None else text
    doubts: list[str] = []
    # the guards weigh what is said of the track, not its name: "skip Velvet Harbour" holds
    # no unseen opinion word, "keep Lonely Satellites" no sad one
    original = _without_name(original, text, model)
    normalised = normalise(original)
    if (polarity.label == "positive") != signal_is_positive:
        doubts.append("signal and polarity disagree")
    # a third, independent opinion: VADER's lexicon and negation rules, on the clause without
    # its track reference ("the top one" is no praise) and its courtesy words ("thanks" is no
    # praise of the track either)
    said = _ANY_REFERENCE.sub(" ", model.corrected(original))
    sentiment = overall_sentiment(_COURTESY.sub(" ", said))
    contradiction = DISAGREEING_SKIP if signal.label == "skip" else DISAGREEING_SENTIMENT
    if signal_is_positive and sentiment <= -contradiction or \
            not signal_is_positive and sentiment >= contradiction:
        doubts.append("VADER disagrees")
    # "I detest #3": a like or dislike resting on a word the model never saw, with no
    # sentiment word it knows, is a guess from the sentence's shape: ask instead (however sure
    # the models are: the validation split holds out templates, not words, so it cannot show
    # that acting on an unseen word is safe)
    marks = set(_SENTIMENT_MARK.findall(model.prepare(original)))
    opinion = model.opinion_marks(original)  # the marks less those of courtesy words
    # (a word the feedback models learned a sign from is no unseen word when both models are
    # sure: "bin 26", "can't stand the voice on #21" hold words of the hand-written opinions,
    # not of the templates; unsure, "keep #33 away from me" was a like in the template folds)
    sure = min(signal.confidence, polarity.confidence) >= LEARNED_WORDS_CONFIDENCE
    unknown = [w for w in model.unknown_words(original)
               if not (sure and w in model.feedback_vocabulary)]
    if abs(sentiment) < WEAK_SENTIMENT and (unknown or model.unseen_in_feedback(original)) \
            and not opinion and not (
                (deed := _NAMED_DEED.get(signal.label)) and deed.search(normalised)):
        doubts.append("unseen word")  # (not "stick 38 in my roadtrip playlist": it says so)
    if model.foreign_words(original):  # "tira o 35 por favor" was a like ("favor")
        doubts.append("not in English")
    # with a word the model never saw, a like or a dislike stands only on known opinion
    # words all on its side ("#3 is a solid <unseen>" could be a "solid no")
    if unknown and signal.label in ("like", "dislike") and opinion:
        own = {"LEXPOS", "NOTNEG"} if signal_is_positive else {"LEXNEG", "NOTPOS"}
        if opinion - own:
            doubts.append("unseen word beside mixed opinions")
    # a question with no opinion in it ("what is number 1", "which one is #3?") asks about
    # the track; a like or a dislike read from its shape alone is no opinion to record
    if _QUESTION.search(original) and signal.label in ("like", "dislike") and not opinion \
            and abs(sentiment) < WEAK_SENTIMENT:
        doubts.append("a question with no opinion")
    # "how popular is #8", "what genre is #4?": a question asks about the track, whatever
    # opinion words it holds, unless it is an exclamation ("how good is #2!")
    if _WH_QUESTION.search(original) and not original.rstrip().endswith("!") and \
            signal.label in ("like", "dislike"):
        doubts.append("a question")
    # a track named and nothing said of it ("#5", "the third one please"): no opinion to
    # record, however the shape of the clause reads
    if not _SAID.search(_COURTESY.sub(" ", said)):
        doubts.append("nothing said of the track")
    # a turned-around sentiment word the other way and none for the signal's side: "I don't
    # dislike #2" is not a dislike, "I don't love #2" not a like
    if signal_is_positive and "NOTPOS" in marks and "LEXPOS" not in marks or \
            not signal_is_positive and "NOTNEG" in marks and "LEXNEG" not in marks:
        doubts.append("negated word the other way")
    # sentiment words only on the other side: "I'm sick of #11" is not a like, "I used to
    # love #3" not a dislike
    if signal_is_positive and "LEXNEG" in opinion and not opinion & {"LEXPOS", "NOTNEG"} or \
            not signal_is_positive and "LEXPOS" in opinion and not opinion & {"LEXNEG", "NOTPOS"}:
        doubts.append("opinion words the other way")
    # a positive reading under a negator needs a positive word to stand on: "never again
    # with #10" is no repeat, "don't skip it, it's great" is a like
    if signal_is_positive and has_negator(original) and "LEXPOS" not in marks and \
            sentiment < WEAK_SENTIMENT:
        doubts.append("positive under a negator")
    # a phrase turned around by a negator against the reading ("#3 never gets on my nerves"
    # read as a dislike): whether the negator reaches the phrase is not clear enough to act
    # on; on the reading's side it stands ("#14 is really not my cup of tea" is a dislike;
    # "I never thought #3 would grow on me" is asked about as a negated belief)
    if ("NOTNEG", "NOTPOS")[signal_is_positive] in negated_idioms(delexicalise(normalised)):
        doubts.append("phrase under a negator")
    # two tracks in one clause ("#33 is a letdown then #5 sounds great" left whole): which
    # opinion is about which is not clear
    one_ref = _SECOND_TO_LAST.sub("penultimate", text)  # one track, not "second" and "last"
    if len(_ANY_REFERENCE.findall(one_ref)) > 1 and not several_positions(text, Context()):
        doubts.append("two tracks in one clause")  # (not a list of them: "#3 and #7 are …")
    # a skip or a dislike with a negator just before "skip" or another verb of taking a
    # track away ("#4 isn't a skip for me", "a no-skip", "never delete #3")
    if not signal_is_positive and _NEGATED_SKIP.search(normalised):
        doubts.append("negated removal")
    # an opinion said as what could be, should be, used to be or would be ("#2 could be
    # better", "#6 is supposed to be good", "#3 used to be good", "#9 could be worse"): not
    # the track as it is, and its sign is often the other way
    if signal.label in ("like", "dislike") and _IRREALIS.search(original):
        doubts.append("not said of the track as it is")
    # a verb of taking a track away ("get rid of #4 for good", "bin #5"), a track put below
    # something ("I'd rather listen to drilling than #25") or a likeness ("#41 sounds like a
    # ringtone") is no praise: a positive reading of such a clause is asked about
    unliked = _LAUGHTER.sub(" ", _LIKENESS.sub(" ", original))  # "sounds like … lol"
    if signal_is_positive and (_TAKE_AWAY.search(normalised) and
                               not _NEGATED_SKIP.search(normalised) or
                               _RATHER_THAN.search(normalised) or
                               _LIKENESS.search(normalised) and
                               "LEXPOS" not in model.opinion_marks(unliked)):
        doubts.append("no praise in its words")
    # "track 5 is grating" with "grating" unseen and read as the training word "grate"
    if model.signed_words_misread(original):
        doubts.append("a signed word read as another")
    # a phrase of praise or blame the reading goes against ("I'm a sucker for #1" read as a
    # dislike, "#11 is off-putting" as a like), or slang praise in words of blame ("#3 is
    # sick", "tight", "filthy") read as a dislike: the lexicons know their other sense only
    both = f"{normalised} | {normalise(model.corrected(original))}"  # ("succker", "tigt")
    if signal_is_positive and _BLAME.search(both) or \
            not signal_is_positive and (_PRAISE.search(both) or _SLANG_PRAISE.search(both)):
        doubts.append("a phrase the other way")
    # "#3 is wicked", "number 3 is killer": slang of both signs, with no other opinion word
    if not opinion & {"LEXPOS", "LEXNEG"} and BOTH_WAYS & set(re.findall(r"[\w']+", normalised)):
        doubts.append("a word of both signs alone")
    # praise said as a sigh ("oh wonderful, another autotune ballad", "just what I needed"):
    # sarcasm as often as not, so a positive reading of it is asked about
    if signal_is_positive and _SARCASM.search(normalised):
        doubts.append("praise that may be sarcasm")
    # "#42 is making me wanna throw my phone": what a track makes one want to do carries the
    # sign of that deed, which the models do not know unless it is a word of joy or of music
    if (want := _MAKES_ME_WANT.search(normalised)) and (
            signal_is_positive != bool(_GLAD_DEED.match(want.group("deed"))) or
            _TEARS.match(want.group("deed"))):
        doubts.append("a deed of unknown sign")  # ("makes me wanna dance" read as a dislike)
    # "#4 makes me sad", "this one makes me so emotional": moved, which says nothing of
    # whether it was liked
    if _MOVED.search(normalised) and not re.search(r"\bin\s+(?:a|the)\s+(?:good|best|nice)\s+way\b",
                                                   normalised):  # ("… in a good way")
        doubts.append("moved, of no clear sign")
    # "didn't expect to like #8 but i do", "I don't think I like #8": a negated expectation
    # or belief says little of which way the opinion after it goes
    if _NEGATED_BELIEF.search(normalised):
        doubts.append("a negated expectation")
    # "zero complaints about #12", "#16 has zero redeeming qualities": "zero" turns the words
    # after it around, which the lexicons do not know
    if re.search(r"\bzero\b", normalised):
        doubts.append("zero")
    # "a bit much", "way too loud": excess is no praise, unless it is too much of a good thing
    if signal_is_positive and any(
            not (m.group().lower() == "too" and overall_sentiment(m.group("next") or "") > 0)
            for m in _EXCESS.finditer(original)):
        doubts.append("excess")  # ("way too good to skip" is praise: the word after "too")
    # degree words ("a bit", "total", "real", "way", "kind of") carry no sign: a reading
    # that turns around once they are taken out rests on them, so ask ("#3 is a total snooze")
    plain = _DEGREE.sub(" ", original)
    if not doubts and plain != original:
        _, plain_polarity = model.signal_of(re.sub(r"\s+", " ", plain).strip())
        if (plain_polarity.label == "positive") != signal_is_positive:
            doubts.append("rests on degree words")
    if signal.confidence < SIGNAL_THRESHOLD:
        doubts.append("signal unsure")
    if polarity.confidence < POLARITY_THRESHOLD:
        doubts.append("polarity unsure")
    # a phrase of praise or blame on the reading's side, with no negator outside it ("#35 is
    # doing my head in", "can't stop playing #23"): it carries the sign the models were
    # unsure of, or the unseen word beside it
    praise, blame = _PRAISE.search(normalised), _BLAME.search(normalised)
    phrase = praise if signal_is_positive else blame
    if phrase and not (blame if signal_is_positive else praise) and not has_negator(
            normalised[:phrase.start()] + " " + normalised[phrase.end():]):
        doubts = [d for d in doubts if d not in _SOFT_DOUBTS]
    return signal, polarity, sentiment, doubts


# doubts that a phrase of praise or blame on the reading's side answers
_SOFT_DOUBTS = frozenset({"unseen word", "polarity unsure", "signal unsure",
                          "signal and polarity disagree", "unseen word beside mixed opinions"})


ENGLISH_ONLY = ("Sorry, I only understand English for now. Try \"something calm\", \"why "
                "number 3?\" or \"I don't like #3\".")
# the question back for a clause about the speaker that names no track; beside a request it
# is taken as the reason for that request ("sad songs please, had a rough day")
ABOUT_ONESELF = ("Is that about a track, or about how you feel? Name the track (\"I don't like "
                 "#3\"), or ask for music for it (\"something to cheer me up\").")
# the question back for an opinion of the whole list; beside a request it is that request's
# reason too ("randomise the order, i'm bored of this sequence")
WHOLE_LIST = ("Do you mean the whole list? Say \"something different\" for a new one, or tell "
              "me which track (\"I don't like #3\").")
# a position written as a number the list cannot have: negative, with a fraction or an
# exponent, or past its end
_ODD_NUMBER = re.compile(r"(?:#\s*|\b(?:number|track|song|tune|no\.?|position)\s*#?\s*)"
                         r"(?P<n>-\d+(?:[.,e]\d+)?|\d+(?:[.e]\d+)+|\d+)(?![\w.])", re.I)
_NUMBERED = re.compile(r"(?:#\s*|\b(?:number|track|song|tune|no\.?|position|pick|item|entry|"
                       r"option|slot)\s*#?\s*)(-?\d+)\b", re.I)
# a clause about the speaker ("I'm tired", "feeling good today")
_SELF_STATE = re.compile(
    r"^\W*(?:(?:so|well|ok|okay|honestly|tbh|ugh|man|hmm|um|yo)\W+)*(?:i'?m|i\s+am|i\s+feel|"
    r"i'?ve\s+been|i\s+was|feeling|felt|(?:i\s+)?(?:had|having)\s+(?:a|such\s+a|the)\s+"
    r"(?:\w+\s+)?(?:day|week|night|morning|time))\b", re.I)
_IRREALIS = re.compile(
    r"\b(?:could|would|should|might|coulda|woulda|shoulda)(?:\s+have|'ve|\s+of)?\s+(?:\w+\s+)?"
    r"(?:be|been)\b|\b(?:supposed|used)\s+to\s+be\b|\bthan\s+nothing\b|"
    r"\bused\s+to\s+(?:\w+\s+)?(?:love|like|enjoy|adore|dig|rate|hate|dislike|be\s+into)\b|"
    r"\bif\s+(?:it|only|they|you)\b|\bi\s+wish\b|"
    r"\b(?:it'?d|that'?d|it\s+would)\s+be\b.*\bif\b|\bremember\s+when\b", re.I)
_A_TRACK = re.compile(r"\b(?:the|this|that)\s+(?:song|track|tune|one)\b", re.I)
# words for the whole list rather than one track of it ("these are great", "this list sucks")
_WHOLE_LIST = re.compile(
    r"\b(?:these|those|them|they|all\s+of\s+(?:it|them|these|this)|it\s+all|everything|none\s+of|"
    r"any\s+of|(?:the|this|your|my)\s+(?:whole\s+|entire\s+)?(?:list|playlist|lot|selection|mix|"
    r"picks|choices|suggestions|recommendations|songs|tracks|tunes|sequence|order|lineup|"
    r"line-up|queue|setlist))\b", re.I)


# words that ask for music in a clause read as a new list of anything ("play something",
# "more songs please", "what else you got")
_ASKS_FOR_MUSIC = re.compile(r"\b(?:play|put\s+on|give|gimme|something|anything|songs?|tracks?|"
                             r"tunes?|music|stuff|list|more|else|another|new|recommend|"
                             r"suggest|queue|spin)\b", re.I)


# a clause whose subject is a track and whose verb follows ("#6 puts me to sleep", "number
# 10 is too shouty for a sunday morning")
_TRACK_DOES = re.compile(r"^\W*(?:the\s+)?(?:#\s*\d+|(?:number|track|song|no\.?)\s+\d+|"
                         r"\w+(?:st|nd|rd|th)(?:\s+(?:one|song|track|tune))?|"
                         r"(?:first|last|top)\s+(?:one|song|track|tune))\s+(?:(?:really|just|"
                         r"honestly|kinda|always|never|totally|actually|literally)\s+)?"
                         r"(?:is|was|isn't|wasn't|puts|makes|gets|feels|does|doesn't|has|"
                         r"drags|bores|annoys|irritates|grates|rocks|rules|kills|hits|slaps)\b",
                         re.I)


_MOVED = re.compile(r"\bma(?:ke|kes|de|king)\s+me\s+(?:(?:so|really|feel|kinda|a\s+bit)\s+)*"
                    r"(?:sad|cry|emotional|nostalgic|tear\w*|weep|sob|melancholic|melancholy)\b")
# a track said, by a pronoun, to make the listener feel something ("this song makes me
# happy", "that one made me smile")
_IT_MAKES_ME = re.compile(r"^\W*(?:(?:oh|wow|ok|okay|honestly|omg)\W+)*(?:this|that|it)"
                          r"(?:\s+(?:one|song|track|tune))?\s+"
                          r"(?:(?:really|just|always|honestly|literally)\s+)?"
                          r"(?:make|makes|made|making)\s+me\b", re.I)
# words of reordering, or a comparative ("calmer", "more upbeat", "less pop"), in a clause
# read as a reordering: without them ("too slow") it says how something is, not how to sort
_ORDERING = re.compile(r"\b(?:sort|sorted|order|ordered|rank|ranked|re-?arrange|re-?order|"
                       r"re-?sort|shuffle|reverse|flip|first|top|up|lead|bottom|last|down|put|"
                       r"move|bump|float|push|start|begin|bring|higher|lower|more|less|"
                       r"\w{3,}(?:er|ier))\b", re.I)


# a clause that opens with a track and what it sounds like ("#18 sounds like elevator music")
_TRACK_SOUNDS = re.compile(r"^\W*(?:(?:honestly|ok|okay|so|lol|ngl|tbh|um|hmm|wow|ugh)\W+)*"
                           r"(?:the\s+)?[#\w-]+(?:\s+[\w-]+){0,2}?\s+(?:(?:sounds|sound|is\s+"
                           r"sounding)\s+(?:\w+\s+){0,2}?like|reminds?\s+me\s+of|takes?\s+me\s+"
                           r"back)\b", re.I)


# a clause that opens with the command to skip ("skip #4", "could you skip no. 19 please")
_SKIP_NOW = re.compile(r"^\W*(?:(?:please|pls|plz|can\s+you|could\s+you|can\s+u|could\s+u|"
                       r"would\s+you|just|ok|okay|yeah|yep|nah|ugh|so|right|now|and)\W+)*"
                       r"skip\b(?!\s+(?:to|ahead|back)\b)", re.I)


def _both_signs(requests: list[ToolRequest]) -> str | None:
    """The track a message gives feedback of both signs on, if any."""
    signs: dict[str, set[bool]] = {}
    for request in requests:
        if request.name == "feedback":
            track = str(request.args["track"])
            signs.setdefault(track, set()).add(request.args["signal"] in POSITIVE_SIGNALS)
    return next((track for track, seen in signs.items() if len(seen) == 2), None)


_UNHEARD = re.compile(r"\b(?:never|not|haven'?t|have\s+not|hadn'?t|had\s+not|didn'?t)\s+"
                      r"(?:ever\s+)?(?:heard|hear|know|knew)\s+(?:of\s+)?(?:it|this|that|them|the\s+song|"
                      r"this\s+one|that\s+one|before)\b", re.I)
# a clause that is only an excess or a likeness: a reason, not a request
_REASON_ONLY = re.compile(r"^\W*(?:(?:and|but|just|so|way|far|much|a\s+bit|bit|kinda|a\s+little|"
                          r"waaa*y|soo*)\s+)*(?:too\s+\w+|like\s+(?:a|an|the|some|my)\b)", re.I)
_MORE_LIKE_IT = re.compile(r"^\W*(?:and\s+|now\s+|then\s+)?(?:(?:give\s+me|play|find|some)\s+)?"
                           r"more\s+like\s+(?:it|that|this)(?:\s+(?:one|song|track))?"
                           r"(?:\W+(?:please|pls|plz|thanks))*\W*$", re.I)
# a wish for no more music like a track
_NOT_LIKE = re.compile(r"\b(?:no|never|less|fewer|stop|don'?t|do\s+not|not\s+any)\s+(?:[\w']+\s+)"
                       r"{0,5}?(?:like|similar\s+to)\b")
# a clause of words that ask for nothing by themselves
_NOTHING_ASKED = re.compile(r"^\W*(?:(?:right\s+)?now|asap|immediately|quick(?:ly)?|please|pls|plz|"
                            r"lol|haha\w*|ok|okay|and)(?:\W+(?:now|please|pls|plz|thanks|lol))*"
                            r"\W*$", re.I)
# a command to skip that closes a clause ("…, next", "…, pass", "… lol, no")
_SKIP_AFTER = re.compile(r"(?:[,.;!]|\bbut)\s*(?:(?:so|just|ok|okay|lol|haha)\s+)*"
                         r"(?:next|pass|skip(?:\s+it)?|nope|no)"
                         r"(?:\s+(?:please|pls|plz|thanks|thx|lol|sorry))*\W*$", re.I)
# a command to take the track off that closes a clause ("…, remove it", "… kill it")
_REMOVE_AFTER = re.compile(
    r"(?:[,.;!]|\bbut)\s*(?:(?:so|just|please|pls|now|then)\s+)*(?:(?:remove|delete|cut|kill|drop|"
    r"ditch|bin|scrap|get\s+rid\s+of)(?:\s+(?:it|that|this|them|that\s+one|this\s+one|"
    r"#\s*\d+|number\s+\d+))?(?:\s+(?:out|off))?|take\s+(?:(?:it|that|this|them|that\s+one|"
    r"this\s+one|#\s*\d+|number\s+\d+)\s+)?(?:out|off))"
    r"(?:\s+(?:please|pls|plz|now|thanks|thx))*\W*$", re.I)
# an opinion that changed, then "but" and the opinion now
_CHANGED_MIND = re.compile(
    r"\b(?:used\s+to|at\s+first|wasn'?t\s+sure|was\s+not\s+sure|didn'?t\s+(?:expect|think)|"
    r"did\s+not\s+(?:expect|think)|wasn'?t\s+expecting|was\s+not\s+expecting|never\s+thought|"
    r"was\s+(?:skeptical|sceptical)|not\s+expecting|had\s+my\s+doubts)\b"
    r"(?:(?!\bbut\b).)*\bbut\s+(?:(?:now|then|yeah|honestly|tbh|these\s+days)\W+)*(?P<now>\S.*)$")
# "it's", "it was": the "it" that _PRONOUN leaves out ("it's too loud in here"), of the track
# only after a clause that pointed at one
_IT_IS = re.compile(r"\b(?:it'?s|it\s+(?:is|was|sounds|feels))\b", re.I)
# "I'm tired of it all": no "it" of one track (but "I played it all the way through" is)
_IT_ALL = re.compile(r"\bit\s+all\b(?!\s+(?:the\s+way|through|over|again|day|night)\b)")
# the words of a feedback that names no track and holds no opinion word ("pass", "next",
# "save", "again"): without one, such a clause says nothing of the track playing
_FEEDBACK_WORD = re.compile(r"\b(?:skip\w*|next|pass|now|later|save\w*|bookmark\w*|repeat\w*|"
                            r"again|replay\w*|loop|playlist|heart|keep\w*|remove|delete|ban|"
                            r"block|never|through|end|whole|listen\w*|finish\w*|fave|fav|"
                            r"favou?rite|banger|bop|tune|jam|vibe\w*|fire|slaps?|hits?|mid|meh|"
                            r"trash|garbage|cringe)\b")


def _feedback(text: str, original: str, context: Context, model: Understanding,
              said: str | None) -> Reading | None:
    """A feedback clause's request or question; ``said`` is the track it names, if any."""
    signal, polarity, sentiment, doubts = feedback_doubts(original, model, text)
    if said is None and (wrong := _NUMBERED.search(original)) and \
            not 0 < int(wrong.group(1)) <= context.last_position():
        # "#99999 is great", "track 0 sucks": a number the list does not have
        return Clarify(f"The list has {context.last_position()} tracks, so there is no number "
                       f"{wrong.group(1)}. Which one do you mean?")
    if (said is None or _IT_ALL.search(text) and not find_position(text, context)) and \
            _WHOLE_LIST.search(_without_name(original, text, model)):
        # an opinion of the whole list is no opinion of its first track
        return Clarify(WHOLE_LIST)
    if said is None and (_SELF_STATE.search(original) or model.opens_unlike_feedback(original)) \
            and not _A_TRACK.search(original):
        # "I'm tired", "im in a good mood": how the listener feels, not what a track is
        return Clarify(ABOUT_ONESELF)
    if said is None and not model.opinion_marks(original) and \
            abs(sentiment) < WEAK_SENTIMENT and not _FEEDBACK_WORD.search(normalise(original)) \
            and not re.search(r"\b(?:this|that|it)\b", normalise(original)):
        return None  # "i have two dogs": no track named, and nothing said of one
    if (unheard := _UNHEARD.search(original)) and not model.opinion_marks(
            original[:unheard.start()] + " " + original[unheard.end():]):
        return None  # "never heard of it": new to the listener, no opinion of it
    track = said or context.current_track()  # "pass", "it is bad": the track playing now
    if said is not None and _SKIP_NOW.match(original) and not has_negator(original):
        # "skip the top one pls, heard it way too much": the command says what to do, and
        # what follows it is the reason, whichever way the models read the reason
        return ToolRequest("feedback", {"track": track, "signal": "skip"})
    closing = _SKIP_AFTER.search(original)
    if said is not None and closing and not has_negator(_SKIP_AFTER.sub(" ", original)) and (
            "skip" in closing.group().lower() or "LEXPOS" not in _plain_opinion(original, model)):
        # "#10 is too shouty for a sunday morning, next": a closing command says what to do
        # ("#3 is fine I guess but skip": said as "skip", whatever praise comes before it)
        return ToolRequest("feedback", {"track": track, "signal": "skip"})
    if said is not None and closing and signal.label in POSITIVE_SIGNALS:
        return Clarify(liked_or_not(track))  # "#5 is great but no": praise, then a no
    if said is not None and _REMOVE_AFTER.search(original) and not _KEEP.search(
            normalise(original)):
        # "nice melody but #29 goes on forever, cut it": the closing command decides
        return ToolRequest("feedback", {"track": track, "signal": "dislike"})
    deed = _deed(original, model)
    if deed is not None and (doubts or (deed in POSITIVE_SIGNALS) != (signal.label in
                                                                     POSITIVE_SIGNALS)):
        # the models unsure or the other way ("remove #2 from my playlist" read as an add):
        # the deed said in plain words decides (sure and of its sign, the models' signal is
        # kept: "22 played all the way, didn't skip a bit" is played through)
        return ToolRequest("feedback", {"track": track, "signal": deed})
    if doubts and (changed := _CHANGED_MIND.search(normalise(original))):
        # "i used to like 18 but im so sick of it now", "wasn't sure about 30 at first but
        # its really good": what is said after the "but" is the opinion now
        now, _, _, now_doubts = feedback_doubts(changed["now"], model)
        if not now_doubts:
            return ToolRequest("feedback", {"track": track, "signal": now.label})
    if not doubts or set(doubts) == {"signal unsure"} and signal.label in POSITIVE_SIGNALS \
            and polarity.label == "positive":
        # (only which praise is unsure, a like or a repeat: the sign is not, and the models'
        # best guess is of that sign)
        return ToolRequest("feedback", {"track": track, "signal": signal.label})
    if "not in English" in doubts:
        return Clarify(ENGLISH_ONLY)
    shown = _shown(track)
    if signal.label in NEGATIVE_SIGNALS and (polarity.label == "negative" or sentiment < 0) \
            and set(doubts) <= {"signal unsure"}:
        # only which of two negatives is unsure: the sign is not, so ask which ("makes me
        # wanna dance", doubted for its sign, is asked whether it was liked at all)
        return Clarify(f"Do you want me to skip {shown}, or never show it again?")
    return Clarify(liked_or_not(track))


def _deed(original: str, model: Understanding) -> str | None:
    """The signal of a clause that asks to remove or to keep its track in plain words, when
    nothing else in it goes the other way; ``None`` otherwise (the models decide)."""
    normalised = normalise(original)
    if "?" in original and _WH_QUESTION.search(original) or \
            len(re.findall(r"\b(?:not|never|no|cannot)\b|n't\b", normalised)) > 1:
        return None  # "why did you remove #4?", "I'd never not skip #4"
    # (the opinion words beside the wish, not the negated verb: "never skipping" is no
    # negated praise)
    if _KEEP.search(normalised) and "?" not in original and \
            not model.opinion_marks(_KEEP.sub(" ", normalised)) & {"LEXNEG", "NOTPOS"}:
        return "like"  # ("can't we skip #4?" asks for the skip)
    removal = _REMOVAL.search(normalised)
    if removal and not _KEEP.search(normalised) and not _plain_opinion(
            normalised[:removal.start()] + " " + normalised[removal.end():], model) & {
                "LEXPOS", "NOTNEG"}:
        return "dislike"  # ("stop playing #22": no praise in "playing")
    return None


def _plain_opinion(text: str, model: Understanding) -> set[str]:
    """The opinion marks of a clause less its likenesses and laughter ("sounds like a cat
    in a blender lol" holds no praise)."""
    return set(model.opinion_marks(_LAUGHTER.sub(" ", _LIKENESS.sub(" ", text))))


def _named_track(clause: str, context: Context, model: Understanding) -> str | None:
    """The track a clause names by its position or its title, if any (not "it")."""
    text = fix_references(normalise(clause))
    return find_position(text, context) or _title_in(clause, model) or next(
        (name for name, _, _ in [_names(clause, model).get("TRACK", ("", 0, 0))]
         if name and not is_music_word(name) and name[:1].isupper()), None)


def _shown(track: str) -> str:
    return f"#{track}" if track.isdigit() else f"\"{track}\""


def liked_or_not(track: str) -> str:
    """The question back when the sign of an opinion of ``track`` is not clear."""
    shown = _shown(track)
    return f"Did you like {shown} or not? Say \"I like {shown}\" or \"never show {shown} again\"."


def _explain(text: str, original: str, context: Context, model: Understanding) -> Reading:
    if (odd := _ODD_NUMBER.search(original)) and not (
            odd["n"].isdigit() and 0 < int(odd["n"]) <= context.last_position()):
        # "why track -1?", "why number 1e3?": no position of the list
        return Clarify(f"The list has {context.last_position()} tracks, so there is no number "
                       f"{odd['n']}. Which one do you mean?")
    track = _reference(text, original, context, model, fallback=False)
    if track is None and (bare := _BARE_NUMBER.search(text)):
        track = str(int(bare.group(1)))
    if track is None:
        if _GENRE.search(text) or re.search(r"\b(?:genre|songs|tracks|music|keep)\b", text):
            return Clarify("Which track should I explain? Say, for example, \"why number 3?\".")
        track = context.current_track()
    return ToolRequest("explain", {"track": track})


# "newest to oldest", "from famous to unknown", "happiest to saddest": which end comes first
# is word order, which the criterion model (words and pairs of words) cannot see
_FIRST_END = {
    "newest": "newer", "latest": "newer", "most recent": "newer", "new": "newer",
    "newer": "newer", "oldest": "older", "earliest": "older", "old": "older",
    "older": "older", "fastest": "faster", "quickest": "faster", "fast": "faster",
    "faster": "faster", "slowest": "slower", "slow": "slower", "slower": "slower",
    "most popular": "more_popular", "popular": "more_popular", "famous": "more_popular",
    "most famous": "more_popular", "well known": "more_popular", "well-known": "more_popular",
    "best known": "more_popular", "mainstream": "more_popular", "biggest": "more_popular",
    "hits": "more_popular", "least popular": "less_popular", "unknown": "less_popular",
    "least known": "less_popular", "obscure": "less_popular", "most obscure": "less_popular",
    "niche": "less_popular", "underground": "less_popular", "rarest": "less_popular",
    "least famous": "less_popular", "happiest": "happier", "happy": "happier",
    "cheeriest": "happier", "cheerful": "happier", "saddest": "sadder", "sad": "sadder",
    "gloomiest": "sadder", "calmest": "calmer", "calm": "calmer", "chillest": "calmer",
    "chill": "calmer", "quietest": "calmer", "softest": "calmer",
    "most energetic": "more_energetic", "energetic": "more_energetic",
    "loudest": "more_energetic", "wildest": "more_energetic", "hardest": "more_energetic",
}
_OPPOSITE = {"newer": "older", "older": "newer", "faster": "slower", "slower": "faster",
             "more_popular": "less_popular", "less_popular": "more_popular",
             "happier": "sadder", "sadder": "happier", "calmer": "more_energetic",
             "more_energetic": "calmer"}
_ENDS = "|".join(re.escape(e).replace(r"\ ", r"[\s-]+")
                 for e in sorted(_FIRST_END, key=len, reverse=True))
_FROM_TO = re.compile(
    rf"\b(?P<first>{_ENDS})\s+(?:songs?\s+|tracks?\s+|ones?\s+|stuff\s+)?"
    rf"(?:to|->|→|till|until)\s+(?:the\s+)?(?P<second>{_ENDS})\b")


# "sort by bpm, lowest first": what is sorted on, and which end comes first
_SORT_TOPIC = {"BYTEMPO": ("slower", "faster"), "BYPOPULARITY": ("less_popular", "more_popular"),
               "BYYEAR": ("older", "newer")}
_LOW_FIRST = re.compile(r"\b(?:lowest|least|smallest|fewest|ascending|low(?:est)? to high(?:est)?"
                        r"|bottom up)\b")
_HIGH_FIRST = re.compile(r"\b(?:highest|most|biggest|largest|descending|high(?:est)? to "
                         r"low(?:est)?|top down)\b")


def _word_order(text: str, criterion: str) -> str:
    """The criterion named first in "A to B" when A and B are opposite ends of the
    criterion the model read (or of its opposite); for a list sorted by a number of its own
    ("by bpm, lowest first", "popularity, highest first"), the end named first."""
    topics = [t for t in _SORT_TOPIC if t in mark_directions(text).split(" ")]
    sortable = {c for pair in _SORT_TOPIC.values() for c in pair}
    if len(topics) == 1 and criterion in sortable:
        low, high = _SORT_TOPIC[topics[0]]
        low_first, high_first = _LOW_FIRST.search(text), _HIGH_FIRST.search(text)
        if low_first and not high_first:
            return low
        if high_first and not low_first:
            return high
    ends = _FROM_TO.search(text)
    if ends is None:
        return criterion
    first = _FIRST_END[re.sub(r"[\s-]+", " ", ends["first"])]
    second = _FIRST_END[re.sub(r"[\s-]+", " ", ends["second"])]
    if _OPPOSITE.get(first) == second and criterion in (first, second):
        return first
    return criterion


# a genre sent to the bottom: "less rap", "fewer pop songs"; "rap last", "the rap ones down"
_LESS_BEFORE = re.compile(r"\b(?:less|fewer)\s+(?:of\s+)?(?:the\s+)?$")
_DOWN_AFTER = re.compile(r"\s*(?:ones?|songs?|tracks?|stuff|bits?)?\s*(?:to\s+the\s+)?"
                         r"(?:last|at\s+the\s+(?:bottom|end)|bottom|down|lower)\b")
# orders with no criterion of their own: "shuffle them", "reverse the order"
_SHUFFLE = re.compile(r"\b(?:re)?shuffle|\brandomi[sz]e|\bmix\s+(?:it|them|these|the\s+list|"
                      r"the\s+order|things)\s+up\b|\brandom\s+order\b|\bmix\s+(?:up\s+)?"
                      r"(?:the\s+)?(?:order|list|songs|tracks)\s+(?:randomly|at\s+random)\b|"
                      r"\b(?:order|sort|arrange|play)\s+(?:\w+\s+){0,2}(?:randomly|at\s+random)\b",
                      re.I)
_REVERSE = re.compile(r"\brevers(?:e|ed)\b|\bflip\s+(?:it|them|the\s+(?:list|order))|"
                      r"\bupside\s+down\b|\bbackwards?\b|\bbottom\s+(?:one\s+)?first\b|"
                      r"\blast\s+one\s+first\b|\bturn\s+(?:it|them|the\s+(?:list|order))\s+a?round\b|"
                      r"\bbottom(?:'s|\s+is|\s+ones?)?\s+(?:at\s+the\s+|on\s+)top\b", re.I)
# a clause that is only such an order ("shuffle", "reverse the list please")
_ORDER_ONLY = re.compile(
    r"^\W*(?:(?:please|pls|can\s+you|could\s+you|just|now|ok|okay|and|then)\W+)*"
    r"(?:(?:re)?shuffle|randomi[sz]e|mix\s+up|reverse|flip)(?:\W+(?:it|them|these|the|my|"
    r"this|list|order|playlist|songs|tracks|up|around|please|pls|thanks))*\W*$", re.I)


# a verb of ordering and what to order by: "group these by genre", "cluster the songs by
# decade", "organise them by popularity" reorder the list, whatever the words between
_SORT_BY = re.compile(r"\b(?:sort|order|group|cluster|organi[sz]e|arrange|rearrange|rank|"
                      r"categori[sz]e|bunch)(?:s|ed|ing)?\b(?:\s+[\w']+){0,5}?\s+by\s+"
                      r"(?:their\s+|the\s+)?(?:genres?|decades?|years?|era|popularity|tempo|bpm|"
                      r"release\s+(?:date|year))\b", re.I)


def _genre_last(text: str) -> str | None:
    """The genre a clause sends to the bottom ("less rap", "put the rap at the bottom",
    "move the country songs down", "rap last"), if it does."""
    genre = _GENRE.search(text)
    if genre is None:
        return None
    before, after = text[: genre.start()], text[genre.end():]
    # "less electronic", "less jazzy" say how the music sounds: the criterion model reads them
    adjective = genre.group().lower() in ("electronic", "electronica", "jazzy")
    if _LESS_BEFORE.search(before) and not adjective or _DOWN_AFTER.match(after):
        return str(lookup(GENRE_ALIASES, genre.group()))
    return None


def _rerank(text: str, original: str, model: Understanding) -> Reading:
    if _SHUFFLE.search(original):
        return ToolRequest("rerank", {"criterion": "shuffle"})
    if _REVERSE.search(original):
        return ToolRequest("rerank", {"criterion": "reverse"})
    if last := _genre_last(text):
        return ToolRequest("rerank", {"criterion": "genre_last", "genre": last})
    criterion = _word_order(text, model.criterion_of(original).label)
    if criterion == "genre":
        genre = _GENRE.search(text)
        if genre is None:  # "sort by genre", "group them by genre": grouped, most common first
            return ToolRequest("rerank", {"criterion": "genre"})
        return ToolRequest("rerank", {"criterion": "genre",
                                      "genre": lookup(GENRE_ALIASES, genre.group())})
    if criterion == "decade":
        decade = _decade(text)
        if decade is None:  # "sort by decade": by release year, newest first as "sort by year"
            return ToolRequest("rerank", {"criterion": _word_order(text, "newer")})
        return ToolRequest("rerank", {"criterion": "decade", "decade": decade[0]})
    return ToolRequest("rerank", {"criterion": criterion})


_ARTIST_FRAME = re.compile(
    r"\b(?:(?:more|songs?|something|stuff|anything|tracks?|music|bands?|artists?|some|"
    r"(?:sounds?|sounding)|vibes?)\s+)?(?:like|similar to|by|from)\s*$|"
    r"\b(?:play|hear|put on|give me|more|some|any|the mood for)\s*$", re.I)


def _between(original: str, names: dict[str, tuple[str, int, int]]) -> str:
    """The text between the track and the artist the tagger found."""
    first, second = sorted((names["TRACK"], names["ARTIST"]), key=lambda n: n[1])
    return original[first[2]:second[1]]


def _similar_target(text: str, original: str, context: Context,
                    model: Understanding) -> tuple[str | None, str, str | None]:
    """The track a recommend clause is seeded with ("more like #3", "play X by Y"), the text
    left once that reference is taken out, and the artist when only an artist is named
    ("play some Queen", "something like Daft Punk")."""
    names = _names(original, model)
    like = _SIMILAR.search(text)
    target_text = like["target"] if like else text
    position = find_position(target_text, context)
    if position:
        if not like:
            return position, "", None
        said = _TARGET_END.sub("", like["target"])
        return position, normalise(text[: like.start()] + " " + like["target"][len(said):]), None
    if "ARTIST" in names and "TRACK" not in names and (
            title := _title_in(original[:names["ARTIST"][1]], model)) and re.search(
            r"\bby\s*$", original[original.index(title) + len(title):names["ARTIST"][1]]):
        # "I want to hear uptown funk by a-ha": a title in lower case, then its artist
        artist, start, end = names["ARTIST"]
        begin = original.index(title)
        rest = _ARTIST_FRAME.sub("", original[:begin].strip()) + " " + original[end:]
        return f"{title} by {artist}", normalise(rest), None
    if "ARTIST" in names and "TRACK" not in names and (
            title := _title_in(original, model, names["ARTIST"][0])) and \
            len(title) > len(names["ARTIST"][0]) and \
            simplify(names["ARTIST"][0]) in simplify(title):
        # "more like bohemian rhapsody": the tagger took a title's first word for an artist
        begin = original.index(title)
        rest = original[:begin] + " " + original[begin + len(title):]
        rest = re.sub(r"\b(?:more|songs?|something|stuff|anything|tracks?)?\s*"
                      r"(?:like|similar to)\s*$", "", rest.strip(), flags=re.I)
        return title, normalise(rest), None
    if "ARTIST" in names and "TRACK" not in names and not is_music_word(names["ARTIST"][0]):
        artist, start, end = names["ARTIST"]
        rest = _ARTIST_FRAME.sub("", original[:start].strip()) + " " + original[end:]
        # "something like Daft Punk": the tagger's artist; the tool tries it as a track too
        # when the catalogue has no such artist
        return None, normalise(rest), artist
    if "TRACK" in names and "ARTIST" in names and \
            re.fullmatch(r"\s*(?:(?:&|\+|and|n)\s*)?(?:the\s+)?", _between(original, names),
                         flags=re.I):
        # "Mr. Brightside", "anelsa & the lights": one name cut in two, not "X by Y"
        start = min(names["TRACK"][1], names["ARTIST"][1])
        end = max(names["TRACK"][2], names["ARTIST"][2])
        rest = _ARTIST_FRAME.sub("", original[:start].strip()) + " " + original[end:]
        joined = original[start:end].strip(" ,?!\"'")
        if re.search(r"\b(?:like|similar to)\s*$", original[:start], re.I):
            return joined, normalise(rest), None  # a track or an artist: the tool tries both
        return None, normalise(rest), joined
    if "TRACK" in names and not is_music_word(names["TRACK"][0]):
        name, start, end = names["TRACK"]
        title = _title_in(original, model, name)
        if title and simplify(name) in simplify(title) and len(title) > len(name) and \
                original.index(title) <= start:  # "old town road": the tagger had "town road"
            start = original.index(title)
            end = max(end, start + len(title))
            name = original[start:end]
        rest = original[:start] + " " + original[end:]
        if "ARTIST" in names:
            artist, a_start, a_end = names["ARTIST"]
            name = f"{name} by {artist}"
            rest = original[:start] + " " + original[max(end, a_end):]
        rest = re.sub(r"\b(?:more|songs?|something|stuff|anything|tracks?)?\s*"
                      r"(?:like|similar to)\s*$|\bby\s*$", "", rest.strip(), flags=re.I)
        return name, normalise(rest), None
    if like and _PRONOUN.fullmatch(like["target"].strip(" ?!.,")):
        return context.current_track(), normalise(text[: like.start()]), None
    if not names and not like and (title := _title_in(original, model)) and \
            not _SAID.search(_PLAY_FRAME.sub(" ", original.replace(title, " "))):
        return title, "", None  # "play blinding lights": the whole request is a title
    if not names and (proper := _proper_name(original, model) or
                      _lowercase_name(original, model)):  # "more Drake", "more drake"
        start = original.index(proper)
        rest = _ARTIST_FRAME.sub("", original[:start].strip()) + " " + \
            original[start + len(proper):]
        return None, normalise(rest), proper
    return None, text, None


_PLAY_FRAME = re.compile(r"(?<![\w'])(?:play|put on|queue|queue up|hear|listen to|let's hear|"
                         r"can i hear|can you play|could you play|i want|give me|me|some|"
                         r"the song|the track|please|pls|now|ok|okay)(?![\w'])", re.I)


# "play X", "put on X", "I want to hear X": the track itself, not only music like it
_PLAY = re.compile(
    r"^\W*(?:(?:can|could|would|will)\s+(?:you|u)\s+|please\s+|pls\s+|now\s+|just\s+|ok\s+|"
    r"okay\s+|yo\s+|hey\s+|so\s+)*(?:play|put\s+on|queue(?:\s+up)?|blast|spin|throw\s+on|"
    r"i\s+(?:want|wanna|would\s+like|'d\s+like)\s+to\s+hear|let\s+me\s+hear|let'?s\s+hear)\b",
    re.I)


def _recommend(text: str, original: str, context: Context, model: Understanding) -> Reading:
    similar_to, rest, artist = _similar_target(text, original, context, model)
    request = read_recommend(rest, similar_to=similar_to) or ToolRequest(
        "recommend", {"request": ""} | ({"similar_to": similar_to} if similar_to else {}))
    args: dict[str, Any] = dict(request.args)
    if artist:
        args["artist"] = artist
    if (similar_to and not similar_to.isdigit() or artist) and _PLAY.search(original) and \
            not _SIMILAR.search(original):
        args["play"] = True  # the named track first, then music like it
    include, exclude, _ = model.genres_of(rest)
    for match in _GENRE.finditer(rest):  # "everything but country": the genre left out
        genre = str(lookup(GENRE_ALIASES, match.group()))
        if _ALL_BUT.search(rest[: match.start()]) and genre in include:
            include = [g for g in include if g != genre]
            exclude = [*exclude, genre] if genre not in exclude else exclude
    args.pop("include_genres", None)
    args.pop("exclude_genres", None)
    if include:
        args["include_genres"] = include
    if exclude:
        args["exclude_genres"] = exclude
    args.pop("min_popularity", None)
    args.pop("max_popularity", None)
    popularity = model.popularity_of(rest).label
    if CHART.search(rest):  # "top 40 rap": the charts, a number the popularity model never sees
        popularity = "high"
    if popularity == "low":
        args["max_popularity"] = OBSCURE_MAX_POPULARITY
    elif popularity == "high":
        args["min_popularity"] = POPULAR_MIN_POPULARITY
    return ToolRequest("recommend", args)


# a trait the trait models read, on 1–5: as far from neutral as a plain trait word ("I'm
# outgoing" is extraversion 4)
MODEL_LEVELS = {"high": 4.0, "low": 2.0}


# the question back for words about oneself that hold no trait; beside a trait said in the
# same message it is that trait's detail ("I'm very organized and like routine")
NO_TRAIT = ("I'm not sure what you mean. You can tell me about yourself (\"I'm very outgoing\"), "
            "ask for music (\"something calm\"), or name a track (\"why #3?\").")


# what asks to see the profile ("show my personality", "what do you know about me")
_SHOW_PROFILE = re.compile(
    r"\b(?:personality|profile|traits?|big\s*(?:five|5)|ocean|openness|conscientiousness|"
    r"extra[vo]ersion|agreeableness|neuroticism|about\s+me|who\s+i\s+am|what\s+i'?m\s+like|"
    r"my\s+(?:type|character|scores?))\b|"
    r"\b(?:kind|type|sort)\s+of\s+(?:listener|person|music\s+(?:lover|fan))\b|"
    r"\b(?:my\s+(?:music\s+)?taste)\s+(?:says?|tells?|reveals?)\b", re.I)
# a question about the listener's own profile ("what does my music taste say about me",
# "tell me what kind of listener i am"): no track's explanation
_ASKS_PROFILE = re.compile(
    r"\b(?:what|which)\s+(?:kind|type|sort)\s+of\s+(?:listener|person|music\s+(?:lover|fan))\s+"
    r"(?:am\s+i|i\s+am|i'?m)\b|\bwhat\s+(?:does|do)\s+my\s+(?:music\s+|musical\s+)?"
    r"(?:taste|choices?|history|listening)\s+(?:say|tell|reveal)\b|"
    r"\bwhat\s+do\s+you\s+know\s+about\s+me\b|\bdescribe\s+me\b|"
    r"\bwho\s+am\s+i\s+(?:musically|as\s+a\s+listener)\b", re.I)


def _personality(text: str, model: Understanding) -> Reading:
    if odd := ODD_TRAIT_SCORE.search(text):
        return Clarify(f"\"{odd['value']}\" is no score for {odd['trait']}: scores go from 1 to 5 "
                       "(or 0 to 100%). What should it be?")
    if _ASKS_PROFILE.search(text) and not _explicit_traits(text):
        return ToolRequest("personality", {"action": "show"})  # a question, no trait said
    # misspelt trait words ("a worier", "helppful") are put right as VADER's input is
    traits = _explicit_traits(text) or _described_traits(text) or \
        _described_traits(model.corrected(text).lower()) or {
            # "i overthink everything", "my desk is a mess": no trait word, the trait models
            trait: MODEL_LEVELS[level] for trait, level in model.traits_of(text).items()}
    if traits:
        return ToolRequest("personality", {"action": "set", **dict(sorted(traits.items()))})
    if not _SHOW_PROFILE.search(text):  # "I'm bored": about oneself, but no trait in it
        return Clarify(NO_TRAIT)
    return ToolRequest("personality", {"action": "show"})


NAME_FREE_BELOW = 0.6  # an intent this unsure is read again without a track's name
RERANK_SURE = 0.9  # a rerank that names an artist or a track needs its criterion this sure


_CAPITALISED_RUN = re.compile(r"(?<![\w'])[A-Z][\w'&.-]*(?:\s+(?:&\s+|and\s+|the\s+|of\s+)*"
                              r"[A-Z][\w'&.-]*)*")


def _proper_name(original: str, model: Understanding) -> str | None:
    """A capitalised run of words never seen outside a name in training ("more Drake", "some
    Daft Punk"): a name as people type one, when the tagger found none. Not in an
    all-capitals message."""
    if original.isupper():
        return None
    for match in _CAPITALISED_RUN.finditer(original):
        words = re.findall(r"[a-z']+", match.group().lower())
        if words and not any(w in model.known_words or is_music_word(w) for w in words
                             if w not in ("and", "the", "of")):
            return match.group()
    return None


_MORE_OF = re.compile(r"^\W*(?:(?:some|any|gimme|give me|i want|play|play me)\s+)?more\s+"
                      r"(?:of\s+|by\s+)?"
                      r"(?P<name>[\w'&.+-]+(?:\s+[\w'&.+-]+){0,3}?)"
                      r"(?:\s+(?:please|pls|plz|thanks))?\W*$", re.I)


def _lowercase_name(original: str, model: Understanding) -> str | None:
    """"more drake": a name typed in lower case after "more", made of words the model saw
    in training only inside names, that are no mood, genre or opinion word (so "more
    wistful", "more chill" or "more bass" stay a reordering)."""
    match = _MORE_OF.match(original.strip())
    if not match:
        return None
    name = match["name"].strip(" .!?")
    words = re.findall(r"[a-z']+", name.lower())
    if not words or is_music_word(name) or any(
            w in model.known_words or w not in model.name_words or mood_of(w) or valence(w)
            for w in words if w not in ("and", "the", "of", "&")):
        return None
    return name


def _names_something(original: str, model: Understanding) -> bool:
    """Whether a clause read as a reordering names an artist or a track the criterion model
    is unsure about ("more Drake", "more Queen"): then it asks for music by or like it."""
    names = _names(original, model)
    # a name as people type one: capitalised in a message that is not all capitals
    named = [v[0] for k, v in names.items() if k in ("ARTIST", "TRACK")
             and v[0][:1].isupper() and not original.isupper()]
    if _lowercase_name(original, model):
        return True  # words seen only in names: a name, however sure the criterion model
    if not named and (proper := _proper_name(original, model)):
        named = [proper]
    return bool(named) and not any(is_music_word(n) for n in named) and \
        model.criterion_of(original).confidence < RERANK_SURE


def _intent_of(original: str, model: Understanding) -> Guess:
    """The intent model's reading, except that a clause bounding years or tempo ("nothing
    before 2015", "170 bpm or less") and pointing at no track asks for a new list: bounds
    are a recommend's slots, never feedback on the first track or a reordering."""
    guess = model.intent_of(original)
    text = fix_references(normalise(original))
    if guess.confidence < NAME_FREE_BELOW and \
            (unnamed := _without_name(original, text, model)) != original:
        # unsure with a track's name in it: the words of a title ("I hate Happy Accident")
        # are no part of what is asked; the reading without them, if surer, decides
        without = model.intent_of(unnamed)
        if without.confidence > guess.confidence:
            guess = without
    if _ASKS_PROFILE.search(original):  # "tell me what kind of listener i am"
        return Guess("personality", max(guess.confidence, INTENT_THRESHOLD))
    if _OPINION_OF_IT.search(original):  # "i kinda like it" after "what genre is this?"
        return Guess("feedback", max(guess.confidence, INTENT_THRESHOLD))
    if guess.label in ("recommend", "personality"):
        return guess
    if _RECOMMEND_NOW.search(original):  # "recommend something weird"
        return Guess("recommend", max(guess.confidence, INTENT_THRESHOLD))
    if (_years(text)[0] or _tempo(text)[0]) and find_position(text, Context()) is None \
            and not _PRONOUN.search(text):
        return Guess("recommend", max(guess.confidence, INTENT_THRESHOLD))
    return guess


# a clause that opens with the verb that asks for a list ("recommend something weird",
# "could you suggest some jazz")
_RECOMMEND_NOW = re.compile(r"^\W*(?:(?:please|pls|ok|okay|now|then|and|so|can\s+you|could\s+you|"
                            r"can\s+u|would\s+you)\W+)*(?:recommend|suggest)\s+(?:me\s+)?"
                            r"(?:something|anything|some|more|music|songs?|tracks?|tunes?|"
                            r"stuff)\b", re.I)
# the speaker's opinion of the track just discussed, and nothing more ("i kinda like it",
# "I really love this one!")
_OPINION_OF_IT = re.compile(
    r"^\W*(?:(?:ok|okay|oh|and|but|yeah|also|tbh|honestly)\W+)*i\s+(?:(?:really|kinda|kind\s+of|"
    r"actually|totally|do|quite|absolutely|sort\s+of|don'?t|do\s+not|just)\s+)*"
    r"(?:like|love|dig|enjoy|adore|hate|dislike|loathe)\s+(?:it|this|that|this\s+one|that\s+one|"
    r"this\s+song|that\s+song|this\s+track|that\s+track)"
    r"(?:\s+(?:a\s+lot|so\s+much|very\s+much|too|though|tbh|actually|now))*\W*$", re.I)
_ALL_BUT = re.compile(r"\b(?:anything|everything|all|any\s+genre)\s+(?:but|except)\s+(?:for\s+)?"
                      r"(?:(?:\w+\s*,\s*|\w+\s+(?:or|and)\s+)*)$", re.I)
# a clause that asks for a new list and says nothing of it
_FRESH_LIST = re.compile(
    r"^\W*(?:(?:ok|okay|so|then|now|just|please|pls|hmm|um|well|yo|hey)\W+)*"
    r"(?:surprise\s+me|refresh(?:\s+(?:it|the\s+list|my\s+list|this|them))?|start\s+over|"
    r"(?:(?:give\s+me|play|show\s+me)\s+)?(?:something|somthing|somethin|smth|sth|anything|stuff)"
    r"\s+(?:else|different|new)"
    r"(?:\s+(?:entirely|altogether|completely|totally))?|"
    r"(?:give\s+me\s+)?(?:a\s+)?(?:new|fresh|another|different|next)\s+(?:list|batch|set|"
    r"round|selection|mix)|dealer'?s\s+choice|you\s+(?:pick|choose|decide)|hit\s+me|"
    r"anything(?:\s+(?:goes|is\s+fine|works))?|whatever\s+you\s+(?:like|want|think)|"
    # "I'm bored of this list", "so sick of these songs": a new list, not an opinion of #1
    r"(?:i'?m\s+|i\s+am\s+)?(?:so\s+|really\s+|kinda\s+)?(?:bored|sick|tired)\s+of\s+"
    r"(?:this|these|the|my|your)\s+(?:whole\s+)?(?:list|songs|tracks|tunes|playlist|lot|"
    r"selection|picks))"
    r"(?:\W+(?:please|pls|thanks|then|again|now|for\s+me))*\W*$", re.I)
# "more of #4", "give me more of that one", "more from track 2": a list like that track
_MORE_OF_TRACK = re.compile(
    r"^\W*(?:(?:please|pls|ok|okay|yes|yeah|so|and|now|then|can\s+i\s+(?:get|have)|"
    r"could\s+i\s+(?:get|have)|i\s+want|i'?d\s+like|i\s+need|give\s+me|play|let'?s\s+have|"
    r"let\s+me\s+have|some)\W+)*more\s+(?:of|from)\s+(?:(?:#|number\s+|no\.?\s*|track\s+|"
    r"song\s+)\d{1,3}|it|that|this|that\s+one|this\s+one|that\s+song|this\s+song|"
    r"the\s+\w+\s+one|the\s+\d{1,3}(?:st|nd|rd|th)(?:\s+one)?)\W*(?:please|pls|thanks)?\W*$",
    re.I)
# a clause that only says the last change was good: no track, criterion or mood in it
# a greeting at the start of a message and a goodbye anywhere in it (lower case); the replies
# answer them ("Hi! …", "Bye for now")
GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|yo|howdy|greetings|sup|what'?s\s+up|wassup|howzit|g'?day|"
    r"good\s+(?:morning|afternoon|evening)|how\s+(?:are|r)\s+(?:you|u)|how'?s\s+it\s+going)\b")
FAREWELL = re.compile(r"\b(?:bye|goodbye|see\s+(?:you|ya)|good\s*night|cya|take\s+care|"
                      r"catch\s+(?:you|ya)\s+later|ttyl|have\s+a\s+(?:nice|good|great|lovely|"
                      r"wonderful|fab|fantastic|pleasant)\s+(?:day|evening|night|weekend|one))\b")
# a clause of greeting or goodbye alone ("howzit", "Have a lovely evening.")
_SMALL_TALK_ONLY = re.compile(
    r"^\W*(?:(?:well|ok|okay|and|so|oh)\W+)*(?:" + GREETING.pattern[1:] + "|" + FAREWELL.pattern +
    r")(?:\W+(?:(?:to\s+)?(?:you|u|all|everyone|there|friend|mate|buddy|dear|pal|man|bro|"
    r"tunemate|bot|too|then|now|doing|today|tonight|again|later|soon|tomorrow|and|thanks|"
    r"thank\s+you|x+|xo+)))*\W*$")
# a polite no to the last reply ("no thanks", "nah i'm good, thanks"); the replies use it too
DECLINED = re.compile(r"^\W*(?:(?:no|nah|nope|naw|not\s+now|i'?m\s+good|all\s+good|i'?m\s+"
                      r"fine)[\s,!.]*)+(?:thanks|thank\s+you|thank\s+u|thx|ty|cheers)"
                      r"(?:\s+though)?\W*$", re.I)
_ACKNOWLEDGED = re.compile(
    r"^\W*(?:(?:ok|okay|oh|ah|yes|yeah|yep|wow|nice|cool)\W+)*(?:(?:that'?s|thats|this\s+is|"
    r"it'?s|its|now\s+that'?s)\s+)?(?:(?:much|way|a\s+lot|so\s+much|far|loads|a\s+bit)\s+)?"
    r"(?:better|perfect|more\s+like\s+it|what\s+i\s+wanted|just\s+right|spot\s+on)"
    r"(?:\W+(?:now|thanks|thank\s+you|cheers|ty|thx))*\W*$"
    # a yes to the assistant, no opinion of a track: "why not", "sure", "sounds good"
    r"|^\W*(?:why\s+not|sure(?:\s+thing)?|sounds\s+good|go\s+(?:ahead|for\s+it)|yes\s+please|"
    r"(?:ok|okay|yeah|yep)\s+sure)\W*$", re.I)


# a yes-or-no question about a track ("is #44 classed as rock or pop?"), not a request ("is
# there anything like #4?"), and a question between two things ("big hit or deep cut?")
_ASKS_OF_IT = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|hey|um|yo)\W+)?(?:is|are|was|were|does|"
                         r"did|has)\b(?!\s+there\b)", re.I)
_EITHER = re.compile(r"\bor\b", re.I)
# words of opinion in a yes-or-no question ("is #6 any good", "was #3 too slow?")
_SAID_OF_IT = re.compile(r"\b(?:good|bad|great|any\s+good|too|boring|nice|cool|better|worse|"
                         r"awful|fire|mid|trash|a\s+banger|a\s+bop|it)\b", re.I)
# words of a question that asks for music rather than about a track ("what else is like #4?")
_ASKS_FOR_MORE = re.compile(r"\b(?:like|similar|else|more|other|others|another|instead|than|"
                            r"recommend|suggest|play|give|got|have|after)\b", re.I)
_ACTIONS = frozenset({"save", "add_to_playlist", "repeat"})  # feedback that asks for a deed
_I_SAY = re.compile(r"^\W*(?:(?:so|and|ok|okay|um|well|honestly)\W+)*(?:i|i'm|im|i've|i'd)\b")


def _describes_oneself(text: str) -> bool:
    """Whether a clause is said of the user, not of a track: it begins with "I", points at
    no track (no position, no "it" or "that one"), the personality rules find a trait in it
    ("i get stressed out easily") and it is no state of the moment ("I'm tired", which
    ``_feedback`` asks about)."""
    return bool(_I_SAY.match(text)) and not _SELF_STATE.search(text) and \
        find_position(text, Context()) is None and not _PRONOUN.search(text) and \
        not _BARE_NUMBER.search(text) and bool(_described_traits(text))


def read_clause(original: str, context: Context, model: Understanding) -> ClauseReading:
    text = fix_references(normalise(original))
    if not text:
        return ClauseReading("unclear", 1.0)
    if _ACKNOWLEDGED.search(original) or DECLINED.search(original) or \
            _SMALL_TALK_ONLY.search(text):
        # "that's better", "perfect": a nod to the last reply; "no thanks": a polite no to
        # it, never a dislike of the track on top (it was recorded as one)
        return ClauseReading("chat", 1.0)
    if _NOTHING_ASKED.match(original):  # "punk!!! now": "now" asks nothing of its own
        return ClauseReading("chat", 1.0)
    if _FRESH_LIST.search(original):  # "surprise me", "refresh": a new list of anything
        return ClauseReading("recommend", 1.0, ToolRequest("recommend", {"request": ""}))
    if _MORE_OF_TRACK.search(original):  # "more of #4", "more of that": music like a track
        track = find_position(text, context) or context.current_track()
        return ClauseReading("recommend", 1.0,
                             ToolRequest("recommend", {"request": "", "similar_to": track}))
    guess = _intent_of(original, model)
    sort_by = _SORT_BY.search(original)
    if _ORDER_ONLY.search(original) or sort_by and not _GENRE.search(
            normalise(original[:sort_by.start()])):  # ("rock songs ordered by popularity")
        # "shuffle", "reverse the order", "group these by genre": the list on screen reordered
        guess = Guess("rerank", max(guess.confidence, INTENT_THRESHOLD))
    list_opinion = _WHOLE_LIST.search(original) and \
        model.opinion_marks(original) & {"LEXPOS", "LEXNEG", "NOTPOS", "NOTNEG"}
    if guess.confidence < INTENT_THRESHOLD and not list_opinion:
        return ClauseReading("unclear", guess.confidence)
    label = guess.label
    if label == "rerank" and _names_something(original, model):
        label = "recommend"  # "more Drake": a name, not a way to reorder
    if label == "recommend" and (genre := _GENRE.search(text)) and \
            _DOWN_AFTER.match(text[genre.end():]):
        label = "rerank"  # "rap last", "the country songs down": a genre sent to the bottom
    if label in ("feedback", "recommend") and find_position(text, context) and (
            _ASKS_OF_IT.match(original) and not _SAID_OF_IT.search(original) or
            original.rstrip().endswith("?") and label == "feedback" and _EITHER.search(original)):
        # ("is 6 a cover" without its "?"; not "is #6 good", an opinion said as a question)
        label = "explain"  # "is #6 a cover or the original?", "#47 — big hit or deep cut?"
    if label == "recommend" and ((opening := _TRACK_SOUNDS.match(text)) or (
            opening := _TRACK_DOES.match(text)) and not _ASKS_FOR_MUSIC.search(text)) and \
            find_position(opening.group(), context):
        # "#18 sounds like elevator music", "#6 puts me to sleep": what the track is like or
        # does, said of it as the subject, is no request for music like it
        label = "feedback"
    if label == "recommend" and _IT_MAKES_ME.match(text) and not _ASKS_FOR_MORE.search(text):
        label = "feedback"  # "This song make me happy": what it does to the listener
    if label == "recommend" and _WH_QUESTION.search(original) and \
            find_position(text, context) and not _ASKS_FOR_MORE.search(text):
        label = "explain"  # "what genre is 29", "who sings #9?": a question about the track
    if (label in ("chat", "unclear") or guess.confidence < INTENT_THRESHOLD) and list_opinion:
        # "these are great", "none of these are good": an opinion of the list, asked which
        label = "feedback"
    if label == "feedback" and _describes_oneself(text):
        label = "personality"  # "i get stressed out easily": no track, a trait of the user
    reading: Reading | None = None
    unpointed = False
    if label in ("rerank", "explain") and model.foreign_words(original):
        # "die schnellen zuerst bitte", "quien canta la 12": read from the few words it
        # shares with English, a reordering or a question would be a guess
        return ClauseReading(label, guess.confidence, Clarify(ENGLISH_ONLY))
    if label == "feedback":
        said = _reference(text, original, context, model, fallback=False)
        unpointed = said is None and not _FEEDBACK_WORD.search(normalise(original))
        reading = _feedback(text, original, context, model, said)
        if reading is None:
            label = "unclear"
        if isinstance(reading, Clarify) and _QUESTION.search(original) and (
                model.runner_up_intent(original).label == "explain" or
                _WH_QUESTION.search(original) and not original.rstrip().endswith("!")):
            # an opinion too unsure to record, asked as a question the model's next reading
            # calls an explain question ("how'd #4 get on here?"): explaining changes nothing
            label, reading = "explain", _explain(text, original, context, model)
    elif label == "explain":
        reading = _explain(text, original, context, model)
    elif label == "rerank":
        reading = _rerank(text, original, model)
    elif label == "recommend":
        reading = _recommend(text, original, context, model)
        unliked = _NOT_LIKE.search(normalise(original))
        like = reading.args.get("similar_to") if isinstance(reading, ToolRequest) else None
        if unliked and like is None and (bare := _BARE_NUMBER.match(
                normalise(original)[unliked.end():].strip(" #"))) and \
                0 < int(bare.group(1)) <= context.last_position():
            like = str(int(bare.group(1)))  # ("no more songs like 24 pls": a bare number)
        if unliked and like:
            # "no more songs like 24 pls", "never recommend me something like 13 again": less
            # of that track, not more (it had made a list like it)
            label, reading = "feedback", ToolRequest(
                "feedback", {"track": str(like), "signal": "dislike"})
    elif label == "personality":
        reading = _personality(text, model)
    return ClauseReading(label, guess.confidence, reading, unpointed)


def _each_track(request: ToolRequest, clause: str, context: Context) -> list[ToolRequest]:
    """A feedback on several tracks at once ("skip 4 and 5", "love the first two") is one
    feedback per track, in the order named."""
    if request.name != "feedback":
        return [request]
    positions = several_positions(fix_references(normalise(clause)), context)
    if not positions:
        return [request]
    return [ToolRequest("feedback", {**request.args, "track": p}) for p in positions]


# a bare number that is a count, a bound or a score, not a list position: "top 10", "give me
# 20 songs", "after 15", "set openness to 4", "5 more"
_COUNTED = re.compile(r"\b(?:top|than|after|before|since|to|till|until|under|over|below|above|"
                      r"between|and|just|only|me|least|most|pre|post|up|around|roughly|about|"
                      r"approximately|exactly|within|be|score|level|another|first|"
                      r"next|last|x|i'?m|give|want|need|get|play)\W*$", re.I)
_COUNTING = re.compile(r"^\W*(?:[%/x]|(?:(?!is\b|was\b|are\b|has\b)\w+\s+)?(?:songs?|tracks?|"
                       r"tunes?|ones|more|bangers|picks|options|minutes?|mins?|hours?|seconds?|"
                       r"secs?|years?|times|"
                       r"stars?|out\b|of\b|or\b|bpm|s\b|percent|please|pls))", re.I)
_TRAIT_TALK = re.compile(r"\b(?:open|openness|conscientious\w*|extra[vo]er\w*|extrovert\w*|"
                         r"introvert\w*|agreeabl\w*|neurotic\w*|trait\w*|personality|scale)\b",
                         re.I)
# a score out of ten or five ("10/10 would listen to 26 again", "#5 is 2/10"): said in a word
# of its sign, so that it is no list position and its sign is a number's, not a guess
_RATING = re.compile(r"(?<![\w.#/])(?P<score>\d{1,2}(?:\.\d)?)\s*(?:/|out\s+of)\s*"
                     r"(?P<scale>10|5)\b(?![/.]\d)", re.I)


# a list position dictated and written as the word it sounds like: "number for", "track
# to", "number thirty for", at the end of a clause or before a verb or "please"
_SOUNDS_LIKE = {"for": "four", "fore": "four", "to": "two", "too": "two", "won": "one",
                "ate": "eight"}
_HEARD_NUMBER = re.compile(
    r"(?<!this\s)(?<!that\s)(?<!the\s)(?<!a\s)(?<!my\s)"
    r"\b(?P<head>(?:number|track|no\.?)\s+(?:(?:twenty|thirty|forty)\s+)?)"
    r"(?P<word>for|fore|to|too|won|ate)\b"
    r"(?=\s*(?:$|[.,!?;:)]|(?:is|was|sounds|pls|please|plz|then|lol)\b|[^\w\s]))", re.I)


def _heard_number(match: re.Match[str]) -> str:
    return match["head"] + _SOUNDS_LIKE[match["word"].lower()]


def _rating_word(match: re.Match[str]) -> str:
    share = float(match["score"]) / float(match["scale"])
    return "brilliant" if share >= 0.7 else "awful" if share <= 0.4 else "so-so"

_LONE_NUMBER = re.compile(r"(?<![\w.#/:-])(\d{1,2})(?![\w%/:]|\.\d)")


# a number from ten to fifty in words ("twelve", "thirty-one"); the smaller ones are left
# alone, as they count more often than they point ("two dogs", "this one", "three more")
_NUMBER_WORD = re.compile(
    r"\b(?:" + _alternation([w for w, n in _NUMBER_WORDS.items() if 10 <= n <= 50]) + r")\b",
    re.I)


def _number_of(words: str) -> int:
    return int(lookup(_NUMBER_WORDS, words.lower()))


# "similar to 33", "close to 12": the number after them is a track, whatever "to" says
_LIKENED = re.compile(r"\b(?:similar|close|closer|related|next)\s+to\s*$", re.I)


def _numbered(clause: str, context: Context) -> str:
    """A clause whose one number is a plain list position, written with "#" ("27 hits
    different" → "#27 hits different", "ditch 12"), so that it reads as the clauses the
    models learned from; a number the words around make a count, a bound or a score ("top
    10", "give me 20 songs", "after 15", "openness 4", "5 more") is left as it is."""
    if not re.search(r"\d", clause) and not find_position(normalise(clause), context) and \
            len(_NUMBER_WORD.findall(clause)) == 1:  # "liked twelve" → "liked 12"
        clause = _NUMBER_WORD.sub(lambda m: str(_number_of(m.group())), clause)
    number = _LONE_NUMBER.search(clause)
    if number is None or len(re.findall(r"\d+", clause)) != 1 or \
            _TRAIT_TALK.search(clause) or find_position(normalise(clause), context):
        return clause
    if not 0 < int(number.group(1)) <= context.last_position() or \
            _COUNTED.search(clause[:number.start()]) and \
            not _LIKENED.search(clause[:number.start()]) or \
            _COUNTING.match(clause[number.end():]):
        return clause
    return f"{clause[:number.start()]}#{number.group(1)}{clause[number.end():]}"


def read_message(message: str, context: Context, model: Understanding | None = None
                 ) -> MessageReading:
    """Read one chat message. ``context`` is updated clause by clause, so that a later
    clause's "it" means the track an earlier clause named."""
    model = model or trained()
    message = re.sub(r"\b(?:no|No|NO)\.\s*(?=\d)", "number ", message.strip())
    message = _RATING.sub(_rating_word, message)
    message = _HEARD_NUMBER.sub(_heard_number, message)  # "love number for" (dictated)
    reading = MessageReading()
    questions: list[str] = []
    # requests read from words that ask for nothing of their own, by id: "empty" (a new
    # list of nothing), "mood" (a new list for a mood, in words that ask for no music),
    # "reason" (a reordering in words that say no reordering); each kept with its request,
    # so that no id is reused while the message is read
    held: dict[int, tuple[str, ToolRequest]] = {}
    pointed = False  # whether a clause so far pointed at a track
    unnamed: set[str] = set()  # questions about an opinion that named no track
    for clause in _split(message, model):
        clause = _numbered(clause, context)
        if pointed and _MORE_LIKE_IT.match(clause):
            # "love 5 and more like it": after a track was named, no "that's more like it"
            clause_reading = ClauseReading("recommend", 1.0, ToolRequest(
                "recommend", {"request": "", "similar_to": context.current_track()}))
        else:
            clause_reading = read_clause(clause, context, model)
        reading.intents.append(clause_reading)
        request = clause_reading.request
        if request is None and (named := _named_track(clause, context, model)):
            # "ehh song 35... i'll pass thanks", "Gangnam Style is a bit much. Please remove
            # it.": a clause that names a track and asks nothing is what the next one is about
            context.last_track = named
        if isinstance(request, Clarify):
            questions.append(request.question)
            if clause_reading.intent == "feedback" and _reference(
                    fix_references(normalise(clause)), clause, context, model,
                    fallback=False) is None:
                unnamed.add(request.question)
        elif clause_reading.intent == "unclear" and _SAID.search(_FILLER.sub(" ", clause)):
            reading.unread.append(clause.strip())
        elif isinstance(request, ToolRequest) and request.name == "recommend" and \
                request.args == {"request": ""} and _SELF_STATE.search(clause) and \
                not _FRESH_LIST.search(clause):
            questions.append(ABOUT_ONESELF)  # "had a rough day": a list of what, for it?
        elif request is not None:
            if request.name == "recommend" and _REASON_ONLY.search(clause) and \
                    "similar_to" not in request.args:  # ("… then like the one at number 5")
                # "isn't my thing at all, too jazzy", "bleh, like the background music at
                # the dentist": too much of something, or what a track is like, asks for no
                # list of it
                held[id(request)] = ("mood", request)
            elif request.name == "recommend" and set(request.args) == {"request"} and \
                    not _FRESH_LIST.search(clause) and not _ASKS_FOR_MUSIC.search(clause):
                # "and like routine" after a trait, "i wanna dance" before "put the danciest
                # ones up": no music asked for in its words, so a reason or nothing
                held[id(request)] = ("mood" if request.args["request"] else "empty", request)
            elif request.name == "rerank" and not _ORDERING.search(clause):
                held[id(request)] = ("reason", request)  # "too slow": no reordering word
            elif request.name == "feedback" and clause_reading.unpointed and not (
                    pointed and _IT_IS.search(clause)):
                # (but "why is 9 here? it's terrible": "it" is the track just named)
                # "no lyrics", "not like party": an opinion naming no track and in no word
                # of a feedback ("next", "skip"), of the track playing only when alone
                held[id(request)] = ("unpointed", request)
            pointed |= request.name in ("explain", "feedback") and not clause_reading.unpointed
            for one in _each_track(request, clause, context):
                remember(one, context)
                if one not in reading.requests:
                    reading.requests.append(one)

    def without(*kinds: str) -> list[ToolRequest]:
        return [r for r in reading.requests if held.get(id(r), ("",))[0] not in kinds]

    if any(r.name != "feedback" for r in without("empty", "mood", "reason")) and \
            not any(r.name == "feedback" for r in without("unpointed")):
        # "i need focus music, no lyrics", "I am calm person, not like party": beside a
        # request, an opinion that names no track is part of that request
        reading.requests = without("unpointed")
    if any(r.name == "feedback" for r in reading.requests):
        # "track 7 is sooo repetitive, got bored halfway through", "i don't like #28, too
        # slow": beside an opinion of a track, words that ask for no music and no reordering
        # are its reason, not a new list or a new order
        reading.requests = without("mood", "reason")
    others = without("empty", "mood")
    if any(r.name == "rerank" for r in others):  # the reason for the reordering
        reading.requests = without("mood")
    if others:  # beside a request, words that ask for nothing are no request of their own
        reading.requests = without("empty")
    if (twice := _both_signs(reading.requests)) is not None:
        # "the song playing right now is awful" read as a like and a dislike of one track:
        # which it is, is asked, nothing recorded
        questions.append(liked_or_not(twice))
    if any(r.name == "feedback" for r in reading.requests):
        # "good song probably, just not for me. take #19 out": an opinion naming no track,
        # beside a feedback on a named one, is about that one; the feedback says what to do
        questions = [q for q in questions if q not in unnamed]
    if reading.requests:  # how the speaker feels, said beside a request, is its reason
        # ("order these oldest first, I prefer songs from my youth": no trait, the reason)
        questions = [q for q in questions if q not in (ABOUT_ONESELF, WHOLE_LIST, NO_TRAIT)]
    if any(r.name == "personality" and r.args.get("action") == "set" for r in reading.requests):
        questions = [q for q in questions if q != NO_TRAIT]
    reading.clarification = questions[0] if questions else None
    if reading.clarification:
        reading.requests = []  # asked about one part: act on none until it is answered
    reading.requests = merge_trait_settings(_merge_recommends(reading.requests))
    return reading

