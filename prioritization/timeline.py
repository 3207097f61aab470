"""What prioritization adds to an account's timeline (`oe21.timeline`): its assessments."""

from django.db.models.functions import TruncDate

from oe21.registry import TimelineEvent, timeline_kind
from oe21.timeline import dated, record_ids
from oe21.words import person

from .models import Assessment
from .scoring import Score


@timeline_kind("assessment", label="Prioritization", permission="prioritization.view_assessment", order=80,
               events=lambda account: [dated(Assessment.objects.filter(account=account), TruncDate("created_at"))])
def _describe_assessments(items):
    assessments = (Assessment.objects.filter(pk__in=record_ids(items))
                   .select_related("offering", "cycle", "assessed_by"))
    return {("", a.pk): TimelineEvent(
        f"Prioritized for {a.offering} in {a.cycle.name}: "
        + (f"score {Score(value=a.score, complete=True).percent:.0f} of 100" if a.score is not None else "not scored")
        + f", respondent {a.respondent_name}", a.get_absolute_url(), person(a.assessed_by)) for a in assessments}
