import pytest
from playwright.sync_api import expect

from oe21.choices import JobState
from oe21.jobs import job_report
from oe21.models import BackgroundJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_job_page_refreshes_its_progress_bar_by_itself(page, live_server, sign_in, cft_user,
                                                           screenshot):
    job = BackgroundJob.objects.create(kind="account_import", description="Import accounts",
                                       started_by=cft_user, state=JobState.RUNNING)
    sign_in(cft_user.username)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    bar = page.locator("[data-testid=job] .progress-bar")
    expect(bar).to_have_text("0 %")

    job_report(job.pk, 60, "Checked 600 of 1000 rows")
    expect(bar).to_have_text("60 %", timeout=5000)
    expect(page.locator("[data-job-message]")).to_have_text("Checked 600 of 1000 rows")
    screenshot("job-progress-60")

    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.SUCCEEDED, progress=100,
                                                   result={"created": 1000})
    expect(page.get_by_test_id("job-result")).to_contain_text("1000 created", timeout=5000)
