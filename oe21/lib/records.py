"""Create and update helpers shared by every app's services.

Both run the model's full validation (field validators such as NAICS/ZIP, and database
constraints such as unique names), so that a form, an import and the admin all obey the same
rules; an update saves only the fields that changed.

No lost update: an edit form carries the version it was read at (`version_of`, the record's
`updated_at`), and `model_update(..., version=...)` refuses to save over a newer one with an
`EditConflict` that names who changed it and when.
"""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats, timezone

from ..words import person

M = TypeVar("M", bound=models.Model)


def model_create(model: type[M], *, data: dict, user=None) -> M:
    """Validate and save a new record; `user` is named in its History when no request is at hand."""
    instance = model(**data)
    if user is not None:
        instance._history_user = user
    instance.full_clean()
    instance.save()
    return instance


def version_of(instance) -> str:
    """The version an edit form reads a record at: its last change, to the microsecond."""
    updated_at = getattr(instance, "updated_at", None)
    return updated_at.isoformat() if updated_at else ""


class EditConflict(ValidationError):
    """Somebody saved the record after the form was read; `current` is the record as saved now."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            f"{last_change(current)}, after you opened this form. The values saved now are "
            "shown below; check them and save again to keep yours.", code="edit_conflict")


def last_change(instance) -> str:
    """“Changed by NAME at TIME”: the record's last change, from its audit history when it has one."""
    history = getattr(instance, "history", None)
    entry = history.select_related("history_user").first() if history is not None else None
    user, changed_at = (entry.history_user, entry.history_date) if entry else (None, instance.updated_at)
    who = person(user) if user else "someone"
    when = formats.date_format(timezone.localtime(changed_at), "DATETIME_FORMAT") if changed_at else "?"
    return f"Changed by {who} at {when}"


def model_update(instance: M, *, data: dict, version: str | None = None) -> tuple[M, bool]:
    """Apply `data` to `instance`; return the instance and whether anything changed. With a
    `version` (from the edit form), refuse with EditConflict when the stored record is newer."""
    if version:
        with transaction.atomic():
            stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            if version_of(stored) != version:
                raise EditConflict(stored)
            return model_update(instance, data=data)
    changed = []
    for field, value in data.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    if not changed:
        return instance, False
    instance.full_clean()
    if any(f.name == "updated_at" for f in instance._meta.fields):
        changed.append("updated_at")
    instance.save(update_fields=changed)
    return instance, True


def bulk_insert(model: type[M], objects, *, batch_size: int = 5000) -> int:
    """Insert records from any iterable in batches, never holding more than one batch in memory
    (no model validation, no history: for data sets and loaders that make valid rows by design)."""
    from itertools import islice

    iterator, written = iter(objects), 0
    while batch := list(islice(iterator, batch_size)):
        model.objects.bulk_create(batch)
        written += len(batch)
    return written
