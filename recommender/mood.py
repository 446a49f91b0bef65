"""Mood words and phrases → audio targets, parsed from free text.

``parse_mood("calm but not sleepy")`` gives the targets of "calm" to pull toward and those
of "sleepy" to stay away from. Intensifiers ("very", "really", "more") push a mood's
targets further from the middle of each feature's range; softeners ("a bit", "slightly")
pull them back toward it. A negation ("not", "no", "without", "don't", "nothing") turns the
next mood into one to avoid, and "or"/"nor" carry it on ("not sad or angry").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from recommender.catalog import FEATURE_INDEX
from recommender.features import Z_CLIP, FeatureSpace

# Targets on the features' own scales (0–1, tempo in BPM, loudness in dB).
MOODS: dict[str, dict[str, float]] = {
    "calm": {"energy": 0.3, "acousticness": 0.6, "tempo": 95.0, "loudness": -12.0},
    "chill": {"energy": 0.4, "danceability": 0.6, "acousticness": 0.4, "tempo": 100.0},
    "relaxed": {"energy": 0.35, "acousticness": 0.55, "valence": 0.5, "tempo": 100.0},
    "mellow": {"energy": 0.35, "acousticness": 0.6, "valence": 0.45},
    "peaceful": {"energy": 0.2, "acousticness": 0.8, "instrumentalness": 0.5, "loudness": -16.0},
    "sleepy": {
        "energy": 0.12,
        "acousticness": 0.9,
        "instrumentalness": 0.7,
        "tempo": 75.0,
        "loudness": -20.0,
    },
    "sad": {"valence": 0.2, "energy": 0.35, "acousticness": 0.5},
    "melancholic": {"valence": 0.25, "energy": 0.4, "acousticness": 0.5, "tempo": 100.0},
    "lonely": {"valence": 0.2, "energy": 0.3, "acousticness": 0.6},
    "happy": {"valence": 0.8, "energy": 0.7, "danceability": 0.65},
    "uplifting": {"valence": 0.75, "energy": 0.7, "mode": 1.0},
    "hopeful": {"valence": 0.65, "energy": 0.55, "mode": 1.0},
    "upbeat": {"valence": 0.75, "energy": 0.8, "tempo": 125.0},
    "energetic": {"energy": 0.9, "tempo": 128.0, "loudness": -4.5},
    "workout": {"energy": 0.9, "danceability": 0.7, "tempo": 130.0, "loudness": -4.5},
    "running": {"energy": 0.85, "tempo": 160.0},
    "party": {"danceability": 0.8, "energy": 0.85, "valence": 0.7},
    "dance": {"danceability": 0.85, "energy": 0.8, "tempo": 124.0},
    "groovy": {"danceability": 0.85, "valence": 0.7, "energy": 0.65},
    "confident": {"energy": 0.75, "danceability": 0.75, "valence": 0.6},
    "focus": {"energy": 0.35, "speechiness": 0.04, "instrumentalness": 0.6, "valence": 0.4},
    "romantic": {"valence": 0.55, "energy": 0.4, "acousticness": 0.5, "danceability": 0.55},
    "angry": {"energy": 0.9, "valence": 0.2, "loudness": -4.0},
    "aggressive": {"energy": 0.95, "valence": 0.25, "loudness": -3.5, "tempo": 135.0},
    "intense": {"energy": 0.9, "loudness": -4.0},
    "dark": {"valence": 0.15, "energy": 0.6, "mode": 0.0},
    "dreamy": {"energy": 0.35, "acousticness": 0.5, "instrumentalness": 0.4, "valence": 0.4},
    "nostalgic": {"valence": 0.45, "acousticness": 0.45, "energy": 0.5},
    "acoustic": {"acousticness": 0.9, "energy": 0.35},
    "instrumental": {"instrumentalness": 0.85, "speechiness": 0.03},
    "slow": {"tempo": 75.0, "energy": 0.35},
    "fast": {"tempo": 150.0, "energy": 0.8},
    "loud": {"loudness": -3.0, "energy": 0.9},
    "quiet": {"loudness": -18.0, "energy": 0.2},
    "lofi": {"energy": 0.35, "danceability": 0.65, "instrumentalness": 0.5, "acousticness": 0.5},
    "road trip": {"valence": 0.7, "energy": 0.75, "tempo": 118.0},
    "rainy day": {"valence": 0.35, "energy": 0.35, "acousticness": 0.6},
    "late night": {"energy": 0.45, "valence": 0.35, "danceability": 0.6},
}

# Other words and phrases for the moods above (inflections, synonyms, activities).
SYNONYMS: dict[str, str] = {
    "calming": "calm",
    "calmer": "calm",
    "calmest": "calm",
    "soothing": "calm",
    "wind down": "calm",
    "unwind": "relaxed",
    "chilled": "chill",
    "chillout": "chill",
    "chill out": "chill",
    "laid back": "chill",
    "laidback": "chill",
    "easy": "chill",
    "relax": "relaxed",
    "relaxing": "relaxed",
    "soft": "mellow",
    "gentle": "mellow",
    "serene": "peaceful",
    "tranquil": "peaceful",
    "sleep": "sleepy",
    "sleeping": "sleepy",
    "bedtime": "sleepy",
    "sadder": "sad",
    "depressed": "sad",
    "depressing": "sad",
    "heartbroken": "sad",
    "heartbreak": "sad",
    "breakup": "sad",
    "crying": "sad",
    "melancholy": "melancholic",
    "gloomy": "melancholic",
    "wistful": "melancholic",
    "happier": "happy",
    "cheerful": "happy",
    "joyful": "happy",
    "sunny": "happy",
    "feel good": "happy",
    "feelgood": "happy",
    "positive": "happy",
    "uplifted": "uplifting",
    "inspiring": "uplifting",
    "euphoric": "uplifting",
    "energy": "energetic",
    "energizing": "energetic",
    "energising": "energetic",
    "pumped": "energetic",
    "pump up": "energetic",
    "hype": "energetic",
    "hyped": "energetic",
    "lively": "upbeat",
    "workouts": "workout",
    "gym": "workout",
    "exercise": "workout",
    "training": "workout",
    "run": "running",
    "jogging": "running",
    "parties": "party",
    "partying": "party",
    "dancing": "dance",
    "danceable": "dance",
    "funky": "groovy",
    "groove": "groovy",
    "focused": "focus",
    "concentrate": "focus",
    "concentration": "focus",
    "study": "focus",
    "studying": "focus",
    "work": "focus",
    "love songs": "romantic",
    "romance": "romantic",
    "sexy": "romantic",
    "mad": "angry",
    "furious": "angry",
    "rage": "angry",
    "moody": "dark",
    "brooding": "dark",
    "dreamlike": "dreamy",
    "ethereal": "dreamy",
    "throwback": "nostalgic",
    "acoustics": "acoustic",
    "unplugged": "acoustic",
    "lo fi": "lofi",
    "lo-fi": "lofi",
    "background": "focus",
    "heavy": "intense",
    "rainy": "rainy day",
    "night drive": "late night",
    "midnight": "late night",
    "driving": "road trip",
    "drive": "road trip",
    "low energy": "calm",
    "high energy": "energetic",
    "low key": "chill",
    "lowkey": "chill",
    # everyday words for the same moods and for occasions (session 20)
    "cozy": "mellow",
    "cosy": "mellow",
    "smooth": "mellow",
    "tender": "mellow",
    "sunday morning": "chill",
    "coffee": "chill",
    "coffee shop": "chill",
    "meditation": "peaceful",
    "meditate": "peaceful",
    "spa": "peaceful",
    "zen": "peaceful",
    "nap": "sleepy",
    "lullaby": "sleepy",
    "reading": "focus",
    "homework": "focus",
    "programming": "focus",
    "productive": "focus",
    "summer": "happy",
    "summery": "happy",
    "beach": "happy",
    "sunshine": "happy",
    "fun": "happy",
    "carefree": "happy",
    "playful": "happy",
    "cheery": "happy",
    "motivation": "uplifting",
    "motivational": "uplifting",
    "motivated": "uplifting",
    "triumphant": "uplifting",
    "empowering": "uplifting",
    "cardio": "workout",
    "lifting": "workout",
    "weights": "workout",
    "hiking": "upbeat",
    "club": "dance",
    "emotional": "sad",
    "tearjerker": "sad",
    "tearjerkers": "sad",
    "sentimental": "nostalgic",
    "epic": "intense",
    "powerful": "intense",
    "sensual": "romantic",
    "date night": "romantic",
    "dinner": "romantic",
    # occasions and times of day (session 20, second batch)
    "cooking": "groovy", "commute": "chill", "commuting": "chill", "travel": "road trip",
    "traveling": "road trip", "travelling": "road trip", "train ride": "chill",
    "birthday": "party", "wedding": "romantic", "christmas": "happy", "holiday": "happy",
    "holidays": "happy", "morning": "uplifting", "mornings": "uplifting", "evening": "mellow",
    "sunset": "mellow", "sunrise": "hopeful", "shower": "upbeat", "bath": "relaxed",
    "walking": "upbeat", "hike": "upbeat", "chores": "upbeat", "housework": "upbeat",
    "work out": "workout", "working out": "workout", "lifting weights": "workout",
    "pregame": "party", "pre game": "party", "house party": "party", "bbq": "happy",
    "picnic": "happy", "campfire": "mellow", "dinner party": "mellow",
    "wind down after work": "relaxed", "after work": "relaxed", "lazy sunday": "chill",
    "sunday": "chill", "reading a book": "focus", "writing": "focus", "gaming": "energetic",
    "sleep aid": "sleepy", "insomnia": "sleepy", "heartache": "sad", "grieving": "sad",
    "missing someone": "sad", "motivate": "uplifting", "confidence": "confident",
    "swagger": "confident",
}

# Phrases that ask the music to change how the listener feels ("cheer me up", "calm me
# down"): they name the mood wanted, and make a feeling stated beside them ("I'm sad")
# the listener's state rather than the mood of the list.
CHANGES: dict[str, str] = {
    "cheer me up": "uplifting",
    "cheer up": "uplifting",
    "pick me up": "uplifting",
    "lift my mood": "uplifting",
    "lift my spirits": "uplifting",
    "lift me up": "uplifting",
    "feel better": "uplifting",
    "brighten my day": "happy",
    "make me smile": "happy",
    "make me happy": "happy",
    "motivate me": "uplifting",
    "get me going": "energetic",
    "wake me up": "energetic",
    "pump me up": "energetic",
    "calm me down": "calm",
    "help me relax": "relaxed",
    "help me sleep": "sleepy",
    "help me focus": "focus",
    "mellow me out": "mellow",
    "chill me out": "chill",
}
# Words that state how the listener feels now ("I'm sad", "feeling down", "been lonely").
_STATE = {"feel", "feeling", "feelin", "felt", "im", "am", "been"}

_INTENSIFIERS = {
    "very": 1.5,
    "really": 1.5,
    "super": 1.5,
    "extremely": 1.8,
    "so": 1.3,
    "more": 1.5,
    "much": 1.3,
    "totally": 1.5,
    "ultra": 1.8,
    "even": 1.3,
}
_SOFTENERS = {
    "bit": 0.5,
    "slightly": 0.5,
    "somewhat": 0.6,
    "little": 0.5,
    "kinda": 0.6,
    "mildly": 0.5,
    "too": 0.7,
}
_SOFT_PHRASES: dict[tuple[str, ...], float] = {("kind", "of"): 0.6, ("sort", "of"): 0.6}
_NEGATORS = {
    "not",
    "no",
    "never",
    "without",
    "nothing",
    "avoid",
    "none",
    "nor",
    "neither",
    "dont",
    "isnt",
    "arent",
    "wont",
    "cant",
    "shouldnt",
    "except",
    "minus",
    "less",
}
_BREAKS = {"but", "though", "although", "yet", "however", "while", ",", ".", ";", "and"}
_CHAIN = {"or", "nor", ","}
# Comparative forms carry their own intensity ("calmer" = "more calm").
_COMPARATIVES = {"calmer", "happier", "sadder", "slower", "faster", "louder", "quieter"}

_MIDPOINT = {"tempo": 120.0, "loudness": -8.0}
_RANGE = {"tempo": (40.0, 220.0), "loudness": (-40.0, 0.0)}
_LEXICON: dict[tuple[str, ...], str] = {
    **{tuple(m.split()): m for m in MOODS},
    **{tuple(w.replace("-", " ").split()): m for w, m in SYNONYMS.items()},
    ("slower",): "slow",
    ("faster",): "fast",
    ("louder",): "loud",
    ("quieter",): "quiet",
    **{tuple(w.split()): m for w, m in CHANGES.items()},
}
_CHANGE_KEYS = {tuple(w.split()) for w in CHANGES}
_LONGEST = max(len(k) for k in _LEXICON)


@dataclass(frozen=True)
class MoodTargets:
    """What a mood request asks for: targets to approach and target sets to avoid."""

    targets: tuple[tuple[str, float], ...]  # (feature, value on its own scale)
    avoid: tuple[tuple[tuple[str, float], ...], ...] = ()
    words: tuple[str, ...] = ()  # the moods recognised, "not x" for an avoided one

    @property
    def description(self) -> str:
        return ", ".join(self.words)

    def target_dict(self) -> dict[str, float]:
        return dict(self.targets)


def _scaled(targets: Mapping[str, float], intensity: float) -> dict[str, float]:
    out = {}
    for feature, value in targets.items():
        mid = _MIDPOINT.get(feature, 0.5)
        low, high = _RANGE.get(feature, (0.0, 1.0))
        out[feature] = round(float(np.clip(mid + intensity * (value - mid), low, high)), 4)
    return out


def _tokens(text: str) -> list[str]:
    text = text.lower().replace("n't", "nt").replace("’", "'").replace("-", " ")
    text = _NOT_IN_THE_MOOD.sub(" not ", text)  # "not in the mood for sad songs"
    return re.findall(r"[a-z&]+|[,.;]", text)


_NOT_IN_THE_MOOD = re.compile(r"\b(?:not|nt|never)\s+(?:really\s+)?in\s+(?:the|a)\s+mood\s+for\b")


def parse_mood(text: str | None) -> MoodTargets | None:
    """The mood a text asks for, or None when it names no mood word (pure, no I/O)."""
    if not text:
        return None
    tokens = _tokens(text)
    wanted: list[tuple[str, float]] = []
    avoided: list[tuple[str, float]] = []
    negated = False
    negation_age = 0
    intensity = 1.0
    intensity_age = 0
    stated: list[tuple[str, float]] = []  # "I'm sad": the listener's state, not the wish
    state_age = 99
    changes = False
    i = 0
    while i < len(tokens):
        match = None
        for size in range(min(_LONGEST, len(tokens) - i), 0, -1):
            mood = _LEXICON.get(tuple(tokens[i : i + size]))
            if mood is not None:
                match = (mood, size)
                break
        tok = tokens[i]
        if match is not None:
            mood, size = match
            strength = intensity * (1.5 if tok in _COMPARATIVES else 1.0)
            change = tuple(tokens[i : i + size]) in _CHANGE_KEYS
            changes = changes or change
            if not negated and not change and state_age <= 2:
                stated.append((mood, min(strength, 2.0)))
            else:
                (avoided if negated else wanted).append((mood, min(strength, 2.0)))
            i += size
            state_age = 99
            intensity, intensity_age = 1.0, 0
            follows = tokens[i] if i < len(tokens) else ""
            if not (negated and follows in _CHAIN):
                negated = False
            continue
        if tok in _STATE:
            state_age = 0
        else:
            state_age += 1
        if tok in _NEGATORS:
            negated, negation_age = True, 0
        elif tok in _INTENSIFIERS:
            intensity, intensity_age = intensity * _INTENSIFIERS[tok], 0
        elif tok in _SOFTENERS:
            intensity, intensity_age = intensity * _SOFTENERS[tok], 0
        elif tuple(tokens[i : i + 2]) in _SOFT_PHRASES:
            intensity, intensity_age = intensity * _SOFT_PHRASES[tuple(tokens[i : i + 2])], 0
            i += 1
        elif tok in _BREAKS and tok not in _CHAIN:
            negated, intensity = False, 1.0
        else:
            negation_age += 1
            intensity_age += 1
            if negation_age > 3:
                negated = False
            if intensity_age > 2:
                intensity = 1.0
        i += 1
    if not changes:  # "I'm feeling sad": without a wish to change it, the mood to match
        wanted = stated + wanted
    if not wanted and not avoided:
        return None
    return _combine(wanted, avoided)


def _combine(wanted: list[tuple[str, float]], avoided: list[tuple[str, float]]) -> MoodTargets:
    sums: dict[str, float] = {}
    weights: dict[str, float] = {}
    for mood, strength in wanted:
        for feature, value in _scaled(MOODS[mood], strength).items():
            sums[feature] = sums.get(feature, 0.0) + strength * value
            weights[feature] = weights.get(feature, 0.0) + strength
    targets = tuple(sorted((f, sums[f] / weights[f]) for f in sums))
    avoid = tuple(tuple(sorted(_scaled(MOODS[m], s).items())) for m, s in avoided)
    words = tuple(
        [("very " if s > 1.2 else "a bit " if s < 0.8 else "") + m for m, s in wanted]
        + [f"not {m}" for m, _ in avoided]
    )
    return MoodTargets(targets=targets, avoid=avoid, words=words)


@dataclass(frozen=True, eq=False)
class MoodKernel:
    """A mood's targets standardised once against one catalogue, to score many tracks."""

    wanted: tuple[np.ndarray, np.ndarray] | None  # (feature columns, target z-scores)
    avoided: tuple[tuple[np.ndarray, np.ndarray], ...]
    mean: np.ndarray
    std: np.ndarray
    width: float

    def _near(self, values: np.ndarray, cols: np.ndarray, centre: np.ndarray) -> np.ndarray:
        z = (values[:, cols] - self.mean[cols]) / self.std[cols]
        sq = (np.clip(z, -Z_CLIP, Z_CLIP) - centre) ** 2
        known = ~np.isnan(sq)
        count = known.sum(axis=1)
        mean_sq = np.where(known, sq, 0.0).sum(axis=1) / np.maximum(count, 1)
        return np.where(count > 0, np.exp(-mean_sq / (2.0 * self.width**2)), 0.0)

    def match(self, values: np.ndarray) -> np.ndarray:
        """In [0, 1] per raw feature row: closeness to the wanted targets × (1 − closeness
        to each avoided set). A track without any of the target features gets 0."""
        wanted = self.wanted
        out = np.ones(values.shape[0]) if wanted is None else self._near(values, *wanted)
        for cols, centre in self.avoided:
            out = out * (1.0 - self._near(values, cols, centre))
        return out


def mood_kernel(space: FeatureSpace, mood: MoodTargets, width: float) -> MoodKernel:
    def compile_targets(targets: tuple[tuple[str, float], ...]) -> tuple[np.ndarray, np.ndarray]:
        cols = np.array([FEATURE_INDEX[f] for f, _ in targets], dtype=np.int64)
        centre = np.array([space.standardise(f, v) for f, v in targets])
        return cols, centre

    return MoodKernel(
        wanted=compile_targets(mood.targets) if mood.targets else None,
        avoided=tuple(compile_targets(a) for a in mood.avoid),
        mean=space.mean,
        std=space.std,
        width=width,
    )


def mood_match(
    space: FeatureSpace, rows: np.ndarray, mood: MoodTargets, width: float
) -> np.ndarray:
    """In [0, 1]: closeness to the wanted targets × (1 − closeness to each avoided set)."""
    return mood_kernel(space, mood, width).match(space.raw[rows])


def mood_state(mood: MoodTargets | None) -> str:
    """The RL state of a request: the energy/valence quadrant its mood asks for."""
    if mood is None or not mood.targets:
        return "default"
    targets = mood.target_dict()

    def level(feature: str) -> str:
        value = targets.get(feature)
        if value is None:
            return "mid"
        return "high" if value >= 0.6 else "low" if value <= 0.4 else "mid"

    return f"energy_{level('energy')}:valence_{level('valence')}"
