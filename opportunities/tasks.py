from celery import shared_task

from oe21.jobs import run_import_job
from oe21.models import EngagementCycle

from .imports import OpportunityImporter


@shared_task
def import_opportunities(job_id: int) -> dict:
    """Task 3.2.3: import the Opportunity Manager spreadsheet into a cycle, all or nothing."""

    def make_importer(job):
        cycle = EngagementCycle.objects.get(pk=job.parameters["cycle_id"])
        return OpportunityImporter(cycle=cycle, user=job.started_by)

    return run_import_job(job_id, make_importer)
