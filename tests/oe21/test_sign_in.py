"""Sign-in is throttled (django-axes), pages carry a Content-Security-Policy without inline scripts."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from oe21.lib.charts import chart_html

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, settings):
    UserFactory(username="carla")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "carla", "wrong").status_code == 200
    assert _sign_in(client, "carla", "wrong").status_code == 429
    locked = _sign_in(client, "carla", "secret-pass-123")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lock_is_per_user_name_and_a_success_resets_the_count(client, settings):
    UserFactory(username="carla")
    UserFactory(username="omar")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "carla", "wrong")
    assert _sign_in(client, "omar", "secret-pass-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "omar", "wrong")
    assert _sign_in(client, "omar", "secret-pass-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "omar", "wrong")
    assert _sign_in(client, "omar", "secret-pass-123").status_code == 302  # the count started again


def test_every_page_has_a_policy_without_inline_scripts(client_for, viewer_user):
    policy = client_for(viewer_user).get(reverse("home"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_handler():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                found.append(f"{path.name}: {tag}")
        found += [f"{path.name}: {h}" for h in re.findall(r"\son[a-z]+=\"", text)]
    assert found == []


def test_a_chart_is_a_json_block_that_cannot_close_its_element():
    import plotly.graph_objects as go

    html = str(chart_html(go.Figure(go.Bar(x=["</script><script>alert(1)</script>"], y=[1]))))
    assert html.count("<script") == 1 and 'type="application/json"' in html
    assert "<script>alert" not in html and "alert(1)" in html
