"""Fuzzing every page (issue #14): Hypothesis sends generated query strings to every page and generated
values for every field of every form, discovered from the URL resolver and the pages' own forms.
No answer is a server error, and a refused submission changes no row. (The REST API is fuzzed by
schemathesis in tests/api/test_contract.py.)

Every request runs as the Admin (who may post everywhere) inside a savepoint that is rolled back.
"""

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import test_access_matrix as matrix
from .test_access_matrix import API, MATRIX, NO, OPEN, _argument, _patterns, _url

pytestmark = pytest.mark.django_db
world = matrix.world  # the demo organisation, one record of every kind a URL names

# Query keys the list pages understand, and more; each page's own form fields are added.
QUERY_KEYS = ["q", "page", "sort", "month", "cycle", "offering", "segment", "status", "account", "format",
              "kind", "sector", "owner", "category", "severity", "rows", "stage", "salesperson", "lead_source",
              "group_by", "from", "to", "measure", "next"]
# Fields of the POST-only actions (they have no page of their own to read a form from).
ACTION_FIELDS = ["status", "decision", "reason", "reason_text", "text", "description", "owner", "due_on",
                 "occurred_on", "channel", "direction", "selected", "evidence", "teams", "estimated_success",
                 "next", "sponsor_engaged_on"]

AWKWARD = st.sampled_from([
    "", " ", "0", "-1", "1e309", "99999999999999999999999", "٣", "１２", "²", "2026-13-45", "2026-02-30",
    "0000-00-00", "9999-12-31", "2026-1", "13/2026", "NaN", "inf", "true", "[]", "{}", "'; DROP TABLE x;--",
    "<script>x</script>", "=1+1", "../../etc/passwd", "a" * 5000, "\u202e", "🙂", "x\r\ny",
])
VALUES = st.one_of(AWKWARD, st.text(max_size=40), st.integers(min_value=-10**12, max_value=10**12).map(str))

FUZZ = settings(max_examples=3, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])


def _row_counts() -> tuple:
    """Rows in every table of the portal's apps: one query."""
    tables = sorted({m._meta.db_table for app in ("oe21", "prioritization", "opportunities", "requirements_specs",
                                                   "metrics") for m in apps.get_app_config(app).get_models()
                     if m.__name__ not in ("SubmittedForm",)})
    sql = " UNION ALL ".join(f'SELECT COUNT(*) FROM "{t}"' for t in tables)  # noqa: S608 - model tables
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(n for (n,) in cursor.fetchall())


def _form_fields(client, url) -> list[str]:
    response = client.get(url)
    fields = []
    for name in ("form", "filter", "filters", "formset"):
        form = response.context.get(name) if response.context else None
        if form is None:
            continue
        form = getattr(form, "form", form)  # a django-filter FilterSet carries its form
        if hasattr(form, "forms"):  # a formset: its management form and its first row
            fields += [f"{form.prefix}-{key}" for key in ("TOTAL_FORMS", "INITIAL_FORMS")]
            form = form.forms[0] if form.forms else form.empty_form
        fields += [form.add_prefix(name) for name in form.fields]
    return fields


def _refused(response) -> bool:
    if response.status_code >= 400:
        return True
    context = response.context or {}
    forms = [context.get(name) for name in ("form", "formset")]
    return response.status_code == 200 and any(hasattr(f, "is_valid") and not f.is_valid() for f in forms)


def _fuzz_get(client, url, fields):
    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(QUERY_KEYS + fields), VALUES, max_size=4))
    def fuzz(query):
        with transaction.atomic():
            response = client.get(url, query)
            transaction.set_rollback(True)
        assert response.status_code < 500, (url, query)

    return fuzz


def _fuzz_post(client, url, fields):
    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(fields), VALUES, max_size=8))
    def fuzz(data):
        with transaction.atomic():
            before = _row_counts()
            response = client.post(url, data)
            after = _row_counts()
            transaction.set_rollback(True)
        assert response.status_code < 500, (url, data)
        if _refused(response):
            assert after == before, (url, data, "a refused submission changed rows")

    return fuzz


def test_no_page_answers_a_generated_request_with_a_server_error(world):
    users, records = world
    client = Client()
    client.force_login(users["admin"])
    pages = [name for name in sorted(set(_patterns())) if not API.match(name) and name not in ("logout",)]
    checked, failures = 0, []
    for name in pages:
        url = _url(name, _argument(name), records)
        get, post = (OPEN[name][1:] if name in OPEN else MATRIX[name][1:3])
        readable = get != NO
        fields = _form_fields(client, url) if readable else ACTION_FIELDS

        runs = ([("GET", _fuzz_get(client, url, fields))] if readable else []) + (
            [("POST", _fuzz_post(client, url, fields or ACTION_FIELDS))] if post != NO else [])
        for method, fuzz in runs:
            checked += 1
            try:
                fuzz()
            except Exception as error:  # every failing page is reported, each with its smallest example
                failures.append(f"{method} {url}: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
    assert checked > 150
    assert failures == [], "\n".join(failures)
