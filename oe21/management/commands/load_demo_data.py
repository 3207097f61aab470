"""A believable demo organisation, so that a newcomer sees a living portal."""

import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from oe21.choices import AccountKind, AgeGroup, DecisionRole, LifecycleStage, OfferingKind
from oe21.models import Account, Contact, MarketSegment, Offering, OrganisationProfile
from oe21.roles import ADMIN, CFT_MEMBER, LFT_CHAIR, OFT_MEMBER, PMS_CLIENT, VIEWER
from oe21.selectors import current_cycle
from oe21.services import cycle_create
from prioritization.models import Assessment, Criterion, Rating

DEMO_USERS = [
    # username, role, first name, last name, password
    ("chair", LFT_CHAIR, "Lena", "Fischer", "chair-demo-2027"),
    ("cft", CFT_MEMBER, "Carlos", "Ruiz", "cft-demo-2027"),
    ("cft2", CFT_MEMBER, "Grace", "Okafor", "cft2-demo-2027"),
    ("oft", OFT_MEMBER, "Omar", "Haddad", "oft-demo-2027"),
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


class Command(BaseCommand):
    help = "Load the demo organisation: segments, ~50 accounts, contacts, offerings, users per role."

    def handle(self, *args, **options):
        rng = random.Random(2027)
        with transaction.atomic():
            users = self._users()
            if current_cycle() is None:
                today = datetime.date.today()
                cycle_create(name=f"FY{today.year + 1}", starts_on=datetime.date(today.year, 1, 1),
                             ends_on=datetime.date(today.year, 12, 31))
            OrganisationProfile.objects.get_or_create(
                defaults={"name": "Northwind Field Services", "fiscal_year_start_month": 1}
            )
            groups = self._segments()
            offerings = [Offering.objects.get_or_create(
                name=name, defaults={"kind": kind, "price": price, "unit": unit,
                                     "description": f"{name}: part of the demo portfolio."})[0]
                for name, kind, price, unit in OFFERINGS]
            accounts = self._accounts(rng, groups, [users["cft"], users["cft2"]])
            self._assessments(rng, accounts, offerings[:-1], users["cft"])
            self._opportunities(rng, accounts, offerings, [users["cft"], users["cft2"]])
            self._metrics(rng, accounts, offerings, users["cft"])
            self._offering_information(rng, offerings, users)
            self._survey(rng, users["cft"])
            from metrics.services import recompute_measures

            recompute_measures(months=24)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded: {Account.objects.count()} accounts, {Contact.objects.count()} contacts, "
            f"{Offering.objects.count()} offerings."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/ with one of these demo users:")
        for username, role, _, _, password in DEMO_USERS:
            self.stdout.write(f"  {role:<11} username {username:<7} password {password}")

    def _users(self):
        users = {}
        for username, role, first, last, password in DEMO_USERS:
            call_command("create_user_with_role", username, role=role, password=password,
                         email=f"{username}@northwind.example", first_name=first, last_name=last,
                         stdout=io.StringIO())
            users[username] = get_user_model().objects.get(username=username)
        return users

    def _segments(self):
        groups = []
        for segment_name, group_names in SEGMENTS.items():
            segment, _ = MarketSegment.objects.get_or_create(
                name=segment_name, parent=None,
                defaults={"description": f"{segment_name} organisations in the United States."})
            for group_name in group_names:
                groups.append(MarketSegment.objects.get_or_create(name=group_name, parent=segment)[0])
        return groups

    def _accounts(self, rng, groups, owners):
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

    def _opportunities(self, rng, accounts, offerings, salespeople):
        """Campaigns for two segments (one half done) and ~25 opportunities with touches."""
        from opportunities import services as opportunity_services
        from opportunities.choices import Channel, Direction, Status, StatusReason
        from opportunities.models import Campaign, Opportunity, Touch

        cycle = current_cycle()
        today = datetime.date.today()
        for index, segment in enumerate(MarketSegment.objects.filter(parent=None).order_by("name")[:2]):
            if Campaign.objects.filter(cycle=cycle, segment=segment).exists():
                continue
            campaign = opportunity_services.campaign_create(cycle=cycle, segment=segment, user=salespeople[0])
            for item in campaign.items.all():
                item.owner = rng.choice(salespeople)
                item.due_on = today + datetime.timedelta(days=rng.randint(-20, 40))
                if item.phase == 1 and (index == 0 or item.code < "T5"):
                    item.done_on = today - datetime.timedelta(days=rng.randint(1, 30))
                item.save()
            opportunity_services.engagement_text_save(
                segment=segment, kind="value_proposition", user=salespeople[0],
                body=f"For {segment.name.lower()} organisations that need dependable equipment, our "
                     "offerings cut unplanned downtime and keep compliance audits simple.")
            opportunity_services.engagement_text_save(
                segment=segment, kind="touch", touch_number=1, medium="email", user=salespeople[0],
                body="Subject: A shorter path to zero unplanned downtime\n\nHello {name}, ...")
        if Opportunity.objects.filter(cycle=cycle).exists():
            return
        statuses = [Status.NO_PROGRESS, Status.UNDECIDED, Status.INTERESTED, Status.EVALUATING,
                    Status.PURCHASED, Status.NOT_INTERESTED, Status.INTERESTED]
        for index, account in enumerate(accounts[10:35]):
            salesperson = salespeople[index % 2]
            opportunity = opportunity_services.opportunity_create(user=salesperson, data={
                "cycle": cycle, "salesperson": salesperson, "salesperson_role": "Account executive",
                "offering": offerings[index % len(offerings)], "lead_source": rng.choice(
                    ["email", "phone", "web_site", "referral", "other"]),
                "account": account, "contact": account.contacts.first(),
                "sponsor_engaged_on": today - datetime.timedelta(days=40) if index % 3 else None,
                "touch1_sent_on": today - datetime.timedelta(days=35) if index % 3 == 1 else None,
            })
            for _ in range(rng.randint(2, 9)):
                Touch.objects.create(
                    opportunity=opportunity, by=salesperson, channel=rng.choice(Channel.values),
                    direction=rng.choice([Direction.OUT, Direction.OUT, Direction.IN]),
                    occurred_on=today - datetime.timedelta(days=rng.randint(0, 60)))
            status = statuses[index % len(statuses)]
            if status != Status.NO_PROGRESS:
                opportunity_services.opportunity_change_status(
                    opportunity=opportunity, status=status, user=salesperson,
                    reason=StatusReason.BUDGET if status == Status.NOT_INTERESTED else "")

    def _metrics(self, rng, accounts, offerings, user):
        """Eighteen months of ratings, complaints, touches and a typed-in KRI, then recomputed."""
        from metrics.computations import add_months, months_back
        from metrics.models import Complaint, CustomerRating, Measure, MeasureEntry
        from metrics.services import recompute_measures
        from opportunities.choices import Channel, Direction
        from opportunities.models import Opportunity, Touch

        if CustomerRating.objects.exists():
            return
        today = datetime.date.today()
        months = months_back(add_months(today.replace(day=1), -1), 18)
        opportunities = list(Opportunity.objects.all())
        nps = Measure.objects.create(name="Net promoter score", kind="KRI", unit="points", target=30,
                                     direction="higher", owner=user)
        for index, month in enumerate(months):
            effort = 20 + index * 3 + rng.randint(-4, 4)  # touches grow; ratings follow a little later
            for _ in range(effort):
                Touch.objects.create(opportunity=rng.choice(opportunities), by=user,
                                     occurred_on=month + datetime.timedelta(days=rng.randint(0, 27)),
                                     channel=rng.choice(Channel.values),
                                     direction=Direction.OUT if rng.random() < 0.7 else Direction.IN)
            for _ in range(6):
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
        recompute_measures(months=24)  # again after the survey: see handle()

    def _offering_information(self, rng, offerings, users):
        """Specifications (one approved), a datasheet, a year of costs, and action-plan tasks."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from metrics.computations import add_months, months_back
        from prioritization.models import ActionPlanItem, Assessment
        from requirements_specs import services as spec_services
        from requirements_specs.models import OfferingCost, RequirementSpec

        if RequirementSpec.objects.exists():
            return
        for index, offering in enumerate(offerings[:3]):
            spec = spec_services.spec_save(offering=offering, user=users["oft"], data={
                "offering_type": offering.get_kind_display(), "requirements": f"{offering.name}: core requirements.",
                "order_quantities": "Monthly", "desired_cycle_time": "10 working days", "value_rating": 4})
            if index == 0:
                spec_services.spec_submit(spec=spec, user=users["oft"])
                spec_services.spec_approve(spec=spec, user=users["chair"])
                pdf = b"%PDF-1.4\n% demo datasheet\n%%EOF\n"
                spec_services.document_upload(offering=offering, kind="datasheet", user=users["cft"],
                                              upload=SimpleUploadedFile("datasheet.pdf", pdf))
        for month in months_back(add_months(datetime.date.today().replace(day=1), -1), 12):
            for offering in offerings:
                revenue = rng.randint(8, 20) * 1000
                margin = {0: 0.45, 1: 0.3, 2: 0.12, 3: 0.05}[offerings.index(offering) % 4]
                OfferingCost.objects.create(offering=offering, period=month, revenue=revenue,
                                            cost_of_goods_sold=round(revenue * (1 - margin)), units=rng.randint(2, 9),
                                            design_days=rng.randint(5, 20), produce_days=rng.randint(2, 10),
                                            deliver_days=rng.randint(1, 5), support_days=rng.randint(1, 3))
        for assessment in Assessment.objects.all()[:3]:
            ActionPlanItem.objects.create(assessment=assessment, description="Invite to an on-site demo",
                                          owner=users["cft"], due_date=datetime.date.today() + datetime.timedelta(30))

    def _survey(self, rng, user):
        """An engagement survey of the Healthcare segment, sent, with about half answered."""
        from metrics import surveys
        from metrics.models import Survey

        if Survey.objects.exists():
            return
        survey = surveys.survey_create(
            data={"title": "Customer engagement and loyalty survey", "cycle": current_cycle(),
                  "competitors": "Acme Field Services\nGlobex Maintenance"},
            segment=MarketSegment.objects.get(name="Healthcare", parent=None), user=user)
        survey.status = "open"
        survey.save(update_fields=["status", "updated_at"])
        for invitation in survey.invitations.all():
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

    def _assessments(self, rng, accounts, offerings, assessor):
        """Rate some accounts; the last offering is left unrated so milestone 1 shows what is missing."""
        cycle = current_cycle()
        criteria = list(Criterion.objects.filter(is_active=True))
        for index, account in enumerate(accounts[:18]):
            offering = offerings[index % len(offerings)]
            assessment, created = Assessment.objects.get_or_create(
                cycle=cycle, account=account, offering=offering,
                defaults={"respondent_name": account.contacts.first().name,
                          "respondent_role": "Operations manager", "assessed_by": assessor})
            if created:
                for criterion in criteria:
                    Rating.objects.create(assessment=assessment, criterion=criterion,
                                          value=rng.randint(2, 5))
