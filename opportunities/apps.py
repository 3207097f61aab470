from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "Tasks 3.2.2–3.2.3: opportunity marketing and the Opportunity Manager"

    def ready(self):
        from . import milestones  # noqa: F401  registers the rules of milestones 2, 3 and 4
