from celery import shared_task

from oe21.jobs import run_import_job

from .imports import CostImporter


@shared_task
def import_costs(job_id: int) -> dict:
    """Task 3.2.6: import costs, cycle times and revenue, all or nothing."""
    return run_import_job(job_id, lambda job: CostImporter(user=job.started_by))
