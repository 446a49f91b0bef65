"""A deterministic synthetic catalogue for the first run, demos and benchmarks.

Each genre has its own audio profile (means roughly as seen in public Spotify data:
rock is loud and energetic, classical acoustic and instrumental, rap speechy), drawn from
beta distributions so values stay on the features' own scales. Names are assembled from
word lists; every artist belongs to one genre and has several tracks.
"""

from __future__ import annotations

import numpy as np

from recommender.catalog import FEATURES, Catalog, build_catalog

# genre: (subgenres, danceability, energy, speechiness, acousticness, instrumentalness,
#         valence, tempo BPM, loudness dB, share of the catalogue)
_GENRES: dict[str, tuple[tuple[str, ...], float, float, float, float, float, float, float,
                         float, float]] = {
    "pop": (("dance pop", "electropop", "indie poptimism", "post-teen pop"),
            0.64, 0.70, 0.07, 0.17, 0.02, 0.50, 120, -6.5, 0.17),
    "rock": (("album rock", "classic rock", "hard rock", "permanent wave"),
             0.52, 0.73, 0.05, 0.15, 0.06, 0.54, 124, -7.6, 0.14),
    "rap": (("hip hop", "trap", "gangster rap", "southern hip hop"),
            0.72, 0.65, 0.20, 0.19, 0.01, 0.50, 121, -7.0, 0.13),
    "r&b": (("neo soul", "urban contemporary", "new jack swing", "hip pop"),
            0.67, 0.59, 0.12, 0.26, 0.03, 0.53, 114, -7.9, 0.11),
    "edm": (("electro house", "big room", "progressive electro house", "pop edm"),
            0.65, 0.80, 0.09, 0.08, 0.22, 0.40, 126, -5.4, 0.11),
    "latin": (("reggaeton", "latin pop", "tropical", "latin hip hop"),
              0.71, 0.71, 0.10, 0.21, 0.04, 0.60, 118, -6.3, 0.10),
    "jazz": (("bebop", "smooth jazz", "cool jazz", "vocal jazz"),
             0.56, 0.38, 0.06, 0.68, 0.35, 0.48, 112, -11.5, 0.05),
    "classical": (("baroque", "romantic era", "minimalism", "chamber music"),
                  0.33, 0.16, 0.04, 0.92, 0.80, 0.24, 100, -20.0, 0.04),
    "country": (("contemporary country", "outlaw country", "bluegrass", "country rock"),
                0.58, 0.62, 0.04, 0.30, 0.01, 0.58, 122, -7.2, 0.05),
    "folk": (("indie folk", "folk rock", "singer-songwriter", "americana"),
             0.52, 0.40, 0.04, 0.70, 0.08, 0.44, 116, -10.5, 0.04),
    "metal": (("heavy metal", "thrash metal", "death metal", "metalcore"),
              0.42, 0.92, 0.08, 0.02, 0.12, 0.30, 130, -5.0, 0.03),
    "soul": (("classic soul", "motown", "southern soul", "funk"),
             0.62, 0.55, 0.06, 0.38, 0.03, 0.66, 110, -8.8, 0.03),
}

_ADJECTIVES = (
    "Golden", "Broken", "Electric", "Silent", "Midnight", "Velvet", "Neon", "Wild", "Quiet",
    "Burning", "Paper", "Crystal", "Lonely", "Endless", "Sweet", "Hollow", "Silver", "Faded",
    "Northern", "Restless", "Gentle", "Crimson", "Summer", "Winter", "Distant", "Little",
)
_NOUNS = (
    "Heart", "River", "Lights", "Dreams", "Road", "Fire", "Sky", "Rain", "City", "Echo",
    "Ocean", "Shadows", "Garden", "Highway", "Moon", "Signal", "Waves", "Letters", "Morning",
    "Mirror", "Horizon", "Thunder", "Stars", "Window", "Season", "Machine",
)
_SYLLABLES = (
    "ka", "li", "mo", "ra", "ve", "no", "sa", "te", "lu", "mi", "da", "ro", "ze", "an", "el",
    "or", "is", "ja", "ko", "ne", "vi", "la", "su", "ta",
)
_ARTIST_FORMS = ("The {} {}", "{} {}", "{} & the {}", "DJ {}", "{}")


def _beta(rng: np.random.Generator, mean: np.ndarray, concentration: float) -> np.ndarray:
    mean = np.clip(mean, 0.02, 0.98)
    return rng.beta(mean * concentration, (1.0 - mean) * concentration)


def _artist_name(rng: np.random.Generator) -> str:
    def word() -> str:
        n = int(rng.integers(2, 4))
        return "".join(rng.choice(_SYLLABLES, size=n)).capitalize()

    form = _ARTIST_FORMS[int(rng.integers(len(_ARTIST_FORMS)))]
    if form == "The {} {}":
        return form.format(rng.choice(_ADJECTIVES), rng.choice(_NOUNS))
    if form == "{} & the {}":
        return form.format(word(), rng.choice(_NOUNS))
    if form == "DJ {}":
        return form.format(word())
    if form == "{} {}":
        return form.format(word(), word())
    return word()


def generate_catalog(size: int, seed: int = 7) -> Catalog:
    """``size`` tracks, identical for the same ``size`` and ``seed``."""
    if size < 1:
        raise ValueError("size must be at least 1")
    rng = np.random.default_rng(seed)
    names_of_genres = list(_GENRES)
    shares = np.array([_GENRES[g][9] for g in names_of_genres])
    genre_idx = rng.choice(len(names_of_genres), size=size, p=shares / shares.sum())
    prof = np.array([_GENRES[g][1:9] for g in names_of_genres], dtype=np.float64)[genre_idx]
    dance, energy, speech, acoustic, instr, valence, tempo, loud = prof.T

    feats = np.empty((size, len(FEATURES)), dtype=np.float32)
    col = {name: i for i, name in enumerate(FEATURES)}
    feats[:, col["danceability"]] = _beta(rng, dance, 12)
    feats[:, col["energy"]] = _beta(rng, energy, 10)
    feats[:, col["key"]] = rng.integers(0, 12, size)
    loudness = loud + rng.normal(0, 2.5, size) + 4 * (energy - 0.6)
    feats[:, col["loudness"]] = np.clip(loudness, -40, 0)
    feats[:, col["mode"]] = rng.random(size) < 0.6
    feats[:, col["speechiness"]] = _beta(rng, speech, 20)
    feats[:, col["acousticness"]] = _beta(rng, acoustic, 4)
    feats[:, col["instrumentalness"]] = np.where(
        rng.random(size) < np.minimum(1.0, instr * 2.0), _beta(rng, instr + 0.2, 3), 0.0
    )
    feats[:, col["liveness"]] = _beta(rng, np.full(size, 0.18), 8)
    feats[:, col["valence"]] = _beta(rng, valence, 6)
    feats[:, col["tempo"]] = np.clip(rng.normal(tempo, 22, size), 50, 210)
    feats[:, col["duration_ms"]] = np.clip(rng.normal(225_000, 45_000, size), 90_000, 600_000)

    # artists: about eight tracks each, each artist within one genre
    n_artists = max(1, size // 8)
    artist_genre = rng.choice(len(names_of_genres), size=n_artists, p=shares / shares.sum())
    artist_pool = [_artist_name(rng) + ("" if i < 5000 else f" {i}")
                   for i in range(min(n_artists, 20000))]
    by_genre = [np.flatnonzero(artist_genre == g) for g in range(len(names_of_genres))]
    artist_of = np.empty(size, dtype=np.int64)
    for g, members in enumerate(by_genre):
        rows = np.flatnonzero(genre_idx == g)
        pool = members if members.size else np.arange(n_artists)
        artist_of[rows] = rng.choice(pool, size=rows.size)
    artist_labels = np.array(artist_pool, dtype=object)[artist_of % len(artist_pool)]
    # past the name pool, suffix the artist number so artists stay distinct
    big = artist_of >= len(artist_pool)
    if big.any():
        artist_labels[big] = [f"{a} {n}"
                              for a, n in zip(artist_labels[big], artist_of[big], strict=True)]

    sub_choice = rng.integers(0, 4, size)
    adjectives = np.array(_ADJECTIVES, dtype=object)[rng.integers(0, len(_ADJECTIVES), size)]
    nouns = np.array(_NOUNS, dtype=object)[rng.integers(0, len(_NOUNS), size)]
    names = adjectives + " " + nouns
    album_nouns = np.array(_NOUNS, dtype=object)[rng.integers(0, len(_NOUNS), size)]
    albums = "The " + album_nouns + " Sessions"

    years = np.clip(np.round(2024 - rng.gamma(1.6, 7.0, size)), 1960, 2025).astype(np.int16)
    # right-skewed like real Spotify popularity (most tracks obscure), never piling up at 100
    popularity = (100.0 * rng.beta(2.0, 4.5, size)).round(0).astype(np.float32)
    ids = [f"demo{seed:x}{i:09d}" for i in range(size)]
    genres = [
        frozenset({names_of_genres[g], _GENRES[names_of_genres[g]][0][s]})
        for g, s in zip(genre_idx, sub_choice, strict=True)
    ]
    return build_catalog(
        track_ids=ids,
        names=names,
        artists=artist_labels,
        albums=albums,
        release_year=years,
        popularity=popularity,
        features=feats,
        genres=genres,
    )
