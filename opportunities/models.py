"""Tasks 3.2.2–3.2.3: the opportunity-marketing campaign and the Opportunity Manager (SPEC §4–5)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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
    FUNNEL,
    Channel,
    Direction,
    LeadSource,
    Phase,
    ProposalOutcome,
    Status,
    StatusReason,
    TextKind,
    TouchMedium,
    TouchOrigin,
)

User = settings.AUTH_USER_MODEL


class Campaign(TimeStampedModel):
    """The opportunity-marketing campaign of one market segment in a cycle."""

    cycle = models.ForeignKey(EngagementCycle, on_delete=models.PROTECT, related_name="campaigns")
    segment = models.ForeignKey(MarketSegment, on_delete=models.PROTECT, related_name="campaigns")
    history = HistoricalRecords()

    class Meta:
        ordering = ["segment__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "segment"], name="campaign_once_per_segment",
                                    violation_error_message="This segment has a campaign in this cycle."),
        ]

    def __str__(self):
        return f"{self.segment} campaign ({self.cycle})"

    def get_absolute_url(self):
        return reverse("opportunities:campaign_detail", args=[self.pk])


class CampaignTarget(TimeStampedModel):
    """A target account of a campaign — Phase 1, T1 "Identify high-value targets", taken from the
    matrix's high-value rows — with the person to reach there (T4's contact list)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="campaign_targets")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="Who the campaign reaches at this account (the contact list, T4).")
    score = models.DecimalField("Matrix score", max_digits=16, decimal_places=12, null=True, blank=True,
                                editable=False, help_text="The 1–5 score of the matrix row it was taken from.")
    added_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["account__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "account"], name="campaign_target_once",
                                    violation_error_message="This account is a target of the campaign already."),
        ]

    def __str__(self):
        return f"{self.account} ({self.campaign})"


class CampaignItem(TimeStampedModel):
    """A Phase 1 tactic or Phase 2 step of a campaign, as a checklist entry."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    phase = models.PositiveSmallIntegerField(choices=Phase.choices)
    code = models.CharField(max_length=4)
    title = models.CharField(max_length=120)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField("Due date", null=True, blank=True)
    done_on = models.DateField("Done date", null=True, blank=True)
    notes = models.TextField(blank=True)
    attachment = models.FileField(upload_to="campaigns/%Y/", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="campaign_item_once"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class EngagementText(TimeStampedModel):
    """A version of a stored text for a segment or customer group: its value proposition,
    Touch n content, standardized voice mail or telephone dialogue. Saving a change adds a
    version; the highest version is the current one."""

    segment = models.ForeignKey(MarketSegment, on_delete=models.PROTECT, related_name="texts")
    kind = models.CharField(max_length=20, choices=TextKind.choices)
    touch_number = models.PositiveSmallIntegerField(
        default=0, help_text="Touch 1…n for touch content; 0 for the other texts.")
    medium = models.CharField(max_length=20, choices=TouchMedium.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    body = models.TextField()
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["segment__name", "kind", "touch_number", "medium", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["segment", "kind", "touch_number", "medium", "version"],
                                    name="engagement_text_version_unique"),
            models.CheckConstraint(
                condition=(models.Q(kind="touch", touch_number__gte=1) & ~models.Q(medium=""))
                | (~models.Q(kind="touch") & models.Q(touch_number=0, medium="")),
                name="touch_text_has_number_and_medium",
                violation_error_message="Touch content needs a touch number and a medium; "
                                        "other texts have neither."),
        ]

    def __str__(self):
        label = self.get_kind_display()
        if self.kind == TextKind.TOUCH:
            label = f"Touch {self.touch_number} ({self.get_medium_display()})"
        return f"{label} · {self.segment} · v{self.version}"


class FormulaSettings(TimeStampedModel):
    """The parameters of the Opportunity Manager's formulas (SPEC §5), edited by an admin."""

    points_undecided = models.PositiveSmallIntegerField(default=1)
    points_interested = models.PositiveSmallIntegerField(default=2)
    points_evaluating = models.PositiveSmallIntegerField(default=3)
    points_purchased = models.PositiveSmallIntegerField(default=4)
    maximum_points = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Progress toward purchase % = 100 × progress points / this maximum.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "formula settings"

    def __str__(self):
        return "Opportunity Manager formula settings"


TOUCH_COUNT_FIELDS = [f"n_{channel}_{direction}" for channel in Channel.values for direction in Direction.values] + [
    "n_out", "n_in"]
# Columns kept in step by the records they sum up (the touch log, the status history), never by a form.
DERIVED_FIELDS = [*TOUCH_COUNT_FIELDS, "furthest_stage"]


class Opportunity(TimeStampedModel):
    """One row of the Opportunity Manager."""

    cycle = models.ForeignKey(EngagementCycle, on_delete=models.PROTECT, related_name="opportunities")
    salesperson = models.ForeignKey(User, on_delete=models.PROTECT, related_name="opportunities",
                                    help_text="The sales or marketing person who owns it.")
    salesperson_role = models.CharField("Salesperson's role", max_length=100, blank=True)
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="opportunities")
    lead_source = models.CharField(max_length=20, choices=LeadSource.choices, db_index=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="opportunities")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="opportunities")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NO_PROGRESS,
                              db_index=True)
    status_reason = models.CharField(max_length=20, choices=StatusReason.choices, blank=True)
    status_reason_text = models.CharField(max_length=300, blank=True)
    # Phase 3 engagement steps, checked off with their date.
    sponsor_engaged_on = models.DateField("Engaged internal sponsor", null=True, blank=True)
    touch1_sent_on = models.DateField("Sent Touch 1 to sponsor", null=True, blank=True)
    presented_to_sponsor_on = models.DateField("Presented to sponsor", null=True, blank=True)
    presented_to_influencers_on = models.DateField("Presented to influencer(s)", null=True, blank=True)
    decision_meeting_set_on = models.DateField("Set meeting with decision maker", null=True, blank=True)
    presented_to_decision_maker_on = models.DateField("Presented to decision maker", null=True,
                                                      blank=True)
    action_items = action_items_relation()
    # The touch counts, kept in step with the touch log in the same transaction (services.touch_log,
    # services.recount_touches): a list never aggregates the whole touch table. n_<channel>_<direction>.
    n_email_out = models.PositiveIntegerField(default=0, editable=False)
    n_email_in = models.PositiveIntegerField(default=0, editable=False)
    n_chat_out = models.PositiveIntegerField(default=0, editable=False)
    n_chat_in = models.PositiveIntegerField(default=0, editable=False)
    n_voice_mail_out = models.PositiveIntegerField(default=0, editable=False)
    n_voice_mail_in = models.PositiveIntegerField(default=0, editable=False)
    n_phone_out = models.PositiveIntegerField(default=0, editable=False)
    n_phone_in = models.PositiveIntegerField(default=0, editable=False)
    n_social_out = models.PositiveIntegerField(default=0, editable=False)
    n_social_in = models.PositiveIntegerField(default=0, editable=False)
    n_linkedin_out = models.PositiveIntegerField(default=0, editable=False)
    n_linkedin_in = models.PositiveIntegerField(default=0, editable=False)
    n_online_meeting_out = models.PositiveIntegerField(default=0, editable=False)
    n_online_meeting_in = models.PositiveIntegerField(default=0, editable=False)
    n_letter_out = models.PositiveIntegerField(default=0, editable=False)
    n_letter_in = models.PositiveIntegerField(default=0, editable=False)
    n_out = models.PositiveIntegerField("touches out", default=0, editable=False, db_index=True)
    n_in = models.PositiveIntegerField("responses", default=0, editable=False)
    # The furthest funnel status it ever reached, as its position in FUNNEL (0 Undecided … 3 Purchased;
    # None before any), kept in step by StatusChange.save: the funnel counts a column, not the history.
    furthest_stage = models.PositiveSmallIntegerField(null=True, editable=False, db_index=True)
    # The same opportunity in the previous cycle, when it was still open as this cycle opened: its
    # touches and status history stay there (last year reads back unchanged) and show here too.
    carried_from = models.OneToOneField("self", null=True, blank=True, editable=False,
                                        on_delete=models.SET_NULL, related_name="carried_to")
    history = HistoricalRecords(excluded_fields=DERIVED_FIELDS)

    class Meta:
        ordering = ["account__name", "offering__name"]
        verbose_name_plural = "opportunities"
        permissions = [("edit_any_opportunity", "Can edit every opportunity, not only their own"),
                       ("edit_team_opportunity", "Can edit every opportunity of the sales team")]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "account", "offering"],
                                    name="opportunity_once_per_account_offering",
                                    violation_error_message="This account has an opportunity for this "
                                                            "offering in this cycle already."),
        ]

    def __str__(self):
        return f"{self.account} · {self.offering}"

    def save(self, *args, **kwargs):
        # The derived columns are written by the touch log and the status history only: saving a
        # form's (possibly stale) copy of the opportunity never overwrites them.
        if self.pk and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name not in DERIVED_FIELDS]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("opportunities:opportunity_detail", args=[self.pk])

    @staticmethod
    def lineages(ids) -> dict[int, list[int]]:
        """Each opportunity's id with those of the records it was carried forward from, newest
        first ({id: [id, last year's id, …]}): one query per cycle looked back."""
        lineages = {pk: [pk] for pk in ids}
        tail_to_origin = {pk: pk for pk in ids}
        while tail_to_origin:
            rows = (Opportunity.objects.filter(pk__in=list(tail_to_origin), carried_from__isnull=False)
                    .values_list("pk", "carried_from_id"))
            tail_to_origin = {previous: tail_to_origin[pk] for pk, previous in rows}
            for previous, origin in tail_to_origin.items():
                lineages[origin].append(previous)
        return lineages


class StatusChange(models.Model):
    """The status history of an opportunity: every move, who, when and why."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.CharField(max_length=20, choices=StatusReason.choices, blank=True)
    reason_text = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.opportunity}: {self.from_status or '—'} → {self.to_status}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.to_status in FUNNEL:
            stage = FUNNEL.index(self.to_status)
            (Opportunity.objects.filter(pk=self.opportunity_id)
             .filter(models.Q(furthest_stage__isnull=True) | models.Q(furthest_stage__lt=stage))
             .update(furthest_stage=stage))


class Touch(TimeStampedModel):
    """A dated touch with a prospect: every count of the Opportunity Manager derives from these."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="touches")
    occurred_on = models.DateField(db_index=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    outcome = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    # Logged one by one, or made from a count of the Opportunity Manager spreadsheet (its import).
    origin = models.CharField(max_length=10, choices=TouchOrigin.choices, default=TouchOrigin.LOGGED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name_plural = "touches"

    def __str__(self):
        return f"{self.occurred_on} {self.get_channel_display()} {self.direction}"


class Comment(TimeStampedModel):
    """One of the (at most five) comments on an opportunity."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class Proposal(TimeStampedModel):
    """A proposal made on an opportunity (SPEC §1, the standard's "proposals"): when, for which
    offering, for how much, and how it ended."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="proposals")
    sent_on = models.DateField("Sent on")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="proposals")
    value = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)],
                                help_text="The proposal's total value, in the organisation's currency.")
    outcome = models.CharField(max_length=20, choices=ProposalOutcome.choices, default=ProposalOutcome.OPEN,
                               db_index=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(value__gte=0), name="proposal_value_not_negative")]

    def __str__(self):
        return f"Proposal of {self.sent_on} · {self.offering}"
