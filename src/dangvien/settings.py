"""Settings: what an installation changes comes from the environment (docs/operations.md)."""

import datetime as dt
import os
from pathlib import Path

from dangvien.core.env import env_bool, env_database, env_int, env_list, env_regex, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("DANGVIEN_VAR") or PACKAGE_DIR.parents[1] / "var")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key("SECRET_KEY", VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", ["http://127.0.0.1:8000", "http://localhost:8000"]
)

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "dangvien.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# One per process, no service to run: the handbook feed keeps each chain's page and its rendering
# here (handbook.selectors.feed_page), under keys that change with the data, so nothing needs to be
# shared between processes. 2,000 entries are a few tens of MB at most.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

INSTALLED_APPS = [
    # The admin site asks for the second factor where the installation requires it.
    "dangvien.accounts.admin_config.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "dangvien.core",
    "dangvien.office",
    "dangvien.accounts",
    "dangvien.orgs",
    "dangvien.members",
    "dangvien.quality",
    "dangvien.reports",
    "dangvien.restructuring",
    "dangvien.procedures",
    "dangvien.handbook",
    "dangvien.jobs",
    "dangvien.web",
    "dangvien.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dangvien.core.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Default deny: every view needs a signed-in user unless marked @login_not_required.
    "dangvien.accounts.middleware.LoginRequiredMiddleware",
    # A signed-in user who owes a second factor can only give it (or enrol, or sign out).
    "dangvien.accounts.middleware.second_factor_required",
    # Last: turns a refused login (too many failures) into the Vietnamese lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangvien.urls"
WSGI_APPLICATION = "dangvien.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangvien.web.context.display_preferences",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every login path (page, admin, CCCD/phone) while locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Members also sign in with their CCCD or phone number.
    "dangvien.members.auth.MemberIdentifierBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Repeated failed logins for one username or from one address are refused for a while (axes:
# every path that authenticates, plus wrong activation and second-factor codes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(seconds=env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# Refused attempts are not counted, so the lock ends on time however often the user tries.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "dangvien.accounts.lockout.attempt_username"
AXES_CLIENT_IP_CALLABLE = "dangvien.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "dangvien.accounts.lockout.lockout_response"
# Axes keeps the failed request's GET and POST data: masked are the secrets and the identity
# numbers of the activation form and its link (?so=CCCD&ma=code) and the second-factor code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "identifier", "code"]
AXES_SENSITIVE_PARAMETERS += ["password1", "password2", "so", "ma"]
# Behind N reverse proxies the client address is taken from X-Forwarded-For (0: REMOTE_ADDR).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
# Administrators and province staff must sign in with a second factor (TOTP) when this is on.
DANGVIEN_REQUIRE_2FA = env_bool("DANGVIEN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "dangvien"
# Wrong codes are counted by axes with wrong passwords: one lock, not a second one per device.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The admin shows no one's authenticator secret or its QR code: only its owner saw it, once.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# The number format of party cards issued from 8/8/2025 (Chỉ thị 51-CT/TW), not confirmed yet: a
# regular expression the whole number matches (procedures.rules.card; older cards: 8 digits).
PARTY_CARD_PATTERN = env_regex("PARTY_CARD_PATTERN", r"\d{8}")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["dangvien.formats"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
# Member photos: outside the web root, served only through the scoped `member_photo` view.
MEMBER_FILES_DIR = Path(
    os.environ.get("DANGVIEN_MEMBER_FILES_DIR") or VAR_DIR / "files" / "members"
)
# Word templates of this installation: a file here replaces the shipped template of the same
# name (e.g. procedures/docx/ket_nap_quyet_dinh.docx), without a code change.
DOCX_TEMPLATES_DIR = Path(os.environ.get("DANGVIEN_DOCX_TEMPLATES_DIR") or VAR_DIR / "mau-van-ban")
# Jobs' input and result files: outside the web root, served only through the download view.
TASKS_DIR = Path(os.environ.get("DANGVIEN_TASKS_DIR") or VAR_DIR / "tasks")
# The queue of background work (django-tasks): rows in the database, taken by `dangvien worker`
# processes. Imports have a queue of their own so they never wait behind an export or a check.
# TASKS_INLINE runs each job in the request that starts it (a one-process trial) instead.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_INLINE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "imports"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
