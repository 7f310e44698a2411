"""The knowledge index in PostgreSQL: full-text search (tsvector + GIN) for BM25 and pgvector (HNSW) for
cosine similarity, with the same contract as the embedded `LocalIndex` (tests: the conformance suite).

PostgreSQL's own ranking (ts_rank) is not BM25, so BM25 is computed here in SQL: each entry's terms are
kept as a jsonb object {term: tf} with a GIN index on its keys, its length is a column, and document
frequencies live in a side table kept in step on every write (as are N and the total length, in a
one-row table). A query:
  1. picks candidate rows with the GIN index (`tf ?| terms`), using only the rarer query terms when the
     common ones would match more than CANDIDATE_BUDGET rows: a very common term adds almost nothing to
     BM25 (idf ~ 0), and reading its whole posting list is what makes a query slow;
  2. scores the candidates with every query term (a jsonb key look-up gives tf), exactly as `MemoryIndex`.
     When even the rarest query term is that common, the candidates are the rows holding every query
     term, at most CANDIDATE_BUDGET of them;
Below the budget the ranking is exact; above it, documents matching only very common terms are left out.
(A tsvector was tried first: reading tf back needs `unnest` over every lexeme of every candidate, which
took 1.2 s a query at 20,000 chunks; the jsonb look-up costs one probe a query term.)

Dense search orders by the cosine distance through an HNSW index (approximate; `hnsw.iterative_scan`
keeps k results coming under filters). The vector column has no fixed dimension so that `clear()` may
start over with another model; the dimension in use is kept in the stats row and the HNSW index is
built on a cast to it.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter

from .base import Entry, Filters, Hit
from .memory import K1, B, clean_terms

CANDIDATE_BUDGET = 1_000  # rows the GIN step may hand to scoring (sum of the chosen terms' df)


def term_counts(terms: list[str]) -> str:
    """The jsonb {term: tf} an entry is stored with."""
    return json.dumps(Counter(terms), ensure_ascii=False)


def _vector_literal(vector) -> str | None:
    if vector is None:
        return None
    values = [float(x) for x in vector]
    if not values or not any(values):
        return None  # a zero vector has no direction: it can never be found
    return "[" + ",".join(repr(v) for v in values) + "]"


class PostgresIndex:
    def __init__(self, dsn: str, *, table: str = "motcua_knowledge_index") -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", table):
            raise ValueError(f"invalid table name {table!r}")
        self.dsn, self.table = dsn, table
        self._local = threading.local()
        self._ready = False

    # --- connection and schema ------------------------------------------------------------------

    def _conn(self, *, schema: bool = True):
        import psycopg

        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._local.conn = psycopg.connect(self.dsn, autocommit=True)
        if schema and not self._ready:
            self._create(conn)
            self._ready = True
        return conn

    def _create(self, conn) -> None:
        t = self.table
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (t,))
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            conn.execute(
                f"""CREATE TABLE IF NOT EXISTS {t} (
                    id text PRIMARY KEY, tf jsonb NOT NULL, length integer NOT NULL,
                    embedding vector, source_kind text NOT NULL, source_id text NOT NULL,
                    language text NOT NULL, agency text NOT NULL, access_level integer NOT NULL,
                    valid_from date, valid_to date)"""
            )
            conn.execute(f"CREATE INDEX IF NOT EXISTS {t}_terms ON {t} USING gin (tf)")
            conn.execute(f"CREATE TABLE IF NOT EXISTS {t}_df (term text PRIMARY KEY, df integer NOT NULL)")
            conn.execute(
                f"""CREATE TABLE IF NOT EXISTS {t}_stats (one boolean PRIMARY KEY DEFAULT true CHECK (one),
                    n bigint NOT NULL DEFAULT 0, total bigint NOT NULL DEFAULT 0, dim integer)"""
            )
            conn.execute(f"INSERT INTO {t}_stats DEFAULT VALUES ON CONFLICT DO NOTHING")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()

    def drop(self) -> None:
        """Remove the tables (tests, and `clear()` before a new start)."""
        conn = self._conn(schema=False)
        t = self.table
        conn.execute(f"DROP TABLE IF EXISTS {t}, {t}_df, {t}_stats")
        self._ready = False

    # --- writing --------------------------------------------------------------------------------

    def _remove(self, conn, ids: list[str]) -> None:
        """Delete rows and take their terms out of the statistics (inside the caller's transaction)."""
        t = self.table
        conn.execute(
            f"""WITH gone AS (DELETE FROM {t} WHERE id = ANY(%s) RETURNING tf, length),
                counts AS (SELECT k AS term, count(*) AS c FROM gone, jsonb_object_keys(gone.tf) k GROUP BY k),
                lowered AS (UPDATE {t}_df d SET df = d.df - counts.c FROM counts WHERE d.term = counts.term)
                UPDATE {t}_stats SET n = n - (SELECT count(*) FROM gone),
                    total = total - (SELECT coalesce(sum(length), 0) FROM gone)""",
            (ids,),
        )

    def add(self, entries: list[Entry]) -> None:
        if not entries:
            return
        latest = {e.id: e for e in entries}  # the last duplicate in a batch wins
        rows = []
        dims = set()
        for e in latest.values():
            terms = clean_terms(e.terms)
            vector = _vector_literal(e.vector)
            if e.vector is not None:
                dims.add(len(e.vector))
            rows.append(
                (e.id, term_counts(terms), len(terms), vector, e.source_kind, e.source_id, e.language)
                + (e.agency, e.access_level, e.valid_from, e.valid_to)
            )
        if len(dims) > 1:
            raise ValueError(f"vectors of several dimensions in one batch: {sorted(dims)}")
        conn, t = self._conn(), self.table
        ids = list(latest)
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (t,))
            dim = conn.execute(f"SELECT dim FROM {t}_stats").fetchone()[0]
            if dims and dim is not None and dims != {dim}:
                raise ValueError(f"vector has {dims.pop()} dimensions, the index {dim}")
            if dims and dim is None:
                dim = dims.pop()
                conn.execute(f"UPDATE {t}_stats SET dim = %s", (dim,))
                conn.execute(
                    f"CREATE INDEX IF NOT EXISTS {t}_hnsw ON {t} "
                    f"USING hnsw ((embedding::vector({dim})) vector_cosine_ops)"
                )
            self._remove(conn, ids)
            with conn.cursor() as cur:
                with cur.copy(
                    f"COPY {t} (id, tf, length, embedding, source_kind, source_id, language, agency, "
                    "access_level, valid_from, valid_to) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            conn.execute(
                f"""INSERT INTO {t}_df (term, df)
                    SELECT k, count(*) FROM {t} d, jsonb_object_keys(d.tf) k WHERE d.id = ANY(%s)
                    GROUP BY k
                    ON CONFLICT (term) DO UPDATE SET df = {t}_df.df + excluded.df""",
                (ids,),
            )
            conn.execute(
                f"UPDATE {t}_stats SET n = n + %s, total = total + %s",
                (len(rows), sum(r[2] for r in rows)),
            )

    update = add

    def delete(self, ids: list[str]) -> None:
        if not ids:
            return
        conn = self._conn()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.table,))
            self._remove(conn, list(ids))

    def clear(self) -> None:
        self.drop()
        self._conn()

    def count(self) -> int:
        return self._conn().execute(f"SELECT n FROM {self.table}_stats").fetchone()[0]

    # --- searching ------------------------------------------------------------------------------

    @staticmethod
    def _where(access_level: int, filters: Filters | None) -> tuple[str, list]:
        sql, args = ["d.access_level <= %s"], [access_level]
        if filters is not None:
            if filters.source_kinds:
                sql.append("d.source_kind = ANY(%s)")
                args.append(list(filters.source_kinds))
            if filters.agencies:
                sql.append("(d.agency = '' OR d.agency = ANY(%s))")
                args.append(list(filters.agencies))
            if filters.languages:
                sql.append("d.language = ANY(%s)")
                args.append(list(filters.languages))
            if filters.in_force_on is not None:
                sql.append("(d.valid_from IS NULL OR d.valid_from <= %s)")
                sql.append("(d.valid_to IS NULL OR d.valid_to >= %s)")
                args += [filters.in_force_on, filters.in_force_on]
        return " AND ".join(sql), args

    def search_lexical(
        self, terms: list[str], *, access_level: int, k: int = 10, filters: Filters | None = None
    ) -> list[Hit]:
        query = sorted(set(clean_terms(terms)))
        if not query or k <= 0:
            return []
        conn, t = self._conn(), self.table
        n, total = conn.execute(f"SELECT n, total FROM {t}_stats").fetchone()
        if not n:
            return []
        df = dict(conn.execute(f"SELECT term, df FROM {t}_df WHERE term = ANY(%s) AND df > 0", (query,)))
        if not df:
            return []
        # The rarest terms first, as many as fit the budget (always at least one).
        chosen, rows = [], 0
        for term in sorted(df, key=df.get):
            if chosen and rows + df[term] > CANDIDATE_BUDGET:
                break
            chosen.append(term)
            rows += df[term]
        idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}
        where, args = self._where(access_level, filters)
        # Even the rarest term is common: take the rows holding every query term instead, and at most
        # the budget of them (a query of only very common words has no clear best answer anyway).
        match = "?&" if df[chosen[0]] > CANDIDATE_BUDGET else "?|"
        sql = f"""
            SELECT d.id, (
                SELECT sum(q.idf * f * {K1 + 1} / (f + {K1} * (1 - {B} + {B} * d.length / %s)))
                FROM unnest(%s::text[], %s::float8[]) q(term, idf)
                CROSS JOIN LATERAL (SELECT (d.tf ->> q.term)::float8 AS f) x WHERE f IS NOT NULL)
            FROM (SELECT d.id, d.length, d.tf || jsonb_build_object() AS tf FROM {t} d WHERE d.tf {match} %s::text[] AND {where} LIMIT %s) d
            ORDER BY 2 DESC NULLS LAST, d.id COLLATE "C"
            LIMIT %s"""
        terms_matched = list(df) if match == "?&" else chosen
        params = [total / n, list(idf), list(idf.values()), terms_matched, *args, CANDIDATE_BUDGET, k]
        return [Hit(i, float(s)) for i, s in conn.execute(sql, params)]

    def search_dense(
        self, vector: list[float], *, access_level: int, k: int = 10, filters: Filters | None = None
    ) -> list[Hit]:
        if k <= 0:
            return []
        conn, t = self._conn(), self.table
        dim = conn.execute(f"SELECT dim FROM {t}_stats").fetchone()[0]
        if dim is None:
            return []
        if len(vector) != dim:
            raise ValueError(f"vector has {len(vector)} dimensions, the index {dim}")
        literal = _vector_literal(vector)
        if literal is None:
            return []
        where, args = self._where(access_level, filters)
        with conn.transaction():
            # Iterative scans keep the HNSW index returning rows until k pass the filters.
            conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            conn.execute(f"SET LOCAL hnsw.ef_search = {max(40, min(1000, 2 * k))}")
            rows = conn.execute(
                f"""SELECT id, distance FROM (
                      SELECT d.id, d.embedding::vector({dim}) <=> %s::vector({dim}) AS distance FROM {t} d
                      WHERE d.embedding IS NOT NULL AND {where}
                      ORDER BY d.embedding::vector({dim}) <=> %s::vector({dim}) LIMIT %s) r
                    ORDER BY distance, id COLLATE "C" """,
                [literal, *args, literal, k],
            ).fetchall()
        return [Hit(i, 1.0 - float(distance)) for i, distance in rows]
