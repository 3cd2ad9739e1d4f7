from django.urls import path

from reach import views

app_name = "reach"

urlpatterns = [
    path("reach/", views.dashboard, name="dashboard"),
    path("reach/export.csv", views.export_csv, name="export_csv"),
    path("reach/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
