"""The seven default criteria of the standard (Task 3.2.1), all with weight 1."""

from django.db import migrations

DEFAULT_CRITERIA = [
    ("Best Value", "Offers the best value for the price."),
    ("Total Solution", "Nothing else is needed to make it work."),
    ("Affordable Solution", "Within the customer's budget."),
    ("Availability Solution", "Available when needed."),
    ("Competitor Relationships", "Free of contracts with competitors."),
    ("Prior Success", "Bought before, successfully."),
    ("Positive Referrals", "Likely to refer us."),
]


def create_criteria(apps, schema_editor):
    Criterion = apps.get_model("prioritization", "Criterion")
    for position, (name, description) in enumerate(DEFAULT_CRITERIA, 1):
        Criterion.objects.get_or_create(
            name=name, defaults={"description": description, "weight": 1, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("prioritization", "0001_initial")]

    operations = [migrations.RunPython(create_criteria, migrations.RunPython.noop)]
