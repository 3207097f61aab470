"""Voice of the customer: NPS and the engagement class of a survey respondent (SPEC §11, seed 002).

Loyalty items: overall satisfaction (1–5), likely to recommend (0–10), likely to buy again (1–5).
Emotional-attachment items (1–5): confidence, integrity, pride, passion.

NPS = % promoters (recommend 9–10) − % detractors (0–6); 7–8 are passives.

Engagement class, in this order (the rule shown on the results page):
1. Fully engaged — satisfaction 5, buy again 5, recommend 9–10, and all four attachment items 5.
2. Actively disengaged — satisfaction ≤ 2, or recommend ≤ 4, or the attachment items average ≤ 2.
3. Engaged — satisfaction ≥ 4 and the attachment items average ≥ 4.
4. Not engaged — everyone else.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

FULLY_ENGAGED = "fully_engaged"
ENGAGED = "engaged"
NOT_ENGAGED = "not_engaged"
ACTIVELY_DISENGAGED = "actively_disengaged"
CLASSES = [(FULLY_ENGAGED, "Fully engaged"), (ENGAGED, "Engaged"), (NOT_ENGAGED, "Not engaged"),
           (ACTIVELY_DISENGAGED, "Actively disengaged")]
ATTACHMENT_ITEMS = ("confidence", "integrity", "pride", "passion")
DETRACTOR_MAX = 6  # recommend 0–6 of 10: an NPS detractor
LOW_RATING_MAX = 2  # a customer rating of 1 or 2 of 5 is a low one


@dataclass(frozen=True)
class Answers:
    overall_satisfaction: int
    recommend: int
    buy_again: int
    confidence: int
    integrity: int
    pride: int
    passion: int

    @property
    def attachment_mean(self) -> float:
        return sum(getattr(self, item) for item in ATTACHMENT_ITEMS) / len(ATTACHMENT_ITEMS)


def engagement_class(answers: Answers) -> str:
    if (answers.overall_satisfaction == 5 and answers.buy_again == 5 and answers.recommend >= 9
            and all(getattr(answers, item) == 5 for item in ATTACHMENT_ITEMS)):
        return FULLY_ENGAGED
    if answers.overall_satisfaction <= 2 or answers.recommend <= 4 or answers.attachment_mean <= 2:
        return ACTIVELY_DISENGAGED
    if answers.overall_satisfaction >= 4 and answers.attachment_mean >= 4:
        return ENGAGED
    return NOT_ENGAGED


def nps_group(recommend: int) -> str:
    if recommend >= 9:
        return "promoter"
    if recommend <= DETRACTOR_MAX:
        return "detractor"
    return "passive"


@dataclass(frozen=True)
class Nps:
    promoters: int
    passives: int
    detractors: int

    @property
    def responses(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> Decimal | None:
        """% promoters − % detractors (full precision); None without responses."""
        return nps_score(promoters_minus_detractors=self.promoters - self.detractors, responses=self.responses)


def nps_score(*, promoters_minus_detractors: int, responses: int) -> Decimal | None:
    """Net promoter score = 100 × (promoters − detractors) / responses; None without responses."""
    if not responses:
        return None
    return Decimal(100) * promoters_minus_detractors / responses


def nps(recommend_scores: Iterable[int]) -> Nps:
    groups = [nps_group(score) for score in recommend_scores]
    return Nps(groups.count("promoter"), groups.count("passive"), groups.count("detractor"))
