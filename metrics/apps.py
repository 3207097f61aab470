from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Tasks 3.2.8–3.2.9: KRI/KRD measures and the monthly review"

    def ready(self):
        from oe21 import registry

        from . import api, demo, milestones, panels, scale, search_kinds, timeline  # noqa: F401  they register themselves
        from .models import IntendedOutcome, ReviewMeeting, Survey

        registry.register_api_endpoints(api.ENDPOINTS)
        registry.register_cycle_bound(ReviewMeeting)
        registry.register_cycle_bound(Survey)
        registry.register_cycle_bound(IntendedOutcome)
        registry.register_role_rules(self.label)
        registry.register_action_source(
            "review", verbose_name="monthly review", model="metrics.ReviewMeeting",
            label=lambda m: f"Review of {m.month:%B %Y}")
