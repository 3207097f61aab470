"""Exports never carry a live spreadsheet formula (OWASP's CSV-injection rule), and an
exported file imports back unchanged."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from oe21.api.base import csv_chunks_from_copy, csv_chunks_from_cursor, export_sql
from oe21.lib.spreadsheets import _cell_text, spreadsheet_cell
from oe21.models import Account

from ..factories import AccountFactory

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1:A2)", "\tTab", "\rCR"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_text_becomes_an_apostrophe_text_and_reads_back(text):
    assert spreadsheet_cell(text) == "'" + text
    assert _cell_text("'" + text) == text.strip()


@pytest.mark.parametrize("text", ["'=x", "''+1+2"])
def test_a_text_that_starts_with_apostrophes_round_trips(text):
    assert spreadsheet_cell(text) == "'" + text
    assert _cell_text(spreadsheet_cell(text)) == text


@pytest.mark.parametrize("value", ["-12.5", "+3", "1e-3", "Plain name", "O'Brien", "'quoted", "'-1", 7, -4.5, None])
def test_numbers_and_plain_texts_are_written_as_they_are(value):
    assert spreadsheet_cell(value) == ("" if value is None else value)


def test_the_xlsx_export_has_no_formula_and_imports_back(client_for, cft_user, django_capture_on_commit_callbacks):
    for name in HOSTILE[:4]:
        AccountFactory(name=name, owner=cft_user, segment=None)
    client = client_for(cft_user)
    exported = client.get(reverse("account_export"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == sorted("'" + name for name in HOSTILE[:4])

    from django.core.files.uploadedfile import SimpleUploadedFile
    before = sorted(Account.objects.values_list("name", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_import"), {"file": SimpleUploadedFile("a.xlsx", exported.content)})
    assert sorted(Account.objects.values_list("name", flat=True)) == before


def test_the_csv_exports_and_the_api_csv_write_formulas_as_text(client_for, viewer_user, api):
    AccountFactory(name="=1+1", segment=None)
    page_csv = client_for(viewer_user).get(reverse("account_export"), {"format": "csv"}).getvalue().decode()
    assert list(csv.reader(io.StringIO(page_csv)))[1][0] == "'=1+1"
    api_csv = api("/api/v1/accounts/", format="csv").content.decode()
    assert list(csv.DictReader(io.StringIO(api_csv)))[0]["name"] == "'=1+1"
    full = b"".join(api("/api/v1/accounts/export/").streaming_content).decode()
    assert list(csv.DictReader(io.StringIO(full)))[0]["name"] == "'=1+1"


def test_copy_applies_the_same_rule_as_python(db):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it through scripts/test.")
    for name in [*HOSTILE, "-12.5", "Plain", "'=already"]:
        AccountFactory(name=name, segment=None)
    columns = [("id", "id"), ("name", "name"), ("by", "owner_id"), ("updated_at", "updated_at")]
    sql = export_sql("oe21_account", columns)
    headers = [h for h, _ in columns]
    copied = b"".join(csv_chunks_from_copy(sql, headers))
    assert copied == b"".join(csv_chunks_from_cursor(sql, headers))
    names = [row["name"] for row in csv.DictReader(io.StringIO(copied.decode()))]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in names and "-12.5" in names and "''=already" in names


def test_only_text_columns_carry_the_formula_guard_and_the_output_is_the_same(db):
    """Numbers, dates and keys are passed by COPY as they are (they cannot be formulas): the same CSV
    as guarding every cell, at less cost."""
    from oe21.api.base import formula_safe_sql, plain_headers
    from oe21.models import Account

    for name in [*HOSTILE, "-12.5", "Plain"]:
        AccountFactory(name=name, segment=None)
    columns = [("id", "id"), ("name", "name"), ("kind", "kind"), ("by", "owner_id"), ("updated_at", "updated_at")]
    plain = plain_headers(Account, columns)
    assert plain == {"id", "by", "updated_at"}  # name and kind are text
    sql = export_sql("oe21_account", columns)
    headers = [h for h, _ in columns]
    assert formula_safe_sql(sql, headers, plain).count("CASE WHEN") == 2
    assert b"".join(csv_chunks_from_copy(sql, headers, plain)) == b"".join(csv_chunks_from_copy(sql, headers))
