"""The completion rule of milestone 7 (100 %): the monthly reviews are under way (SPEC §9)."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, Case, F, Func, OuterRef, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone

from oe21.lib.months import add_months, month_end, month_start
from oe21.milestones import Missing, completion_rule
from oe21.selectors import CFT_TEAM_ROLES

from .choices import MeasureKind
from .models import Measure, MeasureEntry, ReviewMeeting


def closed_months(cycle, today: datetime.date | None = None) -> list[datetime.date]:
    """The months of the cycle that have ended by `today` (first days), oldest first."""
    today = today or timezone.localdate()
    months, month = [], month_start(cycle.starts_on)
    while month <= cycle.ends_on and month_end(month) < today:
        months.append(month)
        month = add_months(month, 1)
    return months


@completion_rule(7)
def metrics_reviews_under_way(cycle) -> list[str]:
    """At least one KRI and one KRD selected; every selected measure has a value for every closed
    month of the cycle so far, and each of those months has its review recorded, attended by a
    quorum of the CFT (more than half of its members; two queries)."""
    selected = list(Measure.objects.filter(is_selected=True).order_by("kind", "name"))
    measures = reverse("metrics:measure_list")
    missing = [Missing(f"No {kind} is selected for the monthly review.", measures)
               for kind in (MeasureKind.KRI, MeasureKind.KRD) if not any(m.kind == kind for m in selected)]
    months = closed_months(cycle)
    if not months:
        return [*missing, Missing(f"No month of {cycle} has ended yet: the first review follows the first month.",
                                  reverse("metrics:dashboard"))]
    # One query for both: (measure, month) of every value, and (0, month) of every review recorded.
    entries = (MeasureEntry.objects.filter(measure__in=selected, period__in=months).order_by()
               .values_list("measure_id", "period"))
    # A review counts when more than half of the CFT attended: (0, month); without that quorum (-1, month).
    team = get_user_model().objects.filter(is_active=True, groups__name__in=CFT_TEAM_ROLES).values("pk")
    team_size = Subquery(get_user_model().objects.filter(pk__in=team).order_by()
                         .annotate(n=Func(F("pk"), function="COUNT")).values("n"))
    attended = Subquery(ReviewMeeting.present.through.objects.filter(reviewmeeting_id=OuterRef("pk"), user_id__in=team)
                        .order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))
    reviews = (ReviewMeeting.objects.filter(cycle=cycle, month__in=months).order_by()
               .annotate(attended=attended, team_size=team_size)
               .annotate(flag=Case(When(attended__gte=F("team_size") / 2 + 1, then=Value(0)), default=Value(-1),
                                   output_field=BigIntegerField()))
               .values_list("flag", "month"))
    valued = set(entries.union(reviews))
    for measure in selected:
        gaps = [month for month in months if (measure.pk, month) not in valued]
        if gaps:
            listed = ", ".join(f"{month:%b %Y}" for month in gaps[:6]) + (
                f" and {len(gaps) - 6} more month(s)" if len(gaps) > 6 else "")
            if measure.is_computed:  # not typed in: recomputed from the records, or taken out of the review
                missing.append(Missing(
                    f"{measure.kind} “{measure.name}” has no value for {listed}: it is computed from the portal's "
                    "records — recompute the measures, or take it out of the review if it has no source yet.",
                    measure.get_absolute_url()))
            else:
                typing = reverse("metrics:entry_create") + f"?measure={measure.pk}&period={gaps[0]:%Y-%m}"
                missing.append(Missing(f"{measure.kind} “{measure.name}” has no value for {listed}.", typing))
    for month in months:
        if (0, month) in valued:
            continue
        review = reverse("metrics:dashboard") + f"?month={month:%Y-%m}"
        if (-1, month) in valued:
            missing.append(Missing(f"The review of {month:%B %Y} was recorded without a quorum of the CFT (more than "
                                   "half of its members present): record who attended.", review))
        else:
            missing.append(Missing(f"No review of {month:%B %Y} has been recorded.", review))
    return missing
