"""Who may see and act on which dossier. Every view and API endpoint goes through these functions."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from motcua.accounts.models import Role

from .models import Coordination, Dossier, Event, Status


def visible_to(user) -> QuerySet[Dossier]:
    """Citizens: their own dossiers. Officials: their unit's, those transferred to it, and those their
    agency was asked to coordinate on."""
    dossiers = Dossier.objects.all()
    if not user.is_authenticated:
        return dossiers.none()
    if user.role == Role.SYSTEM_ADMIN:
        return dossiers
    if user.is_official and user.agency_id:
        asked = Coordination.objects.filter(agency_id=user.agency_id).values("dossier_id")
        return dossiers.filter(Q(agency_id=user.agency_id) | Q(unit_id=user.agency_id) | Q(pk__in=asked))
    return dossiers.filter(applicant=user)


def handled_by(user) -> QuerySet[Dossier]:
    """The dossiers the official's own agency handles: it is their competent agency or the unit holding
    them now. Never those of other agencies it was only asked to coordinate on (the query form of
    `handles`)."""
    if not (user.is_authenticated and user.is_official and user.agency_id):
        return Dossier.objects.none()
    return Dossier.objects.filter(Q(agency_id=user.agency_id) | Q(unit_id=user.agency_id))


def can_see(user, dossier: Dossier) -> bool:
    return visible_to(user).filter(pk=dossier.pk).exists()


def is_applicant(user, dossier: Dossier) -> bool:
    return user.is_authenticated and dossier.applicant_id == user.pk


def handles(user, dossier: Dossier) -> bool:
    """An official of the unit that holds the dossier now (or of its competent agency)."""
    return bool(
        user.is_authenticated
        and user.is_official
        and user.agency_id
        and user.agency_id in (dossier.unit_id, dossier.agency_id)
    )


# --- the result ---------------------------------------------------------------------------------

# The result is final once the leader has approved and signed it: "processed, result ready" (awaiting
# return) and "result returned". Before that the file is a draft of the handling unit.
RESULT_RELEASED_STATUSES = (Status.PROCESSED, Status.RETURNED)


def result_released(dossier: Dossier) -> bool:
    """The signed result is released to the applicant (and to anyone else who may see the dossier)."""
    return bool(dossier.result_signed_at) and dossier.status in RESULT_RELEASED_STATUSES


def can_see_result(user, dossier: Dossier) -> bool:
    """May this user read the dossier's result (the result file, or an attachment of kind "result")?
    Officials of the handling unit (or competent agency) also see the unsigned draft; everyone else who
    may see the dossier only the released, signed result."""
    if handles(user, dossier):
        return True
    return result_released(dossier) and can_see(user, dossier)


# --- the timeline (Form 06) ---------------------------------------------------------------------

# Every Event.action that services/ writes, by whether its note is meant for the applicant. Public:
# what the applicant must be told (the reasons of Forms 02, 03, 04 and 05) or wrote themselves.
# Internal: remarks exchanged between officials and agencies (hand-over notes, a leader's send-back
# or approval remarks, coordination questions and answers, a draft apology not yet approved).
PUBLIC_NOTE_ACTIONS = frozenset(
    {
        "refuse",  # Form 03: the reasons for not receiving
        "request_supplement",  # Form 02: what to supplement and why
        "supplement",  # the applicant's (or the counter's) note with the documents
        "withdraw",  # the applicant's own reason
        "stop",  # Form 05: why processing stopped
        "approve_apology",  # Form 04 as issued: the reason for the delay
    }
)
INTERNAL_NOTE_ACTIONS = frozenset(
    {
        "submit",
        "receive",
        "forward",
        "transfer",
        "attach_result",
        "approve",
        "send_back",
        "return_result",
        "request_coordination",
        "answer_coordination",
        "draft_apology",
        "rate",
    }
)


def note_is_public(action: str) -> bool:
    """An action not classified above counts as internal: a new one stays hidden until it is listed."""
    return action in PUBLIC_NOTE_ACTIONS


def sees_internal_notes(user, dossier: Dossier) -> bool:
    """Officials of the agencies working on the dossier: its handling unit and competent agency, and
    any agency asked to coordinate on it (which reads the question put to it in the timeline)."""
    if not (user.is_authenticated and user.is_official and user.agency_id):
        return False
    return handles(user, dossier) or dossier.coordinations.filter(agency_id=user.agency_id).exists()


def readable_note(event: Event, *, internal: bool) -> str:
    """The event's note, or "" when it is internal and the reader may not see internal notes."""
    return event.note if internal or note_is_public(event.action) else ""


def timeline_for(user, dossier: Dossier, events: Iterable[Event]) -> list[Event]:
    """The events as this user may read them: internal notes blanked for anyone outside the agencies
    working on the dossier. The instances are changed in memory only and must not be saved."""
    events = list(events)
    if not sees_internal_notes(user, dossier):
        for event in events:
            event.note = readable_note(event, internal=False)
    return events
