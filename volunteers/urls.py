"""The volunteers' pages; included at the root by drivein/urls.py."""

from django.urls import include, path

from volunteers import views

urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/bundle.json", views.today_bundle, name="today_bundle"),
    path("visits/report-form/", views.report_form_shell, name="report_form_shell"),
    path("visits/<int:pk>/report/", views.visit_report, name="visit_report"),
    path("visits/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("home-visits/new/", views.home_visit_new, name="home_visit_new"),
    path("profile/", views.profile, name="profile"),
    path("profile/calendar-link/", views.calendar_token_reset, name="calendar_token_reset"),
    path("accounts/link/", views.link_login, name="link_login"),
    path("volunteers/", views.my_centres_volunteers, name="my_centres_volunteers"),
    path("centres/<int:pk>/volunteers/", views.centre_volunteer_list, name="centre_volunteers"),
    path(
        "centres/<int:pk>/volunteers/<int:volunteer_pk>/login-link/",
        views.send_login_link,
        name="send_login_link",
    ),
    path("", include("volunteers.manage_urls")),
    path("offline/", views.offline_page, name="offline"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
