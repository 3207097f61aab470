"""The REST export to the Performance Measurement System (SPEC §10): what every endpoint shares.

An app exposes a table by writing a serializer, a filterset and a `SyncViewSet` subclass, and
listing it in its `api.py` as `ENDPOINTS = [("prefix", ViewSet)]`; `oe21/api/urls.py` collects them.
Each list is read-only, ordered stably by (updated_at, id), paged with a cursor, filterable by
`updated_since`, and served as JSON or CSV; `<prefix>/deleted/?since=` lists removed rows.
"""

import csv
import datetime
import io

import django_filters
from django import forms
from django.db import connection
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.viewsets import ReadOnlyModelViewSet

from ..lib.spreadsheets import spreadsheet_cell, sql_spreadsheet_cell
from ..models import ApiToken, MarketSegment
from .authentication import PmsTokenAuthentication

MAX_PAGE_SIZE = 1000


class CanReadExport(BasePermission):
    """A token must belong to a user with the PMS client role; a signed-in member of staff
    (browsable API) needs the view permission of what is listed."""

    message = "This token's user does not have the PMS client role."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if isinstance(request.auth, ApiToken):
            return user.has_perm("oe21.use_pms_api")
        return user.has_perm(view.view_permission)


class SyncCursorPagination(CursorPagination):
    """Stable (updated_at, id) order, and a read bounded in time.

    The first page fixes `server_time`; that page and every following one (their links carry it
    as `until`) list only rows changed before it. A row changed while the PMS pages through
    therefore appears in the next read, the one with `updated_since=server_time`, and never
    twice in one read; `updated_since` (≥) and `until` (<) split time without a gap.
    """

    ordering = ("updated_at", "id")
    bound_field = "updated_at"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.server_time = _parse_datetime_param(request, "until") or timezone.now()
        queryset = queryset.filter(**{f"{self.bound_field}__lt": self.server_time})
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as exc:  # DRF answers a bad cursor with 404; it is a bad parameter
            raise ValidationError({"cursor": ["Invalid cursor: use the next/previous links as given."]}) from exc

    def _with_until(self, link):
        return link and replace_query_param(link, "until", self.server_time.isoformat())

    def get_next_link(self):
        return self._with_until(super().get_next_link())

    def get_previous_link(self):
        return self._with_until(super().get_previous_link())

    def get_schema_operation_parameters(self, view):
        return super().get_schema_operation_parameters(view) + [{
            "name": "until", "required": False, "in": "query",
            "description": "Set by the next/previous links: the server_time of the read's first page.",
            "schema": {"type": "string", "format": "date-time"}}]

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(),
                         "server_time": self.server_time.isoformat(), "results": data})

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["server_time"] = {
            "type": "string", "format": "date-time", "example": "2027-02-01T08:30:00.000000+00:00",
            "description": "Use as updated_since in the next incremental read."}
        response["required"] = ["results", "server_time"]
        return response


class DeletedCursorPagination(SyncCursorPagination):
    ordering = ("history_date", "history_id")
    bound_field = "history_date"


class CSVRenderer(BaseRenderer):
    """`?format=csv` or `Accept: text/csv`: the page's rows as CSV (nested values as text)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(rows, dict):
            rows = [rows]
        if rows:
            fieldnames = list(rows[0].keys())
        else:  # an empty page still has its header line
            view = (renderer_context or {}).get("view")
            fieldnames = list(view.get_serializer_class()().fields) if view else ["detail"]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()})
        return out.getvalue().encode(self.charset)


class UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time, turned into UTC (PostgreSQL refuses odd offsets such as +19:59)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError("Enter a date-time that exists in UTC.") from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


@extend_schema_field(OpenApiTypes.INT)
class SegmentFilter(django_filters.ModelChoiceFilter):
    """A market segment id; matches rows of the segment and of its customer groups."""

    def __init__(self, *, path: str, **kwargs):
        kwargs.setdefault("help_text", "A segment id; includes its customer groups.")
        super().__init__(queryset=MarketSegment.objects.all(), **kwargs)
        self.path = path

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(MarketSegment.with_groups_q(value, self.path))


class SyncFilterSet(django_filters.FilterSet):
    """Filters every list has: updated_since and a period (from/to) on the creation date."""

    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte",
        help_text="ISO 8601 date-time; only rows changed at or after it.")
    period_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte",
                                            help_text="YYYY-MM-DD; rows created on or after it.")
    period_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte",
                                          help_text="YYYY-MM-DD; rows created on or before it.")

    def is_valid(self):
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        if valid and data.get("period_from") and data.get("period_to") and data["period_from"] > data["period_to"]:
            self.form.add_error("period_to", "period_to is before period_from.")
            return False
        return valid


def described(name: str, what: str, example: dict):
    """Schema summaries, descriptions and an example for a table's list and detail."""
    return extend_schema_view(
        list=extend_schema(summary=f"List {name}", description=what,
                           examples=[OpenApiExample(f"A page of {name}", value=example, response_only=True)]),
        retrieve=extend_schema(summary=f"One of the {name}", description=what,
                               examples=[OpenApiExample(f"One of the {name}", value=example, response_only=True)]),
    )


class DeletedRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The id the row had.")
    deleted_at = serializers.DateTimeField(source="history_date")


class SyncViewSet(ReadOnlyModelViewSet):
    """Base of every export endpoint (see the module docstring)."""

    authentication_classes = [PmsTokenAuthentication, SessionAuthentication]
    permission_classes = [CanReadExport]
    pagination_class = SyncCursorPagination
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    view_permission = ""

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are always JSON, whatever format was asked for.
        if response.status_code >= 400 and getattr(request, "accepted_renderer", None) \
                and request.accepted_renderer.format == "csv":
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        summary="Rows deleted since a time",
        description="Tombstones: the ids of rows of this table deleted at or after `since`, so that "
                    "the PMS can drop them. Taken from the audit history.",
        parameters=[OpenApiParameter("since", OpenApiTypes.DATETIME, required=True,
                                     description="ISO 8601 date-time.")],
        responses=DeletedRowSerializer(many=True), filters=False,
        examples=[OpenApiExample("A deleted row", response_only=True,
                                 value={"id": 42, "deleted_at": "2027-02-01T08:30:00Z"})],
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=DeletedCursorPagination,
            serializer_class=DeletedRowSerializer)
    def deleted(self, request):
        since = _parse_datetime_param(request, "since", required=True)
        history = self.get_queryset().model.history.filter(history_type="-", history_date__gte=since)
        page = self.paginate_queryset(history.only("id", "history_date", "history_id"))
        return self.get_paginated_response(DeletedRowSerializer(page, many=True).data)

    export_columns: list[tuple[str, str]] = []

    @extend_schema(
        summary="The whole table as CSV (streamed)",
        description="Every row, streamed in constant memory (PostgreSQL's COPY output on PostgreSQL).",
        responses={(200, "text/csv"): OpenApiTypes.STR}, filters=False,
        examples=[OpenApiExample("CSV", response_only=True, media_type="text/csv",
                                 value='"id","name","updated_at"\n"1","Lakeside Clinic","2027-01-05 10:00:00+00"\n')],
    )
    @action(detail=False, methods=["get"], url_path="export", filter_backends=[], pagination_class=None,
            renderer_classes=[CSVRenderer, JSONRenderer])
    def export(self, request):
        model = self.get_queryset().model
        return streaming_csv_response(table=model._meta.db_table, columns=self.export_columns,
                                      plain=plain_headers(model, self.export_columns),
                                      filename=f"{model._meta.model_name}.csv")


def _parse_datetime_param(request, name, *, required=False) -> datetime.datetime | None:
    raw = request.query_params.get(name)
    if raw is None:
        if required:
            raise ValidationError({name: ["This parameter is required (ISO 8601 date-time)."]})
        return None
    try:
        value = UtcIsoDateTimeField().clean(raw)
    except forms.ValidationError as exc:
        raise ValidationError({name: ["Enter an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z."]}) from exc
    return value


# Full-table CSV exports ------------------------------------------------------------------

CHUNK_BYTES = 256 * 1024


def export_sql(table: str, columns: list[tuple[str, str]]) -> str:
    """SELECT every row of a table as text columns, in id order. `columns` are (header, SQL
    expression) pairs written by the app (never user input)."""
    expressions = ", ".join(f"COALESCE(CAST({expr} AS TEXT), '') AS \"{header}\"" for header, expr in columns)
    return f"SELECT {expressions} FROM {table} ORDER BY {table}.id"  # noqa: S608 - app-defined columns


def formula_safe_sql(sql: str, headers: list[str], plain: frozenset[str] = frozenset()) -> str:
    """The rows of `export_sql` with `spreadsheet_cell`'s formula rule applied in SQL (for COPY, which
    writes the cells itself) to every cell but the `plain` ones — numbers, dates and keys, whose text
    can never be a formula; each text is computed once, in the inner query."""
    def cell(header):
        quoted = f'"{header}"'
        return f"{quoted if header in plain else sql_spreadsheet_cell(quoted)} AS {quoted}"

    cells = ", ".join(cell(header) for header in headers)
    return f"SELECT {cells} FROM ({sql}) AS export_rows"  # noqa: S608 - app-defined columns


def csv_chunks_from_cursor(sql: str, headers: list[str]):
    """Rows through a Python cursor and the csv module (SQLite, and the reference path)."""
    yield _header_line(headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(2000):
            writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
            if buffer.tell() >= CHUNK_BYTES:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue().encode()


def _header_line(headers: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(headers)
    return buffer.getvalue().encode()


def csv_chunks_from_copy(sql: str, headers: list[str], plain: frozenset[str] = frozenset()):
    """PostgreSQL's own COPY … TO STDOUT output, passed on in large chunks (constant memory)."""
    with connection.cursor() as cursor:
        copy_sql = f"COPY ({formula_safe_sql(sql, headers, plain)}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)"
        with cursor.cursor.copy(copy_sql) as copy:
            pending, size = [_header_line(headers)], 0
            for data in copy:
                pending.append(bytes(data))
                size += len(data)
                if size >= CHUNK_BYTES:
                    yield b"".join(pending)
                    pending, size = [], 0
            if pending:
                yield b"".join(pending)


def plain_headers(model, columns: list[tuple[str, str]]) -> frozenset[str]:
    """The export columns that are a model's number, date, boolean or key column as such: their text
    can never be read as a spreadsheet formula, so the formula guard is spared on them."""
    from django.db import models

    text_fields = (models.CharField, models.TextField, models.JSONField)
    plain_columns = {f.column for f in model._meta.concrete_fields if not isinstance(f, text_fields)}
    return frozenset(header for header, expr in columns if expr in plain_columns)


def streaming_csv_response(*, table: str, columns: list[tuple[str, str]], filename: str,
                           use_copy: bool | None = None, plain: frozenset[str] = frozenset()) -> StreamingHttpResponse:
    sql = export_sql(table, columns)
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    headers = [header for header, _ in columns]
    chunks = csv_chunks_from_copy(sql, headers, plain) if use_copy else csv_chunks_from_cursor(sql, headers)
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

