"""Who may open and post to every URL of the portal (issue #14): a role × URL matrix built from the URL
resolver. Every pattern has an entry below; a new URL without one fails the test.

Each request runs on the demo organisation, inside a savepoint that is rolled back, so one request
never changes what the next one sees. Outcomes: "ok" (the role is served: 2xx, 3xx, or 400 for an
empty form that a JSON endpoint refuses), 403, 405 (the method is not offered), "login" (sent to
the sign-in page) and 401 (the API, without credentials).
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from metrics import surveys
from metrics.models import Complaint, Measure, ReviewMeeting, Survey
from oe21.models import (
    Account,
    ActionItem,
    BackgroundJob,
    Contact,
    MarketSegment,
    Milestone,
    Offering,
)
from oe21.selectors import current_cycle
from oe21.services import action_item_add
from opportunities.models import Campaign, CampaignItem, Comment, EngagementText, Opportunity, Proposal
from prioritization.models import Assessment
from requirements_specs.models import ActionPlanTask, OfferingDocument, RequirementSpec

pytestmark = pytest.mark.django_db

PORTAL_ROLES = ["viewer", "cft", "cft_other", "oft", "oft_lead", "chair", "admin"]
ROLES = ["anonymous", *PORTAL_ROLES, "pms"]

EVERYONE = set(PORTAL_ROLES)
CFT = {"cft", "cft_other", "chair", "admin"}       # CFT members edit (the chair is one too); the Admin may all
OWNER = {"cft", "chair", "admin"}                  # the opportunity's salesperson ("cft"), or the chair
AUTHOR = {"cft"}                                   # the comment's author, nobody else
STARTER = {"cft", "admin"}                         # the background job's starter
CHAIR = {"chair", "admin"}
OFT = {"oft", "oft_lead", "cft", "cft_other", "chair", "admin"}
OFT_LEAD = {"oft_lead", "chair", "admin"}
NO = "405"

# name: (argument, GET, POST[, refused]) — who is served; every other portal role gets 403 (or
# `refused`), or 405 for everybody when the method is not offered. Anonymous users get the sign-in
# page, the PMS client 403 (it reaches the API only). A read page answers a POST as a GET.
MATRIX = {
    "account_create": (None, CFT, CFT),
    "account_detail": ("account", EVERYONE, NO),
    "account_edit": ("account", CFT, CFT),
    "account_export": (None, EVERYONE, EVERYONE),
    "account_history": ("account", EVERYONE, NO),
    "account_timeline": ("account", EVERYONE, NO),
    "account_import": (None, CFT, CFT),
    "account_list": (None, EVERYONE, NO),
    "account_lookup": (None, EVERYONE, NO),
    "account_contacts": ("account", EVERYONE, NO),
    "audit_report": (None, EVERYONE, EVERYONE),
    "contact_create": (None, CFT, CFT),
    "contact_export": (None, EVERYONE, EVERYONE),
    "contact_import": (None, CFT, CFT),
    "contact_detail": ("contact", EVERYONE, NO),
    "contact_edit": ("contact", CFT, CFT),
    "contact_history": ("contact", EVERYONE, NO),
    "contact_list": (None, EVERYONE, NO),
    "cycle_list": (None, EVERYONE, EVERYONE),
    "cycle_open": (None, CHAIR, CHAIR),
    "home": (None, EVERYONE, EVERYONE),
    "search": (None, EVERYONE, NO),
    "job_detail": ("job", STARTER, STARTER, "404"),
    "job_status": ("job", STARTER, STARTER, "404"),
    "metrics:complaint_create": (None, CFT, CFT),
    "metrics:complaint_edit": ("complaint", CFT, CFT),
    "metrics:complaint_history": ("complaint", EVERYONE, EVERYONE),
    "metrics:complaint_list": (None, EVERYONE, EVERYONE),
    "metrics:dashboard": (None, EVERYONE, CFT),
    "metrics:entries_import": (None, CFT, CFT),
    "metrics:entry_create": (None, CFT, CFT),
    "metrics:follow_up_close": ("follow_up", NO, CFT),
    "metrics:measure_create": (None, CFT, CFT),
    "metrics:outcome_list": (None, EVERYONE, CFT),
    "metrics:outcome_edit": ("outcome", CFT, CFT),
    "metrics:outcome_history": ("outcome", EVERYONE, NO),
    "metrics:measure_edit": ("measure", CFT, CFT),
    "metrics:measure_history": ("measure", EVERYONE, NO),
    "metrics:measure_list": (None, EVERYONE, EVERYONE),
    "metrics:measure_select": ("measure", NO, CFT),
    "metrics:rating_create": (None, CFT, CFT),
    "metrics:rating_list": (None, EVERYONE, EVERYONE),
    "metrics:ratings_import": (None, CFT, CFT),
    "metrics:recompute": (None, NO, CFT),
    "metrics:at_risk": (None, EVERYONE, NO),
    "metrics:at_risk_refresh": (None, NO, CFT),
    "metrics:business_case": (None, EVERYONE, NO),
    "metrics:review_print": (None, EVERYONE, EVERYONE),
    "metrics:review_log": (None, EVERYONE, EVERYONE),
    "metrics:sample_size": (None, EVERYONE, EVERYONE),
    "metrics:survey_detail": ("survey", EVERYONE, EVERYONE),
    "metrics:survey_list": (None, EVERYONE, CFT),
    "metrics:survey_send": ("survey", NO, CFT),
    "milestone_decide": ("milestone", NO, CHAIR),
    "milestone_submit": ("milestone", NO, CFT),
    "offering_create": (None, CFT, CFT),
    "offering_detail": ("offering", EVERYONE, NO),
    "offering_edit": ("offering", CFT, CFT),
    "offering_history": ("offering", EVERYONE, NO),
    "offering_list": (None, EVERYONE, NO),
    "opportunities:action_item_add": ("opportunity", NO, OWNER),
    "opportunities:campaign_detail": ("campaign", EVERYONE, EVERYONE),
    "opportunities:campaign_item_attachment": ("campaign_item", EVERYONE, EVERYONE),
    "opportunities:campaign_item_edit": ("campaign_item", CFT, CFT),
    "opportunities:campaign_targets": ("campaign", EVERYONE, CFT),
    "opportunities:campaign_target_remove": ("campaign_target", NO, CFT),
    "opportunities:campaign_list": (None, EVERYONE, CFT),
    "opportunities:comment_add": ("opportunity", NO, OWNER),
    "opportunities:proposal_add": ("opportunity", NO, OWNER),
    "opportunities:proposal_outcome": ("proposal", NO, OWNER),
    "opportunities:comment_delete": ("comment", NO, AUTHOR),
    "opportunities:comment_edit": ("comment", NO, AUTHOR),
    "opportunities:index": (None, EVERYONE, EVERYONE),
    "opportunities:opportunity_create": (None, CFT, CFT),
    "opportunities:opportunity_detail": ("opportunity", EVERYONE, EVERYONE),
    "opportunities:opportunity_edit": ("opportunity", OWNER, OWNER),
    "opportunities:opportunity_export": (None, EVERYONE, EVERYONE),
    "opportunities:opportunity_history": ("opportunity", EVERYONE, EVERYONE),
    "opportunities:opportunity_import": (None, CFT, CFT),
    "opportunities:opportunity_status": ("opportunity", NO, OWNER),
    "opportunities:opportunity_steps": ("opportunity", NO, OWNER),
    "opportunities:pipeline": (None, EVERYONE, EVERYONE),
    "opportunities:rollups": (None, EVERYONE, EVERYONE),
    "opportunities:text_create": (None, CFT, CFT),
    "opportunities:text_versions": ("text", EVERYONE, EVERYONE),
    "opportunities:touch_add": ("opportunity", NO, OWNER),
    "prioritization:action_item_add": ("assessment", NO, CFT),
    "prioritization:assessment_detail": ("assessment", EVERYONE, EVERYONE),
    "prioritization:assessment_history": ("assessment", EVERYONE, EVERYONE),
    "prioritization:assessment_override": ("assessment", NO, CFT),
    "prioritization:assessment_review": ("assessment", NO, CFT),
    "prioritization:assessments_review": (None, NO, CFT),
    "prioritization:grid": (None, CFT, CFT),
    "prioritization:matrix": (None, EVERYONE, EVERYONE),
    "prioritization:matrix_export": (None, EVERYONE, EVERYONE),
    "prioritization:matrix_import": (None, CFT, CFT),
    "prioritization:matrix_statistics": (None, EVERYONE, EVERYONE),
    "prioritization:calibration": (None, EVERYONE, NO),
    "prioritization:weights": (None, EVERYONE, {"admin"}),  # an Admin adopts new weights
    "requirements_specs:cost_create": (None, OFT, OFT),
    "requirements_specs:costs_import": (None, OFT, OFT),
    "requirements_specs:document_distribute": ("document", NO, CFT),
    "requirements_specs:competitors": ("offering", EVERYONE, OFT),
    "requirements_specs:document_download": ("document", EVERYONE, EVERYONE),
    "requirements_specs:documents": ("offering", EVERYONE, CFT),
    "requirements_specs:index": (None, EVERYONE, EVERYONE),
    "requirements_specs:offering_decide": ("offering", NO, CHAIR),
    "requirements_specs:offering_reconfirm": ("offering", NO, OFT_LEAD),
    "requirements_specs:plan": (None, EVERYONE, CFT),
    "requirements_specs:plan_decide": ("plan_task", NO, CHAIR),
    "requirements_specs:plan_propose_item": ("plan_item", NO, CFT),
    "requirements_specs:plan_leave_out_item": ("plan_item", NO, CFT),
    "requirements_specs:plan_status": ("plan_task", NO, CFT),
    "requirements_specs:plan_task_edit": ("plan_task", CFT, CFT),
    "requirements_specs:portfolio": (None, EVERYONE, EVERYONE),
    "requirements_specs:spec_approve": ("spec", NO, OFT_LEAD),
    "requirements_specs:spec_create": ("offering", OFT, OFT),
    "requirements_specs:spec_detail": ("spec", EVERYONE, EVERYONE),
    "requirements_specs:spec_list": ("offering", EVERYONE, EVERYONE),
    "requirements_specs:spec_submit": ("spec", NO, OFT),
    "segment_create": (None, CFT, CFT),
    "segment_delete": ("segment", NO, CFT),
    "segment_edit": ("segment", CFT, CFT),
    "segment_history": ("segment", EVERYONE, NO),
    "segment_list": (None, EVERYONE, NO),
}
# Open without signing in: (name: (argument, GET outcome for anyone, POST outcome for anyone)).
OPEN = {
    "login": (None, "ok", "ok"),
    "logout": (None, NO, "login"),  # signed out, back to the sign-in page
    "healthz": (None, "ok", NO),
    "healthz_live": (None, "ok", NO),
    "metrics:survey_answer": ("survey_token", "ok", "ok"),
}


def _patterns(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if "format" in pattern.pattern.regex.groupindex:
                continue  # the same view with a format suffix
            yield f"{namespace}{pattern.name}"


@pytest.fixture
def world(settings, tmp_path):
    """The demo organisation, and one record of every kind a URL names."""
    call_command("load_demo_data", verbosity=0)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    names = dict(oft_lead="oftlead", viewer="viewer", cft="cft", cft_other="cft2", oft="oft", chair="chair",
                 admin="admin", pms="pms")
    users = {key: User.objects.get(username=username) for key, username in names.items()}
    opportunity = Opportunity.objects.filter(salesperson=users["cft"], cycle__is_current=True).first()
    item = CampaignItem.objects.first()
    item.attachment.save("targets.txt", ContentFile(b"Top 20\n"))
    follow_up = ActionItem.objects.filter(source_kind="review").first()
    if follow_up is None:  # a follow-up task of a monthly review
        meeting = ReviewMeeting.objects.first() or ReviewMeeting.objects.create(
            cycle=current_cycle(), month=datetime.date.today().replace(day=1), held_on=datetime.date.today(),
            attendees="CFT", decisions="Go on", recorded_by=users["chair"])
        follow_up = action_item_add(source=meeting, description="Call back", user=users["chair"], owner=users["cft"])
    invitation = Survey.objects.first().invitations.first()
    token = surveys.invitation_issue_token(invitation)
    invitation.save()
    candidate = ActionItem.objects.filter(plan_task__isnull=True).exclude(pk=getattr(follow_up, "pk", None)).first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from requirements_specs import services as specs

    document = OfferingDocument.objects.first() or specs.document_upload(
        offering=Offering.objects.first(), kind="datasheet", user=users["cft"],
        upload=SimpleUploadedFile("sheet.pdf", b"%PDF-1.4\n%%EOF\n"))
    plan_task = ActionPlanTask.objects.first() or specs.plan_task_propose(
        data={"description": "Train the help desk"}, user=users["cft"])
    from metrics.services import intended_outcome_save
    from opportunities.services import campaign_target_save

    campaign = Campaign.objects.first()
    target = campaign.targets.first() or campaign_target_save(
        campaign=campaign, account=Account.objects.first(), contact=None, user=users["cft"])
    outcome = intended_outcome_save(cycle=current_cycle(), user=users["cft"], data={
        "title": "Loyal customers", "indicators": [Measure.objects.filter(kind="KRI").first()]})
    records = {
        "campaign_target": target.pk, "outcome": outcome.pk,
        "milestone": Milestone.objects.filter(cycle__is_current=True, number=1).get().pk,
        "account": Account.objects.first().pk, "contact": Contact.objects.first().pk,
        "offering": Offering.objects.first().pk, "segment": MarketSegment.objects.first().pk,
        "job": BackgroundJob.objects.create(kind="x", description="x", started_by=users["cft"]).pk,
        "assessment": Assessment.objects.first().pk, "opportunity": opportunity.pk,
        "comment": Comment.objects.create(opportunity=opportunity, text="Mine", author=users["cft"]).pk,
        "proposal": Proposal.objects.create(opportunity=opportunity, sent_on=datetime.date.today(),
                                            offering=opportunity.offering, value=100).pk,
        "campaign": Campaign.objects.first().pk, "campaign_item": item.pk,
        "text": EngagementText.objects.first().pk, "spec": RequirementSpec.objects.first().pk,
        "document": document.pk, "plan_task": plan_task.pk,
        "follow_up": follow_up.pk, "measure": Measure.objects.first().pk,
        "complaint": Complaint.objects.first().pk, "survey": Survey.objects.first().pk,
        "survey_token": token, "plan_item": (candidate.source_kind, candidate.pk),
    }
    return users, records


def _url(name, argument, records):
    if argument is None:
        return reverse(name)
    if argument.startswith("api:"):  # a row of the table the API route lists
        view = resolve(reverse(name.replace("-detail", "-list"))).func
        model = view.cls.serializer_class.Meta.model
        return reverse(name, args=[model.objects.values_list("pk", flat=True).first()])
    value = records[argument]
    return reverse(name, args=list(value) if isinstance(value, tuple) else [value])


def _outcome(response) -> str:
    if response.status_code in (301, 302) and response["Location"].startswith(reverse("login")):
        return "login"
    if response.status_code in (401, 403, 404, 405, 500):
        return str(response.status_code)
    return "ok"


def _request(client, method, url):
    with transaction.atomic():
        response = getattr(client, method)(url, {})
        transaction.set_rollback(True)
    return _outcome(response)


# The REST export (every route of the API router, the schema and its docs page): read-only, for
# anybody signed in (the PMS client too) and 401 without credentials.
API = re.compile(r"^([a-z-]+-(list|detail|deleted|export)|api-root|api_schema|api_docs)$")


def _expected(name: str, method: str, role: str) -> str:
    if name in OPEN:
        return OPEN[name][1 if method == "get" else 2]
    if API.match(name):
        return "401" if role == "anonymous" else ("ok" if method == "get" else NO)
    argument, get, post, *refused = MATRIX[name]
    if role == "anonymous":
        return "login"
    if role == "pms":
        return "403"
    served = get if method == "get" else post
    if served == NO:
        return NO
    return "ok" if role in served else (refused[0] if refused else "403")


def _argument(name: str):
    if name in OPEN:
        return OPEN[name][0]
    if name in MATRIX:
        return MATRIX[name][0]
    return "api:" if name.endswith("-detail") else None


def test_every_url_has_an_entry():
    assert sorted(name for name in _patterns() if name not in MATRIX and name not in OPEN and not API.match(name)) == []


def test_every_role_gets_what_the_matrix_says_on_every_url(world):
    users, records = world
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        clients[role] = Client()
        clients[role].force_login(users[role])
    wrong = []
    for name in sorted(set(_patterns())):
        url = _url(name, _argument(name), records)
        # One permission class serves every API route: three roles show it (the rest read the same way).
        roles = ("anonymous", "viewer", "pms") if API.match(name) else ROLES
        for method in ("get", "post"):
            for role in roles:
                got, want = _request(clients[role], method, url), _expected(name, method, role)
                if name == "logout" and role != "anonymous":
                    clients[role].force_login(users[role])  # signed out: sign in again
                if got != want:
                    wrong.append(f"{method.upper()} {name} as {role}: {got}, expected {want}")
    assert wrong == [], "\n".join(wrong[:60])




