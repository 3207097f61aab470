from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from oe21.api.tokens import api_token_create, api_token_revoke
from oe21.models import ApiToken


class Command(BaseCommand):
    help = "Create a REST export token for a user with the PMS client role (or revoke one)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="PMS", help="Which client uses the token.")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the token whose key starts so.")

    def handle(self, *args, username, name, revoke, **options):
        if revoke:
            tokens = list(ApiToken.objects.filter(key_prefix=revoke[:8], revoked_at__isnull=True))
            if len(tokens) != 1:
                raise CommandError(f"No single active token starts with {revoke[:8]}.")
            api_token_revoke(token=tokens[0])
            self.stdout.write(self.style.SUCCESS(f"Revoked {tokens[0]}."))
            return
        if not username:
            raise CommandError("Name the user the token belongs to.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username}.")
        if not user.has_perm("oe21.use_pms_api"):
            raise CommandError(f"{username} does not have the PMS client role.")
        token, key = api_token_create(user=user, name=name)
        self.stdout.write(self.style.SUCCESS(f"Created {token}. The key is shown only now:"))
        self.stdout.write(key)
