import pytest
from django.db import connection


@pytest.mark.django_db
def test_engine_is_tuned_for_concurrent_use():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        else:
            assert connection.vendor == "postgresql"
            cursor.execute("SHOW server_encoding")
            assert cursor.fetchone()[0] == "UTF8"


def test_health_endpoint_checks_the_database(client, db):
    # The worker and scheduler parts: tests/core/test_tasks_resilience.py.
    assert client.get("/healthz").json()["database"] == {"ok": True}
