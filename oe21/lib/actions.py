"""Small helpers the thin views of every app share."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ..forms import SpreadsheetUploadForm
from ..jobs import job_start


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


def form_error_messages(request, form) -> None:
    """A form posted from a page that shows no form: its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def import_page(request, *, task, kind: str, title: str, template: str, columns, parameters=None, extra=None):
    """The upload page of a spreadsheet import: a valid upload starts the import as a background
    job and shows its progress page."""
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None,
                                 max_bytes=settings.IMPORT_MAX_FILE_BYTES)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(kind=kind, description=f"{title} from {upload.name}", user=request.user, task=task,
                        input_name=upload.name, input_data=upload.read(), parameters=parameters or {})
        return redirect(job)
    return render(request, template, {"form": form, "columns": columns, "title": title, **(extra or {})})
