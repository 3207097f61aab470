"""Task 3.2.1 pages: the matrix, the editable grid, an assessment, import and export."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from oe21.audit import with_related_history
from oe21.cycles import cycle_choice, selected_cycle_or_404
from oe21.jobs import job_start
from oe21.lib.actions import import_page, redirect_next
from oe21.lib.forms import add_service_errors
from oe21.lib.spreadsheets import export_format, spreadsheet_response
from oe21.lib.widgets import SharedChoices
from oe21.models import Account, ActionItem, Offering
from oe21.selectors import action_items_of, current_cycle_or_404
from oe21.services import action_item_add as add_action_item

from . import selectors, services
from .exports import matrix_columns
from .forms import (
    ActionPlanItemForm,
    AssessmentGridFormSet,
    AssessmentRowForm,
    GridFilterForm,
    MatrixFilterForm,
    SuccessOverrideForm,
    WeightsVersionForm,
    weight_field_name,
)
from .grid import grid_initial, grid_rows
from .models import Assessment, Rating, WeightsVersion
from .tasks import adopt_weights_job, import_matrix

EDIT = ["prioritization.add_assessment", "prioritization.change_assessment"]
MATRIX_PAGE = 100  # rows of the matrix on one page; statistics and the chart cover every row


def _filtered_matrix(request, cycle, cutoff=None):
    """The filter form, the criteria in use and the filtered matrix (a query ranked by score)."""
    form = MatrixFilterForm(request.GET or None)
    criteria = selectors.criteria_in_use(cycle)
    return form, criteria, selectors.matrix_queryset(cycle, cutoff=cutoff,
                                                     **(form.cleaned_data if form.is_valid() else {}))


@permission_required("prioritization.view_assessment", raise_exception=True)
def matrix(request):
    """Task 3.2.1: the prioritization matrix of the current cycle (or a past one), ranked by score."""
    choice = cycle_choice(request)
    cycle = choice.selected
    if cycle is None:
        return render(request, "prioritization/matrix.html", {"cycle": None})
    cutoff = selectors.high_value_cutoff(cycle)  # read once: the high-value marks and the "to review" filter
    form, criteria, matrix = _filtered_matrix(request, cycle, cutoff)
    page = Paginator(matrix, MATRIX_PAGE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "prioritization/matrix.html", {
        "cycle": cycle, "criteria": criteria, "filter_form": form,
        "rows": selectors.page_rows(criteria, page.object_list, cutoff),
        "weights_kept": selectors.weights_in_use(cycle),
        "page_obj": page, "is_paginated": page.has_other_pages(), "first_rank": page.start_index(),
        "querystring": querystring.urlencode(),
        "can_edit": request.user.has_perms(EDIT) and choice.editable,
    })


@permission_required("prioritization.view_assessment", raise_exception=True)
def matrix_statistics(request):
    """Task 3.2.1's figures over every row of the (filtered) matrix: each offering's estimated
    success, the score distribution by segment and each criterion's statistics. Their own page, so
    the matrix's list of 100 rows does not wait for figures over the whole matrix."""
    choice = cycle_choice(request)
    cycle = choice.selected
    if cycle is None:
        return render(request, "prioritization/matrix_statistics.html", {"cycle": None})
    form, criteria, matrix = _filtered_matrix(request, cycle)
    filters = form.cleaned_data if form.is_valid() else {}
    return render(request, "prioritization/matrix_statistics.html", {
        "cycle": cycle, "criteria": criteria, "filter_form": form,
        "statistics": selectors.matrix_statistics(criteria, matrix),
        "success_by_offering": selectors.success_by_offering(cycle, **filters),
        "chart": selectors.score_distribution_chart(matrix),
        "querystring": request.GET.urlencode(),
    })


@require_safe
@permission_required("prioritization.view_assessment", raise_exception=True)
def calibration(request):
    """#17: does the matrix predict who buys? Each criterion's effect on purchase, with its
    confidence interval, and today's weighted score's ROC AUC beside the fitted weights'."""
    from .calibration import MIN_OUTCOMES, calibrate

    return render(request, "prioritization/calibration.html", {"result": calibrate(), "minimum": MIN_OUTCOMES})


VERSIONS_SHOWN = 20  # the newest weights versions listed on the weights page


@permission_required("prioritization.view_assessment", raise_exception=True)
def weights(request):
    """#17: the criteria's weights, version by version, and (for an admin) a new version — typed,
    or the calibration's suggested weights (`?suggested=1`). Adopting rescores the current cycle;
    the scores of other cycles keep the version they were computed with."""
    criteria = selectors.active_criteria()
    latest = services.latest_weights_version()
    can_adopt = request.user.has_perm("prioritization.adopt_weights")
    form = None
    if request.method == "POST":
        if not can_adopt:
            raise PermissionDenied("Only an admin adopts new weights.")
        form = WeightsVersionForm(request.POST, criteria=criteria)
        if form.is_valid():
            source = request.POST.get("source")
            source = source if source in WeightsVersion.Source.values else WeightsVersion.Source.EDITED
            try:
                checked = services.weights_check(form.weights(), based_on=form.cleaned_data["based_on"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:  # rescoring the current cycle takes seconds at an organisation's size: a job with progress
                job = job_start(kind="prioritization_weights", description="Adopt a new weights version",
                                user=request.user, task=adopt_weights_job, parameters={
                                    "weights": {str(pk): str(w) for pk, w in checked.items()},
                                    "note": form.cleaned_data["note"], "source": source,
                                    "based_on": form.cleaned_data["based_on"]},
                                back=("the weights", reverse("prioritization:weights")))
                return redirect(job)
    elif can_adopt:
        suggested = _suggested_weights(criteria) if request.GET.get("suggested") else {}
        form = WeightsVersionForm(criteria=criteria, initial={
            "based_on": latest.pk if latest else None,
            "note": "Suggested by the calibration" if suggested else "",
            **{weight_field_name(c): suggested.get(c.name, c.weight) for c in criteria}})
    versions = WeightsVersion.objects.select_related("adopted_by").prefetch_related(
        "weights__criterion")[:VERSIONS_SHOWN]
    return render(request, "prioritization/weights.html", {
        "criteria": criteria, "latest": latest, "versions": versions, "form": form,
        "suggested": bool(request.GET.get("suggested")) and request.method != "POST",
        "source": WeightsVersion.Source.CALIBRATION if request.GET.get("suggested") or
        request.POST.get("source") == WeightsVersion.Source.CALIBRATION else WeightsVersion.Source.EDITED,
    })


def _suggested_weights(criteria) -> dict[str, float]:
    from .calibration import calibrate

    return {e.criterion: e.suggested_weight for e in calibrate(criteria).effects}


@permission_required("prioritization.view_assessment", raise_exception=True)
def matrix_export(request):
    fmt = export_format(request)
    cycle = selected_cycle_or_404(request)
    _, criteria, matrix = _filtered_matrix(request, cycle)
    columns = matrix_columns(criteria)
    rows = selectors.page_rows(criteria, matrix.iterator(chunk_size=2000), selectors.high_value_cutoff(cycle))
    return spreadsheet_response(basename=f"prioritization-{cycle.name}", fmt=fmt, headers=columns.sheet,
                                rows=columns.rows(rows))


@permission_required(EDIT, raise_exception=True)
def matrix_import(request):
    cycle = current_cycle_or_404()
    return import_page(request, task=import_matrix, kind="prioritization_import",
                       title="Import the prioritization matrix", template="prioritization/matrix_import.html",
                       columns=matrix_columns(selectors.active_criteria()).sheet, parameters={"cycle_id": cycle.pk},
                       extra={"cycle": cycle}, back=("the prioritization matrix", reverse("prioritization:matrix")))


GRID_PAGE = 50  # existing rows on one page of the grid
GRID_BLANK_ROWS = 50  # at most this many blank rows at once
GRID_ACCOUNT_CHOICES = 200  # accounts offered in a blank row's list; the filters narrow them


@permission_required(EDIT, raise_exception=True)
def grid(request):
    """Enter a matrix for one offering: accounts as rows, criteria as columns, a page at a time.

    The rows already rated come a page at a time; blank rows offer the accounts that match the
    filters and are not rated yet (at most GRID_ACCOUNT_CHOICES). Whatever the data size, the
    page holds at most GRID_PAGE + GRID_BLANK_ROWS rows with bounded lists.
    """
    cycle = current_cycle_or_404()
    offering = Offering.objects.filter(pk=request.GET.get("offering") or 0).first() \
        if str(request.GET.get("offering") or "0").isdigit() else None
    if offering is None:
        return render(request, "prioritization/grid_choose.html",
                      {"cycle": cycle, "offerings": Offering.objects.filter(status="active")})
    criteria = selectors.active_criteria()
    filters = GridFilterForm(request.GET or None)
    accounts = filters.apply(Account.objects.all())
    rated = selectors.assessments_for_matrix(cycle).filter(offering=offering)
    if request.method == "POST":
        formset = AssessmentGridFormSet(request.POST, form_kwargs={
            "criteria": criteria, "account_choices": AssessmentRowForm.account_choices(_posted_accounts(request.POST))})
        if formset.is_valid():
            try:
                posted = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("account")]
                existing = list(rated.filter(Q(pk__in=[d["assessment_id"] for d in posted if d.get("assessment_id")])
                                             | Q(account_id__in=[d["account"] for d in posted])))
                rows = grid_rows(formset, existing, Account.objects.in_bulk([d["account"] for d in posted]))
                counts = services.assessments_save(cycle=cycle, offering=offering, rows=rows,
                                                   user=request.user)
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, f"Saved: {counts['created']} new and {counts['updated']} "
                                          f"changed assessments for {offering}.")
                return redirect(reverse("prioritization:matrix") + f"?offering={offering.pk}")
        page = None
    else:
        page = Paginator(rated.filter(account__in=accounts).order_by("account__name", "pk"),
                         GRID_PAGE).get_page(request.GET.get("page"))
        rated_already = Assessment.objects.filter(account=OuterRef("pk"), cycle=cycle, offering=offering)
        candidates = list(accounts.exclude(Exists(rated_already))
                          .order_by("name").values_list("pk", "name")[:GRID_ACCOUNT_CHOICES + 1])
        formset = AssessmentGridFormSet(initial=grid_initial(page.object_list, criteria),
                                        form_kwargs={"criteria": criteria,
                                                     "account_choices": AssessmentRowForm.account_choices(
                                                         candidates[:GRID_ACCOUNT_CHOICES])})
        rows = request.GET.get("rows", "")
        formset.extra = min(int(rows) if rows.isdigit() else 5, GRID_BLANK_ROWS)  # blank rows may stay empty
        for form, assessment in zip(formset.forms, page.object_list, strict=False):
            # a rated row keeps its account: its list holds that one, not every candidate
            form.fields["account"].choices = SharedChoices([(assessment.account_id, assessment.account.name)])
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "prioritization/grid.html", {
        "cycle": cycle, "offering": offering, "criteria": criteria, "formset": formset, "filter_form": filters,
        "page_obj": page, "is_paginated": bool(page and page.has_other_pages()),
        "querystring": querystring.urlencode(),
        "more_accounts": page is not None and len(candidates) > GRID_ACCOUNT_CHOICES,
        "first_row": page.start_index() if page else 1})


def _posted_accounts(data) -> list[tuple[int, str]]:
    """The accounts a posted grid names (each row's choice is checked against these)."""
    ids = {value for key, value in data.items() if key.endswith("-account") and value.isdigit()}
    return list(Account.objects.filter(pk__in=[int(i) for i in ids][:GRID_PAGE + GRID_BLANK_ROWS])
                .values_list("pk", "name"))


def _assessment(pk):
    return get_object_or_404(Assessment.objects.select_related(
        "account__segment__parent", "offering", "cycle", "reviewed_by", "weights_version__adopted_by"), pk=pk)


@permission_required("prioritization.view_assessment", raise_exception=True)
def assessment_detail(request, pk):
    assessment = _assessment(pk)
    criteria = selectors.criteria_in_use(assessment.cycle)
    row = selectors.score_rows(criteria, [assessment])[0]
    return render(request, "prioritization/assessment_detail.html", {
        "assessment": assessment, "criteria": criteria, "row": row,
        "override_form": SuccessOverrideForm(instance=assessment),
        "item_form": ActionPlanItemForm(),
        "items": assessment.action_items.select_related("owner"),
        "can_edit": request.user.has_perm("prioritization.change_assessment") and assessment.cycle.is_current,
    })


@permission_required("prioritization.view_assessment", raise_exception=True)
def assessment_history(request, pk):
    assessment = _assessment(pk)
    return render(request, "oe21/record_history.html", {
        "object": assessment, "model_meta": Assessment._meta,
        "entries": with_related_history(assessment, (Rating, {"assessment_id": assessment.pk}),
                                        (ActionItem, action_items_of(assessment))),
    })


@require_POST
@permission_required("prioritization.change_assessment", raise_exception=True)
def assessment_override(request, pk):
    assessment = _assessment(pk)
    form = SuccessOverrideForm(request.POST, instance=Assessment.objects.get(pk=pk))
    if form.is_valid():
        services.assessment_override_success(
            assessment=assessment, estimated_success=form.cleaned_data["success_override"],
            reason=form.cleaned_data["override_reason"], user=request.user)
        messages.success(request, "Estimated success updated.")
        return redirect(assessment)
    messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(assessment)


@require_POST
@permission_required("prioritization.change_assessment", raise_exception=True)
def assessments_review(request):
    """Mark the high-value rows shown on the matrix (not reviewed yet) as reviewed, at once."""
    cycle = current_cycle_or_404()
    ids = [int(pk) for pk in request.POST.getlist("assessment") if pk.isascii() and pk.isdigit()]
    marked = services.assessments_mark_reviewed(cycle=cycle, ids=ids, user=request.user)
    if marked:
        messages.success(request, f"{marked} high-value row{'s' if marked != 1 else ''} marked as reviewed.")
    else:
        messages.info(request, "Nothing to mark: the rows shown were reviewed already or are not high-value.")
    return redirect_next(request, "prioritization:matrix")


@require_POST
@permission_required("prioritization.change_assessment", raise_exception=True)
def assessment_review(request, pk):
    assessment = _assessment(pk)
    services.assessment_mark_reviewed(assessment=assessment, user=request.user)
    messages.success(request, f"Assessment of {assessment.account} marked as reviewed.")
    return redirect_next(request, assessment)


@require_POST
@permission_required("oe21.add_actionitem", raise_exception=True)
def action_item_add(request, pk):
    assessment = _assessment(pk)
    form = ActionPlanItemForm(request.POST)
    if form.is_valid():
        add_action_item(source=assessment, user=request.user, **form.cleaned_data)
        messages.success(request, "Task added to the action plan.")
    else:
        messages.error(request, "The task was not added: " + " ".join(
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
    return redirect(assessment)
