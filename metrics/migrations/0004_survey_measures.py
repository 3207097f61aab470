"""The engagement survey feeds two KRIs: NPS and the share of fully engaged respondents."""

from django.db import migrations

DEFAULTS = [
    ("NPS (engagement survey)", "points", 30, "survey_nps"),
    ("Fully engaged customers %", "%", 25, "fully_engaged"),
]


def create_measures(apps, schema_editor):
    Measure = apps.get_model("metrics", "Measure")
    for name, unit, target, source in DEFAULTS:
        Measure.objects.get_or_create(name=name, defaults={
            "kind": "KRI", "unit": unit, "direction": "higher", "target": target, "breakdown": "overall",
            "source": source, "frequency": "monthly", "is_selected": True})


class Migration(migrations.Migration):
    dependencies = [("metrics", "0003_surveys")]

    operations = [migrations.RunPython(create_measures, migrations.RunPython.noop)]
