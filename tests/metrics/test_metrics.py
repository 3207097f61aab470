import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from metrics import services
from metrics.choices import Source
from metrics.models import Complaint, CustomerRating, Measure, MeasureEntry, ReviewMeeting
from oe21.lib.months import add_months, months_back
from oe21.milestones import missing_for
from oe21.models import OrganisationProfile

from ..factories import AccountFactory, OfferingFactory, SegmentFactory, log_touches, make_opportunity

pytestmark = pytest.mark.django_db
THIS_MONTH = datetime.date.today().replace(day=1)
LAST_MONTH = add_months(THIS_MONTH, -1)


def manual(name="Net promoter score", **extra):
    return Measure.objects.create(name=name, kind=extra.pop("kind", "KRI"), unit="points", target=30, **extra)


def test_the_defaults_of_the_standard_are_created():
    names = set(Measure.objects.values_list("kind", "name"))
    assert ("KRI", "Customer rating of offerings (1–5)") in names
    assert ("KRI", "Customer complaints per offering") in names
    assert {("KRD", "Opportunity-marketing touches"), ("KRD", "Sales efficiency %"),
            ("KRD", "Online meetings conducted")} <= names


def test_an_entry_for_a_month_outside_a_quarterly_frequency_is_refused(cft_user):
    OrganisationProfile.objects.create(name="Org", fiscal_year_start_month=10)
    measure = manual(frequency="quarterly")
    with pytest.raises(ValidationError, match="first month of a fiscal quarter"):
        services.entry_save(measure=measure, period=datetime.date(2027, 2, 1), value=1, user=cft_user)
    services.entry_save(measure=measure, period=datetime.date(2027, 1, 1), value=1, user=cft_user)  # Oct, Jan, …
    assert MeasureEntry.objects.count() == 1


def test_a_computed_measure_is_not_typed_in(cft_user):
    measure = Measure.objects.get(source=Source.COMPLAINTS)
    with pytest.raises(ValidationError, match="computed"):
        services.entry_save(measure=measure, period=LAST_MONTH, value=3, user=cft_user)


def test_typing_a_value_twice_corrects_it_and_keeps_the_history(cft_user):
    measure = manual()
    services.entry_save(measure=measure, period=LAST_MONTH, value=10, user=cft_user)
    services.entry_save(measure=measure, period=LAST_MONTH, value=12, user=cft_user, comment="corrected")
    entry = MeasureEntry.objects.get()
    assert entry.value == 12 and entry.history.count() == 2


def test_a_value_that_would_replace_another_says_so_and_asks(client_for, cft_user):
    measure = manual()
    client = client_for(cft_user)
    data = {"measure": measure.pk, "period": f"{LAST_MONTH:%Y-%m}", "value": "31"}
    assert client.post(reverse("metrics:entry_create"), data).status_code == 302
    response = client.post(reverse("metrics:entry_create"), {**data, "value": "29"})
    assert response.status_code == 200
    message = response.context["form"].errors["replace"][0]
    assert f"has 31 points for {LAST_MONTH:%B %Y} already" in message and "with 29 points" in message
    assert 'type="checkbox" name="replace"' in response.content.decode()
    assert MeasureEntry.objects.get().value == 31  # nothing replaced yet
    assert client.post(reverse("metrics:entry_create"), {**data, "value": "31"}).status_code == 302  # the same: fine
    assert client.post(reverse("metrics:entry_create"), {**data, "value": "29", "replace": "on"}).status_code == 302
    assert MeasureEntry.objects.get().value == 29
    assert [h.value for h in MeasureEntry.objects.get().history.order_by("history_id")][0] == 31


def test_a_non_numeric_value_gets_a_message_next_to_the_field(client_for, cft_user):
    measure = manual()
    response = client_for(cft_user).post(reverse("metrics:entry_create"),
                                         {"measure": measure.pk, "period": "2026-10", "value": "lots"})
    assert response.context["form"].errors["value"] == ["Enter a number."]
    assert not MeasureEntry.objects.exists()


def test_a_rating_of_6_is_refused(client_for, cft_user):
    response = client_for(cft_user).post(reverse("metrics:rating_create"), {
        "rated_on": "2026-10-02", "account": AccountFactory().pk, "offering": OfferingFactory().pk, "value": 6})
    assert "value" in response.context["form"].errors
    assert not CustomerRating.objects.exists()


def test_a_complaint_resolved_before_it_was_received_is_refused(client_for, cft_user):
    response = client_for(cft_user).post(reverse("metrics:complaint_create"), {
        "received_on": "2026-10-10", "resolved_on": "2026-10-01", "account": AccountFactory().pk,
        "offering": OfferingFactory().pk, "channel": "email", "category": "quality", "severity": "high",
        "description": "Broken on arrival", "root_cause": "material"})
    assert response.context["form"].errors["resolved_on"] == \
        ["A complaint cannot be resolved before it was received."]
    assert not Complaint.objects.exists()


def test_the_complaint_list_sorts_by_a_column_header(client_for, viewer_user):
    offering = OfferingFactory()
    for name, received in (("Beta Works", 3), ("Alpha Clinic", 1), ("Gamma County", 2)):
        Complaint.objects.create(received_on=datetime.date(2026, 10, received), account=AccountFactory(name=name),
                                 offering=offering, channel="email", category="quality", description="x")
    client = client_for(viewer_user)

    def accounts(o):
        return [c.account.name for c in client.get(reverse("metrics:complaint_list"), {"o": o}).context["complaints"]]

    assert accounts("account") == ["Alpha Clinic", "Beta Works", "Gamma County"]
    assert accounts("-received") == ["Beta Works", "Gamma County", "Alpha Clinic"]
    assert accounts("nonsense") == accounts("")  # an unknown column: the list's own order


def test_the_database_refuses_it_too():
    with pytest.raises(IntegrityError):
        Complaint.objects.create(received_on=datetime.date(2026, 10, 10), resolved_on=datetime.date(2026, 10, 1),
                                 account=AccountFactory(), offering=OfferingFactory(), channel="email",
                                 category="quality", description="x")


def test_complaint_figures_time_to_resolve_and_repeats(client_for, viewer_user):
    account, offering = AccountFactory(), OfferingFactory()

    def complaint(received, resolved=None, category="quality", root_cause="process"):
        Complaint.objects.create(received_on=received, resolved_on=resolved, account=account, offering=offering,
                                 channel="email", category=category, root_cause=root_cause, description="x")

    complaint(datetime.date(2026, 1, 10), datetime.date(2026, 1, 14))            # 4 days
    complaint(datetime.date(2026, 3, 1), datetime.date(2026, 3, 11))              # 10 days, repeat
    complaint(datetime.date(2026, 5, 1), category="billing", root_cause="people")  # open, other category
    page = client_for(viewer_user).get(reverse("metrics:complaint_list"))
    figures = page.context["figures"]
    assert (figures.total, figures.resolved, figures.mean_days_to_resolve, figures.repeats) == (3, 2, 7.0, 1)
    assert figures.by["Root cause"][0] == ("Process", 2)
    assert "Complaints by root cause (Pareto)" in page.content.decode()


def test_recomputing_works_out_the_computed_measures_and_is_idempotent(cft_user, cycle):
    offering = OfferingFactory()
    health = SegmentFactory(name="Healthcare")
    account = AccountFactory(segment=SegmentFactory(name="Clinics", parent=health))
    day = LAST_MONTH + datetime.timedelta(days=3)
    for value in (4, 5):
        CustomerRating.objects.create(rated_on=day, account=account, offering=offering, value=value)
    Complaint.objects.create(received_on=day, account=account, offering=offering, channel="email",
                             category="quality", description="x")
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user, offering=offering, account=account)
    log_touches(opportunity, ("email", "out", 3), ("email", "in", 1), ("online_meeting", "out", 1),
                ("online_meeting", "in", 1), on=day)

    first = services.recompute_measures(months=3)
    assert first["created"] > 0
    assert services.recompute_measures(months=3) == {"created": 0, "updated": 0, "removed": 0}

    def value(source, key="", month=LAST_MONTH):
        return MeasureEntry.objects.get(measure__source=source, period=month, breakdown_key=key).value

    assert value(Source.RATINGS_MEAN) == Decimal("4.5")                 # (4 + 5) / 2
    assert value(Source.RATINGS_MEAN, f"offering:{offering.pk}") == Decimal("4.5")
    assert value(Source.COMPLAINTS) == 1
    assert value(Source.COMPLAINTS, month=add_months(LAST_MONTH, -1)) == 0  # counts are 0 without records
    assert value(Source.TOUCHES_OUT) == 4                                  # 3 emails + 1 invitation
    assert value(Source.SALES_EFFICIENCY) == Decimal("50")                 # 100 × 2 / 4
    assert value(Source.MEETINGS) == 1
    CustomerRating.objects.all().delete()
    assert services.recompute_measures(months=3)["removed"] == 2  # overall and per offering


def _measures_with_history(count, months=36):
    period = months_back(LAST_MONTH, months)
    for n in range(count):
        measure = manual(name=f"Measure {n}", kind="KRI" if n % 2 else "KRD")
        MeasureEntry.objects.bulk_create([MeasureEntry(measure=measure, period=m, value=n + i % 7)
                                          for i, m in enumerate(period)])


@pytest.mark.parametrize("count", [4, 50])
def test_the_review_makes_a_constant_number_of_queries(client_for, viewer_user, django_assert_max_num_queries,
                                                       count):
    _measures_with_history(count)
    client = client_for(viewer_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("metrics:dashboard"), {"months": 36})
    defaults = Measure.objects.exclude(name__startswith="Measure ").filter(is_selected=True).count()
    assert len(response.context["review"].trends) == count + defaults
    assert len(response.context["charts"][0]["x"]) == 36


def test_the_review_shows_status_and_correlations(client_for, viewer_user):
    driver = manual(name="Touches typed", kind="KRD")
    indicator = manual(name="Rating typed", kind="KRI")
    for i, month in enumerate(months_back(LAST_MONTH, 8)):
        MeasureEntry.objects.create(measure=driver, period=month, value=i + 1)
        MeasureEntry.objects.create(measure=indicator, period=month, value=2 * (i + 1) + 1)
    response = client_for(viewer_user).get(reverse("metrics:dashboard"))
    result = response.context["review"]
    best = result.strongest[0]
    assert (best.driver, best.indicator, best.lag, round(best.r, 6)) == (driver.pk, indicator.pk, 0, 1.0)
    trend = next(t for t in result.trends if t.measure == indicator)
    assert (trend.current, trend.status) == (17.0, "red")  # 17 against a target of 30
    assert "Correlation of drivers (KRD, lagged) with indicators (KRI)" in response.content.decode()


def test_the_review_reads_right_units_in_words_an_open_month_in_progress_and_no_data_yet(
        client_for, viewer_user):
    rating = Measure.objects.create(name="Rating typed", kind="KRI", unit="1–5", target=4, is_selected=True)
    share = Measure.objects.create(name="Share typed", kind="KRI", unit="%", target=Decimal("60.5"), is_selected=True)
    empty = Measure.objects.create(name="Never typed", kind="KRD", unit="points", target=3, is_selected=True)
    MeasureEntry.objects.create(measure=rating, period=LAST_MONTH, value=Decimal("3.5"))
    MeasureEntry.objects.create(measure=share, period=LAST_MONTH, value=Decimal("12.25"))
    MeasureEntry.objects.create(measure=rating, period=THIS_MONTH, value=Decimal("1"))  # two days into the month
    client = client_for(viewer_user)
    page = client.get(reverse("metrics:dashboard")).content.decode()  # the last full month
    assert f'data-testid="current-{rating.pk}">3.5 of 5 <span' in page and "target 4.0 of 5" in page
    assert f'data-testid="current-{share.pk}">12.2 %' in page or f'data-testid="current-{share.pk}">12.3 %' in page
    assert "target 60.5 %" in page
    assert f'data-testid="no-data-{empty.pk}">No data yet' in page and f'id="trend-{empty.pk}"' not in page
    assert f'data-testid="rag-{rating.pk}">red' in page  # 3.5 against 4: a closed month is judged
    response = client.get(reverse("metrics:dashboard"), {"month": f"{THIS_MONTH:%Y-%m}"})
    trend = next(t for t in response.context["review"].trends if t.measure == rating)
    assert trend.status == "in_progress"  # 1.0 so far is not a red month yet
    assert f'data-testid="rag-{rating.pk}">in progress' in response.content.decode()


def test_recording_the_review_meeting_reaches_milestone_7(client_for, cft_user):
    from oe21.services import cycle_create

    today = datetime.date.today()
    # A cycle that began last month: one month of it has ended.
    cycle = cycle_create(name="This year", starts_on=LAST_MONTH, ends_on=add_months(LAST_MONTH, 12)
                         - datetime.timedelta(days=1))
    Measure.objects.update(is_selected=False)
    nps = Measure.objects.create(name="NPS", kind="KRI", unit="points", is_selected=True)
    demos = Measure.objects.create(name="Demos", kind="KRD", unit="demos", is_selected=True)
    assert [str(m) for m in missing_for(7, cycle)] == [
        f"KRD “Demos” has no value for {LAST_MONTH:%b %Y}.", f"KRI “NPS” has no value for {LAST_MONTH:%b %Y}.",
        f"No review of {LAST_MONTH:%B %Y} has been recorded."]
    link = reverse("metrics:entry_create") + f"?measure={demos.pk}&period={LAST_MONTH:%Y-%m}"
    assert missing_for(7, cycle)[0].url == link
    assert client_for(cft_user).get(link).context["form"]["measure"].value() == str(demos.pk)
    for measure, value in ((nps, 34), (demos, 6)):
        MeasureEntry.objects.create(measure=measure, period=LAST_MONTH, value=value)
    response = client_for(cft_user).post(reverse("metrics:dashboard") + f"?month={LAST_MONTH:%Y-%m}", {
        "held_on": today.isoformat(), "attendees": "Carla, Lena", "decisions": "Raise touches",
        "follow-TOTAL_FORMS": "3", "follow-INITIAL_FORMS": "0",
        "follow-0-description": "Call the five top prospects", "follow-0-owner": cft_user.pk})
    assert response.status_code == 302
    meeting = ReviewMeeting.objects.get()
    assert (meeting.month, meeting.follow_ups.get().owner) == (LAST_MONTH, cft_user)
    assert [str(m) for m in missing_for(7, cycle)] == [  # names typed, nobody of the CFT ticked as present
        f"The review of {LAST_MONTH:%B %Y} was recorded without a quorum of the CFT (more than half of its members "
        "present): record who attended."]
    meeting.present.add(cft_user)  # the CFT is cft_user alone here: 1 of 1
    assert missing_for(7, cycle) == []


def test_milestone_7_asks_more_than_half_of_the_cft_at_each_review(cft_user, chair_user, other_cft_user):
    from metrics.milestones import closed_months
    from oe21.roles import CFT_MEMBER
    from oe21.services import cycle_create

    from ..factories import UserFactory

    # A cycle that began two months before last month: three of its months have ended.
    start = add_months(LAST_MONTH, -2)
    cycle = cycle_create(name="This year", starts_on=start, ends_on=add_months(start, 12) - datetime.timedelta(days=1))
    fourth = UserFactory(username="cft-four", role=CFT_MEMBER)
    UserFactory(username="gone", role=CFT_MEMBER, is_active=False)  # left: not counted
    viewer = UserFactory(username="reader")  # not of the CFT: does not count towards the quorum
    nps = manual(name="NPS", is_selected=True)
    demos = manual(name="Demos", kind="KRD", is_selected=True)
    Measure.objects.exclude(pk__in=[nps.pk, demos.pk]).update(is_selected=False)
    months = closed_months(cycle)
    assert len(months) == 3
    for month in months:
        for measure in (nps, demos):
            MeasureEntry.objects.create(measure=measure, period=month, value=1)
    meeting = services.review_record(cycle=cycle, month=months[-1], held_on=datetime.date.today(), decisions="Go",
                                     follow_ups=[], user=chair_user, present=[cft_user, other_cft_user, viewer])
    for month in months[:-1]:
        services.review_record(cycle=cycle, month=month, held_on=datetime.date.today(), decisions="Go", follow_ups=[],
                               user=chair_user, present=[cft_user, other_cft_user, fourth, chair_user])
    # the CFT: cft, cft2, cft-four and the chair = 4; a quorum is 4 // 2 + 1 = 3; two of them came
    assert [m.url for m in missing_for(7, cycle)] == [reverse("metrics:dashboard") + f"?month={months[-1]:%Y-%m}"]
    meeting.present.add(fourth)  # three of four
    assert missing_for(7, cycle) == []
    page = __import__("django.test", fromlist=["Client"]).Client()
    page.force_login(chair_user)
    body = page.get(reverse("metrics:dashboard"), {"month": f"{months[-1]:%Y-%m}"}).content.decode()
    assert "CFT present:</strong> " in body


def test_milestone_7_needs_every_closed_month_and_a_month_has_to_end_first():
    import types

    from metrics.milestones import closed_months

    cycle = types.SimpleNamespace(starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2027, 9, 30))
    assert closed_months(cycle, today=datetime.date(2026, 10, 31)) == []
    assert closed_months(cycle, today=datetime.date(2026, 11, 1)) == [datetime.date(2026, 10, 1)]
    assert closed_months(cycle, today=datetime.date(2026, 12, 15)) == [datetime.date(2026, 10, 1),
                                                                       datetime.date(2026, 11, 1)]
    assert len(closed_months(cycle, today=datetime.date(2030, 1, 1))) == 12


@pytest.mark.parametrize("url_name, data", [
    ("metrics:entry_create", {"value": "1"}), ("metrics:complaint_create", {}), ("metrics:rating_create", {}),
    ("metrics:recompute", {}), ("metrics:dashboard", {"held_on": "2026-01-01", "attendees": "x",
                                                      "decisions": "y"}),
    ("metrics:entries_import", {}), ("metrics:ratings_import", {}),
])
def test_a_viewer_gets_403_on_every_change(client_for, viewer_user, url_name, data):
    response = client_for(viewer_user).post(reverse(url_name), data)
    assert response.status_code == 403
    assert not ReviewMeeting.objects.exists()


def test_importing_values_is_all_or_nothing_with_line_numbers(client_for, cft_user,
                                                              django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oe21.models import BackgroundJob

    manual(name="Net promoter score")
    content = (b"measure,month,value,comment\n"
               b"Net promoter score,2026-09,31,\n"
               b"Net promoter score,2026-10,lots,\n"
               b"Customer complaints per offering,2026-10,3,\n"
               b"Unknown measure,2026-13,1,\n")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cft_user).post(reverse("metrics:entries_import"),
                                  {"file": SimpleUploadedFile("values.csv", content)})
    job = BackgroundJob.objects.get()
    assert [(e["line"], e["column"]) for e in job.result["errors"]] == [
        (3, "value"), (4, "measure"), (5, "measure"), (5, "month")]
    assert not MeasureEntry.objects.exists()


def test_the_printable_review_renders(client_for, viewer_user):
    page = client_for(viewer_user).get(reverse("metrics:review_print")).content.decode()
    assert "Print or save as PDF" in page and "monthly review of" in page


def test_a_review_in_the_future_is_refused(client_for, cft_user, cycle):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client_for(cft_user).post(reverse("metrics:dashboard"), {
        "held_on": tomorrow.isoformat(), "attendees": "x", "decisions": "y",
        "follow-TOTAL_FORMS": "0", "follow-INITIAL_FORMS": "0"})
    assert "A review is recorded once it has been held." in response.content.decode()
    assert not ReviewMeeting.objects.exists()


def test_the_review_filters_by_offering_where_a_measure_is_broken_down_so(client_for, viewer_user):
    offering = OfferingFactory(name="Tracking")
    per_offering = manual(name="Returns", breakdown="offering")
    overall_only = manual(name="Visits")
    MeasureEntry.objects.create(measure=per_offering, period=LAST_MONTH, value=7, offering=offering,
                                breakdown_key=f"offering:{offering.pk}")
    MeasureEntry.objects.create(measure=per_offering, period=LAST_MONTH, value=20)
    MeasureEntry.objects.create(measure=overall_only, period=LAST_MONTH, value=3)
    response = client_for(viewer_user).get(reverse("metrics:dashboard"), {"offering": offering.pk})
    trends = {t.measure.name: t for t in response.context["review"].trends}
    assert (trends["Returns"].current, trends["Returns"].note) == (7.0, "")
    assert (trends["Visits"].current, trends["Visits"].note) == (3.0, "not broken down by offering: overall values")


def test_open_follow_ups_come_back_each_month_until_closed(client_for, cft_user, chair_user, viewer_user):
    from oe21.services import cycle_create

    today = datetime.date.today()
    cycle = cycle_create(name="This year", starts_on=today.replace(month=1, day=1),
                         ends_on=today.replace(month=12, day=31))
    earlier = add_months(LAST_MONTH, -1)
    services.review_record(cycle=cycle, month=earlier, held_on=today, attendees="Carla", decisions="More calls",
                           user=cft_user, follow_ups=[{"description": "Call the top five", "owner": cft_user}])
    item = ReviewMeeting.objects.get().follow_ups.get()
    client = client_for(cft_user)
    review = client.get(reverse("metrics:dashboard"), {"month": f"{LAST_MONTH:%Y-%m}"})
    assert [i.pk for i in review.context["open_follow_ups"]] == [item.pk]
    assert f"from the review of {earlier:%B %Y}" in review.content.decode()
    assert "carried from" not in review.content.decode()  # the same cycle
    assert client.get(reverse("metrics:dashboard"), {"month": f"{earlier:%Y-%m}"}).context["open_follow_ups"] == []
    url = reverse("metrics:follow_up_close", args=[item.pk])
    assert client_for(viewer_user).post(url, {"status": "done"}).status_code == 403
    client = client_for(cft_user)  # the same test client, signed in again as the CFT member
    client.post(url, {"status": "done"})
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("done", datetime.date.today())
    assert client.get(reverse("metrics:dashboard"), {"month": f"{LAST_MONTH:%Y-%m}"}).context["open_follow_ups"] == []
    page = client.post(url, {"status": "done"}, follow=True).content.decode()
    assert "is done already" in page


def test_importing_the_same_ratings_twice_updates_and_never_duplicates(
        client_for, cft_user, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oe21.models import BackgroundJob

    from ..factories import AccountFactory, OfferingFactory

    AccountFactory(name="Lakeside Clinic")
    OfferingFactory(name="Asset Tracking")
    header = "rated_on,account,offering,value,comment\n"
    first = header + "2026-10-01,Lakeside Clinic,Asset Tracking,4,Good\n"

    def run(content):
        BackgroundJob.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            client_for(cft_user).post(reverse("metrics:ratings_import"),
                                      {"file": SimpleUploadedFile("r.csv", content.encode())})
        return BackgroundJob.objects.get().result

    assert run(first) == {"created": 1, "updated": 0, "unchanged": 0}
    assert run(first) == {"created": 0, "updated": 0, "unchanged": 1}
    assert run(header + "2026-10-01,Lakeside Clinic,Asset Tracking,2,Worse\n") == {
        "created": 0, "updated": 1, "unchanged": 0}
    rating = CustomerRating.objects.get()
    assert (rating.value, rating.comment) == (2, "Worse")
    twice = run(header + "2026-10-02,Lakeside Clinic,Asset Tracking,2,\n2026-10-02,Lakeside Clinic,Asset Tracking,3,\n")
    assert [(e["line"], e["column"]) for e in twice["errors"]] == [(3, "rated_on")]
    assert CustomerRating.objects.count() == 1


def test_milestone_7_sends_a_missing_computed_value_to_the_measures_not_to_the_typing_form(cft_user):
    from oe21.services import cycle_create

    cycle = cycle_create(name="This year", starts_on=LAST_MONTH,
                         ends_on=add_months(LAST_MONTH, 12) - datetime.timedelta(days=1))
    Measure.objects.update(is_selected=False)
    computed = Measure.objects.filter(source=Source.RATINGS_MEAN).first()
    computed.is_selected = True
    computed.save()
    manual(name="Demos", kind="KRD", is_selected=True)
    item = next(m for m in missing_for(7, cycle) if computed.name in str(m))
    assert "it is computed from the portal's records" in str(item)
    assert item.url == computed.get_absolute_url()


def test_ratings_are_paged_and_sorted_and_measures_sorted(client_for, viewer_user):
    from metrics.views import RATING_PAGE

    offering = OfferingFactory(name="Tracking")
    accounts = [AccountFactory(name=f"Account {n:02d}") for n in range(3)]
    for n in range(RATING_PAGE + 5):
        CustomerRating.objects.create(rated_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                                      account=accounts[n % 3], offering=offering, value=1 + n % 5)
    client = client_for(viewer_user)
    first = client.get(reverse("metrics:rating_list"))
    assert len(first.context["ratings"]) == RATING_PAGE and first.context["page_obj"].paginator.count == RATING_PAGE + 5
    assert first.context["ratings"][0].rated_on == datetime.date(2026, 1, 1) + datetime.timedelta(days=RATING_PAGE + 4)
    by_account = client.get(reverse("metrics:rating_list"), {"o": "-account", "page": "2"})
    assert {r.account.name for r in by_account.context["ratings"]} == {"Account 00"}  # the last page, reversed
    assert "Tracking" in client.get(reverse("metrics:rating_list"), {"page": "99999"}).content.decode()
    names = [m.name for m in client.get(reverse("metrics:measure_list"), {"o": "-name"}).context["measures"]]
    assert names == sorted(names, reverse=True)


def test_the_review_log_flags_months_without_a_review_or_a_quorum(client_for, cft_user, other_cft_user, chair_user):
    from oe21.services import cycle_create

    start = add_months(LAST_MONTH, -2)  # three closed months and the current one
    cycle = cycle_create(name="This year", starts_on=start, ends_on=add_months(start, 12) - datetime.timedelta(days=1))
    for month, present in ((start, [cft_user, other_cft_user]), (add_months(start, 1), [cft_user])):
        services.review_record(cycle=cycle, month=month, held_on=datetime.date.today(), decisions="Go", follow_ups=[],
                               user=chair_user, present=present)
    response = client_for(chair_user).get(reverse("metrics:review_log"))
    # the CFT: cft, colin-cft and the chair = 3; a quorum is 3 // 2 + 1 = 2
    assert response.context["quorum"] == 2
    assert [(row.month, row.state) for row in response.context["rows"]] == [
        (THIS_MONTH, "in progress"), (LAST_MONTH, "missing"), (add_months(start, 1), "no quorum"), (start, "reviewed")]
    page = response.content.decode()
    assert "2 of the CFT present" in page and "no review" in page
