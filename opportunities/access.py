"""Who may read and change an opportunity: the one rule, used by the pages, the services, the
spreadsheet import and the REST API alike.

Every role with the view permission reads every opportunity. A CFT member changes (details,
status, steps, touches, comments, action items) only the opportunities they are the salesperson
of, and opens them only for themselves; the LFT chair (`edit_any_opportunity`) changes any.
A comment is edited or deleted by its author only.
"""

from django.core.exceptions import PermissionDenied, ValidationError

VIEW = "opportunities.view_opportunity"
CHANGE = "opportunities.change_opportunity"
CHANGE_ANY = "opportunities.edit_any_opportunity"


def can_read(user) -> bool:
    return user.has_perm(VIEW)


def can_change(user, opportunity) -> bool:
    if not user.has_perm(CHANGE):
        return False
    return opportunity.salesperson_id == user.pk or user.has_perm(CHANGE_ANY)


def check_can_change(user, opportunity) -> None:
    if not can_change(user, opportunity):
        raise PermissionDenied(
            f"Only {opportunity.salesperson or 'its salesperson'}, who owns this opportunity, or the LFT chair "
            "changes it.")


def check_owner(*, salesperson, user) -> None:
    """A CFT member opens and keeps opportunities for themselves; the LFT chair assigns anyone."""
    if salesperson != user and not user.has_perm(CHANGE_ANY):
        raise ValidationError({"salesperson": "You can open opportunities only for yourself."})


def check_can_change_comment(user, comment) -> None:
    if comment.author_id != user.pk:
        raise PermissionDenied("Only the author of a comment edits or deletes it.")
