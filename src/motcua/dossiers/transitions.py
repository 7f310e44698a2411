"""Who may do what to a dossier, and when: one table that the services enforce (`check`) and the dossier
page reads (`allowed`). What a rule cannot say (a result must be attached before it goes for approval, a
reason must be given) stays in the service that needs it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import Role

from .models import Dossier, Status
from .permissions import handles, is_applicant
from .schedule import APPROVAL_ROLE

APPLICANT = "applicant"  # the dossier's own applicant, whatever their role
OFFICIALS = frozenset({Role.RECEPTION, Role.PROCESSING, Role.LEADER})
OPEN = frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT})

# What the dossier's current workflow step must be for the action.
OWN_STEP = "own"  # the user's role holds the step, and it is not the leader's approval
APPROVAL_STEP = "approval"  # the leader's approval step
PROCESSING_STEP = "processing"


class TransitionError(Exception):
    """The action is not possible in the dossier's current state."""


class NotNow(TransitionError):
    """Refused by the table: the dossier's status or step does not allow the action."""


@dataclass(frozen=True)
class Rule:
    label: str | Promise  # completes "Cannot … dossier X": a lazy translation
    statuses: frozenset[int]
    who: frozenset[str]  # official roles of the handling unit, and/or APPLICANT
    step: str | None = None


RULES: dict[str, Rule] = {
    "receive": Rule(gettext_lazy("receive"), frozenset({Status.SUBMITTED}), frozenset({Role.RECEPTION})),
    "refuse": Rule(
        gettext_lazy("refuse"),
        frozenset({Status.SUBMITTED, Status.SUPPLEMENT}),
        frozenset({Role.RECEPTION, Role.LEADER}),
    ),
    "request_supplement": Rule(
        gettext_lazy("request a supplement to"),
        frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING}),
        frozenset({Role.RECEPTION, Role.PROCESSING}),
    ),
    "supplement": Rule(
        gettext_lazy("supplement"), frozenset({Status.SUPPLEMENT}), frozenset({APPLICANT, Role.RECEPTION})
    ),
    "forward": Rule(
        gettext_lazy("forward"), frozenset({Status.RECEIVED, Status.PROCESSING}), OFFICIALS, OWN_STEP
    ),
    "transfer": Rule(
        gettext_lazy("transfer"), frozenset({Status.RECEIVED, Status.PROCESSING}), OFFICIALS, OWN_STEP
    ),
    "request_coordination": Rule(
        gettext_lazy("ask another agency about"),
        frozenset({Status.RECEIVED, Status.PROCESSING}),
        frozenset({Role.PROCESSING, Role.LEADER}),
    ),
    "attach_result": Rule(
        gettext_lazy("attach a result to"),
        frozenset({Status.PROCESSING}),
        frozenset({Role.PROCESSING}),
        PROCESSING_STEP,
    ),
    "approve": Rule(
        gettext_lazy("approve"), frozenset({Status.PROCESSING}), frozenset({Role.LEADER}), APPROVAL_STEP
    ),
    "send_back": Rule(
        gettext_lazy("send back"), frozenset({Status.PROCESSING}), frozenset({Role.LEADER}), APPROVAL_STEP
    ),
    "return_result": Rule(
        gettext_lazy("return the result of"), frozenset({Status.PROCESSED}), frozenset({Role.RECEPTION})
    ),
    "withdraw": Rule(
        gettext_lazy("withdraw"),
        frozenset({Status.SUBMITTED, *OPEN}),
        frozenset({APPLICANT}),
    ),
    "stop": Rule(gettext_lazy("stop"), OPEN, frozenset({Role.LEADER})),
    "draft_apology": Rule(gettext_lazy("draft an apology for"), OPEN, OFFICIALS),
    "rate": Rule(gettext_lazy("rate"), frozenset({Status.RETURNED}), frozenset({APPLICANT})),
}


def _party(user, dossier: Dossier, rule: Rule) -> bool:
    if APPLICANT in rule.who and is_applicant(user, dossier):
        return True
    return handles(user, dossier) and user.role in rule.who


def _step_allows(user, dossier: Dossier, step: str | None) -> bool:
    current = dossier.step.role if dossier.step else None
    if step == OWN_STEP:
        return current is None or (current == user.role and current != APPROVAL_ROLE)
    if step == APPROVAL_STEP:
        return current == APPROVAL_ROLE
    if step == PROCESSING_STEP:
        return current == Role.PROCESSING
    return True


def allows(action: str, user, dossier: Dossier) -> bool:
    rule = RULES[action]
    return (
        dossier.status in rule.statuses
        and _party(user, dossier, rule)
        and _step_allows(user, dossier, rule.step)
    )


def allowed(user, dossier: Dossier) -> list[str]:
    """The actions of the table this user may take on the dossier now, in the table's order."""
    return [action for action in RULES if allows(action, user, dossier)]


def check(action: str, user, dossier: Dossier) -> None:
    """Raise PermissionDenied (not this user) or NotNow (not in this status or step) unless allowed."""
    rule = RULES[action]
    if not _party(user, dossier, rule):
        if rule.who == {APPLICANT}:
            raise PermissionDenied(
                _("Only the applicant can %(action)s this dossier.") % {"action": rule.label}
            )
        if not handles(user, dossier):
            raise PermissionDenied(_("This dossier is not handled by your unit."))
        raise PermissionDenied(_("Your role cannot do this."))
    if dossier.status not in rule.statuses or not _step_allows(user, dossier, rule.step):
        raise NotNow(
            _("Cannot %(action)s dossier %(code)s while it is “%(status)s”.")
            % {"action": rule.label, "code": dossier.code, "status": _where(dossier, rule)}
        )


def _where(dossier: Dossier, rule: Rule) -> str:
    """The status, and the step when the status was right but the step was not."""
    if dossier.status in rule.statuses and dossier.step:
        return f"{dossier.get_status_display()}: {dossier.step.name}"
    return str(dossier.get_status_display())
