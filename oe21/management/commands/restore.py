from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oe21.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore an archive of the backup command: replaces the database's tables and writes the "
            "uploaded files into MEDIA_ROOT. Stop the web and worker processes first.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, archive, yes, **options):
        path = Path(archive)
        if not path.exists():
            raise CommandError(f"There is no archive {path}.")
        if not yes and input(f"Replace this installation's data with {path}? [y/N] ").strip().lower() != "y":
            raise CommandError("Nothing was restored.")
        try:
            manifest = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Restored the database of {manifest['created_at']} and {len(manifest['files'])} file(s)."))
