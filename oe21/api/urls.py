"""The REST export's URLs: the shared model's endpoints and every endpoint the task apps register
(`oe21.registry.register_api_endpoints`) under /api/v1/, plus the OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from ..registry import api_endpoints
from . import views

router = DefaultRouter()
for prefix, viewset in [*views.ENDPOINTS, *api_endpoints()]:
    router.register(prefix, viewset, basename=prefix)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
