from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionPlanTask, OfferingCost, OfferingDecision, OfferingDocument, PortfolioSettings, RequirementSpec


@admin.register(RequirementSpec)
class RequirementSpecAdmin(SimpleHistoryAdmin):
    list_display = ["offering", "version", "status", "approved_by"]
    list_filter = ["status", "offering"]


@admin.register(OfferingDocument)
class OfferingDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["offering", "kind", "version", "original_name", "size", "uploaded_by"]
    readonly_fields = ["file", "sha256", "size"]


@admin.register(PortfolioSettings)
class PortfolioSettingsAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return not PortfolioSettings.objects.exists() and super().has_add_permission(request)


admin.site.register(OfferingCost, SimpleHistoryAdmin)
admin.site.register(OfferingDecision, SimpleHistoryAdmin)
admin.site.register(ActionPlanTask, SimpleHistoryAdmin)
