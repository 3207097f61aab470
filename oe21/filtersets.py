"""Filters of the account list: search plus kind, segment, lifecycle stage, owner, NAICS sector."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from .choices import AccountKind, LifecycleStage
from .models import Account, MarketSegment
from .reference import naics_sector_choices


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
