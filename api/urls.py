from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import people, shifts, views
from api.docs import SwaggerView

# SimpleRouter: no browsable root and no ".json" suffix routes, only what we document.
router = SimpleRouter(trailing_slash=True)
router.register("centres", views.CentreViewSet, basename="centre")
router.register("stops", views.StopViewSet, basename="stop")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("home-visits", views.HomeVisitViewSet, basename="homevisit")
router.register("absences", people.AbsenceViewSet, basename="absence")
router.register("qualifications", people.QualificationViewSet, basename="qualification")

router.register("shifts", shifts.ShiftViewSet, basename="shift")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/reach/", views.ReachView.as_view(), name="reach"),
    path("v1/open-places/", shifts.OpenPlacesView.as_view(), name="open-places"),
    path("v1/open-places/take/", shifts.TakeView.as_view(), name="open-places-take"),
    re_path(
        rf"^v1/offers/(?P<pk>{shifts.ID_PATH})/accept/$",
        shifts.OfferAcceptView.as_view(),
        name="offer-accept",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Any other address under v1/ (say /visits/abc/report/, which no id pattern
    # matches) is a JSON 404 as the schema promises, also with DEBUG on.
    re_path(r"^v1/.*/$", views.not_found),
]
