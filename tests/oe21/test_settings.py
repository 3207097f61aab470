"""The settings fail closed (issue #14): DEBUG is off unless turned on, and without DEBUG the
portal refuses to start with no SECRET_KEY."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
CLEAN = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "SECRET_KEY", "DATABASE_URL")}


def _start(**env):
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**CLEAN, "DJANGO_SETTINGS_MODULE": "oe21.settings", **env})


@pytest.mark.parametrize("database", [None, "postgres://postgres@127.0.0.1:5432/oe21"])
def test_without_debug_or_a_secret_key_the_portal_refuses_to_start(database):
    started = _start(**({"DATABASE_URL": database} if database else {}))
    assert started.returncode != 0 and "SECRET_KEY" in started.stderr


def test_debug_is_off_by_default():
    assert _start(SECRET_KEY="k" * 60).stdout.strip() == "False"


def test_debug_is_on_only_when_asked_for():
    assert _start(DJANGO_DEBUG="1").stdout.strip() == "True"
