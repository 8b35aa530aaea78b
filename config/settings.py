"""Carte Blanche settings: one module, every deployment difference read from the environment.

With nothing set, the platform runs as the embedded demo: SQLite in ``var/``, Celery tasks
run eagerly, SMS and e-mail printed to the console. Production sets ``CB_DEBUG=0``,
``DJANGO_SECRET_KEY``, ``DATABASE_URL`` and ``CELERY_BROKER_URL`` (see README).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from config.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CB_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("CB_DEBUG", default=False)
# The demo mode relaxes what only makes sense with real users (two-factor enrolment).
DEMO_MODE = env_bool("CB_DEMO", default=False)

SECRET_KEY = env_secret(
    "DJANGO_SECRET_KEY",
    dev_default="insecure-demo-key-only-for-debug-runs" if (DEBUG or DEMO_MODE) else None,
)
ALLOWED_HOSTS = env_list("CB_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CB_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    # Full-text and trigram lookups; inert on SQLite.
    "django.contrib.postgres",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # Serves the OpenAPI docs page from local static files instead of a CDN.
    "ninja",
    "carte_blanche.ui",
    "carte_blanche.journal",
    "carte_blanche.territory",
    "carte_blanche.accounts",
    "carte_blanche.people",
    "carte_blanche.consent",
    "carte_blanche.messaging",
    "carte_blanche.catalogue",
    "carte_blanche.visits",
    "carte_blanche.referrals",
    "carte_blanche.appointments",
    "carte_blanche.satisfaction",
    "carte_blanche.documents",
    "carte_blanche.employers",
    "carte_blanche.hrdesk",
    "carte_blanche.hiring",
    "carte_blanche.contracts",
    "carte_blanche.jobs",
    "carte_blanche.rights",
    "carte_blanche.mobility",
    "carte_blanche.bus",
    "carte_blanche.webhooks",
    "carte_blanche.gdpr",
    "carte_blanche.operator_api",
    "carte_blanche.demo",
    "carte_blanche.web",
    "carte_blanche.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "carte_blanche.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# The UI theme: page templates use `theme/*` components and the `ui` class map, so a
# deployment that may not use the State design system swaps this one setting (ADR 0002).
UI_THEME = env_str("CB_UI_THEME", "dsfr")
UI_THEME_DIR = BASE_DIR / "carte_blanche" / "ui" / "themes" / UI_THEME

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [UI_THEME_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carte_blanche.ui.context_processors.ui",
                "carte_blanche.web.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "carte_blanche.ui.renderers.ThemeRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'carte_blanche.sqlite3'}"),
        conn_max_age=env_int("CB_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write transactions take the lock at BEGIN, so concurrent writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication (TOTP) for the roles that read personal data.
REQUIRE_TWO_FACTOR = env_bool("CB_REQUIRE_2FA", default=not DEMO_MODE)
OTP_TOTP_ISSUER = env_str("CB_OTP_ISSUER", "Carte Blanche")

# Brute-force protection on login.
AXES_FAILURE_LIMIT = env_int("CB_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CB_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env_int("CB_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and not DEMO_MODE
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("CB_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("CB_STATIC_MANIFEST", default=not DEBUG and not DEMO_MODE)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (demo, tests) WhiteNoise serves files straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE or env_bool("CB_STATIC_FINDERS", default=False)
DSFR_USE_INTEGRITY_CHECKSUMS = True
if WHITENOISE_USE_FINDERS:
    import warnings

    # Serving from the apps' folders, so STATIC_ROOT is expected not to exist yet.
    warnings.filterwarnings("ignore", message="No directory at")

# Background tasks: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Walk the whole access journal every night; a broken chain is logged as an error.
    "verify-journal": {"task": "journal.verify", "schedule": 24 * 3600.0},
    # Remind partners of late referrals, then their managers.
    "escalate-referrals": {"task": "referrals.escalate", "schedule": 3600.0},
    # The day before an appointment, remind the person by SMS or e-mail.
    "remind-appointments": {"task": "appointments.remind", "schedule": crontab(hour=10, minute=0)},
    # Remind HR advisors of employers' questions past their deadline, then the coordinators.
    "escalate-hr-questions": {"task": "hrdesk.escalate", "schedule": 3600.0},
    # Re-check the rights of persons whose file changed, or after an OpenFisca upgrade; tell the agent.
    "recheck-rights": {"task": "rights.recheck", "schedule": crontab(hour=3, minute=30)},
    # Plan the rides of the coming days, expire unanswered proposals (next driver), close past days.
    "dispatch-rides": {"task": "mobility.dispatch_coming_days", "schedule": 3600.0},
    "expire-ride-proposals": {"task": "mobility.expire_proposals", "schedule": 600.0},
    # The day before, remind each driver of their rides (and close the legs of past days).
    "remind-drivers": {"task": "mobility.remind_drivers", "schedule": crontab(hour=17, minute=0)},
    # Tell the subscribers of a commune that the bus is coming (7 days and 1 day before, by default).
    "bus-notices": {"task": "bus.send_notices", "schedule": crontab(hour=9, minute=0)},
    # Operators' webhooks that failed: try again when due (exponential back-off).
    "webhooks-retry": {"task": "webhooks.retry_due", "schedule": 60.0},
}

# Outgoing messages: printed to the console unless a provider is configured.
EMAIL_BACKEND = env_str("CB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("CB_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CB_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("CB_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("CB_EMAIL_HOST_PASSWORD", dev_default="")
EMAIL_USE_TLS = env_bool("CB_EMAIL_USE_TLS", default=True)
SMS_BACKEND = env_str("CB_SMS_BACKEND", "carte_blanche.messaging.sms.ConsoleBackend")
SMS_INBOUND_SECRET = env_secret("CB_SMS_INBOUND_SECRET", dev_default="")
# The address residents open from an SMS (the satisfaction link): scheme and host, no trailing path.
CB_PUBLIC_URL = env_str("CB_PUBLIC_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("CB_DEFAULT_FROM_EMAIL", "Carte Blanche <ne-pas-repondre@carte-blanche.localhost>")

# Solidarity mobility (docs/mobility.md): windows, service times, the dispatcher, the mileage rate.
MOBILITY = {
    "ARRIVAL_MARGIN_MIN": env_int("CB_MOBILITY_ARRIVAL_MARGIN_MIN", 10),
    "ARRIVAL_WINDOW_MIN": env_int("CB_MOBILITY_ARRIVAL_WINDOW_MIN", 20),
    "RETURN_WINDOW_MIN": env_int("CB_MOBILITY_RETURN_WINDOW_MIN", 30),
    "DETOUR_FACTOR": float(env_str("CB_MOBILITY_DETOUR_FACTOR", "1.5")),
    "DETOUR_MIN": env_int("CB_MOBILITY_DETOUR_MIN", 15),
    "PICKUP_SERVICE_MIN": 3,
    "BOARDING_HELP_MIN": 5,
    "DROPOFF_SERVICE_MIN": 2,
    "MORNING": ("07:30", "13:00"),
    "AFTERNOON": ("13:00", "19:00"),
    "ANSWER_HOURS": env_int("CB_MOBILITY_ANSWER_HOURS", 12),
    "ANSWER_BEFORE_MIN": 120,
    "DISPATCH_DAYS": env_int("CB_MOBILITY_DISPATCH_DAYS", 7),
    "DISPATCH_SECONDS": float(env_str("CB_MOBILITY_DISPATCH_SECONDS", "5")),
    # The tax scale for volunteers' car expenses (€/km), as the association decides to refund them.
    "KM_RATE": env_str("CB_MOBILITY_KM_RATE", "0.335"),
}

# The bus France services (docs/bus.md): its half-days, time on site, booking, notices to subscribers.
BUS = {
    "MORNING": (env_str("CB_BUS_MORNING_START", "08:30"), env_str("CB_BUS_MORNING_END", "12:30")),
    "AFTERNOON": (env_str("CB_BUS_AFTERNOON_START", "13:30"), env_str("CB_BUS_AFTERNOON_END", "17:30")),
    "MIN_ON_SITE_MIN": env_int("CB_BUS_MIN_ON_SITE_MIN", 120),
    "MAX_STOPS_PER_HALF_DAY": env_int("CB_BUS_MAX_STOPS_PER_HALF_DAY", 2),
    "SLOT_MINUTES": env_int("CB_BUS_SLOT_MINUTES", 30),
    "AGENTS_ON_BOARD": env_int("CB_BUS_AGENTS_ON_BOARD", 2),
    "NOTICE_DAYS": tuple(int(d) for d in env_str("CB_BUS_NOTICE_DAYS", "7,1").split(",") if d.strip()),
    "STRUCTURE": env_str("CB_BUS_STRUCTURE", "Bus France services du Grand Cahors"),
    "SERVICES": (
        "Aide aux démarches en ligne (CAF, Assurance maladie, retraite, impôts, ANTS, France Travail)",
        "Accès à un ordinateur, une imprimante et un scanner",
        "Rendez-vous en visio avec un conseiller de la CAF ou de la CPAM depuis le bus",
    ),
}

# A cache shared by every process (the operator API's rate limits): Redis in production, e.g.
# CB_CACHE_URL=redis://127.0.0.1:6379/1; without it each process counts alone (development).
CACHE_URL = env_str("CB_CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# How webhook deliveries leave (a callable (url, body, headers) -> HTTP status): urllib by default.
WEBHOOK_TRANSPORT = env_str("CB_WEBHOOK_TRANSPORT", "carte_blanche.webhooks.delivery.urllib_post")

# The territory files the platform ships with (loaded by `manage.py load_territory`).
TERRITORY_DIR = Path(env_str("CB_TERRITORY_DIR", str(BASE_DIR / "data" / "territories" / "cahors")))
# Great-circle distance × this factor estimates the road distance (docs/adr/0003).
ROAD_CIRCUITY_FACTOR = float(env_str("CB_ROAD_CIRCUITY_FACTOR", "1.3"))
DISTANCE_ROUTER = env_str("CB_DISTANCE_ROUTER", "carte_blanche.territory.geo.CircuityRouter")

# Catalogue search: "auto" uses PostgreSQL full-text on PostgreSQL, the in-memory index elsewhere.
CATALOGUE_SEARCH_BACKEND = env_str("CB_CATALOGUE_SEARCH", "auto")
CATALOGUE_DIR = Path(env_str("CB_CATALOGUE_DIR", str(BASE_DIR / "data" / "catalogue")))

# Pièces justificatives: stored outside the web root, served only after the access check.
# Back this folder up with the database: the database holds only the files' names and hashes.
DOCUMENTS_ROOT = Path(env_str("CB_DOCUMENTS_ROOT", str(VAR_DIR / "documents")))
DOCUMENT_MAX_BYTES = env_int("CB_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# A callable (bytes) -> None raising ValidationError when the file is infected (documents/scanning.py).
DOCUMENT_SCANNER = env_str("CB_DOCUMENT_SCANNER", "carte_blanche.documents.scanning.no_scan")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CB_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Rights engine: build OpenFisca's tax-benefit system and run one computation in the
# background when a web process starts, so the first check at the counter is not 10 s slower.
RIGHTS_WARM_UP = env_bool("CB_RIGHTS_WARM_UP", True)
