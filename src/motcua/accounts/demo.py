"""The demo province (fictional), its agencies and one user per role. Safe to run again."""

from __future__ import annotations

import datetime

from django.db import transaction

from .models import Agency, AgencyKind, Role, User

ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN)
DEMO_PASSWORD = "motcua-demo"
# The demo officials' authenticator key (their second factor), the same for all: add it to an app,
# or read the current code with `motcua demo code USER`. Never used outside the demo.
DEMO_TOTP_KEY = "6d6f74637561206d6f742063756120646f6d6f21"  # hex, as django-otp stores it
REFORM_DAY = datetime.date(2025, 7, 1)  # two-tier local government: districts abolished

# (code, parent, kind, Vietnamese name, English name, Arabic name)
AGENCIES = [
    (
        "H99",
        None,
        AgencyKind.PROVINCE,
        "Ủy ban nhân dân tỉnh An Hòa",
        "An Hoa Provincial People's Committee",
        "اللجنة الشعبية لمحافظة آن هوا",
    ),
    (
        "H99.TTPV",
        "H99",
        AgencyKind.CENTRE,
        "Trung tâm Phục vụ hành chính công tỉnh An Hòa",
        "An Hoa Public Administration Service Centre",
        "مركز خدمة الإدارة العامة في محافظة آن هوا",
    ),
    ("H99.STP", "H99", AgencyKind.DEPARTMENT, "Sở Tư pháp", "Department of Justice", "إدارة العدل"),
    ("H99.SXD", "H99", AgencyKind.DEPARTMENT, "Sở Xây dựng", "Department of Construction", "إدارة البناء"),
    (
        "H99.SNNMT",
        "H99",
        AgencyKind.DEPARTMENT,
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        "إدارة الزراعة والبيئة",
    ),
    ("H99.SYT", "H99", AgencyKind.DEPARTMENT, "Sở Y tế", "Department of Health", "إدارة الصحة"),
    ("H99.STC", "H99", AgencyKind.DEPARTMENT, "Sở Tài chính", "Department of Finance", "إدارة المالية"),
    (
        "H99.CAT",
        "H99",
        AgencyKind.DEPARTMENT,
        "Công an tỉnh An Hòa",
        "An Hoa Provincial Police",
        "شرطة محافظة آن هوا",
    ),
    (
        "H99.X01",
        "H99",
        AgencyKind.COMMUNE,
        "Ủy ban nhân dân phường An Phú",
        "An Phu Ward People's Committee",
        "اللجنة الشعبية لحي آن فو",
    ),
    (
        "H99.X02",
        "H99",
        AgencyKind.COMMUNE,
        "Ủy ban nhân dân xã Hòa Bình",
        "Hoa Binh Commune People's Committee",
        "اللجنة الشعبية لبلدية هوا بينه",
    ),
    (
        "H99.X03",
        "H99",
        AgencyKind.COMMUNE,
        "Ủy ban nhân dân xã Tân Lập",
        "Tan Lap Commune People's Committee",
        "اللجنة الشعبية لبلدية تان لاب",
    ),
]
# A district abolished by the 2025 reform: kept with its dates, its work carried on by a ward.
FORMER = (
    "H99.H01",
    "H99",
    AgencyKind.OTHER,
    "Ủy ban nhân dân huyện An Phú (cũ)",
    "Former An Phu District",
    "مقاطعة آن فو السابقة",
)

# (username, role, agency code, full name)
USERS = [
    ("congdan", Role.CITIZEN, None, "Nguyễn Văn An"),
    ("tiepnhan", Role.RECEPTION, "H99.X01", "Trần Thị Bình"),
    ("chuyenvien", Role.PROCESSING, "H99.X01", "Lê Văn Cường"),
    ("lanhdao", Role.LEADER, "H99.X01", "Phạm Thị Dung"),
    ("quantri", Role.AGENCY_ADMIN, "H99.X01", "Hoàng Văn Em"),
    ("admin", Role.SYSTEM_ADMIN, None, "Quản trị hệ thống"),
    ("tiepnhan.x02", Role.RECEPTION, "H99.X02", "Đỗ Thị Giang"),
    ("chuyenvien.x02", Role.PROCESSING, "H99.X02", "Vũ Văn Hải"),
    ("lanhdao.x02", Role.LEADER, "H99.X02", "Bùi Thị Hương"),
    ("tiepnhan.x03", Role.RECEPTION, "H99.X03", "Đặng Văn Khoa"),
    ("chuyenvien.x03", Role.PROCESSING, "H99.X03", "Ngô Thị Lan"),
    ("lanhdao.x03", Role.LEADER, "H99.X03", "Dương Văn Minh"),
]


def _agency(code, parent, kind, vi, en, ar, **extra) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        code=code,
        defaults={
            "parent": Agency.objects.get(code=parent) if parent else None,
            "kind": kind,
            "name": vi,
            "i18n": {"en": {"name": en}, "ar": {"name": ar}},
            **extra,
        },
    )
    return agency


@transaction.atomic
def load() -> dict[str, int]:
    for row in AGENCIES:
        _agency(
            *row,
            valid_from=REFORM_DAY if row[2] == AgencyKind.COMMUNE else None,
            opening_hours="07:00–11:30, 13:30–17:00 (T2–T6)",
        )
    _agency(
        *FORMER,
        valid_from=datetime.date(2004, 1, 1),
        valid_to=REFORM_DAY - datetime.timedelta(days=1),
        successor=Agency.objects.get(code="H99.X01"),
    )
    # Only administrators reach /admin/; the workspace is where officials work.
    for username, role, agency_code, full_name in USERS:
        last, _, first = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": first,
                "last_name": last,
                "agency": Agency.objects.get(code=agency_code) if agency_code else None,
                "email": f"{username}@example.invalid",
                "is_staff": role in ADMIN_ROLES,
                "is_superuser": role == Role.SYSTEM_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif user.is_staff != (role in ADMIN_ROLES):  # demo data of an earlier version
            User.objects.filter(pk=user.pk).update(is_staff=role in ADMIN_ROLES)
        if user.is_official or role in ADMIN_ROLES:
            _demo_device(user)
    return {"agencies": len(AGENCIES) + 1, "users": len(USERS)}


def _demo_device(user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)


def demo_code(user: User) -> str | None:
    """The current code of a demo official's authenticator, or None for any other device."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, key=DEMO_TOTP_KEY, confirmed=True).first()
    if device is None:
        return None
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def load_demo(**options) -> list[str]:
    """`motcua demo load` (through core.demo): the province, its agencies and the demo accounts."""
    return ["demo data: " + ", ".join(f"{n} {what}" for what, n in load().items())]


def started_lines() -> list[str]:
    """What `motcua run` prints at start: the demo accounts, only where they exist and still have the
    demo password (never in production)."""
    from django.conf import settings

    if getattr(settings, "PRODUCTION", False):
        return []
    user = User.objects.filter(username=USERS[0][0]).first()
    if not (user and user.check_password(DEMO_PASSWORD)):
        return []
    lines = [f"demo accounts (password {DEMO_PASSWORD}):"]
    for username, role, agency, _name in USERS:
        lines.append(f"  {username:<11} {role.label}" + (f" — {agency}" if agency else ""))
    from base64 import b32encode

    key = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
    lines.append(f"officials' second factor: authenticator key {key}, or `motcua demo code USER`")
    return lines
