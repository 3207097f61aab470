"""The engaged customers' business case (#17; seed 004: "compare engaged customers versus other
customers, as this will help build the business case for your customer initiatives").

Over the twelve months ending with a month, each customer account is put in one group by the
engagement class of its latest survey answer by then (`engagement.engagement_class`): fully engaged,
other answered customers, or not surveyed. For each group, by market segment and overall:

- revenue per account = Σ value of accepted proposals sent in the period / accounts in the group;
- repeat purchases = share of the group's accounts with two or more accepted proposals in the period;
- share of wallet = Σ revenue / Σ yearly spend (all suppliers), over the accounts whose yearly spend
  is recorded (`Account.annual_spend`); blank when none is.

Three queries whatever the number of accounts.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models.functions import Coalesce

from oe21.choices import AccountKind
from oe21.lib.months import add_months, month_end
from oe21.models import Account
from opportunities.selectors import accepted_proposals_by_account

from .engagement import FULLY_ENGAGED, engagement_class
from .surveys import answers_of, latest_answers

FULLY, OTHER, NOT_SURVEYED = "fully_engaged", "other", "not_surveyed"
GROUPS = [(FULLY, "Fully engaged"), (OTHER, "Other surveyed customers"), (NOT_SURVEYED, "Not surveyed")]
OVERALL = "All segments"


@dataclass
class GroupFigures:
    accounts: int = 0
    revenue: Decimal = Decimal(0)
    repeat_buyers: int = 0
    spend: Decimal = Decimal(0)  # Σ yearly spend of the accounts that have it recorded
    revenue_with_spend: Decimal = Decimal(0)  # their revenue
    with_spend: int = 0

    @property
    def revenue_per_account(self) -> Decimal | None:
        return self.revenue / self.accounts if self.accounts else None

    @property
    def repeat_share(self) -> Decimal | None:
        return Decimal(100) * self.repeat_buyers / self.accounts if self.accounts else None

    @property
    def share_of_wallet(self) -> Decimal | None:
        return Decimal(100) * self.revenue_with_spend / self.spend if self.spend else None


@dataclass
class BusinessCase:
    start: datetime.date
    end: datetime.date
    segments: dict[str, dict[str, GroupFigures]] = field(default_factory=dict)  # segment → group → figures

    def rows(self) -> list[tuple[str, list[tuple[str, GroupFigures]]]]:
        """(segment, [(group label, figures)]), segments by name and the overall figures last."""
        ordered = sorted(s for s in self.segments if s != OVERALL) + ([OVERALL] if OVERALL in self.segments else [])
        return [(segment, [(label, self.segments[segment].get(key, GroupFigures())) for key, label in GROUPS])
                for segment in ordered]


def engagement_by_account(as_of: datetime.date) -> dict[int, str]:
    """{account id: engagement class of its latest survey answer on or before `as_of`}."""
    return {response.account_id: engagement_class(answers_of(response)) for response in latest_answers(as_of)}


def business_case(month: datetime.date) -> BusinessCase:
    """The business case over the twelve months ending with `month` (see the module)."""
    start, end = add_months(month.replace(day=1), -11), month_end(month)
    classes = engagement_by_account(end)
    bought = accepted_proposals_by_account(start, end)  # {account: (revenue, how many)}
    case = BusinessCase(start, end)
    customers = (Account.objects.filter(kind=AccountKind.CUSTOMER)
                 .annotate(segment_label=Coalesce("segment__parent__name", "segment__name"))
                 .values_list("pk", "segment_label", "annual_spend"))
    for pk, segment, spend in customers.iterator(chunk_size=5000):
        group = (NOT_SURVEYED if pk not in classes else FULLY if classes[pk] == FULLY_ENGAGED else OTHER)
        revenue, purchases = bought.get(pk, (Decimal(0), 0))
        for label in (segment or "No segment", OVERALL):
            figures = case.segments.setdefault(label, defaultdict(GroupFigures))[group]
            figures.accounts += 1
            figures.revenue += revenue
            figures.repeat_buyers += purchases >= 2
            if spend is not None:
                figures.with_spend += 1
                figures.spend += spend
                figures.revenue_with_spend += revenue
    return case

