from django.urls import URLPattern, path

from commonground.reports import views

app_name = "reports"
C = "c/<slug:coalition_slug>/reports/"
urlpatterns: list[URLPattern] = [
    path(C, views.report_list, name="list"),
    path(C + "new/", views.report_new, name="new"),
    path(C + "<int:report_id>/", views.report_detail, name="detail"),
    path(C + "<int:report_id>/edit/", views.report_edit, name="edit"),
    path(C + "<int:report_id>/pdf/", views.pdf_start, name="pdf_start"),
    path(C + "<int:report_id>/tables.xlsx", views.report_xlsx, name="xlsx"),
    path(C + "<int:report_id>/charts/<str:chart_id>/<slug:fmt>/", views.chart, name="chart"),
    path(C + "<int:report_id>/publish/", views.publish, name="publish"),
    path(C + "pdfs/<int:pdf_job_id>/", views.pdf_job, name="pdf_job"),
    path(C + "pdfs/<int:pdf_job_id>/download/", views.pdf_download, name="pdf_download"),
    path(C + "versions/<int:report_version_id>/", views.version_detail, name="version"),
    path(C + "versions/<int:report_version_id>/public/", views.make_public, name="make_public"),
    path(C + "public-page/take-down/", views.unpublish, name="unpublish"),
    path(C + "sharing/", views.sharing, name="sharing"),
    path("p/<slug:public_slug>/", views.public_page, name="public"),
    path("p/<slug:public_slug>/report.pdf", views.public_pdf, name="public_pdf"),
    path("funders/", views.funder_list, name="funder_list"),
    path("funders/<slug:intermediary_slug>/", views.funder_view, name="funder"),
]
