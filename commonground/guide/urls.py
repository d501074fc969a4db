from django.urls import path

from commonground.guide import views

app_name = "guide"

urlpatterns = [
    path("", views.index, name="index"),
    path("pillars/<slug:item_id>/", views.pillar, name="pillar"),
    path("stages/<slug:item_id>/", views.stage, name="stage"),
    path("roles/<slug:item_id>/", views.role, name="role"),
]
