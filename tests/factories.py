import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from oe21.choices import AccountKind, OfferingStatus
from oe21.models import Account, Contact, MarketSegment, Offering
from oe21.roles import VIEWER, sync_roles
from prioritization.models import Assessment, Criterion, Rating


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Test"
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        self.save()
        if not Group.objects.exists():  # a transactional test flushed the migrations' data
            sync_roles()
        self.groups.add(Group.objects.get(name=extracted or VIEWER))


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketSegment

    name = factory.Sequence(lambda n: f"Segment {n}")


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n:04d}")
    kind = AccountKind.PROSPECT
    naics_code = "541511"
    zip_code = "77429"
    segment = factory.SubFactory(SegmentFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    name = factory.Sequence(lambda n: f"Offering {n}")
    status = OfferingStatus.ACTIVE


def a_date(days=0):
    return datetime.date(2027, 1, 1) + datetime.timedelta(days=days)


DEFAULT_CRITERIA = ["Best Value", "Total Solution", "Affordable Solution", "Availability Solution",
                    "Competitor Relationships", "Prior Success", "Positive Referrals"]


def active_criteria():
    """The active criteria (the seven defaults of the data migration, recreated if flushed)."""
    if not Criterion.objects.exists():
        for position, name in enumerate(DEFAULT_CRITERIA, 1):
            Criterion.objects.create(name=name, weight=1, position=position)
    return list(Criterion.objects.filter(is_active=True))


def default_measures():
    """The measures the data migrations create (SPEC §8 and the survey's), recreated if a
    transactional test flushed them."""
    import importlib

    from django.apps import apps

    for name in ("metrics.migrations.0002_default_measures", "metrics.migrations.0004_survey_measures",
                 "metrics.migrations.0015_risk_measures"):
        importlib.import_module(name).create_measures(apps, None)


def rated_assessment(*, cycle, offering, account=None, values=None, user=None):
    """An assessment of `account` for `offering` rating every active criterion (default 4)."""
    criteria = active_criteria()
    values = values or [4] * len(criteria)
    assessment = Assessment.objects.create(
        cycle=cycle, offering=offering, account=account or AccountFactory(),
        respondent_name="Pat Respondent", respondent_role="Operations manager", respondent_age_group="45_54",
        assessed_by=user,
    )
    for criterion, value in zip(criteria, values, strict=False):
        if value is not None:
            Rating.objects.create(assessment=assessment, criterion=criterion, value=value)
    Assessment.objects.filter(pk=assessment.pk).rescore()
    assessment.refresh_from_db()
    return assessment


ASSESSMENTS_PER_OFFERING = 5  # the organisation profile's default


def make_milestone_1_ready(cycle):
    """A new active offering gets the five complete assessments milestone 1 asks, all reviewed."""
    offering = OfferingFactory()
    for _ in range(ASSESSMENTS_PER_OFFERING):
        rated_assessment(cycle=cycle, offering=offering)
    Assessment.objects.filter(cycle=cycle, offering=offering).update(reviewed_at=timezone.now())
    return offering


def make_opportunity(*, cycle, salesperson, account=None, offering=None, status="no_progress", **extra):
    from opportunities.models import Opportunity, StatusChange

    opportunity = Opportunity.objects.create(
        cycle=cycle, salesperson=salesperson, account=account or AccountFactory(),
        offering=offering or OfferingFactory(), lead_source="email", status=status, **extra)
    StatusChange.objects.create(opportunity=opportunity, to_status=status, changed_by=salesperson)
    return opportunity


def log_touches(opportunity, *pairs, on=None):
    """Log touches: pairs of (channel, direction, how many)."""
    import datetime

    from opportunities.models import Touch
    from opportunities.services import recount_touches

    for channel, direction, count in pairs:
        for _ in range(count):
            Touch.objects.create(opportunity=opportunity, channel=channel, direction=direction,
                                 occurred_on=on or datetime.date(2026, 11, 2), by=opportunity.salesperson)
    recount_touches([opportunity.pk])  # written past the service: count them as the service would
    opportunity.refresh_from_db()
