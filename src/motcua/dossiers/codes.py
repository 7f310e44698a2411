"""Dossier codes `{agency code}-{yyMMdd}-{NNNN}`: a sequence per agency per day, drawn by the database.

One statement inserts the day's counter or increments it and returns the new value, so two web
processes receiving at the same instant can never draw the same number (on SQLite the write lock
serialises them; on PostgreSQL the row lock of ON CONFLICT does). The unique constraint on
Dossier.code stands behind it.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from motcua.accounts.models import Agency

from .models import DaySequence

_UPSERT = (
    "INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, %s) "
    "ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + EXCLUDED.last RETURNING last"
)


def next_numbers(agency: Agency, day: datetime.date, count: int = 1) -> range:
    """`count` consecutive numbers of the agency's day, drawn in one statement (a batch of intake)."""
    if count < 1:
        raise ValueError("draw at least one number")
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=DaySequence._meta.db_table), [agency.pk, day, count])
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


def next_codes(agency: Agency, moment: datetime.datetime | None = None, count: int = 1) -> list[str]:
    if not agency.code:
        raise ValueError(f"agency {agency.pk} has no identification code configured")
    day = timezone.localtime(moment or timezone.now()).date()
    return [f"{agency.code}-{day:%y%m%d}-{n:04d}" for n in next_numbers(agency, day, count)]


def next_code(agency: Agency, moment: datetime.datetime | None = None) -> str:
    return next_codes(agency, moment)[0]
