"""Fengchao settings. Everything that differs between machines comes from the environment.

The embedded default needs no server: SQLite under var/, local media, an in-process cache and
tasks that run immediately. See the README's configuration table for every variable.
"""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import DEV_SECRET_KEY, env, env_bool, env_int, env_list, secret_key_problem
from config.storage import S3_BACKEND_PRIVATE, S3_BACKEND_PUBLIC, s3_storages
from core.plugin_discovery import plugin_apps

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("FENGCHAO_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
# Commands that only read the source (never serve, sign or store anything) run without a key, so
# `manage.py makemigrations --check` works on a clean checkout with nothing set.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "check_translations"}
_offline = Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS
if secret_key_problem(SECRET_KEY) and not DEBUG and not _offline:
    # Without DEBUG this is a server others reach: a public key would let anyone forge e-mail
    # confirmations, sessions and check-in codes. Stop here rather than serve with it.
    raise ImproperlyConfigured(
        f"{secret_key_problem(SECRET_KEY)} Set SECRET_KEY to a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=true on a "
        "development machine."
    )
if not SECRET_KEY:
    # DEBUG on one machine only; `check --deploy` refuses it (core.checks).
    SECRET_KEY = DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = (
    "accept", "authorization", "content-type", "x-csrftoken", "x-session-token", "accept-language",
)

# Plugins: FENGCHAO_PLUGINS unset = every built-in plugin plus installed third-party ones.
FENGCHAO_PLUGINS = plugin_apps(env("FENGCHAO_PLUGINS"))

INSTALLED_APPS = [
    "core",
    "members",
    "home",
    *FENGCHAO_PLUGINS,
    "wagtail.api.v3",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "members.users_app.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "ninja",
    "corsheaders",
    "allauth",
    "allauth.account",
    "allauth.headless",
    # WeChat sign-in (members.wechat, issue 17): the mini-program's accounts are allauth
    # SocialAccounts of the weixin provider; the web's login button appears only when
    # WECHAT_WEB_APP_ID/SECRET are set (SOCIALACCOUNT_PROVIDERS below), so both stay installed.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
    "allauth.usersessions",
    "django_tasks_db",
    "crontask",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # /healthz for load balancers, before anything else runs (core/health.py).
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.ApiInputGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.RateLimitedMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = env("FENGCHAO_URLCONF", "config.urls")
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.fengchao",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fengchao.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN, so a
    # read-then-write transaction waits its turn instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME", None)}
else:
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"

# A caching proxy in front (nginx, Varnish): FRONTEND_CACHE_URL (comma list, one per proxy) is
# where HTTP PURGE requests go. Wagtail's frontend cache purges a page when it is published or
# unpublished; core.frontend_cache purges the pages of a cache namespace when it goes stale.
FRONTEND_CACHE_URLS = env_list("FRONTEND_CACHE_URL", [])
if FRONTEND_CACHE_URLS:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.contrib.forms"), "wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        f"proxy{n}": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": url}
        for n, url in enumerate(FRONTEND_CACHE_URLS, 1)
    }
#: Pages purged at most per stale namespace (a proxy's own expiry bounds the rest).
FENGCHAO_FRONTEND_PURGE_MAX = env_int("FRONTEND_CACHE_PURGE_MAX", 500)

# Cache and sessions: Redis when REDIS_URL is set, else in-process memory.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "fengchao"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without Redis, app servers on other machines learn of a change within this many seconds
# (core.cache: the stamp file that tells processes reaches one machine only).
FENGCHAO_CACHE_RECHECK_SECONDS = env_int("CACHE_RECHECK_SECONDS", 60)

# Background tasks: immediate unless TASKS_BACKEND=database (then run `manage.py db_worker`).
if env("TASKS_BACKEND", "immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Task workers (core/workers.py): every `db_worker` beats every WORKER_HEARTBEAT_SECONDS; a task
# still RUNNING under a worker silent for WORKER_STALE_SECONDS (killed, machine lost) goes back in
# the queue for another worker, at most TASK_MAX_ATTEMPTS runs in all, then it is FAILED.
FENGCHAO_WORKER_HEARTBEAT_SECONDS = float(env("WORKER_HEARTBEAT_SECONDS", "10"))
FENGCHAO_WORKER_STALE_SECONDS = float(env("WORKER_STALE_SECONDS", "60"))
FENGCHAO_TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)

# Periodic jobs: django-crontask's scheduler (`manage.py crontask`; `make run` starts it). Each
# app's tasks.py declares its jobs with @cron. With Redis, a lock there keeps a second scheduler
# (another app server running one) from enqueuing every job twice.
CRONTASK = {"REDIS_URL": REDIS_URL} if REDIS_URL else {}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
if env_bool("FAST_PASSWORD_HASHER", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Language and time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Per-language date formats (config/formats/<locale>/formats.py): templates name a format
# ("DAY_FORMAT", through core.formats) instead of spelling 年/月/日, so English pages read English.
FORMAT_MODULE_PATH = ["config.formats"]
# Fonts with Chinese glyphs for PDFs: `make install` unpacks one here when it cannot install the
# system package (core.fonts); FENGCHAO_CJK_FONT names a file explicitly.
FENGCHAO_FONT_DIRS = [BASE_DIR / "var" / "fonts"]
FENGCHAO_CJK_FONT = env("FENGCHAO_CJK_FONT", "")
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Files only their owners and officers may read (config/storage.py): outside MEDIA_ROOT on disk,
# a bucket (or a prefix) of their own on S3; their URLs live this many seconds.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", VAR_DIR / "private-media"))
PRIVATE_MEDIA_URL_MAX_AGE = env_int("PRIVATE_MEDIA_URL_MAX_AGE", 300)
# S3-compatible object storage for both, when S3_BUCKET is set (README, docs/operations.md).
S3 = s3_storages(env, private_max_age=PRIVATE_MEDIA_URL_MAX_AGE)
if S3:
    _media_storages = {
        "default": {"BACKEND": S3_BACKEND_PUBLIC, "OPTIONS": S3[0]},
        "private": {"BACKEND": S3_BACKEND_PRIVATE, "OPTIONS": S3[1]},
    }
else:
    _media_storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "core.storage.PrivateFileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    }
MEDIA_ORIGINS = S3[2] if S3 else []
STORAGES = {
    **_media_storages,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG and env("SECRET_KEY") is not None)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

# Mail (Django 6.1 mailers): console on a development machine, SMTP once SECRET_KEY is set.
_DEV = DEBUG or env("SECRET_KEY") is None
MAILERS = {
    "default": {
        "BACKEND": env(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend" if _DEV else "django.core.mail.backends.smtp.EmailBackend",
        ),
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env("EMAIL_HOST_USER", ""),
        "password": env("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@fengchao.local")

# Security: strict when DEBUG is off and we are told we sit behind HTTPS.
SECURE_SSL = env_bool("SECURE_SSL", False)
if SECURE_SSL:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a same-origin iframe, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Content-Security-Policy (Django 6's own): no inline script anywhere on the public site and the
# member pages; scripts, styles, images and forms from this origin only. Pages pass data to their
# scripts in data-* attributes or <script type="application/json"> (not executed).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # data: for the small SVGs the admin's and the docs page's stylesheets embed; blob: for photos
    # previewed before upload.
    "img-src": [CSP.SELF, "data:", "blob:", *MEDIA_ORIGINS],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF, "blob:", *MEDIA_ORIGINS],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    # Wagtail's live preview frames our own pages (X_FRAME_OPTIONS above).
    "frame-ancestors": [CSP.SELF],
    "frame-src": [CSP.SELF],
}
# Wagtail's admin (8.0) writes inline <script> for its configuration and widgets (a strict policy
# blocks a dozen of them on the page editor and the admin stops working): under /admin/ only,
# inline script is allowed; everything else stays strict there too, and nothing outside /admin/
# gets it (core.middleware.SecurityHeadersMiddleware).
FENGCHAO_CSP_BY_PATH = {
    "/admin/": {**SECURE_CSP, "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]},
}
# Browser features no page here uses are off; the check-in page's QR scanner needs the camera,
# and the stations page's "use my location" needs geolocation (off, it failed silently).
PERMISSIONS_POLICY = (
    "camera=(self), microphone=(), geolocation=(self), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)

# Drawn maps (stations, reports): Leaflet comes from this site's static files; the background
# tiles from this server when set ({z}/{x}/{y}, {s} for subdomains). Unset, maps draw their
# markers on a plain background. Its origin is added to img-src on map pages only (core/maps.py).
# The stations plugin's old names (STATIONS_TILE_*) still work when these are unset.
MAP_TILE_URL = env("MAP_TILE_URL", "") or env("STATIONS_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "") or env("STATIONS_TILE_ATTRIBUTION", "")
MAP_TILE_COORDS = env("MAP_TILE_COORDS", "") or env("STATIONS_TILE_COORDS", "wgs84")

# Open311 GeoReport v2 (reports/open311): the jurisdiction this endpoint serves, e.g. the office's
# domain. Set, a request naming another jurisdiction_id is refused (404); unset, any is accepted.
OPEN311_JURISDICTION_ID = env("OPEN311_JURISDICTION_ID", "")

# Wagtail.
WAGTAIL_SITE_NAME = env("SITE_NAME", "蜂巢 Fengchao")
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILAPI_LIMIT_MAX = env_int("API_LIMIT_MAX", 50)
# Readers' front ends get display HTML with resolved links; editor tools ask ?rich_text_format=db_html.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_DOCS_ENABLED = env_bool("API_DOCS_ENABLED", True)
# Wagtail's database backend with Chinese segmented on both sides (core/search_backend.py): the
# admin, /api/v3/pages/?search= and the site search all find words inside Chinese sentences.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp", "heic": "webp"}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: the admin would send staff e-mail hashes abroad (and the CSP
# allows images from this origin only).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# django-allauth: e-mail, phone or username, with codes by SMS through core.notify. Usernames
# are what staff create accounts with and what the demo prints, so an app logs in with those too.
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "phone", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*"]
# Sign-up must not tell whether an address already has an account (issue 18). allauth can hide
# it only when a new sign-up, too, waits for its e-mail to be confirmed: with "optional" a taken
# address can only be refused ("already registered"), which is the leak. So sign-ups confirm
# their e-mail ("mandatory"; a taken address gets the same answer and its owner a "you already
# have an account" mail), and ACCOUNT_PREVENT_ENUMERATION (allauth's default, stated here) keeps
# password reset and login by code quiet as well. Logging in later does not ask for it
# (members.adapter.SignupEmailVerificationStage): accounts staff made for phone callers have no
# e-mail, and members who signed up before this have unconfirmed ones.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
# Confirming (in the browser or app that signed up; allauth checks the pending sign-up is in that
# session) finishes the sign-up and logs in, as the sign-up itself did before.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "verify_phone": "3/m/key,10/m/ip",
}
ACCOUNT_LOGOUT_ON_GET = False
LOGIN_REDIRECT_URL = "/members/"  # the member home "我的"
LOGIN_URL = "/accounts/login/"
HEADLESS_CLIENTS = ("app", "browser")

# WeChat (issue 17). Every call to WeChat's API goes to WECHAT_API_BASE (the tests' loopback
# server, or a forward proxy). The mini-program's app id and secret sign members in
# (POST /api/v3/members/wechat/login/), bind their phone and send subscription messages.
WECHAT_API_BASE = env("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_MINIPROGRAM_APP_ID = env("WECHAT_MINIPROGRAM_APP_ID", "")
WECHAT_MINIPROGRAM_SECRET = env("WECHAT_MINIPROGRAM_SECRET", "")
WECHAT_TIMEOUT = float(env("WECHAT_TIMEOUT", "5"))
# Web sign-in through allauth's weixin provider: a "website application" of the WeChat Open
# Platform (open.weixin.qq.com). Unset, the login page shows no WeChat button.
WECHAT_WEB_APP_ID = env("WECHAT_WEB_APP_ID", "")
WECHAT_WEB_SECRET = env("WECHAT_WEB_SECRET", "")
SOCIALACCOUNT_ADAPTER = "members.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "weixin": {
        "APPS": [{"client_id": WECHAT_WEB_APP_ID, "secret": WECHAT_WEB_SECRET}]
        if WECHAT_WEB_APP_ID and WECHAT_WEB_SECRET else [],
        "SCOPE": ["snsapi_login"],
    },
}
# WeChat gives no e-mail address: a member who signs in with WeChat has none to confirm, and a
# phone bound through WeChat is one WeChat has verified.
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_REQUESTS_TIMEOUT = WECHAT_TIMEOUT

# Fengchao.
# SMS: "console" (default), "aliyun", "tencent" (core/sms.py) or a backend's dotted path.
_SMS_BACKENDS = {"console": "core.notify.ConsoleAndLogBackend", "aliyun": "core.sms.AliyunSmsBackend",
                 "tencent": "core.sms.TencentSmsBackend"}
FENGCHAO_SMS_BACKEND = _SMS_BACKENDS.get(env("SMS_BACKEND", "console"), env("SMS_BACKEND", "console"))
FENGCHAO_SMS_TIMEOUT = float(env("SMS_TIMEOUT", "10"))
FENGCHAO_ALIYUN_SMS = {
    "access_key_id": env("ALIYUN_SMS_ACCESS_KEY_ID", ""),
    "access_key_secret": env("ALIYUN_SMS_ACCESS_KEY_SECRET", ""),
    "endpoint": env("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com"),
    "sign_name": env("ALIYUN_SMS_SIGN_NAME", ""),
}
FENGCHAO_TENCENT_SMS = {
    "secret_id": env("TENCENT_SMS_SECRET_ID", ""),
    "secret_key": env("TENCENT_SMS_SECRET_KEY", ""),
    "sdk_app_id": env("TENCENT_SMS_SDK_APP_ID", ""),
    "sign_name": env("TENCENT_SMS_SIGN_NAME", ""),
    "region": env("TENCENT_SMS_REGION", "ap-guangzhou"),
    "endpoint": env("TENCENT_SMS_ENDPOINT", "sms.tencentcloudapi.com"),
    # Tencent's status callbacks are posted to /notify/receipts/tencent/<this token>/ (empty: off).
    "callback_token": env("TENCENT_SMS_CALLBACK_TOKEN", ""),
}
# The wechat channel: subscription messages (core.wechat_messages) once the mini-program is set up.
FENGCHAO_NOTIFY_BACKEND = env("NOTIFY_BACKEND", "core.wechat_messages.WeChatSubscriptionBackend"
                              if WECHAT_MINIPROGRAM_APP_ID and WECHAT_MINIPROGRAM_SECRET
                              else "core.notify.ConsoleAndLogBackend")
FENGCHAO_EMAIL_BACKEND = env("EMAIL_NOTIFY_BACKEND", "core.notify.EmailBackend")
# The notifier's reliability (core.notify): texts per phone and hour for notices that are not
# urgent (0: no limit), quiet hours in site time when such notices wait for the morning (empty:
# none), and how often a temporary failure is tried, waiting RETRY_SECONDS, twice that, ...
FENGCHAO_SMS_PER_HOUR = env_int("SMS_PER_HOUR", 5)
FENGCHAO_NOTIFY_QUIET_HOURS = env("NOTIFY_QUIET_HOURS", "21:30-07:30")
FENGCHAO_NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5)
FENGCHAO_NOTIFY_RETRY_SECONDS = env_int("NOTIFY_RETRY_SECONDS", 60)
FENGCHAO_ANON_WRITE_RATE = env("ANON_WRITE_RATE", "30/m")
# Failed /admin/login/ attempts (allauth's limits do not cover Wagtail's login): per account as
# typed, and per client address; then even the right password waits for the window to end.
FENGCHAO_ADMIN_LOGIN_RATES = {
    "account": env("ADMIN_LOGIN_RATE_ACCOUNT", "5/5m"),
    "address": env("ADMIN_LOGIN_RATE_ADDRESS", "20/5m"),
}
WAGTAILADMIN_USER_LOGIN_FORM = "members.admin_login.ThrottledLoginForm"
FENGCHAO_LOCK_TIMEOUT_MS = env_int("LOCK_TIMEOUT_MS", 3000)
FENGCHAO_PREVIEW_URL = env("PREVIEW_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "level": env("LOG_LEVEL", "WARNING")}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Task backends log every state change at INFO; keep failures only.
        "django_tasks": {"level": env("TASKS_LOG_LEVEL", "WARNING")},
        "django.tasks": {"level": env("TASKS_LOG_LEVEL", "WARNING")},
    },
}
