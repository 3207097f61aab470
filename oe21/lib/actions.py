"""Small helpers the thin views of every app share."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from ..forms import SpreadsheetUploadForm
from ..jobs import job_start
from .forms import add_service_errors


def perform(request, action, success: str = "") -> bool:
    """Run a service call; its ValidationError becomes error messages, success a success message."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    if success:
        messages.success(request, success)
    return True


def redirect_next(request, default, *args):
    """Back to the page the form was posted from (`next`), if it is a page of this portal; else to
    `default` (a model, a URL name or a URL, as for `redirect`). The one place `next` is followed."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)  # a path, never read as a view name
    return redirect(default, *args)


def form_error_messages(request, form) -> None:
    """A form posted from a page that shows no form: its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def import_page(request, *, task, kind: str, title: str, template: str, columns, parameters=None, extra=None,
                back: tuple[str, str] | None = None):
    """The upload page of a spreadsheet import: a valid upload starts the import as a background
    job and shows its progress page, which links `back` (label, path; by default to this page)."""
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None,
                                 max_bytes=settings.IMPORT_MAX_FILE_BYTES)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(kind=kind, description=f"{title} from {upload.name}", user=request.user, task=task,
                        input_name=upload.name, input_data=upload.read(), parameters=parameters or {},
                        back=back or (title, request.path))
        return redirect(job)
    return render(request, template, {"form": form, "columns": columns, "title": title, **(extra or {})})


def form_submitted(request, form, action, success=""):
    """A page's form posted: validate it, run `action(cleaned_data)` (a service call) and return its
    result; on bad input (the form's or the service's) return None with the errors on the form.
    `success` is the message, or a function of the result that makes it."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return result


def post_form(request, form, action, success="") -> None:
    """A small form posted from a page that shows no form (a quick-add row, a button): validate it
    and run `action(cleaned_data)`; every error comes back as a message. `success` is the message,
    or a function of the action's result that makes it."""
    if not form.is_valid():
        form_error_messages(request, form)
        return
    results = []
    if perform(request, lambda: results.append(action(form.cleaned_data))) and success:
        messages.success(request, success(results[0]) if callable(success) else success)


def paged(request, rows, per_page: int) -> dict:
    """The context `oe21/_pagination.html` draws: one page of `rows` (`?page=`; a page past the
    end gives the last, anything not a number the first) and the query string without the page."""
    from django.core.paginator import Paginator

    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return {"page_obj": page, "is_paginated": page.has_other_pages(), "querystring": querystring.urlencode()}
