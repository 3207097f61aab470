"""Early warning: which accounts are at risk, and why (#17; seed 003: "predict critical points in
time where customers are potentially vulnerable").

An account's risk score (0–100) is the sum of the points of the signals it shows on a day, capped
at 100. Every signal reads only records dated on or before that day, so the same rule can replay
history (`risk_backtest`) and its value be measured, not assumed:

| signal | points | shown when |
|---|---|---|
| rating_fell | 20 | the latest customer rating is lower than the one before it |
| low_rating | 15 | the latest customer rating is 1 or 2 of 5 |
| detractor | 15 | the latest survey answer recommends 0–6 of 10 (an NPS detractor) |
| actively_disengaged | 20 | the latest survey answer's engagement class is "actively disengaged" |
| new_complaint | 15 | a complaint received in the last 30 days |
| repeated_complaints | 15 | two or more complaints received in the last 90 days |
| unresolved_complaint | 20 | a complaint received more than 30 days ago and not resolved by the day |
| responses_fell | 15 | responses per touch out in the last 90 days under half those of the 90 days |
|  |  | before (at least 3 touches out in each) |
| no_contact | 10 | an account with an opportunity, not touched for 60 days |
| stage_stalled | 10 | a customer whose lifecycle stage has not moved for 365 days |
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from oe21.choices import AccountKind
from oe21.models import Account
from opportunities.selectors import accounts_in_the_pipeline, touch_activity_by_account

from .engagement import ACTIVELY_DISENGAGED, DETRACTOR_MAX, LOW_RATING_MAX, engagement_class
from .models import Complaint, CustomerRating, SurveyResponse
from .surveys import answers_of, latest_answers


@dataclass(frozen=True)
class Signal:
    points: int
    label: str


SIGNALS = {
    "rating_fell": Signal(20, "Rating fell"),
    "low_rating": Signal(15, "Low rating"),
    "detractor": Signal(15, "Survey: detractor"),
    "actively_disengaged": Signal(20, "Survey: actively disengaged"),
    "new_complaint": Signal(15, "New complaint"),
    "repeated_complaints": Signal(15, "Repeated complaints"),
    "unresolved_complaint": Signal(20, "Complaint unresolved for over 30 days"),
    "responses_fell": Signal(15, "Responses to touches fell"),
    "no_contact": Signal(10, "No contact for 60 days"),
    "stage_stalled": Signal(10, "Lifecycle stage unchanged for a year"),
}
NEW_COMPLAINT_DAYS, REPEAT_WINDOW_DAYS, UNRESOLVED_DAYS = 30, 90, 30
QUIET_DAYS, STALLED_DAYS, RESPONSE_WINDOW_DAYS, MIN_TOUCHES_OUT = 60, 365, 90, 3


@dataclass
class Risk:
    """An account's risk on a day: its signals (key → what was seen) and their points."""

    signals: dict[str, str] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return min(100, sum(SIGNALS[key].points for key in self.signals))

    def contributions(self) -> list[dict]:
        """Each signal's share of the score, largest first (what the account page shows)."""
        return sorted(({"signal": key, "label": SIGNALS[key].label, "points": SIGNALS[key].points, "detail": detail}
                       for key, detail in self.signals.items()), key=lambda c: (-c["points"], c["signal"]))


def assess(as_of: datetime.date) -> dict[int, Risk]:
    """{account id: Risk} of every account showing at least one signal on `as_of` (a bounded
    number of grouped queries whatever the number of accounts)."""
    risks: dict[int, Risk] = {}

    def flag(account_id, key, detail):
        risks.setdefault(account_id, Risk()).signals[key] = detail

    _rating_signals(as_of, flag)
    _survey_signals(as_of, flag)
    _complaint_signals(as_of, flag)
    _touch_signals(as_of, flag)
    _stage_signals(as_of, flag)
    return risks


def _days_before(as_of, days):
    return as_of - datetime.timedelta(days=days)


def _rating_signals(as_of, flag):
    latest_two = (CustomerRating.objects.filter(rated_on__lte=as_of)
                  .annotate(rank=Window(RowNumber(), partition_by=[F("account_id")],
                                        order_by=[F("rated_on").desc(), F("pk").desc()]))
                  .filter(rank__lte=2).values_list("account_id", "rank", "value"))
    by_account: dict[int, dict[int, int]] = {}
    for account_id, rank, value in latest_two:
        by_account.setdefault(account_id, {})[rank] = value
    for account_id, ratings in by_account.items():
        latest, before = ratings[1], ratings.get(2)
        if before is not None and latest < before:
            flag(account_id, "rating_fell", f"{before} → {latest} of 5")
        if latest <= LOW_RATING_MAX:
            flag(account_id, "low_rating", f"{latest} of 5")


def _survey_signals(as_of, flag):
    for response in latest_answers(as_of):
        if response.recommend <= DETRACTOR_MAX:
            flag(response.account_id, "detractor", f"would recommend {response.recommend} of 10")
        if engagement_class(answers_of(response)) == ACTIVELY_DISENGAGED:
            flag(response.account_id, "actively_disengaged", f"answered {response.created_at.date():%Y-%m-%d}")


def _complaint_signals(as_of, flag):
    new_from, repeat_from = _days_before(as_of, NEW_COMPLAINT_DAYS), _days_before(as_of, REPEAT_WINDOW_DAYS)
    open_before = _days_before(as_of, UNRESOLVED_DAYS)
    rows = (Complaint.objects.filter(received_on__lte=as_of).values("account_id").order_by()
            .annotate(new=Count("pk", filter=Q(received_on__gt=new_from)),
                      recent=Count("pk", filter=Q(received_on__gt=repeat_from)),
                      open_long=Count("pk", filter=Q(received_on__lt=open_before)
                                      & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=as_of))))
            .filter(Q(new__gt=0) | Q(recent__gte=2) | Q(open_long__gt=0)))
    for row in rows:
        if row["new"]:
            flag(row["account_id"], "new_complaint", f"{row['new']} in the last {NEW_COMPLAINT_DAYS} days")
        if row["recent"] >= 2:
            flag(row["account_id"], "repeated_complaints", f"{row['recent']} in the last {REPEAT_WINDOW_DAYS} days")
        if row["open_long"]:
            flag(row["account_id"], "unresolved_complaint", f"{row['open_long']} open for over {UNRESOLVED_DAYS} days")


def _touch_signals(as_of, flag):
    activity = touch_activity_by_account(as_of, days=RESPONSE_WINDOW_DAYS, quiet_days=QUIET_DAYS)
    for account_id, a in activity.items():
        if (a.out_recent >= MIN_TOUCHES_OUT and a.out_earlier >= MIN_TOUCHES_OUT and a.in_earlier
                and a.in_recent / a.out_recent < 0.5 * a.in_earlier / a.out_earlier):
            flag(account_id, "responses_fell", f"{a.in_recent}/{a.out_recent} responses per touch, "
                                               f"{a.in_earlier}/{a.out_earlier} before")
    for account_id in accounts_in_the_pipeline(as_of):
        if not (account_id in activity and activity[account_id].touched_within):
            flag(account_id, "no_contact", f"no touch since {_days_before(as_of, QUIET_DAYS):%Y-%m-%d}")


def _stage_signals(as_of, flag):
    """Customers whose last change of lifecycle stage (or their creation) is over a year old."""
    history = Account.history.model.objects.filter(history_date__date__lte=as_of)
    previous = (Account.history.model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
                .order_by("-history_date", "-history_id").values("lifecycle_stage")[:1])
    changes = list(history.annotate(previous=Subquery(previous))
                   .filter(Q(previous__isnull=True) | ~Q(lifecycle_stage=F("previous")))
                   .values("id").order_by().annotate(last=Max("history_date"))
                   .filter(last__date__lte=_days_before(as_of, STALLED_DAYS)))
    customers = set(Account.objects.filter(kind=AccountKind.CUSTOMER, pk__in=[r["id"] for r in changes])
                    .values_list("pk", flat=True))
    for row in changes:
        if row["id"] in customers:
            flag(row["id"], "stage_stalled", f"since {row['last'].date():%Y-%m-%d}")


# Measuring the rule on history (manage.py risk_backtest) ---------------------------------------------

OUTCOME_MONTHS = 3
TOP_SHARE = 0.10


@dataclass(frozen=True)
class BacktestMonth:
    """One month of the back-test: the rule applied at the month's end, and what followed in the
    next OUTCOME_MONTHS months (a complaint, a lower rating, or responses that stopped)."""

    month: datetime.date
    accounts: int  # accounts known by the month's end (accounts_known_by)
    flagged: int  # at or over the threshold
    flagged_with_outcome: int
    top: int  # the top TOP_SHARE of accounts by score (those with a signal, at most)
    top_with_outcome: int
    with_outcome: int  # every account with an outcome: the base rate's numerator
    window_over: bool  # False while the months that follow are not all past

    @property
    def precision_at_top(self) -> float | None:
        return self.top_with_outcome / self.top if self.top else None

    @property
    def flagged_precision(self) -> float | None:
        return self.flagged_with_outcome / self.flagged if self.flagged else None

    @property
    def base_rate(self) -> float | None:
        return self.with_outcome / self.accounts if self.accounts else None


def outcomes_after(as_of: datetime.date, until: datetime.date) -> set[int]:
    """Accounts that, after `as_of` and up to `until`, complained, rated lower than their latest
    rating on `as_of`, or stopped responding (an inbound touch in the 90 days to `as_of`, none after)."""
    from opportunities.selectors import inbound_touches_between

    complained = set(Complaint.objects.filter(received_on__gt=as_of, received_on__lte=until)
                     .values_list("account_id", flat=True).distinct().order_by())
    latest = dict(CustomerRating.objects.filter(rated_on__lte=as_of)
                  .annotate(rank=Window(RowNumber(), partition_by=[F("account_id")],
                                        order_by=[F("rated_on").desc(), F("pk").desc()]))
                  .filter(rank=1).values_list("account_id", "value"))
    lowest_after = (CustomerRating.objects.filter(rated_on__gt=as_of, rated_on__lte=until, account_id__in=list(latest))
                    .values("account_id").order_by().annotate(lowest=Min("value")))
    rated_lower = {r["account_id"] for r in lowest_after if r["lowest"] < latest[r["account_id"]]}
    responding = inbound_touches_between(_days_before(as_of, RESPONSE_WINDOW_DAYS - 1), as_of)
    silent = responding - inbound_touches_between(as_of + datetime.timedelta(days=1), until)
    return complained | rated_lower | silent


def accounts_known_by(as_of: datetime.date) -> set[int]:
    """The accounts the rule could see on `as_of`: with a rating, a complaint or a survey answer on or
    before it, or a touch in the 180 days before it (an account's own creation date is when it was
    entered or imported, not when the organisation came to know it)."""
    known = set(CustomerRating.objects.filter(rated_on__lte=as_of).values_list("account_id", flat=True)
                .distinct().order_by())
    known |= set(Complaint.objects.filter(received_on__lte=as_of).values_list("account_id", flat=True)
                 .distinct().order_by())
    known |= set(SurveyResponse.objects.filter(created_at__date__lte=as_of)
                 .values_list("invitation__contact__account_id", flat=True).distinct().order_by())
    return known | set(touch_activity_by_account(as_of, days=RESPONSE_WINDOW_DAYS))


def backtest(first: datetime.date, last: datetime.date, *, threshold: int,
             today: datetime.date | None = None) -> list[BacktestMonth]:
    """Replay the rule month by month from `first` to `last` (first days of months)."""
    from oe21.lib.months import add_months, month_end

    today = today or datetime.date.today()
    months, month = [], first
    while month <= last:
        as_of = month_end(month)
        until = month_end(add_months(month, OUTCOME_MONTHS))
        known = accounts_known_by(as_of)
        scores = sorted(((risk.score, account_id) for account_id, risk in assess(as_of).items()), reverse=True)
        outcome = outcomes_after(as_of, until)
        top = scores[:math.ceil(len(known) * TOP_SHARE)]
        flagged = [account_id for score, account_id in scores if score >= threshold]
        months.append(BacktestMonth(
            month=month, accounts=len(known), flagged=len(flagged),
            flagged_with_outcome=sum(1 for a in flagged if a in outcome), top=len(top),
            top_with_outcome=sum(1 for _, a in top if a in outcome), with_outcome=len(known & outcome),
            window_over=until < today))
        month = add_months(month, 1)
    return months
