from django.urls import path

from reach import quality_views, share_views, views

app_name = "reach"

urlpatterns = [
    path("reach/", views.dashboard, name="dashboard"),
    path("reach/export.csv", views.export_csv, name="export_csv"),
    path("reach/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("reach/quality/", quality_views.quality, name="quality"),
    path("reach/quality/<int:visit_id>/check/", quality_views.quality_check, name="quality_check"),
    path("reach/share/", share_views.share_create, name="share_create"),
    path("shared/<str:token>/", share_views.shared, name="shared"),
]
