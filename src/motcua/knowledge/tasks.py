"""Background indexing of the knowledge base, in batches, with progress visible in the task results."""

from __future__ import annotations

from django_tasks import task


@task(takes_context=True)
def index_knowledge(context, sync_catalogue: bool = False) -> dict:
    from . import ingest, services

    if sync_catalogue:
        ingest.sync_procedures()

    def progress(done: int, total: int) -> None:
        context.metadata["progress"] = f"{done}/{total}"
        context.save_metadata()

    return services.index_pending(progress=progress)
