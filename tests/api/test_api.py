import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from oe21.api.base import csv_chunks_from_copy, csv_chunks_from_cursor, export_sql
from oe21.api.tokens import api_token_create, api_token_revoke
from oe21.models import Account, ApiToken

from ..factories import (
    AccountFactory,
    OfferingFactory,
    SegmentFactory,
    log_touches,
    make_opportunity,
    rated_assessment,
)

pytestmark = pytest.mark.django_db

LISTS = ["segments", "offerings", "accounts", "milestones", "prioritization-scores", "opportunities",
         "measures", "measure-entries", "complaints", "ratings", "touches", "proposals"]


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_requests_get_401_with_a_json_body(client, name):
    response = client.get(f"/api/v1/{name}/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_without_the_pms_role_gets_403(client, viewer_user):
    _, key = api_token_create(user=viewer_user, name="not a PMS")
    response = client.get("/api/v1/accounts/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403 and "PMS client role" in response.json()["detail"]


def test_a_revoked_or_unknown_token_gets_401(client, pms_user):
    token, key = api_token_create(user=pms_user, name="PMS")
    api_token_revoke(token=token)
    assert client.get("/api/v1/accounts/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert client.get("/api/v1/accounts/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401


def test_a_tokens_last_use_is_recorded(api, pms_user):
    assert ApiToken.objects.get().last_used_at is None
    api("/api/v1/accounts/")
    assert ApiToken.objects.get().last_used_at is not None


def test_signed_in_staff_use_the_browsable_api_with_their_session(client_for, viewer_user):
    response = client_for(viewer_user).get("/api/v1/accounts/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"Django REST framework" in response.content


@pytest.mark.parametrize("name", LISTS)
def test_every_list_answers_with_server_time_and_results(api, cycle, name):
    body = api(f"/api/v1/{name}/").json()
    assert set(body) == {"next", "previous", "server_time", "results"}


def test_opportunities_carry_their_derived_figures(api, cycle, cft_user):
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user, status="interested",
                                   sponsor_engaged_on=datetime.date(2026, 11, 1))
    log_touches(opportunity, ("email", "out", 3), ("email", "in", 1), ("online_meeting", "out", 1))
    row = api("/api/v1/opportunities/").json()["results"][0]
    assert row["counts"]["emails_sent"] == 3 and row["counts"]["email_replies"] == 1
    assert row["counts"]["online_meeting_invitations"] == 1
    # 1 response to 4 touches out = 25 %; 1 step + Interested 2 = 3 points = 30 %
    assert (row["touches_out"], row["responses"], row["sales_efficiency"]) == (4, 1, 25.0)
    assert (row["progress_points"], row["progress_toward_purchase"]) == (3, 30.0)


def test_the_pms_gets_sales_efficiency_to_two_decimals(api, cycle, cft_user):
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    log_touches(opportunity, ("email", "out", 13), ("email", "in", 5))
    row = api("/api/v1/opportunities/").json()["results"][0]
    # 100 × 5 / 13 = 38.4615… → 38.46 (rounding to one decimal inside the formula gave 38.5)
    assert row["sales_efficiency"] == 38.46


def test_prioritization_scores_are_exported_as_computed(api, cycle):
    rated_assessment(cycle=cycle, offering=OfferingFactory(), values=[5, 4, 3, 2, 1, 5, None])
    row = api("/api/v1/prioritization-scores/").json()["results"][0]
    # (5+4+3+2+1+5)/6 = 20/6 = 3.3333 → (3.3333-1)/4*100 = 58.33 → Medium, incomplete
    assert row["score"] == pytest.approx(3.3333, abs=1e-4)
    assert row["score_100"] == 58.33
    assert (row["estimated_success"], row["complete"]) == ("Medium", False)
    assert row["ratings"]["Best Value"] == 5 and "Positive Referrals" not in row["ratings"]


def test_incremental_sync_picks_up_rows_written_during_a_paged_read(api):
    first = AccountFactory.create_batch(5)
    page1 = api("/api/v1/accounts/", page_size=2).json()
    started = page1["server_time"]
    # while the PMS pages through, someone edits a row it has already read and adds a new one
    Account.objects.filter(pk=first[0].pk).update(name="Renamed", updated_at=timezone.now())
    added = AccountFactory(name="Added later")
    seen = [r["id"] for r in page1["results"]]
    url = page1["next"]
    while url:
        page = api(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(a.pk for a in first)  # each row once; the later ones wait
    assert page1["server_time"] == started
    changed = api("/api/v1/accounts/", updated_since=started).json()["results"]
    assert {r["id"] for r in changed} == {first[0].pk, added.pk}


def test_touches_bring_an_opportunity_into_the_next_incremental_read(api, cycle, cft_user):
    from opportunities.services import touch_log

    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    started = api("/api/v1/opportunities/").json()["server_time"]
    assert api("/api/v1/opportunities/", updated_since=started).json()["results"] == []
    touch_log(opportunity=opportunity, user=cft_user,
              data={"occurred_on": timezone.localdate(), "channel": "email", "direction": "out"})
    assert [r["id"] for r in api("/api/v1/opportunities/", updated_since=started).json()["results"]] == \
        [opportunity.pk]


def test_proposals_are_exported_with_their_outcome(api, cycle, cft_user):
    from opportunities.services import proposal_add

    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    proposal = proposal_add(opportunity=opportunity, user=cft_user, data={
        "sent_on": timezone.localdate(), "offering": opportunity.offering, "value": "12500.50", "outcome": "open"})
    rows = api("/api/v1/proposals/", outcome="open").json()["results"]
    assert [(r["id"], r["opportunity"], r["value"], r["outcome"]) for r in rows] == [
        (proposal.pk, opportunity.pk, "12500.50", "open")]
    assert api("/api/v1/proposals/", outcome="accepted").json()["results"] == []


def test_deleted_rows_are_reported(api):
    account = AccountFactory()
    since = timezone.now().isoformat()
    account_id = account.pk
    account.delete()
    rows = api("/api/v1/accounts/deleted/", since=since).json()["results"]
    assert [r["id"] for r in rows] == [account_id]


def test_filters_by_cycle_offering_segment_and_period(api, cycle, cft_user):
    segment = SegmentFactory()
    group = SegmentFactory(parent=segment)
    tracking = OfferingFactory()
    mine = make_opportunity(cycle=cycle, salesperson=cft_user, offering=tracking,
                            account=AccountFactory(segment=group))
    make_opportunity(cycle=cycle, salesperson=cft_user)

    def ids(**params):
        return [r["id"] for r in api("/api/v1/opportunities/", **params).json()["results"]]

    assert ids(offering=tracking.pk) == [mine.pk]
    assert ids(segment=segment.pk) == [mine.pk]
    assert len(ids(cycle=cycle.pk)) == 2
    today = timezone.localdate().isoformat()
    assert len(ids(period_from=today, period_to=today)) == 2
    assert ids(period_to="2000-01-01") == []


@pytest.mark.parametrize("params, name", [
    ({"updated_since": "yesterday"}, "updated_since"),
    ({"period_from": "2027-02-01", "period_to": "2027-01-01"}, "period_to"),
    ({"offering": "999999"}, "offering"),
    ({"status": "sleeping"}, "status"),
    ({"page_size": "100000"}, "page_size"),
    ({"page_size": "0"}, "page_size"),
    ({"format": "csv", "updated_since": "nope"}, "updated_since"),
])
def test_bad_parameters_get_a_400_naming_the_parameter(api, cycle, params, name):
    response = api("/api/v1/opportunities/", **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert name in response.json()


def test_csv_by_format_or_accept_header(api):
    AccountFactory(name="Lakeside Clinic", naics_code="621111", zip_code="77429")
    for response in (api("/api/v1/accounts/", format="csv"),
                     api("/api/v1/accounts/", headers={"HTTP_ACCEPT": "text/csv"})):
        assert response["Content-Type"].startswith("text/csv")
        lines = response.content.decode().splitlines()
        assert lines[0].startswith("id,name,kind,naics_code,naics_title,zip_code,city,state")
        assert "Lakeside Clinic,prospect,621111,Offices of Physicians" in lines[1]
        assert ",77429,Cypress,TX," in lines[1]


def test_the_full_export_streams(api):
    AccountFactory.create_batch(3)
    response = api("/api/v1/accounts/export/")
    assert response.status_code == 200 and response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == ('"id","name","kind","naics_code","zip_code","segment","lifecycle_stage","owner",'
                        '"annual_spend","updated_at"')
    assert len(lines) == 4


def test_copy_and_the_python_path_give_the_same_bytes(db):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it through scripts/test.")
    AccountFactory(name='Quote "and", comma')
    AccountFactory(name="Line\nbreak", segment=None)
    AccountFactory.create_batch(20)
    columns = [("id", "id"), ("name", "name"), ("segment", "segment_id"), ("updated_at", "updated_at")]
    sql = export_sql("oe21_account", columns)
    headers = [h for h, _ in columns]
    assert b"".join(csv_chunks_from_copy(sql, headers)) == b"".join(csv_chunks_from_cursor(sql, headers))


def test_the_openapi_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_the_schema_and_docs_pages_are_served(api, client_for, viewer_user):
    assert "openapi" in api("/api/schema/", format="json").json()
    docs = client_for(viewer_user).get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn." not in docs.content  # served by the portal itself


def test_the_command_creates_a_token_only_for_a_pms_client(pms_user, viewer_user):
    import io

    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("create_pms_token", pms_user.username, name="PMS prod", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.name == "PMS prod" and key.startswith(token.key_prefix)
    with pytest.raises(CommandError):
        call_command("create_pms_token", viewer_user.username)
    call_command("create_pms_token", revoke=key[:8], stdout=io.StringIO())
    assert ApiToken.objects.get().revoked_at is not None


def test_measure_entries_filter_by_kind_and_period(api):
    from metrics.models import Measure, MeasureEntry

    kri = Measure.objects.get(name="Customer complaints per offering")
    krd = Measure.objects.get(name="Sales efficiency %")
    MeasureEntry.objects.create(measure=kri, period=datetime.date(2027, 1, 1), value=2, origin="computed")
    MeasureEntry.objects.create(measure=krd, period=datetime.date(2027, 2, 1), value=31, origin="computed")
    rows = api("/api/v1/measure-entries/", kind="KRI").json()["results"]
    assert [(r["kind"], r["value"]) for r in rows] == [("KRI", "2.0000")]
    rows = api("/api/v1/measure-entries/", period_from="2027-02-01", period_to="2027-02-28").json()["results"]
    assert [r["measure"] for r in rows] == [krd.pk]
    assert api("/api/v1/measure-entries/", kind="KPI").status_code == 400
