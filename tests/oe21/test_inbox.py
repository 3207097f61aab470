"""The approvals inbox on the main page, and the e-mails about submissions and decisions."""

import pytest
from django.core import mail
from django.urls import reverse

from oe21.roles import OFT_LEAD
from oe21.services import milestone_approve
from requirements_specs import services as specs
from requirements_specs.models import OfferingCost

from ..factories import OfferingFactory, UserFactory, make_milestone_1_ready

pytestmark = pytest.mark.django_db
SPEC = {"offering_type": "Service", "requirements": "Quarterly visits", "value_rating": 4}


def _inbox(client):
    return client.get(reverse("home")).context["inbox"]


def test_the_chair_sees_what_waits_and_the_submitter_sees_its_state(
        client_for, cycle, chair_user, cft_user, oft_user, django_capture_on_commit_callbacks):
    chair_user.email, oft_user.email = "chair@example.org", "oft@example.org"
    chair_user.save()
    oft_user.save()
    lead = UserFactory(username="olga-lead", role=OFT_LEAD, email="lead@example.org")
    offering = OfferingFactory(name="Asset Tracking")
    spec = specs.spec_save(offering=offering, data=SPEC, user=oft_user)
    with django_capture_on_commit_callbacks(execute=True):
        specs.spec_submit(spec=spec, user=oft_user)
        task = specs.plan_task_propose(data={"description": "Train the help desk"}, user=cft_user)
    OfferingCost.objects.create(offering=offering, period=cycle.starts_on, revenue=100, cost_of_goods_sold=95)
    # approvers were e-mailed: the specification to the chair and the OFT lead, the task to the chair
    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("chair@example.org",), ("chair@example.org", "lead@example.org")]

    mine = {(i.kind, i.state, i.for_me) for i in _inbox(client_for(chair_user))}
    assert mine == {("Requirements specification", "waits for your approval", True),
                    ("Action-plan task", "waits for your approval", True),
                    ("Continue/discontinue decision", "waits for your decision", True)}
    assert {(i.kind, i.for_me) for i in _inbox(client_for(lead))} == {("Requirements specification", True)}
    assert [(i.title, i.state, i.for_me) for i in _inbox(client_for(oft_user))] == [
        ("Asset Tracking requirements v1", "waits for approval", False)]
    page = client_for(chair_user).get(reverse("home")).content.decode()
    assert spec.get_absolute_url() in page and reverse("requirements_specs:plan") + f"#task-{task.pk}" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        specs.spec_approve(spec=spec, user=lead)
        specs.plan_task_decide(task=task, approve=False, user=chair_user, reason="Not this year")
    assert sorted(tuple(m.to) for m in mail.outbox) == [(cft_user.email,), ("oft@example.org",)]
    assert [(i.state, i.for_me) for i in _inbox(client_for(oft_user))] == [("approved", False)]
    assert [(i.kind, i.state) for i in _inbox(client_for(cft_user))] == [("Action-plan task", "not approved")]
    assert "Requirements specification" not in {i.kind for i in _inbox(client_for(chair_user))}


def test_the_submitter_of_a_milestone_is_told_the_decision(cycle, cft_user, chair_user,
                                                            django_capture_on_commit_callbacks):
    from oe21.services import milestone_submit

    cft_user.email = "carla@example.org"
    cft_user.save()
    make_milestone_1_ready(cycle)
    first = cycle.milestones.get(number=1)
    milestone_submit(milestone=first, user=cft_user, evidence="The matrix is complete.")
    with django_capture_on_commit_callbacks(execute=True):
        milestone_approve(milestone=first, user=chair_user)
    assert [(m.to, m.subject) for m in mail.outbox if "carla" in m.to[0]] == [
        (["carla@example.org"], "[OE21] Milestone 1 is approved")]


def test_the_main_page_stays_within_its_query_budget_for_the_chair(client_for, cycle, chair_user,
                                                                  django_assert_max_num_queries):
    client = client_for(chair_user)
    with django_assert_max_num_queries(20):
        client.get(reverse("home"))


def test_what_a_milestone_still_needs_links_to_where_it_is_fixed(client_for, cycle, cft_user):
    from oe21.milestones import missing_for

    offering = OfferingFactory(name="Asset Tracking")
    first = missing_for(1, cycle)
    assert first == [f"Offering “Asset Tracking” has no complete prioritization assessment in {cycle}."]
    assert first[0].url == reverse("prioritization:grid") + f"?offering={offering.pk}"
    assert missing_for(5, cycle)[1].url == reverse("requirements_specs:documents", args=[offering.pk])
    page = client_for(cft_user).get(reverse("home")).content.decode()
    ended = f"No month of {cycle} has ended yet: the first review follows the first month."
    assert f'<a href="{reverse("metrics:dashboard")}">{ended}</a>' in page
