"""Pages of Tasks 3.2.4–3.2.7."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from oe21.cycles import cycle_choice
from oe21.forms import ApprovalDecisionForm
from oe21.lib.actions import form_error_messages, form_submitted, import_page, perform, post_form
from oe21.lib.uploads import protected_file_response
from oe21.models import Offering
from oe21.selectors import current_cycle_or_404
from oe21.services import action_item_leave_out_of_plan

from . import selectors, services
from .choices import SPEC_INPUTS, PlanTaskStatus
from .exports import COST_COLUMNS
from .forms import (
    CompetitorComparisonForm,
    CostForm,
    DecisionForm,
    DistributionForm,
    DocumentUploadForm,
    PlanStatusForm,
    PlanTaskForm,
    SpecForm,
)
from .models import ActionPlanTask, OfferingCost, OfferingDocument, RequirementSpec
from .tasks import import_costs


@permission_required("requirements_specs.view_requirementspec", raise_exception=True)
def index(request):
    """Tasks 3.2.4–3.2.5 overview: each offering's specification and documents, and what milestone 5
    still needs in the cycle shown."""
    choice = cycle_choice(request)
    return render(request, "requirements_specs/index.html", {
        "rows": selectors.offerings_with_latest_spec(), "cycle": choice.selected, "editable": choice.editable,
        "missing": selectors.offerings_missing_information(choice.selected) if choice.selected else []})


@require_POST
@permission_required("requirements_specs.approve_requirementspec", raise_exception=True)
def offering_reconfirm(request, offering_pk):
    """Milestone 5: the approved specification and documents stand unchanged this cycle."""
    offering = get_object_or_404(Offering, pk=offering_pk)
    perform(request, lambda: services.offering_reconfirm(offering=offering, cycle=current_cycle_or_404(),
                                                         user=request.user, note=request.POST.get("note", "")),
            f"{offering}: reviewed, no change — recorded for this cycle.")
    return redirect("requirements_specs:index")


# Requirements specifications (3.2.4) ----------------------------------------------------

@permission_required("requirements_specs.view_requirementspec", raise_exception=True)
def spec_list(request, offering_pk):
    offering = get_object_or_404(Offering, pk=offering_pk)
    return render(request, "requirements_specs/spec_list.html",
                  {"offering": offering, "versions": selectors.spec_versions(offering)})


@permission_required("requirements_specs.add_requirementspec", raise_exception=True)
def spec_create(request, offering_pk):
    offering = get_object_or_404(Offering, pk=offering_pk)
    latest = RequirementSpec.objects.filter(offering=offering).order_by("-version").first()
    form = SpecForm(request.POST or None, instance=RequirementSpec() if request.POST else latest)
    spec = form_submitted(request, form, lambda data: services.spec_save(offering=offering, data=data,
                                                                         user=request.user))
    if spec:
        messages.success(request, f"Saved as version {spec.version} (draft).")
        return redirect(spec)
    return render(request, "requirements_specs/spec_form.html", {"form": form, "offering": offering,
                                                                 "latest": latest})


@permission_required("requirements_specs.view_requirementspec", raise_exception=True)
def spec_detail(request, pk):
    spec = get_object_or_404(RequirementSpec.objects.select_related("offering", "created_by", "approved_by"), pk=pk)
    previous = selectors.previous_version(spec)
    return render(request, "requirements_specs/spec_detail.html", {
        "spec": spec, "previous": previous, "changes": selectors.spec_diff(previous, spec) if previous else [],
        "fields": [(f"({letter}) {label}", getattr(spec, field)) for field, letter, label in SPEC_INPUTS],
        "voc": spec.voc_snapshot if spec.voice_frozen else selectors.voice_of_customer(spec.offering),
    })


@require_POST
@permission_required("requirements_specs.change_requirementspec", raise_exception=True)
def spec_submit(request, pk):
    spec = get_object_or_404(RequirementSpec, pk=pk)
    perform(request, lambda: services.spec_submit(spec=spec, user=request.user),
            f"Version {spec.version} sent for review.")
    return redirect(spec)


@require_POST
@permission_required("requirements_specs.approve_requirementspec", raise_exception=True)
def spec_approve(request, pk):
    spec = get_object_or_404(RequirementSpec, pk=pk)
    perform(request, lambda: services.spec_approve(spec=spec, user=request.user), f"Version {spec.version} approved.")
    return redirect(spec)


# Offering documents (3.2.5) ------------------------------------------------------------

@permission_required("requirements_specs.view_offeringdocument", raise_exception=True)
def documents(request, offering_pk):
    offering = get_object_or_404(Offering, pk=offering_pk)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.user.has_perm("requirements_specs.add_offeringdocument"):
            raise PermissionDenied
        def upload(data):
            return services.document_upload(offering=offering, kind=data["kind"], upload=data["file"],
                                            user=request.user)

        if form_submitted(request, form, upload, lambda document: f"Uploaded {document}."):
            return redirect("requirements_specs:documents", offering_pk=offering.pk)
    return render(request, "requirements_specs/documents.html", {
        "offering": offering, "form": form,
        "current": [(d, DistributionForm(prefix=f"d{d.pk}")) for d in selectors.current_documents(offering)],
        "all_versions": OfferingDocument.objects.filter(offering=offering).select_related("uploaded_by"),
        "max_mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)})


@permission_required("requirements_specs.view_offeringdocument", raise_exception=True)
def document_download(request, pk):
    """Protected files: only signed-in users with read rights get the bytes."""
    document = get_object_or_404(OfferingDocument, pk=pk)
    return protected_file_response(document.file, document.original_name)


@permission_required("requirements_specs.view_competitorcomparison", raise_exception=True)
def competitors(request, offering_pk):
    """The offering's competitive position against named competitors, with price and performance notes."""
    offering = get_object_or_404(Offering, pk=offering_pk)
    form = CompetitorComparisonForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("requirements_specs.add_competitorcomparison"):
            raise PermissionDenied
        if form_submitted(request, form, lambda data: services.competitor_comparison_save(
                offering=offering, data=data, user=request.user), lambda saved: f"Saved: {saved}."):
            return redirect("requirements_specs:competitors", offering_pk=offering.pk)
    return render(request, "requirements_specs/competitors.html", {
        "offering": offering, "form": form,
        "comparisons": offering.competitor_comparisons.select_related("recorded_by")})


@require_POST
@permission_required("requirements_specs.change_offeringdocument", raise_exception=True)
def document_distribute(request, pk):
    document = get_object_or_404(OfferingDocument, pk=pk)
    form = DistributionForm(request.POST, prefix=f"d{document.pk}")
    post_form(request, form, lambda data: services.document_distribute(
        document=document, teams=data["teams"], accounts=[data["account"]] if data.get("account") else [],
        user=request.user), f"{document} distributed.")
    return redirect("requirements_specs:documents", offering_pk=document.offering_id)


# Costs, value contribution and decisions (3.2.6) -----------------------------------------

@permission_required("requirements_specs.view_offeringcost", raise_exception=True)
def portfolio(request):
    """Task 3.2.6 over the cycle shown (the selector in the menu bar): the totals milestone 6 uses."""
    cycle = cycle_choice(request).selected
    rows = selectors.portfolio(period_from=cycle.starts_on, period_to=cycle.ends_on) if cycle else selectors.portfolio()
    return render(request, "requirements_specs/portfolio.html", {
        "rows": rows, "cycle": cycle, "chart": selectors.portfolio_chart(rows),
        "threshold": selectors.margin_threshold(),
        "decision_form": DecisionForm(),
        "costs": OfferingCost.objects.select_related("offering").order_by("-period", "offering__name")[:100]})


@permission_required("requirements_specs.add_offeringcost", raise_exception=True)
def cost_create(request):
    form = CostForm(request.POST or None, initial={"offering": request.GET.get("offering")})
    if form_submitted(request, form, lambda data: services.cost_save(data=data, user=request.user),
                      "Figures saved."):
        return redirect("requirements_specs:portfolio")
    return render(request, "requirements_specs/cost_form.html", {"form": form})


@permission_required("requirements_specs.add_offeringcost", raise_exception=True)
def costs_import(request):
    return import_page(request, task=import_costs, kind="costs_import", title="Import costs",
                       template="requirements_specs/costs_import.html", columns=COST_COLUMNS.sheet,
                       back=("the portfolio", reverse("requirements_specs:portfolio")))


@require_POST
@permission_required("requirements_specs.decide_offering", raise_exception=True)
def offering_decide(request, offering_pk):
    offering = get_object_or_404(Offering, pk=offering_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a decision and give its reason.")
        return redirect("requirements_specs:portfolio")
    perform(request, lambda: services.offering_decide(offering=offering, user=request.user, **form.cleaned_data),
            f"Decision on {offering} recorded.")
    return redirect("requirements_specs:portfolio")


# Customer Excellence Action Plan (3.2.7) ---------------------------------------------------

@permission_required("requirements_specs.view_actionplantask", raise_exception=True)
def plan(request):
    form = PlanTaskForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("requirements_specs.add_actionplantask"):
            raise PermissionDenied
        if form_submitted(request, form, lambda data: services.plan_task_propose(data=data, user=request.user),
                          "Task proposed; it counts once the LFT chair approves it."):
            return redirect("requirements_specs:plan")
    tasks = selectors.plan_tasks()
    return render(request, "requirements_specs/plan.html", {
        "tasks": tasks, "form": form, "budget": selectors.budget_by_status(tasks),
        "timeline": selectors.plan_timeline(tasks), "status_form": PlanStatusForm(),
        "candidates": selectors.plan_candidates(),
        "proposed": PlanTaskStatus.PROPOSED})


@permission_required("requirements_specs.change_actionplantask", raise_exception=True)
def plan_task_edit(request, pk):
    """Edit a proposed task (resources, start, schedule, budget) until the LFT chair approves it."""
    task = get_object_or_404(ActionPlanTask, pk=pk)
    form = PlanTaskForm(request.POST or None, instance=ActionPlanTask.objects.get(pk=pk))
    if form_submitted(request, form, lambda data: services.plan_task_update(
            task=task, data=data, user=request.user, version=form.pop_version()),
                      "Task saved."):
        return redirect(reverse("requirements_specs:plan") + f"#task-{task.pk}")
    return render(request, "requirements_specs/plan_task_form.html", {"form": form, "task": task})


@require_POST
@permission_required("requirements_specs.add_actionplantask", raise_exception=True)
def plan_propose_item(request, source, item_pk):
    """Propose an assessment's or opportunity's action-plan item, or a review's follow-up task."""
    item = _waiting_item(source, item_pk)
    perform(request, lambda: services.plan_task_propose(source_item=item, user=request.user, data={
        "description": item_description(item), "owner": item.owner, "due_on": item.due_on}),
        "Proposed for the plan.")
    return redirect("requirements_specs:plan")


@require_POST
@permission_required("requirements_specs.add_actionplantask", raise_exception=True)
def plan_leave_out_item(request, source, item_pk):
    """The CFT reviewed an item of an Action Plan tab and leaves it out of the plan."""
    item = _waiting_item(source, item_pk)
    perform(request, lambda: action_item_leave_out_of_plan(item=item, user=request.user),
            "Reviewed: left out of the plan; it stays on its Action Plan tab.")
    return redirect("requirements_specs:plan")


def _waiting_item(source: str, pk: int):
    """An item of an Action Plan tab that waits for the CFT's review, or 404."""
    candidate = selectors.plan_candidate(source, pk)
    if candidate is None:
        raise Http404("No such item waits for the plan.")
    return candidate.item


def item_description(item) -> str:
    """The item's text, with the account it concerns when it was decided on one."""
    where = getattr(item.source, "account", None)
    return f"{item.description} ({where})" if where else item.description


@require_POST
@permission_required("requirements_specs.approve_actionplantask", raise_exception=True)
def plan_decide(request, pk):
    task = get_object_or_404(ActionPlanTask, pk=pk)
    form = ApprovalDecisionForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
    else:
        perform(request, lambda: services.plan_task_decide(
            task=task, approve=form.cleaned_data["decision"] == form.APPROVE, reason=form.cleaned_data["reason"],
            user=request.user), f"“{task}” decided.")
    return redirect("requirements_specs:plan")


@require_POST
@permission_required("requirements_specs.change_actionplantask", raise_exception=True)
def plan_status(request, pk):
    task = get_object_or_404(ActionPlanTask, pk=pk)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        perform(request, lambda: services.plan_task_update_status(task=task, status=form.cleaned_data["status"],
                                                                  user=request.user))
    else:
        form_error_messages(request, form)
    return redirect("requirements_specs:plan")
