from django.apps import AppConfig


class RequirementsSpecsConfig(AppConfig):
    name = "requirements_specs"
    verbose_name = "Tasks 3.2.4–3.2.7: requirements, offering information, value contribution"

    def ready(self):
        from oe21 import registry

        from . import demo, inbox, milestones, panels, scale, search_kinds  # noqa: F401  each registers itself
        from .models import OfferingReview

        registry.register_cycle_bound(OfferingReview)

        registry.register_role_rules(
            self.label,
            oft_editable_models=["requirementspec", "offeringcost", "competitorcomparison"],
            admin_only_models=["portfoliosettings"],
            chair_only_permissions=["decide_offering", "approve_actionplantask", "approve_requirementspec"],
            # An OFT lead approves requirements specifications too (Task 3.2.4).
            oft_lead_permissions=["approve_requirementspec"],
        )
