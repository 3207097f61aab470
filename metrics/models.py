"""Tasks 3.2.8–3.2.9: KRI/KRD measures, entries, complaints, ratings and monthly reviews (SPEC §8),
and the voice-of-the-customer engagement survey (SPEC §11)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from oe21.models import (
    Account,
    Contact,
    EngagementCycle,
    MarketSegment,
    Offering,
    TimeStampedModel,
    action_items_relation,
)

from .choices import (
    Breakdown,
    ComplaintCategory,
    ComplaintChannel,
    Direction,
    EntryOrigin,
    Frequency,
    MeasureKind,
    RootCause,
    Severity,
    Source,
)

User = settings.AUTH_USER_MODEL


class Measure(TimeStampedModel):
    """A KRI or KRD with its unit, direction, target, owner, frequency and breakdown."""

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=3, choices=MeasureKind.choices, db_index=True)
    unit = models.CharField(max_length=40)
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    breakdown = models.CharField(max_length=10, choices=Breakdown.choices, default=Breakdown.OVERALL)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL, db_index=True)
    is_selected = models.BooleanField("Selected for the monthly review", default=True, db_index=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="measure_name_unique",
                                    violation_error_message="A measure with this name exists already."),
        ]

    def __str__(self):
        return f"{self.kind} {self.name}"

    def get_absolute_url(self):
        return reverse("metrics:measure_list") + f"#measure-{self.pk}"

    @property
    def is_computed(self):
        return self.source != Source.MANUAL


class IntendedOutcome(TimeStampedModel):
    """A key intended outcome (KIO) of a cycle — what the CFT means to achieve for customers —
    with the KRIs that show whether it is achieved (Task 3.2.8)."""

    cycle = models.ForeignKey(EngagementCycle, on_delete=models.PROTECT, related_name="intended_outcomes")
    title = models.CharField("Key intended outcome", max_length=200)
    description = models.TextField(blank=True)
    indicators = models.ManyToManyField(Measure, related_name="intended_outcomes", verbose_name="KRIs",
                                        limit_choices_to={"kind": MeasureKind.KRI},
                                        help_text="The KRIs that show whether the outcome is achieved.")
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint("cycle", Lower("title"), name="intended_outcome_once_per_cycle",
                                    violation_error_message="This cycle has an outcome with this title already."),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("metrics:outcome_list") + f"#outcome-{self.pk}"


class MeasureEntry(TimeStampedModel):
    """The value of a measure for a month (the first day stands for the month), overall or for
    one offering or segment."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="entries")
    period = models.DateField(help_text="The first day of the month the value is for.", db_index=True)
    offering = models.ForeignKey(Offering, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    segment = models.ForeignKey(MarketSegment, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    breakdown_key = models.CharField(max_length=30, default="", editable=False,
                                     help_text="'' overall, 'offering:<id>' or 'segment:<id>'.")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    comment = models.TextField(blank=True)
    origin = models.CharField(max_length=10, choices=EntryOrigin.choices, default=EntryOrigin.TYPED)
    entered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period"]
        verbose_name_plural = "measure entries"
        constraints = [
            models.UniqueConstraint(fields=["measure", "period", "breakdown_key"], name="entry_once_per_period",
                                    violation_error_message="This measure has a value for this month already."),
            models.CheckConstraint(condition=models.Q(period__day=1), name="entry_period_first_of_month",
                                   violation_error_message="The period is the first day of a month."),
            models.CheckConstraint(condition=models.Q(offering__isnull=True) | models.Q(segment__isnull=True),
                                   name="entry_offering_or_segment"),
        ]

    def __str__(self):
        return f"{self.measure.name} {self.period:%Y-%m}: {self.value}"


class Complaint(TimeStampedModel):
    """A customer complaint (3.2b(2)) from receipt to resolution."""

    received_on = models.DateField(db_index=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="complaints")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="complaints")
    channel = models.CharField(max_length=20, choices=ComplaintChannel.choices)
    category = models.CharField(max_length=20, choices=ComplaintCategory.choices, db_index=True)
    description = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM, db_index=True)
    root_cause = models.CharField(max_length=20, choices=RootCause.choices, default=RootCause.UNKNOWN)
    corrective_action = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    logged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_on__isnull=True) | models.Q(resolved_on__gte=models.F("received_on")),
                name="complaint_resolved_after_received",
                violation_error_message="A complaint cannot be resolved before it was received."),
        ]

    def __str__(self):
        return f"{self.received_on} {self.account} · {self.get_category_display()}"

    def get_absolute_url(self):
        return reverse("metrics:complaint_edit", args=[self.pk])

    @property
    def days_to_resolve(self):
        return (self.resolved_on - self.received_on).days if self.resolved_on else None


class CustomerRating(TimeStampedModel):
    """A customer's 1–5 rating of an offering, with a comment."""

    rated_on = models.DateField(db_index=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="ratings")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="customer_ratings")
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    entered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-rated_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="customer_rating_1_5",
                                   violation_error_message="A rating is a whole number from 1 to 5."),
        ]

    def __str__(self):
        return f"{self.rated_on} {self.account} rated {self.offering} {self.value}"


class ReviewMeeting(TimeStampedModel):
    """The record of a monthly review of the measures (Task 3.2.9)."""

    cycle = models.ForeignKey(EngagementCycle, on_delete=models.PROTECT, related_name="reviews")
    month = models.DateField(help_text="The first day of the month reviewed.")
    held_on = models.DateField()
    present = models.ManyToManyField(User, blank=True, related_name="reviews_attended",
                                     help_text="The members of the CFT who attended (milestone 7 asks a quorum).")
    attendees = models.TextField("Others present", blank=True,
                                 help_text="Guests and others who attended, one per line or separated by commas.")
    decisions = models.TextField()
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    follow_ups = action_items_relation()
    history = HistoricalRecords(m2m_fields=[present])

    class Meta:
        ordering = ["-month", "-held_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__day=1), name="review_month_first_day"),
        ]

    def __str__(self):
        return f"Monthly review {self.month:%Y-%m} (held {self.held_on})"


class ReviewReminder(models.Model):
    """That the CFT was reminded of a month's review: the reminder task sends it once."""

    month = models.DateField(unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Reminder for {self.month:%Y-%m}"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open (invitations sent)"
    CLOSED = "closed", "Closed"


class Survey(TimeStampedModel):
    """An engagement and loyalty survey sent to contacts of chosen accounts or a segment."""

    title = models.CharField(max_length=150)
    cycle = models.ForeignKey(EngagementCycle, on_delete=models.PROTECT, related_name="surveys")
    offering = models.ForeignKey(Offering, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="The offering the survey asks about, if it is about one.")
    competitors = models.TextField(blank=True, help_text="Named competitors to compare with, one per line.")
    confidence = models.PositiveSmallIntegerField(default=95, choices=[(90, "90 %"), (95, "95 %"), (99, "99 %")])
    margin_of_error = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.05"),
                                          validators=[MinValueValidator(Decimal("0.001")),
                                                      MaxValueValidator(Decimal("0.5"))])
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("metrics:survey_detail", args=[self.pk])

    @property
    def competitor_names(self) -> list[str]:
        return [line.strip() for line in self.competitors.splitlines() if line.strip()]


class SurveyInvitation(TimeStampedModel):
    """A personal link for one contact; answerable once, without signing in."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    # The personal link's token is stored only as its SHA-256 (metrics.surveys.invitation_issue_token,
    # when the e-mail is sent) and expires; the link is in the e-mail, nowhere else.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])  # the personal link stays out of the audit trail

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "contact"], name="invitation_once_per_contact")]

    def __str__(self):
        return f"{self.survey} → {self.contact}"

    @property
    def link_expired(self) -> bool:
        from django.utils import timezone

        return self.token_expires_at is not None and self.token_expires_at < timezone.now()


class SurveyResponse(TimeStampedModel):
    """A respondent's answers; each item 1–5 (recommend 0–10) with an optional “why this score?”."""

    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.CASCADE, related_name="response")
    overall_satisfaction = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    recommend = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    buy_again = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    confidence = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    integrity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    pride = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    passion = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    reasons = models.JSONField(default=dict, blank=True, help_text="Item → “why this score?” text.")
    competitor_comparison = models.JSONField(default=dict, blank=True, help_text="Competitor → better/same/worse.")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(recommend__lte=10), name="response_recommend_0_10"),
            models.CheckConstraint(
                condition=models.Q(overall_satisfaction__gte=1, overall_satisfaction__lte=5, buy_again__gte=1,
                                   buy_again__lte=5, confidence__gte=1, confidence__lte=5, integrity__gte=1,
                                   integrity__lte=5, pride__gte=1, pride__lte=5, passion__gte=1, passion__lte=5),
                name="response_items_1_5"),
        ]

    def __str__(self):
        return f"Response to {self.invitation}"


class AccountRisk(models.Model):
    """An account's early-warning risk score (`metrics.risk`) and the signals behind it, rewritten by
    the nightly recompute (derived, never typed: no history of its own — the signals' records have it)."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="risk")
    score = models.PositiveSmallIntegerField(db_index=True)
    signals = models.JSONField(default=list, help_text="[{signal, label, points, detail}], largest first.")
    assessed_on = models.DateField()
    # The first day of the current spell at or above the organisation's threshold (None: below it).
    at_risk_since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "account_id"]
        verbose_name_plural = "account risks"

    def __str__(self):
        return f"{self.account_id}: {self.score}"
