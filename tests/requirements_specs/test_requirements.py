import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oe21.milestones import missing_for
from oe21.models import Offering, Team
from oe21.services import action_item_add
from requirements_specs import selectors, services
from requirements_specs.models import ActionPlanTask, OfferingCost, OfferingDocument, RequirementSpec
from requirements_specs.value import contribution, margin_percent

from ..factories import AccountFactory, OfferingFactory, rated_assessment

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SPEC = {"offering_type": "Service", "requirements": "Quarterly visits\nCalibrated tools", "value_rating": 4}


def approve_and_document(offering, *, author, approver, uploader):
    """What milestone 5 asks of an offering: an approved specification and a document, distributed."""
    spec = services.spec_save(offering=offering, data=SPEC, user=author)
    services.spec_submit(spec=spec, user=author)
    services.spec_approve(spec=spec, user=approver)
    document = services.document_upload(offering=offering, kind="datasheet", user=uploader,
                                        upload=SimpleUploadedFile("sheet.pdf", PDF))
    services.document_distribute(document=document, teams=Team.objects.filter(kind="OFT") or
                                 [Team.objects.create(kind="OFT")], user=uploader)
    return spec


@pytest.fixture
def offering():
    return OfferingFactory(name="Preventive Maintenance")


def test_contribution_and_margin_by_hand():
    # 1000 − 650 = 350; 350 / 1000 = 35 %
    assert contribution(revenue=Decimal(1000), cost_of_goods_sold=Decimal(650)) == 350
    assert margin_percent(revenue=Decimal(1000), cost_of_goods_sold=Decimal(650)) == Decimal("35.0")
    # 300 − 400 = −100; −100 / 300 = −33.3 %
    assert margin_percent(revenue=Decimal(300), cost_of_goods_sold=Decimal(400)) == Decimal("-33.3")
    # no revenue: no margin
    assert margin_percent(revenue=Decimal(0), cost_of_goods_sold=Decimal(50)) is None


def test_saving_a_change_makes_a_new_version_and_keeps_the_old(client_for, oft_user, offering):
    client = client_for(oft_user)
    client.post(reverse("requirements_specs:spec_create", args=[offering.pk]), SPEC)
    client.post(reverse("requirements_specs:spec_create", args=[offering.pk]),
                {**SPEC, "requirements": "Monthly visits\nCalibrated tools"})
    v1, v2 = RequirementSpec.objects.order_by("version")
    assert (v1.version, v2.version, v1.requirements) == (1, 2, "Quarterly visits\nCalibrated tools")
    page = client.get(v2.get_absolute_url()).content.decode()
    assert "What changed since v1" in page and "Monthly" in page and "Quarterly" in page
    changes = selectors.spec_diff(v1, v2)
    assert [c.label for c in changes] == ["(b) Requirements or specifications"]


def test_a_value_rating_outside_1_to_5_is_refused(client_for, oft_user, offering):
    response = client_for(oft_user).post(reverse("requirements_specs:spec_create", args=[offering.pk]),
                                         {**SPEC, "value_rating": 6})
    assert "value_rating" in response.context["form"].errors
    assert not RequirementSpec.objects.exists()


def test_negative_costs_are_refused(client_for, oft_user, offering):
    response = client_for(oft_user).post(reverse("requirements_specs:spec_create", args=[offering.pk]),
                                         {**SPEC, "desired_cost": "-5"})
    assert "desired_cost" in response.context["form"].errors
    response = client_for(oft_user).post(reverse("requirements_specs:cost_create"), {
        "offering": offering.pk, "period": "2026-10", "revenue": "-1", "cost_of_goods_sold": "5", "units": 1})
    assert "revenue" in response.context["form"].errors
    assert not OfferingCost.objects.exists()


def test_approval_flow_and_a_second_approval_is_refused(oft_user, chair_user, cft_user, offering):
    spec = services.spec_save(offering=offering, data=SPEC, user=oft_user)
    with pytest.raises(ValidationError, match="sent for review"):
        services.spec_approve(spec=spec, user=chair_user)
    services.spec_submit(spec=spec, user=oft_user)
    with pytest.raises(PermissionDenied):
        services.spec_approve(spec=spec, user=cft_user)
    services.spec_approve(spec=spec, user=chair_user)
    with pytest.raises(ValidationError, match="approved already"):
        services.spec_approve(spec=spec, user=chair_user)
    spec.refresh_from_db()
    assert (spec.status, spec.approved_by) == ("approved", chair_user)


def test_an_oft_lead_approves_too(oft_user, offering):
    from oe21.roles import OFT_LEAD

    from ..factories import UserFactory

    lead = UserFactory(username="olivia-lead", role=OFT_LEAD)
    spec = services.spec_save(offering=offering, data=SPEC, user=oft_user)
    services.spec_submit(spec=spec, user=oft_user)
    services.spec_approve(spec=spec, user=lead)
    assert RequirementSpec.objects.get().status == "approved"


def _upload(client, offering, name, content, kind="datasheet"):
    return client.post(reverse("requirements_specs:documents", args=[offering.pk]),
                       {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_a_document_uploads_versions_and_downloads_byte_for_byte(client_for, cft_user, offering, settings):
    client = client_for(cft_user)
    _upload(client, offering, "sheet.pdf", PDF)
    _upload(client, offering, "sheet-v2.pdf", PDF + b"% v2\n")
    v1, v2 = OfferingDocument.objects.order_by("version")
    assert (v1.version, v2.version) == (1, 2)
    assert not v2.file.name.startswith("static") and str(settings.MEDIA_ROOT) in v2.file.path
    response = client.get(reverse("requirements_specs:document_download", args=[v2.pk]))
    body = b"".join(response.streaming_content)
    assert body == PDF + b"% v2\n" and hashlib.sha256(body).hexdigest() == v2.sha256
    assert "sheet-v2.pdf" in response["Content-Disposition"]
    assert [d.version for d in selectors.current_documents(offering)] == [2]


def test_an_anonymous_or_forged_request_gets_no_bytes(client, client_for, cft_user, offering):
    _upload(client_for(cft_user), offering, "sheet.pdf", PDF)
    document = OfferingDocument.objects.get()
    client.logout()
    response = client.get(reverse("requirements_specs:document_download", args=[document.pk]))
    assert response.status_code == 302 and PDF not in response.content
    # the stored file is not reachable by its storage path either
    assert client.get("/media/" + document.file.name).status_code in (302, 404)
    client.force_login(cft_user)
    assert client.get("/media/" + document.file.name).status_code == 404
    assert client.get(reverse("requirements_specs:document_download", args=[999999])).status_code == 404


@pytest.mark.parametrize("name, content, message", [
    ("datasheet.pdf", b"MZ\x90\x00 this is a windows program", "executable program"),
    ("datasheet.exe", b"MZ\x90\x00", "files are not accepted"),
    ("datasheet.pdf", b"just text pretending", "not a .pdf file"),
])
def test_bad_files_are_refused_before_anything_is_stored(client_for, cft_user, offering, settings,
                                                         name, content, message):
    response = _upload(client_for(cft_user), offering, name, content)
    assert message in str(response.context["form"].errors)
    assert not OfferingDocument.objects.exists()
    media = settings.MEDIA_ROOT
    assert not (media.exists() and any(media.rglob("*")) and any(p.is_file() for p in media.rglob("*")))


def test_a_file_over_the_limit_is_refused(client_for, cft_user, offering, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    response = _upload(client_for(cft_user), offering, "big.pdf", PDF + b"x" * 200)
    assert "larger than the limit" in str(response.context["form"].errors)
    assert not OfferingDocument.objects.exists()


def test_distribution_records_who_gave_which_version_to_which_team(client_for, cft_user, offering):
    client = client_for(cft_user)
    _upload(client, offering, "sheet.pdf", PDF)
    document = OfferingDocument.objects.get()
    oft, _ = Team.objects.get_or_create(kind="OFT")
    client.post(reverse("requirements_specs:document_distribute", args=[document.pk]),
                {f"d{document.pk}-teams": [oft.pk]})
    distribution = document.distributions.get()
    assert (distribution.team, distribution.distributed_by) == (oft, cft_user)


def test_a_document_is_given_to_customers_prospects_and_stakeholders_too(client_for, cft_user, viewer_user, offering):
    from oe21.models import Account

    from ..factories import AccountFactory

    client = client_for(cft_user)
    _upload(client, offering, "sheet.pdf", PDF)
    document = OfferingDocument.objects.get()
    url = reverse("requirements_specs:document_distribute", args=[document.pk])
    county = AccountFactory(name="Pine County", kind="stakeholder")
    client.post(url, {f"d{document.pk}-account": county.pk})
    client.post(url, {f"d{document.pk}-account": county.pk})  # again: nothing more
    assert [(d.account, d.team) for d in document.distributions.all()] == [(county, None)]
    page = client.get(reverse("requirements_specs:documents", args=[offering.pk])).content.decode()
    assert "Pine County (by" in page
    missing = client.post(url, {f"d{document.pk}-account": Account.objects.order_by("-pk").first().pk + 1000},
                          follow=True).content.decode()
    assert "There is no such account." in missing
    empty = client.post(url, {}, follow=True).content.decode()
    assert "Choose a team or an account that received it." in empty
    assert document.distributions.count() == 1
    from django.test import Client

    viewer = Client()
    viewer.force_login(viewer_user)
    assert viewer.post(url, {f"d{document.pk}-account": county.pk}).status_code == 403


def test_the_portfolio_ranks_by_contribution_and_flags_low_margins(client_for, viewer_user):
    big, thin, nothing = (OfferingFactory(name=n) for n in ("Big", "Thin", "Nothing sold"))
    for offering, revenue, cogs in ((big, 1000, 600), (thin, 800, 760), (nothing, 0, 50)):
        OfferingCost.objects.create(offering=offering, period=datetime.date(2026, 10, 1), revenue=revenue,
                                    cost_of_goods_sold=cogs, units=1)
    rows = selectors.portfolio()
    assert [(r.offering.name, r.contribution, r.margin, r.flagged) for r in rows] == [
        ("Big", 400, Decimal("40.0"), False), ("Thin", 40, Decimal("5.0"), True),
        ("Nothing sold", -50, None, True)]
    page = client_for(viewer_user).get(reverse("requirements_specs:portfolio")).content.decode()
    assert "below threshold" in page


def test_only_the_chair_decides_and_discontinued_offerings_leave_active_lists(client_for, cft_user, chair_user,
                                                                              offering):
    url = reverse("requirements_specs:offering_decide", args=[offering.pk])
    assert client_for(cft_user).post(url, {"decision": "discontinue", "reason": "x"}).status_code == 403
    client_for(chair_user).post(url, {"decision": "discontinue", "reason": "Margin below 5 % for a year"})
    offering.refresh_from_db()
    assert offering.status == "discontinued"
    assert offering not in Offering.objects.filter(status="active")
    assert offering.history.count() == 2 and offering.decisions.get().decided_by == chair_user


def test_a_decision_needs_a_reason(chair_user, offering):
    with pytest.raises(ValidationError):
        services.offering_decide(offering=offering, decision="continue", reason=" ", user=chair_user)


def test_importing_costs_is_all_or_nothing(client_for, oft_user, offering, django_capture_on_commit_callbacks):
    from oe21.models import BackgroundJob

    content = (b"offering,month,revenue,cost_of_goods_sold,units\n"
               b"Preventive Maintenance,2026-09,1000,600,4\n"
               b"Preventive Maintenance,2026-10,-5,600,4\n"
               b"Unknown,2026-10,10,5,x\n")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(oft_user).post(reverse("requirements_specs:costs_import"),
                                  {"file": SimpleUploadedFile("costs.csv", content)})
    job = BackgroundJob.objects.get()
    assert [(e["line"], e["column"]) for e in job.result["errors"]] == [
        (3, "revenue"), (4, "offering"), (4, "units")]
    assert not OfferingCost.objects.exists()


def test_action_plan_tasks_count_once_the_chair_approves(client_for, cft_user, chair_user, cycle):
    assessment = rated_assessment(cycle=cycle, offering=OfferingFactory())
    item = action_item_add(source=assessment, description="Invite to a demo", owner=cft_user, user=cft_user)
    client = client_for(cft_user)
    client.post(reverse("requirements_specs:plan_propose_item", args=["assessment", item.pk]))
    client.post(reverse("requirements_specs:plan"), {"description": "Train the call team", "budget": "1500",
                                                     "start_on": "2026-12-01", "due_on": "2027-01-15"})
    assert ActionPlanTask.objects.filter(status="proposed").count() == 2
    task = ActionPlanTask.objects.get(source_item=item)
    assert client.post(reverse("requirements_specs:plan_decide", args=[task.pk]),
                       {"decision": "approve"}).status_code == 403
    client_for(chair_user).post(reverse("requirements_specs:plan_decide", args=[task.pk]), {"decision": "approve"})
    task.refresh_from_db()
    assert (task.status, task.decided_by) == ("approved", chair_user)
    budget = dict((label, total) for label, total, _ in selectors.budget_by_status(selectors.plan_tasks()))
    assert budget["Proposed (waits for the LFT chair)"] == Decimal("1500")
    with pytest.raises(ValidationError):  # the same item cannot go in twice
        services.plan_task_propose(data={"description": "again"}, user=cft_user, source_item=item)


def test_milestone_5_asks_that_the_offering_information_reached_someone(cycle, oft_user, chair_user, cft_user,
                                                                       offering):
    spec = services.spec_save(offering=offering, data=SPEC, user=oft_user)
    services.spec_submit(spec=spec, user=oft_user)
    services.spec_approve(spec=spec, user=chair_user)
    document = services.document_upload(offering=offering, kind="datasheet", user=cft_user,
                                        upload=SimpleUploadedFile("sheet.pdf", PDF))
    assert [str(m) for m in missing_for(5, cycle)] == [
        "Offering “Preventive Maintenance”'s information was not given to anyone in FY2027: record which teams, "
        "customers or stakeholders received it."]
    services.document_distribute(document=document, accounts=[AccountFactory(kind="stakeholder")], user=cft_user)
    assert missing_for(5, cycle) == []


def test_milestones_5_and_6(cycle, oft_user, chair_user, cft_user, offering):
    assert [m.split(" (")[0] for m in missing_for(5, cycle)] == [
        "Offering “Preventive Maintenance” has no requirements specification approved in FY2027",
        "Offering “Preventive Maintenance” has no offering information document uploaded in FY2027"]
    approve_and_document(offering, author=oft_user, approver=chair_user, uploader=cft_user)
    assert missing_for(5, cycle) == []
    assert missing_for(6, cycle) == [f"Offering “Preventive Maintenance” has no costs and revenue recorded in {cycle}."]
    cost = OfferingCost.objects.create(offering=offering, period=cycle.starts_on, revenue=100, cost_of_goods_sold=95)
    assert missing_for(6, cycle) == [  # 5 % margin: below the default threshold
        f"Offering “Preventive Maintenance” has no cycle times (design, produce, deliver, support days) recorded "
        f"in {cycle}.",
        f"Offering “Preventive Maintenance” needs the LFT chair's continue/improve/discontinue decision for {cycle} "
        "(it is below the margin threshold)."]
    OfferingCost.objects.filter(pk=cost.pk).update(deliver_days=3)
    decision = services.offering_decide(offering=offering, decision="improve", reason="Raise price", user=chair_user)
    # decided today, outside FY2027: still missing until decided in the cycle
    assert len(missing_for(6, cycle)) == 1
    type(decision).objects.filter(pk=decision.pk).update(created_at=timezone.make_aware(
        datetime.datetime.combine(cycle.starts_on, datetime.time(12))))
    assert missing_for(6, cycle) == []


@pytest.mark.parametrize("name, data", [
    ("cost_create", {}), ("costs_import", {}), ("plan", {"description": "x"}),
])
def test_a_viewer_gets_403_on_changes(client_for, viewer_user, name, data):
    assert client_for(viewer_user).post(reverse(f"requirements_specs:{name}"), data).status_code == 403


def test_a_viewer_cannot_upload_or_write_specifications(client_for, viewer_user, offering):
    client = client_for(viewer_user)
    assert _upload(client, offering, "sheet.pdf", PDF).status_code == 403
    assert client.post(reverse("requirements_specs:spec_create", args=[offering.pk]), SPEC).status_code == 403
    assert not OfferingDocument.objects.exists() and not RequirementSpec.objects.exists()


def test_opportunity_action_items_and_review_follow_ups_go_into_the_plan(client_for, cft_user, cycle):
    import datetime as dt

    from metrics.models import ReviewMeeting

    from ..factories import make_opportunity

    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    client = client_for(cft_user)
    client.post(reverse("opportunities:action_item_add", args=[opportunity.pk]),
                {"description": "Send the case study", "owner": cft_user.pk})
    meeting = ReviewMeeting.objects.create(cycle=cycle, month=dt.date(2026, 10, 1), held_on=dt.date(2026, 11, 15),
                                           attendees="x", decisions="y")
    follow_up = action_item_add(source=meeting, description="Raise the touch rate", user=cft_user)
    labels = [c.source for c in selectors.plan_candidates()]
    assert labels == ["opportunity", "review"]
    item = opportunity.action_items.get()
    client.post(reverse("requirements_specs:plan_propose_item", args=["opportunity", item.pk]))
    client.post(reverse("requirements_specs:plan_propose_item", args=["review", follow_up.pk]))
    assert ActionPlanTask.objects.get(source_item=item).description.startswith("Send the case study")
    assert ActionPlanTask.objects.get(source_item=follow_up).description == "Raise the touch rate"
    assert selectors.plan_candidates() == []
    # proposing the same item again finds nothing waiting
    assert client.post(reverse("requirements_specs:plan_propose_item",
                               args=["review", follow_up.pk])).status_code == 404


def test_the_cft_leaves_an_item_out_of_the_plan_after_reviewing_it(client_for, cft_user, viewer_user, cycle):
    from ..factories import make_opportunity

    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    item = action_item_add(source=opportunity, description="Send the case study", user=cft_user)
    url = reverse("requirements_specs:plan_leave_out_item", args=["opportunity", item.pk])
    assert client_for(viewer_user).post(url).status_code == 403
    response = client_for(cft_user).post(url, follow=True)
    assert "left out of the plan" in response.content.decode()
    item.refresh_from_db()
    assert item.plan_reviewed_by == cft_user and not ActionPlanTask.objects.exists()
    assert selectors.plan_candidates() == []  # reviewed: no longer waiting
    assert client_for(cft_user).post(url).status_code == 404


def test_another_cft_member_cannot_add_an_action_item_to_my_opportunity(client_for, cft_user, other_cft_user,
                                                                         cycle):
    from ..factories import make_opportunity

    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    response = client_for(other_cft_user).post(reverse("opportunities:action_item_add", args=[opportunity.pk]),
                                               {"description": "x"})
    assert response.status_code == 403 and not opportunity.action_items.exists()


def test_milestone_5_asks_for_this_cycles_approval_or_a_reconfirmation(client_for, cycle, oft_user, chair_user,
                                                                      cft_user, offering):
    from oe21.services import cycle_open

    approve_and_document(offering, author=oft_user, approver=chair_user, uploader=cft_user)
    assert missing_for(5, cycle) == []
    next_year = cycle_open(name="FY2028", starts_on=datetime.date(2028, 1, 1), ends_on=datetime.date(2028, 12, 31),
                           user=chair_user).cycle
    # last year's approval does not make this year's milestone ready on day one
    assert len(missing_for(5, next_year)) == 2 and missing_for(5, cycle) == []
    url = reverse("requirements_specs:offering_reconfirm", args=[offering.pk])
    assert client_for(cft_user).post(url).status_code == 403  # approvers only
    assert len(missing_for(5, next_year)) == 2
    client_for(chair_user).post(url, follow=True)
    assert missing_for(5, next_year) == []
    page = client_for(chair_user).post(url, follow=True).content.decode()  # a second click
    assert "re-confirmed in this cycle already" in page
    assert offering.reviews.count() == 1
    with pytest.raises(ValidationError, match="FY2027 is closed"):
        services.offering_reconfirm(offering=offering, cycle=cycle, user=chair_user)


def test_reconfirming_needs_an_approved_specification(chair_user, cycle, offering):
    with pytest.raises(ValidationError, match="no approved specification"):
        services.offering_reconfirm(offering=offering, cycle=cycle, user=chair_user)


def test_the_portfolio_of_a_cycle_sums_that_cycle_like_milestone_6(client_for, viewer_user, cycle, offering):
    OfferingCost.objects.create(offering=offering, period=datetime.date(2027, 3, 1), revenue=1000,
                                cost_of_goods_sold=600)
    OfferingCost.objects.create(offering=offering, period=datetime.date(2026, 3, 1), revenue=5000,
                                cost_of_goods_sold=100)  # the year before FY2027
    rows = client_for(viewer_user).get(reverse("requirements_specs:portfolio")).context["rows"]
    assert [(r.offering, r.revenue, r.contribution) for r in rows] == [(offering, 1000, 400)]  # 1000 − 600
    # 40 % margin, above the threshold: the same figures; still every offering needs a decision
    assert missing_for(6, cycle) == [
        f"Offering “Preventive Maintenance” has no cycle times (design, produce, deliver, support days) recorded "
        f"in {cycle}.",
        f"Offering “Preventive Maintenance” needs the LFT chair's continue/improve/discontinue decision for {cycle}."]


def test_a_proposed_task_is_edited_until_it_is_approved(client_for, cft_user, chair_user, viewer_user):
    task = services.plan_task_propose(data={"description": "Train the help desk", "budget": 500}, user=cft_user)
    url = reverse("requirements_specs:plan_task_edit", args=[task.pk])
    form = {"description": "Train the help desk", "resources": "Two trainers", "start_on": "2027-02-01",
            "due_on": "2027-03-01", "budget": "1200"}
    assert client_for(viewer_user).post(url, form).status_code == 403
    response = client_for(cft_user).post(url, {**form, "due_on": "2027-01-01"})
    assert "The due date is before the start date." in response.content.decode()
    client_for(cft_user).post(url, form)
    task.refresh_from_db()
    assert (task.resources, task.budget, task.due_on) == ("Two trainers", Decimal("1200"), datetime.date(2027, 3, 1))
    services.plan_task_decide(task=task, approve=True, user=chair_user)
    response = client_for(cft_user).post(url, {**form, "budget": "9999"})
    assert "it can no longer be edited" in response.content.decode()
    task.refresh_from_db()
    assert task.budget == Decimal("1200")


def test_the_competitive_position_is_recorded_per_named_competitor(client_for, oft_user, viewer_user, offering):
    from requirements_specs.models import CompetitorComparison

    client = client_for(oft_user)
    url = reverse("requirements_specs:competitors", args=[offering.pk])
    data = {"competitor": "Acme Field Services", "position": "behind", "price_note": "8 % cheaper",
            "performance_note": "same response time"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "competitor": "acme field services ", "position": "level"}).status_code == 302
    comparison = CompetitorComparison.objects.get()  # the same competitor, updated
    assert (comparison.competitor, comparison.position, comparison.recorded_by) == ("acme field services", "level",
                                                                                    oft_user)
    refused = client.post(url, {"competitor": "Globex", "position": "nowhere"})
    assert "position" in refused.context["form"].errors and CompetitorComparison.objects.count() == 1
    page = client.get(url).content.decode()
    assert "About level" in page and "8 % cheaper" in page
    assert comparison.history.count() == 2
    from django.test import Client

    viewer = Client()
    viewer.force_login(viewer_user)
    assert viewer.get(url).status_code == 200 and viewer.post(url, data).status_code == 403


def test_the_voice_of_the_customer_is_frozen_with_the_version_when_approved(client_for, oft_user, chair_user,
                                                                            cft_user, cycle, offering):
    from metrics import surveys
    from metrics.models import CustomerRating

    from ..factories import ContactFactory, SegmentFactory

    account = AccountFactory()
    for value in (4, 5):
        CustomerRating.objects.create(rated_on=datetime.date(2026, 10, 1), account=account, offering=offering,
                                      value=value)
    health = SegmentFactory(name="Healthcare")
    for n in range(3):
        ContactFactory(email=f"c{n}@example.org", account=AccountFactory(segment=health))
    survey = surveys.survey_create(data={"title": "About maintenance", "cycle": cycle, "offering": offering},
                                   segment=health, user=cft_user)
    for invitation, recommend in zip(survey.invitations.order_by("pk"), (10, 9, 3), strict=True):
        surveys.response_submit(invitation=invitation, answers={
            "overall_satisfaction": 5, "recommend": recommend, "buy_again": 5, "confidence": 5, "integrity": 5,
            "pride": 5, "passion": 5}, reasons={}, comparison={})
    spec = services.spec_save(offering=offering, data=SPEC, user=oft_user)
    services.spec_submit(spec=spec, user=oft_user)
    services.spec_approve(spec=spec, user=chair_user)
    spec.refresh_from_db()
    # 2 ratings, mean 4.5; NPS = 100 × (2 promoters − 1 detractor) / 3 = 33.3
    assert spec.voc_snapshot["ratings"] == {"n": 2, "mean": 4.5}
    assert (spec.voc_snapshot["survey"]["responses"], spec.voc_snapshot["survey"]["nps"]) == (3, 33.3)
    CustomerRating.objects.create(rated_on=datetime.date(2026, 11, 1), account=account, offering=offering, value=1)
    client = client_for(oft_user)
    page = client.get(spec.get_absolute_url()).content.decode()
    assert "Customer ratings: 2, mean 4.50 of 5" in page and 'data-testid="voice-frozen"' in page  # as approved
    assert "3 responses, NPS 33.3" in page
    draft = services.spec_save(offering=offering, data=SPEC, user=oft_user)
    assert "Customer ratings: 3, mean 3.33 of 5" in client.get(draft.get_absolute_url()).content.decode()  # live


def test_milestone_5_names_the_first_twenty_offerings_and_counts_the_rest(cycle, django_assert_max_num_queries):
    for i in range(23):
        OfferingFactory(name=f"Offering {i:02d}")
    with django_assert_max_num_queries(2):  # one query whatever the number of offerings
        missing = missing_for(5, cycle)
    # each of the first 20 lacks a specification and a document: two lines each, then the count of the rest
    assert len(missing) == 2 * 20 + 1
    assert missing[0].startswith("Offering “Offering 00” has no requirements specification approved in FY2027")
    assert missing[1].startswith("Offering “Offering 00” has no offering information document uploaded")
    assert missing[-1] == "… and 3 more offerings missing their specification or information."
