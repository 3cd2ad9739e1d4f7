"""
The Django admin's visit pages. They live in planning, not visits, because saving a
visit here is a planning edit: it goes through planning.services.visit_edit like
the coordinator's pages, with the same version check.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_filters import IsoWeekFilter
from planning.services.visit_edit import visit_update
from visits.admin import BoundedNumbers
from visits.models import Visit, VisitReport
from volunteers.models import Assignment


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


class VisitAdminForm(forms.ModelForm):
    """The visit as the administrator saw it: its version goes back with the form."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Visit
        # The admin class narrows these to what it shows (read-only ones aside).
        fields = [f.name for f in Visit._meta.get_fields() if getattr(f, "editable", False)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version
        self.fields["seen_version"].required = self.instance.pk is not None

    def clean(self) -> dict:
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk is not None and seen is not None:
            stored = Visit.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if seen != stored.first():
                raise forms.ValidationError(
                    _(
                        "Someone else changed this visit while you had it open. Nothing was "
                        "saved; reload the page to see the visit as it is now."
                    )
                )
        return cleaned


@admin.register(Visit)
class VisitAdmin(BoundedNumbers, SimpleHistoryAdmin):
    form = VisitAdminForm
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
        changed = [name for name in form.changed_data if name != "seen_version"]
        if not change or not changed:
            # A new visit, or a save that changes none of its fields (a history
            # revert to the same values): saved as it is, recorded, not edited.
            super().save_model(request, obj, form, change)
            return
        # The same door as the coordinator's pages: planning's edit service, with
        # its version check (VisitAdminForm.clean told a stale form already).
        visit_update(
            visit=obj,
            version=form.cleaned_data["seen_version"],
            changes={name: form.cleaned_data[name] for name in changed},
            user=request.user,
        )
