"""Settings for the out-of-process probes (``sqlite_probe``): the test settings, on the
file database that ``COMMONGROUND_DATA_DIR`` names, with the real database task backend."""

from commonground.settings_test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
