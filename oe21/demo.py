"""The shared model's part of the demo organisation (`manage.py load_demo_data`): users of every
role, the cycle, the organisation profile, segments, offerings, accounts and contacts.

Every task app adds its own records with `@demo_step(order)` from its `demo.py`; the steps share
one `DemoContext`. Each step is idempotent: loading the demo twice changes nothing.
"""

import datetime
import io
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from .choices import AccountKind, AgeGroup, DecisionRole, LifecycleStage, OfferingKind
from .lib.months import add_months
from .models import Account, Contact, EngagementCycle, MarketSegment, Offering, OrganisationProfile
from .registry import demo_step
from .roles import (
    ADMIN,
    CFT_MEMBER,
    LFT_CHAIR,
    OFT_LEAD,
    OFT_MEMBER,
    PMS_CLIENT,
    SALES_MANAGER,
    SALES_TEAM,
    VIEWER,
)
from .selectors import current_cycle
from .services import cycle_create

DEMO_USERS = [
    # username, role, first name, last name, password
    ("chair", LFT_CHAIR, "Lena", "Fischer", "chair-demo-2027"),
    ("cft", CFT_MEMBER, "Carlos", "Ruiz", "cft-demo-2027"),
    ("cft2", CFT_MEMBER, "Grace", "Okafor", "cft2-demo-2027"),
    ("oft", OFT_MEMBER, "Omar", "Haddad", "oft-demo-2027"),
    ("oftlead", OFT_LEAD, "Priya", "Nair", "oftlead-demo-2027"),
    ("sales", SALES_TEAM, "Sofia", "Petrov", "sales-demo-2027"),
    ("salesmgr", SALES_MANAGER, "Marcus", "Bell", "salesmgr-demo-2027"),
    ("viewer", VIEWER, "Vera", "Lind", "viewer-demo-2027"),
    ("pms", PMS_CLIENT, "PMS", "Export", "pms-demo-2027"),
    ("admin", ADMIN, "Ada", "Admin", "admin-demo-2027"),
]

SEGMENTS = {
    "Healthcare": ["Hospitals", "Clinics"],
    "Manufacturing": ["Food processing", "Machinery"],
    "Public sector": ["Municipalities", "School districts"],
}

# Real 2022 NAICS codes per customer group, and real US ZIP codes.
NAICS_BY_GROUP = {
    "Hospitals": ["622110", "622310"], "Clinics": ["621111", "621210", "621498"],
    "Food processing": ["311411", "311812", "311513"], "Machinery": ["333111", "333517", "333914"],
    "Municipalities": ["921110", "921190"], "School districts": ["611110", "611710"],
}
ZIPS = ["77429", "73301", "10001", "60601", "94105", "30303", "98101", "02108", "80202",
        "55401", "85004", "19103", "63101", "37203", "46204", "43215", "97204", "84101",
        "53202", "64105", "27601", "23219", "32801", "70112", "68102"]
NAME_PARTS = (["Lakeside", "Summit", "Riverbend", "Northgate", "Harbor", "Prairie", "Cedar",
               "Granite", "Bluewater", "Pinecrest"],
              ["Health", "Foods", "Machine Works", "County", "Medical Group", "Industries",
               "Schools", "Care Partners", "Fabrication", "Public Works"])
OFFERINGS = [
    ("Asset Tracking Platform", OfferingKind.PRODUCT, "1200.00", "per site per year"),
    ("Preventive Maintenance Service", OfferingKind.SERVICE, "450.00", "per visit"),
    ("Operator Training Program", OfferingKind.PROGRAM, "2900.00", "per cohort"),
    ("Compliance Audit", OfferingKind.SERVICE, "3800.00", "per audit"),
]
FIRST_NAMES = ["Maria", "James", "Aisha", "Wei", "Daniel", "Sofia", "Michael", "Priya", "John", "Elena"]
LAST_NAMES = ["Johnson", "Nguyen", "Patel", "Garcia", "Smith", "Kim", "Brown", "Lopez", "Davis", "Chen"]




@dataclass
class DemoContext:
    """What the demo steps share: one seeded random generator, the demo users, offerings, accounts."""

    rng: random.Random = field(default_factory=lambda: random.Random(2027))
    users: dict = field(default_factory=dict)
    offerings: list = field(default_factory=list)
    accounts: list = field(default_factory=list)

    @property
    def cycle(self):
        return current_cycle()

    @property
    def salespeople(self):
        return [self.users["cft"], self.users["cft2"]]


def last_year(ctx) -> EngagementCycle:
    """The closed cycle before the current one (made with it; made now, closed, in a demo loaded
    before there was one): the demo's history of ended opportunities (#17)."""
    current = ctx.cycle
    past = EngagementCycle.objects.filter(ends_on__lt=current.starts_on).order_by("-starts_on").first()
    if past is None:
        past = cycle_create(name=f"FY{current.starts_on.year}", starts_on=add_months(current.starts_on, -12),
                            ends_on=current.starts_on - datetime.timedelta(days=1), make_current=False)
    return past


@contextmanager
def while_current(cycle):
    """Write into a closed cycle: it is the current one inside the block, the current one again after."""
    current = current_cycle()
    with transaction.atomic():
        current.is_current = False
        current.save(update_fields=["is_current", "updated_at"])
        cycle.is_current = True
        cycle.save(update_fields=["is_current", "updated_at"])
        yield cycle
        cycle.is_current = False
        cycle.save(update_fields=["is_current", "updated_at"])
        current.is_current = True
        current.save(update_fields=["is_current", "updated_at"])


@demo_step(order=0)
def shared_model(ctx: DemoContext) -> None:
    ctx.users = _users()
    if current_cycle() is None:
        # A year that began ten months ago: ten months have closed whenever the demo is loaded, so
        # milestone 7 has reviews to ask for and the cycle holds costs and values.
        starts = add_months(datetime.date.today().replace(day=1), -10)
        # Last year first, closed: cycles open in date order, and a cycle's records run from its
        # opening to the next one's (the prioritization and opportunities steps fill it).
        cycle_create(name=f"FY{starts.year}", starts_on=add_months(starts, -12),
                     ends_on=starts - datetime.timedelta(days=1), make_current=False)
        cycle_create(name=f"FY{starts.year + 1}", starts_on=starts,
                     ends_on=add_months(starts, 12) - datetime.timedelta(days=1))
    OrganisationProfile.objects.get_or_create(
        defaults={"name": "Northwind Field Services", "fiscal_year_start_month": 1}
    )
    groups = _segments()
    ctx.offerings = [Offering.objects.get_or_create(
        name=name, defaults={"kind": kind, "price": price, "unit": unit,
                             "description": f"{name}: part of the demo portfolio."})[0]
        for name, kind, price, unit in OFFERINGS]
    ctx.accounts = _accounts(ctx.rng, groups, ctx.salespeople)


def _users():
    users = {}
    for username, role, first, last, password in DEMO_USERS:
        call_command("create_user_with_role", username, role=role, password=password,
                     email=f"{username}@northwind.example", first_name=first, last_name=last,
                     stdout=io.StringIO())
        users[username] = get_user_model().objects.get(username=username)
    return users


def _segments():
    groups = []
    for segment_name, group_names in SEGMENTS.items():
        segment, _ = MarketSegment.objects.get_or_create(
            name=segment_name, parent=None,
            defaults={"description": f"{segment_name} organisations in the United States."})
        for group_name in group_names:
            groups.append(MarketSegment.objects.get_or_create(name=group_name, parent=segment)[0])
    return groups


def _accounts(rng, groups, owners):
    accounts = []
    names = [f"{a} {b}" for a in NAME_PARTS[0] for b in NAME_PARTS[1]]
    rng.shuffle(names)
    for index, name in enumerate(names[:50]):
        group = groups[index % len(groups)]
        account, created = Account.objects.get_or_create(name=name, defaults={
            "kind": rng.choice([AccountKind.CUSTOMER, AccountKind.PROSPECT, AccountKind.PROSPECT,
                                AccountKind.STAKEHOLDER]),
            "naics_code": rng.choice(NAICS_BY_GROUP[group.name]),
            "zip_code": rng.choice(ZIPS), "segment": group,
            "lifecycle_stage": rng.choice(LifecycleStage.values),
            "owner": owners[index % len(owners)],
        })
        if created:
            account.full_clean()
            for role in (DecisionRole.INTERNAL_SPONSOR, DecisionRole.DECISION_MAKER):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                Contact.objects.create(
                    account=account, name=f"{first} {last}", decision_role=role,
                    title="Operations manager" if role == DecisionRole.INTERNAL_SPONSOR else "Director",
                    age_group=rng.choice(AgeGroup.values),
                    email=f"{first}.{last}@{name.split()[0].lower()}.example".lower(),
                    phone=f"+1 555 01{rng.randint(10, 99)}",
                )
        accounts.append(account)
    return accounts
