from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from oe21.cycles import ReadOnlyWhenClosedAdmin

from .models import Complaint, CustomerRating, Measure, MeasureEntry, ReviewMeeting


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "unit", "direction", "target", "frequency", "breakdown", "source", "is_selected"]
    list_filter = ["kind", "source", "is_selected"]


@admin.register(MeasureEntry)
class MeasureEntryAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "period", "breakdown_key", "value", "origin"]
    list_filter = ["measure", "origin"]


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(ReadOnlyWhenClosedAdmin, SimpleHistoryAdmin):
    list_display = ["month", "held_on", "cycle"]


admin.site.register(Complaint, SimpleHistoryAdmin)
admin.site.register(CustomerRating, SimpleHistoryAdmin)
