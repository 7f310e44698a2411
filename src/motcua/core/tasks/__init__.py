"""The task worker's resilience, shared by every app's tasks.

- `policy`: which tasks are retried after an error (`retry_on`) and what happens to a dead letter.
- `worker`: `motcua worker` = django-tasks-db's worker plus a heartbeat thread, lost-task recovery and
  the periodic scheduler.
- `recovery`: tasks of a worker that stopped beating go back to the queue, or to the dead letters.
- `scheduler`: periodic jobs (settings.PERIODIC_TASKS), each enqueued once per interval across workers.
- `mail`: e-mail as idempotent tasks, keyed so that a retry never sends twice.
- `retention`: the daily pruning of old task results.
- `health`: what /healthz reports.
- `supervise`: `motcua run` restarts its worker when it dies.

See docs/operations.md.
"""
