from django.urls import path

from . import views

app_name = "prioritization"

urlpatterns = [
    path("", views.matrix, name="matrix"),
]
