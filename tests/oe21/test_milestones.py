import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from oe21 import services
from oe21.choices import MilestoneState
from oe21.milestones import MILESTONES, completion_rule, missing_for
from oe21.models import Milestone
from oe21.selectors import milestone_overview

from ..factories import OfferingFactory, make_milestone_1_ready

pytestmark = pytest.mark.django_db


def _m(cycle, number):
    return Milestone.objects.get(cycle=cycle, number=number)


def _approved(cycle, number, cft_user, chair_user):
    """Walk a milestone through submit and approve without its completion rule."""
    milestone = _m(cycle, number)
    milestone.state = MilestoneState.SUBMITTED
    milestone.submitted_by = cft_user
    milestone.save()
    return services.milestone_approve(milestone=milestone, user=chair_user)


def test_a_new_cycle_has_the_seven_milestones_of_the_standard(cycle):
    got = [(m.number, m.definition.progress) for m in cycle.milestones.order_by("number")]
    assert got == [(1, 20), (2, 30), (3, 40), (4, 60), (5, 80), (6, 90), (7, 100)]


def test_milestone_1_lists_each_active_offering_without_a_complete_assessment(cycle):
    OfferingFactory(name="Asset Tracking")
    OfferingFactory(name="Retired Thing", status="discontinued")
    missing = missing_for(1, cycle)
    assert missing == ["Offering “Asset Tracking” has no complete prioritization assessment in FY2027."]


def test_a_milestone_without_a_registered_rule_says_so(cycle, monkeypatch):
    from oe21 import milestones

    monkeypatch.delitem(milestones._rules, 7)
    assert missing_for(7, cycle) == ["The completion check for this milestone is not built yet (app “metrics”)."]


def test_a_rule_can_be_registered_only_once():
    with pytest.raises(ValueError):
        completion_rule(1)(lambda cycle: [])


def test_submitting_a_milestone_that_is_not_ready_is_refused(cycle, cft_user):
    OfferingFactory(name="Asset Tracking")
    with pytest.raises(ValidationError) as raised:
        services.milestone_submit(milestone=_m(cycle, 1), user=cft_user, evidence="Matrix done")
    assert "Asset Tracking" in str(raised.value)
    assert _m(cycle, 1).state == MilestoneState.OPEN


def test_a_submission_needs_evidence(cycle, cft_user):
    make_milestone_1_ready(cycle)
    with pytest.raises(ValidationError):
        services.milestone_submit(milestone=_m(cycle, 1), user=cft_user, evidence="  ")


def test_submitting_emails_the_chair_through_a_task(
        cycle, cft_user, chair_user, client_for, django_capture_on_commit_callbacks):
    make_milestone_1_ready(cycle)
    client = client_for(cft_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("milestone_submit", args=[_m(cycle, 1).pk]),
                               {"evidence": "Matrix complete for all offerings"})
    assert response.status_code == 302
    milestone = _m(cycle, 1)
    assert milestone.state == MilestoneState.SUBMITTED and milestone.submitted_by == cft_user
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [chair_user.email]
    assert "Milestone 1 submitted" in mail.outbox[0].subject
    assert "Matrix complete for all offerings" in mail.outbox[0].body


def test_the_chair_approves_and_progress_becomes_20(cycle, cft_user, chair_user):
    make_milestone_1_ready(cycle)
    milestone = services.milestone_submit(milestone=_m(cycle, 1), user=cft_user, evidence="Done")
    services.milestone_approve(milestone=milestone, user=chair_user, reason="Good work")
    approved = _m(cycle, 1)
    assert approved.state == MilestoneState.APPROVED and approved.decided_by == chair_user
    assert milestone_overview(cycle).progress == 20
    assert [h.history_change_reason for h in approved.history.order_by("history_date")][-2:] == \
        ["submitted", "approved"]


def test_milestones_are_approved_strictly_in_order(cycle, cft_user, chair_user):
    milestone_2 = _m(cycle, 2)
    milestone_2.state = MilestoneState.SUBMITTED
    milestone_2.save()
    with pytest.raises(ValidationError, match="approve milestone 1 first"):
        services.milestone_approve(milestone=milestone_2, user=chair_user)
    assert _m(cycle, 2).state == MilestoneState.SUBMITTED


def test_approve_is_offered_only_on_the_milestone_next_in_order(cycle, cft_user, chair_user, client_for):
    for number in (2, 4):
        milestone = _m(cycle, number)
        milestone.state, milestone.submitted_by = MilestoneState.SUBMITTED, cft_user
        milestone.save()
    client = client_for(chair_user)

    def offered():
        page = client.get(reverse("home")).content.decode()
        return {n: (f'data-testid="decide-{n}"' in page, f'data-testid="waits-{n}"' in page) for n in (1, 2, 4)}

    assert offered() == {1: (False, False), 2: (True, True), 4: (True, True)}  # reject only: 1 is not approved
    _approved(cycle, 1, cft_user, chair_user)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="waits-2"' not in page and "Approve milestone 2 first" in page  # 2 is next; 4 waits
    statuses = {s.milestone.number: s for s in milestone_overview(cycle).statuses}
    assert statuses[2].can_approve and not statuses[4].can_approve and statuses[4].waits_for.number == 2


def test_progress_is_the_last_milestone_approved_in_order(cycle, cft_user, chair_user):
    for number in (1, 2, 3):
        _approved(cycle, number, cft_user, chair_user)
    overview = milestone_overview(cycle)
    assert overview.progress == MILESTONES[3].progress == 40
    assert overview.next_step.milestone.number == 4


def test_a_rejection_needs_a_reason_and_is_shown_next_to_the_form(
        cycle, cft_user, chair_user, client_for):
    make_milestone_1_ready(cycle)
    services.milestone_submit(milestone=_m(cycle, 1), user=cft_user, evidence="Done")
    client = client_for(chair_user)
    response = client.post(reverse("milestone_decide", args=[_m(cycle, 1).pk]),
                           {"decision": "reject", "reason": ""}, follow=True)
    assert "Give the reason for the rejection." in response.content.decode()
    assert _m(cycle, 1).state == MilestoneState.SUBMITTED
    client.post(reverse("milestone_decide", args=[_m(cycle, 1).pk]),
                {"decision": "reject", "reason": "Two offerings lack respondents"})
    rejected = _m(cycle, 1)
    assert rejected.state == MilestoneState.REJECTED
    assert rejected.decision_reason == "Two offerings lack respondents"


def test_a_rejected_milestone_can_be_submitted_again(cycle, cft_user, chair_user):
    make_milestone_1_ready(cycle)
    services.milestone_submit(milestone=_m(cycle, 1), user=cft_user, evidence="Done")
    services.milestone_reject(milestone=_m(cycle, 1), user=chair_user, reason="Incomplete")
    services.milestone_submit(milestone=_m(cycle, 1), user=cft_user, evidence="Now complete")
    assert _m(cycle, 1).state == MilestoneState.SUBMITTED


def test_a_cft_member_cannot_approve_even_through_the_service(cycle, cft_user):
    with pytest.raises(PermissionDenied):
        services.milestone_approve(milestone=_m(cycle, 1), user=cft_user)


def test_an_approved_milestone_cannot_be_decided_again(cycle, cft_user, chair_user):
    _approved(cycle, 1, cft_user, chair_user)
    with pytest.raises(ValidationError, match="not waiting for a decision"):
        services.milestone_reject(milestone=_m(cycle, 1), user=chair_user, reason="Changed my mind")


def test_the_main_page_shows_progress_pending_and_next_step(
        cycle, cft_user, chair_user, client_for, django_assert_max_num_queries):
    make_milestone_1_ready(cycle)
    services.milestone_submit(milestone=_m(cycle, 1), user=cft_user, evidence="Done")
    client = client_for(chair_user)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("home")).content.decode()
    assert "3.2 Customer Engagement — 0 %" in page
    assert "waits for\n        the LFT chair" in page or "waits for" in page
    assert 'data-testid="decide-1"' in page


@pytest.mark.django_db(transaction=True)
def test_two_chairs_approving_at_once_cannot_both_succeed(cycle, cft_user, chair_user,
                                                          second_chair_user):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it through scripts/test.")
    make_milestone_1_ready(cycle)
    services.milestone_submit(milestone=_m(cycle, 1), user=cft_user, evidence="Done")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait()
            services.milestone_approve(milestone=_m(cycle, 1), user=user)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (chair_user, second_chair_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert _m(cycle, 1).history.filter(history_change_reason="approved").count() == 1


def test_long_evidence_is_clipped_with_show_more(cycle, cft_user, client_for):
    milestone = _m(cycle, 1)
    milestone.state, milestone.submitted_by = MilestoneState.SUBMITTED, cft_user
    milestone.evidence = "Assessments reviewed. " + "x" * 5000
    milestone.save()
    page = client_for(cft_user).get(reverse("home")).content.decode()
    evidence = page.split('data-testid="evidence-1">')[1].split("</div>")[0]
    assert "show more" in evidence and "<details" in evidence
    summary = evidence.split("<summary>")[1].split("</summary>")[0]
    assert summary.startswith("Assessments reviewed. xxx") and len(summary) < 400  # the clipped beginning
    assert "x" * 5000 in evidence  # the whole text behind "show more"
