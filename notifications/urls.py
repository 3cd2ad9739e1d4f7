from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("profile/notifications/", views.preferences_save, name="preferences"),
    path("centres/<int:centre_id>/notifications/failed/", views.failed_list, name="failed"),
]
