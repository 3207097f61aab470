import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oe21.choices import JobState
from oe21.models import BackgroundJob
from opportunities import services
from opportunities.models import Campaign, CampaignItem, Comment, Opportunity, Touch

from ..factories import AccountFactory, OfferingFactory, SegmentFactory, log_touches, make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(cycle, cft_user):
    return make_opportunity(cycle=cycle, salesperson=cft_user)


WRITE_ACTIONS = [
    ("opportunity_status", {"status": "interested"}),
    ("touch_add", {"occurred_on": "2026-11-01", "channel": "email", "direction": "out"}),
    ("comment_add", {"text": "Hello"}),
    ("opportunity_steps", {"sponsor_engaged_on": "2026-11-01"}),
]


@pytest.mark.parametrize("name, data", WRITE_ACTIONS)
@pytest.mark.parametrize("role_fixture", ["viewer_user", "oft_user", "other_cft_user"])
def test_only_the_owner_or_the_chair_changes_an_opportunity(
        client_for, request, opportunity, role_fixture, name, data):
    client = client_for(request.getfixturevalue(role_fixture))
    response = client.post(reverse(f"opportunities:{name}", args=[opportunity.pk]), data)
    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.status == "no_progress" and opportunity.sponsor_engaged_on is None
    assert not Touch.objects.exists() and not Comment.objects.exists()


@pytest.mark.parametrize("role_fixture", ["cft_user", "chair_user"])
def test_the_owner_and_the_chair_log_touches(client_for, request, opportunity, role_fixture):
    client = client_for(request.getfixturevalue(role_fixture))
    client.post(reverse("opportunities:touch_add", args=[opportunity.pk]),
                {"occurred_on": "2026-11-01", "channel": "email", "direction": "out"})
    assert Touch.objects.filter(opportunity=opportunity).count() == 1


def test_another_cft_member_cannot_open_the_edit_page(client_for, other_cft_user, opportunity):
    response = client_for(other_cft_user).get(reverse("opportunities:opportunity_edit", args=[opportunity.pk]))
    assert response.status_code == 403


def test_a_future_touch_gets_a_message_and_is_not_saved(client_for, cft_user, opportunity):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for(cft_user).post(reverse("opportunities:touch_add", args=[opportunity.pk]),
                                         {"occurred_on": tomorrow, "channel": "email", "direction": "out"},
                                         follow=True)
    assert "This date is in the future." in response.content.decode()
    assert not Touch.objects.exists()


def test_a_cft_member_opens_an_opportunity_for_themselves_only(client_for, cft_user, other_cft_user, cycle):
    account, offering = AccountFactory(), OfferingFactory()
    client = client_for(cft_user)
    data = {"salesperson": other_cft_user.pk, "offering": offering.pk, "lead_source": "referral",
            "account": account.pk, "status": "no_progress", "status_reason": "timing"}
    response = client.post(reverse("opportunities:opportunity_create"), data)
    assert "only for yourself" in str(response.context["form"].errors)
    response = client.post(reverse("opportunities:opportunity_create"), {**data, "salesperson": cft_user.pk})
    opportunity = Opportunity.objects.get()
    assert response["Location"] == opportunity.get_absolute_url()
    assert opportunity.status_changes.count() == 1


def test_a_contact_of_another_account_is_refused(client_for, cft_user, cycle):
    from ..factories import ContactFactory

    contact = ContactFactory()
    response = client_for(cft_user).post(reverse("opportunities:opportunity_create"), {
        "salesperson": cft_user.pk, "offering": OfferingFactory().pk, "lead_source": "email",
        "account": AccountFactory().pk, "contact": contact.pk, "status": "undecided"})
    assert "works at another account" in str(response.context["form"].errors)
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("url_name", ["index", "pipeline", "rollups"])
@pytest.mark.parametrize("size", [3, 30])
def test_list_pages_make_a_bounded_number_of_queries(
        client_for, viewer_user, cft_user, cycle, django_assert_max_num_queries, url_name, size):
    for _ in range(size):
        o = make_opportunity(cycle=cycle, salesperson=cft_user)
        log_touches(o, ("email", "out", 2), ("email", "in", 1))
    client = client_for(viewer_user)
    with django_assert_max_num_queries(22):
        response = client.get(reverse(f"opportunities:{url_name}"))
    assert response.status_code == 200


def test_the_pipeline_shows_the_first_cards_of_each_status_with_the_total(
        client_for, viewer_user, cft_user, cycle, monkeypatch):
    from opportunities import views

    monkeypatch.setattr(views, "PIPELINE_CARDS", 2)
    for _ in range(5):
        make_opportunity(cycle=cycle, salesperson=cft_user, status="interested")
    make_opportunity(cycle=cycle, salesperson=cft_user, status="evaluating")
    page = client_for(viewer_user).get(reverse("opportunities:pipeline"), {"lead_source": "email"})
    columns = {c.status: c for c in page.context["columns"]}
    assert (columns["interested"].total, len(columns["interested"].rows), columns["interested"].more) == (5, 2, 3)
    assert (columns["evaluating"].total, len(columns["evaluating"].rows)) == (1, 1)
    html = page.content.decode()
    assert html.count('class="card mb-2 pipeline-card"') == 3
    assert "3 more in the Opportunity Manager" in html and "?status=interested&amp;lead_source=email" in html


def test_the_table_shows_the_standards_columns_and_derived_figures(client_for, viewer_user, opportunity):
    log_touches(opportunity, ("email", "out", 4), ("email", "in", 1))
    page = client_for(viewer_user).get(reverse("opportunities:index")).content.decode()
    assert "Emails sent" in page and "Online meeting invitations" in page
    assert "25.0" in page  # 1 / 4


def test_a_campaign_starts_with_the_standards_checklist(client_for, cft_user, cycle):
    segment = SegmentFactory(name="Healthcare")
    client_for(cft_user).post(reverse("opportunities:campaign_list"), {"segment": segment.pk})
    campaign = Campaign.objects.get()
    codes = list(campaign.items.values_list("code", flat=True))
    assert codes == ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"]


def test_a_viewer_cannot_open_a_campaign_or_edit_an_item(client_for, viewer_user, cft_user, cycle):
    segment = SegmentFactory()
    client = client_for(viewer_user)
    assert client.post(reverse("opportunities:campaign_list"), {"segment": segment.pk}).status_code == 403
    campaign = services.campaign_create(cycle=cycle, segment=segment, user=cft_user)
    item = campaign.items.first()
    assert client.post(reverse("opportunities:campaign_item_edit", args=[item.pk]),
                       {"done_on": "2026-11-01"}).status_code == 403


def test_overdue_items_are_highlighted_and_phase_progress_shown(client_for, cft_user, cycle):
    campaign = services.campaign_create(cycle=cycle, segment=SegmentFactory(), user=cft_user)
    CampaignItem.objects.filter(campaign=campaign, code="T1").update(due_on=datetime.date(2020, 1, 1))
    CampaignItem.objects.filter(campaign=campaign, code__in=["T2", "T3"]).update(done_on=datetime.date(2026, 1, 1))
    page = client_for(cft_user).get(campaign.get_absolute_url()).content.decode()
    assert "overdue" in page and "2 of 7 done" in page


def test_an_item_can_carry_an_attachment(client_for, cft_user, cycle):
    campaign = services.campaign_create(cycle=cycle, segment=SegmentFactory(), user=cft_user)
    item = campaign.items.get(code="T1")
    client_for(cft_user).post(reverse("opportunities:campaign_item_edit", args=[item.pk]), {
        "done_on": "2026-11-01", "notes": "Top 20 list", "attachment": SimpleUploadedFile("targets.txt", b"x")})
    item.refresh_from_db()
    assert item.done_on == datetime.date(2026, 11, 1) and item.attachment.name.endswith("targets.txt")


def _import(client, content, capture):
    with capture(execute=True):
        client.post(reverse("opportunities:opportunity_import"),
                    {"file": SimpleUploadedFile("om.csv", content)})
    return BackgroundJob.objects.get()


HEADER = "salesperson,offering,lead_source,account,status,status_reason,sponsor_engaged_on\n"


def test_an_import_row_with_an_unknown_lead_source_rejects_the_file(
        client_for, cft_user, cycle, django_capture_on_commit_callbacks):
    AccountFactory(name="Clinic")
    OfferingFactory(name="Tracking")
    content = (HEADER + "carla-cft,Tracking,referral,Clinic,interested,,2026-11-01\n"
               "carla-cft,Tracking,carrier pigeon,Clinic,,,\n"
               "nobody,Nothing,email,Clinic,unsubscribed,,\n").encode()
    job = _import(client_for(cft_user), content, django_capture_on_commit_callbacks)
    assert job.state == JobState.FAILED
    got = [(e["line"], e["column"]) for e in job.result["errors"]]
    assert got == [(3, "lead_source"), (3, "account"), (4, "salesperson"), (4, "offering")]
    assert not Opportunity.objects.exists()


def test_an_import_creates_and_updates_opportunities(client_for, cft_user, cycle,
                                                     django_capture_on_commit_callbacks):
    AccountFactory(name="Clinic")
    AccountFactory(name="Mill")
    OfferingFactory(name="Tracking")
    content = (HEADER + "carla-cft,Tracking,Referral,Clinic,Interested,,2026-11-01\n"
               "carla-cft,Tracking,email,Mill,not interested,price,\n").encode()
    job = _import(client_for(cft_user), content, django_capture_on_commit_callbacks)
    assert job.state == JobState.SUCCEEDED and job.result == {"created": 2, "updated": 0, "unchanged": 0}
    clinic = Opportunity.objects.get(account__name="Clinic")
    assert (clinic.status, clinic.lead_source, str(clinic.sponsor_engaged_on)) == \
        ("interested", "referral", "2026-11-01")
    BackgroundJob.objects.all().delete()
    content = (HEADER + "carla-cft,Tracking,referral,Clinic,evaluating,,2026-11-01\n").encode()
    job = _import(client_for(cft_user), content, django_capture_on_commit_callbacks)
    assert job.result == {"created": 0, "updated": 1, "unchanged": 0}
    clinic.refresh_from_db()
    assert clinic.status == "evaluating"
    assert clinic.status_changes.count() == 2


def test_the_spreadsheets_counts_become_imported_touch_events_and_only_grow(
        client_for, cft_user, cycle, django_capture_on_commit_callbacks):
    from opportunities.models import Touch

    AccountFactory(name="Clinic")
    OfferingFactory(name="Tracking")
    header = "salesperson,offering,lead_source,account,status,emails sent,email replies,letters sent\n"
    client = client_for(cft_user)
    job = _import(client, (header + "carla-cft,Tracking,email,Clinic,,3,1,2\n").encode(),
                  django_capture_on_commit_callbacks)
    assert job.result == {"created": 1, "updated": 0, "unchanged": 0, "touches imported": 6}
    clinic = Opportunity.objects.get()
    assert (clinic.n_email_out, clinic.n_email_in, clinic.n_letter_out, clinic.n_out, clinic.n_in) == (3, 1, 2, 5, 1)
    assert set(Touch.objects.values_list("origin", flat=True)) == {"imported"}
    page = client.get(clinic.get_absolute_url()).content.decode()
    assert page.count(">imported</span>") == 6 and 'data-testid="efficiency">20.0 %' in page  # 1 of 5 out
    BackgroundJob.objects.all().delete()
    job = _import(client, (header + "carla-cft,Tracking,email,Clinic,,4,1,2\n").encode(),
                  django_capture_on_commit_callbacks)
    assert job.result == {"created": 0, "updated": 1, "unchanged": 0, "touches imported": 1}  # one email more
    assert Touch.objects.count() == 7
    BackgroundJob.objects.all().delete()
    bad = _import(client, (header + "carla-cft,Tracking,email,Clinic,,2,-1,1.5\n").encode(),
                  django_capture_on_commit_callbacks)
    assert bad.state == JobState.FAILED
    assert [(e["line"], e["column"]) for e in bad.result["errors"]] == [(2, "email replies"), (2, "letters sent")]
    BackgroundJob.objects.all().delete()
    lower = _import(client, (header + "carla-cft,Tracking,email,Clinic,,2,1,2\n").encode(),
                    django_capture_on_commit_callbacks)
    assert [(e["line"], e["column"]) for e in lower.result["errors"]] == [(2, "emails sent")]
    assert "below the 4 touches logged already" in lower.result["errors"][0]["message"]
    assert Touch.objects.count() == 7  # nothing half-saved


def test_comments_go_out_and_come_back_with_the_spreadsheet(client_for, cft_user, cycle,
                                                             django_capture_on_commit_callbacks):
    import csv
    import io

    from opportunities.services import comment_add

    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user, account=AccountFactory(name="Clinic"),
                                   offering=OfferingFactory(name="Tracking"))
    comment_add(opportunity=opportunity, text="Wants a demo\nin March", user=cft_user)
    client = client_for(cft_user)
    exported = client.get(reverse("opportunities:opportunity_export"), {"format": "csv"}).getvalue().decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[0]["comments"] == "Wants a demo in March"
    job = _import(client, exported.encode(), django_capture_on_commit_callbacks)
    assert job.result == {"created": 0, "updated": 0, "unchanged": 1}  # back as it went out
    BackgroundJob.objects.all().delete()
    rows[0]["comments"] = "Wants a demo in March\nBudget approved in April"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=rows[0].keys())
    writer.writeheader()
    writer.writerows(rows)
    job = _import(client, out.getvalue().encode(), django_capture_on_commit_callbacks)
    assert job.result["comments added"] == 1
    assert list(opportunity.comments.values_list("text", flat=True)) == ["Wants a demo\nin March",
                                                                         "Budget approved in April"]
    BackgroundJob.objects.all().delete()
    rows[0]["comments"] = "\n".join(f"Note {n}" for n in range(4))  # 2 + 4 = 6 > 5
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=rows[0].keys())
    writer.writeheader()
    writer.writerows(rows)
    job = _import(client, out.getvalue().encode(), django_capture_on_commit_callbacks)
    assert [(e["line"], e["column"]) for e in job.result["errors"]] == [(2, "comments")]
    assert opportunity.comments.count() == 2


def test_a_stalled_status_without_reason_in_an_import_is_refused(
        client_for, cft_user, cycle, django_capture_on_commit_callbacks):
    AccountFactory(name="Clinic")
    OfferingFactory(name="Tracking")
    content = (HEADER + "carla-cft,Tracking,email,Clinic,unsubscribed,,\n").encode()
    job = _import(client_for(cft_user), content, django_capture_on_commit_callbacks)
    assert job.result["errors"][0]["line"] == 2 and "needs a reason" in job.result["errors"][0]["message"]


def test_the_export_carries_the_derived_counts(client_for, viewer_user, opportunity):
    log_touches(opportunity, ("linkedin", "out", 2), ("linkedin", "in", 1))
    lines = client_for(viewer_user).get(reverse("opportunities:opportunity_export"),
                                        {"format": "csv"}).getvalue().decode().splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    assert row[header.index("LinkedIn messages sent")] == "2"
    assert row[header.index("LinkedIn messages received")] == "1"
    assert row[header.index("sales_efficiency_pct")] == "50.0"


def test_opening_an_opportunity_as_unsubscribed_without_reason_shows_the_error(client_for, cft_user, cycle):
    response = client_for(cft_user).post(reverse("opportunities:opportunity_create"), {
        "salesperson": cft_user.pk, "offering": OfferingFactory().pk, "lead_source": "email",
        "account": AccountFactory().pk, "status": "unsubscribed"})
    assert response.status_code == 200
    assert "needs a reason" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_a_new_campaigns_items_have_a_creation_snapshot_in_the_history(cft_user, cycle):
    campaign = services.campaign_create(cycle=cycle, segment=SegmentFactory(), user=cft_user)
    item = campaign.items.get(code="T1")
    created = item.history.get()
    assert (created.history_type, created.history_user, created.title) == ("+", cft_user, item.title)


def test_a_cft_member_cannot_hand_an_opportunity_to_someone_else_but_the_chair_can(
        client_for, cft_user, other_cft_user, chair_user, opportunity):
    data = {"salesperson": other_cft_user.pk, "offering": opportunity.offering.pk, "lead_source": "email",
            "account": opportunity.account.pk}
    response = client_for(cft_user).post(reverse("opportunities:opportunity_edit", args=[opportunity.pk]), data)
    assert "only for yourself" in str(response.context["form"].errors)
    opportunity.refresh_from_db()
    assert opportunity.salesperson == cft_user
    client_for(chair_user).post(reverse("opportunities:opportunity_edit", args=[opportunity.pk]), data)
    opportunity.refresh_from_db()
    assert opportunity.salesperson == other_cft_user


def test_the_opportunity_form_lists_only_the_chosen_account_and_its_contacts_whatever_the_data_size(
        client_for, cft_user, cycle, django_assert_max_num_queries):
    from oe21.lib.forms import SMALL_TABLE
    from oe21.models import Account

    from ..factories import ContactFactory

    lakeside = AccountFactory(name="Lakeside Clinic")
    maria = ContactFactory(account=lakeside, name="Maria Lopez")
    ContactFactory(name="Someone Else")
    client = client_for(cft_user)
    small = client.get(reverse("opportunities:opportunity_create")).content.decode()
    assert "Lakeside Clinic</option>" in small  # a small organisation: every account listed
    Account.objects.bulk_create(Account(name=f"Filler {n:03d}", naics_code="541511", zip_code="77429")
                                for n in range(SMALL_TABLE))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("opportunities:opportunity_create")).content.decode()
    assert "Filler 001" not in page and "Lakeside Clinic</option>" not in page and "Maria Lopez" not in page
    assert 'data-lookup-url="/accounts/lookup/"' in page and 'data-follows="id_account"' in page
    refused = client.post(reverse("opportunities:opportunity_create"), {"account": lakeside.pk, "contact": "x"})
    form = refused.content.decode()
    assert f'<option value="{lakeside.pk}" selected>Lakeside Clinic</option>' in form  # the chosen one stays
    assert f'<option value="{maria.pk}">Maria Lopez (Lakeside Clinic)</option>' in form and "Someone Else" not in form
    found = client.get(reverse("account_lookup"), {"q": "lakes"}).json()["results"]
    assert found == [{"id": lakeside.pk, "text": "Lakeside Clinic"}]
    assert client.get(reverse("account_lookup"), {"q": "x" * 5000}).json() == {"results": []}
    contacts = client.get(reverse("account_contacts", args=[lakeside.pk])).json()["results"]
    assert contacts == [{"id": maria.pk, "text": "Maria Lopez (Lakeside Clinic)"}]
    assert client.get(reverse("account_contacts", args=[999999])).status_code == 404


def test_a_drag_to_a_status_that_needs_a_reason_without_one_is_refused_with_a_message(client_for, cft_user, cycle):
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user, status="interested")
    pipeline = reverse("opportunities:pipeline")
    response = client_for(cft_user).post(reverse("opportunities:opportunity_status", args=[opportunity.pk]),
                                         {"status": "not_interested", "next": pipeline}, follow=True)
    assert response.redirect_chain[-1][0] == pipeline
    assert "needs a reason" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == "interested"
