from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from oe21.cycles import ReadOnlyWhenClosedAdmin

from .models import Campaign, CampaignItem, Comment, EngagementText, FormulaSettings, Opportunity, Touch


class CampaignItemInline(admin.TabularInline):
    model = CampaignItem
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyWhenClosedAdmin, SimpleHistoryAdmin):
    list_display = ["segment", "cycle"]
    inlines = [CampaignItemInline]


@admin.register(EngagementText)
class EngagementTextAdmin(SimpleHistoryAdmin):
    list_display = ["segment", "kind", "touch_number", "medium", "version"]
    list_filter = ["kind", "segment"]


@admin.register(FormulaSettings)
class FormulaSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "points_undecided", "points_interested", "points_evaluating",
                    "points_purchased", "maximum_points"]

    def has_add_permission(self, request):
        return not FormulaSettings.objects.exists() and super().has_add_permission(request)


class TouchInline(admin.TabularInline):
    model = Touch
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyWhenClosedAdmin, SimpleHistoryAdmin):
    list_display = ["account", "offering", "salesperson", "lead_source", "status", "cycle"]
    list_filter = ["cycle", "status", "lead_source", "offering"]
    list_select_related = ["account", "offering", "salesperson", "cycle"]
    inlines = [TouchInline]


@admin.register(Touch)
class TouchAdmin(ReadOnlyWhenClosedAdmin, SimpleHistoryAdmin):
    """The touch log (the portal logs touches on the opportunity page; the admin reads them)."""

    list_display = ["occurred_on", "opportunity", "channel", "direction", "by"]
    list_filter = ["channel", "direction"]
    list_select_related = ["opportunity__account", "opportunity__offering", "by"]
    raw_id_fields = ["opportunity", "by"]


admin.site.register(Comment, SimpleHistoryAdmin)
