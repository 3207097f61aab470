"""The roles of SPEC §1 as Django groups with permissions.

`sync_roles` creates the groups and gives them their permissions. A data migration runs it
once; it runs again after every `migrate` so that the models a later app adds get their
permissions too. Roles are groups, never username checks.
"""

from django.contrib.auth.management import create_permissions

CFT_MEMBER = "CFT member"
OFT_MEMBER = "OFT member"
OFT_LEAD = "OFT lead"
LFT_CHAIR = "LFT chair"
VIEWER = "Viewer"
PMS_CLIENT = "PMS client"
ADMIN = "Admin"

ROLES = [CFT_MEMBER, OFT_MEMBER, OFT_LEAD, LFT_CHAIR, VIEWER, PMS_CLIENT, ADMIN]

# Apps whose models are business records of the standard.
BUSINESS_APPS = ["oe21", "prioritization", "opportunities", "requirements_specs", "metrics"]

# Models the OFT may edit (Tasks 3.2.4 and 3.2.6), as "app_label.model".
OFT_EDITABLE_MODELS: set[str] = {
    "requirements_specs.requirementspec",
    "requirements_specs.offeringcost",
}
# Models only an admin edits (criteria weights, formulas' parameters, cycles, organisation).
ADMIN_ONLY_MODELS: set[str] = {
    "oe21.organisationprofile",
    "oe21.engagementcycle",
    "oe21.team",
    "oe21.milestone",
    "oe21.backgroundjob",
    "oe21.apitoken",
    "prioritization.criterion",
    "opportunities.formulasettings",
    "requirements_specs.portfoliosettings",
}
# Decisions only the LFT chair takes, as "app_label.codename".
CHAIR_ONLY_PERMISSIONS: set[str] = {
    "oe21.decide_milestone", "opportunities.edit_any_opportunity", "requirements_specs.decide_offering",
    "requirements_specs.approve_actionplantask", "requirements_specs.approve_requirementspec",
}
# An OFT lead approves requirements specifications too (Task 3.2.4).
OFT_LEAD_PERMISSIONS: set[str] = {"requirements_specs.approve_requirementspec"}
SUBMIT_PERMISSIONS: set[str] = {"oe21.submit_milestone"}
PMS_PERMISSIONS: set[str] = {"oe21.use_pms_api"}


def _permissions_by_role(Permission) -> dict[str, list]:
    business = list(
        Permission.objects.filter(content_type__app_label__in=BUSINESS_APPS)
        .select_related("content_type")
    )

    def key(p):
        return f"{p.content_type.app_label}.{p.content_type.model}"

    def full(p):
        return f"{p.content_type.app_label}.{p.codename}"

    view = [p for p in business if p.codename.startswith("view_")]
    custom = CHAIR_ONLY_PERMISSIONS | SUBMIT_PERMISSIONS | PMS_PERMISSIONS
    cft_edit = [
        p for p in business
        if p.codename.split("_")[0] in ("add", "change", "delete")
        and key(p) not in ADMIN_ONLY_MODELS and full(p) not in custom
        # The audit history is never edited by hand.
        and not p.content_type.model.startswith("historical")
    ]
    submit = [p for p in business if full(p) in SUBMIT_PERMISSIONS]
    chair_only = [p for p in business if full(p) in CHAIR_ONLY_PERMISSIONS]
    oft_edit = [
        p for p in business
        if p.codename.split("_")[0] in ("add", "change") and key(p) in OFT_EDITABLE_MODELS
    ]
    everything = list(Permission.objects.all())
    return {
        VIEWER: view,
        CFT_MEMBER: view + cft_edit + submit,
        LFT_CHAIR: view + cft_edit + submit + chair_only,
        OFT_MEMBER: view + oft_edit,
        OFT_LEAD: view + oft_edit + [p for p in business if full(p) in OFT_LEAD_PERMISSIONS],
        PMS_CLIENT: view + [p for p in business if full(p) in PMS_PERMISSIONS],
        ADMIN: everything,
    }


def sync_roles(apps=None, **kwargs) -> None:
    """Create the role groups and set their permissions (idempotent)."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    for app_config in apps.get_app_configs():
        # Migration-state app configs have no models module; create_permissions needs one.
        had_module = getattr(app_config, "models_module", None)
        app_config.models_module = had_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = had_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in _permissions_by_role(Permission).items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions)
