"""Pages of the shared model: the intranet main page with the milestones, the account, contact
and offering records, spreadsheet import/export of accounts, background jobs and the audit report.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST, require_safe

from . import search, selectors, services, timeline
from .audit import audit_report, audited_models
from .cycles import cycle_choice
from .exports import ACCOUNT_COLUMNS, CONTACT_COLUMNS
from .filtersets import AccountFilterSet, ContactFilterSet, OfferingFilterSet
from .forms import (
    AccountForm,
    ApprovalDecisionForm,
    ContactForm,
    CycleOpenForm,
    MilestoneSubmitForm,
    OfferingForm,
    SearchForm,
    SegmentForm,
)
from .jobs import job_start
from .lib.actions import import_page, perform
from .lib.crud import (
    RecordCreateView,
    RecordDetailView,
    RecordHistoryView,
    RecordListView,
    RecordUpdateView,
)
from .lib.memo import memo_scope
from .lib.spreadsheets import export_format, spreadsheet_response
from .models import Account, BackgroundJob, Contact, MarketSegment, Milestone, Offering
from .registry import inbox_for, panels_for
from .tasks import import_accounts, import_contacts, open_cycle

LOOKUP_LIMIT = 20


@require_safe
@permission_required("oe21.view_account", raise_exception=True)
def account_lookup(request):
    """JSON for the account search box of a form: the best 20 accounts for `?q=` (name, NAICS or ZIP)."""
    terms = search.SearchTerms.parse(request.GET.get("q", "")[:search.MAX_LENGTH])
    accounts = search.text_search(Account.objects.all(), ["name", "naics_code", "zip_code"], terms,
                                  contains=["naics_code", "zip_code"], order_by=["name"])[:LOOKUP_LIMIT]
    return JsonResponse({"results": [{"id": a.pk, "text": str(a)} for a in accounts]})


@require_safe
@permission_required("oe21.view_contact", raise_exception=True)
def account_contacts(request, pk):
    """JSON for a contact select that follows the chosen account: that account's contacts."""
    account = get_object_or_404(Account, pk=pk)
    contacts = account.contacts.select_related("account").order_by("name")[:200]
    return JsonResponse({"results": [{"id": c.pk, "text": str(c)} for c in contacts]})


@require_safe
def portal_search(request):
    """`/search/?q=`: accounts, contacts, opportunities, offerings, specifications and complaints
    that match, grouped by kind, best first, each a link (oe21.search)."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    groups = search.search(form.cleaned_data["q"], request.user) if form.is_valid() else []
    return render(request, "oe21/search.html", {"form": form, "groups": groups})


def home(request):
    """The intranet main page: 3.2 Customer Engagement progress, pending approvals, next step —
    of the current cycle, or of a past one picked with the cycle selector (read-only, but a
    milestone still waiting for approval there can be decided)."""
    choice = cycle_choice(request)
    cycle = choice.selected
    # The user's roles, read once: the menu shows them and the panels ask them (no query of their own).
    prefetch_related_objects([request.user], "groups")
    with memo_scope():  # the milestone rules and the inbox share their reads
        overview = selectors.milestone_overview(cycle) if cycle else None
        inbox = inbox_for(request.user, cycle)
    return render(request, "oe21/home.html", {
        "overview": overview, "inbox": inbox, "panels": panels_for("home", request.user),
        "submit_form": MilestoneSubmitForm(),
        "decision_form": ApprovalDecisionForm(),
        "can_submit": request.user.has_perm("oe21.submit_milestone") and choice.editable,
        "can_decide": request.user.has_perm("oe21.decide_milestone"),
        "can_open_cycle": request.user.has_perm("oe21.open_cycle"),
    })


@permission_required("oe21.view_engagementcycle", raise_exception=True)
def cycle_list(request):
    """The engagement cycles, newest first, with how far each got."""
    return render(request, "oe21/cycle_list.html", {
        "cycles": selectors.cycles_with_progress(), "can_open_cycle": request.user.has_perm("oe21.open_cycle")})


@permission_required("oe21.open_cycle", raise_exception=True)
def cycle_open(request):
    """Open the next engagement cycle (in the background: carrying a large Opportunity Manager
    forward takes a while); the form checks the dates and any pending approval first."""
    form = CycleOpenForm(request.POST or None, initial=selectors.next_cycle_suggestion())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = job_start(kind="cycle_open", description=f"Open the engagement cycle {data['name']}",
                        user=request.user, task=open_cycle, parameters={
                            "name": data["name"], "starts_on": data["starts_on"].isoformat(),
                            "ends_on": data["ends_on"].isoformat(), "carry": data["carry"],
                            "confirmed": data["confirmed"]}, back=("the main page", reverse("home")))
        return redirect("job_detail", job.pk)
    return render(request, "oe21/cycle_open.html", {"form": form, "current": selectors.current_cycle()})


@require_POST
@permission_required("oe21.submit_milestone", raise_exception=True)
def milestone_submit(request, pk):
    milestone = get_object_or_404(Milestone, pk=pk)
    form = MilestoneSubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Describe the evidence that the milestone is reached.")
        return redirect("home")
    perform(request, lambda: services.milestone_submit(milestone=milestone, user=request.user,
                                                       evidence=form.cleaned_data["evidence"]),
            f"Milestone {milestone.number} submitted to the LFT chair.")
    return redirect("home")


@require_POST
@permission_required("oe21.decide_milestone", raise_exception=True)
def milestone_decide(request, pk):
    milestone = get_object_or_404(Milestone, pk=pk)
    form = ApprovalDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Milestone {milestone.number}: {error}")
        return redirect("home")
    approve = form.cleaned_data["decision"] == ApprovalDecisionForm.APPROVE
    decide = services.milestone_approve if approve else services.milestone_reject
    perform(request, lambda: decide(milestone=milestone, user=request.user, reason=form.cleaned_data["reason"]),
            f"Milestone {milestone.number} {'approved' if approve else 'rejected'}.")
    return redirect("home")


# Accounts ---------------------------------------------------------------------------------

class AccountListView(RecordListView):
    model = Account
    filterset_class = AccountFilterSet
    template_name = "oe21/account_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("segment__parent", "owner")

    def get_context_data(self, **kwargs):
        return super().get_context_data(by_stage=selectors.accounts_by_stage(self.filterset.qs), **kwargs)


class AccountDetailView(RecordDetailView):
    model = Account
    template_name = "oe21/account_detail.html"

    def get_context_data(self, **kwargs):
        # The task apps add their panels (#17: the account's risk score and its signals).
        return super().get_context_data(stage_history=selectors.lifecycle_history(self.object),
                                         panels=panels_for("account_detail", self.object), **kwargs)

    def get_queryset(self):
        return Account.objects.select_related("segment__parent", "owner").prefetch_related("contacts")


class AccountCreateView(RecordCreateView):
    model, form_class = Account, AccountForm


class AccountUpdateView(RecordUpdateView):
    model, form_class = Account, AccountForm


class AccountHistoryView(RecordHistoryView):
    model = Account


@require_safe
@permission_required("oe21.view_account", raise_exception=True)
def account_timeline(request, pk):
    """Everything about an account in date order, newest first (`oe21.timeline`), the kinds of
    event the reader may see, filtered by kind, a page at a time."""
    account = get_object_or_404(Account, pk=pk)
    kinds = timeline.visible_kinds(request.user)
    asked = request.GET.getlist("kind")
    context = {"account": account, "kinds": kinds}
    try:
        chosen = timeline.chosen_kinds(kinds, asked)
    except ValidationError as unknown:
        return render(request, "oe21/account_timeline.html", {**context, "chosen": set(),
                                                               "error": unknown.messages[0]}, status=400)
    context["chosen"] = {kind.key for kind in chosen} if asked else set()
    page, lines = timeline.timeline_page(account, chosen, request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "oe21/account_timeline.html", {
        **context, "lines": lines, "page_obj": page, "is_paginated": page.has_other_pages(),
        "querystring": querystring.urlencode()})


@permission_required("oe21.view_account", raise_exception=True)
def account_export(request):
    fmt = export_format(request)
    accounts = AccountFilterSet(
        request.GET, queryset=Account.objects.select_related("segment__parent", "owner")
    ).qs
    return spreadsheet_response(basename="accounts", fmt=fmt, headers=ACCOUNT_COLUMNS.sheet,
                                rows=ACCOUNT_COLUMNS.rows(accounts))


@permission_required(["oe21.add_account", "oe21.change_account"], raise_exception=True)
def account_import(request):
    """Upload an account spreadsheet; the import runs as a background job with progress."""
    return import_page(request, task=import_accounts, kind="account_import", title="Import accounts",
                       template="oe21/account_import.html", columns=ACCOUNT_COLUMNS.sheet,
                       back=("the accounts", reverse("account_list")))


@permission_required("oe21.view_contact", raise_exception=True)
def contact_export(request):
    """The contact list as CSV or XLSX, filtered and sorted as on the page."""
    contacts = ContactFilterSet(request.GET, queryset=Contact.objects.select_related("account")).qs
    return spreadsheet_response(basename="contacts", fmt=export_format(request), headers=CONTACT_COLUMNS.sheet,
                                rows=CONTACT_COLUMNS.rows(contacts))


@permission_required(["oe21.add_contact", "oe21.change_contact"], raise_exception=True)
def contact_import(request):
    """Upload a contact spreadsheet (matched by account and name); a background job, all or nothing."""
    return import_page(request, task=import_contacts, kind="contact_import", title="Import contacts",
                       template="oe21/account_import.html", columns=CONTACT_COLUMNS.sheet,
                       back=("the contacts", reverse("contact_list")))


# Market segments and customer groups: the CFT's own set-up --------------------------------------

class SegmentListView(RecordListView):
    """Market segments, each with its customer groups and how many accounts are in them."""

    model = MarketSegment
    template_name = "oe21/segment_list.html"

    def get_queryset(self):
        accounts = Count("accounts", distinct=True)
        return (MarketSegment.objects.filter(parent__isnull=True).annotate(n_accounts=accounts)
                .prefetch_related(Prefetch("groups", MarketSegment.objects.annotate(n_accounts=accounts)
                                           .order_by("name")))
                .order_by("-is_active", "name"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_delete=self.request.user.has_perm("oe21.delete_marketsegment"), **kwargs)


class SegmentCreateView(RecordCreateView):
    model, form_class = MarketSegment, SegmentForm

    def get_initial(self):
        return {"parent": self.request.GET.get("parent")}


class SegmentUpdateView(RecordUpdateView):
    model, form_class = MarketSegment, SegmentForm


class SegmentHistoryView(RecordHistoryView):
    model = MarketSegment


@require_POST
@permission_required("oe21.delete_marketsegment", raise_exception=True)
def segment_delete(request, pk):
    segment = get_object_or_404(MarketSegment.objects.select_related("parent"), pk=pk)
    name = str(segment)
    perform(request, lambda: services.segment_delete(segment=segment, user=request.user), f"“{name}” deleted.")
    return redirect("segment_list")


# Contacts and offerings ---------------------------------------------------------------------

class ContactListView(RecordListView):
    model = Contact
    filterset_class = ContactFilterSet
    template_name = "oe21/contact_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("account")


class ContactDetailView(RecordDetailView):
    model = Contact
    template_name = "oe21/contact_detail.html"


class ContactCreateView(RecordCreateView):
    model, form_class = Contact, ContactForm

    def get_initial(self):
        return {"account": self.request.GET.get("account")}


class ContactUpdateView(RecordUpdateView):
    model, form_class = Contact, ContactForm


class ContactHistoryView(RecordHistoryView):
    model = Contact


class OfferingListView(RecordListView):
    model = Offering
    filterset_class = OfferingFilterSet
    template_name = "oe21/offering_list.html"


class OfferingDetailView(RecordDetailView):
    model = Offering
    template_name = "oe21/offering_detail.html"

    def get_context_data(self, **kwargs):
        # The task apps add their panels (Task 3.2.5: the offering's documents).
        return super().get_context_data(panels=panels_for("offering_detail", self.object), **kwargs)


class OfferingCreateView(RecordCreateView):
    model, form_class = Offering, OfferingForm


class OfferingUpdateView(RecordUpdateView):
    model, form_class = Offering, OfferingForm


class OfferingHistoryView(RecordHistoryView):
    model = Offering


# Background jobs and audit ----------------------------------------------------------------

def _job_for_user(user, pk) -> BackgroundJob:
    """A job is visible to whoever started it and to admins; others get 404."""
    job = get_object_or_404(BackgroundJob.objects.select_related("started_by"), pk=pk)
    if job.started_by_id != user.pk and not user.is_superuser:
        raise Http404
    return job


def job_detail(request, pk):
    return render(request, "oe21/job_detail.html", {"job": _job_for_user(request.user, pk)})


def job_status(request, pk):
    job = _job_for_user(request.user, pk)
    return JsonResponse({
        "id": job.pk, "state": job.state, "state_display": job.get_state_display(),
        "progress": job.progress, "message": job.message, "finished": job.is_finished,
        "error": job.error, "result": job.result,
    })


@permission_required("oe21.view_account", raise_exception=True)
def audit_report_view(request):
    models = {m._meta.label_lower: m._meta.verbose_name.capitalize() for m in audited_models()}
    users = get_user_model().objects.order_by("username")
    user_id = request.GET.get("user") or None
    if user_id and not str(user_id).isdigit():
        user_id = None
    kind = request.GET.get("kind", "")
    since = parse_date(request.GET.get("since", "") or "")
    until = parse_date(request.GET.get("until", "") or "")
    page, entries = audit_report(user_id=user_id, model_label=kind if kind in models else "",
                                 since=since, until=until, page_number=request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "oe21/audit_report.html", {
        "entries": entries, "models": models, "users": users, "page_obj": page,
        "is_paginated": page.has_other_pages(), "querystring": querystring.urlencode(),
        "selected": {"user": user_id, "kind": kind, "since": since, "until": until},
    })


def server_error(request):
    """The 500 page in the portal's layout, with the menu when it can be drawn; the plain one when
    even that fails (e.g. the database is down, which the menu reads)."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        return HttpResponseServerError("<h1>Something went wrong on our side</h1><p>The error was logged. "
                                       "<a href=\"/\">Go to the main page</a>.</p>")
