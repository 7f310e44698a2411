"""The clock the transitions read: `now()`, and `clock()` to run them as if at another moment."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_clock: ContextVar[datetime.datetime | None] = ContextVar("motcua_clock", default=None)


def now() -> datetime.datetime:
    return _clock.get() or timezone.now()


@contextmanager
def clock(moment: datetime.datetime):
    """Run transitions as if at `moment` (demo data and tests of past dossiers)."""
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)
