import pytest
from django.urls import reverse

from oe21.models import Account, Contact, Offering

from ..factories import AccountFactory, OfferingFactory, SegmentFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "Lakeside Clinic", "kind": "prospect", "naics_code": "621111",
         "zip_code": "77429", "lifecycle_stage": "initiation"}


def test_a_cft_member_creates_an_account_and_sees_naics_title_and_place(client_for, cft_user):
    client = client_for(cft_user)
    response = client.post(reverse("account_create"), VALID)
    account = Account.objects.get(name="Lakeside Clinic")
    assert response.status_code == 302 and response["Location"] == account.get_absolute_url()
    page = client.get(account.get_absolute_url()).content.decode()
    assert "Offices of Physicians (except Mental Health Specialists)" in page
    assert "Cypress, TX" in page


@pytest.mark.parametrize("field, value, message", [
    ("naics_code", "999999", "not a code on the 2022 NAICS list"),
    ("naics_code", "12a", "2 to 6 digits"),
    ("zip_code", "00000", "not a real US ZIP code"),
    ("zip_code", "7742", "5 digits or ZIP+4"),
    ("annual_spend", "-5", "greater than or equal to 0"),
    ("annual_spend", "a lot", "Enter a number"),
])
def test_bad_naics_or_zip_is_reported_next_to_the_field_and_nothing_saved(
        client_for, cft_user, field, value, message):
    response = client_for(cft_user).post(reverse("account_create"), {**VALID, field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Account.objects.exists()


def test_a_duplicate_account_name_is_refused_whatever_its_case(client_for, cft_user):
    AccountFactory(name="Lakeside Clinic")
    response = client_for(cft_user).post(reverse("account_create"), {**VALID, "name": "LAKESIDE clinic"})
    assert response.status_code == 200
    assert "An account with this name exists already." in str(response.context["form"].errors)
    assert Account.objects.count() == 1


def test_editing_an_account_saves_the_change_and_records_who_changed_what(client_for, cft_user):
    account = AccountFactory(name="Summit Foods", zip_code="77429")
    client = client_for(cft_user)
    data = {**VALID, "name": "Summit Foods", "zip_code": "60601"}
    response = client.post(reverse("account_edit", args=[account.pk]), data)
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.zip_code == "60601"
    latest = account.history.first()
    assert latest.history_user == cft_user and latest.history_type == "~"
    page = client.get(reverse("account_history", args=[account.pk])).content.decode()
    assert "77429 → 60601" in page and cft_user.get_full_name() in page


def test_the_history_tab_keeps_a_snapshot_at_creation(client_for, cft_user):
    client = client_for(cft_user)
    client.post(reverse("account_create"), VALID)
    account = Account.objects.get()
    page = client.get(reverse("account_history", args=[account.pk])).content.decode()
    assert "created" in page and "621111" in page


def test_the_account_list_searches_and_filters(client_for, viewer_user):
    health = SegmentFactory(name="Healthcare")
    AccountFactory(name="Lakeside Health", naics_code="622110", segment=health)
    AccountFactory(name="Granite Machine Works", naics_code="333111")
    client = client_for(viewer_user)

    def names(query):
        return [a.name for a in client.get(reverse("account_list"), query).context["object_list"]]

    assert names({"q": "lake"}) == ["Lakeside Health"]
    assert names({"sector": "33"}) == ["Granite Machine Works"]
    assert names({"segment": health.pk}) == ["Lakeside Health"]


def test_a_segment_filter_includes_its_customer_groups(client_for, viewer_user):
    segment = SegmentFactory(name="Healthcare")
    group = SegmentFactory(name="Clinics", parent=segment)
    AccountFactory(name="In group", segment=group)
    AccountFactory(name="Elsewhere")
    response = client_for(viewer_user).get(reverse("account_list"), {"segment": segment.pk})
    assert [a.name for a in response.context["object_list"]] == ["In group"]


@pytest.mark.parametrize("size", [5, 40])
def test_the_account_list_makes_a_bounded_number_of_queries(
        client_for, viewer_user, django_assert_max_num_queries, size):
    AccountFactory.create_batch(size)
    client = client_for(viewer_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("account_list"))
    assert len(response.context["object_list"]) == size


def test_contacts_and_offerings_are_created_through_their_forms(client_for, cft_user):
    account = AccountFactory()
    client = client_for(cft_user)
    response = client.post(reverse("contact_create"), {
        "account": account.pk, "name": "Maria Garcia", "title": "Director",
        "decision_role": "decision_maker", "email": "maria@example.org"})
    assert response.status_code == 302
    assert Contact.objects.get().account == account
    response = client.post(reverse("offering_create"), {
        "name": "Asset Tracking", "kind": "product", "status": "active", "price": "10.50"})
    assert response.status_code == 302
    assert Offering.objects.get().price == 10.5


def test_a_negative_price_is_refused(client_for, cft_user):
    response = client_for(cft_user).post(reverse("offering_create"), {
        "name": "Asset Tracking", "kind": "product", "status": "active", "price": "-1"})
    assert response.status_code == 200 and "price" in response.context["form"].errors
    assert not Offering.objects.exists()


def test_contact_and_offering_pages_have_a_history_tab(client_for, viewer_user):
    offering = OfferingFactory()
    response = client_for(viewer_user).get(reverse("offering_history", args=[offering.pk]))
    assert response.status_code == 200 and "created" in response.content.decode()


def test_the_audit_report_filters_by_user_kind_and_date(client_for, cft_user, viewer_user):
    client = client_for(cft_user)
    client.post(reverse("account_create"), VALID)
    client.post(reverse("offering_create"), {"name": "Tracking", "kind": "product", "status": "active"})
    report = client_for(viewer_user)

    def records(**query):
        return [(e.kind, e.record, e.action) for e in report.get(reverse("audit_report"), query).context["entries"]]

    assert ("Account", "Lakeside Clinic", "created") in records(user=cft_user.pk)
    assert records(user=cft_user.pk, kind="oe21.offering") == [("Offering", "Tracking", "created")]
    assert records(user=viewer_user.pk) == []
    assert records(until="2000-01-01") == []


@pytest.mark.parametrize("size", [5, 60])
def test_the_audit_report_pages_through_every_change_in_bounded_queries(
        client_for, viewer_user, cycle, cft_user, django_assert_max_num_queries, size):
    from ..factories import make_opportunity

    for _ in range(size):
        make_opportunity(cycle=cycle, salesperson=cft_user)  # its text reads the account and offering
    client = client_for(viewer_user)
    with django_assert_max_num_queries(20):
        first = client.get(reverse("audit_report"))
    page = first.context["page_obj"]
    total = page.paginator.count
    assert total >= 3 * size  # each opportunity made an account, an offering and itself
    assert len(first.context["entries"]) == min(total, 50)
    assert "Opportunity" in [e.kind for e in first.context["entries"]]
    last = client.get(reverse("audit_report"), {"page": page.paginator.num_pages})
    assert len(last.context["entries"]) == total - 50 * (page.paginator.num_pages - 1)


def test_the_history_tab_speaks_in_labels_and_names_not_codes_and_ids(client_for, viewer_user):
    from django.contrib.auth import get_user_model

    from ..factories import UserFactory

    old_owner = UserFactory(username="cft9", first_name="Grace", last_name="Okafor")
    new_owner = UserFactory(username="cft8", first_name="Carlos", last_name="Ruiz")
    health, public = SegmentFactory(name="Healthcare"), SegmentFactory(name="Public sector")
    account = AccountFactory(name="Summit Foods", kind="prospect", owner=old_owner, segment=health)
    account.kind, account.owner, account.segment = "customer", new_owner, public
    account.lifecycle_stage = "value_creation"
    account.save()
    get_user_model().objects.filter(pk=old_owner.pk).delete()  # a person who has left: still named as such
    page = client_for(viewer_user).get(reverse("account_history", args=[account.pk])).content.decode()
    assert "<strong>kind</strong>: Prospect → Customer" in page
    assert "<strong>segment</strong>: Healthcare → Public sector" in page
    assert f"<strong>owner</strong>: #{old_owner.pk} (deleted) → Carlos Ruiz" in page
    assert "→ Value creation" in page
    assert "value_creation" not in page and f"owner</strong>: {new_owner.pk}" not in page
    assert "<strong>owner</strong>: Grace Okafor" not in page  # deleted, so not guessed
    assert "<strong>owner</strong>: " in page and "cft8" not in page  # full names, not usernames


def test_amounts_show_the_organisations_currency_with_thousands_separators(client_for, viewer_user):
    from oe21.models import OrganisationProfile

    offering = OfferingFactory(name="Telehealth", price="176000")
    offering.price = "1250.5"
    offering.save()
    history = client_for(viewer_user).get(reverse("offering_history", args=[offering.pk])).content.decode()
    assert "<strong>price</strong>: USD 176,000.00 → USD 1,250.50" in history
    offering.price = "176000"
    offering.save()
    client = client_for(viewer_user)
    assert "USD 176,000.00" in client.get(reverse("offering_list")).content.decode()  # the default currency
    profile = OrganisationProfile.objects.first() or OrganisationProfile(name="Northwind")
    profile.currency = "EUR"
    profile.save()  # saving the profile clears the cached currency
    assert "EUR 176,000.00" in client.get(offering.get_absolute_url()).content.decode()
    profile.currency = "euro"
    with pytest.raises(Exception, match="Three capital letters"):
        profile.full_clean()
