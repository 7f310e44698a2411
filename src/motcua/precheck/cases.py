"""Which case of the procedure a dossier is. The one the application (or the officer) names;
otherwise the one whose requirements best explain the files read: every case is tried on the same
pages (classification is cheap next to OCR). An exceptional case (authorisation, foreign element,
late registration) is chosen only on evidence: it must explain more of the files than every
ordinary case does, identity papers aside (every case has them), so a dossier whose papers fit the
ordinary case is never checked against the authorisation case's documents. A file that is a paper
of another case of the procedure is recognised as that paper, not reported as unrecognised."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import classify
from .requirements import Requirement
from .text import Page

NAMED, BEST, ONLY = "named", "best", "only"  # why the case was chosen
# What an identity paper's title says, whatever requirement a case filed it under.
_IDENTITY = Requirement("Thẻ căn cước, căn cước công dân, hộ chiếu")


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
    def evidence(self) -> int:
        """Pages explained by papers that say something about the situation (not identity papers)."""
        return sum(len(d.pages) for d in self.documents if not _identity(d))

    @property
    def found(self) -> int:
        return len({id(document.requirement) for document in self.documents})

    @property
    def missing(self) -> int:
        present = {id(document.requirement) for document in self.documents}
        return sum(r.required and id(r) not in present for r in self.option.requirements)

    @property
    def score(self) -> tuple[int, int, int]:
        # Pages explained, less the required documents the case would report missing; then the
        # number of its documents seen (a case naming two of the files beats one naming one twice);
        # then how many were known by what they say rather than taken as a stand-in (an official
        # paper taken as the one paper named by its purpose, or an admin's catch-all).
        return (self.explained - self.missing, self.found, sum(d.score >= 0.5 for d in self.documents))


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
        return Choice(
            _with_other_papers(_fit(options[named], pages, readable), options, readable), None, NAMED
        )
    fits = [_fit(option, pages, readable) for option in options]
    if len(fits) == 1:
        return Choice(fits[0], None, ONLY)
    # max() keeps the first of equals: the catalogue's order, ordinary cases first.
    ordinary = [fit for fit in fits if not fit.option.exceptional]
    best = max(ordinary or fits, key=lambda fit: fit.score)
    for fit in fits:
        if fit.option.exceptional and fit.evidence > best.evidence and fit.score > best.score:
            best = fit
    others = [fit for fit in fits if fit is not best]
    return Choice(_with_other_papers(best, options, readable), max(others, key=lambda fit: fit.score), BEST)


def _identity(document: classify.Document) -> bool:
    return document.requirement.identity or classify.match(document.pages[0], [_IDENTITY]).title


def _fit(option: Option, pages: list[Page], readable) -> Fit:
    documents, loose = classify.group(pages, option.requirements, readable)
    return Fit(option, documents, loose)


def _with_other_papers(fit: Fit, options: list[Option], readable) -> Fit:
    """The chosen fit, with the pages it left loose that are papers of the procedure's other cases
    (a copy of the ID card listed only under another situation is still not an unknown file)."""
    others = [r for option in options if option is not fit.option for r in option.requirements]
    if not fit.loose or not others:
        return fit
    documents, loose = classify.group(fit.loose, others, readable)
    return Fit(fit.option, fit.documents + documents, loose)
