"""Writes of Tasks 3.2.4–3.2.7."""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from oe21.choices import OfferingStatus
from oe21.cycles import check_cycle_open
from oe21.lib.records import model_create, model_update
from oe21.lib.uploads import check_upload
from oe21.models import Offering
from oe21.notifications import notify, users_with_perm
from oe21.words import person

from . import selectors
from .choices import Decision, PlanTaskStatus, SpecStatus
from .models import (
    ActionPlanTask,
    CompetitorComparison,
    DocumentDistribution,
    OfferingCost,
    OfferingDecision,
    OfferingDocument,
    OfferingReview,
    RequirementSpec,
)


def spec_save(*, offering: Offering, data: dict, user) -> RequirementSpec:
    """Task 3.2.4: save a requirements specification as the offering's next version (a draft);
    earlier versions are never overwritten."""
    with transaction.atomic():
        Offering.objects.select_for_update().filter(pk=offering.pk).first()
        latest = RequirementSpec.objects.filter(offering=offering).aggregate(v=Max("version"))["v"] or 0
        return model_create(RequirementSpec, data={**data, "offering": offering, "version": latest + 1,
                                                   "status": SpecStatus.DRAFT, "created_by": user})


def spec_submit(*, spec: RequirementSpec, user) -> RequirementSpec:
    """Send a draft for review."""
    with transaction.atomic():
        spec = RequirementSpec.objects.select_for_update().get(pk=spec.pk)
        if spec.status != SpecStatus.DRAFT:
            raise ValidationError(f"Version {spec.version} is {spec.get_status_display().lower()}, not a draft.")
        spec._history_user = user
        model_update(spec, data={"status": SpecStatus.UNDER_REVIEW})
        notify(users_with_perm("requirements_specs.approve_requirementspec").exclude(pk=user.pk),
               subject=f"{spec} waits for your approval", link=spec.get_absolute_url(),
               message=f"{person(user)} sent {spec} for review.")
    return spec


def spec_approve(*, spec: RequirementSpec, user) -> RequirementSpec:
    """The LFT chair or an OFT lead approves a version under review (once)."""
    if not user.has_perm("requirements_specs.approve_requirementspec"):
        raise PermissionDenied("Only the LFT chair or an OFT lead approves specifications.")
    with transaction.atomic():
        spec = RequirementSpec.objects.select_for_update().get(pk=spec.pk)
        if spec.status == SpecStatus.APPROVED:
            raise ValidationError(f"Version {spec.version} is approved already.")
        if spec.status != SpecStatus.UNDER_REVIEW:
            raise ValidationError(f"Version {spec.version} must be sent for review before it is approved.")
        spec._history_user = user
        model_update(spec, data={"status": SpecStatus.APPROVED, "approved_by": user, "approved_at": timezone.now(),
                                 "voc_snapshot": selectors.voice_of_customer(spec.offering)})
        notify([spec.created_by], subject=f"{spec} is approved", link=spec.get_absolute_url(),
               message=f"{person(user)} approved {spec}.")
    return spec


def offering_reconfirm(*, offering: Offering, cycle, user, note: str = "") -> OfferingReview:
    """The LFT chair or an OFT lead records, for the cycle, that the offering's approved
    specification and its documents were reviewed and stand unchanged (milestone 5)."""
    if not user.has_perm("requirements_specs.approve_requirementspec"):
        raise PermissionDenied("Only the LFT chair or an OFT lead re-confirms specifications.")
    check_cycle_open(cycle)
    spec = (RequirementSpec.objects.filter(offering=offering, status=SpecStatus.APPROVED)
            .order_by("-version").first())
    if spec is None:
        raise ValidationError(f"{offering} has no approved specification to re-confirm: approve a version first.")
    if not OfferingDocument.objects.filter(offering=offering).exists():
        raise ValidationError(f"{offering} has no offering information document to re-confirm: upload one first.")
    review = OfferingReview(offering=offering, cycle=cycle, spec=spec, note=note.strip(), reviewed_by=user)
    review._history_user = user
    try:
        with transaction.atomic():
            review.full_clean()
            review.save()
    except IntegrityError as error:  # a double click: the first one counted
        raise ValidationError(f"{offering} is re-confirmed in {cycle} already.") from error
    return review


def check_document(upload) -> str:
    """Refuse a file before anything is stored: type (by name and first bytes), executables, size."""
    return check_upload(upload, max_bytes=settings.DOCUMENT_MAX_BYTES, field="file")


def document_upload(*, offering: Offering, kind: str, upload, user) -> OfferingDocument:
    """Task 3.2.5: store a new version of an offering document (protected file)."""
    check_document(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        Offering.objects.select_for_update().filter(pk=offering.pk).first()
        latest = OfferingDocument.objects.filter(offering=offering, kind=kind).aggregate(v=Max("version"))["v"] or 0
        document = OfferingDocument(offering=offering, kind=kind, version=latest + 1, original_name=upload.name[:255],
                                    size=upload.size, sha256=digest.hexdigest(), uploaded_by=user)
        document.file.save(upload.name, upload, save=False)
        try:
            document.full_clean()
            document.save()
        except Exception:
            document.file.delete(save=False)  # nothing stored from a rejected upload
            raise
    return document


def document_distribute(*, document: OfferingDocument, teams=(), accounts=(), user) -> list[DocumentDistribution]:
    """Record that a document version was given to focus teams (work units) and to accounts —
    customers, prospects, key stakeholders; giving it again to the same one changes nothing."""
    if not user.has_perm("requirements_specs.change_offeringdocument"):
        raise PermissionDenied("Only the CFT and the OFT record who received a document.")
    done = []
    with transaction.atomic():
        for team in teams:
            done.append(DocumentDistribution.objects.get_or_create(
                document=document, team=team, defaults={"distributed_by": user})[0])
        for account in accounts:
            done.append(DocumentDistribution.objects.get_or_create(
                document=document, account=account, defaults={"distributed_by": user})[0])
    return done


def competitor_comparison_save(*, offering: Offering, data: dict, user) -> CompetitorComparison:
    """Record (or correct, matched by the competitor's name) the offering's position against a competitor."""
    if not user.has_perm("requirements_specs.add_competitorcomparison"):
        raise PermissionDenied("Only the CFT and the OFT record the competitive position.")
    name = data["competitor"].strip()
    existing = CompetitorComparison.objects.filter(offering=offering, competitor__iexact=name).first()
    fields = {**data, "competitor": name, "recorded_by": user}
    if existing is None:
        return model_create(CompetitorComparison, data={**fields, "offering": offering})
    model_update(existing, data=fields)
    return existing


def cost_save(*, data: dict, user) -> OfferingCost:
    """Record (or correct) an offering's figures for a month."""
    existing = OfferingCost.objects.filter(offering=data["offering"], period=data["period"]).first()
    if existing is None:
        return model_create(OfferingCost, data=data)
    existing._history_user = user
    model_update(existing, data=data)
    return existing


def offering_decide(*, offering: Offering, decision: str, reason: str, user) -> OfferingDecision:
    """The LFT chair's continue / improve / discontinue decision. A discontinued offering leaves
    the active lists and keeps its history."""
    if not user.has_perm("requirements_specs.decide_offering"):
        raise PermissionDenied("Only the LFT chair records continue/discontinue decisions.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the decision."})
    with transaction.atomic():
        record = model_create(OfferingDecision, data={"offering": offering, "decision": decision,
                                                       "reason": reason.strip(), "decided_by": user})
        status = {Decision.DISCONTINUE: OfferingStatus.DISCONTINUED,
                  Decision.IMPROVE: OfferingStatus.UNDER_REVIEW,
                  Decision.CONTINUE: OfferingStatus.ACTIVE}[decision]
        offering._history_user = user
        model_update(offering, data={"status": status})
    return record


def plan_task_propose(*, data: dict, user, source_item=None) -> ActionPlanTask:
    """Propose a task for the Customer Excellence Action Plan (Task 3.2.7), directly or from an
    action item of an assessment, an opportunity or a monthly review (once each)."""
    if source_item is not None and ActionPlanTask.objects.filter(source_item=source_item).exists():
        raise ValidationError("This item is in the plan already.")
    with transaction.atomic():
        task = model_create(ActionPlanTask, data={**data, "status": PlanTaskStatus.PROPOSED, "proposed_by": user,
                                                  "source_item": source_item})
        notify(users_with_perm("requirements_specs.approve_actionplantask").exclude(pk=user.pk),
               subject="An action-plan task waits for your approval", link=reverse("requirements_specs:plan"),
               message=f"{person(user)} proposed: {task}")
    return task


def plan_task_update(*, task: ActionPlanTask, data: dict, user, version: str | None = None) -> ActionPlanTask:
    """Change a proposed task — description, owner, resources, start, schedule, budget — until the
    LFT chair approves it; an approved plan changes only by its status (or a new proposal)."""
    if not user.has_perm("requirements_specs.change_actionplantask"):
        raise PermissionDenied("Your role cannot change the action plan.")
    with transaction.atomic():
        task = ActionPlanTask.objects.select_for_update().get(pk=task.pk)
        if task.status != PlanTaskStatus.PROPOSED:
            raise ValidationError(f"This task is {task.get_status_display().lower()}: it can no longer be edited. "
                                  "Propose a new task for a change.")
        task._history_user = user
        model_update(task, data=data, version=version)
    return task


def plan_task_decide(*, task: ActionPlanTask, approve: bool, user, reason: str = "") -> ActionPlanTask:
    """The LFT chair approves (or refuses, giving the reason) an addition to the plan."""
    if not user.has_perm("requirements_specs.approve_actionplantask"):
        raise PermissionDenied("Only the LFT chair approves additions to the action plan.")
    if not approve and not reason.strip():
        raise ValidationError({"reason": "Give the reason for the refusal."})
    with transaction.atomic():
        task = ActionPlanTask.objects.select_for_update().get(pk=task.pk)
        if task.status != PlanTaskStatus.PROPOSED:
            raise ValidationError("This task has been decided already.")
        task._history_user = user
        model_update(task, data={"status": PlanTaskStatus.APPROVED if approve else PlanTaskStatus.REJECTED,
                                 "decided_by": user, "decided_at": timezone.now(),
                                 "decision_reason": "" if approve else reason.strip()})
        notify([task.proposed_by], subject=f"Your action-plan task is {task.get_status_display().lower()}",
               link=reverse("requirements_specs:plan"), message=f"{task}: {task.get_status_display()}."
                       + (f" Reason: {task.decision_reason}" if task.decision_reason else ""))
    return task


def plan_task_update_status(*, task: ActionPlanTask, status: str, user) -> ActionPlanTask:
    if task.status in (PlanTaskStatus.PROPOSED, PlanTaskStatus.REJECTED):
        raise ValidationError("Only an approved task moves on.")
    if status not in (PlanTaskStatus.APPROVED, PlanTaskStatus.IN_PROGRESS, PlanTaskStatus.DONE):
        raise ValidationError("Choose approved, in progress or done.")
    task._history_user = user
    model_update(task, data={"status": status})
    return task
