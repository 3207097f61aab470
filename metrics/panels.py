"""Panels this app adds to the shared model's pages: an account's risk, and the CFT's ranked list."""

from oe21.registry import page_panel
from oe21.roles import CFT_MEMBER

from .models import AccountRisk

HOME_AT_RISK = 5  # accounts listed on the main page


@page_panel("account_detail", template="metrics/_account_risk_panel.html")
def account_risk(account) -> dict:
    """The account page shows its risk score and each signal's contribution (#17)."""
    return {"risk": AccountRisk.objects.filter(account=account).first()}


@page_panel("home", template="metrics/_home_at_risk_panel.html")
def accounts_at_risk(user) -> dict:
    """The main page lists the accounts most at risk for the CFT's members (one query; the chair and
    the others find them under Records → Accounts at risk). The roles come prefetched by the page."""
    if CFT_MEMBER not in {group.name for group in user.groups.all()}:
        return {}
    return {"at_risk": list(AccountRisk.objects.filter(at_risk_since__isnull=False).select_related("account")
                            .order_by("-score", "account__name")[:HOME_AT_RISK])}

