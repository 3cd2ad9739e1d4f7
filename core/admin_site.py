"""
The admin site: every registered model's admin saves only for a user allowed to.

Django checks the change, add and delete permissions in its own views, but not
every path that writes goes through them: django-simple-history's revert form
(``…/history/<id>/``) saves a valid POST after checking only the view permission,
and an action declared without ``permissions`` runs for anyone who may view the
list. ``DriveinAdminSite.register`` mixes ``WritesNeedPermission`` into every
ModelAdmin, ours and the installed apps' alike, so the check sits at the save
itself, whichever view calls it; and ``AsciiNumbers`` into them and their inlines,
so that numbers and ids are read as the rest of the site reads them
(``core.fields``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from core.fields import ascii_form_class

if TYPE_CHECKING:
    # The mixins' hosts, for the type checker: a ModelAdmin, or simple-history's (the
    # revert form), which has no types of its own.
    from simple_history.admin import SimpleHistoryAdmin as _HistoryAdmin

    _ModelAdmin = admin.ModelAdmin
else:
    _HistoryAdmin = _ModelAdmin = object


class WritesNeedPermission(_HistoryAdmin):
    """Refuses every admin write that the user's permissions do not cover (403)."""

    def _require(self, allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            self._require(self.has_change_permission(request, obj))
        else:
            self._require(self.has_add_permission(request))
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Inlines and many-to-many fields are saved with their parent object.
        if change:
            self._require(self.has_change_permission(request, form.instance))
        else:
            self._require(self.has_add_permission(request))
        super().save_related(request, form, formsets, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._require(self.has_delete_permission(request, obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        self._require(self.has_delete_permission(request))
        super().delete_queryset(request, queryset)

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict:
        """An action that names no permission is offered only to those who may change
        (on the list and on the change form alike)."""
        actions = super().get_actions(request, action_location=action_location)
        if self.has_change_permission(request):
            return actions
        return {
            name: action
            for name, action in actions.items()
            if getattr(action.func, "allowed_permissions", ())
        }

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, **kwargs):
        """A revert is a change: refused unless the user may change (or reverts are off)."""
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            self._require(
                not self.revert_disabled(request, obj) and self.has_change_permission(request, obj)
            )
        return super().history_form_view(request, object_id, version_id, **kwargs)


class AsciiNumbers(_ModelAdmin):
    """Whole numbers and ids typed in the admin are read in the digits 0–9 only."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        form_class = ascii_form_class(db_field)
        if form_class is not None:
            kwargs.setdefault("form_class", form_class)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _with(mixins: tuple[type, ...], cls: type, **attrs) -> type:
    """``cls`` with ``mixins`` in front (the same class when it has them all)."""
    missing = tuple(mixin for mixin in mixins if not issubclass(cls, mixin))
    if not missing and not attrs:
        return cls
    return type(
        cls.__name__,
        (*missing, cls),
        {"__module__": cls.__module__, "__doc__": cls.__doc__, **attrs},
    )


class DriveinAdminSite(admin.AdminSite):
    """Django's admin site: every model's admin gets ``WritesNeedPermission`` and
    ``AsciiNumbers``, and each of its inlines ``AsciiNumbers``."""

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        admin_class = admin_class or admin.ModelAdmin
        inlines = [_with((AsciiNumbers,), inline) for inline in admin_class.inlines]
        admin_class = _with((WritesNeedPermission, AsciiNumbers), admin_class, inlines=inlines)
        super().register(model_or_iterable, admin_class, **options)


class DriveinAdminConfig(AdminConfig):
    """Django's admin on the Drive-in site (INSTALLED_APPS names this, not the admin)."""

    default_site = "core.admin_site.DriveinAdminSite"
