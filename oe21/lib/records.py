"""Create and update helpers shared by every app's services.

Both run the model's full validation (field validators such as NAICS/ZIP, and database
constraints such as unique names), so that a form, an import and the admin all obey the same
rules; an update saves only the fields that changed.
"""

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_create(model: type[M], *, data: dict) -> M:
    instance = model(**data)
    instance.full_clean()
    instance.save()
    return instance


def model_update(instance: M, *, data: dict) -> tuple[M, bool]:
    """Apply `data` to `instance`; return the instance and whether anything changed."""
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
