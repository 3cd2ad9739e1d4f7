from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_filters import IsoWeekFilter
from visits.forms import model_bounds
from visits.holidays import holiday_fields
from visits.models import (
    HomeVisit,
    HomeVisitReferral,
    ReportReferral,
    ServiceType,
    Visit,
    VisitPattern,
    VisitReport,
)
from volunteers.models import Assignment


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


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["volunteer", "role", "confirmed", "checked_in_at"]
    autocomplete_fields = ["volunteer"]
    extra = 0


class VisitReportInline(BoundedNumbers, admin.StackedInline):
    model = VisitReport
    fields = [
        ("people_met", "new_people"),
        ("meals", "food_bags", "clothing_items", "other_items"),
        "volunteer_minutes",
        "note",
        ("submitted_by", "submitted_at"),
        "submission_id",
        "version",
    ]
    readonly_fields = ["submission_id", "version"]
    raw_id_fields = ["submitted_by"]
    extra = 0
    max_num = 1
    can_delete = False
    show_change_link = True


@admin.register(Visit)
class VisitAdmin(BoundedNumbers, SimpleHistoryAdmin):
    list_display = [
        "date",
        "start_time",
        "end_time",
        "stop",
        "centre",
        "status",
        "is_holiday",
        "has_report",
        "from_pattern",
    ]
    list_filter = [
        IsoWeekFilter,
        "status",
        "stop__centre__region",
        "stop__centre",
        "is_holiday",
        "is_edited",
    ]
    list_select_related = ["stop__centre", "report"]
    search_fields = ["stop__community", "stop__venue_name", "cancel_reason", "note"]
    date_hierarchy = "date"
    autocomplete_fields = ["stop"]
    raw_id_fields = ["pattern"]
    readonly_fields = [
        "pattern_date",
        "cancelled_with_stop",
        "version",
        "created_at",
        "updated_at",
    ]
    inlines = [AssignmentInline, VisitReportInline]
    ordering = ["-date", "start_time"]
    list_per_page = 50

    @admin.display(description=_("centre"), ordering="stop__centre__name")
    def centre(self, obj: Visit) -> str:
        return obj.stop.centre.name

    @admin.display(description=_("report"), boolean=True)
    def has_report(self, obj: Visit) -> bool:
        return hasattr(obj, "report")

    @admin.display(description=_("from pattern"), boolean=True)
    def from_pattern(self, obj: Visit) -> bool:
        return not obj.is_ad_hoc

    def save_model(self, request, obj: Visit, form, change: bool) -> None:
        if change and form.changed_data:
            # A visit changed by hand is no longer the pattern's to regenerate.
            obj.is_edited = True
            obj.version += 1
        if "date" in form.changed_data:
            # The holiday flag follows the date, as when a coordinator moves a visit.
            for name, value in holiday_fields(obj.date).items():
                setattr(obj, name, value)
        if {"status", "cancel_reason"} & set(form.changed_data):
            # Cancelled, restored or given a reason by a person: putting the stop
            # back on the roster no longer decides this visit.
            obj.cancelled_with_stop = False
        super().save_model(request, obj, form, change)


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
