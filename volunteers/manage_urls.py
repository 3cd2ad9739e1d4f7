"""The coordinator's volunteer pages and the volunteer's own absences; included by
volunteers/urls.py."""

from django.urls import path

from volunteers import manage_views as views

ONE = "centres/<int:pk>/volunteers/<int:volunteer_pk>/"

urlpatterns = [
    path("centres/<int:pk>/volunteers/new/", views.volunteer_new, name="volunteer_new"),
    path(ONE, views.volunteer_manage, name="volunteer_manage"),
    path(f"{ONE}edit/", views.volunteer_edit, name="volunteer_edit"),
    path(f"{ONE}absences/", views.volunteer_absence_add, name="volunteer_absence_add"),
    path(
        f"{ONE}absences/<int:absence_pk>/delete/",
        views.volunteer_absence_delete,
        name="volunteer_absence_delete",
    ),
    path(
        f"{ONE}qualifications/",
        views.volunteer_qualification_set,
        name="volunteer_qualification_set",
    ),
    path(
        f"{ONE}qualifications/<int:qualification_pk>/delete/",
        views.volunteer_qualification_delete,
        name="volunteer_qualification_delete",
    ),
    path(
        f"{ONE}attendance/<int:assignment_pk>/",
        views.volunteer_attendance,
        name="volunteer_attendance",
    ),
    path("profile/absences/", views.my_absences, name="my_absences"),
    path(
        "profile/absences/<int:absence_pk>/delete/",
        views.my_absence_delete,
        name="my_absence_delete",
    ),
]
