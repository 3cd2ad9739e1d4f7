"""Admin list filters shared by the apps."""

import datetime as dt

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.weeks import InvalidWeek, IsoWeek


class IsoWeekFilter(admin.SimpleListFilter):
    """Filter by ISO week (2026-W48): the last 12 weeks and the next 8 are offered."""

    title = _("week")
    parameter_name = "week"
    date_field = "date"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        this_week = IsoWeek.current()
        weeks = [this_week.shift(offset) for offset in range(8, -13, -1)]
        return [
            (str(week), f"{week} ({week.monday:%d.%m.}–{week.sunday:%d.%m.})") for week in weeks
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        try:
            week = IsoWeek.parse(value)
        except InvalidWeek:
            return queryset.none()
        return queryset.filter(
            **{
                f"{self.date_field}__gte": week.monday,
                f"{self.date_field}__lt": week.monday + dt.timedelta(days=7),
            }
        )
