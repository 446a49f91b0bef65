"""One version of a song: a key shared by the versions of one song.

Two tracks are versions of one song when their primary artist and their title agree once
the version marks are taken off: a " - …" suffix that names a version ("Remastered 2011",
"2011 Mix", "Live at …", "Radio Edit", "Mono", "Acoustic", a year…), and brackets holding
featured artists or a version mark ("(feat. …)", "(with …)", "[Remastered]"). A remix by
someone else ("- Loud Luxury Remix") is another production and stays a song of its own.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from recommender.catalog import Catalog

_VERSION_WORDS = (
    r"remaster(?:ed)?|mix|live|radio|edit|version|mono|stereo|acoustic|demo|"
    r"single|unplugged|mixed|instrumental|re-?recorded|rerecorded|deluxe|bonus|take|"
    r"session|extended|original|anniversary|edition|feat\.?|ft\.?|with|from|reprise|"
    r"explicit|clean|cut|bbc|spotify|recorded|mtv"
)
_YEAR = r"(?:19|20)\d\d"
# " - <suffix>" whose text holds a version word or a year
_DASH_SUFFIX = re.compile(
    rf"\s+[-–—]\s+(?=[^-–—]*\b(?:{_VERSION_WORDS}|{_YEAR})\b).*$", re.IGNORECASE
)
# "(…)" or "[…]" holding a version word or a year
_BRACKETS = re.compile(
    rf"\s*[(\[][^)\]]*\b(?:{_VERSION_WORDS}|{_YEAR})\b[^)\]]*[)\]]", re.IGNORECASE
)
_FEAT_TAIL = re.compile(r"\s+(?:feat\.?|ft\.?|featuring)\s.*$", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w]+")
_ARTIST_SPLIT = re.compile(r"\s*(?:,|&|\bfeat\.?|\bft\.?|\bfeaturing\b|\bx\b|\band\b)\s*",
                           re.IGNORECASE)


# a title without any of these holds no version mark (the fast path of most titles)
_MAYBE_MARKED = re.compile(r"[-–—(\[]|\bf(?:ea)?t\.?\s|\bfeaturing\b", re.IGNORECASE)


def _fold(text: str) -> str:
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def base_title(title: str) -> str:
    """The title without version marks, case- and accent-folded."""
    if not _MAYBE_MARKED.search(title):
        return _fold(title)
    text = title
    for _ in range(3):  # "Song (feat. X) - Live - 2011 Remaster": peel a few layers
        stripped = _BRACKETS.sub("", _DASH_SUFFIX.sub("", text))
        stripped = _FEAT_TAIL.sub("", stripped)
        if stripped == text:
            break
        text = stripped
    folded = _fold(text)
    return folded or _fold(title)


def primary_artist(artists: str) -> str:
    first = _ARTIST_SPLIT.split(artists.strip(), maxsplit=1)[0]
    return _fold(first) or _fold(artists)


def song_key(title: str, artists: str) -> str:
    """The key two versions of one song share."""
    return f"{primary_artist(artists)}\x1f{base_title(title)}"


def song_codes(catalog: Catalog) -> np.ndarray:
    """int32[n]: one code per song; versions of one song share it."""
    seen: dict[str, int] = {}
    artist_of: dict[int, str] = {}
    codes = np.empty(len(catalog), dtype=np.int32)
    names = catalog.names
    artist_codes = catalog.artist_codes
    artist_names = catalog.artist_names
    for row in range(len(catalog)):
        code = int(artist_codes[row])
        artist = artist_of.get(code)
        if artist is None:
            artist = artist_of[code] = primary_artist(artist_names[code])
        key = f"{artist}\x1f{base_title(names[row])}"
        codes[row] = seen.setdefault(key, len(seen))
    return codes


def first_of_each_song(order: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The positions in ``order`` (best first) that are the first of their song."""
    _, first = np.unique(codes[order], return_index=True)
    keep = np.zeros(order.size, dtype=bool)
    keep[first] = True
    return keep
