"""The lexical half of LocalIndex: the tantivy schema (BM25 over pre-analysed terms, metadata as fast
fields), the document of an entry, and filters as tantivy queries or as checks of the fast fields."""

from __future__ import annotations

import datetime

import tantivy

from .base import Entry, Filters
from .memory import clean_terms

OPEN_FROM, OPEN_TO = 0, 99991231
COLUMNS = ("source_kind", "agency", "language")  # categorical metadata, as codes in the dense part
WRITER_HEAP = 64_000_000
Q, Occur = tantivy.Query, tantivy.Occur


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_unsigned_field("key", indexed=True, fast=True)
    builder.add_text_field("terms", tokenizer_name="whitespace")
    for column in COLUMNS:
        builder.add_text_field(column, tokenizer_name="raw")
    builder.add_unsigned_field("access_level", indexed=True, fast=True)
    builder.add_integer_field("valid_from", indexed=True, fast=True)
    builder.add_integer_field("valid_to", indexed=True, fast=True)
    return builder.build()


SCHEMA = _schema()


def day_number(day: datetime.date | None, open_end: int) -> int:
    return open_end if day is None else day.year * 10000 + day.month * 100 + day.day


def document(entry: Entry, key: int) -> tantivy.Document:
    fields = {"id": entry.id, "key": key, "terms": " ".join(clean_terms(entry.terms))}
    fields |= {column: getattr(entry, column) for column in COLUMNS}
    fields |= {"access_level": entry.access_level, "valid_from": day_number(entry.valid_from, OPEN_FROM)}
    return tantivy.Document.from_dict(fields | {"valid_to": day_number(entry.valid_to, OPEN_TO)}, SCHEMA)


def column_values(filters: Filters) -> tuple[tuple[str, ...], ...]:
    """The allowed values of each of COLUMNS ("" = any); an agency filter also passes everyone's ("")."""
    return filters.source_kinds, (*filters.agencies, "") if filters.agencies else (), filters.languages


def filter_queries(access_level: int, filters: Filters | None) -> list[tantivy.Query]:
    queries = [Q.range_query(SCHEMA, "access_level", tantivy.FieldType.Unsigned, 0, access_level)]
    if filters is not None:
        for column, values in zip(COLUMNS, column_values(filters), strict=True):
            if values:
                queries.append(Q.term_set_query(SCHEMA, column, list(values)))
        if filters.in_force_on is not None:
            day = day_number(filters.in_force_on, 0)
            queries.append(Q.range_query(SCHEMA, "valid_from", tantivy.FieldType.Integer, None, day))
            queries.append(Q.range_query(SCHEMA, "valid_to", tantivy.FieldType.Integer, day, None))
    return queries


def allowed_hits(searcher: tantivy.Searcher, hits: list, access_level: int, filters: Filters | None) -> list:
    """The hits that pass the access level and validity date, read from the fast fields."""
    addresses = [address for _, address in hits]
    ok = [level <= access_level for level in searcher.fast_field_values("access_level", addresses)]
    if filters is not None and filters.in_force_on is not None:
        day = day_number(filters.in_force_on, 0)
        starts, ends = (searcher.fast_field_values(name, addresses) for name in ("valid_from", "valid_to"))
        ok = [passed and start <= day <= end for passed, start, end in zip(ok, starts, ends, strict=True)]
    return [hit for hit, passed in zip(hits, ok, strict=True) if passed]
