from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from drivein.admin_filters import IsoWeekFilter
from volunteers.models import Assignment, Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "home_centre",
        "phone",
        "email",
        "is_driver",
        "is_host",
        "is_local_staff",
        "is_adviser",
        "available_weekdays",
        "active",
    ]
    list_filter = [
        "home_centre__region",
        "home_centre",
        "active",
        "is_driver",
        "is_host",
        "is_local_staff",
        "is_adviser",
    ]
    list_select_related = ["home_centre"]
    search_fields = ["name", "phone", "email"]
    autocomplete_fields = ["home_centre"]
    raw_id_fields = ["user"]
    readonly_fields = ["calendar_token", "anonymised_at", "created_at"]


class AssignmentWeekFilter(IsoWeekFilter):
    date_field = "visit__date"


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["visit", "volunteer", "role", "confirmed", "checked_in_at"]
    list_filter = [AssignmentWeekFilter, "role", "confirmed", "visit__stop__centre"]
    list_select_related = ["visit__stop", "volunteer"]
    search_fields = ["volunteer__name", "visit__stop__community"]
    autocomplete_fields = ["volunteer"]
    raw_id_fields = ["visit"]
