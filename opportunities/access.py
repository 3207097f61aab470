"""Who may read and change an opportunity: the one rule, used by the pages, the services, the
spreadsheet import and the REST API alike.

Every role with the view permission reads every opportunity. A CFT member changes (details,
status, steps, touches, comments, action items) only the opportunities they are the salesperson
of, and opens them only for themselves; so does a sales team member; the sales manager
(`edit_team_opportunity`) changes every opportunity of the sales team; the LFT chair
(`edit_any_opportunity`) changes any.
A comment is edited or deleted by its author only.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from oe21.roles import SALES_ROLES

VIEW = "opportunities.view_opportunity"
CHANGE = "opportunities.change_opportunity"
CHANGE_ANY = "opportunities.edit_any_opportunity"
CHANGE_TEAM = "opportunities.edit_team_opportunity"  # the sales manager's: every opportunity of the sales team


def can_read(user) -> bool:
    return user.has_perm(VIEW)


def in_sales_team(user_id) -> bool:
    return get_user_model().objects.filter(pk=user_id, groups__name__in=SALES_ROLES).exists()


def can_change(user, opportunity) -> bool:
    if not user.has_perm(CHANGE):
        return False
    if opportunity.salesperson_id == user.pk or user.has_perm(CHANGE_ANY):
        return True
    return user.has_perm(CHANGE_TEAM) and in_sales_team(opportunity.salesperson_id)


def check_can_change(user, opportunity) -> None:
    if not can_change(user, opportunity):
        raise PermissionDenied(
            f"Only {opportunity.salesperson or 'its salesperson'}, who owns this opportunity, their sales manager "
            "or the LFT chair changes it.")


def check_owner(*, salesperson, user) -> None:
    """A CFT member or a sales team member opens and keeps opportunities for themselves; the sales
    manager for anyone of the sales team; the LFT chair for anyone."""
    if salesperson == user or user.has_perm(CHANGE_ANY):
        return
    if user.has_perm(CHANGE_TEAM) and salesperson is not None and in_sales_team(salesperson.pk):
        return
    raise ValidationError({"salesperson": "You can open opportunities only for yourself"
                                          + (" or a member of the sales team." if user.has_perm(CHANGE_TEAM) else ".")})


def check_can_change_comment(user, comment) -> None:
    if comment.author_id != user.pk:
        raise PermissionDenied("Only the author of a comment edits or deletes it.")
