"""Load the demo catalogue written for motcua (src/motcua/catalogue/demo/procedures.json).

Idempotent, and it never overwrites a procedure that came from elsewhere (a national import or a
local edit): demo data only fills in.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from .models import FormTemplate, Procedure, Source
from .services import field_for, save_procedure, schedule_reindex

DEMO_FILE = Path(__file__).with_name("demo") / "procedures.json"


@transaction.atomic
def load(path: Path = DEMO_FILE) -> dict[str, int]:
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = {f["code"]: field_for(f["name"], f.get("i18n"), code=f["code"]) for f in data["fields"]}
    forms = {}
    for form in data.get("forms", []):
        forms[form["code"]], _ = FormTemplate.objects.update_or_create(
            code=form["code"],
            defaults={"name": form["name"], "i18n": form.get("i18n", {}), "lines": form.get("fields", [])},
        )
    foreign = set(Procedure.objects.exclude(source=Source.DEMO).values_list("code", flat=True))
    loaded = 0
    for item in data["procedures"]:
        if item["code"] in foreign:
            continue
        procedure, _ = save_procedure(
            item, source=Source.DEMO, field=fields.get(item.get("field")), forms=forms
        )
        procedure.agencies.set(procedure.agencies.model.objects.filter(code__in=item.get("agencies", [])))
        loaded += 1
    schedule_reindex()
    return {"fields": len(fields), "forms": len(forms), "procedures": loaded}


def load_demo(**options) -> list[str]:
    """`motcua demo load` (through core.demo): the demo catalogue."""
    return ["demo catalogue: " + ", ".join(f"{n} {what}" for what, n in load().items())]
