from django.contrib import admin
from django.urls import include, path

from commonground.api.main import api
from commonground.web import views as web

urlpatterns = [
    path("", web.index, name="index"),
    path("healthz", web.health, name="health"),
    path("i18n/setlang/", web.set_language_view, name="set_language"),
    path("accounts/", include("commonground.accounts.urls")),
    path("guide/", include("commonground.guide.urls")),
    path("", include("commonground.coalitions.urls")),
    path("", include("commonground.ecosystem.urls")),
    path("", include("commonground.assessments.urls")),
    path("", include("commonground.measurement.urls")),
    path("", include("commonground.governance.urls")),
    path("", include("commonground.funding.urls")),
    path("", include("commonground.voice.urls")),
    path("", include("commonground.systems.urls")),
    path("", include("commonground.reports.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
