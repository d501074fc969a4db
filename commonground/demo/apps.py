from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo coalitions; sits above every other app and seeds each one's part."""

    name = "commonground.demo"
    label = "demo"
