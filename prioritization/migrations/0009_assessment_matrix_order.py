"""An index in the matrix's order (`prioritization.selectors.matrix_queryset`: score descending,
unscored rows last, then id), so a page of the matrix is read from it instead of sorting the cycle.
PostgreSQL only: SQLite cannot index NULLS LAST (and the embedded default never holds an
organisation's size)."""

from django.db import migrations

NAME = "assessment_matrix_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON prioritization_assessment "
                              "(cycle_id, score DESC NULLS LAST, id)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("prioritization", "0008_assessment_scores_filled")]

    operations = [migrations.RunPython(create, drop)]
