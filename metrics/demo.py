"""Tasks 3.2.8–3.2.9's part of the demo organisation: eighteen months of ratings, complaints and a
typed-in KRI, an engagement survey with answers, and the computed measures."""

import datetime

from oe21.lib.months import add_months, months_back
from oe21.models import MarketSegment
from oe21.registry import demo_step

from . import surveys
from .models import Complaint, CustomerRating, Measure, MeasureEntry, ReviewMeeting, Survey
from .services import recompute_measures, risk_refresh


@demo_step(order=30)
def ratings_and_complaints(ctx) -> None:
    if CustomerRating.objects.exists():
        return
    rng, user, accounts, offerings = ctx.rng, ctx.users["cft"], ctx.accounts, ctx.offerings
    months = months_back(add_months(datetime.date.today().replace(day=1), -1), 18)
    # Typed in from the PMS team's quarterly telephone survey: a second NPS source, named as such (the
    # engagement survey's NPS is the computed measure "NPS (engagement survey)").
    nps = Measure.objects.create(name="NPS (telephone survey, typed in)", kind="KRI", unit="points", target=30,
                                 direction="higher", owner=user)
    for index, month in enumerate(months):
        for _ in range(6):  # ratings rise a little, following the touches
            CustomerRating.objects.create(
                rated_on=month + datetime.timedelta(days=rng.randint(0, 27)), account=rng.choice(accounts),
                offering=rng.choice(offerings), value=min(5, max(1, round(2.6 + index / 10 + rng.gauss(0, 0.7)))),
                comment=rng.choice(["", "Responsive team", "Delivery was late", "Great training"]))
        for _ in range(rng.randint(0, 3)):
            received = month + datetime.timedelta(days=rng.randint(0, 20))
            Complaint.objects.create(
                received_on=received, account=rng.choice(accounts), offering=rng.choice(offerings),
                channel=rng.choice(["phone", "email", "web"]),
                category=rng.choice(["quality", "delivery", "billing", "service"]),
                severity=rng.choice(["low", "medium", "high"]), description="Demo complaint",
                root_cause=rng.choice(["process", "process", "people", "material", "communication"]),
                resolved_on=received + datetime.timedelta(days=rng.randint(1, 20)) if index < 17 else None,
                logged_by=user)
        MeasureEntry.objects.create(measure=nps, period=month, value=12 + index * 1.5 + rng.randint(-3, 3),
                                    entered_by=user)


@demo_step(order=35)
def warning_signs(ctx) -> None:
    """Two accounts whose experience turns sour, so the early warning has something real to show:
    one at risk (a rating fallen to 2, two recent complaints, one open for six weeks), one with a
    single signal below the threshold."""
    story = "Second late delivery this quarter"
    if Complaint.objects.filter(description=story).exists():
        return
    today, user = datetime.date.today(), ctx.users["cft"]
    soured, wavering = ctx.accounts[1], ctx.accounts[2]
    offering = ctx.offerings[0]

    def days_ago(n):
        return today - datetime.timedelta(days=n)

    CustomerRating.objects.create(rated_on=days_ago(100), account=soured, offering=offering, value=4,
                                  comment="Responsive team", entered_by=user)
    CustomerRating.objects.create(rated_on=days_ago(12), account=soured, offering=offering, value=2,
                                  comment="Delivery was late twice", entered_by=user)
    for received, description in ((days_ago(45), "Late delivery"), (days_ago(9), story)):
        Complaint.objects.create(received_on=received, account=soured, offering=offering, channel="phone",
                                 category="delivery", severity="high", description=description,
                                 root_cause="process", logged_by=user)
    CustomerRating.objects.create(rated_on=days_ago(20), account=wavering, offering=offering, value=2,
                                  comment="Invoices are confusing", entered_by=user)


@demo_step(order=50)
def survey(ctx) -> None:
    """An engagement survey of the Healthcare segment, sent, with about half answered."""
    if Survey.objects.exists():
        return
    rng = ctx.rng
    new = surveys.survey_create(
        data={"title": "Customer engagement and loyalty survey", "cycle": ctx.cycle,
              "competitors": "Acme Field Services\nGlobex Maintenance"},
        segment=MarketSegment.objects.get(name="Healthcare", parent=None), user=ctx.users["cft"])
    new.status = "open"
    new.save(update_fields=["status", "updated_at"])
    for invitation in new.invitations.all():
        invitation.sent_at = invitation.created_at
        invitation.save(update_fields=["sent_at"])
        if rng.random() < 0.5:
            continue
        base = rng.choice([5, 4, 4, 3, 2])
        score = [max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for _ in range(6)]
        surveys.response_submit(
            invitation=invitation,
            answers={"overall_satisfaction": score[0], "recommend": max(0, min(10, base * 2 + rng.randint(-1, 1))),
                     "buy_again": score[1], "confidence": score[2], "integrity": score[3], "pride": score[4],
                     "passion": score[5]},
            reasons={"recommend": rng.choice(["", "Quick response times", "Invoices are confusing"])},
            comparison={"Acme Field Services": rng.choice(["better", "same", "worse"])})


@demo_step(order=55)
def business_case(ctx) -> None:
    """Seed 004's business case has figures: every customer's yearly spend with all suppliers, and
    three fully engaged customers (their accepted proposals: opportunities.demo)."""
    from oe21.choices import AccountKind
    from oe21.models import Account
    from opportunities.selectors import accounts_in_the_pipeline

    rng = ctx.rng
    if Survey.objects.filter(title="Key account check-in").exists():
        return
    customers = list(Account.objects.filter(kind=AccountKind.CUSTOMER).order_by("name"))
    for account in customers:
        account.annual_spend = rng.randrange(40_000, 400_000, 5_000)
        account.save(update_fields=["annual_spend", "updated_at"])
    # a key-account check-in of three customers in the pipeline, who answer as fully engaged
    pipeline = accounts_in_the_pipeline(datetime.date.today())
    in_pipeline = [a for a in customers if a.pk in pipeline][:3]
    check_in = surveys.survey_create(data={"title": "Key account check-in", "cycle": ctx.cycle},
                                     accounts=in_pipeline, user=ctx.users["cft"])
    check_in.status = "open"
    check_in.save(update_fields=["status", "updated_at"])
    answered = set()
    for invitation in check_in.invitations.select_related("contact"):
        if invitation.contact.account_id in answered:
            continue
        answered.add(invitation.contact.account_id)
        all_fives = dict.fromkeys(("overall_satisfaction", "buy_again", "confidence", "integrity", "pride",
                                   "passion"), 5)
        surveys.response_submit(invitation=invitation, answers=all_fives | {"recommend": 10},
            reasons={"recommend": "They fix things before we notice"}, comparison={})


@demo_step(order=60)
def reviews(ctx) -> None:
    """The monthly review of every closed month of the cycle but the last, the CFT all present."""
    from oe21.selectors import cft_team

    from .milestones import closed_months
    from .services import review_record

    if ReviewMeeting.objects.filter(cycle=ctx.cycle).exists():
        return
    team = list(cft_team())
    for month in closed_months(ctx.cycle)[:-1]:
        review_record(cycle=ctx.cycle, month=month, held_on=add_months(month, 1) + datetime.timedelta(days=6),
                      decisions="Trends read; the touch rate keeps rising. Keep the campaign as planned.",
                      follow_ups=[], user=ctx.users["cft"], present=team)


@demo_step(order=90)
def computed_measures(ctx) -> None:
    """Last: every computed measure from the records the steps before made, and the accounts' risk
    scores (both idempotent)."""
    recompute_measures(months=24)
    risk_refresh(today=datetime.date.today())
