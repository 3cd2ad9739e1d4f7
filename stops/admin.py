from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from stops.models import CentreSite, Funder, Region, Stop, Van
from visits.models import VisitPattern


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "centre_count"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(centre_count=Count("centres"))

    @admin.display(description=_("centres"), ordering="centre_count")
    def centre_count(self, obj: Region) -> int:
        return obj.centre_count


class StopInline(admin.TabularInline):
    model = Stop
    fields = ["roster_position", "community", "venue_name", "venue_kind", "slug", "active"]
    ordering = ["roster_position"]
    extra = 0
    show_change_link = True
    prepopulated_fields = {"slug": ["community"]}


class VanInline(admin.TabularInline):
    model = Van
    fields = ["name", "seats", "active"]
    extra = 0


@admin.register(CentreSite)
class CentreSiteAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "town",
        "municipality",
        "region",
        "stop_count",
        "weekly_people_target",
        "active",
    ]
    list_filter = ["region", "active"]
    list_select_related = ["region"]
    search_fields = ["name", "town", "municipality"]
    filter_horizontal = ["coordinators"]
    inlines = [VanInline, StopInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stop_count=Count("stops"))

    @admin.display(description=_("stops"), ordering="stop_count")
    def stop_count(self, obj: CentreSite) -> int:
        return obj.stop_count


class VisitPatternInline(admin.TabularInline):
    model = VisitPattern
    fields = VisitPattern.SCHEDULE_FIELDS
    extra = 0


@admin.register(Stop)
class StopAdmin(SimpleHistoryAdmin):
    list_display = [
        "community",
        "venue_name",
        "venue_kind",
        "centre",
        "roster_position",
        "municipality",
        "coverage",
        "active",
    ]
    list_filter = ["centre__region", "centre", "venue_kind", "coverage", "active"]
    list_select_related = ["centre"]
    search_fields = ["community", "venue_name", "address", "municipality", "slug"]
    prepopulated_fields = {"slug": ["community"]}
    autocomplete_fields = ["centre"]
    ordering = ["centre__name", "roster_position"]
    inlines = [VisitPatternInline]


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "grant_reference", "start_date", "end_date"]
    list_filter = ["centres__region"]
    search_fields = ["name", "grant_reference"]
    filter_horizontal = ["centres", "stops", "readers"]
    date_hierarchy = "start_date"
