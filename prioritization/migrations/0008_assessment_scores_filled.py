"""Fill the stored score of existing assessments (the rule of `AssessmentQuerySet.rescore`, written
out here against the migration's own models so later model changes cannot break it)."""

from django.db import migrations
from django.db.models import Count, DecimalField, ExpressionWrapper, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf


def fill_scores(apps, schema_editor):
    Assessment = apps.get_model("prioritization", "Assessment")
    Rating = apps.get_model("prioritization", "Rating")
    ratings = Rating.objects.filter(assessment=OuterRef("pk")).order_by().values("assessment")
    weighted = Sum(F("value") * F("criterion__weight"), output_field=DecimalField())
    score = ratings.annotate(s=ExpressionWrapper(weighted / NullIf(Sum("criterion__weight"), Value(0)),
                                                 output_field=DecimalField())).values("s")
    active = ratings.filter(criterion__is_active=True).annotate(n=Count("pk")).values("n")
    Assessment.objects.update(score=Subquery(score, output_field=DecimalField()),
                              active_rated=Coalesce(Subquery(active, output_field=IntegerField()), Value(0)))


class Migration(migrations.Migration):
    dependencies = [("prioritization", "0007_assessment_stored_score")]
    operations = [migrations.RunPython(fill_scores, migrations.RunPython.noop)]
