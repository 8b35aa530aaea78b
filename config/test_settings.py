"""Test overrides: fast hashing, plain static storage, undefined template variables fail."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from config.settings import *  # noqa: E402,F403
from config.settings import TEMPLATES  # noqa: E402


class InvalidTemplateVariable(str):
    """Make `{{ typo }}` in a template fail the test instead of rendering nothing."""

    def __mod__(self, other):
        raise NameError(f"Variable de gabarit inconnue : {other!r}")


PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
REQUIRE_TWO_FACTOR = True
CELERY_TASK_ALWAYS_EAGER = True
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "carte_blanche.messaging.sms.LocmemBackend"
RIGHTS_WARM_UP = False

MOBILITY = {**MOBILITY, "DISPATCH_SECONDS": 0.3}  # noqa: F405
