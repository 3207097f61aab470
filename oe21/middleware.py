from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse

from .roles import PORTAL_PERMISSION


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's login-required middleware, except for the REST API, whose views check the
    token or session themselves and answer anonymous requests with 401 and a JSON body.

    A signed-in account without the portal permission (the PMS client's) reaches the API only:
    every page answers 403, except those open to anybody (sign-in, sign-out, health)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if (response is None and getattr(view_func, "login_required", True)
                and not request.user.has_perm(PORTAL_PERMISSION)):
            raise PermissionDenied("This account reads the REST API only; it cannot use the web portal.")
        return response


class RejectNulMiddleware:
    """A NUL character cannot be stored (PostgreSQL refuses it in text) nor be meant: a path, query
    or form value holding one is answered 400, with a JSON body under /api/, before any view runs."""

    MESSAGE = "The request contains a NUL character (\\0), which no field accepts."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE}, status=400)
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                  "multipart/form-data"):
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        return False
