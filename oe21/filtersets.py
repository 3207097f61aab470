"""Filters of the account list: search plus kind, segment, lifecycle stage, owner, NAICS sector."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from .choices import AccountKind, AgeGroup, DecisionRole, LifecycleStage, OfferingKind, OfferingStatus
from .models import Account, Contact, MarketSegment, Offering
from .reference import naics_sector_choices


class SortFilter(django_filters.OrderingFilter):
    """Server-side sorting by a column (`?o=name`, `?o=-name`), ties broken by id so that pages do not
    overlap; an unknown column is refused by the form and the list keeps its default order."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Sort by")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return super().filter(qs, value).order_by(*[self.get_ordering_value(v) for v in value], "pk")


class AccountFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(choices=AccountKind.choices)
    segment = django_filters.ModelChoiceFilter(
        queryset=MarketSegment.objects.select_related("parent"), method="in_segment"
    )
    lifecycle_stage = django_filters.ChoiceFilter(choices=LifecycleStage.choices)
    owner = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.order_by("username"))
    sector = django_filters.ChoiceFilter(
        choices=naics_sector_choices, method="in_sector", label="NAICS sector"
    )
    o = SortFilter(fields=[("name", "name"), ("kind", "kind"), ("naics_code", "naics"), ("zip_code", "zip"),
                           ("segment__name", "segment"), ("lifecycle_stage", "stage"), ("owner__last_name", "owner")])

    class Meta:
        model = Account
        fields = ["q", "kind", "segment", "lifecycle_stage", "owner", "sector"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(naics_code__startswith=value) | Q(zip_code__startswith=value)
        )

    def in_segment(self, queryset, name, segment):
        """A segment includes the accounts of its customer groups."""
        return queryset.filter(MarketSegment.with_groups_q(segment))

    def in_sector(self, queryset, name, sector):
        return queryset.filter(naics_code__startswith=sector)


class ContactFilterSet(django_filters.FilterSet):
    """Contacts: search by name, e-mail, title or account; filters by the account's kind and segment,
    the decision role and the age group; sortable columns."""

    q = django_filters.CharFilter(method="search", label="Search")
    account_kind = django_filters.ChoiceFilter(field_name="account__kind", choices=AccountKind.choices,
                                               label="Account kind")
    segment = django_filters.ModelChoiceFilter(
        queryset=MarketSegment.objects.select_related("parent"), method="in_segment")
    decision_role = django_filters.ChoiceFilter(choices=DecisionRole.choices)
    age_group = django_filters.ChoiceFilter(choices=AgeGroup.choices)
    o = SortFilter(fields=[("name", "name"), ("title", "title"), ("account__name", "account"), ("email", "email"),
                           ("decision_role", "role")])

    class Meta:
        model = Contact
        fields = ["q", "account_kind", "segment", "decision_role", "age_group"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value) | Q(title__icontains=value)
                               | Q(account__name__icontains=value))

    def in_segment(self, queryset, name, segment):
        return queryset.filter(MarketSegment.with_groups_q(segment, "account__segment"))


class OfferingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    kind = django_filters.ChoiceFilter(choices=OfferingKind.choices)
    status = django_filters.ChoiceFilter(choices=OfferingStatus.choices)
    o = SortFilter(fields=[("name", "name"), ("kind", "kind"), ("status", "status"), ("price", "price")])

    class Meta:
        model = Offering
        fields = ["q", "kind", "status"]
