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
