"""The assistant as a citizen uses it, in Debian's Chromium."""

import pytest

from tests.assistant.conftest import index_knowledge

pytestmark = pytest.mark.browser


@pytest.fixture
def assistant(portal):
    index_knowledge()
    return portal


def test_citizen_asks_about_a_birth_and_gets_the_procedure_with_sources(page, assistant):
    page.goto(assistant + "/")
    page.locator("header nav a[href='/tro-ly/']").click()
    page.locator("#ask-form textarea").fill("làm giấy khai sinh cho con cần gì")
    page.locator("#ask-button").click()
    answer = page.locator("article.exchange .answer").last
    answer.wait_for()
    text = answer.inner_text()
    assert "1.001193" in text and "Giấy chứng sinh" in text and "8.000 VND" in text
    citations = answer.locator("ol.citations li")
    assert citations.count() >= 3
    # A citation marker leads to its source, and the source to the procedure's section.
    answer.locator("a.cite").first.click()
    source = answer.locator("ol.citations li a").nth(1)
    source.click()
    assert "/thu-tuc/1.001193/" in page.url and page.url.endswith("#documents")
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"


def test_an_arabic_question_is_answered_right_to_left(page, assistant):
    page.goto(assistant + "/ar/tro-ly/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#ask-form textarea").fill("كيف أسجل ولادة طفلي؟")
    page.locator("#ask-button").click()
    answer = page.locator("article.exchange .answer").last
    answer.wait_for()
    assert answer.get_attribute("lang") == "ar"
    assert answer.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert "1.001193" in answer.inner_text()
    # The quoted Vietnamese source keeps its own left-to-right direction inside the Arabic answer.
    quoted = answer.locator("ul[lang=vi]").first
    assert quoted.evaluate("el => getComputedStyle(el).direction") == "ltr"


def test_the_chat_works_without_javascript(browser, assistant):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(assistant + "/tro-ly/")
    page.locator("#ask-form textarea").fill("dang ky ket hon can gi")
    page.locator("#ask-button").click()
    assert "1.000894" in page.locator("article.exchange .answer").last.inner_text()
    context.close()
