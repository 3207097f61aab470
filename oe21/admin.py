from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .api.tokens import api_token_create, api_token_revoke
from .models import (
    Account,
    ActionItem,
    ApiToken,
    BackgroundJob,
    Contact,
    EngagementCycle,
    MarketSegment,
    Milestone,
    Offering,
    OrganisationProfile,
    Team,
)


@admin.register(OrganisationProfile)
class OrganisationProfileAdmin(SimpleHistoryAdmin):
    list_display = ["name", "fiscal_year_start_month"]

    def has_add_permission(self, request):
        # One organisation per installation.
        return not OrganisationProfile.objects.exists() and super().has_add_permission(request)


class EngagementCycleAdminForm(forms.ModelForm):
    class Meta:
        model = EngagementCycle
        fields = ["name", "starts_on", "ends_on"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:  # the checks of the portal's page, next to the fields
            for field, message in services.cycle_open_problems(name=data["name"], starts_on=data["starts_on"],
                                                               ends_on=data["ends_on"], confirmed=True).items():
                self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(EngagementCycle)
class EngagementCycleAdmin(SimpleHistoryAdmin):
    """A new cycle is opened by `services.cycle_open` (milestones, made current, work carried
    forward), like on the portal's page; an existing one can have its name and dates corrected."""

    list_display = ["name", "starts_on", "ends_on", "is_current"]
    form = EngagementCycleAdminForm

    def get_readonly_fields(self, request, obj=None):
        return ["is_current"]  # a cycle becomes current by being opened, never by a tick

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            opened = services.cycle_open(name=obj.name, starts_on=obj.starts_on, ends_on=obj.ends_on,
                                         user=request.user, confirmed=True)
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        obj.pk = opened.cycle.pk
        obj.refresh_from_db()


@admin.register(MarketSegment)
class MarketSegmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "parent"]
    search_fields = ["name"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "naics_code", "zip_code", "segment", "lifecycle_stage", "owner"]
    list_filter = ["kind", "lifecycle_stage", "segment"]
    search_fields = ["name", "naics_code", "zip_code"]
    list_select_related = ["segment__parent", "owner"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "account", "title", "decision_role", "email"]
    search_fields = ["name", "email", "account__name"]
    list_select_related = ["account"]


@admin.register(Offering)
class OfferingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "status", "price", "unit"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    filter_horizontal = ["members"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["cycle", "number", "state", "submitted_by", "decided_by"]
    list_filter = ["cycle", "state"]
    # Decisions are taken on the main page, where the order rule and the locks apply.
    readonly_fields = ["state", "submitted_by", "submitted_at", "decided_by", "decided_at",
                       "decision_reason", "evidence"]


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ["description", "state", "progress", "started_by", "created_at"]
    list_filter = ["state", "kind"]
    exclude = ["input_data"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """REST export tokens: the key is shown once, when the token is added; revoke, never edit."""

    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    fields = ["name", "user"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        token, key = api_token_create(user=obj.user, name=obj.name)
        obj.pk = token.pk
        self.message_user(request, f"Token {token} created. Copy the key now, it is not shown again: {key}")

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["description", "source_kind", "owner", "due_on", "status"]
    list_filter = ["source_kind", "status"]
    raw_id_fields = ["owner", "created_by"]
