"""Requirements specifications in the portal-wide search: by offering, type and requirements."""

from oe21.search import Hit, register_search, text_search

from .models import RequirementSpec


def _specs(terms, user):
    return text_search(RequirementSpec.objects.select_related("offering"),
                       ["offering__name", "offering_type", "requirements"], terms,
                       order_by=["offering__name", "-version"])


register_search("spec", label="Requirements specifications", order=50, find=_specs,
                permission="requirements_specs.view_requirementspec",
                hit=lambda s: Hit(str(s), s.get_absolute_url(), f"{s.get_status_display()} · {s.offering_type}"))
