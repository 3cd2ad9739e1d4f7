from django.contrib import admin
from django.urls import include, path

from drivein import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("reach.urls")),
]

handler400 = "drivein.errors.bad_request"
handler403 = "drivein.errors.permission_denied"
handler404 = "drivein.errors.page_not_found"
handler500 = "drivein.errors.server_error"
