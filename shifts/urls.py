"""The shifts pages; included at the root by drivein/urls.py."""

from django.urls import path

from shifts import offer_links, views

app_name = "shifts"

urlpatterns = [
    path("shifts/", views.mine, name="mine"),
    path("shifts/open/", views.open_places, name="open"),
    path("shifts/<int:pk>/answer/", views.answer, name="answer"),
    path("shifts/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("shifts/open/<int:visit_pk>/take/", views.take, name="take"),
    path("shifts/offers/<int:pk>/", views.offer, name="offer"),
    path("shifts/offers/take/<str:token>/", offer_links.offer_link, name="offer_link"),
    path("shifts/offers/<int:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("shifts/hand-overs/<int:pk>/answer/", views.hand_over_answer, name="hand_over_answer"),
    path("centres/<int:centre_id>/places/", views.week_places, name="week_places"),
    path(
        "centres/<int:centre_id>/places/requests/<int:pk>/",
        views.request_decide,
        name="request_decide",
    ),
]
