import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oe21.choices import JobState
from oe21.models import Account, BackgroundJob

from ..factories import AccountFactory, SegmentFactory

pytestmark = pytest.mark.django_db

HEADER = "name,kind,naics_code,zip_code,segment,lifecycle_stage,owner\n"


def _upload(client, name, content, capture):
    with capture(execute=True):
        response = client.post(reverse("account_import"),
                               {"file": SimpleUploadedFile(name, content)})
    return response


def test_a_good_csv_creates_and_updates_accounts(
        client_for, cft_user, django_capture_on_commit_callbacks):
    SegmentFactory(name="Healthcare")
    AccountFactory(name="Summit Foods", zip_code="77429")
    content = (HEADER + "Lakeside Clinic,Customer,621111,77429,Healthcare,Integration,carla-cft\n"
               "summit foods,prospect,311411,60601,,,\n").encode()
    response = _upload(client_for(cft_user), "accounts.csv", content,
                       django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.state == JobState.SUCCEEDED and job.progress == 100
    assert job.result == {"created": 1, "updated": 1}
    clinic = Account.objects.get(name="Lakeside Clinic")
    assert (clinic.kind, clinic.lifecycle_stage, clinic.owner) == ("customer", "integration", cft_user)
    assert clinic.segment.name == "Healthcare"
    assert Account.objects.get(name="summit foods").zip_code == "60601"  # named as in the file
    assert clinic.history.first().history_user == cft_user


def test_a_bad_file_saves_nothing_and_reports_every_bad_row_by_line(
        client_for, cft_user, django_capture_on_commit_callbacks):
    content = (HEADER
               + "Good One,prospect,621111,77429,,,\n"       # line 2: fine
               + "Bad Naics,prospect,999999,77429,,,\n"      # line 3
               + "Bad Zip,prospect,621111,00000,,,\n"        # line 4
               + "good one,prospect,621111,77429,,,\n"       # line 5: duplicate of line 2
               + "Odd,boss,621111,77429,Nowhere,,nobody\n"   # line 6: three problems
               ).encode()
    client = client_for(cft_user)
    _upload(client, "accounts.csv", content, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FAILED
    lines = [(e["line"], e["column"]) for e in job.result["errors"]]
    assert lines == [(3, "naics_code"), (4, "zip_code"), (5, "name"), (6, "kind"),
                     (6, "segment"), (6, "owner")]
    assert not Account.objects.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "appears already on line 2" in page and "nothing was saved" in page


def test_a_file_without_the_required_columns_is_refused(
        client_for, cft_user, django_capture_on_commit_callbacks):
    _upload(client_for(cft_user), "a.csv", b"title,zip\nX,77429\n", django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FAILED
    assert "Missing column(s): name, naics_code" in job.result["errors"][0]["message"]


def test_a_file_of_another_type_is_refused_before_anything_is_stored(client_for, cft_user):
    response = client_for(cft_user).post(
        reverse("account_import"), {"file": SimpleUploadedFile("a.exe", b"MZ...")})
    assert response.status_code == 200
    assert "Upload a .csv or .xlsx file." in str(response.context["form"].errors)
    assert not BackgroundJob.objects.exists()


def test_xlsx_export_imports_back_unchanged(client_for, cft_user, django_capture_on_commit_callbacks):
    SegmentFactory(name="Healthcare")
    AccountFactory(name="Lakeside Clinic", naics_code="621111", zip_code="10001-1234",
                   segment=None, owner=cft_user)
    client = client_for(cft_user)
    exported = client.get(reverse("account_export"), {"format": "xlsx"})
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("name", "kind", "naics_code", "zip_code", "segment", "lifecycle_stage", "owner", "annual_spend")
    assert rows[1][:4] == ("Lakeside Clinic", "prospect", "621111", "10001-1234")
    before = list(Account.objects.values())
    _upload(client, "accounts.xlsx", exported.content, django_capture_on_commit_callbacks)
    assert BackgroundJob.objects.get().result == {"created": 0, "updated": 1}
    after = list(Account.objects.values())
    assert [dict(a, updated_at=None) for a in after] == [dict(b, updated_at=None) for b in before]


def test_csv_export_follows_the_list_filters(client_for, viewer_user):
    AccountFactory(name="Lakeside Health", naics_code="622110")
    AccountFactory(name="Granite Works", naics_code="333111")
    response = client_for(viewer_user).get(reverse("account_export"), {"format": "csv", "sector": "62"})
    lines = response.getvalue().decode().splitlines()  # a streamed download
    assert lines[0].startswith("name,kind,naics_code")
    assert len(lines) == 2 and lines[1].startswith("Lakeside Health,")


def test_a_retired_segment_is_refused_for_new_accounts_but_kept_by_those_in_it(
        client_for, cft_user, django_capture_on_commit_callbacks):
    retired = SegmentFactory(name="Old market", is_active=False)
    AccountFactory(name="Summit Foods", zip_code="77429", segment=retired)
    content = (HEADER + "Summit Foods,prospect,311411,60601,Old market,,\n"   # line 2: stays in it
               "New Clinic,customer,621111,77429,Old market,,\n").encode()   # line 3: refused
    _upload(client_for(cft_user), "accounts.csv", content, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FAILED
    assert [(e["line"], e["column"], e["message"]) for e in job.result["errors"]] == [
        (3, "segment", "The market segment “Old market” is retired: choose an active one.")]
    assert not Account.objects.filter(name="New Clinic").exists()


def test_contacts_export_sorted_and_filtered_and_import_back_all_or_nothing(
        client_for, cft_user, django_capture_on_commit_callbacks):
    from oe21.models import Contact

    from ..factories import ContactFactory

    lakeside, granite = AccountFactory(name="Lakeside Clinic"), AccountFactory(name="Granite Works", kind="customer")
    ContactFactory(account=lakeside, name="Maria Lopez", email="maria@lakeside.example", decision_role="decision_maker")
    ContactFactory(account=lakeside, name="Anna Berg")
    ContactFactory(account=granite, name="Bob Stone")
    client = client_for(cft_user)
    exported = client.get(reverse("contact_export"), {"format": "csv", "account_kind": "prospect", "o": "-name"})
    lines = exported.getvalue().decode().splitlines()
    assert lines[0] == "account,name,title,age_group,email,phone,decision_role"
    assert [line.split(",")[1] for line in lines[1:]] == ["Maria Lopez", "Anna Berg"]  # filtered, sorted as asked
    content = (lines[0] + "\nLakeside Clinic,maria lopez,Head nurse,,maria@lakeside.example,,decision_maker\n"
               "Granite Works,Carl New,,,,,\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contact_import"), {"file": SimpleUploadedFile("contacts.csv", content)})
    job = BackgroundJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.result == {"created": 1, "updated": 1}
    maria = Contact.objects.get(email="maria@lakeside.example")
    assert (maria.name, maria.title) == ("maria lopez", "Head nurse")
    assert Contact.objects.get(name="Carl New").decision_role == "other"
    bad = (lines[0] + "\nNowhere Inc,Someone,,,,,\nLakeside Clinic,Eve,,,not-an-email,,boss\n"
           "Lakeside Clinic,,,,,,\nGranite Works,Zed,,,,,\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contact_import"), {"file": SimpleUploadedFile("contacts.csv", bad)})
    failed = BackgroundJob.objects.latest("pk")
    assert failed.state == JobState.FAILED
    assert [(e["line"], e["column"]) for e in failed.result["errors"]] == [
        (2, "account"), (3, "decision_role"), (3, "email"), (4, "name")]
    assert not Contact.objects.filter(name="Zed").exists()  # all or nothing


def test_list_columns_sort_on_the_server_and_an_unknown_column_is_refused_safely(client_for, viewer_user):
    AccountFactory(name="Beta Works", zip_code="60601")
    AccountFactory(name="Alpha Clinic", zip_code="77429")
    client = client_for(viewer_user)

    def names(**query):
        response = client.get(reverse("account_list"), query)
        assert response.status_code == 200
        return [a.name for a in response.context["object_list"]], response.content.decode()

    assert names(o="name")[0] == ["Alpha Clinic", "Beta Works"]
    assert names(o="-name")[0] == ["Beta Works", "Alpha Clinic"]
    assert names(o="zip")[0] == ["Beta Works", "Alpha Clinic"]
    listed, page = names(o="name")
    assert 'aria-sort="ascending"><a class="sort-link" href="?o=-name"' in page  # a second click reverses
    listed, page = names(o="password")
    assert sorted(listed) == ["Alpha Clinic", "Beta Works"] and "Select a valid choice" in page
