"""Settings of the sign-in with the organisation's directory (django-auth-ldap), from the
environment; imported by the settings only when LDAP_SERVER_URI is set. Only django-auth-ldap's
`config` module is imported here: the settings load before the apps.

    LDAP_SERVER_URI        ldap://dc1.intranet.example:389 (ldaps://… for TLS)
    LDAP_BIND_DN           the service account that searches (empty: anonymous search)
    LDAP_BIND_PASSWORD
    LDAP_USER_BASE         ou=people,dc=example,dc=org
    LDAP_USER_FILTER       (uid=%(user)s); Active Directory: (sAMAccountName=%(user)s)
    LDAP_GROUP_BASE        ou=groups,dc=example,dc=org
    LDAP_GROUP_TYPE        group_of_names (default) or active_directory (nested AD groups)
    LDAP_ROLE_GROUPS       which directory group gives which portal role, ";"-separated:
                           "CFT member=cn=cft,ou=groups,dc=example,dc=org;LFT chair=cn=lft,ou=groups,…"
"""

import ldap
from django.core.exceptions import ImproperlyConfigured
from django_auth_ldap.config import GroupOfNamesType, LDAPGroupQuery, LDAPSearch, NestedActiveDirectoryGroupType

from .roles import ROLES


def role_groups(text: str) -> dict[str, str]:
    """"Role=group DN;Role=group DN" → {role: group DN}; an unknown role is a configuration error."""
    mapping = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        role, _, dn = part.partition("=")
        role, dn = role.strip(), dn.strip()
        if role not in ROLES or not dn:
            raise ImproperlyConfigured(f"LDAP_ROLE_GROUPS: “{part}” is not “role=group DN” with a role of {ROLES}.")
        mapping[role] = dn
    if not mapping:
        raise ImproperlyConfigured("LDAP_ROLE_GROUPS names no directory group: nobody could be given a role.")
    return mapping


def directory_settings(env) -> dict:
    groups = role_groups(env.str("LDAP_ROLE_GROUPS", default=""))
    group_type = env.str("LDAP_GROUP_TYPE", default="group_of_names")
    if group_type not in ("group_of_names", "active_directory"):
        raise ImproperlyConfigured("LDAP_GROUP_TYPE is group_of_names or active_directory.")
    require = None
    for dn in groups.values():  # only members of a group that gives a role may sign in
        require = LDAPGroupQuery(dn) if require is None else require | LDAPGroupQuery(dn)
    return {
        "AUTH_LDAP_SERVER_URI": env.str("LDAP_SERVER_URI"),
        "AUTH_LDAP_BIND_DN": env.str("LDAP_BIND_DN", default=""),
        "AUTH_LDAP_BIND_PASSWORD": env.str("LDAP_BIND_PASSWORD", default=""),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(env.str("LDAP_USER_BASE"), ldap.SCOPE_SUBTREE,
                                            env.str("LDAP_USER_FILTER", default="(uid=%(user)s)")),
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(env.str("LDAP_GROUP_BASE"), ldap.SCOPE_SUBTREE, "(objectClass=*)"),
        "AUTH_LDAP_GROUP_TYPE": NestedActiveDirectoryGroupType() if group_type == "active_directory"
        else GroupOfNamesType(),
        "AUTH_LDAP_REQUIRE_GROUP": require,
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        "AUTH_LDAP_CONNECTION_OPTIONS": {ldap.OPT_NETWORK_TIMEOUT: 5, ldap.OPT_REFERRALS: 0},
        "LDAP_ROLE_GROUPS": groups,
    }
