"""Extractive answers (no language model): the catalogue's structured fields, quoted and cited.

Every sentence frame is translatable and rendered in the question's language; what is quoted from a
source (document names, fees as published, legal text) stays in Vietnamese, the authoritative text.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalogue.models import Procedure
from motcua.core.text import fold
from motcua.knowledge.ingest import procedure_chunks

from .answer import Answer, Citation, Statement
from .tools import content_terms

MAX_DOCUMENTS = 14
MAX_ITEM = 240
MAX_QUOTE = 1500
# Knowledge chunk anchors -> the procedure page's section ids.
PAGE_ANCHORS = {
    "tong-quan": "at-a-glance",
    "thanh-phan-ho-so": "documents",
    "thoi-han-phi": "how",
    "can-cu-phap-ly": "legal",
    "dieu-kien": "conditions",
}


def _section_label(slug: str) -> str:
    return {
        "tong-quan": _("Overview"),
        "thanh-phan-ho-so": _("Documents to bring"),
        "thoi-han-phi": _("Time limit and fees"),
        "can-cu-phap-ly": _("Legal basis"),
        "dieu-kien": _("Conditions"),
    }[slug]


class Sources:
    """Numbers citations in order of first use."""

    def __init__(self, answer: Answer):
        self.answer = answer
        self._by_key: dict[tuple, int] = {}

    def cite(self, key: tuple, **fields) -> int:
        if key not in self._by_key:
            n = len(self.answer.citations) + 1
            self.answer.citations.append(Citation(n=n, **fields))
            self._by_key[key] = n
        return self._by_key[key]


def _section_texts(procedure: Procedure) -> dict[str, str]:
    """The knowledge base's chunk texts of the procedure, by section: the evidence behind each citation
    (in Vietnamese, as the catalogue publishes it, whatever the reader's language)."""
    texts: dict[str, list[str]] = {}
    with translation.override("vi"):
        chunks = procedure_chunks(procedure)
    for chunk in chunks:
        # The section's Vietnamese heading ("Thời hạn giải quyết, phí, lệ phí") opens its evidence.
        texts.setdefault(chunk["anchor"], [chunk["title_path"][-1]]).append(chunk["text"])
    return {slug: "\n".join(parts)[:MAX_QUOTE] for slug, parts in texts.items()}


def _cite_section(sources: Sources, procedure: Procedure, slug: str, texts: dict[str, str]) -> int:
    url = reverse("portal:procedure", args=[procedure.code]) + "#" + PAGE_ANCHORS[slug]
    return sources.cite(
        ("procedure", procedure.code, slug),
        kind="procedure",
        code=procedure.code,
        title=procedure.name,
        section=_section_label(slug),
        url=url,
        quote=texts.get(slug, ""),
    )


def _amount(value: int, currency: str) -> str:
    return f"{value:,}".replace(",", ".") + f" {currency}"


def _fee(fee) -> str:
    """One fee, its exemption or charging condition first (catalogue.fees): "free for đăng ký đúng
    hạn, hộ nghèo; otherwise 8.000 VND", never a bare amount that most applicants do not pay."""
    if fee.amount is None:
        return fee.description
    if fee.amount == 0:
        return _("free of charge") + (f" ({fee.description})" if fee.description else "")
    amount, terms = _amount(fee.amount, fee.currency), fee.conditions
    if terms.exempt:
        text = _("free for %(exempt)s; otherwise %(amount)s") % {
            "exempt": "; ".join(terms.exempt),
            "amount": amount,
        }
    elif terms.charged_when:
        text = _("%(amount)s, only when %(when)s") % {"amount": amount, "when": terms.charged_when}
    else:
        return amount + (f" ({fee.description})" if fee.description else "")
    return f"{fee.label}: {text}" if fee.label else text


def _fees(option) -> str:
    fees = [f for f in (_fee(fee) for fee in option.fees.all()) if f]
    if fees:
        return "; ".join(fees)
    if option.free:
        return _("free of charge")
    return option.fee_text or _("not stated in the catalogue")


def _document_line(doc) -> str:
    counts = []
    if doc.originals:
        counts.append(ngettext("%(n)s original", "%(n)s originals", doc.originals) % {"n": doc.originals})
    if doc.copies:
        counts.append(ngettext("%(n)s copy", "%(n)s copies", doc.copies) % {"n": doc.copies})
    if doc.form_id:
        counts.append(_("form: %(name)s") % {"name": doc.form.name})
    name = doc.name if len(doc.name) <= MAX_ITEM else doc.name[: MAX_ITEM - 1] + "…"
    return f"{name} ({', '.join(counts)})" if counts else name


def _documents(procedure: Procedure) -> list[tuple[str, list[str]]]:
    """(case name, document lines) for each case, leaving out the catalogue's "Lưu ý" (notes) lists."""
    groups, shown = [], 0
    for case in procedure.cases.all():
        label = case.name.strip(" *:")
        if fold(label).startswith("luu y"):
            continue
        lines = [_document_line(d) for d in list(case.documents.all())[: MAX_DOCUMENTS - shown]]
        if lines:
            groups.append((label, lines))
            shown += len(lines)
        if shown >= MAX_DOCUMENTS:
            break
    return groups


_CLAUSE = re.compile(r"(?<=[;.])(?<!\d\.)\s+(?=\S)|\n+")  # after ; or . but not "2."
_POINT = re.compile(r"^[a-zđ]\)\s")
_CLAUSE_NUMBER = re.compile(r"^\d+\.\s")
_AGE = re.compile(r"\d+\s*(?:tuoi|years?|سن|عام)|tuoi|\bage\b|old enough|عمر|سن")


def deciding_clauses(text: str, question: str, most: int = 2) -> list[str]:
    """The clauses of `text` (a procedure's conditions, an article) that answer `question`: those
    sharing the most of its content words (ties kept, up to `most`), an age clause for a question
    about age ("con gái 17 tuổi có được kết hôn không?" -> "Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi;").
    The first clauses if none does; a point ("b) ...") comes with the clause that introduces it."""
    clauses = [c.strip() for c in _CLAUSE.split(text) if c.strip()]
    asked = set(content_terms(question))
    about_age = bool(_AGE.search(fold(question)))

    def score(clause: str) -> float:
        folded = fold(clause)
        return len(asked & set(content_terms(clause))) + (3 if about_age and "tuoi" in folded else 0)

    scores = [score(c) for c in clauses]
    top = max(scores, default=0)
    best = (
        [i for i, v in enumerate(scores) if v == top][:most]
        if top > 0
        else list(range(min(most, len(clauses))))
    )
    # A point ("b) ...") is read with the clause that introduces it ("2. Công dân được ... khi:").
    for i in list(best):
        if _POINT.match(clauses[i]):
            parent = next((j for j in range(i - 1, -1, -1) if _CLAUSE_NUMBER.match(clauses[j])), None)
            if parent is not None and parent not in best:
                best.append(parent)
    return [clauses[i][:MAX_ITEM] for i in sorted(best)]


def _documents_statement(label: str, lines: list[str], cites: list[int]) -> Statement:
    text = _("Documents to bring (%(case)s):") % {"case": label} if label else _("Documents to bring:")
    return Statement(text, cites, lines)


def _facet_statements(best: Procedure, facet: str, cite, question: str = "") -> list[Statement]:
    """The answer to one facet of the procedure, in one to three sentences (per channel or per case
    only where they differ). `cite(slug)` numbers the catalogue section the sentence comes from."""
    if facet == "documents":
        groups = _documents(best)
        if not groups:
            return []
        cites = [cite("thanh-phan-ho-so")]
        if len(groups) == 1:
            return [_documents_statement(*groups[0], cites)]
        return [
            Statement(
                _("The documents depend on your case. Which of these applies? Each one's list is below."),
                cites,
                [label for label, _lines in groups],
            )
        ]
    channels = list(best.channels.all())
    if facet in ("fee", "time") and channels:
        if facet == "fee":
            values, one, many = [_fees(o) for o in channels], _("Fee: %(value)s."), _("Fees by channel:")
        else:
            values = [o.time_display or _("not stated") for o in channels]
            one, many = _("Time limit: %(value)s."), _("Time limit by channel:")
        cites = [cite("thoi-han-phi")]
        if all(v == values[0] for v in values):
            return [Statement(one % {"value": values[0]}, cites)]
        items = [f"{o.get_channel_display()}: {v}" for o, v in zip(channels, values, strict=True)]
        return [Statement(many, cites, items)]
    if facet == "conditions" and best.conditions:
        return [Statement(_("Conditions:"), [cite("dieu-kien")], deciding_clauses(best.conditions, question))]
    if facet == "where":
        where = best.reception_address or best.implementing_agency or best.competent_authority
        return [Statement(_("Where to submit:"), [cite("tong-quan")], [where])] if where else []
    if facet == "online" and channels:
        online = [o.get_channel_display() for o in channels]
        return [
            Statement(
                _("Online service: %(level)s. Ways to submit: %(ways)s.")
                % {"level": best.get_online_level_display(), "ways": ", ".join(online)},
                [cite("thoi-han-phi")],
            )
        ]
    return []


def procedure_answer(
    answer: Answer, procedures: list[Procedure], language: str, facets: list[str] | tuple[str, ...] = ()
) -> Answer:
    """The procedure, then the answer to what was asked (`facets`: documents, fee, time, where,
    online; a general question gets where, time and fee), each sentence citing the catalogue section it
    comes from. Everything else about the procedure follows folded, then the other candidates."""
    best, others = procedures[0], procedures[1:]
    texts = _section_texts(best)
    sources = Sources(answer)
    with translation.override(language):

        def cite(slug: str) -> int:
            return _cite_section(sources, best, slug, texts)

        overview = cite("tong-quan")
        name = best.tr("name", language)
        answer.statements.append(
            Statement(
                _("The procedure for this is “%(name)s” (code %(code)s).")
                % {"name": name, "code": best.code},
                [overview],
            )
        )
        asked = list(facets) or ["where", "time", "fee"]
        for facet in asked:
            answer.statements += _facet_statements(best, facet, cite, answer.question)
        rest = []
        for label, lines in _documents(best):
            rest.append(_documents_statement(label, lines, [cite("thanh-phan-ho-so")]))
        for facet in ("time", "fee", "conditions", "where", "online"):
            if facet not in asked:
                rest += _facet_statements(best, facet, cite, answer.question)
        if best.legal_basis:
            items = [
                f"{law.get('title', '')} {law.get('number', '')}".strip() for law in best.legal_basis[:6]
            ]
            rest.append(Statement(_("Legal basis:"), [cite("can-cu-phap-ly")], [i for i in items if i]))
        if others:
            cites = [_cite_section(sources, p, "tong-quan", _section_texts(p)) for p in others]
            items = [f"{p.tr('name', language)} ({p.code})" for p in others]
            rest.append(Statement(_("Other procedures that may fit:"), cites, items))
        shown = {(s.text, tuple(s.items)) for s in answer.statements}
        for statement in rest:
            if (statement.text, tuple(statement.items)) not in shown:
                statement.folded = True
                answer.statements.append(statement)
    answer.codes = [p.code for p in procedures]
    return answer


def legal_answer(answer: Answer, articles: list, language: str) -> Answer:
    """Quote the clause of each relevant article that decides the question (the whole article
    folded below), each with its document number and dates."""
    sources = Sources(answer)
    with translation.override(language):
        for article in articles:
            chunk = article.result.chunk
            source = chunk.source
            n = sources.cite(
                ("legal", chunk.key),
                kind="legal",
                code=source.number or source.key,
                title=article.result.citation,
                section=chunk.title_path[-1] if chunk.title_path else "",
                url=reverse("knowledge:search") + "?q=" + (source.number or ""),
                quote=chunk.text[:MAX_QUOTE],
                valid_from=source.valid_from.isoformat() if source.valid_from else "",
                valid_to=source.valid_to.isoformat() if source.valid_to else "",
            )
            deciding = deciding_clauses(chunk.text, answer.question)
            answer.statements.append(
                Statement(_("%(citation)s provides:") % {"citation": article.result.citation}, [n], deciding)
            )
            if deciding != [chunk.text[:MAX_QUOTE]]:
                whole = Statement(_("The whole article:"), [n], [chunk.text[:MAX_QUOTE]], folded=True)
                answer.statements.append(whole)
    return answer


def decline(answer: Answer, reason: str, language: str) -> Answer:
    with translation.override(language):
        messages = {
            "illegal": _(
                "I cannot help with that: forging documents, buying licences or results, or getting round "
                "a procedure is against the law. I can explain the lawful procedure instead."
            ),
            "empty": _("Please ask a question about a procedure, a dossier or the law."),
        }
        answer.notice = messages.get(
            reason,
            _(
                "I found no reliable basis in the procedure catalogue or the legal texts for this question, "
                "so I will not guess. Try other words, browse the procedures, or talk to an officer."
            ),
        )
    answer.declined, answer.reason = True, reason
    answer.statements, answer.citations, answer.codes = [], [], []
    return answer


def _dossier_citation(sources: Sources, dossier) -> int:
    return sources.cite(
        ("dossier", dossier.code),
        kind="dossier",
        code=dossier.code,
        title=dossier.procedure.name,
        section=_("Dossier record"),
        url=reverse("dossiers:detail", args=[dossier.code]),
        quote=f"{dossier.code}: {dossier.get_status_display()}",
    )


def _dossier_line(dossier) -> str:
    due = _("due %(date)s") % {"date": dossier.due_at.date().strftime("%d/%m/%Y")} if dossier.due_at else ""
    return ", ".join(p for p in [dossier.code, dossier.get_status_display(), due] if p)


def dossier_answer(answer: Answer, dossiers: list, language: str, *, reason: str) -> Answer:
    """Status of the dossiers the user may see (already filtered by `tools`)."""
    sources = Sources(answer)
    with translation.override(language):
        if not dossiers:
            message = {
                "dossier_status": _(
                    "No dossier with this code is visible to you. To look one up, give its code and the "
                    "applicant's ID number, or sign in."
                ),
                "my_dossiers": _("You have no dossiers yet, or you are not signed in."),
            }[reason]
            answer.notice = message
        for dossier in dossiers:
            n = _dossier_citation(sources, dossier)
            answer.statements.append(
                Statement(
                    _("Dossier %(code)s (%(procedure)s): %(status)s.")
                    % {
                        "code": dossier.code,
                        "procedure": dossier.procedure.name,
                        "status": dossier.get_status_display(),
                    },
                    [n],
                )
            )
    answer.reason = reason
    return answer


def due_answer(answer: Answer, queues: dict, language: str) -> Answer:
    """An official's unit: overdue and due-soon dossiers, each cited by its record."""
    sources = Sources(answer)
    with translation.override(language):
        labels = {"overdue": _("Overdue in your unit"), "due_soon": _("Due within two days in your unit")}
        for name, (count, dossiers) in queues.items():
            if not dossiers:
                answer.notice = (answer.notice + " " if answer.notice else "") + _("%(label)s: none.") % {
                    "label": labels[name]
                }
                continue
            cites = [_dossier_citation(sources, d) for d in dossiers]
            answer.statements.append(
                Statement(
                    _("%(label)s: %(count)s dossier(s).") % {"label": labels[name], "count": count},
                    cites,
                    [_dossier_line(d) for d in dossiers],
                    items_lang=language,
                )
            )
    answer.reason = "due"
    return answer
