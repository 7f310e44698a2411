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
    "INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
)


def next_number(agency: Agency, day: datetime.date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=DaySequence._meta.db_table), [agency.pk, day])
        return cursor.fetchone()[0]


def next_code(agency: Agency, moment: datetime.datetime | None = None) -> str:
    if not agency.code:
        raise ValueError(f"agency {agency.pk} has no identification code configured")
    day = timezone.localtime(moment or timezone.now()).date()
    return f"{agency.code}-{day:%y%m%d}-{next_number(agency, day):04d}"
