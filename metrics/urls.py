from django.urls import path

from . import survey_views, views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("print/", views.review_print, name="review_print"),
    path("reviews/", views.review_log, name="review_log"),
    path("recompute/", views.recompute, name="recompute"),
    path("at-risk/", views.at_risk, name="at_risk"),
    path("business-case/", views.business_case, name="business_case"),
    path("at-risk/refresh/", views.at_risk_refresh, name="at_risk_refresh"),
    path("follow-ups/<int:pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("outcomes/", views.outcome_list, name="outcome_list"),
    path("outcomes/<int:pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/history/", views.OutcomeHistoryView.as_view(), name="outcome_history"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/new/", views.MeasureCreateView.as_view(), name="measure_create"),
    path("measures/<int:pk>/edit/", views.MeasureUpdateView.as_view(), name="measure_edit"),
    path("measures/<int:pk>/history/", views.MeasureHistoryView.as_view(), name="measure_history"),
    path("measures/<int:pk>/select/", views.measure_select, name="measure_select"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/import/", views.entries_import, name="entries_import"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", views.complaint_edit, name="complaint_edit"),
    path("complaints/<int:pk>/history/", views.complaint_history, name="complaint_history"),
    path("ratings/", views.rating_list, name="rating_list"),
    path("ratings/new/", views.rating_create, name="rating_create"),
    path("ratings/import/", views.ratings_import, name="ratings_import"),
    path("sample-size/", survey_views.sample_size_calculator, name="sample_size"),
    path("surveys/", survey_views.survey_list, name="survey_list"),
    path("surveys/<int:pk>/", survey_views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/send/", survey_views.survey_send, name="survey_send"),
    # The respondent's personal link: no sign-in needed.
    path("answer/<str:token>/", survey_views.survey_answer, name="survey_answer"),
]
