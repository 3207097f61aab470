"""Task 3.2.1: the customer/prospect prioritization matrix (SPEC §3).

Accounts (rows) are rated 1–5 against criteria (columns) for an offering, in a cycle.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from simple_history.models import HistoricalRecords

from oe21.choices import AgeGroup
from oe21.models import Account, EngagementCycle, Offering, TimeStampedModel, action_items_relation

RATING_MIN, RATING_MAX = 1, 5


class EstimatedSuccess(models.TextChoices):
    HIGH = "High", "High"
    MEDIUM = "Medium", "Medium"
    LOW = "Low", "Low"


class Criterion(TimeStampedModel):
    """A column of the matrix. Retiring one keeps it on the assessments that used it."""

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    # Today's weight: the weights of the newest WeightsVersion. Changed as a whole through
    # `services.weights_adopt` (the Weights page), never one criterion at a time, so that the
    # scores of past cycles keep the version they were computed with.
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)],
        help_text="0 keeps the criterion on the matrix but leaves it out of the score.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Untick to retire the criterion.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="criterion_name_unique",
                                    violation_error_message="A criterion with this name exists."),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="criterion_weight_not_negative",
                                   violation_error_message="A weight cannot be negative."),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A changed weight is a new weights version (`services.weights_adopt`): past cycles keep
        theirs. Retiring a criterion changes how many active criteria its assessments rate."""
        before = Criterion.objects.filter(pk=self.pk).values("weight", "is_active").first() if self.pk else None
        if before and before["weight"] != self.weight:
            from .services import weights_adopt

            weights = dict(Criterion.objects.filter(is_active=True).values_list("pk", "weight"))
            weights[self.pk] = self.weight
            weights_adopt({pk: weights[pk] for pk in weights}, by=None, note=f"{self.name}'s weight changed",
                          source=WeightsVersion.Source.EDITED)
            self.weight = Criterion.objects.values_list("weight", flat=True).get(pk=self.pk)
        super().save(*args, **kwargs)
        if before and before["is_active"] != self.is_active:
            Assessment.objects.filter(pk__in=self.ratings.values("assessment")).rescore()


class WeightsVersion(TimeStampedModel):
    """The criteria's weights as adopted on a day (#17). The current cycle's assessments are scored
    with the newest version; when a new one is adopted, the assessments of every other cycle keep
    (are pinned to) the version they were computed with, and their pages say so."""

    class Source(models.TextChoices):
        INITIAL = "initial", "Weights in use when versions began"
        EDITED = "edited", "Entered by hand"
        CALIBRATION = "calibration", "Suggested by the calibration"

    source = models.CharField(max_length=20, choices=Source.choices, default=Source.EDITED)
    note = models.CharField(max_length=300, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The background job that adopted it: a retried job finds its version instead of adopting twice.
    job_id = models.PositiveIntegerField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("adopt_weights", "Can adopt a new weights version of the prioritization criteria")]

    def __str__(self):
        return f"Weights version {self.pk} of {self.created_at:%Y-%m-%d}"

    def assessments_following_it(self):
        """The assessments scored with it now: pinned to it, or — the newest version — following
        today's weights."""
        newest = WeightsVersion.objects.order_by("-created_at", "-pk").values_list("pk", flat=True).first()
        following = models.Q(weights_version=self) | (models.Q(weights_version__isnull=True) if newest == self.pk
                                                      else models.Q(pk__in=[]))
        return Assessment.objects.filter(following)


class VersionWeight(models.Model):
    """One criterion's weight in a weights version."""

    version = models.ForeignKey(WeightsVersion, on_delete=models.CASCADE, related_name="weights")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="versioned_weights")
    weight = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["criterion__position", "criterion__name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "criterion"], name="version_weight_once"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="version_weight_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.weight}"


def weight_of_rating():
    """A rating's weight: its criterion's weight in the version its assessment is pinned to, or
    today's weight (an assessment of the current cycle, or a criterion the version lacks)."""
    pinned = VersionWeight.objects.filter(version=OuterRef("assessment__weights_version"),
                                          criterion=OuterRef("criterion")).values("weight")
    return Coalesce(Subquery(pinned, output_field=DecimalField()), F("criterion__weight"))


class AssessmentQuerySet(models.QuerySet):
    def rescore(self) -> int:
        """Store `score` and `active_rated` of these assessments from their ratings, in one UPDATE.
        Called wherever ratings or criteria change, so pages rank and filter by an indexed column
        instead of summing every rating per request."""
        ratings = (Rating.objects.filter(assessment=OuterRef("pk")).annotate(w=weight_of_rating())
                   .order_by().values("assessment"))
        weighted = Sum(F("value") * F("w"), output_field=DecimalField())
        score = ratings.annotate(s=ExpressionWrapper(weighted / NullIf(Sum("w"), Value(0)),
                                                 output_field=DecimalField())).values("s")
        active = ratings.filter(criterion__is_active=True).annotate(n=Count("pk")).values("n")
        return self.order_by().update(
            score=Subquery(score, output_field=DecimalField()),
            active_rated=Coalesce(Subquery(active, output_field=models.IntegerField()), Value(0)))


class Assessment(TimeStampedModel):
    """One row of the matrix: an account rated for an offering by a respondent, in a cycle."""

    cycle = models.ForeignKey(EngagementCycle, on_delete=models.PROTECT, related_name="assessments")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="assessments")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="assessments")
    respondent_name = models.CharField(max_length=150)
    respondent_role = models.CharField(max_length=150, blank=True)
    respondent_age_group = models.CharField(max_length=10, choices=AgeGroup.choices, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A CFT member may override the computed estimated success, with a reason; the override is
    # shown beside the computed value and never replaced by a recomputation.
    success_override = models.CharField(
        "Estimated success (override)", max_length=10, choices=EstimatedSuccess.choices, blank=True
    )
    override_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Σ wᵢ·rᵢ / Σ wᵢ over the ratings it carries (1–5, the value of `scoring.weighted_score`) and how
    # many active criteria it rates: kept in step by `rescore()`, never typed.
    score = models.DecimalField(max_digits=16, decimal_places=12, null=True, editable=False)
    active_rated = models.PositiveSmallIntegerField(default=0, editable=False)
    # The weights its score was computed with, once newer ones were adopted while its cycle was not
    # the current one; empty while it follows today's weights (the criteria's).
    weights_version = models.ForeignKey(WeightsVersion, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="assessments", editable=False)
    action_items = action_items_relation()
    history = HistoricalRecords(excluded_fields=["score", "active_rated", "weights_version"])

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["account__name"]
        # The matrix's order (score descending, unscored last, then id) has its own PostgreSQL index,
        # made by migration 0009 (SQLite cannot index NULLS LAST).
        indexes = [models.Index(fields=["cycle", "score"], name="assessment_cycle_score")]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "account", "offering"], name="assessment_once_per_cycle",
                violation_error_message="This account is assessed for this offering already.",
            ),
            models.CheckConstraint(
                condition=models.Q(success_override="") | ~models.Q(override_reason=""),
                name="assessment_override_has_reason",
                violation_error_message="Give the reason for overriding the estimated success.",
            ),
        ]

    def __str__(self):
        return f"{self.account} · {self.offering} ({self.cycle})"

    def get_absolute_url(self):
        return reverse("prioritization:assessment_detail", args=[self.pk])


class Rating(TimeStampedModel):
    """A cell of the matrix: the 1–5 rating of one criterion."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="rating_once_per_criterion"),
            models.CheckConstraint(condition=models.Q(value__gte=RATING_MIN, value__lte=RATING_MAX),
                                   name="rating_between_1_and_5",
                                   violation_error_message="A rating is a whole number from 1 to 5."),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"
