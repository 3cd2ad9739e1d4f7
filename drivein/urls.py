from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from drivein import health, views
from volunteers import gdpr_views as volunteers_gdpr

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("planning.urls")),
    path("", include("public_pages.urls")),
    path("", include("volunteers.urls")),
    path("", include("shifts.urls")),
    path("api/", include("api.urls")),
    path("profile/data.json", volunteers_gdpr.my_data, name="volunteer_data"),
    path("", include("webpush.urls")),
    path("", include("reach.urls")),
    path("", include("funders.urls")),
    path("", include("notifications.urls")),
]

if settings.BENCH:
    # The benchmark's own page, imported only when the benchmark serves (BENCH).
    from bench import views as bench_views

    urlpatterns.append(path("bench/floor/", bench_views.floor, name="bench_floor"))

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
