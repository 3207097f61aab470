"""Panels this app adds to the shared model's pages."""

from oe21.registry import page_panel

from .selectors import current_documents


@page_panel("offering_detail", template="requirements_specs/_offering_documents_panel.html")
def offering_documents(offering) -> dict:
    """The offering page lists the offering's current information documents (Task 3.2.5)."""
    return {"offering": offering, "documents": current_documents(offering)}
