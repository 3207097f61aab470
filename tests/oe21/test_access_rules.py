"""One access rule per object, everywhere (issue #14): the PMS client reaches the API only,
`next` never leaves the portal, a decision needs an explicit choice (and a reason to refuse),
the opportunity import applies the pages' ownership rule, passwords are validated."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from oe21.models import BackgroundJob
from oe21.roles import ADMIN, PMS_CLIENT
from opportunities import services as opportunity_services
from opportunities.models import Opportunity, Touch
from requirements_specs import services as specs
from requirements_specs.choices import PlanTaskStatus

from ..factories import AccountFactory, OfferingFactory, UserFactory, make_opportunity, rated_assessment

pytestmark = pytest.mark.django_db


# The PMS client reaches the API only --------------------------------------------------------

def test_the_pms_client_cannot_sign_in_to_the_portal(client):
    UserFactory(username="pms", role=PMS_CLIENT)
    response = client.post(reverse("login"), {"username": "pms", "password": "secret-pass-123"})
    assert response.status_code == 200
    assert "cannot sign in to the portal" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["home", "account_list", "audit_report", "metrics:dashboard",
                                 "requirements_specs:plan"])
def test_a_pms_client_with_a_session_gets_403_on_every_page(client_for, url):
    pms = UserFactory(username="pms", role=PMS_CLIENT)
    assert client_for(pms).get(reverse(url)).status_code == 403


def test_a_pms_client_session_still_reads_the_api_and_signs_out(client_for):
    pms = UserFactory(username="pms", role=PMS_CLIENT)
    client = client_for(pms)
    assert client.get("/api/v1/accounts/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_every_other_role_may_use_the_portal(client_for, viewer_user, cft_user):
    admin = UserFactory(username="ada", role=ADMIN)
    for user in (viewer_user, cft_user, admin):
        assert client_for(user).get(reverse("home")).status_code == 200


# next= stays inside the portal ---------------------------------------------------------------

@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)"])
def test_mark_reviewed_never_redirects_off_the_portal(client_for, cft_user, cycle, target):
    assessment = rated_assessment(cycle=cycle, offering=OfferingFactory())
    response = client_for(cft_user).post(
        reverse("prioritization:assessment_review", args=[assessment.pk]), {"next": target})
    assert response.status_code == 302 and response["Location"] == assessment.get_absolute_url()


def test_mark_reviewed_goes_back_to_a_portal_page(client_for, cft_user, cycle):
    assessment = rated_assessment(cycle=cycle, offering=OfferingFactory())
    back = reverse("prioritization:matrix") + "?offering=1"
    response = client_for(cft_user).post(
        reverse("prioritization:assessment_review", args=[assessment.pk]), {"next": back})
    assert response["Location"] == back


def test_an_opportunity_status_change_never_redirects_off_the_portal(client_for, cft_user, cycle):
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    response = client_for(cft_user).post(reverse("opportunities:opportunity_status", args=[opportunity.pk]),
                                         {"status": "interested", "next": "https://evil.example/"})
    assert response["Location"] == opportunity.get_absolute_url()


# A decision is an explicit choice; a refusal gives its reason ---------------------------------

@pytest.fixture
def proposed_task(cft_user):
    return specs.plan_task_propose(data={"description": "Train the help desk"}, user=cft_user)


@pytest.mark.parametrize("post", [{}, {"decision": ""}, {"decision": "maybe"}, {"decision": "reject"},
                                  {"decision": "reject", "reason": "   "}])
def test_a_plan_decision_without_a_choice_or_a_reason_changes_nothing(client_for, chair_user, proposed_task, post):
    client = client_for(chair_user)
    response = client.post(reverse("requirements_specs:plan_decide", args=[proposed_task.pk]), post, follow=True)
    proposed_task.refresh_from_db()
    assert proposed_task.status == PlanTaskStatus.PROPOSED and proposed_task.decided_by is None
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_a_refusal_keeps_its_reason(client_for, chair_user, proposed_task):
    client_for(chair_user).post(reverse("requirements_specs:plan_decide", args=[proposed_task.pk]),
                                {"decision": "reject", "reason": "No budget this year"})
    proposed_task.refresh_from_db()
    assert (proposed_task.status, proposed_task.decision_reason) == (PlanTaskStatus.REJECTED, "No budget this year")
    assert "No budget this year" in client_for(chair_user).get(reverse("requirements_specs:plan")).content.decode()


def test_the_service_refuses_a_refusal_without_reason(chair_user, proposed_task):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        specs.plan_task_decide(task=proposed_task, approve=False, user=chair_user)


# The opportunity import applies the pages' ownership rule ------------------------------------

HEADER = "salesperson,offering,lead_source,account,status,status_reason,sponsor_engaged_on\n"


def _import(client, content, capture):
    BackgroundJob.objects.all().delete()
    with capture(execute=True):
        client.post(reverse("opportunities:opportunity_import"), {"file": SimpleUploadedFile("om.csv", content)})
    return BackgroundJob.objects.get()


@pytest.fixture
def colleagues_opportunity(cycle, other_cft_user):
    return make_opportunity(cycle=cycle, salesperson=other_cft_user, account=AccountFactory(name="Clinic"),
                            offering=OfferingFactory(name="Tracking"))


def test_importing_a_changed_row_of_a_colleague_is_refused_with_its_line(
        client_for, cft_user, colleagues_opportunity, django_capture_on_commit_callbacks):
    content = (HEADER + "colin-cft,Tracking,email,Clinic,interested,,2026-11-01\n").encode()
    job = _import(client_for(cft_user), content, django_capture_on_commit_callbacks)
    assert job.state == "failed"
    assert [(e["line"], e["column"]) for e in job.result["errors"]] == [(2, "salesperson")]
    assert "colin-cft" in job.result["errors"][0]["message"]
    colleagues_opportunity.refresh_from_db()
    assert colleagues_opportunity.status == "no_progress" and colleagues_opportunity.sponsor_engaged_on is None


def test_importing_a_colleagues_row_unchanged_is_fine(
        client_for, cft_user, colleagues_opportunity, django_capture_on_commit_callbacks):
    content = (HEADER + "colin-cft,Tracking,email,Clinic,no progress,,\n").encode()
    job = _import(client_for(cft_user), content, django_capture_on_commit_callbacks)
    assert job.state == "succeeded" and job.result == {"created": 0, "updated": 0, "unchanged": 1}


def test_the_chair_imports_changes_to_anyones_row(
        client_for, chair_user, colleagues_opportunity, django_capture_on_commit_callbacks):
    content = (HEADER + "colin-cft,Tracking,email,Clinic,interested,,2026-11-01\n").encode()
    job = _import(client_for(chair_user), content, django_capture_on_commit_callbacks)
    assert job.result == {"created": 0, "updated": 1, "unchanged": 0}
    assert Opportunity.objects.get().status == "interested"


def test_the_services_apply_the_same_rule(cft_user, colleagues_opportunity):
    with pytest.raises(PermissionDenied):
        opportunity_services.opportunity_change_status(opportunity=colleagues_opportunity, status="interested",
                                                       user=cft_user)
    with pytest.raises(PermissionDenied):
        opportunity_services.touch_log(opportunity=colleagues_opportunity, user=cft_user,
                                       data={"occurred_on": "2026-11-01", "channel": "email", "direction": "out"})
    assert not Touch.objects.exists()


# Passwords ------------------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["password", "12345678901", "short1", "it-admin"])
def test_the_user_command_refuses_a_weak_password(password):
    with pytest.raises(CommandError, match="The password is refused"):
        call_command("create_user_with_role", "it-admin", role=ADMIN, password=password)
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="it-admin").exists()
