"""A prepared recommender as plain arrays and a JSON manifest, and back again.

Everything a recommender reads per catalogue (the catalogue's columns, the feature space,
the clusters, the genre index, the personality tables) is numpy arrays underneath. This
module takes them apart into ``{name: array}`` plus a manifest that says how they fit
together, and puts a ``Recommender`` back together from such arrays without copying them,
so arrays that are memory-mapped from files stay shared between the processes that map
them. Writing and mapping the files is the store's job (``store/catalog_files.py``); this
module does no I/O.

Dataclasses are taken apart field by field, so an array field added to ``Catalog`` or
``CatalogIndex`` travels without a change here.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from recommender.catalog import Catalog
from recommender.config import RecommenderSettings, RLSettings
from recommender.engine import Recommender
from recommender.personality_tables import PersonalityTables
from recommender.strings import CodedColumn, IdIndex, SetColumn, StringColumn

# Bump when the manifest's layout changes: files of another format are rebuilt.
FORMAT = 1

Manifest = dict[str, Any]
Arrays = dict[str, np.ndarray]


class SnapshotError(ValueError):
    """The manifest and arrays do not describe a recommender this code can rebuild."""


class _Encoder:
    def __init__(self) -> None:
        self.arrays: Arrays = {}

    def array(self, name: str, value: np.ndarray) -> str:
        if name in self.arrays:
            raise SnapshotError(f"two arrays named {name!r}")
        self.arrays[name] = np.ascontiguousarray(value)
        return name

    def node(self, value: Any, name: str) -> Any:
        if isinstance(value, np.ndarray):
            return {"array": self.array(name, value)}
        if value is None or isinstance(value, bool | int | float | str):
            return {"value": value}
        if isinstance(value, np.integer | np.floating):
            return {"value": value.item()}
        if isinstance(value, StringColumn):
            buffer, offsets = value.parts()
            return {"strings": [self.array(f"{name}.buffer", buffer),
                                self.array(f"{name}.offsets", offsets)]}
        if isinstance(value, CodedColumn):
            return {"coded": [self.node(value.codes, f"{name}.codes"),
                              self.node(value.values, f"{name}.values")]}
        if isinstance(value, SetColumn):
            return {"sets": [sorted(s) for s in value.distinct],
                    "codes": self.array(f"{name}.codes", value.codes)}
        if isinstance(value, IdIndex):
            return {"ids": [self.array(f"{name}.{part}", array)
                            for part, array in zip(("sorted", "order", "inverse"),
                                                   value.parts(), strict=True)]}
        if isinstance(value, sp.csr_matrix | sp.csr_array):
            return {"csr": [self.array(f"{name}.data", value.data),
                            self.array(f"{name}.indices", value.indices),
                            self.array(f"{name}.indptr", value.indptr)],
                    "shape": list(value.shape)}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            cls = type(value)
            if not cls.__module__.startswith("recommender."):
                raise SnapshotError(f"cannot store a {cls.__qualname__}")
            fields = {f.name: self.node(getattr(value, f.name), f"{name}.{f.name}")
                      for f in dataclasses.fields(value) if _stored(f)}
            return {"dataclass": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
        if isinstance(value, tuple | list):
            return self.sequence(value, name)
        raise SnapshotError(f"cannot store {name} of type {type(value).__name__}")

    def sequence(self, value: tuple[Any, ...] | list[Any], name: str) -> Any:
        if value and all(isinstance(v, str) for v in value):
            return {"texts": list(value)}
        if value and all(isinstance(v, frozenset | set) for v in value):
            # many rows share a few sets (a catalogue's genre labels): each set once, a code
            # per row
            distinct: dict[frozenset[str], int] = {}
            codes = np.fromiter((distinct.setdefault(frozenset(v), len(distinct)) for v in value),
                                dtype=np.int32, count=len(value))
            return {"sets": [sorted(s) for s in distinct],
                    "codes": self.array(f"{name}.codes", codes)}
        if value and all(isinstance(v, np.ndarray) and v.ndim == 1 for v in value):
            dtype = np.result_type(*value)
            offsets = np.zeros(len(value) + 1, dtype=np.int64)
            np.cumsum([v.size for v in value], out=offsets[1:])
            data = np.concatenate([v.astype(dtype, copy=False) for v in value])
            return {"ragged": [self.array(f"{name}.data", data),
                               self.array(f"{name}.offsets", offsets)]}
        return {"tuple": [self.node(v, f"{name}.{i}") for i, v in enumerate(value)]}


def _stored(field: dataclasses.Field[Any]) -> bool:
    """Fields given to the constructor; a private field with a default (a cache) is not."""
    has_default = (field.default is not dataclasses.MISSING
                   or field.default_factory is not dataclasses.MISSING)
    return field.init and not (field.name.startswith("_") and has_default)


class _Decoder:
    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.arrays = arrays

    def array(self, name: str) -> np.ndarray:
        try:
            return self.arrays[name]
        except KeyError:
            raise SnapshotError(f"the array {name!r} is missing") from None

    def node(self, node: Any) -> Any:
        if not isinstance(node, dict):
            raise SnapshotError(f"not a manifest node: {node!r}")
        if "array" in node:
            return self.array(node["array"])
        if "value" in node:
            return node["value"]
        if "strings" in node:
            buffer, offsets = node["strings"]
            return StringColumn.from_parts(self.array(buffer), self.array(offsets))
        if "coded" in node:
            codes, values = node["coded"]
            return CodedColumn(self.node(codes), self.node(values))
        if "ids" in node:
            return IdIndex.from_parts(*(self.array(n) for n in node["ids"]))
        if "csr" in node:
            data, indices, indptr = (self.array(n) for n in node["csr"])
            return _csr(data, indices, indptr, tuple(node["shape"]))
        if "dataclass" in node:
            cls = _dataclass(node["dataclass"])
            return cls(**{k: self.node(v) for k, v in node["fields"].items()})
        if "texts" in node:
            return tuple(node["texts"])
        if "sets" in node:
            # a code per row, not a tuple of a pointer per row: nothing per row is copied
            return SetColumn(self.array(node["codes"]), [frozenset(s) for s in node["sets"]])
        if "ragged" in node:
            data, offsets = (self.array(n) for n in node["ragged"])
            bounds = offsets.tolist()
            return tuple(data[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True))
        if "tuple" in node:
            return tuple(self.node(v) for v in node["tuple"])
        raise SnapshotError(f"unknown manifest node: {sorted(node)}")


def _csr(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray,
         shape: tuple[int, ...]) -> sp.csr_matrix:
    """A CSR matrix over the given arrays as they are (no copy, no index-type change)."""
    matrix = sp.csr_matrix(shape, dtype=data.dtype)
    matrix.data, matrix.indices, matrix.indptr = data, indices, indptr
    return matrix


def _dataclass(name: str) -> type:
    module, _, qualname = name.partition(":")
    if not module.startswith("recommender."):
        raise SnapshotError(f"will not build {name}")
    try:
        cls = getattr(importlib.import_module(module), qualname)
    except (ImportError, AttributeError):
        raise SnapshotError(f"no class {name}") from None
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise SnapshotError(f"{name} is not a dataclass")
    return cls


def recommender_arrays(recommender: Recommender) -> tuple[Manifest, Arrays]:
    """The recommender's per-catalogue state (its personality tables computed now) as a
    manifest and named arrays. Co-occurrence counts are not included: they follow the users,
    not the catalogue."""
    tables = recommender.personality_tables
    poles = tables.poles()
    encoder = _Encoder()
    manifest: Manifest = {
        "format": FORMAT,
        "tracks": len(recommender.catalog),
        "catalog": encoder.node(recommender.catalog, "catalog"),
        "index": encoder.node(recommender.index, "index"),
        "genres": encoder.node(recommender.genres, "genres"),
        "alignment": encoder.node(tables.alignment(), "personality.alignment"),
        "poles": {f"{t},{sign}": encoder.node(rows, f"personality.poles.{t}.{sign}")
                  for (t, sign), rows in poles.items()},
    }
    return manifest, encoder.arrays


def restore_recommender(
    manifest: Manifest,
    arrays: Mapping[str, np.ndarray],
    settings: RecommenderSettings,
    rl: RLSettings,
) -> Recommender:
    """The recommender described by ``recommender_arrays``, over the given arrays (uncopied).

    The settings must be those the arrays were built with; the caller keys the files by them.
    """
    if manifest.get("format") != FORMAT:
        raise SnapshotError(f"format {manifest.get('format')!r}, expected {FORMAT}")
    decoder = _Decoder(arrays)
    catalog = decoder.node(manifest["catalog"])
    if not isinstance(catalog, Catalog) or len(catalog) != manifest["tracks"]:
        raise SnapshotError("the manifest's catalogue does not match its track count")
    index = decoder.node(manifest["index"])
    genres = decoder.node(manifest["genres"])
    poles = {}
    for key, node in manifest["poles"].items():
        trait, sign = (int(part) for part in key.split(","))
        poles[(trait, sign)] = decoder.node(node)
    tables = PersonalityTables(len(catalog), index, genres, settings,
                               alignment=decoder.node(manifest["alignment"]), poles=poles)
    return Recommender(catalog, settings, rl, genres=genres, index=index, personality=tables)
