import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oe21.choices import JobState
from oe21.models import BackgroundJob
from prioritization.models import Assessment

from ..factories import AccountFactory, OfferingFactory, rated_assessment

pytestmark = pytest.mark.django_db

CRITERIA = ("Best Value,Total Solution,Affordable Solution,Availability Solution,"
            "Competitor Relationships,Prior Success,Positive Referrals")
HEADER = ("account,naics_code,zip_code,segment,offering,respondent_name,respondent_role,"
          f"respondent_age_group,{CRITERIA}\n")


def _import(client, name, content, capture):
    with capture(execute=True):
        response = client.post(reverse("prioritization:matrix_import"),
                               {"file": SimpleUploadedFile(name, content)})
    return response, BackgroundJob.objects.get()


@pytest.fixture
def setting(cycle):
    return {"cycle": cycle, "offering": OfferingFactory(name="Tracking"),
            "clinic": AccountFactory(name="Clinic", naics_code="621111", zip_code="77429"),
            "mill": AccountFactory(name="Mill", naics_code="311411", zip_code="60601")}


def test_a_good_file_creates_assessments_with_their_ratings(
        client_for, cft_user, setting, django_capture_on_commit_callbacks):
    content = (HEADER + "Clinic,621111,77429,,Tracking,Ann Lee,Buyer,35–44,5,4,3,2,1,5,4\n"
               "mill,,,,tracking,Bob Roy,,,3,3,3,3,3,3,\n").encode()
    response, job = _import(client_for(cft_user), "m.csv", content, django_capture_on_commit_callbacks)
    assert response["Location"] == job.get_absolute_url()
    assert job.state == JobState.SUCCEEDED and job.result == {"created": 2, "updated": 0}
    clinic = Assessment.objects.get(account=setting["clinic"])
    assert clinic.respondent_age_group == "35_44" and clinic.assessed_by == cft_user
    assert sorted(clinic.ratings.values_list("value", flat=True)) == [1, 2, 3, 4, 4, 5, 5]
    assert Assessment.objects.get(account=setting["mill"]).ratings.count() == 6


def test_a_bad_file_saves_nothing_and_names_every_bad_row(
        client_for, cft_user, setting, django_capture_on_commit_callbacks):
    content = (HEADER
               + "Clinic,621111,77429,,Tracking,Ann,,,5,5,5,5,5,5,5\n"      # 2: fine
               + "Nobody Inc,,,,Tracking,Ann,,,5,5,5,5,5,5,5\n"            # 3: unknown account
               + "Mill,,,,Tracking,Bob,,,6,abc,0,5,5,5,5\n"               # 4: three bad ratings
               + "Mill,999999,00000,,Tracking,Bob,,,5,5,5,5,5,5,5\n"      # 5: dup + NAICS + ZIP
               + "Clinic,311411,,,Tracking,,,,5,5,5,5,5,5,5\n"            # 6: dup, NAICS differs, name
               ).encode()
    client = client_for(cft_user)
    _, job = _import(client, "m.csv", content, django_capture_on_commit_callbacks)
    assert job.state == JobState.FAILED
    got = [(e["line"], e["column"]) for e in job.result["errors"]]
    assert got == [(3, "account"),
                   (4, "Best Value"), (4, "Total Solution"), (4, "Affordable Solution"),
                   (5, "account"), (5, "naics_code"), (5, "zip_code"),
                   (6, "account"), (6, "naics_code"), (6, "respondent_name")]
    messages = {(e["line"], e["column"]): e["message"] for e in job.result["errors"]}
    assert messages[(3, "account")] == "There is no account “Nobody Inc”."
    assert messages[(4, "Best Value")] == "“6” is not a rating from 1 to 5."
    assert "on line 2 already" in messages[(6, "account")]
    assert not Assessment.objects.exists()


def test_an_unknown_column_is_refused_rather_than_dropped(
        client_for, cft_user, setting, django_capture_on_commit_callbacks):
    content = (HEADER.strip() + ",Sparkle\nClinic,,,,Tracking,Ann,,,5,5,5,5,5,5,5,9\n").encode()
    _, job = _import(client_for(cft_user), "m.csv", content, django_capture_on_commit_callbacks)
    assert job.state == JobState.FAILED
    assert job.result["errors"][0]["message"].startswith("Unknown column(s): sparkle.")


def test_export_then_import_round_trips(client_for, cft_user, setting, cycle,
                                        django_capture_on_commit_callbacks):
    rated_assessment(cycle=cycle, offering=setting["offering"], account=setting["clinic"],
                     values=[5, 4, 3, 2, 1, None, 4])
    client = client_for(cft_user)
    exported = client.get(reverse("prioritization:matrix_export"), {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0][-3:] == ("score", "score_100", "estimated_success")
    # (5+4+3+2+1+4)/6 = 19/6 = 3.1667 → (3.1667-1)/4*100 = 54.2 → Medium
    assert rows[1][0] == "Clinic" and rows[1][-3:] == (3.17, 54.2, "Medium")
    before = sorted(Assessment.objects.get().ratings.values_list("criterion_id", "value"))
    _, job = _import(client, "m.xlsx", exported.content, django_capture_on_commit_callbacks)
    assert job.state == JobState.SUCCEEDED and job.result == {"created": 0, "updated": 0}
    assert sorted(Assessment.objects.get().ratings.values_list("criterion_id", "value")) == before


def test_a_viewer_cannot_import(client_for, viewer_user, setting):
    response = client_for(viewer_user).post(reverse("prioritization:matrix_import"),
                                            {"file": SimpleUploadedFile("m.csv", HEADER.encode())})
    assert response.status_code == 403
    assert not BackgroundJob.objects.exists()


def test_csv_export_follows_the_filters(client_for, viewer_user, setting, cycle):
    rated_assessment(cycle=cycle, offering=setting["offering"], account=setting["clinic"])
    rated_assessment(cycle=cycle, offering=setting["offering"], account=setting["mill"])
    response = client_for(viewer_user).get(reverse("prioritization:matrix_export"),
                                           {"format": "csv", "sector": "62"})
    lines = response.getvalue().decode().splitlines()  # a streamed download
    assert len(lines) == 2 and lines[1].startswith("Clinic,621111,77429,")
