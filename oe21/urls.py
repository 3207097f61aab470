from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from . import views
from .forms import PortalAuthenticationForm
from .health import healthz, healthz_live

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.portal_search, name="search"),
    path("milestones/<int:pk>/submit/", views.milestone_submit, name="milestone_submit"),
    path("milestones/<int:pk>/decide/", views.milestone_decide, name="milestone_decide"),

    path("accounts/", views.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="account_create"),
    path("accounts/export/", views.account_export, name="account_export"),
    path("accounts/import/", views.account_import, name="account_import"),
    path("accounts/<int:pk>/", views.AccountDetailView.as_view(), name="account_detail"),
    path("accounts/<int:pk>/edit/", views.AccountUpdateView.as_view(), name="account_edit"),
    path("accounts/<int:pk>/history/", views.AccountHistoryView.as_view(), name="account_history"),
    path("accounts/<int:pk>/timeline/", views.account_timeline, name="account_timeline"),
    path("accounts/lookup/", views.account_lookup, name="account_lookup"),
    path("accounts/<int:pk>/contacts/", views.account_contacts, name="account_contacts"),

    path("contacts/", views.ContactListView.as_view(), name="contact_list"),
    path("contacts/new/", views.ContactCreateView.as_view(), name="contact_create"),
    path("contacts/export/", views.contact_export, name="contact_export"),
    path("contacts/import/", views.contact_import, name="contact_import"),
    path("contacts/<int:pk>/", views.ContactDetailView.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.ContactUpdateView.as_view(), name="contact_edit"),
    path("contacts/<int:pk>/history/", views.ContactHistoryView.as_view(), name="contact_history"),

    path("offerings/", views.OfferingListView.as_view(), name="offering_list"),
    path("offerings/new/", views.OfferingCreateView.as_view(), name="offering_create"),
    path("offerings/<int:pk>/", views.OfferingDetailView.as_view(), name="offering_detail"),
    path("offerings/<int:pk>/edit/", views.OfferingUpdateView.as_view(), name="offering_edit"),
    path("offerings/<int:pk>/history/", views.OfferingHistoryView.as_view(),
         name="offering_history"),

    path("segments/", views.SegmentListView.as_view(), name="segment_list"),
    path("segments/new/", views.SegmentCreateView.as_view(), name="segment_create"),
    path("segments/<int:pk>/edit/", views.SegmentUpdateView.as_view(), name="segment_edit"),
    path("segments/<int:pk>/history/", views.SegmentHistoryView.as_view(), name="segment_history"),
    path("segments/<int:pk>/delete/", views.segment_delete, name="segment_delete"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/open/", views.cycle_open, name="cycle_open"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("audit/", views.audit_report_view, name="audit_report"),

    path("prioritization/", include("prioritization.urls")),
    path("opportunities/", include("opportunities.urls")),
    path("requirements/", include("requirements_specs.urls")),
    path("metrics/", include("metrics.urls")),

    path("api/", include("oe21.api.urls")),
    path("login/", auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm), name="login"),
    path("logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),  # anybody may sign out
    path("healthz", healthz, name="healthz"),
    path("healthz/live", healthz_live, name="healthz_live"),
    path("admin/", admin.site.urls),
]

handler500 = "oe21.views.server_error"
