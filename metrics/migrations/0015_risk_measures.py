"""The early warning feeds two KRIs (#17): the mean account risk score and the share of accounts at
risk. Available for the review and the REST export; the CFT selects them for the review."""

from django.db import migrations

DEFAULTS = [
    ("Account risk score (mean)", "points", 20, "risk_mean"),
    ("Accounts at risk %", "%", 10, "at_risk_share"),
]


def create_measures(apps, schema_editor):
    Measure = apps.get_model("metrics", "Measure")
    for name, unit, target, source in DEFAULTS:
        Measure.objects.get_or_create(name=name, defaults={
            "kind": "KRI", "unit": unit, "direction": "lower", "target": target, "breakdown": "segment",
            "source": source, "frequency": "monthly", "is_selected": False})


class Migration(migrations.Migration):
    dependencies = [("metrics", "0014_risk_sources")]

    operations = [migrations.RunPython(create_measures, migrations.RunPython.noop)]
