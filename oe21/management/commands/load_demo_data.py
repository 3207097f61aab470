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

    def handle(self, *args, **options):
        context = DemoContext()
        with transaction.atomic():
            for step in demo_steps():
                step.run(context)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded: {Account.objects.count()} accounts, {Contact.objects.count()} contacts, "
            f"{Offering.objects.count()} offerings."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/ with one of these demo users:")
        for username, role, _, _, password in DEMO_USERS:
            self.stdout.write(f"  {role:<11} username {username:<7} password {password}")
