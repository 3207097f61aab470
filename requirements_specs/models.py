"""Tasks 3.2.4–3.2.7: requirements specifications, offering documents, costs and value
contribution, continue/discontinue decisions and the Customer Excellence Action Plan (SPEC §6–7)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from oe21.models import Account, EngagementCycle, Offering, Team, TimeStampedModel

from .choices import CompetitivePositionKind, Decision, DocumentKind, PlanTaskStatus, SpecStatus

User = settings.AUTH_USER_MODEL
NOT_NEGATIVE = [MinValueValidator(0)]


class RequirementSpec(TimeStampedModel):
    """One version of an offering's requirements specification; a change is a new version."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="requirement_specs")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=SpecStatus.choices, default=SpecStatus.DRAFT)
    offering_type = models.CharField("(a) Type of product, service or program", max_length=200)
    requirements = models.TextField("(b) Requirements or specifications")
    order_quantities = models.CharField("(c) Typical order quantities or delivery frequency", max_length=200,
                                        blank=True)
    desired_cycle_time = models.CharField("(d) Customer-desired order-to-delivery cycle time", max_length=200,
                                          blank=True)
    desired_cost = models.DecimalField("(e) Customer-desired cost", max_digits=12, decimal_places=2, null=True,
                                       blank=True, validators=NOT_NEGATIVE)
    competitor_cost = models.DecimalField("(f) Competitor / comparative cost", max_digits=12, decimal_places=2,
                                          null=True, blank=True, validators=NOT_NEGATIVE)
    quality_requirements = models.TextField("(g) Quality requirements", blank=True)
    organisational_profile = models.CharField("(h) Link to the organisational profile", max_length=300,
                                              blank=True)
    strategic_action_plans = models.TextField("(i) Linked strategic action plans", blank=True)
    voice_of_customer = models.TextField("(j) Voice-of-customer notes", blank=True,
                                         help_text="The offering's ratings and complaints are linked, not retyped.")
    value_rating = models.PositiveSmallIntegerField("(k) Value rating (1–5)", null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(5)])
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # (j) as it stood when the version was approved: ratings, complaints, survey NPS and engagement
    # classes, prioritization assessments (the live figures keep moving; the approved version does not).
    voc_snapshot = models.JSONField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "version"], name="spec_version_unique"),
            models.CheckConstraint(condition=models.Q(value_rating__isnull=True)
                                   | models.Q(value_rating__gte=1, value_rating__lte=5), name="spec_value_1_5",
                                   violation_error_message="A value rating is from 1 to 5."),
            models.CheckConstraint(condition=(models.Q(desired_cost__isnull=True) | models.Q(desired_cost__gte=0))
                                   & (models.Q(competitor_cost__isnull=True) | models.Q(competitor_cost__gte=0)),
                                   name="spec_costs_not_negative"),
        ]
        permissions = [("approve_requirementspec", "Can approve a requirements specification")]

    def __str__(self):
        return f"{self.offering} requirements v{self.version}"

    @property
    def voice_frozen(self) -> bool:
        return self.voc_snapshot is not None

    def get_absolute_url(self):
        return reverse("requirements_specs:spec_detail", args=[self.pk])


class OfferingReview(TimeStampedModel):
    """That an offering's approved specification and its documents were reviewed in a cycle and
    stand unchanged ("reviewed, no change"): milestone 5 counts it like a fresh approval."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="reviews")
    cycle = models.ForeignKey(EngagementCycle, on_delete=models.PROTECT, related_name="offering_reviews")
    spec = models.ForeignKey(RequirementSpec, on_delete=models.PROTECT, related_name="reviews",
                             help_text="The approved version that was re-confirmed.")
    note = models.CharField(max_length=300, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["offering", "cycle"], name="offering_review_once_per_cycle",
                                               violation_error_message="This offering is re-confirmed in this "
                                                                       "cycle already.")]

    def __str__(self):
        return f"{self.offering}: reviewed, no change ({self.cycle})"


def _document_path(instance, filename):
    import uuid

    return f"offering-documents/{instance.offering_id}/{uuid.uuid4().hex}"


class OfferingDocument(TimeStampedModel):
    """A version of an offering information document, stored outside the public static files."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=_document_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering__name", "kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["offering", "kind", "version"], name="document_version_unique")]

    def __str__(self):
        return f"{self.offering} · {self.get_kind_display()} v{self.version}"

    def get_absolute_url(self):
        return reverse("requirements_specs:document_download", args=[self.pk])


class DocumentDistribution(models.Model):
    """That a document version was given to a focus team (a work unit), or to an account — a
    customer, a prospect or a key stakeholder: by whom and when (standard 3.2.5)."""

    document = models.ForeignKey(OfferingDocument, on_delete=models.CASCADE, related_name="distributions")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    distributed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    distributed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "team"], name="distribution_once"),
            models.UniqueConstraint(fields=["document", "account"], name="distribution_once_per_account"),
            models.CheckConstraint(condition=models.Q(team__isnull=True) ^ models.Q(account__isnull=True),
                                   name="distribution_to_a_team_or_an_account"),
        ]

    def __str__(self):
        return f"{self.document} → {self.team or self.account}"

    @property
    def recipient(self) -> str:
        return f"{self.team.kind} team" if self.team_id else str(self.account)


class OfferingCost(TimeStampedModel):
    """Costs, cycle times and revenue of an offering in a period (a month), Task 3.2.6."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="costs")
    period = models.DateField(help_text="The first day of the month.")
    revenue = models.DecimalField(max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    cost_of_goods_sold = models.DecimalField("Cost of goods sold", max_digits=14, decimal_places=2,
                                             validators=NOT_NEGATIVE)
    units = models.PositiveIntegerField(default=0)
    design_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True, validators=NOT_NEGATIVE)
    produce_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True,
                                       validators=NOT_NEGATIVE)
    deliver_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True,
                                       validators=NOT_NEGATIVE)
    support_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True,
                                       validators=NOT_NEGATIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering__name", "period"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "period"], name="cost_once_per_period",
                                    violation_error_message="This offering has figures for this month already."),
            models.CheckConstraint(condition=models.Q(revenue__gte=0, cost_of_goods_sold__gte=0),
                                   name="cost_not_negative", violation_error_message="Amounts cannot be negative."),
            models.CheckConstraint(condition=models.Q(period__day=1), name="cost_period_first_of_month"),
        ]

    def __str__(self):
        return f"{self.offering} {self.period:%Y-%m}"


class PortfolioSettings(TimeStampedModel):
    """The margin below which an offering is flagged for the continue/discontinue decision."""

    margin_threshold_percent = models.DecimalField(max_digits=5, decimal_places=1, default=20)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "portfolio settings"

    def __str__(self):
        return f"Flag offerings below {self.margin_threshold_percent} % margin"


class OfferingDecision(TimeStampedModel):
    """The LFT chair's continue / improve / discontinue decision on an offering, with its reason."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("decide_offering", "Can record continue/discontinue decisions")]

    def __str__(self):
        return f"{self.offering}: {self.get_decision_display()}"


class ActionPlanTask(TimeStampedModel):
    """A task of the Customer Excellence Action Plan (Task 3.2.7); it counts once approved."""

    description = models.TextField()
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resources = models.CharField(max_length=300, blank=True)
    start_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    budget = models.DecimalField(max_digits=12, decimal_places=2, default=0, validators=NOT_NEGATIVE)
    status = models.CharField(max_length=20, choices=PlanTaskStatus.choices, default=PlanTaskStatus.PROPOSED)
    # Where a proposal came from: an action item of a prioritization assessment (3.2.1), of an
    # opportunity (3.2.3) or a follow-up task of a monthly review (3.2.9); each goes in once.
    source_item = models.OneToOneField("oe21.ActionItem", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="plan_task")
    # The KRD or KRI the task should move (Task 3.2.9 reads it before and after the task started).
    measure = models.ForeignKey("metrics.Measure", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="plan_tasks", verbose_name="Measure it should move",
                                help_text="The KRD or KRI this task should move; the monthly review shows it "
                                          "before and after the task started.")
    proposed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, help_text="Why the chair refused it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="plan_budget_not_negative"),
            models.CheckConstraint(condition=models.Q(start_on__isnull=True) | models.Q(due_on__isnull=True)
                                   | models.Q(due_on__gte=models.F("start_on")), name="plan_due_after_start",
                                   violation_error_message="The due date is before the start date."),
        ]
        permissions = [("approve_actionplantask", "Can approve additions to the action plan")]

    def __str__(self):
        return self.description[:70]


class CompetitorComparison(TimeStampedModel):
    """The offering's competitive position against one named competitor (standard 3.2.5, (f) of the
    specification): where it stands, with notes on price and on performance."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="competitor_comparisons")
    competitor = models.CharField(max_length=200)
    position = models.CharField(max_length=10, choices=CompetitivePositionKind.choices)
    price_note = models.CharField("Price", max_length=300, blank=True,
                                  help_text="e.g. “their list price is 8 % lower; no setup fee”.")
    performance_note = models.CharField("Performance", max_length=300, blank=True,
                                        help_text="e.g. “slower delivery: 10 days against our 4”.")
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering", "competitor"]
        constraints = [models.UniqueConstraint("offering", Lower("competitor"), name="competitor_once_per_offering",
                                               violation_error_message="This competitor is compared already.")]

    def __str__(self):
        return f"{self.offering} against {self.competitor}"
