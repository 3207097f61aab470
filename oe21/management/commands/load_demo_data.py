"""A believable demo organisation, so that a newcomer sees a living portal.

The shared model and every task app register their steps (`oe21.registry.demo_step`); this
command runs them in order, in one transaction.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from oe21.demo import DEMO_USERS, DemoContext
from oe21.models import Account, Contact, Offering
from oe21.registry import demo_steps


class Command(BaseCommand):
    help = "Load the demo organisation: segments, ~50 accounts, contacts, offerings, users per role."

    def add_arguments(self, parser):
        parser.add_argument("--address", default="127.0.0.1:8000",
                            help="Where the portal will be served (host:port or port), for the sign-in line.")

    def handle(self, *args, **options):
        context = DemoContext()
        with transaction.atomic():
            for step in demo_steps():
                step.run(context)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded: {Account.objects.count()} accounts, {Contact.objects.count()} contacts, "
            f"{Offering.objects.count()} offerings."))
        self.stdout.write(f"Sign in at {served_url(options['address'])} with one of these demo users:")
        for username, role, _, _, password in DEMO_USERS:
            self.stdout.write(f"  {role:<17} username {username:<8} password {password}")


def served_url(address: str) -> str:
    """The address `runserver` serves for ADDRESS ("8000", "0.0.0.0:8080", "[::1]:8000")."""
    host, _, port = address.rpartition(":")
    host = host or "127.0.0.1"
    if host in ("0.0.0.0", "0"):  # every interface; this machine answers on its loopback too
        host = "127.0.0.1"
    return f"http://{host}:{port}/"
