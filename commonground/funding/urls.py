from django.urls import URLPattern, path

from commonground.funding import views

app_name = "funding"
P = "c/<slug:coalition_slug>/funding/"
urlpatterns: list[URLPattern] = [
    path(P, views.overview, name="overview"),
    path(P + "sources/", views.source_list, name="sources"),
    path(P + "sources/new/", views.source_new, name="source_new"),
    path(P + "sources/<int:funding_source_id>/", views.source_detail, name="source_detail"),
    path(P + "sources/<int:funding_source_id>/edit/", views.source_edit, name="source_edit"),
    path(P + "sources/<int:funding_source_id>/amounts/", views.amount_add, name="amount_add"),
    path(P + "amounts/<int:funding_amount_id>/remove/", views.amount_remove, name="amount_remove"),
    path(
        P + "sources/<int:funding_source_id>/requirements/",
        views.requirement_add,
        name="requirement_add",
    ),
    path(P + "sources/<int:funding_source_id>/reports/", views.report_add, name="report_add"),
    path(
        P + "reports/<int:funder_report_id>/submitted/",
        views.report_submit,
        name="report_submit",
    ),
    path(P + "shared/", views.distribution, name="distribution"),
    path(P + "shared/new/", views.disbursement_new, name="disbursement_new"),
    path(
        P + "shared/<int:disbursement_id>/edit/",
        views.disbursement_edit,
        name="disbursement_edit",
    ),
    path(P + "budget/", views.budget, name="budget"),
    path(P + "budget/new/", views.budget_new, name="budget_new"),
    path(
        P + "budget/<int:funding_budget_id>/lines/", views.budget_line_add, name="budget_line_add"
    ),
    path(P + "calendar/", views.calendar, name="calendar"),
    path(P + "settings/", views.visibility, name="settings"),
    path(P + "export/", views.export, name="export"),
]
