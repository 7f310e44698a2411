"""Background work for the catalogue, run by the worker (`motcua worker`)."""

from __future__ import annotations

from django_tasks import task

from . import search

# Apps above the catalogue (the knowledge base) register here to follow catalogue changes, so the
# catalogue never imports them.
AFTER_REINDEX: list = []


@task()
def reindex_catalogue(codes: list[str] | None = None) -> int:
    """Bring the search index in line with the database. Idempotent: running it twice changes nothing."""
    count = search.rebuild() if codes is None else search.update(codes)
    for follow in AFTER_REINDEX:
        follow(codes)
    return count
