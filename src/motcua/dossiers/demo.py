"""Demo dossiers: a few hundred dossiers in every state across the demo communes, made by running the
real transitions at past moments, so queues, timelines, signed results and overdue warnings show real
content. Runs once (skipped when dossiers exist)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks import task

from motcua.accounts.models import Agency, Role, User
from motcua.catalogue.models import Channel, Procedure

from . import deadlines, schedule, services
from .models import Dossier

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Đức", "Thu", "Quốc", "Hoài", "Gia"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Hà",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Thảo",
    "Tú",
    "Yến",
]
# Where each demo dossier stops: (final state, share).
TARGETS = [
    ("submitted", 8),
    ("received", 8),
    ("processing", 14),
    ("approval", 7),
    ("supplement", 7),
    ("processed", 6),
    ("returned", 38),
    ("refused", 4),
    ("withdrawn", 3),
    ("stopped", 2),
    ("late", 3),
]
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


class _Walker:
    """Moves one dossier through its life, advancing a clock in working time between steps."""

    def __init__(self, rng: random.Random, calendar: deadlines.Calendar, start: datetime.datetime):
        self.rng, self.calendar, self.moment = rng, calendar, start
        self.limit = timezone.now() - datetime.timedelta(minutes=5)

    def later(self, low: float, high: float) -> datetime.datetime:
        moment = deadlines.add_working_time(self.moment, self.rng.uniform(low, high), self.calendar)
        self.moment = max(self.moment, min(moment, self.limit))  # never in the future
        return self.moment

    def do(self, action, *args, **kwargs):
        with services.clock(self.moment):
            return action(*args, **kwargs)


def load(count: int = 300, seed: int = 766) -> int:
    if Dossier.objects.exists():
        return 0
    rng = random.Random(seed)
    units = list(Agency.objects.filter(code__in=["H99.X01", "H99.X02", "H99.X03"]))
    staff = {(u.agency_id, u.role): u for u in User.objects.filter(agency__in=units, is_active=True)}
    citizen = User.objects.filter(username="congdan").first()
    calendar = schedule.calendar_for(units[0])
    now = timezone.now()
    made = 0
    for i in range(count):
        unit = units[i % len(units)]
        procedures = list(Procedure.objects.filter(agencies=unit).prefetch_related("cases__documents"))
        if not procedures:
            continue
        procedure = rng.choice(procedures)
        target = rng.choices([t for t, _ in TARGETS], [w for _, w in TARGETS])[0]
        open_states = {"submitted", "received", "processing", "approval", "supplement", "late"}
        days_back = rng.uniform(0.2, 6) if target in open_states else rng.uniform(7, 60)
        start = deadlines.add_working_time(now - datetime.timedelta(days=days_back), 0.5, calendar)
        walker = _Walker(rng, calendar, min(start, now - datetime.timedelta(hours=1)))
        _walk(walker, target, procedure, unit, staff, citizen if i % 10 == 0 else None, now)
        made += 1
    return made


def _walk(walker: _Walker, target: str, procedure, unit, staff, citizen, now) -> None:
    reception, officer, leader = (
        staff.get((unit.pk, role)) for role in (Role.RECEPTION, Role.PROCESSING, Role.LEADER)
    )
    case = procedure.cases.first()
    documents = list(case.documents.all()) if case else []
    online = citizen is not None or walker.rng.random() < 0.4
    application = services.Application(
        procedure=procedure,
        case=case,
        agency=unit,
        channel=Channel.ONLINE if online else Channel.COUNTER,
        applicant_name=citizen.get_full_name() if citizen else _name(walker.rng),
        applicant_id_number=f"0{walker.rng.randint(10, 96):02d}{walker.rng.randint(0, 999999999):09d}",
        applicant_email=citizen.email if citizen else "",
        files=[(d, SimpleUploadedFile(f"giay-to-{n + 1}.pdf", PDF)) for n, d in enumerate(documents[:2])],
    )
    submitter = (citizen or reception) if online else reception
    if online and citizen is None:
        submitter = reception
        dossier = walker.do(services.submit, application, by=reception, pushed=True)
    else:
        dossier = walker.do(services.submit, application, by=submitter)
    if target == "submitted":
        return
    if dossier.status == 1:
        walker.later(0.2, 3)
        if target == "refused":
            walker.do(
                services.refuse,
                dossier,
                by=reception,
                reason="Hồ sơ không thuộc thẩm quyền giải quyết của xã.",
            )
            return
        if target == "withdrawn" and dossier.applicant:
            walker.do(services.withdraw, dossier, by=dossier.applicant, reason="Không còn nhu cầu.")
            return
        dossier = walker.do(services.receive, dossier, by=reception)
    if target in ("received", "refused", "withdrawn"):
        return
    if target == "supplement" or walker.rng.random() < 0.12:
        items = [
            {
                "document": documents[-1].name if documents else "Giấy tờ",
                "originals": 1,
                "copies": 0,
                "reason": "Bản chụp mờ, không đọc được.",
            }
        ]
        dossier = walker.do(services.request_supplement, dossier, by=reception, items=items)
        if target == "supplement":
            return
        walker.later(2, 16)
        dossier = walker.do(
            services.supplement, dossier, by=reception, files=[(None, SimpleUploadedFile("bo-sung.pdf", PDF))]
        )
    walker.later(0.2, 2)
    dossier = walker.do(services.forward, dossier, by=reception, to=officer)
    slow = target == "late"
    walker.later(4, 30) if not slow else walker.later(30, 60)
    if target == "stopped":
        walker.do(
            services.stop, dossier, by=leader, reason="Người yêu cầu đề nghị dừng để bổ sung hồ sơ khác."
        )
        return
    if target in ("processing", "late") or walker.moment >= now:
        if slow:
            walker.do(
                services.draft_apology,
                dossier,
                by=officer,
                reason="Cần xác minh thêm với cơ quan khác.",
                extra_value=Decimal(3),
            )
        return
    dossier = walker.do(services.attach_result, dossier, by=officer)
    dossier = walker.do(services.forward, dossier, by=officer)
    if target == "approval":
        return
    walker.later(0.5, 6)
    dossier = walker.do(services.approve, dossier, by=leader)
    if target == "processed":
        return
    walker.later(0.5, 12)
    dossier = walker.do(
        services.return_result, dossier, by=reception, method=walker.rng.choice(["counter", "online"])
    )
    if dossier.applicant and walker.rng.random() < 0.8:
        walker.do(
            services.rate,
            dossier,
            by=dossier.applicant,
            convenience=walker.rng.choice([2, 2, 1]),
            overall=walker.rng.choice([2, 1, 1, 0]),
            comment="",
        )


def load_demo(*, dossiers: int = 300, now: bool = False, **options) -> list[str]:
    """`motcua demo load` (through core.demo): the demo dossiers on the first load, made by the worker
    (a minute or so) or, with --now, here."""
    if Dossier.objects.exists() or not dossiers:
        return []
    if now:
        return [f"demo dossiers: {load(dossiers)}"]
    generate_demo_dossiers.enqueue(count=dossiers)
    return [f"demo dossiers: {dossiers} queued; the worker makes them in about a minute"]


@task()
def generate_demo_dossiers(count: int = 300) -> int:
    """Demo dossiers take a minute (each result is rendered and signed), so the worker makes them."""
    return load(count)
