"""What the pre-check makes of a procedure's document tables, and where it cannot make a check of
them: the records an operator should read before trusting the pre-check on them. Pure: it takes the
cases as `cases.Option`s (services.options_for builds them from the catalogue)."""

from __future__ import annotations

from dataclasses import dataclass

from .cases import Option
from .requirements import Requirement

MAX_TITLE_WORDS = 12  # a title line longer than this names no paper (classify._line_score)
LONG_NAME_WORDS = 80  # a row this long holds notes or several papers run together

NOTHING_REQUIRED = "nothing_required"  # every row is conditional: nothing can be reported missing
NO_TITLE = "no_title"  # no phrase short enough to be a paper's title, and no other way to know it
LONG_NAME = "long_name"  # a paper demanded whose row also holds notes or other papers


@dataclass
class Problem:
    case: str
    reason: str
    requirement: str = ""

    def line(self) -> str:
        where = f"case {self.case!r}" if self.case else "main case"
        about = f": {self.requirement[:100]}" if self.requirement else ""
        return f"{where} {self.reason}{about}"


def recognisable(requirement: Requirement) -> bool:
    """A page can be known as this paper: by a title phrase of 2 to 12 words, the form's labels,
    the identity card's labels, its purpose (an official paper), or an admin rule."""
    short = [p for p in requirement.phrases() if 2 <= len(p.split()) <= MAX_TITLE_WORDS]
    return bool(short or requirement.label_phrases() or requirement.by_purpose or requirement.catch_all)


def problems(options: list[Option]) -> list[Problem]:
    """Where the pre-check cannot structure the procedure's cases into papers to check."""
    found: list[Problem] = []
    for option in options:
        if option.requirements and not any(r.required for r in option.requirements):
            found.append(Problem(option.name, NOTHING_REQUIRED))
        for requirement in option.requirements:
            if requirement.required and not recognisable(requirement):
                found.append(Problem(option.name, NO_TITLE, requirement.name))
            if requirement.required and len(requirement.name.split()) > LONG_NAME_WORDS:
                found.append(Problem(option.name, LONG_NAME, requirement.name))
    return found
