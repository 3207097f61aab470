from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from oe21.choices import TeamKind
from oe21.models import Team
from oe21.roles import ADMIN, CFT_MEMBER, LFT_CHAIR, OFT_MEMBER, ROLES

TEAM_OF_ROLE = {CFT_MEMBER: TeamKind.CFT, LFT_CHAIR: TeamKind.LFT, OFT_MEMBER: TeamKind.OFT}


class Command(BaseCommand):
    help = "Create (or update) a user with one of the portal's roles: " + ", ".join(ROLES)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--password", help="Omit to be asked for one.")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, role, password, email, first_name, last_name, **options):
        if password is None:
            import getpass

            password = getpass.getpass(f"Password for {username}: ")
        if not password:
            raise CommandError("A password is required.")
        user_model = get_user_model()
        probe = user_model.objects.filter(username=username).first() or user_model(
            username=username, email=email, first_name=first_name, last_name=last_name)
        try:  # the same rules as every other password of the portal (AUTH_PASSWORD_VALIDATORS)
            validate_password(password, user=probe)
        except ValidationError as exc:
            raise CommandError("The password is refused: " + " ".join(exc.messages)) from exc
        with transaction.atomic():
            user, created = user_model.objects.get_or_create(username=username)
            user.email = email or user.email
            user.first_name = first_name or user.first_name
            user.last_name = last_name or user.last_name
            user.is_staff = role == ADMIN
            user.is_superuser = role == ADMIN
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            if role in TEAM_OF_ROLE:
                team, _ = Team.objects.get_or_create(kind=TEAM_OF_ROLE[role])
                team.members.add(user)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} user {username} with role {role}."))
