"""Writes of Tasks 3.2.8–3.2.9: entries, recomputation, complaints, ratings, reviews, reminders."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from oe21 import roles, words
from oe21.lib.memo import memo_scope
from oe21.lib.months import month_end, months_back
from oe21.lib.records import model_create, model_update
from oe21.models import OrganisationProfile
from oe21.selectors import members_with_roles
from oe21.services import action_item_add

from .choices import Breakdown, EntryOrigin, Frequency, MeasureKind
from .computations import breakdown_key, computed_values
from .models import (
    Complaint,
    CustomerRating,
    IntendedOutcome,
    Measure,
    MeasureEntry,
    ReviewMeeting,
    ReviewReminder,
)


def _fiscal_start_month() -> int:
    profile = OrganisationProfile.objects.order_by("pk").first()
    return profile.fiscal_year_start_month if profile else 1


def check_period(measure: Measure, period: datetime.date) -> None:
    """A monthly measure takes any month; a quarterly one the first month of a fiscal quarter;
    an annual one the first month of the fiscal year."""
    if period.day != 1:
        raise ValidationError({"period": "The period is a month: give its first day."})
    if measure.frequency == Frequency.MONTHLY:
        return
    offset = (period.month - _fiscal_start_month()) % 12
    if measure.frequency == Frequency.QUARTERLY and offset % 3:
        raise ValidationError({"period": f"{measure.name} is quarterly: give the first month of a "
                                         "fiscal quarter."})
    if measure.frequency == Frequency.ANNUAL and offset:
        raise ValidationError({"period": f"{measure.name} is annual: give the first month of the fiscal year."})


def measure_select(*, measure: Measure, selected: bool, user) -> Measure:
    """Put a measure into the monthly review, or take it out (kept in its History)."""
    measure._history_user = user
    model_update(measure, data={"is_selected": selected})
    return measure


def entry_save(*, measure: Measure, period: datetime.date, value: Decimal, user, comment: str = "",
               offering=None, segment=None, origin: str = EntryOrigin.TYPED, replace: bool = True) -> MeasureEntry:
    """Record (or correct) a measure's value for a month; Task 3.2.8. With `replace=False` a month
    that has a value already is refused with that value (the form then asks to confirm)."""
    if measure.is_computed and origin != EntryOrigin.COMPUTED:
        raise ValidationError({"measure": f"{measure.name} is computed from the portal's records; "
                                          "it is not typed in."})
    check_period(measure, period)
    if offering and measure.breakdown != Breakdown.OFFERING:
        raise ValidationError({"offering": f"{measure.name} is not broken down by offering."})
    if segment and measure.breakdown != Breakdown.SEGMENT:
        raise ValidationError({"segment": f"{measure.name} is not broken down by segment."})
    key = breakdown_key(offering_id=offering.pk if offering else None, segment_id=segment.pk if segment else None)
    data = {"value": value, "comment": comment, "origin": origin, "entered_by": user,
            "offering": offering, "segment": segment}
    with transaction.atomic():
        entry = MeasureEntry.objects.select_for_update().filter(measure=measure, period=period,
                                                                breakdown_key=key).first()
        if entry is None:
            return model_create(MeasureEntry, data={**data, "measure": measure, "period": period,
                                                    "breakdown_key": key})
        if not replace and entry.value != value:
            who = words.person(entry.entered_by) if entry.entered_by_id else "the portal"
            raise ValidationError({"replace": (
                f"{measure.name} has {words.quantity(entry.value, measure.unit)} for {period:%B %Y} already "
                f"(entered by {who} on {words.when(entry.updated_at)}). Tick “Replace it” and save again "
                f"to replace it with {words.quantity(value, measure.unit)}; the old value stays in the history.")})
        model_update(entry, data=data)
        return entry


def recompute_measures(*, months: int = 36, today: datetime.date | None = None, report=None) -> dict:
    """Recompute every computed measure for the last `months` months (Task 3.2.8).

    Idempotent: a second run writes nothing new; safe to retry: each measure is rewritten in
    one transaction, and computed entries whose source records are gone are removed.
    """
    period = months_back(today or datetime.date.today(), months)
    measures = [m for m in Measure.objects.all() if m.is_computed]
    counts = {"created": 0, "updated": 0, "removed": 0}
    with memo_scope():  # measures of one source (the two risk KRIs) share its reads
        computed = [(measure, computed_values(measure, period)) for measure in measures]
    for index, (measure, values) in enumerate(computed, 1):
        with transaction.atomic():
            existing = {(e.period, e.breakdown_key): e for e in MeasureEntry.objects.select_for_update()
                        .filter(measure=measure, period__gte=period[0], period__lte=period[-1])}
            for (month, key), value in values.items():
                entry = existing.pop((month, key), None)
                if entry is None:
                    kind, _, pk = key.partition(":")
                    MeasureEntry.objects.create(
                        measure=measure, period=month, breakdown_key=key, value=value,
                        origin=EntryOrigin.COMPUTED,
                        offering_id=int(pk) if kind == "offering" else None,
                        segment_id=int(pk) if kind == "segment" else None)
                    counts["created"] += 1
                elif entry.value != value or entry.origin != EntryOrigin.COMPUTED:
                    entry.value, entry.origin = value, EntryOrigin.COMPUTED
                    entry.save(update_fields=["value", "origin", "updated_at"])
                    counts["updated"] += 1
            stale = [e.pk for e in existing.values() if e.origin == EntryOrigin.COMPUTED]
            counts["removed"] += MeasureEntry.objects.filter(pk__in=stale).delete()[0]
        if report:
            report(int(100 * index / len(measures)), f"Recomputed {index} of {len(measures)} measures")
    return counts


def complaint_save(*, data: dict, user, complaint: Complaint | None = None, version: str | None = None) -> Complaint:
    """Log or update a complaint (3.2b(2)); an update is refused over a change saved after `version`."""
    if complaint is None:
        return model_create(Complaint, data={**data, "logged_by": user})
    model_update(complaint, data=data, version=version)
    return complaint


def rating_save(*, data: dict, user) -> CustomerRating:
    return model_create(CustomerRating, data={**data, "entered_by": user})


def intended_outcome_save(*, cycle, data: dict, user, outcome: IntendedOutcome | None = None,
                          version: str | None = None) -> IntendedOutcome:
    """Record a key intended outcome of the cycle, or change one; it is shown by at least one KRI."""
    from oe21.cycles import check_cycle_open

    check_cycle_open(cycle)
    indicators = list(data.get("indicators") or [])
    if not indicators:
        raise ValidationError({"indicators": "Link at least one KRI: the outcome is shown by the KRIs that "
                                             "measure it."})
    not_kri = [str(m) for m in indicators if m.kind != MeasureKind.KRI]
    if not_kri:
        raise ValidationError({"indicators": f"Only KRIs show an outcome; {', '.join(not_kri)} is a driver (KRD)."})
    fields = {"title": data["title"], "description": data.get("description", ""), "owner": data.get("owner")}
    with transaction.atomic():
        if outcome is None:
            outcome = model_create(IntendedOutcome, data={**fields, "cycle": cycle}, user=user)
        else:
            outcome._history_user = user
            model_update(outcome, data=fields, version=version)
        outcome.indicators.set(indicators)
    return outcome


def review_record(*, cycle, month: datetime.date, held_on: datetime.date, decisions: str,
                  follow_ups: list[dict], user, attendees: str = "", present=()) -> ReviewMeeting:
    """Record a monthly review meeting — the CFT members present, others present, decisions — with
    its follow-up tasks (Task 3.2.9)."""
    with transaction.atomic():
        meeting = model_create(ReviewMeeting, data={
            "cycle": cycle, "month": month, "held_on": held_on, "attendees": attendees,
            "decisions": decisions, "recorded_by": user})
        if present:
            meeting.present.set(present)
        for task in follow_ups:
            action_item_add(source=meeting, user=user, **task)
    return meeting


def review_date(month: datetime.date) -> datetime.date:
    """The day of a month's review: METRICS_REVIEW_DAY of the month after it."""
    following = month_end(month) + datetime.timedelta(days=1)
    return following.replace(day=min(settings.METRICS_REVIEW_DAY, 28))


def review_reminder_send(*, today: datetime.date) -> int:
    """A week before a review, e-mail the CFT once (a retried or repeated run sends nothing more).

    Returns how many people were e-mailed (0 when it is not the day, or it was done already).
    """
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if today + datetime.timedelta(days=7) != review_date(month):
        month = today.replace(day=1)  # the review of the current month, if it falls next week
        if today + datetime.timedelta(days=7) != review_date(month):
            return 0
    recipients = sorted({u.email for u in members_with_roles(roles.CFT_MEMBER, roles.LFT_CHAIR, active_only=True)
                         if u.email})
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(month=month, recipients=len(recipients))
            link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("metrics:dashboard") + f"?month={month:%Y-%m}"
            send_mail(
                subject=f"[OE21] Monthly review of {month:%B %Y} on {review_date(month):%A %d %B}",
                message=(f"The CFT's monthly review of the 3.2 Customer Engagement measures for "
                         f"{month:%B %Y} is on {review_date(month):%A %d %B %Y}.\n\n"
                         f"Please enter or import this month's values before then: {link}\n"),
                from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)
    except IntegrityError:
        return 0  # reminded already
    return len(recipients)


# The early warning (metrics.risk) -------------------------------------------------------------------

def risk_threshold() -> int:
    """The organisation's risk threshold (0–100; the model's default before a profile exists)."""
    threshold = OrganisationProfile.objects.order_by("pk").values_list("risk_threshold", flat=True).first()
    return OrganisationProfile._meta.get_field("risk_threshold").default if threshold is None else threshold


def risk_refresh(*, today: datetime.date, report=None) -> dict:
    """Rewrite every account's risk score as of `today` (`metrics.risk.assess`) and e-mail the CFT
    one digest of the accounts that crossed the threshold since the last run.

    Idempotent and safe to retry: one transaction; an account already at risk keeps the day it
    crossed, so a second run the same day changes nothing and sends nothing.
    """
    from .models import AccountRisk
    from .risk import assess

    risks = assess(today)
    if report:
        report(1, 2)
    threshold = risk_threshold()
    crossed = []
    with transaction.atomic():
        before = {r.account_id: r for r in AccountRisk.objects.select_for_update()}
        rows = []
        for account_id, risk in risks.items():
            previous = before.pop(account_id, None)
            since = None
            if risk.score >= threshold:
                since = previous.at_risk_since if previous and previous.at_risk_since else today
                if since == today and not (previous and previous.at_risk_since):
                    crossed.append(account_id)
            rows.append(AccountRisk(account_id=account_id, score=risk.score, signals=risk.contributions(),
                                    assessed_on=today, at_risk_since=since))
        AccountRisk.objects.filter(account_id__in=list(before)).delete()  # no signal left
        AccountRisk.objects.bulk_create(rows, batch_size=2000, update_conflicts=True, unique_fields=["account"],
                                        update_fields=["score", "signals", "assessed_on", "at_risk_since"])
        if crossed:
            _risk_digest(crossed, threshold)
    if report:
        report(2, 2)
    return {"accounts": len(rows), "at_risk": sum(1 for r in rows if r.at_risk_since), "crossed": len(crossed)}


def _risk_digest(account_ids: list[int], threshold: int) -> None:
    from oe21.notifications import notify

    from .models import AccountRisk

    shown = 50
    rows = (AccountRisk.objects.filter(account_id__in=account_ids).select_related("account")
            .order_by("-score", "account__name")[:shown])
    lines = [f"- {r.account.name}: {r.score} ({', '.join(s['label'] for s in r.signals)})" for r in rows]
    if len(account_ids) > shown:
        lines.append(f"… and {len(account_ids) - shown} more.")
    plural = "s" if len(account_ids) > 1 else ""
    notify(members_with_roles(roles.CFT_MEMBER, roles.LFT_CHAIR, active_only=True),
           subject=f"{len(account_ids)} account{plural} crossed the risk threshold ({threshold})",
           message=f"These accounts' early-warning risk score reached {threshold} today:\n\n" + "\n".join(lines),
           link=reverse("metrics:at_risk"))
