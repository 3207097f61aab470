"""Sign-in with the organisation's directory: a real OpenLDAP server (Debian's slapd), started by
the test on a free port of 127.0.0.1 and stopped after it."""

import shutil
import socket
import subprocess
import time

import ldap  # python-ldap, a test dependency (it builds against the headers scripts/services installs)
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from oe21 import roles

pytestmark = pytest.mark.django_db

SLAPD = "/usr/sbin/slapd"
BASE = "dc=northwind,dc=example"
ADMIN_DN, ADMIN_PASSWORD = f"cn=admin,{BASE}", "directory-admin-secret"
CFT_GROUP, CHAIR_GROUP, STAFF_GROUP = (f"cn={name},ou=groups,{BASE}" for name in ("cft", "lft-chairs", "staff"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    """slapd with people and groups: Mia (CFT), Leo (LFT chair), Sam (staff only, no portal role)."""
    if not shutil.which(SLAPD):
        pytest.fail("slapd is missing: scripts/services installs it")
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    port = _free_port()
    config = folder / "slapd.conf"
    config.write_text("\n".join([
        *(f"include /etc/ldap/schema/{name}.schema" for name in ("core", "cosine", "inetorgperson", "nis")),
        "modulepath /usr/lib/ldap", "moduleload back_mdb", f"pidfile {folder}/slapd.pid",
        "database mdb", f'suffix "{BASE}"', f'rootdn "{ADMIN_DN}"', f"rootpw {ADMIN_PASSWORD}",
        f"directory {folder}/data", "maxsize 10485760", ""]))
    uri = f"ldap://127.0.0.1:{port}"
    server = subprocess.Popen([SLAPD, "-f", str(config), "-h", uri + "/", "-d", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        connection = None
        for _ in range(100):
            try:
                connection = ldap.initialize(uri)
                connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
                break
            except ldap.SERVER_DOWN:
                time.sleep(0.1)
        else:
            pytest.fail(f"slapd did not start: {server.stderr.read1().decode(errors='replace')}")

        def add(dn, **attributes):
            connection.add_s(dn, [(key, [v.encode() for v in (values if isinstance(values, list) else [values])])
                                  for key, values in attributes.items()])

        add(BASE, objectClass=["dcObject", "organization"], dc="northwind", o="Northwind")
        for unit in ("people", "groups"):
            add(f"ou={unit},{BASE}", objectClass="organizationalUnit", ou=unit)
        people = {"mia": ("Mia", "Moreau"), "leo": ("Leo", "Lang"), "sam": ("Sam", "Shaw")}
        for uid, (first, last) in people.items():
            add(f"uid={uid},ou=people,{BASE}", objectClass="inetOrgPerson", uid=uid, cn=f"{first} {last}",
                givenName=first, sn=last, mail=f"{uid}@northwind.example", userPassword=f"{uid}-directory-pass")
        person = f"uid={{}},ou=people,{BASE}".format
        add(CFT_GROUP, objectClass="groupOfNames", cn="cft", member=[person("mia")])
        add(CHAIR_GROUP, objectClass="groupOfNames", cn="lft-chairs", member=[person("leo")])
        add(STAFF_GROUP, objectClass="groupOfNames", cn="staff", member=[person(u) for u in people])
        connection.unbind_s()
        yield uri
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def signed_in_with_directory(settings, directory, monkeypatch):
    """The settings oe21/directory_config.py makes from the environment, pointed at the test's slapd."""
    import environ

    from oe21.directory_config import directory_settings

    for name, value in {"LDAP_SERVER_URI": directory, "LDAP_BIND_DN": ADMIN_DN, "LDAP_BIND_PASSWORD": ADMIN_PASSWORD,
                        "LDAP_USER_BASE": f"ou=people,{BASE}", "LDAP_GROUP_BASE": f"ou=groups,{BASE}",
                        "LDAP_ROLE_GROUPS": f"{roles.CFT_MEMBER}={CFT_GROUP}; {roles.LFT_CHAIR}={CHAIR_GROUP}"}.items():
        monkeypatch.setenv(name, value)
    for name, value in directory_settings(environ.Env()).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "oe21.directory.DirectoryBackend",
                                        "oe21.auth.PortalModelBackend"]
    return settings


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_directory_member_signs_in_and_gets_the_role_of_their_directory_group(client, signed_in_with_directory):
    response = _sign_in(client, "mia", "mia-directory-pass")
    assert response.status_code == 302
    mia = get_user_model().objects.get(username="mia")
    assert (mia.get_full_name(), mia.email) == ("Mia Moreau", "mia@northwind.example")
    assert [g.name for g in mia.groups.all()] == [roles.CFT_MEMBER]
    assert client.get(reverse("account_create")).status_code == 200  # a CFT member's page
    assert client.get(reverse("home")).status_code == 200


def test_the_role_follows_the_directory_at_each_sign_in(client, signed_in_with_directory):
    from django.contrib.auth.models import Group

    _sign_in(client, "leo", "leo-directory-pass")
    leo = get_user_model().objects.get(username="leo")
    assert [g.name for g in leo.groups.all()] == [roles.LFT_CHAIR]
    leo.groups.add(Group.objects.get(name=roles.ADMIN))  # given by hand in the portal: the directory decides
    client.logout()
    _sign_in(client, "leo", "leo-directory-pass")
    assert [g.name for g in leo.groups.all()] == [roles.LFT_CHAIR]


def test_a_wrong_password_or_a_member_of_no_role_group_is_refused(client, signed_in_with_directory):
    assert _sign_in(client, "mia", "wrong").status_code == 200
    response = _sign_in(client, "sam", "sam-directory-pass")  # in the directory, but in no group with a role
    assert response.status_code == 200 and "Please enter a correct username and password" in response.content.decode()
    assert not get_user_model().objects.filter(username="sam").exists()


def test_local_accounts_still_sign_in(client, signed_in_with_directory, cft_user):
    assert _sign_in(client, cft_user.username, "secret-pass-123").status_code == 302


def test_a_role_mapping_that_names_no_role_is_a_configuration_error():
    from oe21.directory_config import role_groups

    assert role_groups("CFT member=cn=cft,dc=x; LFT chair=cn=lft,dc=x") == {"CFT member": "cn=cft,dc=x",
                                                                           "LFT chair": "cn=lft,dc=x"}
    with pytest.raises(ImproperlyConfigured, match="Boss"):
        role_groups("Boss=cn=boss,dc=x")
    with pytest.raises(ImproperlyConfigured, match="names no directory group"):
        role_groups("")


def test_the_settings_switch_the_directory_on_from_the_environment(tmp_path):
    """The production settings add the directory backend when LDAP_SERVER_URI is set (a subprocess)."""
    import os
    import sys

    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.AUTHENTICATION_BACKENDS[1], settings.LDAP_ROLE_GROUPS['Viewer'])")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oe21.settings", "DJANGO_DEBUG": "1",
           "LDAP_SERVER_URI": "ldap://127.0.0.1:1", "LDAP_USER_BASE": "ou=people,dc=x",
           "LDAP_GROUP_BASE": "ou=groups,dc=x",
           "LDAP_ROLE_GROUPS": "Viewer=cn=readers,ou=groups,dc=x"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["oe21.directory.DirectoryBackend", "cn=readers,ou=groups,dc=x"], out.stderr
