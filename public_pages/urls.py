"""
The pages anyone may open without logging in: a stop's page and poster, a centre's
calendar feed and a volunteer's private feed (its token is the key). Included at
the root by drivein/urls.py; the paths are those printed on posters and subscribed
to in calendars, so they never change.
"""

from django.urls import path

from public_pages import views

app_name = "public"

urlpatterns = [
    path("calendar/centre/<int:centre_id>.ics", views.centre_feed, name="centre_feed"),
    path("calendar/volunteer/<str:token>.ics", views.volunteer_feed, name="volunteer_feed"),
    path("s/<slug:slug>/", views.stop_page, name="stop_page"),
    path("s/<slug:slug>/poster/", views.stop_poster, name="stop_poster"),
]
