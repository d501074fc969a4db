"""Community voice: the collaboration survey, listening sessions, priorities, capacity building and stories."""

from django.urls import path

from commonground.voice import views

app_name = "voice"
C = "c/<slug:coalition_slug>/voice/"
urlpatterns = [
    path(C, views.index, name="index"),
    path(C + "survey/open/", views.wave_open, name="wave_open"),
    path(C + "survey/questions/", views.question_add, name="question_add"),
    path(C + "survey/<int:wave_id>/", views.wave_results, name="wave_results"),
    path(C + "survey/<int:wave_id>/close/", views.wave_close, name="wave_close"),
    path(C + "survey/<int:wave_id>/paper/", views.wave_paper, name="wave_paper"),
    path(C + "survey/<int:wave_id>/export/", views.wave_export, name="wave_export"),
    path(C + "listening/", views.sessions, name="sessions"),
    path(C + "listening/new/", views.session_new, name="session_new"),
    path(C + "listening/<int:session_id>/", views.session_detail, name="session_detail"),
    path(C + "listening/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path(C + "listening/<int:session_id>/excerpts/", views.excerpt_add, name="excerpt_add"),
    path(C + "excerpts/<int:excerpt_id>/delete/", views.excerpt_delete, name="excerpt_delete"),
    path(C + "codebook/", views.codebook, name="codebook"),
    path(C + "codebook/new/", views.theme_new, name="theme_new"),
    path(C + "codebook/<int:theme_id>/", views.theme_edit, name="theme_edit"),
    path(C + "heard/", views.heard, name="heard"),
    path(C + "priorities/", views.priorities, name="priorities"),
    path(C + "priorities/open/", views.round_open, name="round_open"),
    path(C + "priorities/<int:round_id>/close/", views.round_close, name="round_close"),
    path(C + "priorities/choose/", views.choose, name="choose"),
    path(C + "capacity/", views.trainings, name="trainings"),
    path(C + "capacity/new/", views.training_new, name="training_new"),
    path(C + "capacity/<int:training_id>/", views.training_edit, name="training_edit"),
    path(C + "stories/", views.stories, name="stories"),
    path(C + "stories/new/", views.story_new, name="story_new"),
    path(C + "stories/<int:story_id>/", views.story_edit, name="story_edit"),
    path(C + "stories/<int:story_id>/photo/", views.story_photo, name="story_photo"),
    path(C + "export/<str:what>/", views.export, name="export"),
    path("voice/survey/<str:wave_token>/", views.respond, name="respond"),
    path("voice/rank/<str:round_token>/", views.rank, name="rank"),
]
