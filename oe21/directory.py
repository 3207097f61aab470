"""The authentication backend of the sign-in with the organisation's directory (django-auth-ldap;
settings in oe21/directory_config.py). A directory account signs in with its directory password;
each time, its portal role is set from its directory groups (LDAP_ROLE_GROUPS), so that a change
in the directory takes effect at the next sign-in. Local accounts are left to Django's own backend."""

from django.conf import settings
from django.contrib.auth.models import Group
from django_auth_ldap.backend import LDAPBackend

from .roles import ROLES


class DirectoryBackend(LDAPBackend):
    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            roles_from_directory(user, ldap_user.group_dns)
        return user


def roles_from_directory(user, group_dns) -> list[str]:
    """Give `user` the portal roles its directory groups map to (and take away the others); groups
    of the portal that are not roles are left alone. Returns the roles given."""
    member_of = {dn.lower() for dn in group_dns}
    wanted = [role for role, dn in settings.LDAP_ROLE_GROUPS.items() if dn.lower() in member_of]
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name__in=wanted))
    user.groups.add(*Group.objects.filter(name__in=wanted))
    return wanted
