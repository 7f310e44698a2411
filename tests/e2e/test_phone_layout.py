"""Every page of the portal and the workspace on a 390 px phone, in Vietnamese, English and Arabic: the
page never scrolls sideways (a table may scroll inside its own box), the layout is the phone's own
width (a meta viewport), and the menu folds behind a button that opens it."""

import pytest

from motcua.accounts.models import User
from motcua.catalogue.models import Channel, Procedure
from motcua.dossiers import services

from ..dossiers.conftest import pdf
from .conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LANGUAGES = ["", "/en", "/ar"]

# What sticks out: elements reaching past the screen's edge that no scrolling box of theirs clips.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width > 1 && (box.right > width + 1 || box.left < -1) && !clipped(el)) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {width, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 12)};
}"""


def dossier_with_history():
    """A birth registration received at the counter and forwarded: a timeline of several rows."""
    reception = User.objects.get(username="tiepnhan")
    procedure = Procedure.objects.get(code="1.001193")
    case = procedure.cases.first()
    application = services.Application(
        procedure=procedure,
        case=case,
        agency=reception.agency,
        channel=Channel.ONLINE,
        applicant_name="Nguyễn Văn An",
        applicant_id_number="001203004567",
        files=[(case.documents.first(), pdf())],
    )
    dossier = services.submit(application, by=User.objects.get(username="congdan"))
    dossier = services.receive(dossier, by=reception)
    return services.forward(dossier, by=reception, to=User.objects.get(username="chuyenvien"))


def visit(page, url: str) -> str:
    page.goto(url)
    page.wait_for_load_state()
    found = page.evaluate(OVERFLOW)
    if found["width"] > 390:
        return f"{url}: laid out {found['width']} px wide (no meta viewport?)"
    if found["scroll"] > found["width"]:
        return f"{url}: {found['scroll']} px on a {found['width']} px screen: {found['wide']}"
    return ""


def phone(browser, portal, username=None):
    if username:
        return sign_in(browser, portal, username, **PHONE)
    return browser.new_context(**PHONE).new_page()


def test_no_page_is_wider_than_a_phone(browser, portal):
    dossier = dossier_with_history()
    public = [
        "/",
        "/thu-tuc/",
        "/thu-tuc/?q=khai+sinh",
        "/thu-tuc/1.001193/",
        "/tra-cuu/",
        "/tro-ly/",
        "/tra-cuu-tri-thuc/?q=kết+hôn",
        "/gop-y/",
        "/tai-khoan/login/",
        "/tai-khoan/dang-ky/",
        "/tai-khoan/password_reset/",
    ]
    citizen = [
        "/ho-so/",
        "/ho-so/nop/1.001193/",
        f"/ho-so/{dossier.code}/",
    ]
    official = ["/can-bo/", f"/can-bo/?q={dossier.code}", f"/ho-so/{dossier.code}/"]
    wide = []
    for username, paths in (
        (None, public),
        ("congdan", citizen),
        ("chuyenvien", official),
        ("lanhdao", ["/can-bo/"]),
    ):
        page = phone(browser, portal, username)
        for language in LANGUAGES:
            wide += [problem for path in paths if (problem := visit(page, portal + language + path))]
        page.context.close()
    assert not wide, "\n".join(wide)


def test_the_menu_folds_behind_a_button_on_a_phone(browser, portal):
    page = phone(browser, portal)
    page.goto(portal + "/")
    button = page.locator("header .menu-button")
    track = page.locator("header nav a[href$='/tra-cuu/']")
    assert button.is_visible() and not track.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert track.is_visible() and button.get_attribute("aria-expanded") == "true"
    track.click()
    page.wait_for_url("**/tra-cuu/")
    page.context.close()


def test_on_a_desktop_the_menu_is_open_and_has_no_button(page, portal):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(portal + "/")
    assert not page.locator("header .menu-button").is_visible()
    assert page.locator("header nav a[href$='/tra-cuu/']").is_visible()


@pytest.mark.parametrize("language", ["", "/ar"])
def test_an_answer_of_the_assistant_fits_a_phone(browser, portal, language):
    from tests.assistant.conftest import index_knowledge

    index_knowledge()
    page = phone(browser, portal)
    page.goto(f"{portal}{language}/tro-ly/")
    page.locator("#ask-form textarea").fill("Đăng ký khai sinh cần giấy tờ gì và lệ phí bao nhiêu?")
    page.locator("#ask-button").click()
    answer = page.locator("article.exchange .answer").last
    answer.wait_for()
    for more in answer.locator("details summary").all():
        more.click()
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], found
    page.context.close()


def test_a_citizen_signs_up_on_a_phone_and_the_link_opens_the_account(browser, portal):
    import re

    from django.core import mail

    page = phone(browser, portal)
    page.goto(portal + "/tai-khoan/login/")
    page.locator("main a[href='/tai-khoan/dang-ky/']").click()
    page.fill("#id_last_name", "Lê Văn")
    page.fill("#id_first_name", "Bình")
    page.fill("#id_email", "binh.le@example.invalid")
    page.fill("#id_password", "mua-xuan-2027!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/tai-khoan/dang-ky/da-gui/")
    assert page.evaluate(OVERFLOW)["scroll"] <= 390
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.wait_for_url("**/ho-so/")
    page.locator("header .menu-button").click()
    assert "Lê Văn Bình" in page.locator("header").inner_text()
    page.context.close()
