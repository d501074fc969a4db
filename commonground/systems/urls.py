from django.urls import path

from commonground.systems import views

app_name = "systems"

P = "c/<slug:coalition_slug>/systems/"
urlpatterns = [
    path(P, views.system_map, name="map"),
    path(P + "loops/", views.loop_list, name="loops"),
    path(P + "export/<slug:systems_export>/<slug:systems_format>/", views.export, name="export"),
    path(P + "factors/new/", views.factor_new, name="factor_new"),
    path(P + "factors/<int:factor_id>/", views.factor_edit, name="factor_edit"),
    path(P + "factors/<int:factor_id>/delete/", views.factor_delete, name="factor_delete"),
    path(P + "links/new/", views.link_new, name="link_new"),
    path(P + "links/<int:causal_link_id>/", views.link_edit, name="link_edit"),
    path(P + "links/<int:causal_link_id>/delete/", views.link_delete, name="link_delete"),
    path(P + "assets/", views.asset_map, name="assets"),
    path(P + "assets/new/", views.asset_new, name="asset_new"),
    path(P + "assets/layer/", views.asset_layer, name="asset_layer"),
    path(P + "assets/from-actors/", views.assets_from_actors, name="assets_from_actors"),
    path(P + "assets/<int:asset_id>/", views.asset_edit, name="asset_edit"),
    path(P + "assets/<int:asset_id>/delete/", views.asset_delete, name="asset_delete"),
    path(P + "anchors/", views.anchors, name="anchors"),
    path(P + "anchors/new/", views.commitment_new, name="commitment_new"),
    path(P + "anchors/<int:commitment_id>/", views.commitment_edit, name="commitment_edit"),
    path(
        P + "anchors/<int:commitment_id>/progress/", views.progress_record, name="progress_record"
    ),
]
