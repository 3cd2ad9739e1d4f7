from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_filters import IsoWeekFilter
from visits.forms import model_bounds
from visits.models import (
    HomeVisit,
    HomeVisitReferral,
    ReportReferral,
    ServiceType,
    VisitPattern,
    VisitReport,
)


class BoundedNumbers:
    """The admin's number fields refuse what their model fields refuse (visits.forms.
    model_bounds), before the model's own checks compute with the number."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return super().formfield_for_dbfield(
            db_field, request, **{**model_bounds(db_field), **kwargs}
        )


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(VisitPattern)
class VisitPatternAdmin(BoundedNumbers, SimpleHistoryAdmin):
    list_display = [
        "stop",
        "centre",
        "weekday",
        "start_time",
        "duration_minutes",
        "every_n_weeks",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["stop__centre__region", "stop__centre", "weekday", "every_n_weeks"]
    list_select_related = ["stop__centre"]
    search_fields = ["stop__community", "stop__venue_name"]
    autocomplete_fields = ["stop"]

    @admin.display(description=_("centre"), ordering="stop__centre__name")
    def centre(self, obj: VisitPattern) -> str:
        return obj.stop.centre.name


class ReportReferralInline(BoundedNumbers, admin.TabularInline):
    model = ReportReferral
    fields = ["service_type", "count"]
    extra = 0


class VisitWeekFilter(IsoWeekFilter):
    date_field = "visit__date"


@admin.register(VisitReport)
class VisitReportAdmin(BoundedNumbers, SimpleHistoryAdmin):
    list_display = [
        "visit",
        "centre",
        "people_met",
        "new_people",
        "meals",
        "food_bags",
        "volunteer_minutes",
        "submitted_at",
        "version",
    ]
    list_filter = [VisitWeekFilter, "visit__stop__centre__region", "visit__stop__centre"]
    list_select_related = ["visit__stop__centre"]
    search_fields = ["visit__stop__community", "note", "submission_id"]
    raw_id_fields = ["visit", "submitted_by"]
    readonly_fields = ["submission_id", "version", "updated_at"]
    inlines = [ReportReferralInline]

    @admin.display(description=_("centre"), ordering="visit__stop__centre__name")
    def centre(self, obj: VisitReport) -> str:
        return obj.visit.stop.centre.name


class HomeVisitReferralInline(BoundedNumbers, admin.TabularInline):
    model = HomeVisitReferral
    fields = ["service_type", "count"]
    extra = 0


@admin.register(HomeVisit)
class HomeVisitAdmin(BoundedNumbers, SimpleHistoryAdmin):
    list_display = ["date", "centre", "duration_minutes", "volunteer", "submitted_at"]
    list_filter = [IsoWeekFilter, "centre__region", "centre"]
    list_select_related = ["centre", "volunteer"]
    search_fields = ["centre__name", "note"]
    date_hierarchy = "date"
    raw_id_fields = ["volunteer", "submitted_by"]
    readonly_fields = ["submission_id"]
    inlines = [HomeVisitReferralInline]
