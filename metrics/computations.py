"""Task 3.2.8: the values of computed measures, worked out from the portal's own records.

Ratings and complaints come from this app's records; touches, sales efficiency and meetings
from the Opportunity Manager, through its selector.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from oe21.choices import OfferingStatus
from oe21.lib.months import add_months, month_end
from oe21.models import Account, MarketSegment, Offering
from opportunities.formulas import sales_efficiency

from .choices import Breakdown, Source
from .engagement import nps_score
from .models import Complaint, CustomerRating

FOUR_PLACES = Decimal("0.0001")


def breakdown_key(*, offering_id=None, segment_id=None) -> str:
    if offering_id:
        return f"offering:{offering_id}"
    if segment_id:
        return f"segment:{segment_id}"
    return ""


def _keys(breakdown: str, offering_id, segment_id) -> list[str]:
    keys = [""]
    if breakdown == Breakdown.OFFERING and offering_id:
        keys.append(breakdown_key(offering_id=offering_id))
    if breakdown == Breakdown.SEGMENT and segment_id:
        keys.append(breakdown_key(segment_id=segment_id))
    return keys


def _all_keys(breakdown: str) -> list[str]:
    """Every key a count is zero-filled for: overall, and each offering or segment."""
    if breakdown == Breakdown.OFFERING:
        ids = Offering.objects.exclude(status=OfferingStatus.DISCONTINUED).values_list("pk", flat=True)
        return [""] + [breakdown_key(offering_id=i) for i in ids]
    if breakdown == Breakdown.SEGMENT:
        ids = MarketSegment.objects.filter(parent__isnull=True).values_list("pk", flat=True)
        return [""] + [breakdown_key(segment_id=i) for i in ids]
    return [""]


def _source_rows(source: str, start, end) -> list[tuple]:
    """(month, offering id, segment id, a, b) rows of a source for the months start…end."""
    if source == Source.RATINGS_MEAN:
        rows = (CustomerRating.objects.filter(rated_on__gte=start, rated_on__lte=end)
                .annotate(month=TruncMonth("rated_on"),
                          segment_id=Coalesce("account__segment__parent_id", "account__segment_id"))
                .values("month", "offering_id", "segment_id").annotate(a=Sum("value"), b=Count("id")).order_by())
        return [(r["month"], r["offering_id"], r["segment_id"], r["a"], r["b"]) for r in rows]
    if source == Source.COMPLAINTS:
        rows = (Complaint.objects.filter(received_on__gte=start, received_on__lte=end)
                .annotate(month=TruncMonth("received_on"),
                          segment_id=Coalesce("account__segment__parent_id", "account__segment_id"))
                .values("month", "offering_id", "segment_id").annotate(a=Count("id")).order_by())
        return [(r["month"], r["offering_id"], r["segment_id"], r["a"], 0) for r in rows]
    if source in (Source.SURVEY_NPS, Source.FULLY_ENGAGED):
        return _survey_rows(source, start, end)
    if source in (Source.RISK_MEAN, Source.AT_RISK_SHARE):
        return _risk_rows(source, start, end)
    from opportunities.selectors import monthly_touch_counts

    touches = monthly_touch_counts(start, end)
    pick = {Source.TOUCHES_OUT: lambda r: (r["out"], 0),
            Source.MEETINGS: lambda r: (r["meetings"], 0),
            Source.SALES_EFFICIENCY: lambda r: (r["responses"], r["out"])}[source]
    return [(r["month"], r["opportunity__offering_id"], r["segment_id"], *pick(r)) for r in touches]


def _survey_rows(source: str, start, end) -> list[tuple]:
    """NPS: a = promoters − detractors, b = responses; fully engaged: a = fully engaged, b = responses."""
    from .engagement import FULLY_ENGAGED, Answers, engagement_class, nps_group
    from .models import SurveyResponse

    responses = (SurveyResponse.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
                 .select_related("invitation__survey", "invitation__contact__account__segment__parent"))
    rows = []
    for response in responses:
        account = response.invitation.contact.account
        segment_id = account.market_segment.pk if account.segment_id else None
        if source == Source.SURVEY_NPS:
            a = {"promoter": 1, "detractor": -1}.get(nps_group(response.recommend), 0)
        else:
            answers = Answers(**{f: getattr(response, f) for f in Answers.__dataclass_fields__})
            a = int(engagement_class(answers) == FULLY_ENGAGED)
        month = timezone.localtime(response.created_at).date().replace(day=1)
        rows.append((month, response.invitation.survey.offering_id, segment_id, a, 1))
    return rows


def _risk_rows(source: str, start, end) -> list[tuple]:
    """The early warning (metrics.risk) as of each month's end (today for the current month) over
    the accounts known by then: risk mean: a = score, b = 1 per account; at risk: a = 1 when at or
    over the organisation's threshold. Both measures of a recompute share one assessment a month."""
    from oe21.lib.memo import memoized

    from .risk import accounts_known_by, assess
    from .services import risk_threshold

    today = timezone.localdate()
    rows, month = [], start
    segments = dict(Account.objects.values_list("pk", Coalesce("segment__parent_id", "segment_id")))
    threshold = risk_threshold()
    while month <= end and month <= today:
        as_of = min(month_end(month), today)
        known, risks = memoized(("risk_as_of", as_of), lambda day=as_of: (accounts_known_by(day), assess(day)))
        for account_id in known:
            score = risks[account_id].score if account_id in risks else 0
            a = score if source == Source.RISK_MEAN else int(score >= threshold)
            rows.append((month, None, segments.get(account_id), a, 1))
        month = add_months(month, 1)
    return rows


def _as_month(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _value(source: str, a: int, b: int) -> Decimal:
    """A mean or percentage from its totals, by the formula that owns it (b > 0)."""
    if source == Source.RATINGS_MEAN:
        return Decimal(a) / b
    if source == Source.SALES_EFFICIENCY:  # a = responses, b = touches out
        return sales_efficiency(touches_out=b, responses=a)
    if source == Source.SURVEY_NPS:  # a = promoters − detractors, b = responses
        return nps_score(promoters_minus_detractors=a, responses=b)
    if source == Source.RISK_MEAN:  # a = sum of scores, b = accounts
        return Decimal(a) / b
    return Decimal(100) * a / b  # share of respondents fully engaged, of accounts at risk


def computed_values(measure, months: list[datetime.date]) -> dict[tuple[datetime.date, str], Decimal]:
    """(month, breakdown key) → value of a computed measure for the given months.

    Counts are 0 in a month without records; a mean or a percentage has no value there.
    """
    if not measure.is_computed or not months:
        return {}
    totals: dict[tuple, list] = defaultdict(lambda: [0, 0])
    for month, offering_id, segment_id, a, b in _source_rows(measure.source, months[0], month_end(months[-1])):
        for key in _keys(measure.breakdown, offering_id, segment_id):
            total = totals[(_as_month(month), key)]
            total[0] += a or 0
            total[1] += b or 0
    values = {}
    if measure.source in (Source.COMPLAINTS, Source.TOUCHES_OUT, Source.MEETINGS):
        for month in months:
            for key in _all_keys(measure.breakdown):
                values[(month, key)] = Decimal(totals.get((month, key), [0, 0])[0])
        return values
    for (month, key), (a, b) in totals.items():
        if not b:
            continue
        values[(month, key)] = _value(measure.source, a, b).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    return values
