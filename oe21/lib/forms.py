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


# A select over a large table (accounts, contacts) lists only what is chosen (and, for a small
# table, everything): the page stays small whatever the data size. In the browser a search box
# fetches matches (`data-lookup-url`), and a dependent select reloads its options when the select
# it follows changes (`data-follows` + `data-options-url`, "{}" standing for the chosen value);
# static/oe21/portal.js does both.
SMALL_TABLE = 200


def chosen_value(form, name: str):
    """The value of field `name` that the form shows: posted, initial, or the record's."""
    chosen = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name)
    if chosen is None and getattr(form, "instance", None) is not None and form.instance.pk:
        chosen = getattr(form.instance, f"{name}_id", None)
    chosen = getattr(chosen, "pk", chosen)
    return chosen if str(chosen or "").isdigit() else None


def bounded_choices(form, name: str, *, lookup_url: str = "", follows: str = "", options_url: str = "",
                    within=None) -> None:
    """Render field `name` of `form` with only its chosen record (or the records `within` a
    chosen parent, or every record of a small table) as options; validation still accepts any
    record of the field's queryset."""
    field = form.fields[name]
    queryset = field.queryset
    chosen = chosen_value(form, name)
    if within is not None:
        shown = queryset.filter(**within)[:SMALL_TABLE]
    elif queryset.count() <= SMALL_TABLE:
        shown = queryset
    else:
        shown = queryset.filter(pk=chosen) if chosen else queryset.none()
    field.widget.choices = [("", "---------")] + [(record.pk, field.label_from_instance(record)) for record in shown]
    if lookup_url:
        field.widget.attrs["data-lookup-url"] = lookup_url
    if follows:
        field.widget.attrs.update({"data-follows": follows, "data-options-url": options_url})


def account_and_contact_choices(form, account: str = "account", contact: str = "contact") -> None:
    """The account is searched, not listed; the contact list (when the form has one) follows it."""
    from django.urls import reverse

    bounded_choices(form, account, lookup_url=reverse("account_lookup"))
    if contact in form.fields:
        chosen = chosen_value(form, account)
        bounded_choices(form, contact, follows=form[account].auto_id,
                        options_url=reverse("account_contacts", args=[0]).replace("/0/", "/{}/"),
                        within={"account_id": chosen} if chosen else {"pk__in": []})


def sorted_by(request, queryset, columns: dict[str, list[str]], parameter: str = "o"):
    """The list sorted by the column header clicked (`?o=account`, `?o=-account` reversed; see the
    `sort_header` tag), ties broken by id; an unknown column leaves the list's own order."""
    asked = request.GET.get(parameter, "")
    key = asked.removeprefix("-")
    if key not in columns:
        return queryset
    fields = columns[key]
    if asked.startswith("-"):
        fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
    return queryset.order_by(*fields, "-pk" if asked.startswith("-") else "pk")
