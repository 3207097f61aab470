"""Django's model backend, reading a user's permissions in one query instead of two (their own and
their groups'): every page asks for them, and the page budget is 20 queries."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class PortalModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                own = Permission.objects.filter(user=user_obj).values("pk")
                through_groups = Permission.objects.filter(group__user=user_obj).values("pk")
                permissions = permissions.filter(Q(pk__in=own) | Q(pk__in=through_groups))
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in
                                    permissions.values_list("content_type__app_label", "codename").order_by()}
        return user_obj._perm_cache
