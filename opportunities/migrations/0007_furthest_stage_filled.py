"""Fill each opportunity's furthest funnel stage from its status history (the rule of
StatusChange.save, written against the migration's models)."""

from django.db import migrations
from django.db.models import Case, IntegerField, Max, OuterRef, Subquery, Value, When

FUNNEL = ["undecided", "interested", "evaluating", "purchased"]


def fill_furthest_stage(apps, schema_editor):
    Opportunity = apps.get_model("opportunities", "Opportunity")
    StatusChange = apps.get_model("opportunities", "StatusChange")
    stage = Case(*(When(to_status=status, then=Value(index)) for index, status in enumerate(FUNNEL)),
                 output_field=IntegerField())
    furthest = (StatusChange.objects.filter(opportunity=OuterRef("pk"), to_status__in=FUNNEL).order_by()
                .values("opportunity").annotate(stage=Max(stage)).values("stage"))
    Opportunity.objects.update(furthest_stage=Subquery(furthest, output_field=IntegerField()))


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0006_opportunity_furthest_stage")]
    operations = [migrations.RunPython(fill_furthest_stage, migrations.RunPython.noop)]
