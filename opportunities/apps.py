from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "Tasks 3.2.2–3.2.3: opportunity marketing and the Opportunity Manager"
