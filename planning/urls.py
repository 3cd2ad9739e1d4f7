from django.urls import include, path

from planning import roster_views, views

app_name = "planning"

# Everything under one centre: /centres/<centre_id>/…
centre_patterns = [
    # The week and its visits
    path("week/", views.week, name="week"),
    path("week/print/", views.week_print, name="week_print"),
    path("week/generate/", views.generate, name="generate"),
    path("visits/new/", views.visit_add, name="visit_add"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit"),
    path("visits/<int:visit_id>/move/", views.visit_move, name="visit_move"),
    path(
        "visits/<int:visit_id>/cancel/",
        views.visit_cancel,
        name="visit_cancel",
    ),
    path(
        "visits/<int:visit_id>/restore/",
        views.visit_restore,
        name="visit_restore",
    ),
    path(
        "visits/<int:visit_id>/held/",
        views.visit_held,
        name="visit_held",
    ),
    path(
        "visits/<int:visit_id>/people/",
        views.assignment_add,
        name="assignment_add",
    ),
    path(
        "visits/<int:visit_id>/people/<int:assignment_id>/remove/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("visits/<int:visit_id>/van/", views.visit_van, name="visit_van"),
    path("visits/<int:visit_id>/team/", views.visit_team, name="visit_team"),
    path("route/<str:day>/", views.route, name="route"),
    # The roster
    path("roster/", roster_views.roster, name="roster"),
    path("roster/move/", roster_views.roster_move, name="roster_move"),
    path("roster/approval/", roster_views.places_approval, name="places_approval"),
    path("stops/new/", roster_views.stop_add, name="stop_add"),
    path("stops/<int:stop_id>/", roster_views.stop_edit, name="stop_edit"),
    path(
        "stops/<int:stop_id>/active/",
        roster_views.stop_active,
        name="stop_active",
    ),
    path(
        "stops/<int:stop_id>/patterns/new/",
        roster_views.pattern_edit,
        name="pattern_add",
    ),
    path(
        "stops/<int:stop_id>/patterns/<int:pattern_id>/",
        roster_views.pattern_edit,
        name="pattern_edit",
    ),
]

urlpatterns = [
    path("planning/", views.my_centres, name="my_centres"),
    path("centres/<int:centre_id>/", include(centre_patterns)),
]
