from django.urls import path

from funders import views

app_name = "funders"

urlpatterns = [
    path("funders/<int:funder_id>/report/", views.report, name="report"),
    path("funders/reports/<int:job_id>/", views.job, name="job"),
    path("funders/reports/<int:job_id>/report.pdf", views.job_pdf, name="job_pdf"),
]
