"""The shared model's part of the scale data set (`manage.py load_scale_data --scale F`): a large,
believable organisation for benchmarks and for the tests that check a page's queries at two sizes.

At `--scale 1`: 10,000 accounts with 30,000 contacts, 200 offerings, 60 segments and groups, 40
team members; the task apps add their records with `@scale_step(order)` from their `scale.py`.
Everything is seeded (the same scale gives the same data) and written in bulk.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from simple_history.utils import bulk_create_with_history

from .choices import AccountKind, AgeGroup, DecisionRole, LifecycleStage, OfferingKind
from .lib.spreadsheets import BULK_BATCH
from .models import Account, Contact, MarketSegment, Offering, OrganisationProfile
from .registry import scale_step
from .roles import CFT_MEMBER, LFT_CHAIR
from .services import cycle_create

# Every record the loader makes is named with this mark, so it knows its own data.
MARK = "Scale"
ORGANISATION = "Scale Test Organisation"

# Real 2022 NAICS codes and US ZIP codes (checked by the model's validators elsewhere).
NAICS = ["622110", "621111", "621210", "311411", "311812", "333111", "333517", "921110", "611110", "541511"]
ZIPS = ["77429", "73301", "10001", "60601", "94105", "30303", "98101", "02108", "80202", "55401"]


@dataclass
class ScaleContext:
    scale: float
    rng: random.Random = field(default_factory=lambda: random.Random(2027))
    cycle: object = None
    users: list = field(default_factory=list)  # the CFT members (and the chair) who own records
    offering_ids: list = field(default_factory=list)
    account_ids: list = field(default_factory=list)
    contact_ids_by_account: dict = field(default_factory=dict)
    segment_ids: list = field(default_factory=list)  # top-level segments
    group_ids: list = field(default_factory=list)  # customer groups
    today: datetime.date = field(default_factory=datetime.date.today)

    def count(self, at_scale_one: int, minimum: int = 1) -> int:
        return max(minimum, round(at_scale_one * self.scale))


def foreign_records() -> list[str]:
    """The kinds of record in the database that the loader did not make (empty: safe to load)."""
    checks = [
        ("accounts", Account.objects.exclude(name__startswith=f"{MARK} ")),
        ("offerings", Offering.objects.exclude(name__startswith=f"{MARK} ")),
        ("market segments", MarketSegment.objects.exclude(name__startswith=f"{MARK} ")),
        ("organisation profiles", OrganisationProfile.objects.exclude(name=ORGANISATION)),
    ]
    return [what for what, queryset in checks if queryset.exists()]


SPEND_SEED = 2028


def already_loaded() -> bool:
    return OrganisationProfile.objects.filter(name=ORGANISATION).exists()


@scale_step(order=0)
def shared_model(ctx: ScaleContext) -> None:
    rng = ctx.rng
    OrganisationProfile.objects.create(name=ORGANISATION, fiscal_year_start_month=1)
    ctx.cycle = cycle_create(name=f"{MARK} FY{ctx.today.year + 1}", starts_on=datetime.date(ctx.today.year, 1, 1),
                             ends_on=datetime.date(ctx.today.year, 12, 31))
    ctx.users = _team(ctx.count(40, minimum=3))

    segments = MarketSegment.objects.bulk_create(
        [MarketSegment(name=f"{MARK} segment {i + 1:02d}") for i in range(10)])
    groups = MarketSegment.objects.bulk_create(
        [MarketSegment(name=f"{MARK} group {s.pk}-{g + 1}", parent=s) for s in segments for g in range(5)])
    ctx.segment_ids = [s.pk for s in segments]
    ctx.group_ids = [g.pk for g in groups]

    kinds = OfferingKind.values
    offerings = Offering.objects.bulk_create([
        Offering(name=f"{MARK} offering {i + 1:04d}", kind=kinds[i % len(kinds)], price=rng.randint(100, 9000),
                 unit="each") for i in range(ctx.count(200, minimum=20))])
    ctx.offering_ids = [o.pk for o in offerings]

    account_kinds = [AccountKind.CUSTOMER, AccountKind.PROSPECT, AccountKind.PROSPECT, AccountKind.STAKEHOLDER]
    accounts = [
        Account(name=f"{MARK} account {i + 1:06d}", kind=rng.choice(account_kinds), naics_code=rng.choice(NAICS),
                zip_code=rng.choice(ZIPS), segment_id=rng.choice(ctx.group_ids),
                lifecycle_stage=rng.choice(LifecycleStage.values), owner=rng.choice(ctx.users))
        for i in range(ctx.count(10_000, minimum=20))]
    spends = random.Random(SPEND_SEED)  # its own generator: the other records stay as they were
    for account in accounts:  # seven customers in ten have their yearly spend (all suppliers) recorded
        if account.kind == AccountKind.CUSTOMER and spends.random() < 0.7:
            account.annual_spend = spends.randrange(20_000, 500_000, 1_000)
    bulk_create_with_history(accounts, Account, batch_size=BULK_BATCH, default_user=ctx.users[0])
    ctx.account_ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))

    roles = DecisionRole.values
    contacts = [Contact(account_id=account_id, name=f"{MARK} contact {account_id}-{n}", title="Manager",
                        decision_role=roles[n % len(roles)], age_group=rng.choice(AgeGroup.values),
                        email=f"contact{account_id}-{n}@scale.example")
                for account_id in ctx.account_ids for n in range(3)]
    Contact.objects.bulk_create(contacts, batch_size=BULK_BATCH)
    for contact_id, account_id in Contact.objects.values_list("pk", "account_id"):
        ctx.contact_ids_by_account.setdefault(account_id, []).append(contact_id)


def _team(size: int) -> list:
    User = get_user_model()
    cft, chair = Group.objects.get(name=CFT_MEMBER), Group.objects.get(name=LFT_CHAIR)
    users = []
    for i in range(size):
        user = User.objects.create_user(f"scale{i + 1:03d}", email=f"scale{i + 1:03d}@scale.example",
                                        first_name="Team", last_name=f"Member {i + 1}")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(chair if i == 0 else cft)
        users.append(user)
    return users
