# The rows and history of the three per-app action-item tables move to the shared oe21.ActionItem;
# the plan tasks point at the moved items. (Its own migration: PostgreSQL does not alter a table
# with pending deferred constraint checks in the same transaction.)

from django.db import migrations

from oe21.migration_helpers import move_all_back, move_all_to_action_items


class Migration(migrations.Migration):

    dependencies = [
        ('requirements_specs', '0004_plan_tasks_take_shared_action_items'),
    ]

    operations = [
        migrations.RunPython(move_all_to_action_items, move_all_back),
    ]
