from django.apps import AppConfig


class RequirementsSpecsConfig(AppConfig):
    name = "requirements_specs"
    verbose_name = "Tasks 3.2.4–3.2.7: requirements, offering information, value contribution"

    def ready(self):
        from . import milestones  # noqa: F401  registers the rules of milestones 5 and 6
