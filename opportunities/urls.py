from django.urls import path

from . import views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="index"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("rollups/", views.rollups, name="rollups"),
    path("new/", views.opportunity_create, name="opportunity_create"),
    path("export/", views.opportunity_export, name="opportunity_export"),
    path("import/", views.opportunity_import, name="opportunity_import"),
    path("<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("<int:pk>/history/", views.opportunity_history, name="opportunity_history"),
    path("<int:pk>/status/", views.opportunity_status, name="opportunity_status"),
    path("<int:pk>/steps/", views.opportunity_steps, name="opportunity_steps"),
    path("<int:pk>/touches/", views.touch_add, name="touch_add"),
    path("<int:pk>/proposals/", views.proposal_add, name="proposal_add"),
    path("proposals/<int:pk>/outcome/", views.proposal_outcome, name="proposal_outcome"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("<int:pk>/action-items/", views.action_item_add, name="action_item_add"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/targets/", views.campaign_targets, name="campaign_targets"),
    path("campaign-targets/<int:pk>/remove/", views.campaign_target_remove, name="campaign_target_remove"),
    path("campaign-items/<int:pk>/edit/", views.campaign_item_edit, name="campaign_item_edit"),
    path("campaign-items/<int:pk>/attachment/", views.campaign_item_attachment, name="campaign_item_attachment"),
    path("texts/new/", views.text_create, name="text_create"),
    path("texts/<int:pk>/versions/", views.text_versions, name="text_versions"),
]
