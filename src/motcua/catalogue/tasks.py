"""Background work for the catalogue, run by the worker (`motcua worker`)."""

from __future__ import annotations

from django_tasks import task

from . import search


@task()
def reindex_catalogue(codes: list[str] | None = None) -> int:
    """Bring the search index in line with the database. Idempotent: running it twice changes nothing."""
    return search.rebuild() if codes is None else search.update(codes)
