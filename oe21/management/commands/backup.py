from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from oe21.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and every uploaded file into one .tar.gz archive (oe21/backup.py)."

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="Where to write it (default backups/oe21-<time>.tar.gz).")

    def handle(self, *args, archive=None, **options):
        path = Path(archive or f"backups/oe21-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Backed up the {manifest['database']} database and {len(manifest['files'])} file(s) to {path}."))
