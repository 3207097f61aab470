from django.urls import path

from . import views

app_name = "requirements_specs"

urlpatterns = [
    path("", views.index, name="index"),
    path("offerings/<int:offering_pk>/specifications/", views.spec_list, name="spec_list"),
    path("offerings/<int:offering_pk>/specifications/new/", views.spec_create, name="spec_create"),
    path("specifications/<int:pk>/", views.spec_detail, name="spec_detail"),
    path("specifications/<int:pk>/submit/", views.spec_submit, name="spec_submit"),
    path("specifications/<int:pk>/approve/", views.spec_approve, name="spec_approve"),
    path("offerings/<int:offering_pk>/documents/", views.documents, name="documents"),
    path("offerings/<int:offering_pk>/competitors/", views.competitors, name="competitors"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/distribute/", views.document_distribute, name="document_distribute"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("costs/new/", views.cost_create, name="cost_create"),
    path("costs/import/", views.costs_import, name="costs_import"),
    path("offerings/<int:offering_pk>/reconfirm/", views.offering_reconfirm, name="offering_reconfirm"),
    path("offerings/<int:offering_pk>/decide/", views.offering_decide, name="offering_decide"),
    path("action-plan/", views.plan, name="plan"),
    path("action-plan/from/<str:source>/<int:item_pk>/", views.plan_propose_item, name="plan_propose_item"),
    path("action-plan/from/<str:source>/<int:item_pk>/leave-out/", views.plan_leave_out_item,
         name="plan_leave_out_item"),
    path("action-plan/<int:pk>/edit/", views.plan_task_edit, name="plan_task_edit"),
    path("action-plan/<int:pk>/decide/", views.plan_decide, name="plan_decide"),
    path("action-plan/<int:pk>/status/", views.plan_status, name="plan_status"),
]
