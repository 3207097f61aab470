from celery import shared_task
from django.core.exceptions import ValidationError

from oe21.jobs import JobFailed, job_run, run_import_job
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


@shared_task
def adopt_weights_job(job_id: int) -> dict:
    """#17: adopt a new weights version and rescore the current cycle (safe to retry: a retried job
    returns the version it adopted)."""
    from . import services

    def work(job, report):
        parameters = job.parameters
        report(10, "Adopting the weights and rescoring the current cycle")
        try:
            version = services.weights_adopt(
                {int(pk): weight for pk, weight in parameters["weights"].items()}, by=job.started_by,
                note=parameters.get("note", ""), source=parameters.get("source", "edited"),
                based_on=parameters.get("based_on"), job_id=job.pk)
        except ValidationError as refused:
            raise JobFailed(" ".join(refused.messages)) from refused
        rescored = version.assessments_following_it().count()
        return {f"assessments of the current cycle rescored with weights version {version.pk}": rescored}

    return job_run(job_id, work)
