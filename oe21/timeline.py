"""One timeline per account (#17): everything about it in date order — touches, status changes,
Phase 3 steps, proposals, prioritization assessments, complaints and their resolution, ratings,
survey answers, lifecycle-stage changes — registered by each app (`registry.timeline_kind`).

A page is one UNION ALL query of (date, kind, event, pk) over every kind the reader may see,
ordered by the database and cut to the page, then one query per kind present on the page to
describe its rows: a bounded number of queries whatever the account's history.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import CharField, DateField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse

from .choices import LifecycleStage
from .models import Account
from .registry import TimelineEvent, TimelineKind, timeline_kind, timeline_kinds

TIMELINE_PAGE = 50


@dataclass(frozen=True)
class TimelineLine:
    on: object  # datetime.date
    kind: TimelineKind
    event: TimelineEvent


def visible_kinds(user) -> list[TimelineKind]:
    """The kinds of event this user may see (each kind's own view permission)."""
    return [kind for kind in timeline_kinds() if user.has_perm(kind.permission)]


def chosen_kinds(kinds: list[TimelineKind], asked: list[str]) -> list[TimelineKind]:
    """The kinds a reader asked for among those they may see (every one when none is asked);
    ValidationError naming an unknown kind and the choices."""
    unknown = sorted(set(asked) - {kind.key for kind in kinds})
    if unknown:
        raise ValidationError(f"No such kind of event: {', '.join(unknown)}. Choose from: "
                              f"{', '.join(kind.key for kind in kinds)}.")
    return [kind for kind in kinds if kind.key in asked] or kinds


def timeline_rows(account, kinds: list[TimelineKind]):
    """(on, kind, event, pk) of every event of the account of these kinds, newest first: one
    query (None without kinds)."""
    parts = [events.annotate(timeline_kind=Value(kind.key, output_field=CharField()))
             .values_list("timeline_on", "timeline_kind", "timeline_event", "pk").order_by()
             for kind in kinds for events in kind.events(account)]
    if not parts:
        return None
    return parts[0].union(*parts[1:], all=True).order_by("-timeline_on", "timeline_kind", "-pk")


def timeline_page(account, kinds: list[TimelineKind], number) -> tuple[Page, list[TimelineLine]]:
    """A page of the account's timeline: the paginator's page and its described lines."""
    rows = timeline_rows(account, kinds)
    page = Paginator(rows if rows is not None else [], TIMELINE_PAGE).get_page(number)
    by_key = {kind.key: kind for kind in kinds}
    wanted: dict[str, list[tuple[str, int]]] = {}
    for _, key, event, pk in page.object_list:
        wanted.setdefault(key, []).append((event, pk))
    described = {key: by_key[key].describe(items) for key, items in wanted.items()}
    lines = [TimelineLine(on, by_key[key], described[key].get((event, pk), TimelineEvent("(removed)")))
             for on, key, event, pk in page.object_list]
    return page, lines


def record_ids(items: list[tuple[str, int]]) -> list[int]:
    """The record ids of a page's (event, pk) items of one kind, for a describe function's query."""
    return [pk for _, pk in items]


def dated(queryset, on, event: str = ""):
    """`queryset`'s rows as timeline events: `on` is the date field, or `TruncDate(...)` of a
    date-time; `event` a short text telling events of one kind apart ("received", "resolved")."""
    on = F(on) if isinstance(on, str) else on
    return queryset.annotate(timeline_on=Cast(on, DateField()), timeline_event=Value(event, output_field=CharField()))


# The shared model's own kind: the account's lifecycle stage (seed 002) -------------------------------

def _lifecycle_changes(account):
    history = Account.history.model.objects.filter(id=account.pk)
    previous = (Account.history.model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
                .order_by("-history_date", "-history_id").values("lifecycle_stage")[:1])
    changed = (history.annotate(previous=Subquery(previous))  # the first record has no previous stage
               .filter(Q(previous__isnull=True) | ~Q(lifecycle_stage=F("previous"))))
    return [dated(changed, TruncDate("history_date"))]


@timeline_kind("lifecycle", label="Lifecycle stage", permission="oe21.view_account", events=_lifecycle_changes,
               order=90)
def _describe_lifecycle(items):
    from .words import person

    records = Account.history.model.objects.filter(pk__in=record_ids(items)).select_related("history_user")
    return {("", r.pk): TimelineEvent(f"Lifecycle stage: {LifecycleStage(r.lifecycle_stage).label}",
                                      reverse("account_history", args=[r.id]), person(r.history_user))
            for r in records}
