from django.apps import AppConfig


class WebConfig(AppConfig):
    """Page chrome shared by every app: base template, assets, template tags, error pages."""

    name = "commonground.web"
    label = "web"
