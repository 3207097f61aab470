import pytest
from django.core import mail
from django.urls import reverse

from metrics import surveys
from metrics.engagement import (
    ACTIVELY_DISENGAGED,
    ENGAGED,
    FULLY_ENGAGED,
    NOT_ENGAGED,
    Answers,
    engagement_class,
    nps,
)
from metrics.models import Measure, MeasureEntry, SurveyInvitation, SurveyResponse

from ..factories import AccountFactory, ContactFactory, SegmentFactory

pytestmark = pytest.mark.django_db


def answers(sat=4, rec=8, again=4, conf=4, integ=4, pride=4, passion=4):
    return Answers(sat, rec, again, conf, integ, pride, passion)


@pytest.mark.parametrize("given, expected", [
    (answers(5, 10, 5, 5, 5, 5, 5), FULLY_ENGAGED),
    (answers(5, 9, 5, 5, 5, 5, 4), ENGAGED),           # one attachment item short of 5
    (answers(4, 8, 4, 4, 4, 5, 3), ENGAGED),           # attachment mean 4.0
    (answers(4, 8, 4, 4, 3, 4, 3), NOT_ENGAGED),       # attachment mean 3.5
    (answers(3, 7, 3, 3, 3, 3, 3), NOT_ENGAGED),
    (answers(2, 8, 4, 4, 4, 4, 4), ACTIVELY_DISENGAGED),  # satisfaction 2
    (answers(5, 4, 5, 5, 5, 5, 5), ACTIVELY_DISENGAGED),  # recommend 4
    (answers(4, 8, 4, 2, 2, 2, 2), ACTIVELY_DISENGAGED),  # attachment mean 2
])
def test_engagement_classes_follow_the_documented_rule(given, expected):
    assert engagement_class(given) == expected


def test_nps_by_hand():
    # 10, 9, 9 promoters; 8, 7 passives; 6, 0, 3 detractors: (3 − 3) / 8 = 0; then 4 promoters of 5 → 60
    assert nps([10, 9, 9, 8, 7, 6, 0, 3]).score == 0
    result = nps([10, 10, 9, 9, 6])
    assert (result.promoters, result.passives, result.detractors, result.score) == (4, 0, 1, 60)
    assert nps([]).score is None


@pytest.fixture
def survey(cft_user, cycle):
    health = SegmentFactory(name="Healthcare")
    for stage in ("initiation", "value_creation"):
        ContactFactory(email=f"{stage}@example.org", account=AccountFactory(segment=health, lifecycle_stage=stage))
    ContactFactory(email="", account=AccountFactory(segment=health))  # no address: not invited
    ContactFactory(email="other@example.org")  # another segment
    return surveys.survey_create(data={"title": "Engagement 2027", "cycle": cycle, "competitors": "Acme\nGlobex"},
                                 segment=health, user=cft_user)


def _answer(client, invitation, **overrides):
    data = {"overall_satisfaction": 5, "recommend": 10, "buy_again": 5, "confidence": 5, "integrity": 5,
            "pride": 5, "passion": 5, "why_recommend": "Fast support", "competitor_0": "better"}
    data.update(overrides)
    return client.post(_link(invitation), data)


def _link(invitation):
    """The personal link of an invitation, as its e-mail carries it (a token is issued once)."""
    if not hasattr(invitation, "_test_token"):
        invitation._test_token = surveys.invitation_issue_token(invitation)
        invitation.save()
    return reverse("metrics:survey_answer", args=[invitation._test_token])


def test_a_survey_invites_the_contacts_of_the_segment_with_an_address(survey):
    assert sorted(i.contact.email for i in survey.invitations.all()) == ["initiation@example.org",
                                                                         "value_creation@example.org"]
    assert [i.token_hash for i in survey.invitations.all()] == [None, None]  # a link exists once it is sent


def test_invitations_are_sent_by_a_task_and_a_failure_is_kept_and_retried(
        client_for, cft_user, survey, monkeypatch, django_capture_on_commit_callbacks):
    real_send = surveys.send_mail

    def flaky(*, recipient_list, **kwargs):
        if recipient_list == ["initiation@example.org"]:
            raise ConnectionRefusedError("mail server down")
        return real_send(recipient_list=recipient_list, **kwargs)

    monkeypatch.setattr(surveys, "send_mail", flaky)
    client = client_for(cft_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("metrics:survey_send", args=[survey.pk]))
    assert [m.to for m in mail.outbox] == [["value_creation@example.org"]]
    failed = SurveyInvitation.objects.get(contact__email="initiation@example.org")
    assert failed.sent_at is None and failed.last_error == "mail server down" and failed.attempts == 1
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "1 invitation could not be sent yet" in page and "mail server down" in page
    monkeypatch.setattr(surveys, "send_mail", real_send)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("metrics:survey_send", args=[survey.pk]))
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.attempts == 2
    assert "/metrics/answer/" in mail.outbox[-1].body


def test_only_the_hash_of_a_link_is_stored_and_the_link_expires(client, survey, settings):
    import hashlib
    import re

    from django.utils import timezone

    surveys.survey_send_batch(survey=survey)
    links = [re.search(r"/metrics/answer/[^/]+/", m.body).group(0) for m in mail.outbox]
    tokens = [link.split("/")[-2] for link in links]
    stored = set(SurveyInvitation.objects.values_list("token_hash", flat=True))
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    assert not any(t in stored for t in tokens)
    assert client.get(links[0]).status_code == 200
    SurveyInvitation.objects.update(token_expires_at=timezone.now() - timezone.timedelta(seconds=1))
    expired = client.get(links[0])
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert client.post(links[0], {"recommend": 10}).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_a_respondent_answers_once_without_signing_in(client, survey):
    invitation = survey.invitations.first()
    page = client.get(_link(invitation))
    assert page.status_code == 200 and 'name="viewport"' in page.content.decode()
    response = _answer(client, invitation)
    assert "Your answers are recorded" in response.content.decode()
    saved = SurveyResponse.objects.get()
    assert saved.reasons == {"recommend": "Fast support"} and saved.competitor_comparison == {"Acme": "better"}
    again = _answer(client, invitation, recommend=0)
    assert again.status_code == 410 and "answered already" in again.content.decode()
    assert SurveyResponse.objects.get().recommend == 10


def test_a_forged_link_gets_404(client, survey):
    assert client.get(reverse("metrics:survey_answer", args=["not-a-real-token"])).status_code == 404


@pytest.mark.parametrize("field, value", [("recommend", 11), ("overall_satisfaction", 0), ("pride", "abc"),
                                          ("competitor_0", "amazing")])
def test_an_answer_out_of_range_records_nothing(client, survey, field, value):
    response = _answer(client, survey.invitations.first(), **{field: value})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not SurveyResponse.objects.exists()


def test_results_by_stage_nps_and_whether_enough_answered(client, client_for, viewer_user, survey):
    first, second = survey.invitations.order_by("contact__email")
    _answer(client, first)                                            # initiation: fully engaged, promoter
    _answer(client, second, recommend=3, overall_satisfaction=2)      # value creation: disengaged, detractor
    results = surveys.survey_results(survey)
    assert (results.nps.score, results.responses, results.classes[FULLY_ENGAGED],
            results.classes[ACTIVELY_DISENGAGED]) == (0, 2, 1, 1)
    stages = {g.name: g for g in results.by_stage}
    assert stages["Initiation"].nps.score == 100 and stages["Value creation"].nps.score == -100
    # two invited: n = 384.16 / (1 + 383.16/2) = 1.99 → 2 needed; both answered
    assert (results.needed, results.enough) == (2, True)
    assert results.competitors["Acme"]["better"] == 2
    page = client_for(viewer_user).get(survey.get_absolute_url()).content.decode()
    assert "enough answered" in page and "Engagement by lifecycle stage" in page


def _month_answered(response):
    """The month an answer counts in: its day in the portal's time zone (TIME_ZONE), as the
    computations read it — not its UTC day, which differs in the evening around a month's end."""
    from django.utils import timezone

    return timezone.localdate(response.created_at).replace(day=1)


def test_survey_results_feed_the_nps_and_fully_engaged_kris(client, survey):
    from metrics.services import recompute_measures

    first, second = survey.invitations.order_by("contact__email")
    _answer(client, first)
    _answer(client, second, recommend=3, overall_satisfaction=2)
    recompute_measures(months=2)
    nps_entry = MeasureEntry.objects.get(measure=Measure.objects.get(source="survey_nps"), breakdown_key="",
                                         period=_month_answered(SurveyResponse.objects.first()))
    share = MeasureEntry.objects.get(measure=Measure.objects.get(source="fully_engaged"), breakdown_key="",
                                     period=nps_entry.period)
    assert (nps_entry.value, share.value) == (0, 50)


def test_the_sample_size_page_shows_the_standards_example(client_for, viewer_user):
    response = client_for(viewer_user).get(reverse("metrics:sample_size"), {
        "population": 1000, "confidence": 95, "margin_of_error": 5, "proportion": "0.5", "response_rate": 20})
    assert response.context["result"].n == 278 and response.context["sends"] == 1390


def test_a_population_of_0_gets_a_message(client_for, viewer_user):
    response = client_for(viewer_user).get(reverse("metrics:sample_size"), {
        "population": 0, "confidence": 95, "margin_of_error": 5, "proportion": "0.5"})
    assert response.context["result"] is None
    assert "The population is at least 1" in response.content.decode()


def test_a_viewer_cannot_create_or_send_a_survey(client_for, viewer_user, survey):
    client = client_for(viewer_user)
    assert client.post(reverse("metrics:survey_list"), {"title": "x"}).status_code == 403
    assert client.post(reverse("metrics:survey_send", args=[survey.pk])).status_code == 403
    assert not mail.outbox


def test_the_account_page_shows_its_dated_stage_history(client_for, cft_user):
    account = AccountFactory(lifecycle_stage="initiation")
    account.lifecycle_stage = "integration"
    account.save()
    page = client_for(cft_user).get(account.get_absolute_url()).content.decode()
    assert "Initiation" in page and "Integration" in page and 'data-testid="stage-history"' in page


def test_results_by_offering_across_surveys(client, client_for, viewer_user, survey):
    from ..factories import OfferingFactory

    survey.offering = OfferingFactory(name="Asset Tracking")
    survey.save()
    first, second = survey.invitations.order_by("contact__email")
    _answer(client, first)
    _answer(client, second, recommend=8)
    groups = {g.name: g for g in surveys.results_by_offering()}
    assert groups["Asset Tracking"].nps.score == 50  # one promoter, one passive
    page = client_for(viewer_user).get(reverse("metrics:survey_list")).content.decode()
    assert 'data-testid="by-offering"' in page and "Asset Tracking" in page


def test_a_survey_of_accounts_named_one_per_line(client_for, cft_user, cycle):
    from metrics.models import Survey

    clinic, mill = AccountFactory(name="Lakeside Clinic"), AccountFactory(name="Summit Mill")
    ContactFactory(email="ann@clinic.example", account=clinic)
    ContactFactory(email="bo@mill.example", account=mill)
    ContactFactory(email="cy@other.example")
    client = client_for(cft_user)
    data = {"title": "Pilot", "confidence": 95, "margin_of_error": "0.05"}
    refused = client.post(reverse("metrics:survey_list"), {**data, "accounts": "lakeside clinic\nNo Such Co"})
    assert "There is no account named “No Such Co”." in refused.content.decode()
    assert not Survey.objects.exists()
    client.post(reverse("metrics:survey_list"), {**data, "accounts": "lakeside clinic\n\nSummit Mill\n"})
    survey = Survey.objects.get()
    assert sorted(i.contact.email for i in survey.invitations.all()) == ["ann@clinic.example", "bo@mill.example"]
    page = client.get(reverse("metrics:survey_list")).content.decode()
    assert "Summit Mill" not in page  # the form lists no accounts, whatever their number
