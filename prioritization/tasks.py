from celery import shared_task

from oe21.jobs import run_import_job
from oe21.models import EngagementCycle

from .imports import MatrixImporter
from .selectors import active_criteria


@shared_task
def import_matrix(job_id: int) -> dict:
    """Task 3.2.1: import a prioritization matrix spreadsheet into a cycle, all or nothing."""

    def make_importer(job):
        cycle = EngagementCycle.objects.get(pk=job.parameters["cycle_id"])
        return MatrixImporter(cycle=cycle, criteria=active_criteria(), user=job.started_by)

    return run_import_job(job_id, make_importer)
