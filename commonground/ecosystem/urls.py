from django.urls import path

from commonground.ecosystem import views

app_name = "ecosystem"

C = "c/<slug:coalition_slug>/ecosystem/"

urlpatterns = [
    path(C, views.network_map, name="map"),
    path(C + "scores/", views.scores, name="scores"),
    path(C + "missing/", views.missing, name="missing"),
    path(C + "actors/", views.actor_list, name="actor_list"),
    path(C + "actors/new/", views.actor_new, name="actor_new"),
    path(C + "actors/<int:actor_id>/", views.actor_detail, name="actor_detail"),
    path(C + "actors/<int:actor_id>/edit/", views.actor_edit, name="actor_edit"),
    path(C + "actors/<int:actor_id>/delete/", views.actor_delete, name="actor_delete"),
    path(C + "actors/archived/", views.actor_archive, name="actor_archive"),
    path(C + "actors/<int:actor_id>/restore/", views.actor_restore, name="actor_restore"),
    path(C + "ties/new/", views.tie_new, name="tie_new"),
    path(C + "ties/<int:tie_id>/edit/", views.tie_edit, name="tie_edit"),
    path(C + "ties/<int:tie_id>/delete/", views.tie_delete, name="tie_delete"),
    path(C + "surveys/", views.survey_list, name="survey_list"),
    path(C + "surveys/<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path(C + "surveys/<int:survey_id>/close/", views.survey_close, name="survey_close"),
    path(
        C + "surveys/<int:survey_id>/links/<int:link_id>/renew/",
        views.survey_link,
        name="survey_link",
    ),
    path(C + "surveys/<int:survey_id>/remind/", views.survey_remind, name="survey_remind"),
    path(C + "surveys/<int:survey_id>/links.csv", views.survey_links_csv, name="survey_links_csv"),
    path(C + "surveys/mine/", views.my_surveys, name="my_surveys"),
    path(C + "surveys/answer/<int:link_id>/", views.survey_answer, name="survey_answer"),
    path(C + "power-map/", views.power_map, name="power_map"),
    path(C + "power-map/place/", views.power_map_place, name="power_map_place"),
    path(C + "snapshots/", views.snapshots, name="snapshots"),
    path(C + "snapshots/new/", views.snapshot_new, name="snapshot_new"),
    path(C + "export/network/<str:network_format>/", views.network_export, name="network_export"),
    path(C + "export/data/<str:data_format>/", views.data_export, name="data_export"),
    path(C + "import/", views.data_import, name="data_import"),
    path("network-survey/<str:survey_token>/", views.respond, name="respond"),
]
