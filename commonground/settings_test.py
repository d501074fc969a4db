"""Test settings: the real database engines, a fast password hasher, mail kept in memory (Django's test runner swaps it in).

Production security stays on (DEBUG off, CSP, throttling); only the Secure cookie
flags are relaxed because the browser tests talk plain HTTP to a local server.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from commonground.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Tasks run at once, inside the request or test that enqueues them.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
