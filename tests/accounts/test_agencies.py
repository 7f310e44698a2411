import datetime

import pytest
from django.db import IntegrityError

from motcua.accounts.models import Agency, AgencyKind, Role, User

pytestmark = pytest.mark.django_db


def test_demo_tree_follows_two_tier_government(demo):
    province = Agency.objects.get(code="H99")
    assert province.kind == AgencyKind.PROVINCE
    communes = province.children.filter(kind=AgencyKind.COMMUNE)
    assert communes.count() == 3
    # The abolished district is history: not active today, active before the reform.
    active_codes = set(Agency.objects.active_on().values_list("code", flat=True))
    assert "H99.H01" not in active_codes and "H99.X01" in active_codes
    assert "H99.H01" in Agency.objects.active_on(datetime.date(2024, 1, 1)).values_list("code", flat=True)


def test_closed_unit_points_to_its_successor(demo):
    former = Agency.objects.get(code="H99.H01")
    assert not former.is_active()
    assert former.current().code == "H99.X01"


def test_valid_range_is_enforced():
    with pytest.raises(IntegrityError):
        Agency.objects.create(
            code="BAD",
            name="x",
            kind=AgencyKind.OTHER,
            valid_from=datetime.date(2025, 1, 2),
            valid_to=datetime.date(2025, 1, 1),
        )


def test_an_official_must_belong_to_an_agency():
    with pytest.raises(IntegrityError):
        User.objects.create_user("orphan", password="x-very-long-1", role=Role.RECEPTION)


def test_demo_users_cover_every_role(demo):
    assert set(User.objects.values_list("role", flat=True)) == {role.value for role in Role}
    officer = User.objects.get(username="tiepnhan")
    assert officer.is_official and officer.agency.code == "H99.X01"
    assert not User.objects.get(username="congdan").is_official


def test_demo_load_is_idempotent(demo):
    from motcua.accounts import demo as accounts_demo

    before = (Agency.objects.count(), User.objects.count())
    accounts_demo.load()
    assert (Agency.objects.count(), User.objects.count()) == before
