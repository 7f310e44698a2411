"""Messages to citizens and officials. Queued after the transaction commits and sent by the worker,
so a failed transition never e-mails anyone and a slow mail server never slows a request."""

from __future__ import annotations

from django.db import transaction

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


def dossier_changed(dossier: Dossier, kind: str) -> None:
    if kind not in CITIZEN_MESSAGES or not dossier.applicant_email:
        return
    from .tasks import send_citizen_notice

    transaction.on_commit(lambda: send_citizen_notice.enqueue(dossier_id=dossier.pk, kind=kind))
