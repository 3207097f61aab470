"""The roles of SPEC §1 as Django groups with permissions.

`sync_roles` creates the groups and gives them their permissions. A data migration runs it
once; it runs again after every `migrate` so that the models a later app adds get their
permissions too. Roles are groups, never username checks.
"""

from django.contrib.auth.management import create_permissions

from .registry import role_rules

CFT_MEMBER = "CFT member"
OFT_MEMBER = "OFT member"
OFT_LEAD = "OFT lead"
LFT_CHAIR = "LFT chair"
VIEWER = "Viewer"
PMS_CLIENT = "PMS client"
ADMIN = "Admin"
SALES_TEAM = "Sales team member"
SALES_MANAGER = "Sales manager"

# Signing in to the web portal is a permission of every role but the PMS client's.
PORTAL_PERMISSION = "oe21.use_portal"

ROLES = [CFT_MEMBER, OFT_MEMBER, OFT_LEAD, LFT_CHAIR, SALES_TEAM, SALES_MANAGER, VIEWER, PMS_CLIENT, ADMIN]
# The sales team: its members own opportunities; its manager changes every one of theirs.
SALES_ROLES = (SALES_TEAM, SALES_MANAGER)

# Which apps hold business records and which of their models and permissions are special is
# registered by each app (`oe21.registry.register_role_rules`); the shared model registers its
# own in `oe21.apps`.


def _permissions_by_role(Permission) -> dict[str, list]:
    rules = role_rules()
    business = list(
        Permission.objects.filter(content_type__app_label__in=rules.business_apps)
        .select_related("content_type")
    )

    def key(p):
        return f"{p.content_type.app_label}.{p.content_type.model}"

    def full(p):
        return f"{p.content_type.app_label}.{p.codename}"

    view = [p for p in business if p.codename.startswith("view_")]
    custom = (rules.chair_only_permissions | rules.submit_permissions | rules.pms_permissions
              | rules.sales_manager_permissions)
    cft_edit = [
        p for p in business
        if p.codename.split("_")[0] in ("add", "change", "delete")
        and key(p) not in rules.admin_only_models and full(p) not in custom
        # The audit history is never edited by hand.
        and not p.content_type.model.startswith("historical")
    ]
    submit = [p for p in business if full(p) in rules.submit_permissions]
    chair_only = [p for p in business if full(p) in rules.chair_only_permissions]
    oft_edit = [
        p for p in business
        if p.codename.split("_")[0] in ("add", "change") and key(p) in rules.oft_editable_models
    ]
    sales_edit = [
        p for p in business
        if p.codename.split("_")[0] in ("add", "change", "delete") and key(p) in rules.sales_editable_models
    ]
    sales_manager = [p for p in business if full(p) in rules.sales_manager_permissions]
    everything = list(Permission.objects.all())
    portal = [p for p in business if full(p) == PORTAL_PERMISSION]  # the PMS client reaches the API only
    return {
        VIEWER: portal + view,
        CFT_MEMBER: portal + view + cft_edit + submit,
        LFT_CHAIR: portal + view + cft_edit + submit + chair_only,
        OFT_MEMBER: portal + view + oft_edit,
        OFT_LEAD: portal + view + oft_edit + [p for p in business if full(p) in rules.oft_lead_permissions],
        SALES_TEAM: portal + view + sales_edit,
        SALES_MANAGER: portal + view + sales_edit + sales_manager,
        PMS_CLIENT: view + [p for p in business if full(p) in rules.pms_permissions],
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
