from django.apps import AppConfig
from django.db.models.signals import post_migrate


class Oe21Config(AppConfig):
    name = "oe21"
    verbose_name = "OE21 shared model"

    def ready(self):
        from . import demo, scale, search_kinds, timeline  # noqa: F401  register data set steps, searchable kinds, the timeline
        from .registry import register_role_rules

        register_role_rules(
            self.label,
            admin_only_models=["organisationprofile", "engagementcycle", "team", "milestone", "backgroundjob",
                               "apitoken"],
            chair_only_permissions=["decide_milestone", "open_cycle"],
            submit_permissions=["submit_milestone"],
            pms_permissions=["use_pms_api"],
        )
        # Keep the role groups' permissions in step with every model the apps add.
        post_migrate.connect(_sync_roles_after_migrate, sender=self)
        from django.db.models.signals import post_save

        from .words import forget_organisation_settings
        post_save.connect(forget_organisation_settings, sender=self.get_model("OrganisationProfile"),
                          dispatch_uid="oe21-forget-organisation-settings")


def _sync_roles_after_migrate(sender, **kwargs):
    from .roles import sync_roles

    sync_roles()
