"""A form sent twice (a double click, a reload of the POST, a retry of a slow request) is saved once.

Every portal form carries a one-off token (`{% submit_once %}` next to `{% csrf_token %}`; crispy
forms get it from `portal_form_helper`). `SubmitOnceMiddleware` records the token before the view
runs — a unique row, so two web workers cannot both take it — and, when the view answered with a
redirect (it saved), the page it redirected to. The same token again is not run a second time: it
is sent to that page, with a note. A submission that was refused (the form came back with errors,
or failed) frees its token, so the corrected form can be sent.
"""

import re
import time
import uuid

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.html import format_html

FIELD = "_once"
_TOKEN = re.compile(r"[0-9a-f]{32}")
WAIT_FOR_FIRST = 10.0  # seconds a repeat waits for the first submission to finish


def new_token() -> str:
    return uuid.uuid4().hex


def hidden_input() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


class SubmitOnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.fullmatch(token):
            return self.get_response(request)
        from .models import SubmittedForm

        user = request.user if request.user.is_authenticated else None
        try:
            with transaction.atomic():
                SubmittedForm.objects.create(token=token, user=user)
        except IntegrityError:
            return self._repeat(request, token)
        response = self.get_response(request)
        if isinstance(response, HttpResponseRedirect) or (300 <= response.status_code < 400
                                                          and response.has_header("Location")):
            SubmittedForm.objects.filter(token=token).update(location=response["Location"][:2000], done=True)
        else:
            SubmittedForm.objects.filter(token=token).delete()
        return response

    def _repeat(self, request, token):
        from .models import SubmittedForm

        deadline = time.monotonic() + WAIT_FOR_FIRST
        while True:
            first = SubmittedForm.objects.filter(token=token).values("done", "location").first()
            if first is None:  # the first one was refused: this one is a new attempt
                return self.get_response(request)
            if first["done"]:
                messages.info(request, "This form had been sent already; it was saved once.")
                return HttpResponseRedirect(first["location"])
            if time.monotonic() > deadline:
                return HttpResponse("This form is being saved already; reload the page in a moment.",
                                    status=409, content_type="text/plain; charset=utf-8")
            time.sleep(0.1)
