"""Compact text columns for big catalogues.

A million Python strings cost about 70 bytes each plus a pointer; a million-entry dict
from id to row costs more again. These columns keep text as UTF-8 bytes in one buffer
(``StringColumn``), repeated text once with a code per row (``CodedColumn``), and ids as a
sorted fixed-width byte array searched in C (``IdIndex``). Each reads like the list or dict
it replaces: ``column[row]`` is a ``str``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import overload

import numpy as np


class StringColumn:
    """Strings by row, stored as one UTF-8 buffer and an offsets array."""

    __slots__ = ("_buffer", "_offsets")

    def __init__(self, values: Iterable[str]) -> None:
        encoded = [str(v).encode("utf-8") for v in values]
        self._offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=self._offsets[1:])
        self._buffer: bytes | memoryview = b"".join(encoded)

    @classmethod
    def from_parts(cls, buffer: bytes | memoryview | np.ndarray, offsets: np.ndarray
                   ) -> StringColumn:
        """A column over an existing UTF-8 buffer and its offsets (e.g. memory-mapped arrays:
        nothing is copied)."""
        out = cls(())
        out._buffer = (buffer if isinstance(buffer, bytes | memoryview)
                       else np.ascontiguousarray(buffer, dtype=np.uint8).data)
        out._offsets = offsets
        return out

    def parts(self) -> tuple[np.ndarray, np.ndarray]:
        """(uint8 buffer, int64 offsets): the column as two arrays."""
        return np.frombuffer(self._buffer, dtype=np.uint8), self._offsets

    @classmethod
    def concat(cls, parts: Sequence[StringColumn]) -> StringColumn:
        """One column of several, in order (for catalogues read in chunks)."""
        out = cls(())
        sizes = [len(p._buffer) for p in parts]
        starts: list[int] = [0, *np.cumsum(sizes)[:-1].tolist()] if parts else []
        out._offsets = np.concatenate(
            [np.zeros(1, dtype=np.int64)]
            + [p._offsets[1:] + start for p, start in zip(parts, starts, strict=True)])
        out._buffer = b"".join(p._buffer for p in parts)
        return out

    def __len__(self) -> int:
        return int(self._offsets.shape[0] - 1)

    @overload
    def __getitem__(self, row: int | np.integer) -> str: ...
    @overload
    def __getitem__(self, row: np.ndarray | slice | Sequence[int]) -> np.ndarray: ...
    def __getitem__(self, row):  # type: ignore[no-untyped-def]
        if isinstance(row, int | np.integer):
            i = int(row)
            if i < 0:
                i += len(self)
            if not 0 <= i < len(self):
                raise IndexError(f"row {row} outside a column of {len(self)}")
            return str(self._buffer[self._offsets[i]:self._offsets[i + 1]], "utf-8")
        rows = np.arange(len(self))[row] if isinstance(row, slice) else np.asarray(row)
        return np.array([self[int(i)] for i in rows], dtype=object)

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    def tolist(self) -> list[str]:
        return list(self)

    @property
    def nbytes(self) -> int:
        return len(self._buffer) + self._offsets.nbytes


class CodedColumn(Sequence[str]):
    """Strings by row for text that repeats (artists, albums): a code per row, each text once."""

    __slots__ = ("codes", "values")

    def __init__(self, codes: np.ndarray, values: StringColumn) -> None:
        self.codes = codes
        self.values = values

    @classmethod
    def encode(cls, texts: Iterable[str], seen: dict[str, int] | None = None) -> CodedColumn:
        """Code each text; pass the same ``seen`` for chunks of one column."""
        seen = {} if seen is None else seen
        codes = np.fromiter((seen.setdefault(str(t), len(seen)) for t in texts), dtype=np.int32)
        return cls(codes, values_of(seen))

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def __getitem__(self, row):  # type: ignore[no-untyped-def]
        if isinstance(row, int | np.integer):
            return self.values[int(self.codes[row])]
        return self.values[self.codes[row]]

    def __iter__(self) -> Iterator[str]:
        return (self.values[int(c)] for c in self.codes)

    def tolist(self) -> list[str]:
        return list(self)


def values_of(seen: dict[str, int]) -> StringColumn:
    """The distinct texts of a coding, in code order."""
    ordered = [""] * len(seen)
    for text, code in seen.items():
        ordered[code] = text
    return StringColumn(ordered)


class IdIndex:
    """Track ids by row and rows by id, without a dict: the ids sorted, searched in C."""

    __slots__ = ("_inverse", "_order", "_sorted")

    def __init__(self, ids: Sequence[str] | np.ndarray) -> None:
        if isinstance(ids, np.ndarray) and ids.dtype.kind == "S":
            raw = ids
        else:
            raw = np.array([str(i).encode("utf-8") for i in ids], dtype=bytes)
        if raw.size and raw.dtype.itemsize == 0:
            raw = raw.astype("S1")
        order = np.argsort(raw, kind="stable")
        self._sorted = raw[order]
        if self._sorted.size > 1 and bool(np.any(self._sorted[1:] == self._sorted[:-1])):
            raise ValueError("track ids must be unique")
        self._order = order.astype(np.int32 if raw.size < 2**31 else np.int64)
        self._inverse = np.empty_like(self._order)
        self._inverse[self._order] = np.arange(raw.size, dtype=self._order.dtype)

    @classmethod
    def from_parts(cls, sorted_ids: np.ndarray, order: np.ndarray, inverse: np.ndarray
                   ) -> IdIndex:
        """An index over arrays made by ``parts`` (e.g. memory-mapped: nothing is copied)."""
        out = cls.__new__(cls)
        out._sorted, out._order, out._inverse = sorted_ids, order, inverse
        return out

    def parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids sorted, row of each sorted id, position of each row's id): the index's arrays."""
        return self._sorted, self._order, self._inverse

    def __len__(self) -> int:
        return int(self._sorted.shape[0])

    def get(self, track_id: str, default: int | None = None) -> int | None:
        key = track_id.encode("utf-8")
        if len(key) > self._sorted.dtype.itemsize or not self._sorted.size:
            return default
        at = int(np.searchsorted(self._sorted, key))
        if at < self._sorted.size and self._sorted[at] == key:
            return int(self._order[at])
        return default

    def __contains__(self, track_id: object) -> bool:
        return isinstance(track_id, str) and self.get(track_id) is not None

    def row(self, track_id: str) -> int:
        found = self.get(track_id)
        if found is None:
            raise KeyError(track_id)
        return found

    def id_at(self, row: int) -> str:
        return bytes(self._sorted[self._inverse[row]]).decode("utf-8")

    @property
    def nbytes(self) -> int:
        return self._sorted.nbytes + self._order.nbytes + self._inverse.nbytes


class IdColumn(Sequence[str]):
    """``catalog.track_ids[row]`` as a ``str``, read from the ``IdIndex``."""

    __slots__ = ("_index",)

    def __init__(self, index: IdIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return len(self._index)

    def __getitem__(self, row):  # type: ignore[no-untyped-def]
        if isinstance(row, int | np.integer):
            return self._index.id_at(int(row))
        rows = np.arange(len(self))[row] if isinstance(row, slice) else np.asarray(row)
        return np.array([self._index.id_at(int(r)) for r in rows], dtype=object)

    def __iter__(self) -> Iterator[str]:
        return (self._index.id_at(i) for i in range(len(self)))

    def tolist(self) -> list[str]:
        return list(self)


class RowOf:
    """``catalog.row_of``: the mapping from track id to row that a dict would be."""

    __slots__ = ("_index",)

    def __init__(self, index: IdIndex) -> None:
        self._index = index

    def get(self, track_id: str, default: int | None = None) -> int | None:
        return self._index.get(track_id, default)

    def __getitem__(self, track_id: str) -> int:
        return self._index.row(track_id)

    def __contains__(self, track_id: object) -> bool:
        return track_id in self._index

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self) -> Iterator[str]:
        return iter(IdColumn(self._index))


class SetColumn(Sequence[frozenset[str]]):
    """A set of labels per row (a catalogue's genres) as a code per row into the distinct
    sets: reads like the tuple of frozensets it replaces, without a pointer per row."""

    __slots__ = ("codes", "distinct")

    def __init__(self, codes: np.ndarray, distinct: Sequence[frozenset[str]]) -> None:
        self.codes = codes
        self.distinct = tuple(distinct)

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def __getitem__(self, row):  # type: ignore[no-untyped-def]
        if isinstance(row, int | np.integer):
            return self.distinct[int(self.codes[row])]
        return tuple(self.distinct[int(c)] for c in self.codes[row])

    def __iter__(self) -> Iterator[frozenset[str]]:
        distinct = self.distinct
        return (distinct[c] for c in self.codes.tolist())
