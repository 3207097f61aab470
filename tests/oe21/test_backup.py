"""Backup and restore (issue #14): an archive restored into a fresh database holds every record,
every history entry and every uploaded file, byte for byte."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from oe21.models import Account
from requirements_specs import services as specs

from ..factories import AccountFactory, OfferingFactory

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def _rows(dsn: str) -> dict[str, list]:
    with psycopg.connect(dsn) as conn:
        tables = [t for (t,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}  # noqa: S608


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_record_history_entry_and_file(
        tmp_path, cft_user, settings):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it through scripts/test.")
    accounts = AccountFactory.create_batch(3)
    Account.objects.filter(pk=accounts[0].pk).first().save()  # a second history entry
    accounts[1].name = "Renamed Clinic"
    accounts[1].save()
    offering = OfferingFactory()
    document = specs.document_upload(offering=offering, kind="datasheet", user=cft_user,
                                     upload=SimpleUploadedFile("sheet.pdf", PDF))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    db = connection.settings_dict
    server = f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
    fresh = f"{db['NAME']}_restored"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restored_media = tmp_path / "restored-media"
        done = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive), "--yes"], cwd=ROOT, capture_output=True, text=True,
            timeout=300, env={**os.environ, "DATABASE_URL": f"{server}/{fresh}", "MEDIA_ROOT": str(restored_media),
                              "DJANGO_DEBUG": "1"})
        assert done.returncode == 0, done.stderr[-2000:]
        original, restored = _rows(f"{server}/{db['NAME']}"), _rows(f"{server}/{fresh}")
        assert restored.keys() == original.keys()
        assert {t: rows for t, rows in restored.items() if rows != original[t]} == {}
        assert len(original["oe21_historicalaccount"]) >= 5 and len(original["oe21_account"]) == 3
        files = sorted(p.relative_to(settings.MEDIA_ROOT) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
        assert Path(document.file.name) in files
        for name in files:
            assert (restored_media / name).read_bytes() == (Path(settings.MEDIA_ROOT) / name).read_bytes()
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_and_nothing_is_restored(tmp_path):
    import io
    import tarfile

    from django.core.management.base import CommandError

    AccountFactory()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database.dump":
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), "--yes")
    assert Account.objects.count() == 1
