import pytest
from django.urls import reverse

from oe21.choices import JobState
from oe21.jobs import JobFailed, job_run
from oe21.models import BackgroundJob

pytestmark = pytest.mark.django_db


def test_a_job_records_progress_and_result(cft_user):
    job = BackgroundJob.objects.create(kind="demo", description="Demo", started_by=cft_user)
    seen = []

    def work(job, report):
        report(40, "Halfway")
        seen.append(BackgroundJob.objects.get(pk=job.pk).progress)
        return {"rows": 3}

    assert job_run(job.pk, work) == {"rows": 3}
    job.refresh_from_db()
    assert seen == [40]
    assert (job.state, job.progress, job.result) == (JobState.SUCCEEDED, 100, {"rows": 3})
    assert job.finished_at is not None


def test_a_finished_job_is_not_run_again_when_its_task_is_retried(cft_user):
    job = BackgroundJob.objects.create(kind="demo", description="Demo", started_by=cft_user)
    calls = []

    def work(job, report):
        calls.append(1)
        return {"n": len(calls)}

    job_run(job.pk, work)
    job_run(job.pk, work)
    assert calls == [1]


def test_an_expected_failure_is_recorded_with_its_details(cft_user):
    job = BackgroundJob.objects.create(kind="demo", description="Demo", started_by=cft_user)

    def work(job, report):
        raise JobFailed("2 problems", {"errors": [{"line": 3}]})

    job_run(job.pk, work)
    job.refresh_from_db()
    assert (job.state, job.error, job.result) == (JobState.FAILED, "2 problems", {"errors": [{"line": 3}]})


def test_the_status_endpoint_reports_progress_for_the_progress_bar(client_for, cft_user):
    job = BackgroundJob.objects.create(kind="demo", description="Demo", started_by=cft_user,
                                       state=JobState.RUNNING, progress=35, message="Checked 35 rows")
    data = client_for(cft_user).get(reverse("job_status", args=[job.pk])).json()
    assert data["progress"] == 35 and data["finished"] is False and data["message"] == "Checked 35 rows"


def test_the_job_page_links_back_to_where_the_job_started(client_for, cft_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(cft_user)
    content = b"name,kind,naics_code,zip_code,segment,lifecycle_stage,owner\nLakeside Clinic,prospect,621111,77429,,,\n"
    response = client.post(reverse("account_import"), {"file": SimpleUploadedFile("a.csv", content)})
    job = BackgroundJob.objects.get()
    assert response.url == job.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert f'href="{reverse("account_list")}" data-testid="job-back">Back to the accounts</a>' in page


def test_a_job_never_links_back_off_the_portal(cft_user):
    from oe21.jobs import job_start
    from oe21.tasks import import_accounts

    job = job_start(kind="account_import", description="x", user=cft_user, task=import_accounts,
                    back=("elsewhere", "https://evil.example/"))
    assert job.return_url == ""
