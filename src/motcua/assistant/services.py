"""Conversation operations: whose conversation it is, asking, rating, handing over to an officer."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.core import throttle
from motcua.core.logmask import mask

from .answer import Answer
from .compose import compose
from .models import Conversation, Message

WINDOW = 600  # seconds of the assistant's question budget (MOTCUA_ASSISTANT_RATE per window)


def owned(request) -> QuerySet[Conversation]:
    """The conversations of the signed-in user, or of this browser session for a visitor."""
    if request.user.is_authenticated:
        return Conversation.objects.filter(user=request.user)
    if not request.session.session_key:
        return Conversation.objects.none()
    return Conversation.objects.filter(user__isnull=True, session_key=request.session.session_key)


def start(request) -> Conversation:
    if request.user.is_authenticated:
        return Conversation.objects.create(user=request.user)
    if not request.session.session_key:
        request.session.save()
    return Conversation.objects.create(session_key=request.session.session_key)


def allow_question(request) -> bool:
    """The assistant's own budget of questions per address and account (answers cost CPU)."""
    return throttle.allow_request("assistant", request, limit=settings.ASSISTANT_RATE, window=WINDOW)


def ask(
    conversation: Conversation,
    question: str,
    *,
    user,
    keys: list[str],
    language: str | None = None,
) -> Message:
    """`keys`: the asker's throttle keys (address, account): a look-up by dossier code and ID number
    spends the same budget as the tracking page."""
    answer = compose(
        question,
        user=user if user.is_authenticated else None,
        language=language,
        id_lookup=lambda code: throttle.allow(keys=[*keys, f"code:{code}"], **throttle.ID_LOOKUP),
        topic=topic_of(conversation),
    )
    return record(conversation, answer)


def topic_of(conversation: Conversation) -> str:
    """The procedure the conversation is about: the one its last answer was about, if it was."""
    last = conversation.messages.order_by("-pk").first()
    if last is None or last.answer.get("reason") not in ("procedure", "follow_up"):
        return ""
    return (last.answer.get("codes") or [""])[0]


def record(conversation: Conversation, answer: Answer) -> Message:
    question = mask(answer.question)
    data = answer.as_dict()
    data["question"] = question
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation,
            question=question,
            language=answer.language,
            answer=data,
            evidence=answer.evidence,
            mode=answer.mode,
            declined=answer.declined,
            reason=answer.reason,
            latency_ms=answer.latency_ms,
        )
        if not conversation.title:
            conversation.title = question[:200]
        conversation.save(update_fields=["title", "updated_at"])
    return message


def transcript(conversation: Conversation) -> str:
    lines = []
    for message in conversation.messages.all():
        lines.append(_("Question: %(text)s") % {"text": message.question})
        lines.append(_("Answer: %(text)s") % {"text": Answer.from_dict(message.answer).text()})
        if message.rating:
            lines.append(
                _("Rating: %(rating)s %(comment)s") % {"rating": message.rating, "comment": message.comment}
            )
        lines.append("")
    return "\n".join(lines)


def hand_over(conversation: Conversation, *, name: str, email: str, phone: str, note: str):
    """File the conversation as a PAKN ticket for the counter, with its context (procedures cited,
    dossiers mentioned). Idempotent: a conversation is handed over once."""
    from motcua.dossiers.models import Dossier
    from motcua.feedback.models import Feedback

    if conversation.handed_over_id:
        return conversation.handed_over
    answers = [m.answer for m in conversation.messages.all()]
    codes = [c for a in answers for c in a.get("codes", [])]
    dossier_codes = [c["code"] for a in answers for c in a.get("citations", []) if c["kind"] == "dossier"]
    context = _("Procedures cited: %(codes)s") % {"codes": ", ".join(dict.fromkeys(codes)) or "-"}
    body = "\n\n".join(p for p in [note.strip(), context, transcript(conversation)] if p)
    ticket = Feedback.objects.create(
        name=name,
        email=email,
        phone=phone,
        subject=(_("Assistant conversation: %(title)s") % {"title": conversation.title})[:200],
        body=body,
        dossier=Dossier.objects.filter(code__in=dossier_codes).first() if dossier_codes else None,
    )
    conversation.handed_over = ticket
    conversation.save(update_fields=["handed_over", "updated_at"])
    return ticket
