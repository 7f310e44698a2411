"""Which case of the procedure a dossier is. The one the application (or the officer) names;
otherwise the one whose requirements best explain the files read: every case is tried on the same
pages (classification is cheap next to OCR). An exceptional case (authorisation, foreign element,
late registration) is chosen only on evidence: it must explain more of the files than every
ordinary case does, so a dossier whose papers fit the ordinary case is never checked against the
authorisation case's documents."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import classify
from .requirements import Requirement
from .text import Page

NAMED, BEST, ONLY = "named", "best", "only"  # why the case was chosen


@dataclass
class Option:
    """One case the dossier may be: its name, its requirements and whether it is exceptional."""

    name: str
    requirements: list[Requirement]
    exceptional: bool = False
    id: int | None = None


@dataclass
class Fit:
    """How well one case explains the dossier's pages."""

    option: Option
    documents: list[classify.Document] = field(default_factory=list)
    loose: list[Page] = field(default_factory=list)

    @property
    def explained(self) -> int:
        return sum(len(document.pages) for document in self.documents)

    @property
    def found(self) -> int:
        return len({id(document.requirement) for document in self.documents})

    @property
    def missing(self) -> int:
        present = {id(document.requirement) for document in self.documents}
        return sum(r.required and id(r) not in present for r in self.option.requirements)

    @property
    def score(self) -> tuple[int, int]:
        # Pages explained, less the required documents the case would report missing; then the
        # number of its documents seen (a case naming two of the files beats one naming one twice).
        return (self.explained - self.missing, self.found)


@dataclass
class Choice:
    fit: Fit
    runner_up: Fit | None
    reason: str

    @property
    def option(self) -> Option:
        return self.fit.option


def choose(options: list[Option], pages: list[Page], readable, named: int | None = None) -> Choice:
    """The case to check against (`named`: the index the application or the officer gave)."""
    if named is not None:
        return Choice(_fit(options[named], pages, readable), None, NAMED)
    fits = [_fit(option, pages, readable) for option in options]
    if len(fits) == 1:
        return Choice(fits[0], None, ONLY)
    # max() keeps the first of equals: the catalogue's order, ordinary cases first.
    ordinary = [fit for fit in fits if not fit.option.exceptional]
    best = max(ordinary or fits, key=lambda fit: fit.score)
    for fit in fits:
        if fit.option.exceptional and fit.explained > best.explained and fit.score > best.score:
            best = fit
    others = [fit for fit in fits if fit is not best]
    return Choice(best, max(others, key=lambda fit: fit.score), BEST)


def _fit(option: Option, pages: list[Page], readable) -> Fit:
    documents, loose = classify.group(pages, option.requirements, readable)
    return Fit(option, documents, loose)
