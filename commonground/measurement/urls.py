from django.urls import path

from commonground.measurement import views

app_name = "measurement"

P = "c/<slug:coalition_slug>/measurement/"
# Health-status pages share the "health/" prefix so the "Health status" tab stays current
# on all of them (and only on them).
H = P + "health/"
urlpatterns = [
    path(H, views.dashboard, name="dashboard"),
    path(H + "indicators/", views.indicator_list, name="indicator_list"),
    path(H + "indicators/<int:indicator_id>/", views.explorer, name="explorer"),
    path(
        H + "indicators/<int:indicator_id>/releases/",
        views.release_period,
        name="release_period",
    ),
    path(
        H + "indicators/<int:indicator_id>/releases/<int:indicator_release_id>/reopen/",
        views.release_reopen,
        name="release_reopen",
    ),
    path(H + "map/", views.county_map, name="map"),
    path(H + "targets/new/", views.target_new, name="target_new"),
    path(P + "framework/", views.framework, name="framework"),
    path(P + "framework/results/<int:result_id>/", views.result_detail, name="result_detail"),
    path(P + "framework/results/<int:result_id>/edit/", views.result_edit, name="result_edit"),
    path(
        P + "framework/measures/<int:measure_id>/values/",
        views.measure_value,
        name="measure_value",
    ),
    path(P + "imports/", views.imports, name="imports"),
    path(P + "imports/check/<uuid:upload_id>/", views.import_check, name="import_check"),
    path(
        P + "imports/check/<uuid:upload_id>/discard/",
        views.import_discard,
        name="import_discard",
    ),
    path(P + "imports/<int:job_id>/", views.import_detail, name="import_detail"),
    path(P + "imports/<int:job_id>/retry/", views.import_retry, name="import_retry"),
]
