import pytest
from django.urls import reverse

from prioritization.forms import rating_field_name
from prioritization.models import Assessment, Rating

from ..factories import AccountFactory, OfferingFactory, active_criteria, rated_assessment

pytestmark = pytest.mark.django_db


def grid_post(rows, initial=0):
    """POST data of the ratings grid: rows are dicts with account, name and seven ratings."""
    criteria = active_criteria()
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(initial),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data[f"form-{i}-assessment_id"] = row.get("id", "")
        data[f"form-{i}-account"] = row.get("account", "")
        data[f"form-{i}-respondent_name"] = row.get("name", "")
        data[f"form-{i}-respondent_role"] = row.get("role", "")
        data[f"form-{i}-respondent_age_group"] = row.get("age", "")
        for criterion, value in zip(criteria, row.get("ratings", [""] * 7), strict=True):
            data[f"form-{i}-{rating_field_name(criterion)}"] = value
    return data


@pytest.fixture
def offering(cycle):
    return OfferingFactory(name="Asset Tracking")


def _url(offering):
    return reverse("prioritization:grid") + f"?offering={offering.pk}"


def test_a_cft_member_saves_a_whole_matrix_in_one_submit(client_for, cft_user, offering, cycle):
    accounts = AccountFactory.create_batch(3)
    rows = [{"account": a.pk, "name": f"Resp {i}", "role": "Buyer", "age": "35_44",
             "ratings": [str(v) for v in [5, 4, 3, 2, 1, 5, 4]]} for i, a in enumerate(accounts)]
    rows.append({})  # a blank row stays blank
    response = client_for(cft_user).post(_url(offering), grid_post(rows))
    assert response.status_code == 302
    assert Assessment.objects.filter(cycle=cycle, offering=offering).count() == 3
    assert Rating.objects.count() == 21
    assessment = Assessment.objects.get(account=accounts[0])
    assert (assessment.respondent_name, assessment.respondent_role, assessment.respondent_age_group,
            assessment.assessed_by) == ("Resp 0", "Buyer", "35_44", cft_user)
    assert assessment.history.first().history_user == cft_user


@pytest.mark.parametrize("bad", ["0", "6", "abc", "2.5"])
def test_a_bad_rating_is_reported_in_its_cell_and_nothing_is_saved(client_for, cft_user, offering, bad):
    good, wrong = AccountFactory(), AccountFactory()
    rows = [{"account": good.pk, "name": "A", "ratings": ["4"] * 7},
            {"account": wrong.pk, "name": "B", "ratings": ["4", bad, "4", "4", "4", "4", "4"]}]
    response = client_for(cft_user).post(_url(offering), grid_post(rows))
    assert response.status_code == 200
    criterion = active_criteria()[1]
    errors = response.context["formset"].forms[1].errors
    assert errors[rating_field_name(criterion)] == ["A rating is a whole number from 1 to 5."]
    assert "Nothing was saved" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_row_needs_an_account_and_a_respondent(client_for, cft_user, offering):
    account = AccountFactory()
    rows = [{"account": account.pk, "ratings": ["4"] * 7}, {"name": "No account", "ratings": ["3"] * 7}]
    response = client_for(cft_user).post(_url(offering), grid_post(rows))
    forms = response.context["formset"].forms
    assert "respondent_name" in forms[0].errors
    assert "account" in forms[1].errors
    assert not Assessment.objects.exists()


def test_the_same_account_twice_is_refused(client_for, cft_user, offering):
    account = AccountFactory()
    rows = [{"account": account.pk, "name": "A", "ratings": ["4"] * 7},
            {"account": account.pk, "name": "B", "ratings": ["3"] * 7}]
    response = client_for(cft_user).post(_url(offering), grid_post(rows))
    assert response.context["formset"].forms[1].errors["account"] == ["This account is on row 1 already."]
    assert not Assessment.objects.exists()


def test_a_blank_rating_saves_an_incomplete_row(client_for, cft_user, offering):
    account = AccountFactory()
    rows = [{"account": account.pk, "name": "A", "ratings": ["4", "", "4", "4", "4", "4", "4"]}]
    client_for(cft_user).post(_url(offering), grid_post(rows))
    assert Assessment.objects.get().ratings.count() == 6
    page = client_for(cft_user).get(reverse("prioritization:matrix")).content.decode()
    assert "incomplete" in page


def test_editing_an_existing_row_changes_its_ratings(client_for, cft_user, offering, cycle):
    assessment = rated_assessment(cycle=cycle, offering=offering, values=[2] * 7)
    rows = [{"id": assessment.pk, "account": assessment.account_id, "name": "Pat Respondent",
             "ratings": ["5", "5", "5", "5", "5", "5", ""]}]
    response = client_for(cft_user).post(_url(offering), grid_post(rows, initial=1))
    assert response.status_code == 302
    values = sorted(assessment.ratings.values_list("value", flat=True))
    assert values == [5] * 6


def test_a_forged_row_id_is_refused(client_for, cft_user, offering, cycle):
    other = rated_assessment(cycle=cycle, offering=OfferingFactory(), values=[2] * 7)
    rows = [{"id": other.pk, "account": other.account_id, "name": "X", "ratings": ["5"] * 7}]
    response = client_for(cft_user).post(_url(offering), grid_post(rows, initial=1))
    assert response.status_code == 200
    assert "another matrix" in response.content.decode()
    assert set(other.ratings.values_list("value", flat=True)) == {2}


def test_the_grid_page_lists_existing_rows_then_blank_ones(client_for, cft_user, offering, cycle):
    rated_assessment(cycle=cycle, offering=offering)
    response = client_for(cft_user).get(_url(offering) + "&rows=3")
    assert len(response.context["formset"].forms) == 4


@pytest.mark.parametrize("role_fixture", ["viewer_user", "oft_user"])
def test_viewers_cannot_open_or_post_the_grid(client_for, request, offering, role_fixture):
    client = client_for(request.getfixturevalue(role_fixture))
    account = AccountFactory()
    assert client.get(_url(offering)).status_code == 403
    rows = [{"account": account.pk, "name": "A", "ratings": ["4"] * 7}]
    assert client.post(_url(offering), grid_post(rows)).status_code == 403
    assert not Assessment.objects.exists()


def test_the_grid_shows_a_page_of_rated_rows_and_bounded_account_lists(
        client_for, cft_user, offering, cycle, monkeypatch):
    from prioritization import views

    monkeypatch.setattr(views, "GRID_PAGE", 3)
    monkeypatch.setattr(views, "GRID_ACCOUNT_CHOICES", 4)
    rated = [rated_assessment(cycle=cycle, offering=offering, account=AccountFactory(name=f"Rated {i}"))
             for i in range(5)]
    AccountFactory.create_batch(6)
    client = client_for(cft_user)
    first = client.get(_url(offering) + "&rows=2")
    forms = first.context["formset"].forms
    assert len(forms) == 3 + 2  # a page of rated rows, then the blank rows asked for
    assert [f.initial["assessment_id"] for f in forms[:3]] == [a.pk for a in rated[:3]]
    # a blank row offers at most 4 unrated accounts, never every account; a rated row only its own
    assert len(forms[3].fields["account"].choices) == 1 + 4
    assert forms[0].fields["account"].choices == [(rated[0].account_id, "Rated 0")]
    assert 'data-testid="more-accounts"' in first.content.decode()
    last = client.get(_url(offering) + "&page=999999")  # a page past the end is the last page
    assert [f.initial["assessment_id"] for f in last.context["formset"].forms if f.initial] == [
        a.pk for a in rated[3:]]
    many = client.get(_url(offering) + "&rows=5000")
    assert len(many.context["formset"].forms) == 3 + views.GRID_BLANK_ROWS


def test_the_grid_filters_its_accounts(client_for, cft_user, offering, cycle):
    rated_assessment(cycle=cycle, offering=offering, account=AccountFactory(name="Lakeside Clinic"))
    rated_assessment(cycle=cycle, offering=offering, account=AccountFactory(name="Summit Foods"))
    client = client_for(cft_user)
    page = client.get(_url(offering) + "&q=lakeside")
    assert [f.initial["account"] for f in page.context["formset"].forms if f.initial] == [
        Assessment.objects.get(account__name="Lakeside Clinic").account_id]
    ignored = client.get(_url(offering) + "&owner=not-a-number&segment=x")
    assert ignored.status_code == 200 and len(ignored.context["formset"].forms) == 2 + 5
    assert client.get(_url(offering) + "&segment=%00").status_code == 400  # a NUL is refused everywhere


def test_more_rows_than_a_page_holds_are_refused_and_nothing_saved(client_for, cft_user, offering):
    from prioritization.forms import GRID_MAX_ROWS

    accounts = AccountFactory.create_batch(3)
    client = client_for(cft_user)
    rows = [{"account": accounts[i % 3].pk, "name": "A", "ratings": ["4"] * 7} for i in range(GRID_MAX_ROWS + 1)]
    assert client.post(_url(offering), grid_post(rows)).status_code == 400  # too many fields for one request
    data = grid_post([{"account": accounts[0].pk, "name": "A", "ratings": ["4"] * 7}])
    data["form-TOTAL_FORMS"] = str(GRID_MAX_ROWS + 1)  # a forged count: the rest of the rows are empty
    response = client.post(_url(offering), data)
    assert response.status_code == 200 and response.context["formset"].non_form_errors()
    assert not Assessment.objects.exists()


def test_a_blank_row_offers_every_account_not_rated_for_this_offering_in_this_cycle(
        client_for, cft_user, offering, cycle):
    from oe21.models import EngagementCycle

    last_year = EngagementCycle.objects.create(name="FY2026", starts_on="2026-01-01", ends_on="2026-12-31")
    other = OfferingFactory(name="Training")
    rated_here = rated_assessment(cycle=cycle, offering=offering, account=AccountFactory(name="Rated here")).account
    both = AccountFactory(name="Rated for another offering now and for this one last year")
    rated_assessment(cycle=cycle, offering=other, account=both)
    Assessment.objects.bulk_create([Assessment(cycle=last_year, offering=offering, account=both,
                                               respondent_name="Ann")])  # a closed cycle's row, as it was kept
    page = client_for(cft_user).get(_url(offering))
    blank = page.context["formset"].forms[-1]
    offered = [value for value, _ in blank.fields["account"].choices if value]
    assert both.pk in offered and rated_here.pk not in offered
