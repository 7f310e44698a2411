"""Pre-check operations on dossiers: build the requirements from the catalogue and the admin's rules,
run a check (queued by tasks.py), record the officer's decision on each finding, and
turn the accepted findings into the items of a Form 02 supplementation request."""

from __future__ import annotations

import contextlib
import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.catalogue.importers.dvc.sections import is_exceptional
from motcua.catalogue.models import Procedure, ProcedureCase
from motcua.core.logmask import mask
from motcua.dossiers.models import AttachmentKind, Dossier
from motcua.dossiers.permissions import handles

from . import cases, pipeline
from . import findings as kinds
from .models import Check, CheckStatus, Decision, Finding, ProcedureRule, RuleKind
from .requirements import Requirement, any_of, is_conditional, online_form

log = logging.getLogger(__name__)
FILE_KINDS = (kinds.UNRECOGNISED, kinds.UNREADABLE, kinds.INVALID)


def requirements_for(case: ProcedureCase, online: bool = False) -> list[Requirement]:
    """The documents of one case as files to check (`online`: filed on the portal, where the
    paper declaration gives way to the e-form, which is the application itself)."""
    rules: dict[int, list[ProcedureRule]] = {}
    for rule in ProcedureRule.objects.filter(procedure_id=case.procedure_id, document__case=case):
        rules.setdefault(rule.document_id, []).append(rule)
    found = []
    for document in case.documents.select_related("form"):
        if online_form(document.name) and document.pk not in rules:
            continue
        requirement = Requirement(
            id=document.pk,
            name=document.name,
            originals=document.originals,
            copies=document.copies,
            count=1,
            required=not is_conditional(document.name, document.notes, online=online),
            form_title=document.form.name if document.form else "",
            form_lines=list(document.form.lines) if document.form else [],
        )
        for rule in rules.get(document.pk, []):
            _apply(requirement, rule)
        found.append(requirement)
    # Admin rules name the catalogue's rows one by one, so a case with rules keeps its rows apart.
    return found if rules else any_of(case.name, found)


def options_for(procedure: Procedure, online: bool = False) -> list[cases.Option]:
    """Every current case of the procedure, as the pre-check chooses among them."""
    return [
        cases.Option(case.name, requirements_for(case, online), is_exceptional(case.name), case.pk)
        for case in procedure.cases.all()
    ]


def named_case(options: list[cases.Option], wanted) -> int | None:
    """The index of the case an application names: a 1-based number or part of its name. None when it names none; ValueError when it names one that does not exist."""
    if wanted in (None, ""):
        return None
    if isinstance(wanted, int) or (isinstance(wanted, str) and wanted.strip().isdigit()):
        index = int(wanted) - 1
        if not 0 <= index < len(options):
            raise ValueError(
                _("Case %(n)s does not exist; the procedure has %(count)d.")
                % {"n": wanted, "count": len(options)}
            )
        return index
    for index, option in enumerate(options):
        if str(wanted).strip().lower() in option.name.lower():
            return index
    raise ValueError(_("No case of the procedure matches “%(name)s”.") % {"name": wanted})


def requirements_of(check: Check) -> list[Requirement]:
    """The requirements of the case a check ran against, for the officer's checklist."""
    dossier = check.dossier
    case = check.case or (dossier.case if dossier else None)
    return requirements_for(case) if case else []


def _apply(requirement: Requirement, rule: ProcedureRule) -> None:
    value = rule.value.strip()
    if rule.kind == RuleKind.REQUIRE:
        requirement.required = True
    elif rule.kind == RuleKind.WAIVE:
        requirement.required = False
    elif rule.kind == RuleKind.COUNT and value.isdigit():
        requirement.count = int(value)
    elif rule.kind == RuleKind.KEYWORDS:
        requirement.keywords += [line.strip() for line in value.splitlines() if line.strip()]
    elif rule.kind == RuleKind.CATCH_ALL:
        requirement.catch_all = True
    elif rule.kind == RuleKind.FIELD and value:
        requirement.fields.append(value)
    elif rule.kind == RuleKind.VALIDITY_DAYS and value.isdigit():
        requirement.validity_days = int(value)


def application_of(dossier: Dossier) -> dict:
    data = {k: v for k, v in (dossier.form_data or {}).items() if isinstance(v, str | int)}
    data.update(full_name=dossier.applicant_name, id_number=dossier.applicant_id_number)
    return data


# --- running ------------------------------------------------------------------------------------


def run_check(check_id: int) -> Check | None:
    """Run one queued check. Safe to run twice: a finished check is left as it is. A citizen's check
    before submitting reads the files held for it and deletes them whatever happens; None when that
    check is already gone (expired before the worker reached it)."""
    check = (
        Check.objects.select_related("dossier__case", "dossier__procedure", "procedure")
        .filter(pk=check_id)
        .first()
    )
    if check is None or check.status == CheckStatus.DONE:
        return check
    check.status, check.progress = CheckStatus.RUNNING, 0
    check.save(update_fields=["status", "progress"])
    dossier = check.dossier
    attachments = []
    try:
        # motcua's online form does not hold the declaration's content yet, so every dossier is
        # checked as filed on paper: the declaration is one of its files.
        procedure = dossier.procedure if dossier else check.procedure
        options = options_for(procedure) if procedure else []
        # The officer's choice of case, or the case a citizen's check was asked for.
        named = None
        if check.case_reason == cases.NAMED:
            named = next((i for i, o in enumerate(options) if o.id == check.case_id), None)
        if dossier is None:
            files = _held_files(check)
            application = dict(check.application)
        else:
            attachments = list(
                dossier.attachments.filter(kind__in=[AttachmentKind.COMPONENT, AttachmentKind.SUPPLEMENT])
            )
            files = []
            for attachment in attachments:
                with attachment.file.open("rb") as handle:
                    files.append((attachment.name, handle.read()))
            application = application_of(dossier)

        def progress(percent: int, step: str) -> None:
            Check.objects.filter(pk=check.pk).update(progress=percent, step=step)

        # A check before submitting speaks the citizen's language; a dossier's, the default one.
        with translation.override(check.language) if check.language else contextlib.nullcontext():
            result = pipeline.run(
                options, application, files, today=timezone.localdate(), progress=progress, case=named
            )
    except Exception as exc:  # recorded for the officer; the dossier itself is never blocked
        log.exception("pre-check %s failed: %s", check.pk, mask(str(exc)))
        check.status, check.error, check.finished_at = CheckStatus.FAILED, str(exc)[:500], timezone.now()
        check.save(update_fields=["status", "error", "finished_at"])
        return check
    finally:
        if dossier is None:
            _release(check)
    by_name = {a.name: a for a in attachments}
    by_requirement = {r.name: r.id for r in result.case.requirements} if result.case else {}
    with transaction.atomic():
        check.findings.all().delete()
        Finding.objects.bulk_create(
            Finding(
                check_run=check,
                kind=item.kind,
                requirement_id=by_requirement.get(item.requirement),
                requirement_name=item.requirement or "",
                attachment=by_name.get(item.file),
                file=item.file or "",
                page=item.page,
                field=item.field,
                detail=item.detail,
                evidence=item.evidence,
                confidence=item.confidence,
            )
            for item in result.findings
        )
        check.status, check.progress, check.step = CheckStatus.DONE, 100, ""
        check.complete, check.pages, check.timings_ms = result.complete, result.pages, result.timings_ms
        check.documents = [
            {
                "requirement_id": d.requirement.id,
                "requirement": d.requirement.name,
                "file": d.file,
                "pages": d.page_range,
                "evidence": d.evidence[:160],
                "score": round(d.score, 2),
            }
            for d in result.documents
        ]
        check.case_id = result.case.id if result.case else None
        check.runner_up_id = result.runner_up.id if result.runner_up else None
        check.case_reason = result.case_reason
        check.finished_at = timezone.now()
        # Named fields: a check deleted meanwhile (an expired check before submitting) is an error,
        # not silently created again.
        done = ["status", "progress", "step", "complete", "pages", "timings_ms", "documents", "finished_at"]
        done += ["case", "runner_up", "case_reason"]
        check.save(update_fields=done)
    log.info(
        "pre-check %s of %s: %d findings in %d ms; reading peaks %s kB",
        check.pk,
        dossier.code if dossier else "a check before submitting",
        len(result.findings),
        result.timings_ms.get("total", 0),
        [reading.peak_kb for reading in result.readings],
    )
    return check


# --- the citizen's check before submitting ------------------------------------------------------

TRY_DIR = "precheck-try"
TRY_TTL = datetime.timedelta(hours=1)  # a result nobody came back for is deleted after this


def try_of(pk: int, user) -> Check | None:
    """The citizen's own check before submitting, if it still exists."""
    return (
        Check.objects.select_related("procedure")
        .filter(pk=pk, dossier__isnull=True, requested_by=user, created_at__gte=timezone.now() - TRY_TTL)
        .first()
    )


def take_try_result(check: Check) -> dict:
    """What the citizen is shown, read once: the row and its findings are deleted as it is read."""
    shown = (kinds.MISSING, kinds.WRONG_COUNT, kinds.INVALID, kinds.UNREADABLE, kinds.UNRECOGNISED)
    result = {
        "status": check.status,
        "findings": list(check.findings.filter(kind__in=shown)),
        "documents": list(check.documents),
    }
    _release(check)
    check.delete()
    return result


def purge_tries() -> int:
    """Delete the checks before submitting (and any files still held) that nobody came back for."""
    old = list(Check.objects.filter(dossier__isnull=True, created_at__lt=timezone.now() - TRY_TTL))
    for check in old:
        _release(check)
        check.delete()
    return len(old)


def _held_files(check: Check) -> list[tuple[str, bytes]]:
    files = []
    for upload in check.uploads:
        with default_storage.open(upload["path"], "rb") as handle:
            files.append((upload["name"], handle.read()))
    return files


def _release(check: Check) -> None:
    for upload in check.uploads:
        try:
            default_storage.delete(upload["path"])
        except OSError:
            log.warning("could not delete a held pre-check file of check %s", check.pk)
    if check.uploads and check.pk:
        Check.objects.filter(pk=check.pk).update(uploads=[])
    check.uploads = []


def latest(dossier: Dossier) -> Check | None:
    return dossier.prechecks.first()


# --- the officer's review -----------------------------------------------------------------------


def _reviewer(user, dossier: Dossier) -> None:
    if not (handles(user, dossier) and user.role in (Role.RECEPTION, Role.PROCESSING, Role.LEADER)):
        raise PermissionDenied(_("Only an official of the dossier's unit can review its pre-check."))


@transaction.atomic
def decide(finding: Finding, *, by, accept: bool, note: str = "") -> Finding:
    # Lock the finding row only: a check before submitting has no dossier (an outer join), and
    # PostgreSQL refuses FOR UPDATE on the nullable side of one.
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("check_run__dossier")
        .get(pk=finding.pk)
    )
    _reviewer(by, finding.check_run.dossier)
    finding.decision = Decision.ACCEPTED if accept else Decision.OVERRIDDEN
    finding.decided_by, finding.decided_at, finding.note = by, timezone.now(), note.strip()
    finding.save(update_fields=["decision", "decided_by", "decided_at", "note"])
    return finding


def supplement_items(check: Check) -> list[dict]:
    """Form 02 lines from the accepted findings: one per required document (or file), reasons joined."""
    items: dict[str, dict] = {}
    for finding in check.findings.filter(decision=Decision.ACCEPTED).select_related("requirement"):
        document = finding.requirement
        key = finding.requirement_name or finding.file
        item = items.setdefault(
            key,
            {
                "document_id": document.pk if document else None,
                "document": key,
                "originals": document.originals if document else "",
                "copies": document.copies if document else "",
                "reasons": [],
            },
        )
        reason = finding.get_kind_display() + (f": {finding.detail}" if finding.detail else "")
        if finding.kind in FILE_KINDS and finding.file:
            reason += f" ({finding.file}" + (f", {_('page')} {finding.page})" if finding.page else ")")
        item["reasons"].append(str(reason))
    return [{**item, "reason": "; ".join(item.pop("reasons"))} for item in items.values()]


def precision_by_kind() -> dict[str, dict]:
    """Production precision: accepted / (accepted + overridden) per finding kind."""
    rows = Finding.objects.values("kind").annotate(
        accepted=Count("pk", filter=Q(decision=Decision.ACCEPTED)),
        overridden=Count("pk", filter=Q(decision=Decision.OVERRIDDEN)),
    )
    return {
        row["kind"]: {
            **row,
            "precision": row["accepted"] / (row["accepted"] + row["overridden"])
            if row["accepted"] + row["overridden"]
            else None,
        }
        for row in rows
    }


def checklist(check: Check) -> dict:
    """The officer's view of a check: one row per required document (its files, pages, evidence and
    findings), then the findings about files that match no requirement."""
    requirements = requirements_of(check)
    findings = list(check.findings.select_related("decided_by"))
    rows = []
    for requirement in requirements:
        documents = [d for d in check.documents if d.get("requirement_id") == requirement.id]
        concerns = [f for f in findings if f.requirement_name == requirement.name]
        state = (
            "problem"
            if concerns
            else ("ok" if documents else ("missing" if requirement.required else "optional"))
        )
        rows.append(
            {"requirement": requirement, "documents": documents, "findings": concerns, "state": state}
        )
    named = {r.name for r in requirements}
    others = [f for f in findings if f.requirement_name not in named]
    procedure = check.dossier.procedure if check.dossier else check.procedure
    choices = list(procedure.cases.all()) if procedure else []
    return {"rows": rows, "others": others, "findings": findings, "cases": choices}


def case_to_check(dossier: Dossier, case_id) -> ProcedureCase | None:
    """The case an officer asked the dossier to be checked against: a current case of its procedure
    (None for "let the pre-check choose"); ValueError for any other."""
    if case_id in (None, ""):
        return None
    case = None
    if str(case_id).isdigit():
        case = ProcedureCase.objects.filter(procedure_id=dossier.procedure_id, pk=int(case_id)).first()
    if case is None:
        raise ValueError(_("That case does not belong to this procedure."))
    return case


def citizen_items(check: Check) -> list[Finding]:
    """What the applicant must still provide: missing documents, short counts, files to send again."""
    wanted = (kinds.MISSING, kinds.WRONG_COUNT, kinds.INVALID, kinds.UNREADABLE)
    return list(check.findings.filter(kind__in=wanted).exclude(decision=Decision.OVERRIDDEN))
