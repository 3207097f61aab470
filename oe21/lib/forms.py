"""Showing a service's ValidationError on the form that called it; the crispy layout of a form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Hidden, Submit
from django import forms
from django.core.exceptions import ValidationError

from ..submit_once import FIELD, new_token
from .records import EditConflict, version_of

VERSION = "version"


class VersionedForm:
    """A form that edits a record carries the version it read the record at (a hidden field), so
    that saving over a newer change is refused (`model_update(..., version=...)`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[VERSION] = forms.CharField(widget=forms.HiddenInput, required=False,
                                                   initial=version_of(self.instance))

    def pop_version(self) -> str | None:
        """The version read, taken out of cleaned_data (it is not a field of the record)."""
        return self.cleaned_data.pop(VERSION, None) or None


def portal_form_helper(submit_name: str = "save", submit_label: str = "Save") -> FormHelper:
    """The layout of a crispy form: its submit button and its one-off token (oe21.submit_once)."""
    helper = FormHelper()
    helper.add_input(Submit(submit_name, submit_label))
    helper.add_input(Hidden(FIELD, new_token()))
    return helper


def add_service_errors(form, exc: ValidationError) -> None:
    """Put each error next to its field when the form has that field, otherwise above the form.
    An edit conflict also shows the values saved now (`form.conflict`) and moves the form to the
    newest version, so that saving again keeps the user's values knowingly."""
    if isinstance(exc, EditConflict):
        _show_conflict(form, exc.current)
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _show_conflict(form, current) -> None:
    rows = []
    for name, field in form.fields.items():
        if name == VERSION or not hasattr(current, name):
            continue
        value = getattr(current, name)
        if value != form.cleaned_data.get(name, value):
            display = getattr(current, f"get_{name}_display", None)
            rows.append((field.label or name, display() if display else value))
    form.conflict = rows
    form.data = form.data.copy()
    form.data[form.add_prefix(VERSION)] = version_of(current)
