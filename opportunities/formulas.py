"""Task 3.2.3: the formulas of the Opportunity Manager (SPEC §5), in one place.

- touches out = every touch we sent (emails sent + chat invites + voice mails left + calls made
  + social and LinkedIn messages sent + online-meeting invitations);
  responses = every touch that came back (replies, chats and meetings conducted, voice mails
  replied, calls and messages received).
- Sales efficiency % = 100 × responses / touches out; "—" (None) when nothing was sent.

Every formula returns full precision (a Decimal); pages round for display (one decimal), the
REST export gives two decimals, stored measures four.
- Progress points = Phase 3 steps completed (0–6) + status points (Undecided 1, Interested 2,
  Evaluating 3, Purchased 4; others 0), at most the maximum (10).
- Progress toward purchase % = 100 × progress points / maximum; always 100 when Purchased,
  0 when Unsubscribed or Not interested.

The point values and the maximum are parameters an admin edits (FormulaSettings).
"""

from dataclasses import dataclass
from decimal import Decimal

from .choices import Status


@dataclass(frozen=True)
class FormulaParameters:
    points_undecided: int = 1
    points_interested: int = 2
    points_evaluating: int = 3
    points_purchased: int = 4
    maximum_points: int = 10

    def status_points(self, status: str) -> int:
        return {
            Status.UNDECIDED: self.points_undecided,
            Status.INTERESTED: self.points_interested,
            Status.EVALUATING: self.points_evaluating,
            Status.PURCHASED: self.points_purchased,
        }.get(status, 0)


def sales_efficiency(*, touches_out: int, responses: int) -> Decimal | None:
    """Sales efficiency % = 100 × responses / touches out, or None when nothing was sent."""
    if touches_out <= 0:
        return None
    return Decimal(100) * responses / touches_out


def progress_points(*, steps_done: int, status: str, parameters: FormulaParameters) -> int:
    """Phase 3 steps completed plus the status's points, capped at the maximum."""
    return min(steps_done + parameters.status_points(status), parameters.maximum_points)


def progress_toward_purchase(*, points: int, status: str, parameters: FormulaParameters) -> Decimal:
    """100 × points / maximum; 100 when Purchased, 0 when Unsubscribed or Not interested."""
    if status == Status.PURCHASED:
        return Decimal(100)
    if status in (Status.UNSUBSCRIBED, Status.NOT_INTERESTED):
        return Decimal(0)
    return Decimal(100) * points / parameters.maximum_points
