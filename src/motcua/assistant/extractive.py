"""Extractive answers (no language model): the catalogue's structured fields, quoted and cited.

Every sentence frame is translatable and rendered in the question's language; what is quoted from a
source (document names, fees as published, legal text) stays in Vietnamese, the authoritative text.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.catalogue.models import Procedure
from motcua.core.text import fold
from motcua.knowledge.ingest import procedure_chunks

from .answer import Answer, Citation, Statement

MAX_DOCUMENTS = 14
MAX_ITEM = 240
MAX_QUOTE = 1500
# Knowledge chunk anchors -> the procedure page's section ids.
PAGE_ANCHORS = {
    "tong-quan": "at-a-glance",
    "thanh-phan-ho-so": "documents",
    "thoi-han-phi": "how",
    "can-cu-phap-ly": "legal",
}


def _section_label(slug: str) -> str:
    return {
        "tong-quan": _("Overview"),
        "thanh-phan-ho-so": _("Documents to bring"),
        "thoi-han-phi": _("Time limit and fees"),
        "can-cu-phap-ly": _("Legal basis"),
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


def _fees(option) -> str:
    fees = [
        (_amount(fee.amount, fee.currency) + (f" ({fee.description})" if fee.description else ""))
        if fee.amount is not None
        else fee.description
        for fee in option.fees.all()
    ]
    fees = [f for f in fees if f]
    if fees:
        return "; ".join(fees)
    if option.free:
        return _("free of charge")
    return option.fee_text or _("not stated in the catalogue")


def _document_line(doc) -> str:
    counts = []
    if doc.originals:
        counts.append(_("%(n)s original(s)") % {"n": doc.originals})
    if doc.copies:
        counts.append(_("%(n)s copy/copies") % {"n": doc.copies})
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


def procedure_answer(answer: Answer, procedures: list[Procedure], language: str) -> Answer:
    """The best procedure in full (documents, time and fees, where, online, legal basis), then the
    other candidates by name, each statement citing the catalogue section it comes from."""
    best, others = procedures[0], procedures[1:]
    texts = _section_texts(best)
    sources = Sources(answer)
    with translation.override(language):
        overview = _cite_section(sources, best, "tong-quan", texts)
        name = best.tr("name", language)
        answer.statements.append(
            Statement(
                _("The procedure for this is “%(name)s” (code %(code)s).")
                % {"name": name, "code": best.code},
                [overview],
            )
        )
        groups = _documents(best)
        if groups:
            cites = [_cite_section(sources, best, "thanh-phan-ho-so", texts)]
            for label, lines in groups:
                text = (
                    _("Documents to bring (%(case)s):") % {"case": label}
                    if label
                    else _("Documents to bring:")
                )
                answer.statements.append(Statement(text, cites, lines))
        channels = list(best.channels.all())
        if channels:
            cites = [_cite_section(sources, best, "thoi-han-phi", texts)]
            items = [
                _("%(channel)s: time limit %(time)s; fee: %(fee)s")
                % {
                    "channel": option.get_channel_display(),
                    "time": option.time_display or _("not stated"),
                    "fee": _fees(option),
                }
                for option in channels
            ]
            answer.statements.append(Statement(_("Time limit and fees:"), cites, items))
            answer.statements.append(
                Statement(_("Online service: %(level)s.") % {"level": best.get_online_level_display()}, cites)
            )
        where = best.reception_address or best.implementing_agency or best.competent_authority
        if where:
            answer.statements.append(Statement(_("Where to submit:"), [overview], [where]))
        if best.legal_basis:
            cites = [_cite_section(sources, best, "can-cu-phap-ly", texts)]
            items = [
                f"{law.get('title', '')} {law.get('number', '')}".strip() for law in best.legal_basis[:6]
            ]
            answer.statements.append(Statement(_("Legal basis:"), cites, [i for i in items if i]))
        if others:
            cites = [_cite_section(sources, p, "tong-quan", _section_texts(p)) for p in others]
            items = [f"{p.tr('name', language)} ({p.code})" for p in others]
            answer.statements.append(Statement(_("Other procedures that may fit:"), cites, items))
    answer.codes = [p.code for p in procedures]
    return answer


def legal_answer(answer: Answer, articles: list, language: str) -> Answer:
    """Quote the relevant article(s), each with its document number and dates."""
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
            answer.statements.append(
                Statement(
                    _("%(citation)s provides:") % {"citation": article.result.citation},
                    [n],
                    [chunk.text[:MAX_QUOTE]],
                )
            )
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
