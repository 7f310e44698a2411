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
    # What was asked (what to bring) first: the cases, whose lists differ; the rest folded.
    assert "1.001193" in text and "Đăng ký khai sinh đúng hạn" in text and "Giấy chứng sinh" not in text
    answer.locator("details.more summary").click()
    assert "Giấy chứng sinh" in answer.inner_text() and "8.000 VND" in answer.inner_text()
    citations = answer.locator("ol.citations li")
    assert citations.count() >= 3
    # A citation marker leads to its source, and the source to the procedure's section.
    answer.locator("a.cite").first.click()
    source = answer.locator("ol.citations li a").nth(1)
    source.click()
    assert "/thu-tuc/1.001193/" in page.url and page.url.endswith("#documents")
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"


def test_a_follow_up_question_is_answered_about_the_same_procedure(page, assistant):
    page.goto(assistant + "/tro-ly/")
    page.locator("#ask-form textarea").fill("Đăng ký khai sinh cần giấy tờ gì?")
    page.locator("#ask-button").click()
    page.locator("article.exchange .answer").last.wait_for()
    page.locator("#ask-form textarea").fill("còn phí thì sao?")
    page.locator("#ask-button").click()
    page.wait_for_function("document.querySelectorAll('article.exchange').length == 2")
    answer = page.locator("article.exchange .answer").last
    text = answer.inner_text()
    assert "Đăng ký khai sinh" in text and "miễn cho trường hợp đăng ký đúng hạn" in text
    shown = text.split("Xem đủ thủ tục")[0]  # above the folded rest and the sources
    assert "8.000 VND" in shown and len([line for line in shown.splitlines() if line.strip()]) <= 6


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
