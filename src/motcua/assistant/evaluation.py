"""Scoring the assistant on a question set with gold procedure codes (`make eval`).

Input rows: {"id", "question", "gold": [acceptable procedure codes; empty = must decline],
"facts": [phrases the answer should contain], "lang", "kind", "after": an earlier question of the
same conversation}. Output rows (from `motcua eval assistant`): {"id", "answer", "shown",
"shown_lines", "cited_codes", "declined", "latency_ms"}.

A single-fact question (kind fee, time, where, online or follow_up) must have its facts in what is
shown before unfolding, within SINGLE_FACT_LINES lines.
"""

from __future__ import annotations

from motcua.core.text import fold

SINGLE_FACT = ("fee", "time", "where", "online", "follow_up")
SINGLE_FACT_LINES = 6


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def score(questions: list[dict], outputs: list[dict]) -> dict[str, float]:
    by_id = {o["id"]: o for o in outputs}
    answerable = [q for q in questions if q.get("gold")]
    unanswerable = [q for q in questions if "gold" in q and not q["gold"]]
    figures: dict[str, float] = {}
    for k in (1, 3, 5):
        hits = [
            bool(set(q["gold"]) & set(by_id[q["id"]]["cited_codes"][:k]))
            for q in answerable
            if q["id"] in by_id
        ]
        figures[f"hit@{k}"] = sum(hits) / len(hits) if hits else 0.0
    facts = [
        fold(fact) in fold(by_id[q["id"]]["answer"])
        for q in answerable
        if q["id"] in by_id
        for fact in q.get("facts", [])
    ]
    if facts:  # a set without expected facts (or without unanswerable questions) gets no such figure
        figures["facts"] = sum(facts) / len(facts)
    declined_right = [by_id[q["id"]]["declined"] for q in unanswerable if q["id"] in by_id]
    answered_right = [not by_id[q["id"]]["declined"] for q in answerable if q["id"] in by_id]
    if declined_right:
        figures["declines unanswerable"] = sum(declined_right) / len(declined_right)
    figures["answers answerable"] = sum(answered_right) / len(answered_right) if answered_right else 0.0
    both = declined_right + answered_right
    figures["decline accuracy"] = sum(both) / len(both) if both else 0.0
    for language in sorted({q.get("lang", "") for q in answerable} - {""}):
        hits = [
            bool(set(q["gold"]) & set(by_id[q["id"]]["cited_codes"][:3]))
            for q in answerable
            if q["id"] in by_id and q.get("lang") == language
        ]
        figures[f"hit@3 {language}"] = sum(hits) / len(hits)
    single = [q for q in answerable if q.get("kind") in SINGLE_FACT and q["id"] in by_id]
    if single:
        shown = [
            fold(fact) in fold(by_id[q["id"]].get("shown", "")) for q in single for fact in q.get("facts", [])
        ]
        figures["single-fact facts shown"] = sum(shown) / len(shown) if shown else 0.0
        short = [by_id[q["id"]].get("shown_lines", 99) <= SINGLE_FACT_LINES for q in single]
        figures["single-fact answers within 6 lines"] = sum(short) / len(short)
        figures["single-fact shown lines p95"] = percentile(
            [by_id[q["id"]].get("shown_lines", 0) for q in single], 95
        )
    latencies = [o["latency_ms"] for o in outputs]
    figures["latency p50"] = percentile(latencies, 50)
    figures["latency p95"] = percentile(latencies, 95)
    return figures


def misses(questions: list[dict], outputs: list[dict], k: int = 3) -> list[str]:
    """One line per question answered wrongly, for development."""
    by_id = {o["id"]: o for o in outputs}
    lines = []
    for q in questions:
        out = by_id.get(q["id"])
        if out is None or "gold" not in q:
            continue
        if q["gold"] and not set(q["gold"]) & set(out["cited_codes"][:k]):
            lines.append(f"miss {q['id']} {q['question']!r} gold={q['gold']} got={out['cited_codes'][:k]}")
        elif not q["gold"] and not out["declined"]:
            lines.append(f"answered {q['id']} {q['question']!r} got={out['cited_codes'][:k]}")
    return lines
