import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from oe21 import roles
from oe21.models import Team

pytestmark = pytest.mark.django_db


def test_the_data_migration_creates_every_role_of_the_standard():
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ROLES)


def _perms(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_a_viewer_may_only_read():
    assert _perms(roles.VIEWER)
    assert all(p.startswith("view_") for p in _perms(roles.VIEWER) - {"use_portal"})


def test_every_role_but_the_pms_client_uses_the_portal():
    assert [role for role in roles.ROLES if "use_portal" not in _perms(role)] == [roles.PMS_CLIENT]


def test_only_the_chair_decides_milestones_and_cft_members_submit_them():
    assert "decide_milestone" in _perms(roles.LFT_CHAIR)
    assert "decide_milestone" not in _perms(roles.CFT_MEMBER)
    assert "submit_milestone" in _perms(roles.CFT_MEMBER)
    assert "submit_milestone" not in _perms(roles.OFT_MEMBER)


def test_nobody_but_an_admin_edits_the_audit_history_or_the_criteria():
    for role in (roles.CFT_MEMBER, roles.LFT_CHAIR):
        assert not any(p.startswith("change_historical") for p in _perms(role))
        assert "change_criterion" not in _perms(role)
    assert "change_criterion" in _perms(roles.ADMIN)


def test_the_command_creates_a_user_with_a_role_and_team():
    call_command("create_user_with_role", "grace", role=roles.CFT_MEMBER, password="pw-12345-long")
    user = get_user_model().objects.get(username="grace")
    assert user.check_password("pw-12345-long")
    assert list(user.groups.values_list("name", flat=True)) == [roles.CFT_MEMBER]
    assert user.has_perm("oe21.add_account") and not user.has_perm("oe21.decide_milestone")
    assert Team.objects.get(kind="CFT").members.filter(pk=user.pk).exists()


def test_the_command_refuses_an_unknown_role():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_user_with_role", "x", role="Boss", password="pw")


def test_a_users_permissions_are_read_in_one_query_their_own_and_their_groups(db, django_assert_num_queries):
    from django.contrib.auth.models import Permission

    from ..factories import UserFactory

    user = UserFactory(username="mixed-rights")  # the viewer role: every view permission
    user.user_permissions.add(Permission.objects.get(codename="add_complaint"))
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert user.has_perm("metrics.add_complaint") and user.has_perm("oe21.view_account")
        assert not user.has_perm("metrics.change_complaint")
        assert user.has_perm("oe21.use_portal")
