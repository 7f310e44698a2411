"""`motcua worker`: the durable task worker, with heartbeat, lost-task recovery, retries and the
periodic scheduler (see motcua.core.tasks.worker and docs/operations.md)."""

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from motcua.core.tasks.worker import MotcuaWorker


class Command(DBWorkerCommand):
    help = (
        "Run the durable task worker (the database queue): pre-checks, indexing, mail, documents, and the "
        "periodic jobs (deadline scans, retention). Run as many as needed, on one database."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="schedule",
            help="Do not enqueue the periodic jobs from this worker (another worker does).",
        )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        schedule=True,
        **options,
    ):
        # No autoreload (--reload is ignored): a reloaded child would leave its tasks to the lease.
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = MotcuaWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
            schedule=schedule,
        )
        worker.configure_signals()
        worker.run()
