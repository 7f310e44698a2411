"""Messages to citizens and officials. Queued after the transaction commits and sent by the worker
through the configured notifier (`core.backends.notifiers`, e-mail by default), so a failed transition
never notifies anyone and a slow mail server never slows a request."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from motcua.core.backends import notifier
from motcua.core.notifiers import Recipient
from motcua.core.tasks.policy import retry_on

from .links import tracking_url
from .models import Dossier

# What changed, for the applicant: (subject, first line of the body). Rendered in Vietnamese.
CITIZEN_MESSAGES = {
    "submitted": ("Hồ sơ {code} đã được gửi", "Hồ sơ {code} ({procedure}) đã được gửi tới {agency}."),
    "received": (
        "Hồ sơ {code} đã được tiếp nhận",
        "Hồ sơ {code} ({procedure}) đã được tiếp nhận. Hẹn trả kết quả: {due}.",
    ),
    "refused": (
        "Hồ sơ {code} không được tiếp nhận",
        "Hồ sơ {code} không được tiếp nhận. Xem lý do trong phiếu từ chối.",
    ),
    "supplement_requested": (
        "Hồ sơ {code} cần bổ sung",
        "Hồ sơ {code} cần bổ sung giấy tờ trước {supplement_due}. Xem phiếu yêu cầu bổ sung.",
    ),
    "supplemented": ("Hồ sơ {code} đã được bổ sung", "Cơ quan đã nhận phần bổ sung của hồ sơ {code}."),
    "result_ready": ("Hồ sơ {code} đã có kết quả", "Kết quả của hồ sơ {code} đã sẵn sàng để trả."),
    "returned": (
        "Hồ sơ {code} đã trả kết quả",
        "Kết quả của hồ sơ {code} đã được trả. Mời bạn đánh giá mức độ hài lòng.",
    ),
    "stopped": ("Hồ sơ {code} đã dừng xử lý", "Hồ sơ {code} đã dừng xử lý. Xem thông báo dừng giải quyết."),
    "extended": ("Thư xin lỗi về hồ sơ {code}", "Cơ quan xin lỗi vì hồ sơ {code} chậm. Hẹn trả mới: {due}."),
}


def recipient(dossier: Dossier) -> Recipient:
    return Recipient(dossier.applicant_name, dossier.applicant_email, dossier.applicant_phone)


def dossier_changed(dossier: Dossier, kind: str) -> None:
    if kind not in CITIZEN_MESSAGES or not notifier().can_reach(recipient(dossier)):
        return
    transaction.on_commit(lambda: send_citizen_notice.enqueue(dossier_id=dossier.pk, kind=kind))


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "—"


@retry_on(OSError)  # a notifier's temporary failure (smtplib.SMTPException is an OSError)
@task(takes_context=True)
def send_citizen_notice(context, dossier_id: int, kind: str) -> bool:
    """Notify the applicant through the configured notifier (MOTCUA_NOTIFIER, e-mail by default). Sent
    once per queued notice (keyed by its task id), retried while the channel is down."""
    dossier = Dossier.objects.select_related("procedure", "agency").get(pk=dossier_id)
    subject, line = CITIZEN_MESSAGES[kind]
    values = {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "agency": dossier.agency.name,
        "due": _when(dossier.due_at),
        "supplement_due": _when(dossier.supplement_due_at),
    }
    body = f"{line.format(**values)}\n\nTra cứu: {tracking_url(dossier)}\n"
    key = f"notice:{context.task_result.id}"
    return notifier().send(key, recipient(dossier), subject.format(**values), body)
