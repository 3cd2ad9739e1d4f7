from django.urls import path

from webpush import views

urlpatterns = [
    path("profile/push/subscribe/", views.subscribe, name="push_subscribe"),
    path("profile/push/unsubscribe/", views.unsubscribe, name="push_unsubscribe"),
]
