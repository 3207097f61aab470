from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Tasks 3.2.8–3.2.9: KRI/KRD measures and the monthly review"

    def ready(self):
        from . import milestones  # noqa: F401  registers the rule of milestone 7
