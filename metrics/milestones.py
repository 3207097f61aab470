"""The completion rule of milestone 7 (100 %): the monthly reviews are under way (SPEC §9)."""

import datetime

from django.db.models import BigIntegerField, Value
from django.urls import reverse
from django.utils import timezone

from oe21.lib.months import add_months, month_end, month_start
from oe21.milestones import Missing, completion_rule

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
    month of the cycle so far, and each of those months has its review recorded (two queries)."""
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
    reviews = (ReviewMeeting.objects.filter(cycle=cycle, month__in=months).order_by()
               .annotate(none=Value(0, output_field=BigIntegerField())).values_list("none", "month"))
    valued = set(entries.union(reviews))
    for measure in selected:
        gaps = [month for month in months if (measure.pk, month) not in valued]
        if gaps:
            listed = ", ".join(f"{month:%b %Y}" for month in gaps[:6]) + (
                f" and {len(gaps) - 6} more month(s)" if len(gaps) > 6 else "")
            missing.append(Missing(f"{measure.kind} “{measure.name}” has no value for {listed}.",
                                   reverse("metrics:entry_create") + f"?measure={measure.pk}&period={gaps[0]:%Y-%m}"))
    missing += [Missing(f"No review of {month:%B %Y} has been recorded.",
                        reverse("metrics:dashboard") + f"?month={month:%Y-%m}")
                for month in months if (0, month) not in valued]
    return missing
