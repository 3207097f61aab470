"""Reads on the audit history (django-simple-history): a record's History tab and the report."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.paginator import Paginator
from django.db import models
from django.db.models import CharField, Value

from .registry import role_rules

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class AuditEntry:
    when: datetime.datetime
    who: str
    kind: str
    record: str
    action: str
    changes: list[tuple[str, str, str]]
    reason: str = ""


def audited_models() -> list[type[models.Model]]:
    """Every business model that keeps a history, in a stable order."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label in role_rules().business_apps and hasattr(model, "history") \
                and not model.__name__.startswith("Historical"):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def _who(user) -> str:
    if user is None:
        return "system"
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


def _label(model, field_name):
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def _entries(model, records) -> list[AuditEntry]:
    """Turn history records (newest first) into entries with their field changes."""
    entries = []
    records = list(records)
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if record.history_type == "~" and older is not None:
            delta = record.diff_against(older)
            changes = [(_label(model, c.field), str(c.old), str(c.new)) for c in delta.changes]
        elif record.history_type == "+":
            changes = [(_label(model, f.attname.removesuffix("_id")), "", str(getattr(record, f.attname)))
                       for f in model._meta.concrete_fields
                       if f.attname not in ("id", "created_at", "updated_at")
                       and getattr(record, f.attname, None) not in (None, "")]  # untracked fields: absent
        entries.append(AuditEntry(
            when=record.history_date, who=_who(record.history_user),
            kind=str(model._meta.verbose_name), record=str(record.history_object),
            action=CHANGE_TYPES.get(record.history_type, record.history_type),
            changes=changes, reason=record.history_change_reason or "",
        ))
    return entries


def record_history(instance) -> list[AuditEntry]:
    """Task-independent audit (SPEC §2): every change to one record, newest first."""
    records = instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    return _entries(type(instance), records)


def related_history(model, **filters) -> list[AuditEntry]:
    """History of the records of `model` matching `filters` (e.g. the ratings of one
    assessment, deleted ones included), each change against that record's previous state."""
    records = (model.history.filter(**filters).select_related("history_user")
               .order_by("id", "-history_date", "-history_id"))
    entries, current, group = [], None, []
    for record in list(records) + [None]:
        if record is None or record.id != current:
            entries += _entries(model, group)
            group, current = [], record.id if record else None
        if record is not None:
            group.append(record)
    return entries


def with_related_history(instance, *related: tuple) -> list[AuditEntry]:
    """A record's History tab including the changes of records that belong to it."""
    entries = record_history(instance)
    for model, filters in related:
        entries += related_history(model, **filters)
    return sorted(entries, key=lambda e: e.when, reverse=True)


AUDIT_PAGE = 50


def _report_keys(*, user_id=None, model_label: str = "", since=None, until=None):
    """(model label, history id, date) of every matching history row across the audited models,
    newest first: one UNION query the database sorts and pages."""
    keys = []
    for model in audited_models():
        if model_label and model._meta.label_lower != model_label:
            continue
        records = model.history.all()
        if user_id:
            records = records.filter(history_user_id=user_id)
        if since:
            records = records.filter(history_date__date__gte=since)
        if until:
            records = records.filter(history_date__date__lte=until)
        keys.append(records.annotate(label=Value(model._meta.label_lower, output_field=CharField()))
                    .values_list("label", "history_id", "history_date").order_by())
    if not keys:
        return None
    return keys[0].union(*keys[1:], all=True).order_by("-history_date", "-history_id")


def _with_related(records, model) -> list:
    """History rows with the related records their text needs, fetched in bulk (depth one)."""
    relations = [f.name for f in records.model._meta.fields
                 if f.is_relation and f.name not in ("history_user", "history_relation")
                 and f.related_model is not None and not f.name.startswith("history_")]
    records = list(records.select_related("history_user", *relations))
    for record in records:
        instance = record.history_object  # built from the row itself (no query for excluded fields)
        for name in relations:
            if name in record._state.fields_cache:
                instance._state.fields_cache[name] = record._state.fields_cache[name]
        record.text = str(instance)
    return records


def audit_report(*, user_id=None, model_label: str = "", since=None, until=None, page_number=1):
    """A page of the changes across all business records (filtered by user, kind of record and
    dates), newest first, and the page (its number of pages and rows): a bounded number of
    queries (the union, its count, one per kind of record on the page)."""
    keys = _report_keys(user_id=user_id, model_label=model_label, since=since, until=until)
    page = Paginator(keys if keys is not None else [], AUDIT_PAGE).get_page(page_number)
    wanted: dict[str, list[int]] = {}
    for label, history_id, _ in page.object_list:
        wanted.setdefault(label, []).append(history_id)
    found = {}
    for label, ids in wanted.items():
        model = apps.get_model(label)
        for record in _with_related(model.history.filter(history_id__in=ids), model):
            found[(label, record.history_id)] = (model, record)
    entries = []
    for label, history_id, _ in page.object_list:
        model, record = found[(label, history_id)]
        entries.append(AuditEntry(
            when=record.history_date, who=_who(record.history_user),
            kind=str(model._meta.verbose_name).capitalize(), record=record.text,
            action=CHANGE_TYPES.get(record.history_type, record.history_type), changes=[],
            reason=record.history_change_reason or "",
        ))
    return page, entries
