from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.access import is_administrator
from core.admin_filters import IsoWeekFilter
from volunteers.gdpr import volunteer_anonymise
from volunteers.models import Assignment, Volunteer

# The private calendar feed's secret: whoever knows it reads the volunteer's shifts.
SUPERUSER_ONLY_FIELDS = frozenset({"calendar_token"})


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
    actions = ["anonymise"]

    def get_readonly_fields(self, request, obj=None):
        """The calendar secret is shown (never editable) to superusers only."""
        fields = super().get_readonly_fields(request, obj)
        if is_administrator(request.user):
            return fields
        return [name for name in fields if name not in SUPERUSER_ONLY_FIELDS]

    def has_anonymise_permission(self, request) -> bool:
        return is_administrator(request.user)

    @admin.action(description=_("Anonymise (the volunteer has left)"), permissions=["anonymise"])
    def anonymise(self, request, queryset):
        """Asks first; then wipes who they were and keeps their hours as statistics."""
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/volunteers/anonymise_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Anonymise volunteers?"),
                    "volunteers": queryset.select_related("home_centre"),
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        done = [volunteer_anonymise(volunteer=v, by=request.user) for v in queryset]
        self.message_user(
            request,
            ngettext(
                "%(count)d volunteer was anonymised.",
                "%(count)d volunteers were anonymised.",
                len(done),
            )
            % {"count": len(done)},
            messages.SUCCESS,
        )
        return None


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
