"""What the metrics app adds to an account's timeline (`oe21.timeline`): complaints and their
resolution, customer ratings and survey answers."""

from django.db.models.functions import TruncDate

from oe21.registry import TimelineEvent, timeline_kind
from oe21.timeline import dated, record_ids
from oe21.words import person

from .engagement import CLASSES, engagement_class, nps_group
from .models import Complaint, CustomerRating, SurveyResponse
from .surveys import answers_of


def _complaints(account):
    complaints = Complaint.objects.filter(account=account)
    return [dated(complaints, "received_on", "received"),
            dated(complaints.filter(resolved_on__isnull=False), "resolved_on", "resolved")]


@timeline_kind("complaint", label="Complaints", permission="metrics.view_complaint", order=50, events=_complaints)
def _describe_complaints(items):
    complaints = {c.pk: c for c in Complaint.objects.filter(pk__in=record_ids(items))
                  .select_related("offering", "logged_by")}

    def line(event, c):
        if event == "resolved":
            return TimelineEvent(f"Complaint resolved after {c.days_to_resolve} days ({c.get_category_display()}, "
                                 f"{c.offering}){': ' + c.corrective_action if c.corrective_action else ''}",
                                 c.get_absolute_url())
        return TimelineEvent(f"Complaint received by {c.get_channel_display().lower()}: {c.get_category_display()}, "
                             f"{c.get_severity_display().lower()} severity — {c.offering}: {c.description[:120]}",
                             c.get_absolute_url(), person(c.logged_by))

    return {(event, pk): line(event, complaints[pk]) for event, pk in items if pk in complaints}


@timeline_kind("rating", label="Ratings", permission="metrics.view_customerrating", order=60,
               events=lambda account: [dated(CustomerRating.objects.filter(account=account), "rated_on")])
def _describe_ratings(items):
    ratings = (CustomerRating.objects.filter(pk__in=record_ids(items))
               .select_related("offering", "contact", "entered_by"))
    return {("", r.pk): TimelineEvent(
        f"Rated {r.offering} {r.value} of 5{' by ' + r.contact.name if r.contact else ''}"
        f"{': ' + r.comment[:120] if r.comment else ''}", "", person(r.entered_by)) for r in ratings}


@timeline_kind("survey", label="Survey answers", permission="metrics.view_surveyresponse", order=70,
               events=lambda account: [dated(SurveyResponse.objects.filter(invitation__contact__account=account),
                                             TruncDate("created_at"))])
def _describe_answers(items):
    labels = dict(CLASSES)
    responses = SurveyResponse.objects.filter(pk__in=record_ids(items)).select_related("invitation__contact",
                                                                                  "invitation__survey")
    return {("", r.pk): TimelineEvent(
        f"Survey “{r.invitation.survey.title}” answered by {r.invitation.contact.name}: satisfaction "
        f"{r.overall_satisfaction} of 5, recommend {r.recommend} of 10 ({nps_group(r.recommend)}), "
        f"{labels[engagement_class(answers_of(r))].lower()}", r.invitation.survey.get_absolute_url())
        for r in responses}
