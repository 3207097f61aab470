"""Opening an engagement cycle (SPEC §2): one service behind the page, the command and the admin;
seven milestones; the previous cycle closed; open work carried forward."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from oe21.choices import MilestoneState
from oe21.models import BackgroundJob, EngagementCycle, Milestone
from oe21.services import cycle_open
from opportunities.models import Campaign, CampaignItem, Comment, Opportunity, Touch

from ..factories import UserFactory, log_touches, make_opportunity

pytestmark = pytest.mark.django_db
NEXT = {"name": "FY2028", "starts_on": datetime.date(2028, 1, 1), "ends_on": datetime.date(2028, 12, 31)}


def _open_from_the_page(client, captured, **data):
    form = {"name": "FY2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31", **data}
    with captured(execute=True):
        return client.post(reverse("cycle_open"), form)


def test_a_fresh_install_leads_the_chair_to_open_the_first_cycle(client_for, chair_user, cft_user,
                                                               django_capture_on_commit_callbacks):
    page = client_for(chair_user).get(reverse("home")).content.decode()
    assert 'data-testid="open-first-cycle"' in page and "administration" not in page
    assert 'data-testid="open-first-cycle"' not in client_for(cft_user).get(reverse("home")).content.decode()

    response = _open_from_the_page(client_for(chair_user), django_capture_on_commit_callbacks,
                                   name="FY2027", starts_on="2027-01-01", ends_on="2027-12-31")
    job = BackgroundJob.objects.get(kind="cycle_open")
    assert response.url == reverse("job_detail", args=[job.pk])
    assert job.state == "succeeded" and job.result == {"cycle opened": "FY2027"}
    cycle = EngagementCycle.objects.get(is_current=True)
    assert cycle.name == "FY2027"
    assert sorted(cycle.milestones.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    home = client_for(chair_user).get(reverse("home")).content.decode()
    assert "3.2 Customer Engagement — 0 %" in home and "All seven milestones are approved" not in home


def test_opening_the_next_cycle_closes_the_previous_and_carries_open_work(cycle, cft_user, chair_user):
    open_one = make_opportunity(cycle=cycle, salesperson=cft_user, status="interested",
                                sponsor_engaged_on=datetime.date(2027, 3, 1))
    log_touches(open_one, ("email", "out", 3), ("email", "in", 1))
    Comment.objects.create(opportunity=open_one, author=cft_user, text="Budget comes in March")
    for closed in ("purchased", "not_interested", "unsubscribed"):
        make_opportunity(cycle=cycle, salesperson=cft_user, status=closed)
    campaign = Campaign.objects.create(cycle=cycle, segment=open_one.account.segment)
    CampaignItem.objects.create(campaign=campaign, phase=1, code="1a", title="Pick channels", owner=cft_user,
                                done_on=datetime.date(2027, 2, 1))

    opened = cycle_open(**NEXT, user=chair_user)

    cycle.refresh_from_db()
    assert not cycle.is_current and opened.cycle.is_current and opened.previous == cycle
    assert opened.carried == {"open_opportunities": 1, "campaigns": 1}
    carried = Opportunity.objects.get(cycle=opened.cycle)
    assert carried.carried_from == open_one and carried.account == open_one.account
    assert (carried.status, carried.n_email_out, carried.n_email_in, carried.n_out, carried.furthest_stage) == (
        "interested", 3, 1, 3, 1)
    assert carried.sponsor_engaged_on == datetime.date(2027, 3, 1)
    assert list(carried.comments.values_list("text", flat=True)) == ["Budget comes in March"]
    # last year reads back as it was: its four opportunities and their touches stay there
    assert Opportunity.objects.filter(cycle=cycle).count() == 4
    assert Touch.objects.filter(opportunity=open_one).count() == 4
    item = CampaignItem.objects.get(campaign__cycle=opened.cycle)
    assert (item.code, item.owner, item.done_on) == ("1a", cft_user, None)


def test_the_carried_opportunity_shows_and_counts_last_years_touches(client_for, cycle, cft_user, chair_user):
    from opportunities.services import recount_touches

    old = make_opportunity(cycle=cycle, salesperson=cft_user, status="interested")
    log_touches(old, ("phone", "out", 2))
    cycle_open(**NEXT, user=chair_user)
    carried = Opportunity.objects.get(carried_from=old)
    log_touches(carried, ("phone", "out", 1))  # recounts it: 1 of its own + 2 of last year
    assert (carried.n_phone_out, carried.n_out) == (3, 3)
    assert recount_touches([carried.pk]) == 1
    carried.refresh_from_db()
    assert carried.n_out == 3
    page = client_for(cft_user).get(reverse("opportunities:opportunity_detail", args=[carried.pk]))
    assert page.content.decode().count("FY2027</span>") == 2  # last year's two touches, marked with their cycle


def test_carrying_can_be_switched_off_line_by_line(cycle, cft_user, chair_user):
    make_opportunity(cycle=cycle, salesperson=cft_user, status="interested")
    opened = cycle_open(**NEXT, user=chair_user, carry=["campaigns"])
    assert opened.carried == {"campaigns": 0}
    assert not Opportunity.objects.filter(cycle=opened.cycle).exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"ends_on": datetime.date(2027, 12, 1)}, "ends_on", "must end after it starts"),
    ({"starts_on": datetime.date(2027, 12, 1)}, "starts_on", "overlap FY2027"),
    ({"name": "fy2027", "starts_on": datetime.date(2029, 1, 1), "ends_on": datetime.date(2029, 12, 31)},
     "name", "exists already"),
    ({"starts_on": datetime.date(2026, 1, 1), "ends_on": datetime.date(2026, 12, 31)},  # before FY2027
     "starts_on", "Cycles open in date order"),
])
def test_bad_dates_and_names_are_refused_next_to_the_field(client_for, cycle, chair_user,
                                                           django_capture_on_commit_callbacks, data, field, message):
    form = {key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in {**NEXT, **data}.items()}
    response = _open_from_the_page(client_for(chair_user), django_capture_on_commit_callbacks, **form)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert EngagementCycle.objects.count() == 1 and not BackgroundJob.objects.exists()


def test_a_pending_approval_asks_for_confirmation(client_for, cycle, chair_user, cft_user,
                                                  django_capture_on_commit_callbacks):
    Milestone.objects.filter(cycle=cycle, number=1).update(state=MilestoneState.SUBMITTED, submitted_by=cft_user)
    response = _open_from_the_page(client_for(chair_user), django_capture_on_commit_callbacks)
    assert "Milestone 1 of FY2027 is waiting for approval" in response.context["form"].errors["confirmed"][0]
    assert EngagementCycle.objects.count() == 1
    response = _open_from_the_page(client_for(chair_user), django_capture_on_commit_callbacks, confirmed="on")
    assert response.status_code == 302
    assert EngagementCycle.objects.get(is_current=True).name == "FY2028"


def test_only_the_chair_and_the_admin_open_cycles(client, client_for, cycle, cft_user, viewer_user,
                                                  django_capture_on_commit_callbacks):
    assert client.get(reverse("cycle_open")).status_code == 302  # anonymous: the login page
    for user in (cft_user, viewer_user):
        assert _open_from_the_page(client_for(user), django_capture_on_commit_callbacks).status_code == 403
        with pytest.raises(PermissionDenied, match="Only the LFT chair"):
            cycle_open(**NEXT, user=user)
    assert EngagementCycle.objects.count() == 1
    assert client_for(viewer_user).get(reverse("cycle_list")).status_code == 200


def test_a_double_submission_opens_one_cycle(client_for, cycle, chair_user, django_capture_on_commit_callbacks):
    first = _open_from_the_page(client_for(chair_user), django_capture_on_commit_callbacks)
    second = _open_from_the_page(client_for(chair_user), django_capture_on_commit_callbacks)
    assert first.status_code == 302 and second.status_code == 200  # the second: "exists already"
    assert EngagementCycle.objects.filter(name="FY2028").count() == 1


def test_the_command_opens_a_cycle_and_reports_bad_input(cycle, chair_user, capsys):
    with pytest.raises(CommandError, match="overlap"):
        call_command("open_cycle", "FY2028", "--starts", "2027-06-01", "--ends", "2028-05-31")
    with pytest.raises(CommandError, match="not a date"):
        call_command("open_cycle", "FY2028", "--starts", "first of May", "--ends", "2028-05-31")
    call_command("open_cycle", "FY2028", "--starts", "2028-01-01", "--ends", "2028-12-31", "--by", chair_user.username)
    assert "Opened FY2028" in capsys.readouterr().out
    assert EngagementCycle.objects.get(is_current=True).milestones.count() == 7


def test_the_admin_opens_a_cycle_with_its_milestones(client, cycle):
    admin = UserFactory(username="ada-admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(reverse("admin:oe21_engagementcycle_add"),
                           {"name": "FY2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31"})
    assert response.status_code == 302
    opened = EngagementCycle.objects.get(name="FY2028")
    assert opened.is_current and opened.milestones.count() == 7
    response = client.post(reverse("admin:oe21_engagementcycle_add"),
                           {"name": "FY2029", "starts_on": "2028-06-01", "ends_on": "2029-05-31"})
    assert response.status_code == 200 and "overlap" in response.content.decode()


def test_the_migration_gives_cycles_without_milestones_theirs(cycle):
    bare = EngagementCycle.objects.create(name="Added by hand", starts_on=datetime.date(2030, 1, 1),
                                          ends_on=datetime.date(2030, 12, 31))
    Milestone.objects.filter(cycle=cycle, number=7).delete()
    migration = importlib.import_module("oe21.migrations.0006_cycles_open_permission_and_milestones")
    migration.give_cycles_their_milestones(django_apps, None)
    assert bare.milestones.count() == 7 and cycle.milestones.count() == 7


def test_last_years_pages_read_back_and_are_read_only(client_for, cycle, cft_user, chair_user):
    from prioritization.services import AssessmentInput, assessments_save

    from ..factories import OfferingFactory, rated_assessment

    open_one = make_opportunity(cycle=cycle, salesperson=cft_user, status="interested")
    make_opportunity(cycle=cycle, salesperson=cft_user, status="purchased")
    assessment = rated_assessment(cycle=cycle, offering=OfferingFactory(), values=[5] * 7)
    opened = cycle_open(**NEXT, user=chair_user)
    client = client_for(cft_user)

    def listed(url, **query):
        response = client.get(reverse(url), query)
        assert response.status_code == 200
        return response

    this_year = listed("opportunities:index")
    assert [r.opportunity.cycle for r in this_year.context["rows"]] == [opened.cycle]
    assert 'data-testid="past-cycle"' not in this_year.content.decode()
    last_year = listed("opportunities:index", cycle=cycle.pk)
    assert {r.opportunity.pk for r in last_year.context["rows"]} == set(
        Opportunity.objects.filter(cycle=cycle).values_list("pk", flat=True))
    page = last_year.content.decode()
    assert 'data-testid="past-cycle"' in page and 'data-testid="cycle-selector"' in page
    assert reverse("opportunities:opportunity_create") not in page
    # the choice is remembered while reading, until the reader goes back
    assert [r.assessment for r in listed("prioritization:matrix").context["rows"]] == [assessment]
    assert not listed("prioritization:matrix").context["can_edit"]
    assert listed("opportunities:rollups").context["funnel"][0] == ("All opportunities", 2, None)
    assert listed("prioritization:matrix", cycle="current").context["rows"] == []
    assert client.get(reverse("opportunities:index"), {"cycle": 9999}).status_code == 404
    assert client.get(reverse("opportunities:index"), {"cycle": "last"}).status_code == 404

    # a change to last year's records is refused with a message; nothing changes
    response = client.post(reverse("opportunities:opportunity_status", args=[open_one.pk]),
                           {"status": "evaluating"}, follow=True)
    assert "FY2027 is closed: its records can be read, not changed." in response.content.decode()
    open_one.refresh_from_db()
    assert open_one.status == "interested" and open_one.status_changes.count() == 1
    with pytest.raises(ValidationError, match="FY2027 is closed"):
        assessments_save(cycle=cycle, offering=assessment.offering, user=cft_user, rows=[AssessmentInput(
            account=assessment.account, respondent_name="Pat", respondent_role="", respondent_age_group="",
            ratings={}, assessment=assessment)])
    assert assessment.ratings.count() == 7


def test_the_admin_shows_a_closed_cycles_records_read_only(client, cycle, cft_user, chair_user):
    old = make_opportunity(cycle=cycle, salesperson=cft_user, status="purchased")
    cycle_open(**NEXT, user=chair_user)
    client.force_login(UserFactory(username="ada-admin", is_staff=True, is_superuser=True))
    url = reverse("admin:opportunities_opportunity_change", args=[old.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url, {"status": "interested"}).status_code == 403
    old.refresh_from_db()
    assert old.status == "purchased"


def test_an_open_follow_up_of_last_year_shows_on_this_years_review_marked_as_carried(
        client_for, cycle, cft_user, chair_user):
    from metrics import services as metrics_services

    metrics_services.review_record(cycle=cycle, month=datetime.date(2027, 11, 1), held_on=datetime.date(2026, 11, 30),
                                   attendees="Carla", decisions="More calls", user=cft_user,
                                   follow_ups=[{"description": "Call the top five", "owner": cft_user}])
    cycle_open(**NEXT, user=chair_user)
    page = client_for(cft_user).get(reverse("metrics:dashboard"), {"month": "2027-12"}).content.decode()
    assert "Call the top five" in page and "carried from FY2027" in page
