"""Spreadsheet import and export (XLSX with openpyxl, CSV with the csv module).

Each table that leaves or enters the portal declares its columns once, as `Columns` in its app's
`exports.py`: the same declaration gives the CSV/XLSX export its headers and cells, the import
the columns it knows and needs, and the REST API's streamed CSV its SQL columns. Every cell
written to CSV or XLSX goes through `spreadsheet_cell`, which writes a text that a spreadsheet
program would run as a formula (it starts with =, +, -, @, tab or CR: OWASP's CSV-injection rule)
with a leading apostrophe; reading a file takes that apostrophe off again, so an export imports
back unchanged.

Every import is all-or-nothing: `import_table` reads every row, collects every bad row with
its line number and reason, and only when there is none saves them all in one transaction.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import openpyxl
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse

BULK_BATCH = 5000  # rows per INSERT when records are written in bulk (imports, data sets)
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    column: str = ""

    def __str__(self):
        where = f"line {self.line}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


class ImportRejected(Exception):
    """The file was refused as a whole; `errors` names every bad row."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} problem(s) in the file; nothing was saved.")


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    text = str(value)
    if text.startswith("'") and _looks_like_formula(text):
        text = text[1:]  # the apostrophe spreadsheet_cell wrote
    return text.strip()


def _csv_records(reader):
    """(line where the record starts, cells): a cell may hold line breaks, the line is where the row begins."""
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def read_table(filename: str, data: bytes) -> Table:
    """Read the first sheet of an XLSX file, or a CSV file, into rows keyed by header.

    Line numbers are the spreadsheet's own (the header is line 1); empty rows are skipped.
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportRejected([RowError(1, f"This is not a readable XLSX file ({exc}).")]) from exc
        raw_rows = ((i, row) for i, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1))
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRejected([RowError(1, "A CSV file must be UTF-8 encoded.")]) from exc
        reader = csv.reader(io.StringIO(text, newline=""))
        raw_rows = _csv_records(reader)
    else:
        raise ImportRejected([RowError(1, "Upload a .csv or .xlsx file.")])

    table, bad_cells = None, []
    try:
        for line, values in raw_rows:
            cells = [_cell_text(v) for v in values]
            if table is None:
                table = Table(headers=[c.strip().lower() for c in cells])
                continue
            if not any(cells):
                continue
            row = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(table.headers) if h}
            bad_cells += [RowError(line, "The cell holds a NUL character; remove it.", h)
                          for h, text in row.items() if "\x00" in text]
            table.rows.append((line, row))
    except csv.Error as exc:  # e.g. a cell longer than the csv module's limit
        unreadable = RowError(reader.line_num, f"The CSV file cannot be read from here on: {exc}.")
        raise ImportRejected([*bad_cells, unreadable]) from exc
    if bad_cells:
        raise ImportRejected(bad_cells)
    if table is None:
        raise ImportRejected([RowError(1, "The file is empty: the first line must name the columns.")])
    return table


# The columns of a table ------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a table, declared once for every way the table leaves or enters the portal.

    `cell` gives a record's spreadsheet cell (names, not ids); `sql` is the column's expression in
    the REST API's streamed CSV (ids, for the PMS), None when it is not there; `in_sheet=False`
    keeps an API-only column (id, updated_at) out of the spreadsheet; `imported=False` marks a
    derived figure that is exported and ignored on import; `required` columns must be in an
    imported file.
    """

    name: str
    cell: Callable[[Any], Any] | None = None
    sql: str | None = None
    in_sheet: bool = True
    imported: bool = True
    required: bool = False


class Columns:
    """The declared columns of one table, in order."""

    def __init__(self, *columns: Column):
        self.columns = columns

    def __add__(self, other: "Columns") -> "Columns":
        return Columns(*self.columns, *other.columns)

    @property
    def sheet(self) -> list[str]:
        """The spreadsheet's headers (export), which are also every column an import knows."""
        return [c.name for c in self.columns if c.in_sheet]

    @property
    def imported(self) -> list[str]:
        return [c.name for c in self.columns if c.in_sheet and c.imported]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.in_sheet and c.required]

    def rows(self, records: Iterable[Any]) -> Iterator[list[Any]]:
        """The spreadsheet rows of the records, in `sheet` order."""
        cells = [c.cell for c in self.columns if c.in_sheet]
        for record in records:
            yield [cell(record) for cell in cells]

    def api_export(self) -> list[tuple[str, str]]:
        """(header, SQL expression) of the REST API's streamed CSV of the table."""
        return [(c.name, c.sql) for c in self.columns if c.sql]


def api_only(name: str, sql: str | None = None) -> Column:
    """A column of the REST API's streamed CSV only (the table's own column `name` by default)."""
    return Column(name, sql=sql or name, in_sheet=False)


ID_COLUMN = api_only("id")
UPDATED_AT_COLUMN = api_only("updated_at")


def related_name(path: str) -> Callable[[Any], str]:
    """A cell reader for a related record's text: `related_name("owner.username")` gives "" for no owner."""
    attributes = path.split(".")

    def cell(record):
        value = record
        for attribute in attributes:
            value = getattr(value, attribute, None)
            if value is None:
                return ""
        return str(value)

    return cell


# Writing cells -----------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _looks_like_formula(text: str) -> bool:
    """A text a spreadsheet program would evaluate once its leading apostrophes are taken off: it
    starts with a formula character and is not simply a signed number ("-12.5" stays a number).
    Counting the apostrophes in makes the rule reversible: "'=x" is written "''=x"."""
    text = text.lstrip("'")
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def spreadsheet_cell(value: Any) -> Any:
    """The one place a value becomes a cell of a CSV or XLSX file (None → empty; a text that
    would run as a formula gets a leading apostrophe and stays text)."""
    if value is None:
        return ""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def sql_spreadsheet_cell(expr: str) -> str:
    """`spreadsheet_cell`'s rule as a PostgreSQL expression over a text column, for exports that
    PostgreSQL's COPY writes itself. The cheap first-character test runs first."""
    bare = f"ltrim({expr}, '''')"
    return (
        f"CASE WHEN left({bare}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        rf"AND {bare} !~ '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$' "
        f"THEN '''' || {expr} ELSE {expr} END"
    )


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]], chunk_rows: int = 1000) -> Iterator[bytes]:
    """The rows as CSV, a chunk of lines at a time (a download streams; memory stays flat)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_cell(h) for h in headers])
    for index, row in enumerate(rows, 1):
        writer.writerow([spreadsheet_cell(v) for v in row])
        if index % chunk_rows == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return b"".join(csv_chunks(headers, rows))


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Sheet1") -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([spreadsheet_cell(h) for h in headers])
    for row in rows:
        sheet.append([spreadsheet_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_format(request) -> str:
    """The `format` a spreadsheet export asks for (csv by default); 404 for any other."""
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404("Export formats are csv and xlsx.")
    return fmt


def spreadsheet_response(*, basename: str, fmt: str, headers: Sequence[str],
                         rows: Iterable[Sequence[Any]]) -> HttpResponse | StreamingHttpResponse:
    """An HTTP download of the rows as XLSX, or as CSV streamed while the rows are read."""
    if fmt == "xlsx":
        response = HttpResponse(write_xlsx(headers, rows, title=basename), content_type=XLSX_TYPE)
    else:
        fmt, response = "csv", StreamingHttpResponse(csv_chunks(headers, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
    return response


class RowImporter(Protocol):
    """What an app writes to import one kind of record from a spreadsheet."""

    columns: Sequence[str]
    required_columns: Sequence[str]

    def clean_row(self, line: int, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        """Check one row; return what `save` needs and the row's errors."""

    def save(self, cleaned: list[Any]) -> dict[str, int]:
        """Write every cleaned row (inside the import's transaction); return counts."""


ProgressCallback = Callable[[int, str], None]


def import_table(importer: RowImporter, table: Table,
                 report: ProgressCallback | None = None) -> dict[str, int]:
    """Check every row, then save all of them in one transaction, or raise ImportRejected."""
    expected = ", ".join(importer.columns)
    missing = [c for c in importer.required_columns if c not in table.headers]
    known = {c.lower() for c in importer.columns}
    unknown = [h for h in table.headers if h and h not in known]
    header_errors = []
    if missing:
        header_errors.append(RowError(1, f"Missing column(s): {', '.join(missing)}. Expected: {expected}."))
    if unknown:
        # A column the portal does not know would be dropped silently: refuse it instead.
        header_errors.append(RowError(1, f"Unknown column(s): {', '.join(unknown)}. Expected: {expected}."))
    if header_errors:
        raise ImportRejected(header_errors)
    errors: list[RowError] = []
    cleaned = []
    total = max(len(table.rows), 1)
    for index, (line, row) in enumerate(table.rows, 1):
        value, row_errors = importer.clean_row(line, row)
        errors.extend(row_errors)
        if not row_errors:
            cleaned.append(value)
        if report and (index % 50 == 0 or index == total):
            report(int(90 * index / total), f"Checked {index} of {len(table.rows)} rows")
    if not table.rows:
        errors.append(RowError(2, "The file has no data rows."))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        counts = importer.save(cleaned)
    if report:
        report(100, "Saved")
    return counts


# Reading one cell of a row: every importer reports its problems the same way. -----------------

def choice_value(choices, text: str):
    """A choice given by its value or its label, ignoring case; None when it is neither."""
    wanted = text.strip().lower()
    return next((value for value, label in choices if wanted in (value.lower(), str(label).lower())), None)


def find_record(errors: list[RowError], line: int, row: dict, column: str, table: dict, what: str,
                *, required: bool = False):
    """The record a cell names (looked up by lower-cased name in `table`), or None with an error."""
    text = row.get(column, "").strip()
    if not text:
        if required:
            errors.append(RowError(line, f"The {what} is required.", column))
        return None
    found = table.get(text.lower())
    if found is None:
        errors.append(RowError(line, f"There is no {what} “{text}”.", column))
    return found


def parse_month(text: str):
    """'2027-03' or '2027-03-01' → date(2027, 3, 1); None when it is not a month."""
    import datetime

    try:
        return datetime.date.fromisoformat(text[:7] + "-01") if len(text) >= 7 else None
    except ValueError:
        return None
