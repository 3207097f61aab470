"""Data-migration helpers of the shared model, for the apps' migrations.

`move_to_action_items` moved each task app's own action-item table (assessment action-plan
items, opportunity action items, review follow-up tasks) into the one shared `ActionItem`,
with every history row, and pointed the action plan's tasks at the moved items. It works on the
migration state (`apps`), never on the current models.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class OldActionTable:
    app_label: str
    model_name: str  # e.g. "ActionPlanItem"; its history is "Historical" + model_name
    kind: str  # source_kind of the moved items
    source: tuple[str, str]  # (app_label, model) of the record the items hang on
    source_field: str  # the old table's key to that record, e.g. "assessment"
    fields: dict[str, str]  # ActionItem field → old field
    plan_task_field: str  # ActionPlanTask's old one-to-one key to the table


def _values(row, table: OldActionTable) -> dict:
    values = {new: getattr(row, old) for new, old in table.fields.items()}
    values["source_id"] = getattr(row, f"{table.source_field}_id")
    values["source_kind"] = table.kind
    values["status"] = "done" if values.get("done_on") else "open"
    return values


def move_to_action_items(apps, table: OldActionTable) -> None:
    """Copy the rows and history rows of `table` into oe21.ActionItem; keep who/when exactly."""
    Old = apps.get_model(table.app_label, table.model_name)
    OldHistory = apps.get_model(table.app_label, f"Historical{table.model_name}")
    ActionItem = apps.get_model("oe21", "ActionItem")
    History = apps.get_model("oe21", "HistoricalActionItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    PlanTask = apps.get_model("requirements_specs", "ActionPlanTask")
    PlanTaskHistory = apps.get_model("requirements_specs", "HistoricalActionPlanTask")
    source_type, _ = ContentType.objects.get_or_create(app_label=table.source[0], model=table.source[1])

    new_ids: dict[int, int] = {}
    removed = []
    for row in Old.objects.order_by("pk"):
        values = _values(row, table)
        item = ActionItem.objects.create(source_type=source_type, **values)
        # created_at/updated_at are set on save: put the original times back.
        ActionItem.objects.filter(pk=item.pk).update(created_at=values["created_at"],
                                                     updated_at=values["updated_at"])
        new_ids[row.pk] = item.pk
    for old_id in OldHistory.objects.exclude(id__in=list(new_ids)).values_list("id", flat=True).distinct():
        # A deleted item still has a history: give it an id of its own that no live item takes.
        last = OldHistory.objects.filter(id=old_id).latest("history_date", "history_id")
        placeholder = ActionItem.objects.create(source_type=source_type, **_values(last, table))
        new_ids[old_id] = placeholder.pk
        removed.append(placeholder.pk)
    ActionItem.objects.filter(pk__in=removed).delete()

    for row in OldHistory.objects.order_by("history_id"):
        History.objects.create(
            id=new_ids[row.id], source_type_id=source_type.pk, **_values(row, table),
            history_date=row.history_date, history_change_reason=row.history_change_reason,
            history_type=row.history_type, history_user_id=row.history_user_id)

    for model in (PlanTask, PlanTaskHistory):
        for old_id, new_id in new_ids.items():
            model.objects.filter(**{f"{table.plan_task_field}_id": old_id}).update(source_item_id=new_id)


def move_back_from_action_items(apps, table: OldActionTable) -> None:
    """The reverse: the items of `table.kind` go back into the app's own table (rows only)."""
    Old = apps.get_model(table.app_label, table.model_name)
    ActionItem = apps.get_model("oe21", "ActionItem")
    PlanTask = apps.get_model("requirements_specs", "ActionPlanTask")
    for item in ActionItem.objects.filter(source_kind=table.kind).order_by("pk"):
        data = {old: getattr(item, new) for new, old in table.fields.items()}
        data[f"{table.source_field}_id"] = item.source_id
        old = Old.objects.create(**data)
        PlanTask.objects.filter(source_item_id=item.pk).update(**{f"{table.plan_task_field}_id": old.pk})
        item.delete()


COMMON = {"description": "description", "owner_id": "owner_id", "created_at": "created_at",
          "updated_at": "updated_at"}
OLD_ACTION_TABLES = [
    OldActionTable("prioritization", "ActionPlanItem", "assessment", ("prioritization", "assessment"),
                   "assessment", {**COMMON, "due_on": "due_date", "created_by_id": "created_by_id"},
                   "source_assessment_item"),
    OldActionTable("opportunities", "ActionItem", "opportunity", ("opportunities", "opportunity"),
                   "opportunity", {**COMMON, "due_on": "due_date", "created_by_id": "created_by_id"},
                   "source_opportunity_item"),
    OldActionTable("metrics", "FollowUpTask", "review", ("metrics", "reviewmeeting"),
                   "meeting", {**COMMON, "due_on": "due_on", "done_on": "done_on"}, "source_follow_up"),
]


def move_all_to_action_items(apps, schema_editor) -> None:
    for table in OLD_ACTION_TABLES:
        move_to_action_items(apps, table)


def move_all_back(apps, schema_editor) -> None:
    for table in OLD_ACTION_TABLES:
        move_back_from_action_items(apps, table)
