"""Every CSS/JS file is served by the portal itself, and production's collectstatic works."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_no_template_loads_anything_from_another_host():
    offsite = []
    for template in TEMPLATES.rglob("*.html"):
        for url in re.findall(r'(?:src|href)="(https?://[^"]+|//[^"]+)"', template.read_text()):
            offsite.append(f"{template.name}: {url}")
    assert offsite == []


@pytest.mark.django_db
def test_collectstatic_with_the_production_manifest_storage(tmp_path):
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    names = {p.name for p in tmp_path.rglob("*")}
    assert "staticfiles.json" in names
    assert any(n.startswith("bootstrap.min.") and n.endswith(".css") for n in names)
    assert any(n.startswith("plotly-cartesian.min.") for n in names)


def test_the_served_plotly_js_is_the_version_the_plotly_package_draws_for():
    """The portal serves plotly.js's cartesian bundle (bar, box, heatmap, scatter: every chart type it
    draws, at a third of the full library's size); its version is the plotly package's."""
    from pathlib import Path

    from django.conf import settings
    from plotly.offline import get_plotlyjs_version

    bundle = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly" / "plotly-cartesian.min.js"
    head = bundle.read_text()[:200]
    assert f"v{get_plotlyjs_version()}" in head
    assert bundle.stat().st_size < 2_000_000
