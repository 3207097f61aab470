"""Reads on the audit history (django-simple-history): a record's History tab and the report."""

import datetime
import decimal
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.paginator import Paginator
from django.db import models
from django.db.models import CharField, Value

from . import words
from .registry import role_rules

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
# Fields that hold an amount of money: their History shows the organisation's currency.
MONEY_FIELDS = {"offering.price", "offeringcost.revenue", "offeringcost.cost_of_goods_sold", "actionplantask.budget",
                "proposal.value", "requirementspec.desired_cost", "requirementspec.competitor_cost"}


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
    return "system" if user is None else words.person(user)


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _entries(model, records) -> list[AuditEntry]:
    """Turn history records (newest first) into entries with their field changes, still as raw
    (field, old, new) values: `_in_words` turns them into labels and names."""
    entries = []
    records = list(records)
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if record.history_type == "~" and older is not None:
            delta = record.diff_against(older)
            changes = [(_field(model, c.field) or c.field, c.old, c.new) for c in delta.changes]
        elif record.history_type == "+":
            changes = [(f, None, getattr(record, f.attname)) for f in model._meta.concrete_fields
                       if f.attname not in ("id", "created_at", "updated_at")
                       and getattr(record, f.attname, None) not in (None, "")]  # untracked fields: absent
        entries.append(AuditEntry(
            when=record.history_date, who=_who(record.history_user),
            kind=str(model._meta.verbose_name), record=str(record.history_object),
            action=CHANGE_TYPES.get(record.history_type, record.history_type),
            changes=changes, reason=record.history_change_reason or "",
        ))
    return entries


def _in_words(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Field labels, choice labels, the related records' names (fetched in bulk: one query per
    kind of related record) and numbers and dates as people read them (#16)."""
    wanted: dict[type, set] = {}
    for entry in entries:
        for field, old, new in entry.changes:
            if getattr(field, "many_to_many", False):
                wanted.setdefault(field.related_model, set()).update(
                    _m2m_ids(field, old or []) + _m2m_ids(field, new or []))
            elif getattr(field, "is_relation", False) and field.related_model is not None:
                wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v not in (None, ""))
    names = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}

    def say(field, value) -> str:
        if getattr(field, "many_to_many", False):  # the related records, by name
            return ", ".join(say_one(field, pk) for pk in _m2m_ids(field, value or []))
        return say_one(field, value)

    def say_one(field, value) -> str:
        if value is None or value == "":
            return ""
        if getattr(field, "is_relation", False) and field.related_model is not None:
            related = names.get(field.related_model, {}).get(value)
            if related is None:
                return f"#{value} (deleted)"
            return words.person(related) if isinstance(related, AbstractBaseUser) else str(related)
        if getattr(field, "flatchoices", None):
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, (decimal.Decimal, float)):
            if hasattr(field, "model") and f"{field.model._meta.model_name}.{field.name}" in MONEY_FIELDS:
                return words.money(value)
            return words.number(value, getattr(field, "decimal_places", None) or 2)
        if isinstance(value, (datetime.date, datetime.datetime)):
            return words.when(value)
        return str(value)

    for entry in entries:
        entry.changes = [
            (str(getattr(field, "verbose_name", field)), say(field, old), say(field, new))
            for field, old, new in entry.changes]
    return entries


def _m2m_ids(field, rows) -> list:
    """The related ids in a many-to-many field's History value (rows of its through table)."""
    source = field.model._meta.model_name
    return [value for row in rows for key, value in row.items() if key != source]


def record_history(instance) -> list[AuditEntry]:
    """Task-independent audit (SPEC §2): every change to one record, newest first."""
    records = instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    return _in_words(_entries(type(instance), records))


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
    return _in_words(entries)


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
