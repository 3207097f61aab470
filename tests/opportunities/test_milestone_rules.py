"""Milestones 2 (30 %), 3 (40 %) and 4 (60 %) as SPEC §9 words them, each "missing" reason and
"ready"; the campaign's target accounts (T1) and contact list (T4)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from oe21.choices import DecisionRole
from oe21.milestones import missing_for
from oe21.services import action_item_add, action_item_leave_out_of_plan
from opportunities import services
from opportunities.models import CampaignTarget
from requirements_specs.models import ActionPlanTask

from ..factories import (
    AccountFactory,
    ContactFactory,
    OfferingFactory,
    SegmentFactory,
    log_touches,
    make_opportunity,
    rated_assessment,
)

pytestmark = pytest.mark.django_db
DONE = datetime.date(2026, 11, 2)


@pytest.fixture
def healthcare():
    return SegmentFactory(name="Healthcare")


@pytest.fixture
def campaign(cycle, healthcare, cft_user):
    return services.campaign_create(cycle=cycle, segment=healthcare, user=cft_user)


def _rate(cycle, account, value, offering=None):
    return rated_assessment(cycle=cycle, offering=offering or OfferingFactory(), account=account, values=[value] * 7)


def test_milestone_2_asks_a_campaign_for_each_segment_holding_high_value_targets(cycle, healthcare, cft_user):
    clinics = SegmentFactory(name="Clinics", parent=healthcare)
    _rate(cycle, AccountFactory(segment=clinics), 5)  # one row: it is the top quartile
    assert missing_for(2, cycle) == [
        f"No opportunity-marketing campaign is open in {cycle}.",
        "Segment “Healthcare › Clinics” holds high-value targets of the matrix but has no campaign in FY2027."]
    services.campaign_create(cycle=cycle, segment=healthcare, user=cft_user)  # the group's segment has one
    assert not any("holds high-value targets" in line for line in missing_for(2, cycle))


def test_milestone_2_asks_phase_1_done_t1_targets_and_a_t4_contact_list(cycle, campaign, cft_user, healthcare):
    missing = missing_for(2, cycle)
    assert len(missing) == 8 and missing[-1] == (
        "Healthcare: T1 names no target accounts yet — take them from the matrix's high-value rows.")
    assert missing[-1].url == reverse("opportunities:campaign_targets", args=[campaign.pk])
    campaign.items.filter(phase=1).update(done_on=DONE)
    assert len(missing_for(2, cycle)) == 1

    account = AccountFactory(segment=healthcare)  # no contacts yet
    _rate(cycle, account, 5)
    assert services.campaign_targets_from_matrix(campaign=campaign, user=cft_user) == 1
    assert missing_for(2, cycle) == [
        "Healthcare: T4's contact list is empty — choose whom to reach at the target accounts."]
    services.campaign_target_save(campaign=campaign, account=account, contact=ContactFactory(account=account),
                                  user=cft_user)
    assert missing_for(2, cycle) == []


def test_the_targets_come_from_the_segments_high_value_rows_with_the_sponsor_to_reach(cycle, campaign, cft_user,
                                                                                      healthcare):
    clinics = SegmentFactory(name="Clinics", parent=healthcare)
    best, good, fair, poor = (AccountFactory(segment=clinics) for _ in range(4))
    elsewhere = AccountFactory(segment=SegmentFactory(name="Retail"))
    offering = OfferingFactory()
    for account, value in ((best, 5), (good, 4), (fair, 3), (poor, 2), (elsewhere, 5)):
        _rate(cycle, account, value, offering)
    # five rows: the top quartile is the ⌈5/4⌉ = 2 best, both scoring 5; only `best` is in Healthcare
    ContactFactory(account=best, name="Ann Other", decision_role=DecisionRole.OTHER)
    ContactFactory(account=best, name="Dan Decider", decision_role=DecisionRole.DECISION_MAKER)
    ContactFactory(account=best, name="Sue Sponsor", decision_role=DecisionRole.INTERNAL_SPONSOR)

    assert services.campaign_targets_from_matrix(campaign=campaign, user=cft_user) == 1
    target = CampaignTarget.objects.get()
    assert (target.account, target.contact.name, target.score, target.added_by) == (best, "Sue Sponsor", 5, cft_user)
    assert target.history.first().history_type == "+"
    assert services.campaign_targets_from_matrix(campaign=campaign, user=cft_user) == 0  # twice: nothing new


def test_milestone_3_asks_the_phase_2_products_stored(cycle, campaign, cft_user, healthcare):
    campaign.items.update(done_on=DONE)
    SegmentFactory(name="Clinics", parent=healthcare)
    missing = missing_for(3, cycle)
    assert missing == [
        "Healthcare: no value proposition is stored for the segment.",
        "Healthcare: 1 customer group has no value proposition.",
        "Healthcare: no Touch 1 content is stored.",
        "Healthcare: no standardized voice mail is stored.",
        "Healthcare: no standardized telephone dialogue is stored.",
        "Healthcare: S6 has no marketing presentation attached.",
        "Healthcare: S7 has no follow-on presentation attached."]
    assert missing[0].url == reverse("opportunities:text_create") + f"?segment={healthcare.pk}&kind=value_proposition"

    for segment in healthcare.groups.all():
        services.engagement_text_save(segment=segment, kind="value_proposition", body="For clinics…", user=cft_user)
    services.engagement_text_save(segment=healthcare, kind="value_proposition", body="For healthcare…", user=cft_user)
    services.engagement_text_save(segment=healthcare, kind="touch", touch_number=1, medium="email", body="Hello",
                                  user=cft_user)
    services.engagement_text_save(segment=healthcare, kind="voice_mail", body="Hi, it's…", user=cft_user)
    assert missing_for(3, cycle) == [
        "Healthcare: no standardized telephone dialogue is stored.",
        "Healthcare: S6 has no marketing presentation attached.",
        "Healthcare: S7 has no follow-on presentation attached."]
    services.engagement_text_save(segment=healthcare, kind="telephone_dialogue", body="Good morning…", user=cft_user)
    for code in ("S6", "S7"):
        item = campaign.items.get(code=code)
        item.attachment = SimpleUploadedFile(f"{code}.pdf", b"%PDF-1.4 deck")
        item.save()
    assert missing_for(3, cycle) == []
    campaign.items.filter(code="S8").update(done_on=None)
    assert missing_for(3, cycle) == ["Healthcare: S8 Practice presentations is not done."]


def test_milestone_4_asks_every_target_engaged_and_the_action_plan_tabs_reviewed(cycle, campaign, cft_user,
                                                                                 chair_user, healthcare):
    assert missing_for(4, cycle) == ["Healthcare: the campaign has no target accounts (T1)."]
    first, second = AccountFactory(segment=healthcare), AccountFactory(segment=healthcare)
    for account in (first, second):
        services.campaign_target_save(campaign=campaign, account=account, contact=None, user=cft_user)
    missing = missing_for(4, cycle)
    assert missing == ["Healthcare: 2 of 2 target accounts have no opportunity with a touch logged and a status "
                       "past “No progress”."]
    assert missing[0].url == reverse("opportunities:campaign_targets", args=[campaign.pk]) + "?not_engaged=on"

    touched_only = make_opportunity(cycle=cycle, salesperson=cft_user, account=first)  # No progress
    log_touches(touched_only, ("email", "out", 1))
    moved_only = make_opportunity(cycle=cycle, salesperson=cft_user, account=second, status="interested")
    assert missing_for(4, cycle)[0].startswith("Healthcare: 2 of 2 target accounts")
    services.opportunity_change_status(opportunity=touched_only, status="interested", user=cft_user)
    log_touches(moved_only, ("phone", "in", 1))
    assert missing_for(4, cycle) == []

    kept = action_item_add(source=moved_only, description="Send the case study", user=cft_user)
    proposed = action_item_add(source=touched_only, description="Offer a pilot", user=cft_user)
    assert missing_for(4, cycle) == ["2 items on the Action Plan tabs have not been reviewed for the Customer "
                                     "Excellence Action Plan."]
    assert missing_for(4, cycle)[0].url == reverse("requirements_specs:plan")
    ActionPlanTask.objects.create(description="Offer a pilot", source_item=proposed, proposed_by=cft_user)
    action_item_leave_out_of_plan(item=kept, user=cft_user)
    assert missing_for(4, cycle) == []
    kept.refresh_from_db()
    assert kept.plan_reviewed_by == cft_user and kept.history.first().history_user == cft_user


def test_the_checks_of_milestones_2_to_4_read_the_campaigns_once_per_page(cycle, cft_user, django_assert_num_queries):
    from oe21.lib.memo import memo_scope

    for name in ("Healthcare", "Retail", "Public sector"):
        services.campaign_create(cycle=cycle, segment=SegmentFactory(name=name), user=cft_user)
    _rate(cycle, AccountFactory(), 4)
    with memo_scope(), django_assert_num_queries(5):
        # cut-off (count + row), segments without a campaign, the campaigns, their checklist
        for number in (2, 3, 4):
            missing_for(number, cycle)


# The targets page ------------------------------------------------------------------------------------

def test_the_cft_takes_targets_from_the_matrix_and_chooses_whom_to_reach(client_for, cycle, campaign, cft_user,
                                                                         healthcare):
    account = AccountFactory(segment=healthcare, name="Lakeside Health")
    _rate(cycle, account, 5)
    sponsor = ContactFactory(account=account, name="Sue Sponsor", decision_role=DecisionRole.INTERNAL_SPONSOR)
    other = ContactFactory(account=account, name="Otto Other")
    client = client_for(cft_user)
    url = reverse("opportunities:campaign_targets", args=[campaign.pk])
    response = client.post(url, {"from_matrix": "1"}, follow=True)
    assert "1 high-value account of the matrix added as targets." in response.content.decode()
    page = client.get(url).content.decode()
    assert "Lakeside Health" in page and "Sue Sponsor" in page
    assert f"/opportunities/new/?account={account.pk}&amp;contact={sponsor.pk}" in page

    client.post(url, {"account": account.pk, "contact": other.pk})
    assert CampaignTarget.objects.get().contact == other

    stranger = ContactFactory(account=AccountFactory(name="Elsewhere Inc"))
    refused = client.post(url, {"account": account.pk, "contact": stranger.pk})
    assert refused.status_code == 200 and "works at Elsewhere Inc, not at Lakeside Health" in refused.content.decode()
    assert CampaignTarget.objects.get().contact == other  # nothing changed
    missing_account = client.post(url, {"account": 999999})
    assert "Select a valid choice" in missing_account.content.decode()

    target = CampaignTarget.objects.get()
    client.post(reverse("opportunities:campaign_target_remove", args=[target.pk]))
    assert not CampaignTarget.objects.exists()


def test_only_the_cft_changes_targets_and_nobody_in_a_closed_cycle(client_for, cycle, campaign, viewer_user,
                                                                   cft_user, healthcare):
    url = reverse("opportunities:campaign_targets", args=[campaign.pk])
    assert Client().get(url)["Location"].startswith("/login/?next=")
    viewer = client_for(viewer_user)
    assert viewer.get(url).status_code == 200
    account = AccountFactory(segment=healthcare)
    assert viewer.post(url, {"account": account.pk}).status_code == 403
    target = services.campaign_target_save(campaign=campaign, account=account, contact=None, user=cft_user)
    assert viewer.post(reverse("opportunities:campaign_target_remove", args=[target.pk])).status_code == 403
    assert CampaignTarget.objects.count() == 1

    from oe21.services import cycle_create

    cycle_create(name="FY2028", starts_on=datetime.date(2028, 1, 1), ends_on=datetime.date(2028, 12, 31))
    cft = client_for(cft_user)
    assert cft.post(url, {"from_matrix": "1"}).status_code == 403  # last year's campaign reads only
    response = cft.post(reverse("opportunities:campaign_target_remove", args=[target.pk]), follow=True)
    assert "is closed" in response.content.decode() and CampaignTarget.objects.count() == 1


@pytest.mark.parametrize("size", [3, 55])
def test_the_targets_page_makes_the_same_queries_at_any_size(size, client_for, cycle, campaign, cft_user, healthcare,
                                                             django_assert_num_queries):
    clinics = SegmentFactory(name="Clinics", parent=healthcare)  # a group: its name reads "Healthcare › Clinics"
    for _ in range(size):
        account = AccountFactory(segment=clinics)
        services.campaign_target_save(campaign=campaign, account=account, contact=ContactFactory(account=account),
                                      user=cft_user)
        make_opportunity(cycle=cycle, salesperson=cft_user, account=account)
    client = client_for(cft_user)
    client.get("/")  # the session and permissions are read once
    with django_assert_num_queries(9):
        response = client.get(reverse("opportunities:campaign_targets", args=[campaign.pk]))
    assert response.content.decode().count('<tr data-testid="target-') == min(size, 50)
