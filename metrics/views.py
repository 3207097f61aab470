"""Pages of Tasks 3.2.8–3.2.9: the monthly review, entries, complaints and ratings."""

import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from oe21.audit import record_history
from oe21.cycles import cycle_choice
from oe21.jobs import job_start
from oe21.lib.actions import form_submitted, import_page, paged, perform, redirect_next
from oe21.lib.crud import RecordCreateView, RecordHistoryView, RecordUpdateView
from oe21.lib.forms import add_service_errors, sorted_by
from oe21.lib.months import month_end, months_back
from oe21.models import ActionItem
from oe21.selectors import current_cycle
from oe21.services import action_item_close

from . import selectors, services
from .exports import ENTRY_COLUMNS, RATING_COLUMNS
from .forms import (
    BusinessCaseForm,
    ComplaintForm,
    DashboardForm,
    EntryForm,
    FollowUpFormSet,
    IntendedOutcomeForm,
    MeasureForm,
    RatingForm,
    ReviewMeetingForm,
)
from .models import AccountRisk, Complaint, CustomerRating, IntendedOutcome, Measure
from .moments import moments_of_truth
from .tasks import import_entries, import_ratings, recompute_measures_job, refresh_risk_job


def _review_context(request):
    default_month = selectors.default_review_month()
    form = DashboardForm(request.GET or None, initial={"month": f"{default_month:%Y-%m}", "months": 12})
    data = form.cleaned_data if form.is_valid() else {}
    month = data.get("month") or default_month
    months = data.get("months") or 12
    result = selectors.review(month=month, months=months, offering=data.get("offering"), segment=data.get("segment"))
    moments = moments_of_truth(start=months_back(month, months)[0], end=month_end(result.month),
                               offering=data.get("offering"), segment=data.get("segment"))
    return {"filter_form": form, "review": result,
            "charts": [t.chart_data() for t in result.trends],
            "heatmap": selectors.correlation_heatmap(result), "moments": moments}


@permission_required("metrics.view_measure", raise_exception=True)
def dashboard(request):
    """Task 3.2.9: the monthly review of the KRI/KRD measures."""
    context = _review_context(request)
    month = context["review"].month
    meeting_form = ReviewMeetingForm(request.POST or None)
    follow_ups = FollowUpFormSet(request.POST or None, prefix="follow")
    if request.method == "POST":
        if not request.user.has_perm("metrics.add_reviewmeeting"):
            raise PermissionDenied
        cycle = current_cycle()
        if cycle and meeting_form.is_valid() and follow_ups.is_valid():
            tasks = [f.cleaned_data for f in follow_ups if f.cleaned_data.get("description")]
            try:
                services.review_record(cycle=cycle, month=month, user=request.user, follow_ups=tasks,
                                       **meeting_form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(meeting_form, exc)
            else:
                messages.success(request, f"The review of {month:%B %Y} is recorded.")
                return redirect(request.get_full_path())
    return render(request, "metrics/dashboard.html", {
        **context, "meeting_form": meeting_form, "follow_ups": follow_ups,
        "open_follow_ups": selectors.open_follow_ups(month), "task_effects": selectors.task_effects(month),
        "can_close": request.user.has_perm("oe21.change_actionitem"),
        "querystring": request.GET.urlencode()})


@permission_required("metrics.view_intendedoutcome", raise_exception=True)
def outcome_list(request):
    """The cycle's key intended outcomes (KIO), each with the KRIs that show it; the CFT adds them."""
    choice = cycle_choice(request)
    cycle = choice.selected
    form = IntendedOutcomeForm(request.POST or None)
    if request.method == "POST":
        if not (choice.editable and request.user.has_perm("metrics.add_intendedoutcome")):
            raise PermissionDenied
        if form_submitted(request, form, lambda data: services.intended_outcome_save(
                cycle=cycle, data=data, user=request.user), "Outcome saved."):
            return redirect("metrics:outcome_list")
    return render(request, "metrics/outcome_list.html", {
        "cycle": cycle, "form": form, "editable": choice.editable,
        "outcomes": selectors.intended_outcomes(cycle) if cycle else []})


@permission_required("metrics.change_intendedoutcome", raise_exception=True)
def outcome_edit(request, pk):
    outcome = get_object_or_404(IntendedOutcome.objects.select_related("cycle"), pk=pk)
    form = IntendedOutcomeForm(request.POST or None, instance=IntendedOutcome.objects.get(pk=pk))
    if form_submitted(request, form, lambda data: services.intended_outcome_save(
            cycle=outcome.cycle, data=data, user=request.user, outcome=outcome, version=form.pop_version()),
            "Outcome saved."):
        return redirect(outcome)
    return render(request, "oe21/record_form.html", {"form": form, "object": outcome,
                                                     "model_meta": IntendedOutcome._meta})


class OutcomeHistoryView(RecordHistoryView):
    model = IntendedOutcome


@require_POST
@permission_required("oe21.change_actionitem", raise_exception=True)
def follow_up_close(request, pk):
    """Close a follow-up task from the review page (done, or cancelled)."""
    item = get_object_or_404(ActionItem, pk=pk)
    status = request.POST.get("status", "done")
    perform(request, lambda: action_item_close(item=item, user=request.user, status=status),
            f"“{item.description}” closed.")
    return redirect_next(request, "metrics:dashboard")


@permission_required("metrics.view_measure", raise_exception=True)
def review_print(request):
    """The month's review as a printable page."""
    return render(request, "metrics/review_print.html", _review_context(request))


@require_POST
@permission_required("metrics.change_measureentry", raise_exception=True)
def recompute(request):
    job = job_start(kind="metrics_recompute", description="Recompute the computed measures",
                    user=request.user, task=recompute_measures_job,
                    back=("the monthly review", reverse("metrics:dashboard")))
    return redirect(job)


MEASURE_SORTS = {"kind": ["kind", "name"], "name": ["name"], "owner": ["owner__first_name", "owner__last_name"],
                 "source": ["source", "name"]}


@permission_required("metrics.view_measure", raise_exception=True)
def measure_list(request):
    """Task 3.2.8's measures as the CFT sets them up: which are selected for the review, targets,
    direction and owners (edit, History)."""
    return render(request, "metrics/measure_list.html", {
        "measures": sorted_by(request, Measure.objects.select_related("owner"), MEASURE_SORTS),
        "can_add": request.user.has_perm("metrics.add_measure"),
        "can_change": request.user.has_perm("metrics.change_measure")})


class MeasureCreateView(RecordCreateView):
    model, form_class = Measure, MeasureForm


class MeasureUpdateView(RecordUpdateView):
    model, form_class = Measure, MeasureForm


class MeasureHistoryView(RecordHistoryView):
    model = Measure


@require_POST
@permission_required("metrics.change_measure", raise_exception=True)
def measure_select(request, pk):
    """Select a measure for the monthly review, or take it out."""
    measure = get_object_or_404(Measure, pk=pk)
    perform(request, lambda: services.measure_select(measure=measure, selected=request.POST.get("selected") == "1",
                                                     user=request.user),
            f"{measure} is {'now' if request.POST.get('selected') == '1' else 'no longer'} in the monthly review.")
    return redirect(measure)


@permission_required("metrics.add_measureentry", raise_exception=True)
def entry_create(request):
    initial = {"period": f"{selectors.default_review_month():%Y-%m}"}
    if request.GET.get("measure", "").isascii() and request.GET.get("measure", "").isdigit():
        initial["measure"] = request.GET["measure"]  # a link from milestone 7's missing values
    if re.fullmatch(r"\d{4}-\d{2}", request.GET.get("period", "")):
        initial["period"] = request.GET["period"]
    form = EntryForm(request.POST or None, initial=initial)
    entry = form_submitted(request, form, lambda data: services.entry_save(user=request.user, **data))
    if entry:
        messages.success(request, f"Saved {entry}.")
        return redirect(reverse("metrics:dashboard") + f"?month={entry.period:%Y-%m}")
    return render(request, "metrics/entry_form.html", {"form": form})


@permission_required("metrics.add_measureentry", raise_exception=True)
def entries_import(request):
    return import_page(request, task=import_entries, kind="entries_import", title="Import measure values",
                       template="metrics/import.html", columns=ENTRY_COLUMNS.sheet,
                       back=("the measures", reverse("metrics:measure_list")), extra={
                           "description": "One row per measure and month (YYYY-MM); offering or segment only "
                                          "for measures broken down so. Computed measures are not imported."})


@permission_required("metrics.add_customerrating", raise_exception=True)
def ratings_import(request):
    return import_page(request, task=import_ratings, kind="ratings_import", title="Import customer ratings",
                       template="metrics/import.html", columns=RATING_COLUMNS.sheet,
                       back=("the customer ratings", reverse("metrics:rating_list")), extra={
                           "description": "One row per rating: date (YYYY-MM-DD), account, offering, 1–5, comment."})


@permission_required("metrics.view_reviewmeeting", raise_exception=True)
def review_log(request):
    """Every monthly review of the cycle, months without one (or without a quorum) flagged."""
    cycle = cycle_choice(request).selected
    rows, needed = selectors.review_log(cycle) if cycle else ([], 0)
    return render(request, "metrics/review_log.html", {"cycle": cycle, "rows": rows, "quorum": needed})


COMPLAINT_PAGE = 50  # complaints listed on one page; the figures above cover them all


COMPLAINT_SORTS = {"received": ["received_on"], "account": ["account__name"], "offering": ["offering__name"],
                   "category": ["category"], "severity": ["severity"], "resolved": ["resolved_on"]}


@permission_required("metrics.view_complaint", raise_exception=True)
def complaint_list(request):
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    complaints = selectors.complaints_filtered(offering=data.get("offering"), segment=data.get("segment"))
    figures = selectors.complaint_figures(complaints)
    complaints = sorted_by(request, complaints, COMPLAINT_SORTS)
    pages = paged(request, complaints, COMPLAINT_PAGE)
    return render(request, "metrics/complaint_list.html", {
        **pages, "complaints": pages["page_obj"].object_list, "figures": figures,
        "pareto": selectors.pareto_chart(figures), "filter_form": form})


@permission_required("metrics.add_complaint", raise_exception=True)
def complaint_create(request):
    return _complaint_form(request, None)


@permission_required("metrics.change_complaint", raise_exception=True)
def complaint_edit(request, pk):
    return _complaint_form(request, get_object_or_404(Complaint, pk=pk))


def _complaint_form(request, complaint):
    form = ComplaintForm(request.POST or None, instance=Complaint.objects.get(pk=complaint.pk) if complaint else None)
    if form_submitted(request, form, lambda data: services.complaint_save(
            data=data, user=request.user, complaint=complaint, version=form.pop_version()), "Complaint saved."):
        return redirect("metrics:complaint_list")
    return render(request, "metrics/complaint_form.html", {"form": form, "complaint": complaint})


@permission_required("metrics.view_complaint", raise_exception=True)
def complaint_history(request, pk):
    complaint = get_object_or_404(Complaint, pk=pk)
    return render(request, "oe21/record_history.html", {
        "object": complaint, "model_meta": Complaint._meta, "entries": record_history(complaint)})


RATING_PAGE = 50
RATING_SORTS = {"date": ["rated_on"], "account": ["account__name"], "offering": ["offering__name"],
                "rating": ["value"]}


@permission_required("metrics.view_customerrating", raise_exception=True)
def rating_list(request):
    """Customer ratings, 50 a page, sortable; the means by offering cover them all."""
    ratings = CustomerRating.objects.select_related("account", "offering", "contact")
    ratings_sorted = sorted_by(request, ratings.order_by("-rated_on", "-pk"), RATING_SORTS)
    pages = paged(request, ratings_sorted, RATING_PAGE)
    return render(request, "metrics/rating_list.html", {
        **pages, "ratings": pages["page_obj"].object_list, "by_offering": selectors.ratings_by_offering(ratings)})


@permission_required("metrics.add_customerrating", raise_exception=True)
def rating_create(request):
    form = RatingForm(request.POST or None, initial={"rated_on": datetime.date.today()})
    if form_submitted(request, form, lambda data: services.rating_save(data=data, user=request.user),
                      "Rating saved."):
        return redirect("metrics:rating_list")
    return render(request, "metrics/rating_form.html", {"form": form})


AT_RISK_PAGE = 50


@require_safe
@permission_required("metrics.view_accountrisk", raise_exception=True)
def at_risk(request):
    """#17: every account with a warning signal, highest risk first, with its signals; those at or
    above the organisation's threshold are marked (the rule is on the page)."""
    from .risk import SIGNALS

    risks = AccountRisk.objects.select_related("account__segment__parent")
    only_at_risk = request.GET.get("all") != "1"
    if only_at_risk:
        risks = risks.filter(at_risk_since__isnull=False)
    pages = paged(request, risks.order_by("-score", "account__name", "account_id"), AT_RISK_PAGE)
    return render(request, "metrics/at_risk.html", {
        **pages, "risks": pages["page_obj"].object_list, "signals": SIGNALS, "only_at_risk": only_at_risk,
        "threshold": services.risk_threshold(),
        "can_refresh": request.user.has_perm("metrics.change_measureentry")})


@require_POST
@permission_required("metrics.change_measureentry", raise_exception=True)
def at_risk_refresh(request):
    job = job_start(kind="metrics_risk", description="Recompute the accounts' risk scores", user=request.user,
                    task=refresh_risk_job, back=("the accounts at risk", reverse("metrics:at_risk")))
    return redirect(job)


@require_safe
@permission_required("metrics.view_measure", raise_exception=True)
def business_case(request):
    """#17 (seed 004): revenue per account, repeat purchases and share of wallet of fully engaged
    customers against the others, by segment, over the twelve months ending with a month (this one,
    to today, unless another is picked)."""
    from .business_case import business_case as compute

    form = BusinessCaseForm(request.GET or None)
    month = (form.cleaned_data.get("month") if form.is_valid() else None) or datetime.date.today().replace(day=1)
    return render(request, "metrics/business_case.html", {"form": form, "case": compute(month)})
