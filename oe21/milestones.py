"""The seven milestones of the standard (SPEC §9) and the registry of their completion rules.

Each app registers the completion rule of the milestones it owns, in its own
`milestones.py`, with the `completion_rule` decorator:

    @completion_rule(1)
    def prioritization_done(cycle) -> list[str]:
        return ["Offering X has no complete assessment"]   # empty list = ready

The main page asks `missing_for(number, cycle)` and shows "ready" or what is missing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Window


@dataclass(frozen=True)
class MilestoneDefinition:
    number: int
    progress: int
    title: str
    reached_when: str
    owner_app: str


MILESTONES = {
    m.number: m
    for m in [
        MilestoneDefinition(1, 20, "Customers/prospects prioritization",
                            "enough complete assessments per offering, respondents named, high-value rows reviewed",
                            "prioritization"),
        MilestoneDefinition(2, 30, "Phase I market segments/groups identified",
                            "a campaign per targeted segment, Phase 1 done, targets and contacts listed",
                            "opportunities"),
        MilestoneDefinition(3, 40, "Customer/prospect engagement preparations",
                            "Phase 2 done and its products stored",
                            "opportunities"),
        MilestoneDefinition(4, 60, "Opportunity marketing assessment completed",
                            "every target engaged in the Opportunity Manager, Action Plan tabs reviewed",
                            "opportunities"),
        MilestoneDefinition(5, 80, "Product/services offering information ready",
                            "specifications approved, offering information current and given out",
                            "requirements_specs"),
        MilestoneDefinition(6, 90, "Product/services value contribution ready",
                            "costs, cycle times and a decision for every offering",
                            "requirements_specs"),
        MilestoneDefinition(7, 100, "Customer excellence metrics reviews under way",
                            "values and a review with a quorum for every closed month",
                            "metrics"),
    ]
}

CompletionRule = Callable[["object"], list[str]]
_rules: dict[int, CompletionRule] = {}


def completion_rule(number: int):
    """Register the completion rule of milestone `number` (one rule per milestone)."""
    if number not in MILESTONES:
        raise ValueError(f"There is no milestone {number}.")

    def register(rule: CompletionRule) -> CompletionRule:
        if number in _rules and _rules[number] is not rule:
            raise ValueError(f"Milestone {number} has a completion rule already.")
        _rules[number] = rule
        return rule

    return register


class Missing(str):
    """One thing a milestone still needs, in words, with the page where it is fixed (`url`; may
    be empty). It is a str, so a rule can return plain strings and tests compare text."""

    url: str

    def __new__(cls, text: str, url: str = ""):
        item = super().__new__(cls, text)
        item.url = url
        return item


SHOWN = 20  # of each kind of missing item a rule lists; the rest are counted


def first_missing(queryset, what: str, message) -> list[str]:
    """The messages of the first SHOWN rows of `queryset` (`message(row)`: a Missing, or a list of
    them) and how many more rows there are, in one query (the total is a window over the same rows):
    a rule stays as fast with 10,000 rows missing something as with 10."""
    rows = list(queryset.annotate(total_missing=Window(Count("pk")))[:SHOWN])
    total = rows[0].total_missing if rows else 0
    messages = []
    for row in rows:
        said = message(row)
        messages.extend(said if isinstance(said, list) else [said])
    return messages + ([f"… and {total - SHOWN:,} more {what}."] if total > SHOWN else [])


def missing_for(number: int, cycle) -> list[str]:
    """What is still missing before milestone `number` of `cycle` can be submitted."""
    rule = _rules.get(number)
    if rule is None:
        owner = MILESTONES[number].owner_app
        return [f"The completion check for this milestone is not built yet (app “{owner}”)."]
    return list(rule(cycle))


def progress_of(number: int) -> int:
    return MILESTONES[number].progress
