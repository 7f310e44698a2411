"""The core app's admin pages."""

from .tasks import admin as _tasks_admin  # noqa: F401  (dead letters, periodic jobs, workers)
