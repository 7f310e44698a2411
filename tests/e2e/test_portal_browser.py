"""The citizen portal as a person uses it, in Debian's Chromium."""

import pytest

pytestmark = pytest.mark.browser


def test_search_without_diacritics_then_open_the_procedure(page, portal):
    page.goto(portal + "/")
    page.get_by_label("Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_label("Tìm thủ tục").press("Enter")
    first = page.locator("#result-list li.card h3 a").first
    assert first.inner_text() == "Đăng ký khai sinh"
    first.click()
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"
    documents = page.locator("table.documents tbody tr")
    assert documents.count() >= 2
    qr = page.locator("img[alt*='1.001193']")
    qr.evaluate("img => img.decode()")  # wait until the browser has drawn it
    assert qr.evaluate("img => img.naturalWidth") > 100


def test_language_switch_keeps_the_page_and_turns_arabic_right_to_left(page, portal):
    page.goto(portal + "/thu-tuc/1.001193/")
    page.locator("nav.langs a[hreflang=ar]").click()
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    assert page.url.endswith("/ar/thu-tuc/1.001193/")
    heading = page.locator("h1")
    assert heading.get_attribute("lang") == "ar"
    # Right-to-left for real: the heading's text starts at the right edge of the page.
    box, width = heading.bounding_box(), page.viewport_size["width"]
    assert box["x"] + box["width"] > width * 0.6
    page.locator("nav.langs a[hreflang=en]").click()
    assert html.get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == "Birth registration"


def test_search_works_without_javascript(browser, portal):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(portal + "/en/")
    page.get_by_label("Search procedures").fill("marriage registration")
    page.get_by_role("button", name="Search").click()
    assert (
        "kết hôn" in page.locator("#result-list li.card").first.inner_text().lower()
        or "marriage" in page.locator("#result-list li.card").first.inner_text().lower()
    )
    context.close()
