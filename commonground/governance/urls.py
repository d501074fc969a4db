from django.urls import path

from commonground.governance import views

app_name = "governance"

P = "c/<slug:coalition_slug>/governance/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "power/", views.power, name="power"),
    path(P + "power/target/", views.target, name="target"),
    path(P + "bodies/new/", views.body_new, name="body_new"),
    path(P + "bodies/<int:body_id>/edit/", views.body_edit, name="body_edit"),
    path(P + "bodies/<int:body_id>/seats/new/", views.seat_new, name="seat_new"),
    path(P + "seats/<int:seat_id>/edit/", views.seat_edit, name="seat_edit"),
    path(P + "meetings/", views.meetings, name="meetings"),
    path(P + "meetings/new/", views.meeting_new, name="meeting_new"),
    path(P + "meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path(P + "meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path(
        P + "meetings/<int:meeting_id>/minutes/edit/",
        views.meeting_minutes_edit,
        name="meeting_minutes_edit",
    ),
    path(
        P + "meetings/<int:meeting_id>/attendance/",
        views.meeting_attendance,
        name="meeting_attendance",
    ),
    path(P + "meetings/<int:meeting_id>/motions/", views.motion_new, name="motion_new"),
    path(P + "motions/<int:motion_id>/vote/", views.motion_vote, name="motion_vote"),
    path(P + "motions/<int:motion_id>/roll-call/", views.motion_roll_call, name="motion_roll_call"),
    path(P + "motions/<int:motion_id>/close/", views.motion_close, name="motion_close"),
    path(P + "decisions/", views.decisions, name="decisions"),
    path(P + "decisions/heard/", views.heard, name="heard"),
    path(P + "decisions/<int:decision_id>/", views.decision, name="decision"),
    path(P + "decisions/<int:decision_id>/reopen/", views.decision_reopen, name="decision_reopen"),
    path(P + "decisions/<int:decision_id>/edit/", views.decision_edit, name="decision_edit"),
    path(P + "decisions/<int:decision_id>/actions/", views.decision_action, name="decision_action"),
    path(P + "agreements/", views.agreements, name="agreements"),
    path(P + "agreements/new/", views.agreement_new, name="agreement_new"),
    path(P + "agreements/<int:agreement_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path(P + "agreements/<int:agreement_id>/file/", views.agreement_file, name="agreement_file"),
    path(P + "actions/", views.actions, name="actions"),
    path(P + "actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path(P + "policies/", views.policies, name="policies"),
    path(P + "policies/new/", views.policy_new, name="policy_new"),
    path(P + "policies/<int:policy_id>/edit/", views.policy_edit, name="policy_edit"),
]
