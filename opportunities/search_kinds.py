"""Opportunities in the portal-wide search: found by their account's or offering's name."""

from django.db.models import Q

from oe21.models import Account, Offering
from oe21.search import Hit, register_search, text_search
from oe21.words import person

from .models import Opportunity


def _opportunities(terms, user):
    """The opportunities of matching accounts or offerings, most recently changed first: the
    names are searched on their own (small) tables, never across every opportunity's join."""
    accounts = text_search(Account.objects.all(), ["name"], terms).order_by().values("pk")
    offerings = text_search(Offering.objects.all(), ["name"], terms).order_by().values("pk")
    return (Opportunity.objects.filter(Q(account__in=accounts) | Q(offering__in=offerings))
            .select_related("account", "offering", "cycle", "salesperson").order_by("-updated_at", "-pk"))


register_search("opportunity", label="Opportunities", order=40, find=_opportunities,
                permission="opportunities.view_opportunity",
                hit=lambda o: Hit(str(o), o.get_absolute_url(), " · ".join(
                    [o.get_status_display(), str(o.cycle)] + ([person(o.salesperson)] if o.salesperson else []))))
