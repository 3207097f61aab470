"""The shared model of SPEC §2: it lives once and every app uses it.

Organisation profile, engagement cycle, market segment/customer group, account, contact,
offering, team; plus the milestones of SPEC §9 and the background-job record that every app's
long work reports its progress to.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from . import reference
from .choices import (
    AccountKind,
    ActionItemStatus,
    AgeGroup,
    DecisionRole,
    JobState,
    LifecycleStage,
    MilestoneState,
    OfferingKind,
    OfferingStatus,
    TeamKind,
)
from .validators import validate_naics_code, validate_zip_code


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class OrganisationProfile(TimeStampedModel):
    """The one organisation this installation serves."""

    name = models.CharField(max_length=200)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Month (1–12) in which the fiscal year starts.",
    )
    currency = models.CharField(
        max_length=3, default="USD", validators=[RegexValidator(r"^[A-Z]{3}$", "Three capital letters (ISO 4217).")],
        help_text="The currency amounts are shown in, as its ISO 4217 code (USD, EUR, GBP…).",
    )
    assessments_per_offering = models.PositiveSmallIntegerField(
        "Assessments per offering", default=5, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Milestone 1 asks at least this many complete prioritization assessments of each active "
                  "offering in the cycle.",
    )
    risk_threshold = models.PositiveSmallIntegerField(
        "Risk threshold", default=50, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="An account whose early-warning risk score (0–100) reaches this is listed as at risk, and the "
                  "CFT is e-mailed once when it crosses it.",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="organisation_fiscal_month_1_12",
            ),
            models.CheckConstraint(condition=models.Q(risk_threshold__lte=100),
                                   name="organisation_risk_threshold_0_100",
                                   violation_error_message="The risk threshold is a score from 0 to 100."),
        ]

    def __str__(self):
        return self.name


class EngagementCycle(TimeStampedModel):
    """The period in which the standard is run (e.g. FY2027)."""

    name = models.CharField(max_length=50, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    is_current = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="cycle_ends_after_start",
                violation_error_message="The cycle must end after it starts.",
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True),
                name="one_current_cycle",
                violation_error_message="Only one engagement cycle can be the current one.",
            ),
        ]
        permissions = [("open_cycle", "Can open an engagement cycle (and close the current one)")]

    def __str__(self):
        return self.name


class MarketSegment(TimeStampedModel):
    """A market segment, or a customer group inside one (segment → group)."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="groups",
        help_text="Leave empty for a market segment; choose the segment for a customer group.",
    )
    is_active = models.BooleanField(
        "Active", default=True,
        help_text="Untick to retire it: past records keep it, new ones no longer offer it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "parent", name="group_name_unique_per_segment",
                condition=models.Q(parent__isnull=False),
                violation_error_message="This segment has a group with this name already.",
            ),
            models.UniqueConstraint(
                Lower("name"), name="segment_name_unique",
                condition=models.Q(parent__isnull=True),
                violation_error_message="A market segment with this name exists already.",
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self):
        return reverse("segment_list") + f"#segment-{self.pk}"

    @staticmethod
    def with_groups_q(segment, path: str = "segment") -> models.Q:
        """Rows whose `path` is this market segment or one of its customer groups."""
        return models.Q(**{path: segment}) | models.Q(**{f"{path}__parent": segment})


class Account(TimeStampedModel):
    """A customer, prospect or key stakeholder organisation."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AccountKind.choices, default=AccountKind.PROSPECT, db_index=True)
    naics_code = models.CharField(
        "NAICS code", max_length=6, validators=[validate_naics_code],
        help_text="2022 NAICS code, 2 to 6 digits.", db_index=True,  # the sector filter is a prefix
    )
    zip_code = models.CharField(
        "ZIP code", max_length=10, validators=[validate_zip_code],
        help_text="US ZIP: 12345 or 12345-6789.",
    )
    segment = models.ForeignKey(
        MarketSegment, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    lifecycle_stage = models.CharField(
        max_length=20, choices=LifecycleStage.choices, default=LifecycleStage.INITIATION, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="owned_accounts", help_text="The CFT member who looks after this account.",
    )
    # Seed 004's share of wallet: what the account spends with us (accepted proposals) out of this.
    annual_spend = models.DecimalField(
        "Yearly spend (all suppliers)", max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text="What the account spends a year on offerings of the kind we sell, with us and with others, "
                  "where known. Its share of wallet is what it spends with us out of this.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), name="account_name_unique",
                violation_error_message="An account with this name exists already.",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_spend__isnull=True) | models.Q(annual_spend__gte=0),
                name="account_annual_spend_not_negative",
                violation_error_message="A yearly spend cannot be negative.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("account_detail", args=[self.pk])

    @property
    def naics_title(self):
        return reference.naics_title(self.naics_code)

    @property
    def naics_sector(self):
        return reference.naics_sector(self.naics_code)

    @property
    def place(self):
        return reference.zip_place(self.zip_code)

    @property
    def market_segment(self):
        """The market segment the account belongs to, directly or through a customer group."""
        if self.segment is None:
            return None
        return self.segment.parent if self.segment.parent_id else self.segment

    @property
    def market_segment_name(self) -> str:
        return self.market_segment.name if self.market_segment else "No segment"


class Contact(TimeStampedModel):
    """A person at an account."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    title = models.CharField("Role / title", max_length=150, blank=True)
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    decision_role = models.CharField(
        max_length=20, choices=DecisionRole.choices, default=DecisionRole.OTHER
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["account__name", "name"]

    def __str__(self):
        return f"{self.name} ({self.account})"

    def get_absolute_url(self):
        return reverse("contact_detail", args=[self.pk])


class Offering(TimeStampedModel):
    """A product, service or program the organisation offers."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OfferingKind.choices, default=OfferingKind.PRODUCT, db_index=True)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=OfferingStatus.choices, default=OfferingStatus.ACTIVE, db_index=True
    )
    price = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(max_length=50, blank=True, help_text="e.g. each, per month, per seat")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), name="offering_name_unique",
                violation_error_message="An offering with this name exists already.",
            ),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="offering_price_not_negative",
                violation_error_message="The price cannot be negative.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("offering_detail", args=[self.pk])


class Team(TimeStampedModel):
    """One of the focus teams (LFT, CFT, OFT) and its members."""

    kind = models.CharField(max_length=3, choices=TeamKind.choices, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()


class Milestone(TimeStampedModel):
    """One of the seven milestones of SPEC §9 in an engagement cycle, and its approval."""

    cycle = models.ForeignKey(EngagementCycle, on_delete=models.CASCADE, related_name="milestones")
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    state = models.CharField(
        max_length=20, choices=MilestoneState.choices, default=MilestoneState.OPEN, db_index=True
    )
    evidence = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="milestone_once_per_cycle"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=7), name="milestone_number_1_7"
            ),
        ]
        permissions = [
            ("submit_milestone", "Can submit a milestone for approval"),
            ("decide_milestone", "Can approve or reject a milestone"),
        ]

    def __str__(self):
        from .milestones import MILESTONES

        return f"{self.cycle} · Milestone {self.number}: {MILESTONES[self.number].title}"

    @property
    def definition(self):
        from .milestones import MILESTONES

        return MILESTONES[self.number]


class ActionItem(TimeStampedModel):
    """A task decided in the standard's work — on an assessment's action plan (3.2.1), on an
    opportunity's Action Plan tab (3.2.3), as a follow-up of a monthly review (3.2.9) — which
    the Customer Excellence Action Plan (3.2.7) can take up.

    `source` is the record it was decided on; `source_kind` names the kind, as registered by the
    app that owns that record (`oe21.registry.register_action_source`).
    """

    source_kind = models.CharField(max_length=30, db_index=True)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    due_on = models.DateField("due", null=True, blank=True)
    done_on = models.DateField("done", null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Task 3.2.7: the CFT reviews the Action Plan tabs and takes tasks into the Customer Excellence
    # Action Plan; an item it reviewed and left out is marked here (one taken up has a plan task).
    plan_reviewed_at = models.DateTimeField("reviewed for the plan", null=True, blank=True)
    plan_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="action_item_source")]

    def __str__(self):
        return self.description[:60]


def action_items_relation() -> GenericRelation:
    """The action items decided on a record, for the record's model (`assessment.action_items`)."""
    return GenericRelation(ActionItem, content_type_field="source_type", object_id_field="source_id")


class BackgroundJob(TimeStampedModel):
    """Long work (an import, a recomputation, a big export) run by a Celery task.

    The task updates state and progress; any page shows the job as a progress bar.
    """

    kind = models.CharField(max_length=80)
    description = models.CharField(max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="background_jobs",
    )
    state = models.CharField(max_length=20, choices=JobState.choices, default=JobState.PENDING)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    message = models.CharField(max_length=300, blank=True)
    input_name = models.CharField(max_length=255, blank=True)
    input_data = models.BinaryField(blank=True, default=b"", editable=False)
    parameters = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The Celery task that runs it, and how many times a worker has started it: a worker that dies
    # leaves the job "running" with no progress reports (its heartbeat, `updated_at`); the outbox
    # sweep (oe21.outbox) runs it once more.
    # Where the person who started it goes back to when it is done (a path of the portal), and its name.
    return_url = models.CharField(max_length=300, blank=True)
    return_label = models.CharField(max_length=100, blank=True)
    task_name = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_at_most_100"
            )
        ]

    def __str__(self):
        return f"{self.description} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("job_detail", args=[self.pk])

    @property
    def is_finished(self):
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)


class ApiToken(models.Model):
    """A token of one client of the REST export (the Performance Measurement System).

    Only a hash of the key is stored; the key itself is shown once, when the token is created.
    """

    name = models.CharField(max_length=100, help_text="Which client uses it, e.g. “PMS production”.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        # The two ways in: the web portal (every role but the PMS client) and the API token.
        permissions = [("use_pms_api", "Can read the REST export with a token"),
                       ("use_portal", "Can sign in to the web portal")]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


class QueuedTask(models.Model):
    """The outbox: a Celery task to be handed to the broker, written in the same transaction as the
    change that asks for it. Sent once that transaction commits; when the broker cannot be reached
    it stays unsent and the periodic sweep sends it later, so a broker outage loses no work."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True),
                                name="queued_task_unsent")]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)} ({'sent' if self.sent_at else 'waiting'})"


class SubmittedForm(models.Model):
    """A form's one-off token, taken when it is sent (oe21.submit_once): the same form sent again is
    not saved twice. Rows older than a day are removed by the outbox sweep."""

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    done = models.BooleanField(default=False)
    location = models.CharField(max_length=2000, blank=True)

    def __str__(self):
        return self.token
