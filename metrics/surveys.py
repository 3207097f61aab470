"""The engagement and loyalty survey (SPEC §11): invitations, answers and results.

Writes (`survey_*`, `response_submit`) and reads (`survey_results`) of the survey live here
together, as one feature of the metrics app.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import plotly.graph_objects as go
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from oe21.choices import LifecycleStage
from oe21.lib.records import model_create
from oe21.models import Contact, MarketSegment

from .engagement import CLASSES, Answers, Nps, engagement_class, nps
from .models import Survey, SurveyInvitation, SurveyResponse, SurveyStatus
from .sampling import sample_size

BATCH_SIZE = 50
ITEMS = ["overall_satisfaction", "recommend", "buy_again", "confidence", "integrity", "pride", "passion"]
COMPARISON_CHOICES = ("better", "same", "worse")


def survey_create(*, data: dict, accounts=None, segment=None, user) -> Survey:
    """Create a survey with a personal invitation for every contact (with an e-mail address) of the
    chosen accounts or market segment (and its customer groups)."""
    contacts = Contact.objects.exclude(email="")
    if segment is not None:
        contacts = contacts.filter(MarketSegment.with_groups_q(segment, "account__segment"))
    elif accounts:
        contacts = contacts.filter(account__in=accounts)
    else:
        raise ValidationError("Choose the accounts or the market segment to survey.")
    contacts = list(contacts)
    if not contacts:
        raise ValidationError("None of the chosen contacts has an e-mail address.")
    with transaction.atomic():
        survey = model_create(Survey, data={**data, "created_by": user})
        bulk_create_with_history([SurveyInvitation(survey=survey, contact=contact) for contact in contacts],
                                 SurveyInvitation, default_user=user)
    return survey


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_issue_token(invitation: SurveyInvitation) -> str:
    """A new personal token for the invitation's link, valid SURVEY_LINK_DAYS; only its hash is kept
    (set on the instance; the caller saves it). An earlier link of the invitation stops working."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.token_expires_at = timezone.now() + timedelta(days=settings.SURVEY_LINK_DAYS)
    return token


def survey_link(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("metrics:survey_answer", args=[token])


def survey_send_batch(*, survey: Survey, batch_size: int = BATCH_SIZE, skip: set[int] | None = None) -> dict:
    """Send the next batch of unsent invitations (not in `skip`: those tried already in this run);
    a failed send is counted, kept with its error and tried again on the next run. Returns the
    counts of sent, failed and left, and the ids tried."""
    pending = list(survey.invitations.filter(sent_at__isnull=True).exclude(pk__in=skip or ())
                   .select_related("contact__account").order_by("attempts", "pk")[:batch_size])
    sent = failed = 0
    for invitation in pending:
        invitation.attempts += 1
        token = invitation_issue_token(invitation)
        try:
            send_mail(subject=f"{survey.title}: two minutes of your time?",
                      message=(f"Dear {invitation.contact.name},\n\nHow are we doing? Your answers help us serve "
                               f"{invitation.contact.account} better. The survey takes about two minutes and "
                               f"works on a phone:\n\n{survey_link(token)}\n\n"
                               f"The link works until {invitation.token_expires_at:%d %B %Y}. Thank you.\n"),
                      from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[invitation.contact.email])
        except Exception as exc:  # any mail error: recorded on the invitation, never lost
            invitation.last_error = str(exc)[:300]
            invitation.token_hash = invitation.token_expires_at = None  # nobody received the link
            invitation.save(update_fields=["attempts", "last_error", "token_hash", "token_expires_at", "updated_at"])
            failed += 1
            continue
        invitation.sent_at, invitation.last_error = timezone.now(), ""
        invitation.save(update_fields=["attempts", "sent_at", "last_error", "token_hash", "token_expires_at",
                                       "updated_at"])
        sent += 1
    if sent and survey.status == SurveyStatus.DRAFT:
        survey.status = SurveyStatus.OPEN
        survey.save(update_fields=["status", "updated_at"])
    left = survey.invitations.filter(sent_at__isnull=True).count()
    return {"sent": sent, "failed": failed, "left": left, "tried": {i.pk for i in pending}}


def invitation_for_token(token: str) -> SurveyInvitation | None:
    """The invitation of a personal link (an expired one too: the page says so), or None."""
    return (SurveyInvitation.objects.select_related("survey", "contact__account")
            .filter(token_hash=_token_hash(token)).first())


def response_submit(*, invitation: SurveyInvitation, answers: dict, reasons: dict, comparison: dict) -> SurveyResponse:
    """Record a respondent's answers, once. Out-of-range answers are refused and nothing is kept."""
    if invitation.survey.status == SurveyStatus.CLOSED:
        raise ValidationError("This survey is closed.")
    unknown = set(comparison) - set(invitation.survey.competitor_names)
    if unknown or any(v not in COMPARISON_CHOICES for v in comparison.values()):
        raise ValidationError("The comparison with competitors is not one the survey asked for.")
    try:
        with transaction.atomic():
            locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
            if SurveyResponse.objects.filter(invitation=locked).exists():
                raise ValidationError("This survey has been answered already with this link.")
            return model_create(SurveyResponse, data={
                **answers, "invitation": locked, "reasons": {k: v for k, v in reasons.items() if v},
                "competitor_comparison": comparison})
    except IntegrityError as exc:  # two submits at once: the second one loses
        raise ValidationError("This survey has been answered already with this link.") from exc


def latest_answers(as_of: datetime.date):
    """Each account's latest survey answer made on or before `as_of` (with `account_id`)."""
    return (SurveyResponse.objects.filter(created_at__date__lte=as_of)
            .annotate(account_id=F("invitation__contact__account_id"),
                      rank=Window(RowNumber(), partition_by=[F("invitation__contact__account_id")],
                                  order_by=[F("created_at").desc(), F("pk").desc()]))
            .filter(rank=1))


def answers_of(response: SurveyResponse) -> Answers:
    return Answers(**{item: getattr(response, item) for item in ITEMS})


@dataclass
class GroupResult:
    name: str
    nps: Nps
    classes: dict[str, int] = field(default_factory=dict)


@dataclass
class SurveyResults:
    invited: int
    sent: int
    failed: list[SurveyInvitation]
    responses: int
    needed: int
    nps: Nps
    classes: dict[str, int]
    by_segment: list[GroupResult]
    by_stage: list[GroupResult]
    competitors: dict[str, dict[str, int]]
    respondents: list[tuple[SurveyResponse, str]]

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.responses / self.sent, 1) if self.sent else None

    @property
    def enough(self) -> bool:
        return self.responses >= self.needed


def _group(name, rows) -> GroupResult:
    classes = {key: 0 for key, _ in CLASSES}
    for _, engagement in rows:
        classes[engagement] += 1
    return GroupResult(name, nps(r.recommend for r, _ in rows), classes)


def survey_results(survey: Survey) -> SurveyResults:
    """NPS, engagement classes, results by segment and lifecycle stage, competitor comparison and
    the response count against the sample size needed (SPEC §11)."""
    invitations = list(survey.invitations.select_related("contact__account__segment__parent"))
    responses = list(SurveyResponse.objects.filter(invitation__survey=survey)
                     .select_related("invitation__contact__account__segment__parent"))
    rows = [(r, engagement_class(answers_of(r))) for r in responses]
    by_segment: dict[str, list] = {}
    by_stage: dict[str, list] = {label: [] for _, label in LifecycleStage.choices}
    for response, engagement in rows:
        account = response.invitation.contact.account
        by_segment.setdefault(account.market_segment_name, []).append((response, engagement))
        by_stage[account.get_lifecycle_stage_display()].append((response, engagement))
    competitors = {name: {choice: 0 for choice in COMPARISON_CHOICES} for name in survey.competitor_names}
    for response, _ in rows:
        for name, verdict in response.competitor_comparison.items():
            if name in competitors and verdict in COMPARISON_CHOICES:
                competitors[name][verdict] += 1
    overall = _group("All", rows)
    return SurveyResults(
        invited=len(invitations), sent=sum(1 for i in invitations if i.sent_at),
        failed=[i for i in invitations if not i.sent_at and i.last_error], responses=len(rows),
        needed=sample_size(population=max(len(invitations), 1), confidence=survey.confidence,
                           margin_of_error=float(survey.margin_of_error)).n,
        nps=overall.nps, classes=overall.classes,
        by_segment=[_group(name, group) for name, group in sorted(by_segment.items())],
        by_stage=[_group(name, group) for name, group in by_stage.items()],
        competitors=competitors, respondents=rows)


def results_by_offering(cycle=None) -> list[GroupResult]:
    """NPS and engagement classes of the survey responses (of a cycle's surveys, or all), by the
    offering its survey was about."""
    rows: dict[str, list] = {}
    responses = SurveyResponse.objects.order_by()
    if cycle is not None:
        responses = responses.filter(invitation__survey__cycle=cycle)
    # Plain tuples of the answers: no model instance per response.
    for offering, *values in responses.values_list("invitation__survey__offering__name", *ITEMS):
        answers = Answers(**dict(zip(ITEMS, values, strict=True)))
        rows.setdefault(offering or "No particular offering", []).append((answers, engagement_class(answers)))
    return [_group(name, group) for name, group in sorted(rows.items())]


def offering_survey_voice(offering) -> dict:
    """The engagement surveys' voice on one offering: responses, NPS and engagement classes (labels),
    from plain tuples of the answers (one query)."""
    rows = []
    for values in (SurveyResponse.objects.filter(invitation__survey__offering=offering).order_by()
                   .values_list(*ITEMS)):
        answers = Answers(**dict(zip(ITEMS, values, strict=True)))
        rows.append((answers, engagement_class(answers)))
    result = _group(str(offering), rows)
    score = result.nps.score
    return {"responses": result.nps.responses, "nps": None if score is None else round(float(score), 1),
            "classes": {label: result.classes[key] for key, label in CLASSES}}


def engagement_by_stage_chart(results: "SurveyResults") -> go.Figure | None:
    """A Plotly stacked bar chart of the engagement classes per lifecycle stage."""

    if not results.responses:
        return None
    figure = go.Figure()
    for key, label in CLASSES:
        figure.add_bar(name=label, x=[g.name for g in results.by_stage],
                       y=[g.classes[key] for g in results.by_stage])
    figure.update_layout(barmode="stack", title="Engagement by lifecycle stage", height=320,
                         margin={"l": 40, "r": 20, "t": 50, "b": 40})
    return figure
