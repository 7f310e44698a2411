"""`motcua precheck_structure [CODE ...] [--json]`: what the pre-check makes of each procedure's
document tables (papers it will demand, papers it checks only when present) and the
records it could not structure (precheck/structure.py), for an operator to read before relying on
the pre-check for them. Without codes, every procedure in the catalogue."""

from __future__ import annotations

import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from motcua.catalogue.models import Procedure

from ... import structure
from ...services import options_for


class Command(BaseCommand):
    help = "Report the catalogue records whose document tables the pre-check could not structure."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="procedure codes (default: all)")
        parser.add_argument("--json", action="store_true", help="one JSON object per procedure")

    def handle(self, *args, **options):
        procedures = Procedure.objects.prefetch_related("cases__documents__form").order_by("code")
        if options["codes"]:
            procedures = procedures.filter(code__in=options["codes"])
            missing = set(options["codes"]) - set(procedures.values_list("code", flat=True))
            if missing:
                raise CommandError(f"unknown procedure {', '.join(sorted(missing))}")
        totals, reasons, flagged = Counter(), Counter(), []
        for procedure in procedures:
            choices = options_for(procedure)
            found = structure.problems(choices)
            requirements = [r for option in choices for r in option.requirements]
            totals.update(
                procedures=1,
                cases=len(choices),
                required=sum(r.required for r in requirements),
                conditional=sum(not r.required for r in requirements),
            )
            reasons.update(problem.reason for problem in found)
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "code": procedure.code,
                            "cases": [
                                {
                                    "name": option.name,
                                    "exceptional": option.exceptional,
                                    "required": [r.name for r in option.requirements if r.required],
                                    "when_present": [r.name for r in option.requirements if not r.required],
                                }
                                for option in choices
                            ],
                            "problems": [vars(problem) for problem in found],
                        },
                        ensure_ascii=False,
                    )
                )
            elif found:
                flagged.append((procedure.code, found))
        if options["json"]:
            return
        self.stdout.write(
            f"procedures: {totals['procedures']}, cases: {totals['cases']}, papers demanded: "
            f"{totals['required']}, checked when present: {totals['conditional']}"
        )
        self.stdout.write(f"records it could not structure: {len(flagged)}")
        for reason, count in reasons.most_common():
            self.stdout.write(f"  {count:5d}  {reason}")
        for code, found in flagged:
            for problem in found:
                self.stdout.write(f"{code} {problem.line()}")
