from django.urls import path

from . import views

app_name = "requirements_specs"

urlpatterns = [
    path("", views.index, name="index"),
]
