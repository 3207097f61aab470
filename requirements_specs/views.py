from django.shortcuts import render


def index(request):
    """The app's start page; its task pages arrive with the app's issue."""
    return render(request, "requirements_specs/index.html")
