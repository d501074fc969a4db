from django.urls import path

from commonground.coalitions import views

app_name = "coalitions"

urlpatterns = [
    path("coalitions/", views.choose, name="choose"),
    path("coalitions/new/", views.new, name="new"),
    path("invite/<str:token>/", views.accept, name="accept"),
    path("c/<slug:coalition_slug>/", views.home, name="home"),
    path("c/<slug:coalition_slug>/profile/", views.profile, name="profile"),
    path("c/<slug:coalition_slug>/profile/edit/", views.profile_edit, name="profile_edit"),
    path("c/<slug:coalition_slug>/members/", views.members, name="members"),
    path("c/<slug:coalition_slug>/members/invite/", views.invite, name="invite"),
    path(
        "c/<slug:coalition_slug>/members/<int:membership_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "c/<slug:coalition_slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "c/<slug:coalition_slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("c/<slug:coalition_slug>/activity/", views.audit, name="audit"),
    path("c/<slug:coalition_slug>/export/", views.exports_page, name="exports"),
    path(
        "c/<slug:coalition_slug>/export/<int:export_id>/",
        views.export_detail,
        name="export_detail",
    ),
    path(
        "c/<slug:coalition_slug>/export/<int:export_id>/download/",
        views.export_download,
        name="export_download",
    ),
]
