"""Porch settings: one file, driven by environment variables.

Every variable is documented in .env.example. Bad values stop start-up.
Production (DEBUG off) must set SECRET_KEY, AUDIT_KEY, DATABASE_URL and ALLOWED_HOSTS, and
FEED_API_KEY (the deploy check refuses it empty).
"""

import re
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from porch.core.env import EnvError, env_bool, env_colour, env_int, env_list, env_share, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-never-use-in-production")
    _default_database = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    _default_database = env_str("DATABASE_URL")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise EnvError("The environment variable ALLOWED_HOSTS must be set.")

if len(SECRET_KEY) < 32:
    raise EnvError("SECRET_KEY must be at least 32 characters long.")

# The audit log's hash chain is keyed with this (ADR 0006). It never changes and is not SECRET_KEY,
# which may be rotated. Rows up to AUDIT_CHAIN_UNKEYED_UP_TO predate the key.
AUDIT_KEY = env_str("AUDIT_KEY", "insecure-development-audit-key-never-use-in-production" if DEBUG else None)
if len(AUDIT_KEY) < 32 or AUDIT_KEY == SECRET_KEY:
    raise EnvError("AUDIT_KEY must be at least 32 characters long and not the same as SECRET_KEY.")
AUDIT_CHAIN_UNKEYED_UP_TO = env_int("AUDIT_CHAIN_UNKEYED_UP_TO", 0)
# The audit log is this many hash chains, so writers do not queue for one (ADR 0013).
# Raising it is safe at any time; lowering it leaves the higher chains as they are.
AUDIT_CHAINS = env_int("AUDIT_CHAINS", 16, minimum=1)

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_database),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # A kept connection the database dropped (restarted, or its connections ended) is found
        # before a request uses it, not by that request failing (the launch-day storm's faults).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Take the write lock when a transaction starts, so concurrent audited requests
    # queue instead of failing with "database is locked". Write-ahead logging lets pages
    # read while another process writes, and a commit is one append to the log instead of
    # a rollback journal made and removed; synchronous=FULL still syncs every commit, so an
    # audit row the response waited for is on disk before the page leaves.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No just-in-time compilation. The portal's queries are small and indexed; JIT starts only
    # on plans the planner thinks costly, where compiling took longer than running: a one-hour
    # exposure report spent 5.1 of its 5.4 seconds compiling (bench/README.md, issue 10 goal 5).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# The second wall (ADR 0032, PostgreSQL only): the role each request runs as, which owns no
# table and lacks BYPASSRLS, after `manage.py database_wall --install ROLE`. In production the
# portal connects as this role; migrations run as the tables' owner. Empty: no wall (SQLite).
DATABASE_WALL_ROLE = env_str("DATABASE_WALL_ROLE", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "porch.core",
    "porch.accounts",
    "porch.housing",
    "porch.audit",
    "porch.outbox",
    "porch.notifications",
    "porch.documents",
    "porch.notices",
    "porch.repairs",
    "porch.contractors",
    "porch.money",
    "porch.complaints",
    "porch.asb",
    "porch.messages",
    "porch.staff",
    "porch.rollout",
    "porch.incidents",
    "porch.exposure",
    "porch.canaries",
    "porch.feed",
    "porch.integrations",
    "porch.portal",
    "porch.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "porch.core.middleware.RequestContextMiddleware",
    # Writes the personal-data reads of the whole request in one go, after every layer inside it.
    "porch.audit.middleware.AuditMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Behind the database wall from here in (PostgreSQL, DATABASE_WALL_ROLE): the session is read first.
    "porch.core.middleware.DatabaseWallMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "porch.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Ends a view-as session that has run out before the actor is resolved (which only reads).
    "porch.staff.middleware.EndStaleViewAsMiddleware",
    "porch.accounts.middleware.ActorMiddleware",
    "porch.core.routes.AudienceMiddleware",
    "porch.rollout.middleware.KillSwitchMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "porch.core.middleware.PrivateResponseMiddleware",
    # Last (innermost): it checks every view's page or file before the rest add headers and send it.
    "porch.canaries.guard.CanaryGuardMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "porch.core.context_processors.portal",
                "porch.staff.context_processors.view_as",
            ],
        },
    }
]
FORM_RENDERER = "porch.core.forms.GovukFormRenderer"

# --- Accounts and passwords -------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Signs in with the sign-in name, email address, mobile number or customer reference.
AUTHENTICATION_BACKENDS = ["porch.accounts.backends.SignInNameBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "porch.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "porch.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# Session lifetimes, in minutes (idle, then absolute), by kind of user.
RESIDENT_SESSION_IDLE_MINUTES = env_int("RESIDENT_SESSION_IDLE_MINUTES", 30, minimum=1)
RESIDENT_SESSION_ABSOLUTE_MINUTES = env_int("RESIDENT_SESSION_ABSOLUTE_MINUTES", 12 * 60, minimum=1)
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 15, minimum=1)
STAFF_SESSION_ABSOLUTE_MINUTES = env_int("STAFF_SESSION_ABSOLUTE_MINUTES", 10 * 60, minimum=1)
SUDO_MINUTES = env_int("SUDO_MINUTES", 15, minimum=1)
# Staff must have completed data-protection training within this many days.
TRAINING_VALID_DAYS = env_int("TRAINING_VALID_DAYS", 365, minimum=1)
# The longest a "view as resident" session may last.
VIEW_AS_MINUTES = env_int("VIEW_AS_MINUTES", 30, minimum=1)
# How long a record opened outside one's patch (break glass) stays open.
BREAK_GLASS_HOURS = env_int("BREAK_GLASS_HOURS", 4, minimum=1)
SESSION_COOKIE_AGE = max(RESIDENT_SESSION_ABSOLUTE_MINUTES, STAFF_SESSION_ABSOLUTE_MINUTES) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "porch.core.errors.csrf_failure"

# Failed attempts before a pause, and how long the pause lasts (per NCSC). The
# failures count per account (and per browser that signed in to it before: ADR 0003).
RATE_LIMIT_FAILURES = env_int("RATE_LIMIT_FAILURES", 5, minimum=1)
RATE_LIMIT_PAUSE_MINUTES = env_int("RATE_LIMIT_PAUSE_MINUTES", 15, minimum=1)
# Failures from one client address before it is paused for browsers it has not
# signed in from. Higher than per account because one address can be a whole
# household, a library or a mobile carrier's NAT: 50 is ten people's worth of
# tries in one window, and still holds one machine to 200 guesses an hour.
RATE_LIMIT_ADDRESS_FAILURES = env_int("RATE_LIMIT_ADDRESS_FAILURES", 50, minimum=1)
# How long a browser stays trusted for an account after it last signed in to it.
RATE_LIMIT_DEVICE_DAYS = env_int("RATE_LIMIT_DEVICE_DAYS", 180, minimum=1)
# Sign-up answers are padded to this floor so a match and a mismatch take the same time.
SIGNUP_RESPONSE_FLOOR_MS = env_int("SIGNUP_RESPONSE_FLOOR_MS", 400)

OTP_TOTP_ISSUER = env_str("LANDLORD_NAME", "Porch Housing")

# --- Caches: shared by every process (rate limits, one-time-code replay) -----
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "porch_cache"}}

# --- Background tasks: django-tasks-db, run by `manage.py db_worker` -----------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Invitations sent per hour across all cohorts, and per batch.
INVITATIONS_PER_HOUR = env_int("INVITATIONS_PER_HOUR", 200, minimum=1)
INVITATION_BATCH_SIZE = env_int("INVITATION_BATCH_SIZE", 50, minimum=1)
# The escalation ladder for privacy incidents: the on-call rota's rungs first, then this
# list (comma-separated) as the last rung, or as the only one while the rota is empty.
INCIDENT_ALERT_EMAILS = env_list("INCIDENT_ALERT_EMAILS", "dpo@example.org" if DEBUG else "")
# A chat channel's incoming webhook (Slack, Teams, Mattermost...: JSON with a "text" field).
INCIDENT_WEBHOOK_URL = env_str("INCIDENT_WEBHOOK_URL", "")
# If nobody acknowledges within this many minutes, the next rung is called.
ESCALATION_WAIT_MINUTES = env_int("ESCALATION_WAIT_MINUTES", 15, minimum=1)
# How long an acknowledgement link in a notification works (it works once).
ACKNOWLEDGE_LINK_HOURS = env_int("ACKNOWLEDGE_LINK_HOURS", 24, minimum=1)
# The portal's public address, for links in emails and text messages.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000")
# The canary guard (ADR 0007): on catching a canary household's data on its way out, block it,
# open a critical incident and "switch_off" the module that produced it, or only "alert".
CANARY_GUARD_ACTION = env_str("CANARY_GUARD_ACTION", "switch_off")
if CANARY_GUARD_ACTION not in ("alert", "switch_off"):
    raise EnvError(f"CANARY_GUARD_ACTION must be alert or switch_off, not {CANARY_GUARD_ACTION!r}.")
# Trips of the same module within this many minutes of the last join its open incident.
CANARY_INCIDENT_JOIN_MINUTES = env_int("CANARY_INCIDENT_JOIN_MINUTES", 60, minimum=1)

# --- The outbox to the housing management system (ADR 0019, docs/outbox.md) ------
# Where the task worker posts each update. Empty: nothing is posted; the housing system
# collects updates itself, in order, from the API.
OUTBOX_WEBHOOK_URL = env_str("OUTBOX_WEBHOOK_URL", "")
# Signs every post (HMAC-SHA256): shared with the housing system, at least 32 characters.
OUTBOX_WEBHOOK_SECRET = env_str("OUTBOX_WEBHOOK_SECRET", "")
if OUTBOX_WEBHOOK_URL:
    if not OUTBOX_WEBHOOK_URL.startswith(("https://", "http://")) or (
        not DEBUG and not OUTBOX_WEBHOOK_URL.startswith("https://")
    ):
        raise EnvError("OUTBOX_WEBHOOK_URL must start with https:// (http:// only with DEBUG on).")
    if len(OUTBOX_WEBHOOK_SECRET) < 32 or OUTBOX_WEBHOOK_SECRET in (SECRET_KEY, AUDIT_KEY):
        raise EnvError(
            "OUTBOX_WEBHOOK_SECRET must be set when OUTBOX_WEBHOOK_URL is: at least 32 characters, "
            "and not SECRET_KEY or AUDIT_KEY."
        )
# How long to wait for the housing system's answer to one post, in seconds.
OUTBOX_WEBHOOK_TIMEOUT_SECONDS = env_int("OUTBOX_WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
# The wait after the first failed try, in seconds; each later wait is twice the one before.
OUTBOX_RETRY_FIRST_SECONDS = env_int("OUTBOX_RETRY_FIRST_SECONDS", 60, minimum=1)
# Give up on an update after this many failed tries (staff can send it again).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
# `manage.py outbox_prune` removes updates delivered (or collected) more than this many days ago.
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 90, minimum=1)

# --- Email and SMS ------------------------------------------------------------
# Development prints each email readably (porch/core/mail.py): Django's console
# backend prints quoted-printable, which breaks links copied from it.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "porch.core.mail.ConsoleEmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
_smtp_options = {
    "host": env_str("EMAIL_HOST", "127.0.0.1"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "timeout": env_int("EMAIL_TIMEOUT_SECONDS", 10, minimum=1),
}
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": _smtp_options if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@example.org")
SMS_BACKEND = env_str("SMS_BACKEND", "porch.core.sms.ConsoleSmsBackend")
# GOV.UK Notify (porch/notifications/govuk_notify.py), for text messages
# (SMS_BACKEND=porch.notifications.govuk_notify.NotifySmsBackend) and, if wanted, emails
# (EMAIL_BACKEND=porch.notifications.govuk_notify.NotifyEmailBackend).
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
# The templates made in Notify's admin tool: text ((body)); email subject ((subject)), body ((body)).
NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_TIMEOUT_SECONDS = env_int("NOTIFY_TIMEOUT_SECONDS", 10, minimum=1)
_notify_for = [
    name
    for name, used, template in (
        ("SMS_BACKEND", SMS_BACKEND, NOTIFY_SMS_TEMPLATE_ID),
        ("EMAIL_BACKEND", EMAIL_BACKEND_PATH, NOTIFY_EMAIL_TEMPLATE_ID),
    )
    if used.startswith("porch.notifications.govuk_notify.") and not template
]
if _notify_for:
    raise EnvError(
        f"{', '.join(_notify_for)} send through GOV.UK Notify: set NOTIFY_SMS_TEMPLATE_ID and NOTIFY_EMAIL_TEMPLATE_ID for them."
    )
if "govuk_notify." in SMS_BACKEND + EMAIL_BACKEND_PATH:
    if len(NOTIFY_API_KEY) < 74:
        raise EnvError("NOTIFY_API_KEY must be a whole GOV.UK Notify API key (name, service id, secret key).")
    if not NOTIFY_BASE_URL.startswith("https://") and not (DEBUG and NOTIFY_BASE_URL.startswith("http://")):
        raise EnvError("NOTIFY_BASE_URL must start with https:// (http:// only with DEBUG on).")
# Notifications (porch/notifications): tries before a message shows as not sent, and the wait
# after the first failed try, in seconds (each later wait is twice the one before).
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 5, minimum=1)
NOTIFICATIONS_RETRY_FIRST_SECONDS = env_int("NOTIFICATIONS_RETRY_FIRST_SECONDS", 60, minimum=1)

# --- Files --------------------------------------------------------------------
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": "porch.core.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Note: MEDIA_URL is deliberately unset. Files are only ever streamed by authorised views.
MAX_UPLOAD_MEGABYTES = env_int("MAX_UPLOAD_MEGABYTES", 10, minimum=1)
# Images: refused above these from the header, before any pixel is decoded (ADR 0009). 52 million
# pixels takes every "50 MP" phone photo (8192 x 6144 is 50.3 million) and refuses the next class up
# (64 MP and 200 MP full-resolution modes); 12,000 pixels is longer than any such photo's side.
MAX_IMAGE_MEGAPIXELS = env_int("MAX_IMAGE_MEGAPIXELS", 52, minimum=1)
MAX_IMAGE_SIDE_PIXELS = env_int("MAX_IMAGE_SIDE_PIXELS", 12000, minimum=1)
# Sound and video recordings (evidence of anti-social behaviour): checked by their structure,
# never decoded, so larger than photos and documents (ADR 0030). A few minutes of phone video.
MAX_MEDIA_MEGABYTES = env_int("MAX_MEDIA_MEGABYTES", 50, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A page that takes large files declares its largest; past it, the rest of the file is dropped
# as it arrives rather than written to disk (porch/core/upload_handlers.py).
FILE_UPLOAD_HANDLERS = [
    "porch.core.upload_handlers.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# collectstatic's manifest of hashed names: kept beside STATIC_ROOT, never served (porch/core/storage.py).
STATIC_MANIFEST_ROOT = BASE_DIR / "var" / "static-manifest"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- The landlord -------------------------------------------------------------
LANDLORD_NAME = env_str("LANDLORD_NAME", "Porch Housing")
LANDLORD_PHONE = env_str("LANDLORD_PHONE", "0300 123 4567")
# Printed at the top of statements (ADR 0023): the landlord's postal address, a line at each
# comma, and its logo (an SVG or PNG file, drawn into the PDF; the default is Porch's own mark).
LANDLORD_ADDRESS = env_list("LANDLORD_ADDRESS", "1 Canal Street, Manchester, M1 3HE")
LANDLORD_LOGO = Path(env_str("LANDLORD_LOGO", str(BASE_DIR / "static" / "porch" / "landlord-logo.svg")))
if LANDLORD_LOGO.suffix.lower() not in (".svg", ".png") or not LANDLORD_LOGO.is_file():
    raise EnvError(f"LANDLORD_LOGO must be an SVG or PNG file that exists, not {str(LANDLORD_LOGO)!r}.")

# The housing record feed (porch/feed, docs/feed.md). A batch that would end more than this
# share of current tenancies, or move more than this many people between tenancies, waits for
# a second person's approval; files larger than this are refused at the door.
FEED_MAX_ENDING_SHARE = env_share("FEED_MAX_ENDING_SHARE", 0.02)
FEED_MAX_MOVES = env_int("FEED_MAX_MOVES", 25, minimum=0)
FEED_MAX_MEGABYTES = env_int("FEED_MAX_MEGABYTES", 500, minimum=1)
# An API batch is read whole into memory to be parsed as JSON, so it is kept small: a night's
# changes, not a first full load (which goes through the import folder, streamed).
FEED_API_MAX_MEGABYTES = env_int("FEED_API_MAX_MEGABYTES", 25, minimum=1)
# Housing system connections: the signed API under /api/feed/v1/ (porch/integrations, ADR 0021).
# Each connection's signing secret is worked out from this key, the connection's id and its key
# version, and only a hash of the secret is stored: the database alone cannot sign a request.
# Changing the key stops every connection's secret; each must then be rotated. Empty (allowed in
# development only): the deploy check refuses it, and the API refuses every request.
FEED_API_KEY = env_str("FEED_API_KEY", "insecure-development-feed-api-key-never-use-in-production" if DEBUG else "")
if FEED_API_KEY and (len(FEED_API_KEY) < 32 or len(set(FEED_API_KEY)) < 12 or FEED_API_KEY in (SECRET_KEY, AUDIT_KEY)):
    raise EnvError("FEED_API_KEY must be a random string of at least 32 characters, not SECRET_KEY or AUDIT_KEY.")
# Requests one connection may make in a minute; beyond it the API answers 429 until the minute ends.
FEED_API_REQUESTS_PER_MINUTE = env_int("FEED_API_REQUESTS_PER_MINUTE", 120, minimum=1)
# --- Card payments (porch/money/providers.py, ADR 0024) -------------------------------------
# Who takes residents' card payments on their hosted page: "govuk_pay" (GOV.UK Pay's API),
# "sandbox" (a pretend page inside Porch for the demo: DEBUG only) or "" (no online payments:
# the pay button is not shown). Unset or empty: the sandbox with DEBUG on, none with it off.
PAYMENTS_PROVIDER = env_str("PAYMENTS_PROVIDER", "sandbox" if DEBUG else "")
if PAYMENTS_PROVIDER not in ("", "govuk_pay", "sandbox") or (PAYMENTS_PROVIDER == "sandbox" and not DEBUG):
    raise EnvError("PAYMENTS_PROVIDER must be govuk_pay or empty (sandbox only with DEBUG on).")
GOVUK_PAY_API_URL = env_str("GOVUK_PAY_API_URL", "https://publicapi.payments.service.gov.uk")
# The API key from GOV.UK Pay's admin tool, and the signing secret of the webhook set up there.
GOVUK_PAY_API_KEY = env_str("GOVUK_PAY_API_KEY", "")
GOVUK_PAY_WEBHOOK_SECRET = env_str("GOVUK_PAY_WEBHOOK_SECRET", "")
if PAYMENTS_PROVIDER == "govuk_pay":
    if not GOVUK_PAY_API_KEY or len(GOVUK_PAY_WEBHOOK_SECRET) < 16:
        raise EnvError("PAYMENTS_PROVIDER=govuk_pay needs GOVUK_PAY_API_KEY and GOVUK_PAY_WEBHOOK_SECRET.")
    if not GOVUK_PAY_API_URL.startswith("https://") and not DEBUG:
        raise EnvError("GOVUK_PAY_API_URL must start with https://.")
# Where the provider's payment pages are: the pay form's answer sends the browser there, and
# browsers hold that to the page's Content-Security-Policy form-action (GOV.UK Pay's card pages
# by default). Origins only, comma-separated.
PAYMENTS_PAGE_ORIGINS = env_list(
    "PAYMENTS_PAGE_ORIGINS", "https://card.payments.service.gov.uk" if PAYMENTS_PROVIDER == "govuk_pay" else ""
)
if any(not re.fullmatch(r"https?://[a-z0-9.-]+(:[0-9]+)?", origin) for origin in PAYMENTS_PAGE_ORIGINS):
    raise EnvError("PAYMENTS_PAGE_ORIGINS must be origins like https://card.payments.service.gov.uk, comma-separated.")
# Who sets up residents' Direct Debits: "gocardless" (GoCardless's API), "sandbox" (the demo's,
# DEBUG only) or "" (residents cannot set one up here). Unset or empty: the sandbox with DEBUG on.
DIRECT_DEBIT_PROVIDER = env_str("DIRECT_DEBIT_PROVIDER", "sandbox" if DEBUG else "")
if DIRECT_DEBIT_PROVIDER not in ("", "gocardless", "sandbox") or (DIRECT_DEBIT_PROVIDER == "sandbox" and not DEBUG):
    raise EnvError("DIRECT_DEBIT_PROVIDER must be gocardless or empty (sandbox only with DEBUG on).")
GOCARDLESS_API_URL = env_str("GOCARDLESS_API_URL", "https://api.gocardless.com")
GOCARDLESS_ACCESS_TOKEN = env_str("GOCARDLESS_ACCESS_TOKEN", "")
GOCARDLESS_WEBHOOK_SECRET = env_str("GOCARDLESS_WEBHOOK_SECRET", "")
if DIRECT_DEBIT_PROVIDER == "gocardless":
    if not GOCARDLESS_ACCESS_TOKEN or len(GOCARDLESS_WEBHOOK_SECRET) < 16:
        raise EnvError("DIRECT_DEBIT_PROVIDER=gocardless needs GOCARDLESS_ACCESS_TOKEN and GOCARDLESS_WEBHOOK_SECRET.")
    if not GOCARDLESS_API_URL.startswith("https://") and not DEBUG:
        raise EnvError("GOCARDLESS_API_URL must start with https://.")
# How long to wait for the provider's answer, in seconds; then the resident is told to try later.
PAYMENTS_TIMEOUT_SECONDS = env_int("PAYMENTS_TIMEOUT_SECONDS", 10, minimum=1)
# The most one card payment may be, in pence (GOV.UK Pay's own limit is £100,000).
PAYMENTS_MOST_PENCE = env_int("PAYMENTS_MOST_PENCE", 500_000, minimum=100)

# Working days skip weekends and the bank holidays of the landlord's nation:
# ENG (England), WLS (Wales), SCT (Scotland) or NIR (Northern Ireland).
BANK_HOLIDAYS_REGION = env_str("BANK_HOLIDAYS_REGION", "ENG")
if BANK_HOLIDAYS_REGION not in ("ENG", "WLS", "SCT", "NIR"):
    raise EnvError(f"BANK_HOLIDAYS_REGION must be ENG, WLS, SCT or NIR, not {BANK_HOLIDAYS_REGION!r}.")

# Repairs: which nation's rules the clocks follow ("england": Awaab's Law for damp and mould;
# "scotland": the Right to Repair), and the landlord's own priorities in working days.
REPAIRS_NATION = env_str("REPAIRS_NATION", "scotland" if BANK_HOLIDAYS_REGION == "SCT" else "england")
if REPAIRS_NATION not in ("england", "scotland"):
    raise EnvError(f"REPAIRS_NATION must be england or scotland, not {REPAIRS_NATION!r}.")
REPAIRS_URGENT_WORKING_DAYS = env_int("REPAIRS_URGENT_WORKING_DAYS", 5, minimum=1)
REPAIRS_ROUTINE_WORKING_DAYS = env_int("REPAIRS_ROUTINE_WORKING_DAYS", 20, minimum=1)
# A contractor firm sees a job until this many days after it was completed or cancelled.
REPAIRS_CONTRACTOR_DAYS = env_int("REPAIRS_CONTRACTOR_DAYS", 7, minimum=0)
# Residents may change or cancel an appointment until this many hours before it.
REPAIRS_APPOINTMENT_CUTOFF_HOURS = env_int("REPAIRS_APPOINTMENT_CUTOFF_HOURS", 24, minimum=0)
# Scotland's Right to Repair: compensation is capped at £100 a repair by the regulations.
REPAIRS_RIGHT_TO_REPAIR_CAP_PENCE = env_int("REPAIRS_RIGHT_TO_REPAIR_CAP_PENCE", 10000, minimum=0)
# The landlord's own emergency repairs line, shown before anything else on "Report a repair".
REPAIRS_EMERGENCY_PHONE = env_str("REPAIRS_EMERGENCY_PHONE", "0300 123 4567")
BRAND_COLOUR = env_colour("BRAND_COLOUR", "#1d4f76")

# --- Security headers -----------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Preloading HSTS is a one-way commitment for a landlord's whole domain: opt in with SECURE_HSTS_PRELOAD.
SILENCED_SYSTEM_CHECKS = [] if env_bool("SECURE_HSTS_PRELOAD", False) else ["security.W021"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if TRUSTED_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own logger prints to the console as well: once is enough.
    "loggers": {
        "django": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False},
        # WeasyPrint announces each step of drawing a PDF statement at INFO: ten lines a statement.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
