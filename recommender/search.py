"""Finding a track of the catalogue by the name a person types.

"bohemian rhapsody", "Bohemian Rhapsody - Remastered 2011", "Levitating (feat. DaBaby)"
and "Levitating by Dua Lipa" all name catalogue rows: case, punctuation, remaster and
version suffixes and featured artists are ignored, and "X by Y" narrows X to artist Y.
When nothing matches, the closest names are offered instead; a name is never read as
a mood.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from recommender.catalog import Catalog

_SUFFIX = re.compile(
    r"\s+-\s+.*$"  # " - Remastered 2011", " - Radio Edit", " - Live"
    r"|\s*[(\[][^)\]]*(?:feat|ft|with|remaster|version|edit|mix|live|mono|stereo)[^)\]]*[)\]]"
    r"|\s+(?:feat|ft|featuring)\.?\s+.*$",
    re.I,
)


def simplify(name: str) -> str:
    """A name reduced to what people type: no suffixes, accents, punctuation or case."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    name = _SUFFIX.sub("", name).lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", name).strip()


# Closest-name searches (difflib, pure Python: about 1 s over 650k names, holding the
# interpreter) look only among this many names, the most popular first: a mistyped name is
# nearly always a known song's.
FUZZY_NAMES = 50_000


@dataclass(frozen=True)
class NameIndex:
    by_name: dict[str, tuple[int, ...]]  # simplified name -> rows, most popular first
    names: tuple[str, ...]  # the simplified names, most popular first, for closest matches


@lru_cache(maxsize=4)
def name_index(catalog: Catalog) -> NameIndex:
    rows: dict[str, list[int]] = {}
    for row, name in enumerate(catalog.names):
        rows.setdefault(simplify(str(name)), []).append(row)
    popularity = catalog.popularity

    def rank(row: int) -> float:
        value = float(popularity[row])
        return -value if value == value else 0.0  # NaN popularity sorts last

    by_name = {name: tuple(sorted(found, key=rank)) for name, found in rows.items() if name}
    names = sorted(by_name, key=lambda name: rank(by_name[name][0]))
    return NameIndex(by_name=by_name, names=tuple(names[:FUZZY_NAMES]))


@dataclass(frozen=True)
class NameMatch:
    rows: tuple[int, ...]  # the tracks the name means, best first; empty if none
    closest: tuple[int, ...]  # when there are none: the nearest names' tracks


def _artist_matches(catalog: Catalog, row: int, artist: str) -> bool:
    wanted = simplify(artist)
    return bool(wanted) and wanted in simplify(str(catalog.artists[row]))


def find_by_name(catalog: Catalog, query: str, *, closest: int = 3) -> NameMatch:
    """The catalogue rows a typed name means ("X", "X by Y"), or the closest names."""
    index = name_index(catalog)
    readings = [(query, "")]
    title, by, artist = query.rpartition(" by ")
    if by and title.strip():
        readings.insert(0, (title, artist))  # "X by Y" first; "Stand by Me" as typed next
    for title_text, artist_text in readings:
        rows = index.by_name.get(simplify(title_text), ())
        if artist_text:
            rows = tuple(r for r in rows if _artist_matches(catalog, r, artist_text))
        if rows:
            return NameMatch(rows=rows, closest=())
    near = difflib.get_close_matches(simplify(readings[0][0]), index.names, n=closest,
                                     cutoff=0.6)
    return NameMatch(rows=(), closest=tuple(index.by_name[name][0] for name in near))


def near_name(catalog: Catalog, query: str, *, cutoff: float = 0.85) -> tuple[int, ...]:
    """The tracks of the one catalogue name a mistyped name is very close to ("bohemian
    rapsody"), most popular first; empty when no name, or more than one, is that close."""
    key = simplify(query)
    if len(key) < 6:
        return ()
    index = name_index(catalog)
    near = difflib.get_close_matches(key, index.names, n=2, cutoff=cutoff)
    if len(near) != 1:
        return ()
    return index.by_name[near[0]]


def _artist_key(name: str) -> str:
    """An artist's name as people type it: "The Eagles", "eagles" and "Eagles" are one."""
    key = simplify(name)
    return key[4:] if key.startswith("the ") else key


@dataclass(frozen=True)
class ArtistIndex:
    by_key: dict[str, tuple[int, ...]]  # artist key -> artist codes (usually one)
    keys: tuple[str, ...]  # for closest matches: at most FUZZY_NAMES, most tracks first


@lru_cache(maxsize=4)
def artist_index(catalog: Catalog) -> ArtistIndex:
    codes: dict[str, list[int]] = {}
    for code, name in enumerate(catalog.artist_names):
        key = _artist_key(str(name))
        if key:
            codes.setdefault(key, []).append(code)
    tracks = np.bincount(catalog.artist_codes.astype(np.int64),
                         minlength=len(catalog.artist_names))
    keys = sorted(codes, key=lambda k: -int(sum(tracks[c] for c in codes[k])))
    return ArtistIndex(by_key={k: tuple(v) for k, v in codes.items()},
                       keys=tuple(keys[:FUZZY_NAMES]))


@dataclass(frozen=True)
class ArtistMatch:
    name: str  # the artist as the catalogue spells it; "" if none
    rows: tuple[int, ...]  # the artist's tracks, most popular first; empty if none
    closest: tuple[str, ...]  # when there is none: the nearest artists' names


def near_artist(catalog: Catalog, query: str, *, cutoff: float = 0.85) -> str:
    """The one artist a mistyped name is very close to ("metalica"), as the catalogue
    spells it; "" when none, or more than one, is that close."""
    key = _artist_key(query)
    if len(key) < 5:
        return ""
    index = artist_index(catalog)
    near = difflib.get_close_matches(key, index.keys, n=2, cutoff=cutoff)
    if len(near) != 1:
        return ""
    return str(catalog.artist_names[index.by_key[near[0]][0]])


def find_artist(catalog: Catalog, query: str, *, closest: int = 3) -> ArtistMatch:
    """The catalogue's tracks by the artist a person typed ("queen", "The Eagles"), or the
    closest artists' names."""
    index = artist_index(catalog)
    key = _artist_key(query)
    codes = index.by_key.get(key, ())
    if not codes:
        # "Anelsa" for "Anelsa & the Lights": names that start with it first, then look-alikes
        near = [k for k in index.keys if key and k.startswith(key + " ")][:closest]
        near += [k for k in difflib.get_close_matches(key, index.keys, n=closest, cutoff=0.75)
                 if k not in near][: closest - len(near)]
        return ArtistMatch(name="", rows=(), closest=tuple(
            str(catalog.artist_names[index.by_key[k][0]]) for k in near))
    rows = np.flatnonzero(np.isin(catalog.artist_codes, np.asarray(codes)))
    popularity = np.nan_to_num(catalog.popularity[rows].astype(np.float64), nan=-1.0)
    ordered = rows[np.argsort(-popularity, kind="stable")]
    return ArtistMatch(name=str(catalog.artist_names[codes[0]]),
                       rows=tuple(int(r) for r in ordered), closest=())
