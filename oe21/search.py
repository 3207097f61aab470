"""The portal-wide search (`/search/?q=`, the box in the menu; #16).

Each app registers the kinds of record it owns (`register_search`); a kind finds its records
for a query with `text_search`, which uses PostgreSQL full-text search (prefix matching, ranked)
where the database is PostgreSQL and a plain `icontains` on any other. One query per kind, at
most `PER_KIND + 1` rows each, so the page stays within its query budget whatever the data size.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Q, QuerySet

PER_KIND = 10
MIN_LENGTH = 2
MAX_LENGTH = 200
MAX_WORDS = 8
RANKED = 200  # matches ranked for a kind (PostgreSQL); the page shows the best PER_KIND of them


@dataclass(frozen=True)
class SearchTerms:
    """A query as typed, and the words it is made of (letters and digits only)."""

    text: str
    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> "SearchTerms":
        text = " ".join(text.split())
        return cls(text=text, words=tuple(re.findall(r"\w+", text.lower()))[:MAX_WORDS])


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class SearchKind:
    key: str
    label: str
    order: int
    find: Callable  # (terms, user) -> list of records, at most PER_KIND + 1
    hit: Callable  # record -> Hit
    permission: str = ""


@dataclass
class HitGroup:
    kind: SearchKind
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


_kinds: dict[str, SearchKind] = {}


def register_search(key: str, *, label: str, order: int, find: Callable, hit: Callable, permission: str = "") -> None:
    """An app offers its records to the portal-wide search."""
    _kinds[key] = SearchKind(key=key, label=label, order=order, find=find, hit=hit, permission=permission)


def search_kinds() -> list[SearchKind]:
    return sorted(_kinds.values(), key=lambda k: k.order)


def text_search(queryset: QuerySet, fields: Iterable[str], terms: SearchTerms, *,
                contains: Iterable[str] = (), order_by: Iterable[str] = ()) -> QuerySet:
    """Rows of `queryset` where every word of `terms` begins a word of one of `fields`, best first
    (PostgreSQL: full-text search with the `simple` configuration, ranked), or whose `contains`
    fields (e-mail addresses, codes) hold the text as typed. Not yet limited."""
    fields, order_by = list(fields), list(order_by)
    if not terms.words:
        return queryset.none()
    typed = Q()
    for name in contains:
        typed |= Q(**{f"{name}__icontains": terms.text})
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config="simple")  # it coalesces empty fields itself
        query = SearchQuery(" & ".join(f"{word}:*" for word in terms.words), search_type="raw", config="simple")
        # The first RANKED rows found are ranked, not every match: a word most records hold ("clinic")
        # would otherwise rank the whole table for one page of ten.
        found = queryset.annotate(search_vector=vector).filter(Q(search_vector=query) | typed).order_by()
        return (queryset.filter(pk__in=found.values("pk")[:RANKED]).annotate(search_rank=SearchRank(vector, query))
                .order_by("-search_rank", *order_by))
    every_word = Q()
    for word in terms.words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        every_word &= any_field
    return queryset.filter(every_word | typed).order_by(*order_by)


def search(terms: SearchTerms, user) -> list[HitGroup]:
    """The hits of every kind the user may read, grouped by kind; kinds without hits left out."""
    groups = []
    for kind in search_kinds():
        if kind.permission and not user.has_perm(kind.permission):
            continue
        records = list(kind.find(terms, user)[:PER_KIND + 1])
        if records:
            groups.append(HitGroup(kind=kind, hits=[kind.hit(r) for r in records[:PER_KIND]],
                                   more=len(records) > PER_KIND))
    return groups
