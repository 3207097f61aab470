"""Tasks 3.2.8–3.2.9's part of the scale data set (at --scale 1): 50 typed measures × 36 months,
20,000 complaints, 20,000 customer ratings, an engagement survey with 5,000 answers, and every
computed measure recomputed for 36 months."""

import datetime
import random

from oe21.lib.months import add_months, months_back
from oe21.lib.records import bulk_insert
from oe21.registry import scale_step

from .choices import ComplaintCategory, ComplaintChannel, RootCause, Severity
from .models import (
    Complaint,
    CustomerRating,
    Measure,
    MeasureEntry,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyStatus,
)
from .services import recompute_measures

MONTHS = 36
# One account in ten is one whose experience keeps falling short: it draws 40 % of the complaints and
# rates 1–3 (the others 2–5), so an early signal (a complaint, a low rating) is followed by more and
# the early warning's back-test has something real to find.
SOUR_EVERY, SOUR_COMPLAINT_SHARE = 10, 0.4


def _day_in(rng: random.Random, months: list[datetime.date]) -> datetime.date:
    return rng.choice(months) + datetime.timedelta(days=rng.randint(0, 27))


@scale_step(order=30)
def measures_complaints_ratings(ctx) -> None:
    rng = ctx.rng
    months = months_back(add_months(ctx.today.replace(day=1), -1), MONTHS)
    sour = ctx.account_ids[::SOUR_EVERY]
    sour_set = set(sour)

    def account():
        return rng.choice(sour) if rng.random() < SOUR_COMPLAINT_SHARE else rng.choice(ctx.account_ids)

    measures = Measure.objects.bulk_create([
        Measure(name=f"Scale measure {i + 1:02d}", kind="KRI" if i % 2 else "KRD", unit="points",
                target=rng.randint(10, 90), owner=rng.choice(ctx.users)) for i in range(ctx.count(50))])
    bulk_insert(MeasureEntry, (MeasureEntry(measure=measure, period=month, value=round(rng.uniform(0, 100), 2),
                                            entered_by=measure.owner)
                               for measure in measures for month in months))
    bulk_insert(Complaint, (
        Complaint(received_on=(received := _day_in(rng, months)), account_id=account(),
                  offering_id=rng.choice(ctx.offering_ids), channel=rng.choice(ComplaintChannel.values),
                  category=rng.choice(ComplaintCategory.values), severity=rng.choice(Severity.values),
                  root_cause=rng.choice(RootCause.values), description="A complaint of the scale data set",
                  resolved_on=received + datetime.timedelta(days=rng.randint(1, 40)) if rng.random() < 0.8 else None,
                  logged_by=rng.choice(ctx.users))
        for _ in range(ctx.count(20_000))))
    bulk_insert(CustomerRating, (
        CustomerRating(rated_on=_day_in(rng, months), account_id=(rater := account()),
                       offering_id=rng.choice(ctx.offering_ids),
                       value=rng.randint(1, 3) if rater in sour_set else rng.randint(2, 5),
                       entered_by=rng.choice(ctx.users))
        for _ in range(ctx.count(20_000))))


@scale_step(order=50)
def survey(ctx) -> None:
    """One open engagement survey: twice as many invitations as answers, about one in eight of them
    a fully engaged customer's."""
    rng = ctx.rng
    open_survey = Survey.objects.create(title="Scale engagement survey", cycle=ctx.cycle, status=SurveyStatus.OPEN,
                                        created_by=ctx.users[0])
    contacts = [ids[0] for ids in ctx.contact_ids_by_account.values()][:ctx.count(10_000, minimum=2)]
    sent = datetime.datetime.combine(ctx.today, datetime.time(9), tzinfo=datetime.UTC)
    bulk_insert(SurveyInvitation, (SurveyInvitation(survey=open_survey, contact_id=contact_id, sent_at=sent,
                                                    token_hash=f"scale-{open_survey.pk}-{contact_id}")
                                   for contact_id in contacts))
    invitations = list(open_survey.invitations.values_list("pk", flat=True))
    answered = invitations[::2]

    def score():
        return rng.randint(1, 5)

    engaged = random.Random(ANSWER_SEED)  # its own generator: the other answers stay as they were

    def response(pk):
        answer = SurveyResponse(invitation_id=pk, overall_satisfaction=score(), recommend=rng.randint(0, 10),
                                buy_again=score(), confidence=score(), integrity=score(), pride=score(),
                                passion=score())
        if engaged.random() < FULLY_ENGAGED_SHARE:  # every item 5, recommend 9–10
            for item in ("overall_satisfaction", "buy_again", "confidence", "integrity", "pride", "passion"):
                setattr(answer, item, 5)
            answer.recommend = engaged.randint(9, 10)
        return answer

    bulk_insert(SurveyResponse, (response(pk) for pk in answered))
    _answered_over_the_year(open_survey, engaged)


ANSWER_SEED, FULLY_ENGAGED_SHARE = 2029, 0.12


def _answered_over_the_year(survey, rng: random.Random) -> None:
    """Answers arrive over the last eleven months, not all on the day the data set is loaded, so the
    review's moments of truth and the business case of engaged customers have history to show."""
    now = datetime.datetime.now(tz=datetime.UTC)
    responses = list(SurveyResponse.objects.filter(invitation__survey=survey).only("pk"))
    for answer in responses:
        answer.created_at = now - datetime.timedelta(days=rng.randint(0, 330), hours=rng.randint(0, 23))
    SurveyResponse.objects.bulk_update(responses, ["created_at"], batch_size=1000)


@scale_step(order=90)
def computed_measures(ctx) -> None:
    recompute_measures(months=MONTHS)
