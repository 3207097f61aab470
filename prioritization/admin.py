from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from oe21.cycles import ReadOnlyWhenClosedAdmin

from .models import Assessment, Criterion, Rating


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "weight", "position", "is_active"]
    list_editable = ["position", "is_active"]  # weights change as a version, on the portal's Weights page


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyWhenClosedAdmin, SimpleHistoryAdmin):
    list_display = ["account", "offering", "cycle", "respondent_name"]
    list_filter = ["cycle", "offering"]
    list_select_related = ["account", "offering", "cycle"]
    inlines = [RatingInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        Assessment.objects.filter(pk=form.instance.pk).rescore()
