"""Pages of Tasks 3.2.2–3.2.3: campaigns, stored texts, the Opportunity Manager and roll-ups."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oe21.audit import with_related_history
from oe21.cycles import cycle_choice, selected_cycle_or_404
from oe21.lib.actions import form_submitted, import_page, paged, perform, post_form, redirect_next
from oe21.lib.forms import add_service_errors
from oe21.lib.spreadsheets import export_format, spreadsheet_response
from oe21.lib.uploads import protected_file_response
from oe21.models import MarketSegment
from oe21.selectors import current_cycle_or_404
from oe21.services import action_item_add as add_action_item

from . import access, selectors, services
from .choices import COUNT_NAMES, ENGAGEMENT_STEPS, STATUSES_NEEDING_REASON, Status, StatusReason
from .exports import OPPORTUNITY_COLUMNS
from .forms import (
    ActionItemForm,
    CampaignCreateForm,
    CampaignItemForm,
    CampaignTargetForm,
    CommentForm,
    EngagementTextForm,
    OpportunityCreateForm,
    OpportunityFilterForm,
    OpportunityForm,
    OpportunityListForm,
    ProposalForm,
    ProposalOutcomeForm,
    StatusChangeForm,
    StepsForm,
    TouchForm,
)
from .models import Campaign, CampaignItem, CampaignTarget, Comment, EngagementText, Opportunity, Proposal, Touch
from .tasks import import_opportunities

VIEW = access.VIEW


def get_opportunity_for_user(user, pk, *, write=False) -> Opportunity:
    """An opportunity the user may read; with write=True, one they may also change: their own,
    or any for the LFT chair. Others get 403."""
    if not access.can_read(user):
        raise PermissionDenied
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("salesperson", "offering", "account__segment__parent",
                                           "contact", "cycle"), pk=pk)
    if write:
        access.check_can_change(user, opportunity)
    return opportunity


# Campaigns (Task 3.2.2) -----------------------------------------------------------------

@permission_required("opportunities.view_campaign", raise_exception=True)
def campaign_list(request):
    choice = cycle_choice(request)
    cycle = choice.selected
    form = CampaignCreateForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("opportunities.add_campaign"):
            raise PermissionDenied
        if cycle and form.is_valid():
            try:
                campaign = services.campaign_create(cycle=cycle, segment=form.cleaned_data["segment"],
                                                    user=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(campaign)
    return render(request, "opportunities/campaign_list.html", {
        "cycle": cycle, "form": form, "editable": choice.editable,
        "campaigns": selectors.campaigns_with_progress(cycle) if cycle else [],
    })


@permission_required("opportunities.view_campaign", raise_exception=True)
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("segment", "cycle"), pk=pk)
    return render(request, "opportunities/campaign_detail.html", {
        "campaign": campaign, "phases": selectors.campaign_phases(campaign),
        "texts": selectors.current_texts(campaign.segment),
        "today": timezone.localdate(),
    })


@permission_required("opportunities.view_campaign", raise_exception=True)
def campaign_targets(request, pk):
    """T1's target accounts and T4's contact list of a campaign; the CFT takes the targets from
    the matrix's high-value rows, adds others, chooses whom to reach, removes one."""
    campaign = get_object_or_404(Campaign.objects.select_related("segment", "cycle"), pk=pk)
    editable = campaign.cycle.is_current and request.user.has_perm("opportunities.add_campaigntarget")
    form = CampaignTargetForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if "from_matrix" in request.POST:
            added = []
            if perform(request, lambda: added.append(
                    services.campaign_targets_from_matrix(campaign=campaign, user=request.user))):
                messages.success(request, f"{added[0]} high-value account{'s' if added[0] != 1 else ''} of the "
                                          "matrix added as targets." if added[0] else
                                 "Every high-value account of this segment in the matrix is a target already.")
            return redirect("opportunities:campaign_targets", pk)
        if form_submitted(request, form, lambda data: services.campaign_target_save(
                campaign=campaign, user=request.user, **data), lambda target: f"{target.account} saved as a target."):
            return redirect("opportunities:campaign_targets", pk)
    not_engaged = request.GET.get("not_engaged") == "on"
    return render(request, "opportunities/campaign_targets.html", {
        "campaign": campaign, "form": form, "editable": editable, "not_engaged": not_engaged,
        **paged(request, selectors.campaign_targets(campaign, not_engaged=not_engaged), 50),
    })


@require_POST
@permission_required("opportunities.delete_campaigntarget", raise_exception=True)
def campaign_target_remove(request, pk):
    target = get_object_or_404(CampaignTarget.objects.select_related("campaign__cycle", "account"), pk=pk)
    perform(request, lambda: services.campaign_target_remove(target=target),
            f"{target.account} is no longer a target of the campaign.")
    return redirect("opportunities:campaign_targets", target.campaign_id)


@permission_required("opportunities.view_campaign", raise_exception=True)
def campaign_item_attachment(request, pk):
    """A campaign item's attachment: served by the portal to signed-in readers only."""
    item = get_object_or_404(CampaignItem.objects.exclude(attachment=""), pk=pk)
    return protected_file_response(item.attachment, item.attachment.name.rsplit("/", 1)[-1])


@permission_required("opportunities.change_campaignitem", raise_exception=True)
def campaign_item_edit(request, pk):
    item = get_object_or_404(CampaignItem.objects.select_related("campaign__segment"), pk=pk)
    form = CampaignItemForm(request.POST or None, request.FILES or None,
                            instance=CampaignItem.objects.get(pk=pk))
    if form_submitted(request, form, lambda data: services.campaign_item_update(
            item=item, data=data, version=form.pop_version()),
                      f"{item.code} {item.title} saved."):
        return redirect(item.campaign)
    return render(request, "opportunities/campaign_item_form.html", {"item": item, "form": form})


# Stored texts: value propositions and touch content ----------------------------------------

def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 18


@permission_required("opportunities.add_engagementtext", raise_exception=True)
def text_create(request):
    initial = {k: request.GET.get(k).strip() for k in ("segment", "kind", "touch_number", "medium")
               if (request.GET.get(k) or "").strip()}
    if not _is_id(initial.get("segment", "")) or not _is_id(initial.get("touch_number", "0")):
        initial.pop("segment", None)  # a link from a campaign page carries ids; anything else starts blank
        initial.pop("touch_number", None)
    if "segment" in initial:
        latest = EngagementText.objects.filter(
            segment_id=initial["segment"], kind=initial.get("kind", ""),
            touch_number=initial.get("touch_number") or 0, medium=initial.get("medium", "")
        ).order_by("-version").first()
        if latest:
            initial["body"] = latest.body
    form = EngagementTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = services.engagement_text_save(user=request.user, **data)
        messages.success(request, f"Saved {text}.")
        campaign = Campaign.objects.filter(segment__in=[text.segment_id, text.segment.parent_id]).first()
        return redirect(campaign or "opportunities:campaign_list")
    return render(request, "opportunities/text_form.html", {"form": form})


@permission_required("opportunities.view_engagementtext", raise_exception=True)
def text_versions(request, pk):
    text = get_object_or_404(EngagementText.objects.select_related("segment"), pk=pk)
    return render(request, "opportunities/text_versions.html",
                  {"text": text, "versions": selectors.text_versions(text)})


# The Opportunity Manager (Task 3.2.3) ----------------------------------------------------

@permission_required(VIEW, raise_exception=True)
def opportunity_list(request):
    cycle = cycle_choice(request).selected
    form, page = OpportunityListForm(request.GET or None), None
    if cycle:
        queryset = form.apply(selectors.opportunities_with_counts(cycle))
        page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "opportunities/opportunity_list.html", {
        "cycle": cycle, "rows": selectors.opportunity_rows(page) if page else [], "page_obj": page,
        "is_paginated": bool(page and page.has_other_pages()), "filter_form": form,
        "querystring": querystring.urlencode(), "channels": COUNT_NAMES.items(), "steps": ENGAGEMENT_STEPS,
    })


PIPELINE_CARDS = 25  # cards per status; the rest are a click away in the Opportunity Manager


@permission_required(VIEW, raise_exception=True)
def pipeline(request):
    cycle = cycle_choice(request).selected
    form = OpportunityFilterForm(request.GET or None)
    columns = (selectors.pipeline_columns(form.apply(selectors.opportunities_with_counts(cycle)),
                                          cards=PIPELINE_CARDS) if cycle else [])
    querystring = request.GET.copy()
    querystring.pop("status", None)
    return render(request, "opportunities/pipeline.html", {
        "cycle": cycle, "columns": columns, "filter_form": form, "statuses": Status.choices,
        "needs_reason": sorted(STATUSES_NEEDING_REASON), "reasons": StatusReason.choices,
        "querystring": querystring.urlencode(),
    })


@permission_required(VIEW, raise_exception=True)
def opportunity_export(request):
    fmt = export_format(request)
    cycle = selected_cycle_or_404(request)
    opportunities = OpportunityListForm(request.GET or None).apply(selectors.opportunities_with_counts(cycle))
    rows = selectors.opportunity_rows_iter(  # read as it is written, the comments 2,000 rows at a time
        opportunities.prefetch_related("comments").iterator(chunk_size=2000))
    return spreadsheet_response(basename=f"opportunity-manager-{cycle.name}", fmt=fmt,
                                headers=OPPORTUNITY_COLUMNS.sheet, rows=OPPORTUNITY_COLUMNS.rows(rows))


@permission_required(["opportunities.add_opportunity", "opportunities.change_opportunity"],
                     raise_exception=True)
def opportunity_import(request):
    cycle = current_cycle_or_404()
    return import_page(request, task=import_opportunities, kind="opportunity_import",
                       title="Import the Opportunity Manager", template="opportunities/opportunity_import.html",
                       columns=OPPORTUNITY_COLUMNS.sheet, parameters={"cycle_id": cycle.pk},
                       back=("the Opportunity Manager", reverse("opportunities:index")))


@permission_required("opportunities.add_opportunity", raise_exception=True)
def opportunity_create(request):
    cycle = current_cycle_or_404()
    initial = {"salesperson": request.user.pk}  # a campaign's target links here with its account and contact
    initial.update({name: request.GET[name] for name in ("account", "contact") if _is_id(request.GET.get(name, ""))})
    form = OpportunityCreateForm(request.POST or None, initial=initial)
    opportunity = form_submitted(request, form, lambda data: services.opportunity_create(
        data={**data, "cycle": cycle}, user=request.user))
    if opportunity:
        messages.success(request, f"Opportunity {opportunity} opened.")
        return redirect(opportunity)
    return render(request, "opportunities/opportunity_form.html", {"form": form})


@permission_required("opportunities.change_opportunity", raise_exception=True)
def opportunity_edit(request, pk):
    opportunity = get_opportunity_for_user(request.user, pk, write=True)
    form = OpportunityForm(request.POST or None, instance=Opportunity.objects.get(pk=pk))
    if form_submitted(request, form, lambda data: services.opportunity_update(
            opportunity=opportunity, data=data, user=request.user, version=form.pop_version()),
            "Opportunity saved."):
        return redirect(opportunity)
    return render(request, "opportunities/opportunity_form.html", {"form": form, "object": opportunity})


def opportunity_detail(request, pk):
    opportunity = get_opportunity_for_user(request.user, pk)
    annotated = selectors.opportunities_with_counts(opportunity.cycle).get(pk=pk)
    parameters = selectors.formula_parameters()
    return render(request, "opportunities/opportunity_detail.html", {
        "opportunity": opportunity, "figures": selectors.figures_for(annotated, parameters),
        "parameters": parameters,
        "can_edit": access.can_change(request.user, opportunity) and opportunity.cycle.is_current,
        "touch_form": TouchForm(initial={"occurred_on": timezone.localdate()}),
        "status_form": StatusChangeForm(initial={"status": opportunity.status}),
        "steps_form": StepsForm(instance=opportunity), "comment_form": CommentForm(),
        "touches": Touch.objects.filter(opportunity_id__in=Opportunity.lineages([opportunity.pk])[opportunity.pk])
        .select_related("by", "opportunity__cycle").order_by("-occurred_on", "-pk")[:100],
        "comments": opportunity.comments.select_related("author"),
        "account_comments": selectors.account_comments(opportunity).count(),
        "action_items": opportunity.action_items.select_related("owner"), "action_form": ActionItemForm(),
        "status_changes": opportunity.status_changes.select_related("changed_by"),
        "steps": [(name, title, getattr(opportunity, name)) for name, title in ENGAGEMENT_STEPS],
        "channels": COUNT_NAMES.items(), "needs_reason": sorted(STATUSES_NEEDING_REASON),
        "proposals": [(p, ProposalOutcomeForm(instance=p, prefix=f"proposal-{p.pk}"))
                      for p in opportunity.proposals.select_related("offering")[:50]],
        "proposal_form": ProposalForm(initial={"sent_on": timezone.localdate(), "offering": opportunity.offering_id}),
    })


def opportunity_history(request, pk):
    opportunity = get_opportunity_for_user(request.user, pk)
    return render(request, "oe21/record_history.html", {
        "object": opportunity, "model_meta": Opportunity._meta,
        "entries": with_related_history(opportunity, (Touch, {"opportunity_id": pk}),
                                        (Comment, {"opportunity_id": pk}), (Proposal, {"opportunity_id": pk}))})


def _redirect_back(request, opportunity):
    return redirect_next(request, opportunity)


@require_POST
def opportunity_status(request, pk):
    opportunity = get_opportunity_for_user(request.user, pk, write=True)
    form = StatusChangeForm(request.POST)
    post_form(request, form, lambda data: services.opportunity_change_status(
        opportunity=opportunity, user=request.user, **data),
        lambda changed: f"{changed} is now “{changed.get_status_display()}”.")
    return _redirect_back(request, opportunity)


@require_POST
def opportunity_steps(request, pk):
    opportunity = get_opportunity_for_user(request.user, pk, write=True)
    form = StepsForm(request.POST, instance=Opportunity.objects.get(pk=pk))
    post_form(request, form, lambda data: services.opportunity_update(
        opportunity=opportunity, data=data, user=request.user, version=form.pop_version()), "Engagement steps saved.")
    return redirect(opportunity)


@require_POST
def touch_add(request, pk):
    opportunity = get_opportunity_for_user(request.user, pk, write=True)
    post_form(request, TouchForm(request.POST), lambda data: services.touch_log(
        opportunity=opportunity, data=data, user=request.user), "Touch logged.")
    return redirect(opportunity)


@require_POST
def proposal_add(request, pk):
    opportunity = get_opportunity_for_user(request.user, pk, write=True)
    post_form(request, ProposalForm(request.POST), lambda data: services.proposal_add(
        opportunity=opportunity, data=data, user=request.user), "Proposal recorded.")
    return redirect(opportunity)


@require_POST
def proposal_outcome(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("opportunity"), pk=pk)
    get_opportunity_for_user(request.user, proposal.opportunity_id, write=True)
    form = ProposalOutcomeForm(request.POST, instance=Proposal.objects.get(pk=pk), prefix=f"proposal-{pk}")
    post_form(request, form, lambda data: services.proposal_set_outcome(
        proposal=proposal, outcome=data["outcome"], user=request.user, version=form.pop_version()),
        lambda changed: f"{changed} is now “{changed.get_outcome_display()}”.")
    return redirect(proposal.opportunity)


@require_POST
def comment_add(request, pk):
    opportunity = get_opportunity_for_user(request.user, pk, write=True)
    post_form(request, CommentForm(request.POST), lambda data: services.comment_add(
        opportunity=opportunity, text=data["text"], user=request.user), "Comment added.")
    return redirect(opportunity)


@require_POST
def comment_edit(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("opportunity"), pk=pk)
    get_opportunity_for_user(request.user, comment.opportunity_id)  # may read it
    access.check_can_change_comment(request.user, comment)
    post_form(request, CommentForm(request.POST), lambda data: services.comment_update(
        comment=comment, text=data["text"], user=request.user), "Comment saved.")
    return redirect(comment.opportunity)


@require_POST
def comment_delete(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("opportunity"), pk=pk)
    get_opportunity_for_user(request.user, comment.opportunity_id)
    access.check_can_change_comment(request.user, comment)
    perform(request, lambda: services.comment_delete(comment=comment, user=request.user), "Comment deleted.")
    return redirect(comment.opportunity)


@require_POST
def action_item_add(request, pk):
    opportunity = get_opportunity_for_user(request.user, pk, write=True)
    post_form(request, ActionItemForm(request.POST), lambda data: add_action_item(
        source=opportunity, user=request.user, **data), "Task added to the action plan.")
    return redirect(opportunity)


@permission_required(VIEW, raise_exception=True)
def rollups(request):
    cycle = cycle_choice(request).selected
    if cycle is None:
        return render(request, "opportunities/rollups.html", {"cycle": None})
    form = OpportunityFilterForm(request.GET or None)
    # The tables, the funnel and both charts count the same filtered opportunities.
    opportunities = form.apply(Opportunity.objects.filter(cycle=cycle))
    return render(request, "opportunities/rollups.html", {
        "cycle": cycle, "filter_form": form, "statuses": Status.choices,
        "tables": [(label, selectors.rollup(opportunities, key))
                   for key, (label, _, _) in selectors.ROLLUP_DIMENSIONS.items()],
        "funnel": selectors.funnel(opportunities),
        "reasons_chart": selectors.bar_chart("Why opportunities stalled",
                                             selectors.reason_counts(opportunities)),
        "touches_chart": selectors.touches_per_week_chart(opportunities),
        "segments": MarketSegment.objects.count(),
    })
