"""The shared model's records in the portal-wide search: accounts, contacts, offerings."""

from .models import Account, Contact, Offering
from .search import Hit, register_search, text_search


def _accounts(terms, user):
    return text_search(Account.objects.select_related("segment__parent"), ["name", "naics_code", "zip_code"], terms,
                       contains=["naics_code", "zip_code"], order_by=["name"])


def _contacts(terms, user):
    return text_search(Contact.objects.select_related("account"), ["name", "title", "email", "account__name"],
                       terms, contains=["email", "phone"], order_by=["name"])


def _offerings(terms, user):
    return text_search(Offering.objects.all(), ["name", "description"], terms, order_by=["name"])


register_search("account", label="Accounts", order=10, find=_accounts, permission="oe21.view_account",
                hit=lambda a: Hit(a.name, a.get_absolute_url(), " · ".join(
                    x for x in (a.get_kind_display(), f"NAICS {a.naics_code}" if a.naics_code else "",
                                f"ZIP {a.zip_code}" if a.zip_code else "", str(a.segment or "")) if x)))
register_search("contact", label="Contacts", order=20, find=_contacts, permission="oe21.view_contact",
                hit=lambda c: Hit(c.name, c.get_absolute_url(),
                                  " · ".join(x for x in (c.title, c.account.name, c.email) if x)))
register_search("offering", label="Offerings", order=30, find=_offerings, permission="oe21.view_offering",
                hit=lambda o: Hit(o.name, o.get_absolute_url(), f"{o.get_kind_display()} · {o.get_status_display()}"))
