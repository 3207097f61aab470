from django.urls import path

from . import views

app_name = "prioritization"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("statistics/", views.matrix_statistics, name="matrix_statistics"),
    path("calibration/", views.calibration, name="calibration"),
    path("weights/", views.weights, name="weights"),
    path("grid/", views.grid, name="grid"),
    path("export/", views.matrix_export, name="matrix_export"),
    path("import/", views.matrix_import, name="matrix_import"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/history/", views.assessment_history, name="assessment_history"),
    path("assessments/<int:pk>/override/", views.assessment_override, name="assessment_override"),
    path("assessments/<int:pk>/review/", views.assessment_review, name="assessment_review"),
    path("assessments/review/", views.assessments_review, name="assessments_review"),
    path("assessments/<int:pk>/action-items/", views.action_item_add, name="action_item_add"),
]
