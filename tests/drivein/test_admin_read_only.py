"""
Leadership reads the admin and changes nothing through it: no path of any
registered model's admin (history revert, actions, inlines, change, add, delete)
saves for a user with only the view permission.
"""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.forms.models import model_to_dict
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.admin_site import WritesNeedPermission
from tests import factories as f
from tests.drivein.test_admin import one_of_everything_else, populate

HISTORY_MODELS = sorted(
    model._meta.label
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, SimpleHistoryAdmin)
)
ALL_MODELS = sorted(model._meta.label for model in admin.site._registry)


@pytest.fixture
def staff_leader_client(client, db):
    """The demo's `ledelse`: staff, in the leadership group, every view permission."""
    from django.contrib.auth.models import Permission

    leader = f.make_leader("ledelse")
    leader.is_staff = True
    leader.save()
    leader.groups.first().permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(leader)
    return client


@pytest.fixture
def world(db):
    populate(1)
    one_of_everything_else()


def post_data(form: forms.Form) -> dict:
    """What a browser would send back for ``form`` as it is shown."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(widget, forms.MultiWidget):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{key}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif isinstance(widget, forms.Select):
            data[key] = "" if value is None else str(value)
        elif value is not None:
            data[key] = str(widget.format_value(value) or "")
    return data


def change_page_data(page) -> dict:
    """What a browser sends back from an admin change page: the form and its inlines."""
    data = post_data(page.context["adminform"].form)
    for formset in page.context["inline_admin_formsets"]:
        data |= post_data(formset.formset.management_form)
        for form in formset.formset.forms:
            data |= post_data(form)
    return data


def model_and_object(label: str):
    from django.apps import apps

    model = apps.get_model(label)
    obj = model._default_manager.first()
    assert obj is not None, label
    return model, obj, f"admin:{model._meta.app_label}_{model._meta.model_name}"


def fresh(obj):
    """The row as it is in the database now."""
    pk = obj._meta.pk.attname
    return type(obj)._default_manager.get(**{pk: getattr(obj, pk)})


def test_every_registered_admin_refuses_writes_the_user_may_not_make():
    """The mechanism: the site mixes the write checks into every model's admin."""
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, WritesNeedPermission), model._meta.label


@pytest.mark.parametrize("label", HISTORY_MODELS)
def test_leadership_cannot_revert_history(world, admin_client, staff_leader_client, label):
    """The revert form saves nothing for leadership; the same POST saves for an admin."""
    _model, obj, name = model_and_object(label)
    version = obj.history.earliest("history_date")
    url = reverse(f"{name}_simple_history", args=[quote(obj.pk), version.pk])
    form = admin_client.get(url).context["adminform"].form
    data = post_data(form)
    before = model_to_dict(fresh(obj))
    rows = obj.history.count()

    response = staff_leader_client.post(url, data)

    assert response.status_code == 403, label
    assert model_to_dict(fresh(obj)) == before, label
    assert obj.history.count() == rows, label
    # The POST was a valid revert: an administrator's saves and adds a history row.
    assert admin_client.post(url, data).status_code == 302, label
    assert obj.history.count() == rows + 1, label


@pytest.mark.parametrize("label", ALL_MODELS)
def test_leadership_cannot_change_add_or_delete_in_the_admin(
    world, admin_client, staff_leader_client, label
):
    model, obj, name = model_and_object(label)
    change_url = reverse(f"{name}_change", args=[quote(obj.pk)])
    data = change_page_data(admin_client.get(change_url))
    before = model_to_dict(obj)
    count = model._default_manager.count()

    assert staff_leader_client.post(change_url, data).status_code == 403, label
    assert staff_leader_client.post(reverse(f"{name}_add"), data).status_code == 403, label
    delete_url = reverse(f"{name}_delete", args=[quote(obj.pk)])
    assert staff_leader_client.post(delete_url, {"post": "yes"}).status_code == 403, label

    assert model_to_dict(fresh(obj)) == before, label
    assert model._default_manager.count() == count, label


@pytest.mark.parametrize("label", ALL_MODELS)
def test_leadership_is_offered_no_action_and_runs_none(world, staff_leader_client, label):
    """Each action the admin has, posted by hand, changes and deletes nothing."""
    from django.test import RequestFactory

    model, obj, name = model_and_object(label)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = _user(staff_leader_client)
    assert list(model_admin.get_actions(request)) == [], label

    every_action = {action.name for action in model_admin._get_base_actions()}
    before = [model_to_dict(o) for o in model._default_manager.order_by("pk")]
    for action in every_action:
        response = staff_leader_client.post(
            reverse(f"{name}_changelist"),
            {"action": action, "_selected_action": [obj.pk], "post": "yes", "confirm": "yes"},
        )
        assert response.status_code in (200, 302, 403), (label, action)
    assert [model_to_dict(o) for o in model._default_manager.order_by("pk")] == before, label


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_an_action_without_permissions_is_offered_only_to_those_who_may_change(
    world, staff_leader_client, admin_user
):
    """django-axes' "clean up expired attempts" names no permission: leadership with
    the view permission on attempts may not run it."""
    from axes.models import AccessAttempt
    from django.test import RequestFactory

    model_admin = admin.site._registry[AccessAttempt]
    request = RequestFactory().get("/admin/")
    request.user = _user(staff_leader_client)
    assert model_admin.has_view_permission(request)
    assert "cleanup_expired_attempts" not in model_admin.get_actions(request)
    request.user = admin_user
    assert "cleanup_expired_attempts" in model_admin.get_actions(request)


def test_leadership_cannot_change_through_an_inline(world, admin_client, staff_leader_client):
    """A centre's stops are edited inline on the centre: nothing of them is saved."""
    from stops.models import CentreSite, Stop

    centre = CentreSite.objects.first()
    stop = centre.stops.get()
    url = reverse("admin:stops_centresite_change", args=[centre.pk])
    page = admin_client.get(url)
    data = change_page_data(page)
    (prefix,) = (
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Stop
    )
    data[f"{prefix}-0-venue_name"] = "Ændret af ledelsen"

    assert staff_leader_client.post(url, data).status_code == 403
    stop.refresh_from_db()
    assert stop.venue_name != "Ændret af ledelsen"
    # The same form saves the inline for an administrator.
    assert admin_client.post(url, data).status_code == 302
    stop.refresh_from_db()
    assert stop.venue_name == "Ændret af ledelsen"


def test_with_reverts_turned_off_not_even_an_administrator_reverts(world, admin_client, settings):
    from stops.models import Stop

    settings.SIMPLE_HISTORY_REVERT_DISABLED = True
    stop = Stop.objects.first()
    url = reverse("admin:stops_stop_simple_history", args=[stop.pk, stop.history.first().pk])
    data = post_data(admin_client.get(url).context["adminform"].form)
    rows = stop.history.count()
    assert admin_client.post(url, data).status_code == 403
    assert stop.history.count() == rows
