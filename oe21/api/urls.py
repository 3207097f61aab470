"""The REST export's URLs: every app's ENDPOINTS under /api/v1/, plus the OpenAPI schema and docs."""

from importlib import import_module

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

# The apps whose api module lists endpoints; adding an app's export is one line here.
API_MODULES = ["oe21.api.views", "prioritization.api", "opportunities.api", "metrics.api"]

router = DefaultRouter()
for module_name in API_MODULES:
    for prefix, viewset in import_module(module_name).ENDPOINTS:
        router.register(prefix, viewset, basename=prefix)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
