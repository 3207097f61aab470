from django.conf import settings


def portal(request):
    """What the base template needs on every page: the demo banner and role flags."""
    return {"DEMO_MODE": settings.DEMO_MODE or settings.DEBUG}
