from django.urls import path

from planning import public_views, roster_views, views

app_name = "planning"

urlpatterns = [
    path("planning/", views.my_centres, name="my_centres"),
    # The week and its visits
    path("centres/<int:centre_id>/week/", views.week, name="week"),
    path("centres/<int:centre_id>/week/print/", views.week_print, name="week_print"),
    path("centres/<int:centre_id>/week/generate/", views.generate, name="generate"),
    path("centres/<int:centre_id>/visits/new/", views.visit_add, name="visit_add"),
    path("centres/<int:centre_id>/visits/<int:visit_id>/", views.visit_detail, name="visit"),
    path(
        "centres/<int:centre_id>/visits/<int:visit_id>/move/", views.visit_move, name="visit_move"
    ),
    path(
        "centres/<int:centre_id>/visits/<int:visit_id>/cancel/",
        views.visit_cancel,
        name="visit_cancel",
    ),
    path(
        "centres/<int:centre_id>/visits/<int:visit_id>/restore/",
        views.visit_restore,
        name="visit_restore",
    ),
    path(
        "centres/<int:centre_id>/visits/<int:visit_id>/held/",
        views.visit_held,
        name="visit_held",
    ),
    path(
        "centres/<int:centre_id>/visits/<int:visit_id>/people/",
        views.assignment_add,
        name="assignment_add",
    ),
    path(
        "centres/<int:centre_id>/visits/<int:visit_id>/people/<int:assignment_id>/remove/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("centres/<int:centre_id>/visits/<int:visit_id>/van/", views.visit_van, name="visit_van"),
    path("centres/<int:centre_id>/route/<str:day>/", views.route, name="route"),
    # The roster
    path("centres/<int:centre_id>/roster/", roster_views.roster, name="roster"),
    path("centres/<int:centre_id>/roster/move/", roster_views.roster_move, name="roster_move"),
    path("centres/<int:centre_id>/stops/new/", roster_views.stop_add, name="stop_add"),
    path("centres/<int:centre_id>/stops/<int:stop_id>/", roster_views.stop_edit, name="stop_edit"),
    path(
        "centres/<int:centre_id>/stops/<int:stop_id>/active/",
        roster_views.stop_active,
        name="stop_active",
    ),
    path(
        "centres/<int:centre_id>/stops/<int:stop_id>/patterns/new/",
        roster_views.pattern_edit,
        name="pattern_add",
    ),
    path(
        "centres/<int:centre_id>/stops/<int:stop_id>/patterns/<int:pattern_id>/",
        roster_views.pattern_edit,
        name="pattern_edit",
    ),
    # Public
    path("calendar/centre/<int:centre_id>.ics", public_views.centre_feed, name="centre_feed"),
    path("calendar/volunteer/<str:token>.ics", public_views.volunteer_feed, name="volunteer_feed"),
    path("s/<slug:slug>/", public_views.stop_page, name="stop_page"),
    path("s/<slug:slug>/poster/", public_views.stop_poster, name="stop_poster"),
]
