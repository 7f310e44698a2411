"""The answer composer: question -> guardrails -> tools / retrieval -> evidence -> cited answer.

One contract for every mode (`answer.Answer`): the extractive composer builds statements from the
catalogue's structured fields and quoted legal articles; when an LLM endpoint is configured it rewrites
them from the same numbered evidence (`llm.py`), and any failure falls back to the extractive answer.
The composer declines, citing nothing, when the evidence is too weak: thresholds calibrated on the
development set (bench/assistant/questions.jsonl, `make eval`).
"""

from __future__ import annotations

import logging
import re
import time

from django.contrib.auth.models import AnonymousUser

from motcua.core.text import fold
from motcua.knowledge import services as knowledge

from . import extractive, intents, safety, tools
from . import language as lang
from .answer import Answer

log = logging.getLogger(__name__)

# Confidence in a procedure: the mean of the idf-weighted share of the question's words (and bigrams)
# that it uses and the share of its name's words that the question uses. At or above CONFIDENT it
# answers; between PLAUSIBLE and CONFIDENT only if the question speaks of an administrative act
# (a glossary term or a word like "đăng ký", "cấp", "giấy"): "cách chữa bệnh đau lưng" shares
# "chữa bệnh" with a health-insurance procedure but asks for medical advice. Calibrated on
# bench/assistant/questions.jsonl (see docs/assistant.md).
CONFIDENT = 0.45
PLAUSIBLE = 0.12
ADMIN_CUES = re.compile(
    r"\b(dang ky|cap|xin|thu tuc|giay|ho so|nop|doi|gia han|chung thuc|huong|khai|to khai|phep|"
    r"the can cuoc|so do|xac nhan|bao hiem|thue|le phi|dang kiem|tham dinh|cong nhan|thanh lap|bo nhiem|"
    r"ban sao|uy quyen|linh|tro cap|che do|hoan|mien|giam|tach|nhap|xoa|bo sung|dieu chinh|thay doi|"
    r"cham dut|tam ngung|kiem dinh|nghiem thu|chung nhan|chung chi|ho chieu|bang lai|trinh bao)\b"
)
# Without glossary terms an English/Arabic question is judged by its best dense similarity instead.
DENSE_THRESHOLD = 0.86
LEGAL_THRESHOLD = 0.6
SHOWN_PROCEDURES = 3


def _evidence(finding: tools.Finding) -> list[dict]:
    return [
        {
            "code": c.code,
            "score": round(c.score, 4),
            "confidence": round(c.confidence, 3),
            "precision": round(c.precision, 3),
            "dense": round(finding.dense.get(c.code, 0.0), 4),
        }
        for c in finding.candidates
    ]


def confidence(finding: tools.Finding) -> float:
    best = finding.candidates[0] if finding.candidates else None
    return (best.confidence + best.precision) / 2 if best else 0.0


def _procedure_confident(finding: tools.Finding, question: str, language: str) -> bool:
    if not finding.candidates:
        return False
    glossary = bool(finding.expansion)  # lang.expand(question), computed once by find_procedures
    if language != "vi" and not glossary:
        return finding.dense.get(finding.candidates[0].code, 0.0) >= DENSE_THRESHOLD
    score = confidence(finding)
    cue = glossary or bool(ADMIN_CUES.search(fold(question)))
    return score >= CONFIDENT or (score >= PLAUSIBLE and cue)


def _tool_answer(answer: Answer, question: str, user, language: str, id_lookup) -> Answer | None:
    """Dossier status and due lists: these answers come from records, not from retrieval."""
    code = tools.dossier_code(question)
    if code:
        id_numbers = tools.ID_NUMBER.findall(question)
        allowed = id_lookup(code) if (id_numbers and id_lookup) else True
        dossier = tools.lookup_dossier(user, code, id_numbers[0] if (id_numbers and allowed) else "")
        return extractive.dossier_answer(
            answer, [dossier] if dossier else [], language, reason="dossier_status"
        )
    mine_asked = tools.wants_my_dossiers(question)
    if getattr(user, "is_official", False) and (mine_asked or tools.wants_due(question)):
        return extractive.due_answer(answer, tools.due_in_unit(user), language)  # "my dossiers": the unit's
    if mine_asked:  # signed out: how to look one up, never a procedure instead
        mine = tools.my_dossiers(user, about=tools.my_dossiers_about(question))
        return extractive.dossier_answer(answer, mine, language, reason="my_dossiers")
    return None


def _topic_procedure(code: str):
    from motcua.catalogue.models import Procedure

    return (
        Procedure.objects.prefetch_related("channels__fees", "cases__documents__form")
        .filter(code=code)
        .first()
    )


def compose(
    question: str,
    *,
    user=None,
    language: str | None = None,
    use_llm: bool | None = None,
    id_lookup=None,
    topic: str = "",
) -> Answer:
    """Answer `question` for `user` (None: an anonymous citizen). `id_lookup` is called before a
    look-up by dossier code and ID number, with the code, and returns False when the caller's rate limit
    is spent. `topic`: the code of the procedure the conversation is about; a follow-up that names
    nothing else ("còn phí thì sao?") is answered about it, any other question starts afresh."""
    started = time.perf_counter()
    user = user if user is not None else AnonymousUser()
    question = (question or "").strip()
    language = language or lang.detect(question)
    answer = Answer(question=question, language=language)
    flags = ["injection"] if safety.has_injection(question) else []
    query = safety.strip_injection(question)

    if safety.is_illegal(question):
        extractive.decline(answer, "illegal", language)
    elif not query:
        extractive.decline(answer, "empty", language)
    elif _tool_answer(answer, query, user, language, id_lookup) is not None:
        pass
    elif topic and intents.is_follow_up(query) and (procedure := _topic_procedure(topic)):
        extractive.procedure_answer(answer, [procedure], language, intents.facets(query))
        answer.reason = "follow_up"
    else:
        asked = intents.facets(query)
        finding = tools.find_procedures(intents.without_facets(query) or query, language)
        answer.evidence = _evidence(finding)
        confident = _procedure_confident(finding, query, language)
        legal = []
        # The law is searched only when the question speaks of it or no procedure fits well.
        if (tools.legal_cue(query) or not confident) and tools.has_legal_corpus():
            access = knowledge.access_level_for(user)
            legal = [
                a for a in tools.find_articles(query, access_level=access) if a.confidence >= LEGAL_THRESHOLD
            ]
            answer.evidence += [
                {"chunk": a.result.chunk.key, "confidence": round(a.confidence, 3)} for a in legal
            ]
        if legal:
            extractive.legal_answer(answer, legal, language)
            answer.reason = "legal"
        elif confident:
            shown = [c.procedure for c in finding.candidates[:SHOWN_PROCEDURES]]
            extractive.procedure_answer(answer, shown, language, asked)
            answer.reason = "procedure"
        else:
            extractive.decline(answer, "weak_evidence", language)
        if not answer.declined and _llm_enabled(use_llm):
            from . import llm

            answer = llm.rewrite(answer)
    if answer.reason not in ("dossier_status", "my_dossiers", "due"):
        answer.enforce()
    answer.latency_ms = round((time.perf_counter() - started) * 1000)
    log.info(
        "assistant answer lang=%s mode=%s declined=%s reason=%s codes=%s flags=%s latency=%dms q=%s",
        language,
        answer.mode,
        answer.declined,
        answer.reason,
        ",".join(answer.codes[:3]),
        ",".join(flags),
        answer.latency_ms,
        safety.for_log(question),
    )
    return answer


def _llm_enabled(use_llm: bool | None) -> bool:
    from .backends import llm

    return llm() is not None if use_llm is None else use_llm
