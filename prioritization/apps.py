from django.apps import AppConfig


class PrioritizationConfig(AppConfig):
    name = "prioritization"
    verbose_name = "Task 3.2.1: customer/prospect prioritization"

    def ready(self):
        from . import milestones  # noqa: F401  registers the rule of milestone 1
