"""The default measures of the standard (SPEC §8): two KRIs and three KRDs, all computed."""

from django.db import migrations

DEFAULTS = [
    # name, kind, unit, direction, target, breakdown, source
    ("Customer rating of offerings (1–5)", "KRI", "1–5", "higher", 4, "offering", "ratings_mean"),
    ("Customer complaints per offering", "KRI", "complaints", "lower", 2, "offering", "complaints"),
    ("Opportunity-marketing touches", "KRD", "touches", "higher", 100, "overall", "touches_out"),
    ("Sales efficiency %", "KRD", "%", "higher", 30, "overall", "sales_efficiency"),
    ("Online meetings conducted", "KRD", "meetings", "higher", 10, "overall", "meetings"),
]


def create_measures(apps, schema_editor):
    Measure = apps.get_model("metrics", "Measure")
    for name, kind, unit, direction, target, breakdown, source in DEFAULTS:
        Measure.objects.get_or_create(name=name, defaults={
            "kind": kind, "unit": unit, "direction": direction, "target": target,
            "breakdown": breakdown, "source": source, "frequency": "monthly", "is_selected": True})


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]

    operations = [migrations.RunPython(create_measures, migrations.RunPython.noop)]
