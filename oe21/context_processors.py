from django.conf import settings


def portal(request):
    """What the base template needs on every page: the demo banner and role flags."""
    # The cycle selector shows on pages that read a cycle (they set it with oe21.cycles.cycle_choice).
    return {"DEMO_MODE": settings.DEMO_MODE or settings.DEBUG, "cycle_choice": getattr(request, "cycle_choice", None)}
