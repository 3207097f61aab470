from django.apps import AppConfig


class PrioritizationConfig(AppConfig):
    name = "prioritization"
    verbose_name = "Task 3.2.1: customer/prospect prioritization"

    def ready(self):
        from oe21 import registry

        from . import api, demo, milestones, scale, timeline  # noqa: F401  milestones, demo, scale, timeline register themselves
        from .models import Assessment, Rating

        registry.register_api_endpoints(api.ENDPOINTS)
        registry.register_cycle_bound(Assessment)
        registry.register_cycle_bound(Rating, "assessment__cycle")
        registry.register_role_rules(self.label, admin_only_models=["criterion", "weightsversion", "versionweight"])
        registry.register_action_source(
            "assessment", verbose_name="assessment", model="prioritization.Assessment",
            label=lambda a: f"Assessment: {a.account} · {a.offering}", related=["account", "offering"])
