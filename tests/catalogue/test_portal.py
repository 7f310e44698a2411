import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse as django_reverse
from django.utils import translation

pytestmark = pytest.mark.django_db
BIRTH = "1.001193"


def reverse(name, args=()):
    """Vietnamese (unprefixed) URLs, whatever language the previous request left active."""
    with translation.override("vi"):
        return django_reverse(name, args=args)


def test_home_offers_search_and_browsing(client, demo):
    page = client.get("/").content.decode()
    assert '<html lang="vi" dir="ltr">' in page
    assert 'role="search"' in page and '<label for="id_q">' in page
    assert "?field=ho-tich" in page
    assert "Đăng ký khai sinh" in page


@pytest.mark.parametrize("query", ["đăng ký khai sinh", "dang ky khai sinh"])
def test_search_ranks_birth_registration_first(client, demo, query):
    page = client.get("/thu-tuc/", {"q": query}).content.decode()
    first = re.search(r'<li class="card">\s*<h3><a href="([^"]+)"', page)
    assert first and first.group(1) == reverse("portal:procedure", args=[BIRTH])


def test_browse_by_field_level_and_agency(client, demo):
    by_field = client.get("/thu-tuc/", {"field": "ho-tich"}).context["page"].paginator.object_list
    assert by_field and all(p.field.code == "ho-tich" for p in by_field)
    by_level = client.get("/thu-tuc/", {"level": "commune"}).context["page"].paginator.object_list
    assert by_level and all("commune" in p.level_list for p in by_level)
    by_agency = client.get("/thu-tuc/", {"agency": "H99.STP"}).context["page"].paginator.object_list
    assert by_agency and all(p.agencies.filter(code="H99.STP").exists() for p in by_agency)


def test_bad_filter_values_are_ignored_not_errors(client, demo):
    response = client.get("/thu-tuc/", {"level": "galaxy", "field": "???"})
    assert response.status_code == 200


def test_procedure_page_has_what_a_citizen_needs(client, demo):
    response = client.get(reverse("portal:procedure", args=[BIRTH]))
    page = response.content.decode()
    procedure = response.context["procedure"]
    assert "<h1" in page and procedure.name in page
    english = _english(client, BIRTH)
    for heading in ("Documents to bring", "Steps", "Legal basis", "Time limit", "Fees"):
        assert heading in english
    doc = procedure.cases.first().documents.first()
    assert doc.name in page
    assert procedure.legal_basis[0]["number"] in page
    assert reverse("portal:procedure-qr", args=[BIRTH]) in page
    forms = [d.form for c in procedure.cases.all() for d in c.documents.all() if d.form]
    assert forms and reverse("portal:form-pdf", args=[forms[0].code]) in page


def _english(client, code):
    return client.get("/en" + reverse("portal:procedure", args=[code])).content.decode()


def test_unknown_procedure_is_404(client, demo):
    assert client.get(reverse("portal:procedure", args=["0.000000"])).status_code == 404


def test_qr_code_is_svg_linking_to_the_page(client, demo, settings):
    response = client.get(reverse("portal:procedure-qr", args=[BIRTH]))
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag.endswith("svg")


def test_form_download_is_a_real_pdf(client, demo):
    from motcua.catalogue.models import FormTemplate

    form = FormTemplate.objects.first()
    response = client.get(reverse("portal:form-pdf", args=[form.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 2000


@pytest.mark.parametrize(
    ("prefix", "lang", "direction"), [("", "vi", "ltr"), ("/en", "en", "ltr"), ("/ar", "ar", "rtl")]
)
def test_language_prefix_sets_language_and_direction(client, demo, prefix, lang, direction):
    page = client.get(prefix + reverse("portal:procedure", args=[BIRTH])).content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in page


def test_translated_procedure_names_are_shown_in_english(client, demo):
    from motcua.catalogue.models import Procedure

    procedure = Procedure.objects.get(code=BIRTH)
    page = _english(client, BIRTH)
    assert procedure.i18n["en"]["name"] in page
    assert 'lang="vi"' in page  # Vietnamese source text stays marked as Vietnamese
