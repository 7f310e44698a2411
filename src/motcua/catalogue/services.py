"""Catalogue operations as plain functions: save a procedure from structured data, find procedures."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from motcua.core.text import fold

from . import search
from .models import (
    ChannelOption,
    Fee,
    Field,
    FormTemplate,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    RequiredDocument,
    unique_key,
)

SCALAR_FIELDS = (
    "name",
    "summary",
    "i18n",
    "source_url",
    "publication_decision",
    "procedure_type",
    "applicant_types",
    "competent_authority",
    "coordinating_agencies",
    "implementing_agency",
    "reception_address",
    "steps",
    "legal_basis",
    "conditions",
    "result",
    "online_level",
    "keywords",
)


def field_for(name: str, i18n: dict | None = None, code: str | None = None) -> Field | None:
    """The Field with this code (or, for imports, this name), created on first sight."""
    name = (name or "").strip()
    if not name:
        return None
    code = code or slugify(fold(name))[:120] or "field"
    field, created = Field.objects.get_or_create(code=code, defaults={"name": name, "i18n": i18n or {}})
    if not created and i18n and field.i18n != i18n:
        field.i18n = i18n
        field.save(update_fields=["i18n"])
    return field


def _time(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def _sync(model, parent: dict, rows: list[dict], moment) -> list:
    """Update the children of one parent in place by `key`: new keys are created, known ones updated,
    missing ones retired (kept, hidden) because dossiers and rules may point at them."""
    existing = {child.key: child for child in model.everything.filter(**parent)}
    kept = []
    for row in rows:
        child = existing.pop(row["key"], None)
        if child is None:
            child = model.everything.create(**parent, **row)
        else:
            changed = [name for name, value in row.items() if getattr(child, name) != value]
            if child.retired_at is not None:
                child.retired_at = None
                changed.append("retired_at")
            if changed:
                for name in changed:
                    setattr(child, name, row.get(name))
                child.save(update_fields=changed)
        kept.append(child)
    stale = [child.pk for child in existing.values() if child.retired_at is None]
    model.everything.filter(pk__in=stale).update(retired_at=moment)
    return kept


@transaction.atomic
def save_procedure(
    data: dict, *, source: str, field: Field | None = None, forms: dict[str, FormTemplate] | None = None
) -> tuple[Procedure, bool]:
    """Create or update the procedure `data["code"]` with everything it carries.

    `data` has the shape of `importers.dvc.record.ParsedProcedure` (channels, cases with documents...).
    Cases and required documents are updated in place by a stable key, never deleted, so dossiers,
    attachments, workflow steps and pre-check rules that point at them survive a re-import. When the
    content changes, a new ProcedureVersion keeps it; saving the same data twice changes nothing.
    """
    forms = forms or {}
    moment = timezone.now()
    defaults = {key: data[key] for key in SCALAR_FIELDS if key in data and data[key] is not None}
    defaults["source"] = source
    defaults["import_problems"] = data.get("problems", [])
    defaults["field"] = field
    procedure, created = Procedure.objects.update_or_create(code=data["code"], defaults=defaults)
    procedure.level_list = data.get("levels", [])
    procedure.save(update_fields=["levels"])

    # Nothing points at channels and fees, so they are simply replaced.
    procedure.channels.all().delete()
    for order, channel in enumerate(data.get("channels", [])):
        option = ChannelOption.objects.create(
            procedure=procedure,
            channel=channel["channel"],
            order=order,
            time_value=_time(channel.get("time_value")),
            time_unit=channel.get("time_unit") or "",
            time_text=channel.get("time_text", "")[:500],
            free=bool(channel.get("free")),
            fee_text=channel.get("fee_text", ""),
            description=channel.get("description", ""),
        )
        Fee.objects.bulk_create(
            Fee(
                channel=option,
                order=i,
                kind=fee.get("kind", "charge"),
                amount=fee.get("amount"),
                currency=fee.get("currency") or "VND",
                description=fee.get("description", ""),
            )
            for i, fee in enumerate(channel.get("fees", []))
        )

    case_keys: set[str] = set()
    case_rows = [
        {
            "key": unique_key(case.get("name", ""), case_keys),
            "order": order,
            "name": case.get("name", ""),
            "time_value": _time(case.get("time_value")),
            "time_unit": case.get("time_unit") or "",
            "notes": case.get("notes", []),
        }
        for order, case in enumerate(data.get("cases", []))
    ]
    cases = _sync(ProcedureCase, {"procedure": procedure}, case_rows, moment)
    for case, case_data in zip(cases, data.get("cases", []), strict=True):
        doc_keys: set[str] = set()
        _sync(
            RequiredDocument,
            {"case": case},
            [
                {
                    "key": unique_key(doc["name"], doc_keys),
                    "order": i,
                    "name": doc["name"],
                    "originals": doc.get("originals", 0),
                    "copies": doc.get("copies", 0),
                    "form": forms.get(doc.get("form") or ""),
                    "form_name": (doc.get("form_template") or "")[:500],
                    "notes": doc.get("notes", ""),
                }
                for i, doc in enumerate(case_data.get("documents", []))
            ],
            moment,
        )
    _record_version(procedure, data, source)
    return procedure, created


def _record_version(procedure: Procedure, data: dict, source: str) -> None:
    canonical = _canonical({"source": source, **data})
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    latest = procedure.versions.first()
    if latest is not None and latest.digest == digest:
        return
    number = (latest.number if latest else 0) + 1
    ProcedureVersion.objects.create(
        procedure=procedure, number=number, digest=digest, content=json.loads(canonical)
    )
    Procedure.objects.filter(pk=procedure.pk).update(version=number)
    procedure.version = number


def schedule_reindex(codes: list[str] | None = None) -> None:
    """Re-index after the surrounding transaction commits (all of it when `codes` is None)."""
    from .tasks import reindex_catalogue

    transaction.on_commit(lambda: reindex_catalogue.enqueue(codes=codes))


class Ranked(Sequence):
    """Search results in rank order that fetch rows only for the slice that is shown (one page)."""

    def __init__(self, queryset: QuerySet[Procedure], codes: list[str]):
        self.queryset, self.codes = queryset, codes

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        codes = self.codes[key]
        rows = {p.code: p for p in self.queryset.filter(code__in=codes)}
        return [rows[code] for code in codes if code in rows]

    def __iter__(self):
        return iter(self[:])


def find(
    text: str = "", *, field: str = "", level: str = "", agency: str = ""
) -> QuerySet[Procedure] | Ranked:
    """Procedures matching a free-text query and the browse filters, best match first."""
    queryset = Procedure.objects.select_related("field")
    if field:
        queryset = queryset.filter(field__code=field)
    if level:
        queryset = queryset.at_level(level)
    if agency:
        queryset = queryset.filter(agencies__code=agency)
    if not text.strip():
        return queryset.order_by("name")
    ranked = [hit.code for hit in search.search(text)]
    if field or level or agency:
        allowed = set(queryset.filter(code__in=ranked).values_list("code", flat=True))
        ranked = [code for code in ranked if code in allowed]
    return Ranked(queryset, ranked)
