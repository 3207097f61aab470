"""Complaints in the portal-wide search: by account, offering and what the customer said."""

from oe21.search import Hit, register_search, text_search

from .models import Complaint


def _complaints(terms, user):
    return text_search(Complaint.objects.select_related("account", "offering"),
                       ["account__name", "offering__name", "description"], terms,
                       order_by=["-received_on", "-pk"])


register_search("complaint", label="Complaints", order=60, find=_complaints, permission="metrics.view_complaint",
                hit=lambda c: Hit(str(c), c.get_absolute_url(), c.description[:160]))
