from django.urls import path

from commonground.assessments import views

app_name = "assessments"

A = "c/<slug:coalition_slug>/assessments/"
R = "c/<slug:coalition_slug>/roadmap/"

urlpatterns = [
    path(A, views.index, name="index"),
    path(f"{A}open/", views.open_round, name="open_round"),
    path(f"{A}<int:assessment_id>/answer/", views.answer, name="answer"),
    path(f"{A}<int:assessment_id>/paper/", views.paper, name="paper"),
    path(f"{A}<int:assessment_id>/results/", views.results, name="results"),
    path(f"{A}<int:assessment_id>/results.csv", views.export, name="export"),
    path(f"{A}<int:assessment_id>/close/", views.close_round, name="close_round"),
    path(f"{A}<int:assessment_id>/reopen/", views.reopen_round, name="reopen_round"),
    path(f"{A}<int:assessment_id>/agreed/", views.agreed, name="agreed"),
    path(f"{A}<int:assessment_id>/agreed/reopen/", views.agreed_reopen, name="agreed_reopen"),
    path(f"{A}worksheets/<slug:kind>/", views.worksheet, name="worksheet"),
    path(f"{A}roles/", views.roles, name="roles"),
    path(f"{A}roles/save/", views.roles_save, name="roles_save"),
    path(f"{A}tactics/", views.tactics, name="tactics"),
    path(f"{A}tactics/save/", views.tactics_save, name="tactics_save"),
    path(f"{A}domains/", views.domains, name="domains"),
    path(f"{A}domains/save/", views.domains_save, name="domains_save"),
    path(f"{A}domains/<int:version_id>/comment/", views.domains_comment, name="domains_comment"),
    path(R, views.roadmap, name="roadmap"),
    path(f"{R}actions/", views.action_accept, name="action_accept"),
    path(f"{R}actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path(f"{R}proposals/dismiss/", views.proposal_dismiss, name="proposal_dismiss"),
    path(f"{R}proposals/restore/", views.proposal_restore, name="proposal_restore"),
    path("c/<slug:coalition_slug>/tasks/", views.my_tasks, name="my_tasks"),
]
