"""Pages of the voice of the customer: the sample size calculator and the engagement survey."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oe21.cycles import cycle_choice
from oe21.lib.actions import form_submitted
from oe21.outbox import send_later
from oe21.selectors import current_cycle_or_404

from . import surveys
from .engagement import CLASSES
from .forms import SampleSizeForm, SurveyAnswerForm, SurveyCreateForm
from .models import Survey
from .sampling import Z_SCORES, sample_size
from .tasks import send_survey_invitations


def sample_size_calculator(request):
    """Open to every signed-in user: n₀, n and surveys to send, with the formula."""
    form = SampleSizeForm(request.GET or None)
    result = sends = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = sample_size(population=data["population"], confidence=data["confidence"],
                                 margin_of_error=float(data["margin_of_error"]) / 100,
                                 proportion=float(data["proportion"]))
            if data.get("response_rate") is not None:
                sends = result.surveys_to_send(float(data["response_rate"]))
        except ValueError as exc:
            form.add_error(None, str(exc))
    return render(request, "metrics/sample_size.html", {"form": form, "result": result, "sends": sends,
                                                        "z_scores": Z_SCORES})


@permission_required("metrics.view_survey", raise_exception=True)
def survey_list(request):
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and not request.user.has_perm("metrics.add_survey"):
        raise PermissionDenied

    def create(data):
        accounts, segment = data.pop("accounts"), data.pop("segment")
        return surveys.survey_create(data={**data, "cycle": current_cycle_or_404()}, accounts=accounts,
                                     segment=segment, user=request.user)

    survey = form_submitted(request, form, create,
                            lambda survey: f"Survey created with {survey.invitations.count()} personal links.")
    if survey:
        return redirect(survey)
    choice = cycle_choice(request)  # the surveys of the cycle shown (the selector in the menu bar)
    shown = Survey.objects.filter(cycle=choice.selected) if choice.selected else Survey.objects.all()
    return render(request, "metrics/survey_list.html",
                  {"surveys": shown.select_related("offering"), "form": form, "editable": choice.editable,
                   "by_offering": surveys.results_by_offering(choice.selected), "classes": CLASSES})


@permission_required("metrics.view_survey", raise_exception=True)
def survey_detail(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("offering", "cycle"), pk=pk)
    results = surveys.survey_results(survey)
    return render(request, "metrics/survey_detail.html", {
        "survey": survey, "results": results, "classes": CLASSES,
        "charts": surveys.engagement_by_stage_chart(results)})


@require_POST
@permission_required("metrics.change_survey", raise_exception=True)
def survey_send(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    send_later(send_survey_invitations, survey.pk)
    messages.success(request, "Invitations are being sent in batches; failed ones are retried and listed here.")
    return redirect(survey)


@login_not_required
def survey_answer(request, token):
    """The respondent's page: a personal link, no sign-in, usable on a phone, answerable once."""
    invitation = surveys.invitation_for_token(token)
    if invitation is None:
        raise Http404("This survey link is not valid.")
    if hasattr(invitation, "response"):
        return render(request, "metrics/survey_answered.html", {"invitation": invitation}, status=410)
    if invitation.link_expired:
        return render(request, "metrics/survey_answered.html", {"invitation": invitation, "expired": True},
                      status=410)
    form = SurveyAnswerForm(request.POST or None, competitors=invitation.survey.competitor_names)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.response_submit(invitation=invitation, answers=form.answers(), reasons=form.reasons(),
                                    comparison=form.comparison())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return render(request, "metrics/survey_thanks.html", {"invitation": invitation})
    return render(request, "metrics/survey_answer.html", {"invitation": invitation, "form": form})
