"""The dense half of LocalIndex: immutable segment files of unit f32 vectors with their metadata arrays,
written atomically, and the mask of the rows a search may score."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .base import Entry, Filters
from .local_lexical import COLUMNS, OPEN_FROM, OPEN_TO, column_values, day_number

if TYPE_CHECKING:
    from .local import State

NUMBERS = ("keys", "ids", "access_level", "valid_from", "valid_to")
FULL_SCAN = 0.3  # score a whole segment when more than this share of it is allowed


@dataclass
class Segment:
    name: str
    vectors: np.ndarray  # (rows, dim) float32, memory-mapped
    meta: dict[str, np.ndarray]  # NUMBERS, and COLUMNS as codes into COLUMN_vocab


def unit_vector(vector: list[float] | None) -> np.ndarray | None:
    array = None if vector is None else np.asarray(vector, dtype=np.float32)
    norm = 0.0 if array is None else float(np.linalg.norm(array))
    return array / norm if norm > 0 else None


def write_atomic(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def segment_meta(entries: list[Entry], keys: list[int]) -> dict[str, np.ndarray]:
    meta = {
        "keys": np.array(keys, np.uint64),
        "ids": np.array([e.id for e in entries], dtype=str),
        "access_level": np.array([e.access_level for e in entries], np.int64),
        "valid_from": np.array([day_number(e.valid_from, OPEN_FROM) for e in entries], np.int64),
        "valid_to": np.array([day_number(e.valid_to, OPEN_TO) for e in entries], np.int64),
    }
    for column in COLUMNS:
        values = np.array([getattr(e, column) for e in entries], dtype=str)
        meta[f"{column}_vocab"], codes = np.unique(values, return_inverse=True)
        meta[column] = codes.astype(np.int32)
    return meta


def row_mask(state: State, access_level: int, filters: Filters | None) -> np.ndarray:
    columns = state.columns
    mask = columns["live"] & (columns["access_level"] <= access_level)
    if filters is not None:
        for column, values in zip(COLUMNS, column_values(filters), strict=True):
            if values:
                codes = [state.vocab[column][v] for v in values if v in state.vocab[column]]
                mask &= np.isin(columns[column], codes)
        if filters.in_force_on is not None:
            day = day_number(filters.in_force_on, 0)
            mask &= (columns["valid_from"] <= day) & (columns["valid_to"] >= day)
    return mask
