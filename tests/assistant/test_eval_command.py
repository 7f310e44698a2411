import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_eval_writes_one_line_per_question_and_scores_gold(indexed, tmp_path, capsys):
    questions = tmp_path / "q.jsonl"
    rows = [
        {
            "id": "b1",
            "question": "làm giấy khai sinh cho con cần gì",
            "gold": ["1.001193"],
            "facts": ["Giấy chứng sinh"],
        },
        {"id": "b2", "question": "How do I register a marriage?", "gold": ["1.000894"], "extra": 1},
        {"id": "n1", "question": "giá vàng hôm nay bao nhiêu", "gold": []},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    call_command("eval_assistant", questions=str(questions), out=str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["b1", "b2", "n1"]
    assert set(lines[0]) == {"id", "answer", "shown", "shown_lines", "cited_codes", "declined", "latency_ms"}
    assert lines[0]["cited_codes"][0] == "1.001193" and "Giấy chứng sinh" in lines[0]["answer"]
    assert lines[1]["cited_codes"][0] == "1.000894"
    assert lines[2]["declined"] and lines[2]["cited_codes"] == []
    printed = capsys.readouterr().out
    assert "assistant hit@3: 1.000" in printed and "assistant decline accuracy: 1.000" in printed
    assert "assistant latency p95:" in printed
