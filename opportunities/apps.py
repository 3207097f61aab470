from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "Tasks 3.2.2–3.2.3: opportunity marketing and the Opportunity Manager"

    def ready(self):
        from oe21 import registry

        from . import api, carry, demo, milestones, scale, search_kinds, timeline  # noqa: F401  they register themselves
        from .models import Campaign, CampaignItem, CampaignTarget, Comment, Opportunity, Proposal, StatusChange, Touch

        registry.register_api_endpoints(api.ENDPOINTS)
        registry.register_cycle_bound(Campaign)
        registry.register_cycle_bound(CampaignItem, "campaign__cycle")
        registry.register_cycle_bound(CampaignTarget, "campaign__cycle")
        registry.register_cycle_bound(Opportunity)
        registry.register_cycle_bound(Touch, "opportunity__cycle")
        registry.register_cycle_bound(Comment, "opportunity__cycle")
        registry.register_cycle_bound(StatusChange, "opportunity__cycle")
        registry.register_cycle_bound(Proposal, "opportunity__cycle")
        registry.register_role_rules(self.label, admin_only_models=["formulasettings"],
                                     chair_only_permissions=["edit_any_opportunity"],
                                     sales_editable_models=["opportunity", "touch", "comment", "statuschange",
                                                            "proposal"],
                                     sales_manager_permissions=["edit_team_opportunity"])
        registry.register_action_source(
            "opportunity", verbose_name="opportunity", model="opportunities.Opportunity",
            label=lambda o: f"Opportunity: {o}", related=["account", "offering"])
