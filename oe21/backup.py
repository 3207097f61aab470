"""Backup and restore of a whole installation: the database and the uploaded files, in one archive.

The archive (a .tar.gz) holds `database.dump` (PostgreSQL's `pg_dump --format=custom`; for the
demo's SQLite, a copy of the database file), `media/` (every uploaded file under MEDIA_ROOT) and
`manifest.json` (when, which database engine, and the SHA-256 of every file, checked on restore).
`scripts/backup` and `scripts/restore` run the `backup` and `restore` commands.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

DUMP = "database.dump"
MANIFEST = "manifest.json"
MEDIA = "media"


class BackupError(Exception):
    pass


def _pg_env() -> dict:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or ""),
           "PGUSER": db.get("USER") or "", "PGDATABASE": db["NAME"]}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(archive: Path) -> dict:
    """Write the archive; returns its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP
        if connection.vendor == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
        elif connection.vendor == "sqlite":
            with sqlite3.connect(connection.settings_dict["NAME"]) as source, sqlite3.connect(dump) as target:
                source.backup(target)
        else:  # pragma: no cover - the portal runs on PostgreSQL or SQLite
            raise BackupError(f"No backup for a {connection.vendor} database.")
        files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        manifest = {
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": connection.vendor,
            "database_sha256": _sha256(dump),
            "files": {str(p.relative_to(media_root)): _sha256(p) for p in files},
        }
        archive.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(dump, arcname=DUMP)
            for path in files:
                tar.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root)}")
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return manifest


def restore(archive: Path) -> dict:
    """Restore the archive into the configured database (its tables are replaced) and MEDIA_ROOT,
    checking every file against the manifest first; returns the manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")
        root = Path(work)
        manifest = json.loads((root / MANIFEST).read_text())
        if manifest["database"] != connection.vendor:
            raise BackupError(f"The archive holds a {manifest['database']} database; this installation "
                              f"uses {connection.vendor}.")
        if _sha256(root / DUMP) != manifest["database_sha256"]:
            raise BackupError("The database dump does not match its checksum: the archive is damaged.")
        for name, digest in manifest["files"].items():
            if _sha256(root / MEDIA / name) != digest:
                raise BackupError(f"{name} does not match its checksum: the archive is damaged.")
        if connection.vendor == "postgresql":
            connection.close()
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                  f"--dbname={connection.settings_dict['NAME']}", str(root / DUMP)])
        else:
            connection.close()
            with sqlite3.connect(root / DUMP) as source, sqlite3.connect(connection.settings_dict["NAME"]) as target:
                source.backup(target)
        for name in manifest["files"]:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / MEDIA / name, target)
    return manifest
