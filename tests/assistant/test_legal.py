"""Legal questions: the relevant article is quoted with its document number and effective date."""

import pytest

from motcua.assistant.compose import compose
from tests.knowledge.test_legal import LAW

pytestmark = pytest.mark.django_db


@pytest.fixture
def residence_law(indexed, tmp_path):
    from motcua.knowledge import ingest
    from motcua.knowledge import services as knowledge

    path = tmp_path / "luat-cu-tru.txt"
    path.write_text(LAW, encoding="utf-8")
    ingest.import_legal_file(path)
    knowledge.index_pending()


def test_a_legal_question_quotes_the_article_with_its_citation(residence_law):
    answer = compose("Theo luật, người cao tuổi có được đăng ký thường trú ở nhà em ruột không?")
    assert answer.reason == "legal" and not answer.declined
    citation = answer.citations[0]
    assert citation.kind == "legal" and citation.code == "68/2020/QH14"
    assert "Điều 3" in citation.title and "01/07/2021" in citation.title
    assert citation.valid_from == "2021-07-01"
    assert "Người cao tuổi về ở với anh ruột, chị ruột, em ruột" in answer.text()
    # The clause that decides it, with the clause that introduces the point; the article folded below.
    first = answer.statements[0]
    assert not first.folded and [line[:3] for line in first.items] == ["2. ", "b) "]
    assert any(s.folded and "Vợ về ở với chồng" in s.items[0] for s in answer.statements)


def test_procedure_questions_still_get_the_procedure(residence_law):
    answer = compose("đăng ký thường trú cần giấy tờ gì")
    assert answer.reason == "procedure" and answer.codes[0] == "1.004222"


def test_a_legal_question_without_a_basis_is_declined(residence_law):
    answer = compose("Theo luật, mức phạt khi vượt đèn đỏ là bao nhiêu?")
    assert answer.declined and not answer.citations
