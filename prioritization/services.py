"""Writes of the prioritization matrix (Task 3.2.1)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from oe21.lib.records import last_change, model_update, version_of

from .models import Assessment, Criterion, Rating, VersionWeight, WeightsVersion
from .selectors import high_value_unreviewed

MARK_AT_ONCE = 200  # rows marked reviewed by one click (a page of the matrix is 50)


@dataclass
class AssessmentInput:
    """One row of the grid or of an imported spreadsheet, checked already."""

    account: object
    respondent_name: str
    respondent_role: str
    respondent_age_group: str
    ratings: dict[int, int | None]  # criterion id → 1–5, or None for a missing rating
    assessment: Assessment | None = None  # the row being changed, None for a new one
    version: str | None = None  # the row's version when the grid was read (refused if newer now)


def assessments_save(*, cycle, offering, rows: list[AssessmentInput], user) -> dict[str, int]:
    """Task 3.2.1: save a whole matrix (one offering) in one transaction.

    New rows become assessments; changed rows update theirs; a blank rating removes the
    criterion's rating (the row is then incomplete). Ratings of retired criteria are kept.

    Two people saving at once: the rows are locked in one order (no deadlock), a row changed since
    it was read is refused with who changed it, and an account added by both is refused for the
    second — each with a message, nothing half-saved.
    """
    try:
        with transaction.atomic():
            return _save_rows(cycle=cycle, offering=offering, rows=rows, user=user)
    except IntegrityError as error:
        raise ValidationError("Somebody else saved an assessment of one of these accounts for this offering "
                              "meanwhile; reload the grid to see it. Nothing was saved.") from error


def _save_rows(*, cycle, offering, rows, user) -> dict[str, int]:
    counts = {"created": 0, "updated": 0}
    saved = []
    ids = sorted(row.assessment.pk for row in rows if row.assessment is not None)
    locked = Assessment.objects.select_for_update().filter(pk__in=ids).order_by("pk").in_bulk()
    problems = []
    for row in rows:
        if row.assessment is None:
            continue
        current = locked.get(row.assessment.pk)
        if current is None:
            problems.append(f"{row.account}: its assessment was deleted after you opened the grid.")
        elif row.version and version_of(current) != row.version:
            problems.append(f"{row.account} — {last_change(current)}, after you opened the grid.")
    if problems:
        raise ValidationError(problems + ["Reload the grid to see the newest values; nothing was saved."])
    for row in rows:
        data = {"account": row.account, "respondent_name": row.respondent_name,
                "respondent_role": row.respondent_role,
                "respondent_age_group": row.respondent_age_group}
        assessment = locked.get(row.assessment.pk) if row.assessment else None
        if assessment is None:
            assessment = Assessment(cycle=cycle, offering=offering, assessed_by=user, **data)
            assessment.full_clean()
            assessment.save()
            counts["created"] += 1
        else:
            _, changed = model_update(assessment, data=data)
            ratings_changed = _set_ratings(assessment, row.ratings)
            if ratings_changed and not changed:
                # The score changed: the REST export's updated_since must see the row again.
                Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
            counts["updated"] += int(changed or ratings_changed)
            saved.append(assessment.pk)
            continue
        _set_ratings(assessment, row.ratings)
        saved.append(assessment.pk)
    Assessment.objects.filter(pk__in=saved).rescore()
    return counts


def _set_ratings(assessment: Assessment, ratings: dict[int, int | None]) -> bool:
    existing = {r.criterion_id: r for r in assessment.ratings.all()}
    changed = False
    for criterion_id, value in ratings.items():
        rating = existing.get(criterion_id)
        if value is None:
            if rating is not None:
                rating.delete()
                changed = True
        elif rating is None:
            Rating.objects.create(assessment=assessment, criterion_id=criterion_id, value=value)
            changed = True
        elif rating.value != value:
            rating.value = value
            rating.full_clean()
            rating.save(update_fields=["value", "updated_at"])
            changed = True
    return changed


def assessment_override_success(*, assessment: Assessment, estimated_success: str, reason: str,
                                user) -> Assessment:
    """Override (or, with an empty value, clear) the estimated success of a row, with a reason."""
    if estimated_success and not reason.strip():
        raise ValidationError({"override_reason": "Give the reason for the override."})
    assessment._history_user = user
    model_update(assessment, data={"success_override": estimated_success,
                                   "override_reason": reason.strip() if estimated_success else ""})
    return assessment


def assessments_mark_reviewed(*, cycle, ids, user) -> int:
    """Mark the cycle's high-value targets among `ids` that nobody reviewed yet as reviewed by
    `user` (the matrix's "mark these reviewed"); others are left alone. Each change is in its
    History. Returns how many were marked."""
    if not user.has_perm("prioritization.change_assessment"):
        raise PermissionDenied("Only the CFT marks assessments reviewed.")
    marked = 0
    with transaction.atomic():
        for assessment in high_value_unreviewed(cycle).filter(pk__in=list(ids)[:MARK_AT_ONCE]).select_for_update(
                of=("self",)):
            assessment_mark_reviewed(assessment=assessment, user=user)
            marked += 1
    return marked


def assessment_mark_reviewed(*, assessment: Assessment, user) -> Assessment:
    """Record that a CFT member reviewed a (high-value target) assessment."""
    model_update(assessment, data={"reviewed_by": user, "reviewed_at": timezone.now()})
    return assessment


MAX_WEIGHT = Decimal("999.99")


def _checked_weights(weights: dict[int, object]) -> dict[int, Decimal]:
    """Every active criterion's new weight (and any retired one's given), as a number from 0 to
    999.99, not all zero."""
    criteria = {pk: (name, active) for pk, name, active in Criterion.objects.values_list("pk", "name", "is_active")}
    problems, checked = [], {}
    for pk, (name, active) in criteria.items():
        if not active and pk not in weights:
            continue
        raw = weights.get(pk)
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.01")) if raw not in (None, "") else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            problems.append(f"{name}: give a weight (a number from 0 to {MAX_WEIGHT}).")
        elif not 0 <= value <= MAX_WEIGHT:
            problems.append(f"{name}: a weight is from 0 to {MAX_WEIGHT}, not {value}.")
        else:
            checked[pk] = value
    if set(weights) - set(criteria):
        problems.append("A criterion was deleted meanwhile; reload the page.")
    if not problems and not any(v for pk, v in checked.items() if criteria[pk][1]):
        problems.append("The weights sum to zero: at least one criterion must count in the score.")
    if problems:
        raise ValidationError(problems)
    return checked


def latest_weights_version() -> WeightsVersion | None:
    return WeightsVersion.objects.select_related("adopted_by").first()


def _snapshot(version: WeightsVersion) -> None:
    """Add to `version` every criterion it lacks, at today's weight (criteria added since it was
    adopted were scored with that weight)."""
    has = set(version.weights.values_list("criterion_id", flat=True))
    VersionWeight.objects.bulk_create([VersionWeight(version=version, criterion_id=pk, weight=weight)
                                       for pk, weight in Criterion.objects.values_list("pk", "weight")
                                       if pk not in has])


def _check_based_on(previous: WeightsVersion | None, based_on: int | None) -> None:
    if based_on is not None and (previous.pk if previous else None) != based_on:
        raise ValidationError(f"Weights version {previous.pk} was adopted meanwhile ({last_change(previous)}); "
                              "reload the page to see it. Nothing was changed.")


def weights_check(weights: dict[int, object], *, based_on: int | None = None) -> dict[int, Decimal]:
    """What `weights_adopt` would refuse, checked before its job is started (the page shows it)."""
    checked = _checked_weights(weights)
    _check_based_on(WeightsVersion.objects.select_related("adopted_by").first(), based_on)
    return checked


def weights_adopt(weights: dict[int, object], *, by, note: str = "", source: str = WeightsVersion.Source.EDITED,
                  based_on: int | None = None, job_id: int | None = None) -> WeightsVersion:
    """Adopt new weights for the active criteria as a new dated version (#17).

    The assessments of cycles other than the current one that followed today's weights are pinned
    to the version in force until now, so their scores stay as computed; the current cycle's are
    rescored with the new weights (a few seconds for 20,000 assessments: the page runs it as a
    background job, `job_id`, and a retried job returns the version it adopted). `based_on` is the
    newest version when the form was read: a version adopted meanwhile (or a second click) is
    refused, nothing changed.
    """
    checked = _checked_weights(weights)
    with transaction.atomic():
        list(Criterion.objects.select_for_update().order_by("pk").values_list("pk"))  # one adoption at a time
        done = WeightsVersion.objects.filter(job_id=job_id).first() if job_id is not None else None
        if done is not None:
            return done
        previous = WeightsVersion.objects.select_related("adopted_by").first()
        _check_based_on(previous, based_on)
        if previous is None:
            previous = WeightsVersion.objects.create(source=WeightsVersion.Source.INITIAL)
        _snapshot(previous)
        Assessment.objects.filter(weights_version__isnull=True).exclude(cycle__is_current=True).update(
            weights_version=previous)
        version = WeightsVersion(source=source, note=note.strip()[:300], adopted_by=by, job_id=job_id)
        version._history_user = by
        version.save()
        changed = [c for c in Criterion.objects.filter(pk__in=list(checked)) if c.weight != checked[c.pk]]
        for criterion in changed:
            criterion.weight, criterion.updated_at = checked[criterion.pk], timezone.now()
        bulk_update_with_history(changed, Criterion, ["weight", "updated_at"], default_user=by)
        _snapshot(version)
        rescored = Assessment.objects.filter(weights_version__isnull=True)
        rescored.rescore()
        rescored.update(updated_at=timezone.now())  # the REST export's updated_since sees the new scores
    return version
