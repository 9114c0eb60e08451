"""Ponder's one settings module: everything that varies comes from the environment."""

import ipaddress
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core.storage import OBJECT_HEADERS, SIGNED_URL_SECONDS

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number") from error


def env_count(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be 0 or more")
    return value


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a number") from error


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    networks = env_list(name, "")
    for cidr in networks:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name} must be networks such as 10.0.0.0/8, not {cidr!r}"
            ) from error
    return networks


OIDC_PROVIDER_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")


def oidc_provider(provider_id: str) -> dict[str, object]:
    """One OpenID Connect provider from PONDER_OIDC_<ID>_* (docs/DEPLOY.md),
    as an app of allauth's openid_connect provider."""
    if not OIDC_PROVIDER_ID.fullmatch(provider_id):
        raise ImproperlyConfigured(
            "PONDER_OIDC_PROVIDERS must name providers in lower-case letters, "
            f"digits and hyphens, such as entra,keycloak; not {provider_id!r}"
        )
    prefix = f"PONDER_OIDC_{provider_id.upper().replace('-', '_')}_"
    issuer = env_str(prefix + "ISSUER", "").rstrip("/")
    client_id = env_str(prefix + "CLIENT_ID", "")
    secret = env_str(prefix + "SECRET", "")
    missing = [
        prefix + name
        for name, value in [
            ("ISSUER", issuer),
            ("CLIENT_ID", client_id),
            ("SECRET", secret),
        ]
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(f"{', '.join(missing)} must be set")
    if not re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", issuer):
        raise ImproperlyConfigured(
            f"{prefix}ISSUER must be the provider's issuer URL, not {issuer!r}"
        )
    return {
        "provider_id": provider_id,
        "name": env_str(prefix + "LABEL", "") or provider_id,
        "client_id": client_id,
        "secret": secret,
        "settings": {
            "server_url": issuer,
            "oauth_pkce_enabled": True,
            # Matching an account by address: accounts/adapter.py's own rule.
            "email_authentication": True,
            # Sign-ins through it count as two-factor (docs/DEPLOY.md).
            "trust_mfa": env_bool(prefix + "TRUST_MFA", False),
        },
    }


def oidc_providers() -> list[dict[str, object]]:
    """The providers named in PONDER_OIDC_PROVIDERS, in that order."""
    ids = env_list("PONDER_OIDC_PROVIDERS", "")
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured("PONDER_OIDC_PROVIDERS names a provider twice")
    return [oidc_provider(provider_id) for provider_id in ids]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("PONDER_TESTING", "pytest" in sys.modules)
# Development and tests run over plain HTTP on loopback; production is hardened.
PRODUCTION = not (DEBUG or TESTING)

# In production an empty key is left empty: commands that sign nothing
# (migrate, makemigrations) still run, while the web server refuses to start
# (config/wsgi.py) and `check --deploy` reports it.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and not PRODUCTION:
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("PONDER_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # project
    "core",
    "accounts",
    "programmes",
    "journal",
    "notifications",
    "facilitation",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    # contrib
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django.forms",
]
FORM_RENDERER = "core.forms.FormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language a visitor chose (cookie) or their browser asks for...
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Per-reader parts of shared cached HTML, the CSRF token among them.
    "core.holes.FillHolesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SignInWaysMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "programmes.middleware.FacilitatorMFAMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",
    # ...unless a signed-in person chose one in their profile.
    "accounts.middleware.UserLanguageMiddleware",
    # After the user is known: the 400 and 404 pages show who is signed in.
    "core.middleware.UnstorableTextMiddleware",
    "core.ratelimit.RateLimitedMiddleware",
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
                # {% csrf_token %} as a hole, filled per response (core/holes.py).
                "core.holes.csrf_token",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
            "builtins": ["core.templatetags.ponder"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        # A kept connection broken by a database restart is replaced, not used.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # PostgreSQL plans a query the fifth time a connection runs it and keeps
    # the plan: most of our queries cost more to plan than to run. Turn off
    # behind a pooler in transaction mode (PgBouncer), which cannot keep them.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share the file. With a write-ahead log readers
    # never wait for the writer; a transaction takes the write lock when it
    # begins, so writers queue (for up to `timeout` seconds) instead of failing
    # with "database is locked" when a read turns into a write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One Redis shared by every app server holds the cache, allauth's rate limits
# and a copy of each session; without it each process keeps its own. It holds
# nothing of record: while it is away, pages are slower, never broken
# (core.cache.FailSoftRedisCache).
REDIS_URL = env_str("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 0.25)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ponder",
            "OPTIONS": {
                # A Redis that is away costs a request this long, at most once
                # every RETRY_SECONDS per process: in between it is not asked.
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "RETRY_SECONDS": env_float("REDIS_RETRY_SECONDS", 2),
                # allauth's rate limits (and one-time codes) count in each
                # process while Redis is away, instead of not at all.
                # So do ours (core/ratelimit.py's KEY_PREFIX).
                "LOCAL_WHILE_AWAY": ["allauth", "limits:"],
            },
        },
        # HTML and values under versioned keys (core/freshness.py): a copy in
        # each process in front of Redis.
        "versioned": {
            "BACKEND": "core.cache.LayeredCache",
            "LOCATION": "default",
            "TIMEOUT": 600,
            # A miss another process is already rendering waits for its HTML.
            "OPTIONS": {"MAX_ENTRIES": 500, "WAIT_SECONDS": 2},
        },
    }
    # Sessions are written through to the database, so a Redis restart signs
    # nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Seconds a copy of each signed-in user (with their profile) is kept in
    # Redis, forgotten by every change (accounts/backends.py). Not kept without
    # a shared cache: one process could not tell the others of a new password.
    SIGNED_IN_USER_SECONDS = 60
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ponder",
        },
        # The same store: the default cache is in each process already.
        "versioned": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ponder",
        },
    }
    SIGNED_IN_USER_SECONDS = 0

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    "accounts.backends.ProfileLoadingModelBackend",
    "accounts.backends.ProfileLoadingAuthenticationBackend",
]

#: How long an open cohort's Join button, pressed while signed out, waits in
#: the session: signing in later lands on the programme page to press it again.
PONDER_OPEN_JOIN_SECONDS = env_int("PONDER_OPEN_JOIN_SECONDS", 60 * 60)

#: How many of each kind of write one person may make a minute and a day
#: (core/ratelimit.py), from PONDER_LIMIT_<KIND>_PER_MINUTE and _PER_DAY; 0 for
#: no limit. Entries count when made or published, not on every autosave.
PONDER_RATE_LIMITS = {
    kind: (
        env_count(f"PONDER_LIMIT_{kind.upper()}_PER_MINUTE", per_minute),
        env_count(f"PONDER_LIMIT_{kind.upper()}_PER_DAY", per_day),
    )
    for kind, (per_minute, per_day) in {
        "entries": (10, 100),
        "comments": (10, 200),
        "likes": (30, 500),
        "reports": (5, 50),
        "images": (30, 300),
        # Each asks another site: linking a blog or pressing "Read it now".
        "blog_reads": (3, 30),
    }.items()
}
#: Facilitators and programme owners may do this many times as much.
PONDER_RATE_LIMIT_LEADER_FACTOR = max(1, env_count("PONDER_LIMIT_LEADER_FACTOR", 10))

#: Each language in itself, as the language switcher offers it.
LANGUAGES = [("en-gb", "English"), ("de", "Deutsch"), ("nl", "Nederlands")]
#: The site's language for a browser that asks for none Ponder has.
LANGUAGE_CODE = env_str("PONDER_LANGUAGE_CODE", "en-gb")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"PONDER_LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}"
    )
TIME_ZONE = "UTC"
PONDER_DEFAULT_TIME_ZONE = env_str("PONDER_DEFAULT_TIME_ZONE", "Europe/London")
USE_I18N = True
# Ponder's catalogues (German, Dutch, and English for django-allauth's strings
# in sentence case), compiled and committed: `make messages` after a change.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (images) are private: a view checks who may see one before
# serving it (core/storage.py). They live on the local disk under MEDIA_ROOT
# unless PONDER_S3_BUCKET names an S3-compatible object store (docs/DEPLOY.md,
# "Uploaded images"). A half-set store fails here, at start, not at the first
# upload.
MEDIA_ROOT = Path(env_str("PONDER_MEDIA_ROOT", str(BASE_DIR / "media")))
#: Refusals at upload (journal/images.py), each answered with its own message.
PONDER_IMAGE_MAX_BYTES = env_int("PONDER_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
PONDER_IMAGE_MAX_PIXELS = env_int("PONDER_IMAGE_MAX_PIXELS", 40_000_000)
PONDER_IMAGE_QUOTA_BYTES = env_int("PONDER_IMAGE_QUOTA_BYTES", 200 * 1024 * 1024)
#: Networks the feed fetcher (core/fetch.py) may reach although they are
#: private or loopback, on any port: an intranet blog, or the tests' server.
PONDER_FETCH_ALLOWED_NETWORKS = env_networks("PONDER_FETCH_ALLOWED_NETWORKS")
#: How often `read_linked_blogs` reads each linked blog's feed, and how many
#: feeds it fetches at once (journal/blogs.py).
PONDER_LINKED_BLOG_MINUTES = env_int("PONDER_LINKED_BLOG_MINUTES", 60)
PONDER_LINKED_BLOG_THREADS = env_int("PONDER_LINKED_BLOG_THREADS", 8)
S3_VARIABLES = [
    "PONDER_S3_ENDPOINT_URL",
    "PONDER_S3_REGION",
    "PONDER_S3_ADDRESSING_STYLE",
    "PONDER_S3_ACCESS_KEY_ID",
    "PONDER_S3_SECRET_ACCESS_KEY",
    "PONDER_S3_OBJECT_ACL",
]


def s3_storage_options(bucket: str) -> dict[str, object]:
    endpoint_url = env_str("PONDER_S3_ENDPOINT_URL", "")
    if endpoint_url and not re.fullmatch(r"https?://[^/?#\s]+/?", endpoint_url):
        raise ImproperlyConfigured(
            "PONDER_S3_ENDPOINT_URL must be the store's address, such as "
            f"https://s3.example.net, not {endpoint_url!r}"
        )
    access_key = env_str("PONDER_S3_ACCESS_KEY_ID", env_str("AWS_ACCESS_KEY_ID", ""))
    secret_key = env_str(
        "PONDER_S3_SECRET_ACCESS_KEY", env_str("AWS_SECRET_ACCESS_KEY", "")
    )
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "PONDER_S3_ACCESS_KEY_ID and PONDER_S3_SECRET_ACCESS_KEY (or "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) go together: one is "
            "set without the other"
        )
    # On AWS itself boto3 can find credentials of its own (an instance role);
    # another store has no such thing.
    if endpoint_url and not access_key:
        raise ImproperlyConfigured(
            "PONDER_S3_ENDPOINT_URL needs PONDER_S3_ACCESS_KEY_ID and "
            "PONDER_S3_SECRET_ACCESS_KEY"
        )
    addressing_style = env_str("PONDER_S3_ADDRESSING_STYLE", "auto")
    if addressing_style not in {"auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            "PONDER_S3_ADDRESSING_STYLE must be auto, path or virtual, "
            f"not {addressing_style!r}"
        )
    # A bucket with ACLs turned off (AWS's "bucket owner enforced", the default
    # for new buckets) refuses uploads that name one: "none" sends none, and
    # the bucket's own policy keeps the objects private.
    object_acl = env_str("PONDER_S3_OBJECT_ACL", "private")
    if object_acl not in {"private", "none"}:
        raise ImproperlyConfigured(
            f"PONDER_S3_OBJECT_ACL must be private or none, not {object_acl!r}"
        )
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": env_str("PONDER_S3_REGION", "") or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "addressing_style": addressing_style,
        "signature_version": "s3v4",
        "default_acl": None if object_acl == "none" else object_acl,
        # Every URL is signed and short-lived, straight from the store: no
        # public custom domain in front of the bucket.
        "querystring_auth": True,
        "querystring_expire": SIGNED_URL_SECONDS,
        "custom_domain": None,
        # A second upload under the same name gets a name of its own.
        "file_overwrite": False,
        "object_parameters": OBJECT_HEADERS,
    }


def s3_url_origin(options: dict[str, object]) -> str:
    """The scheme and host of the store's signed URLs, as botocore makes them.

    The image view redirects there, and the browser checks the redirect
    against the page's img-src. The host depends on the region, the
    addressing style and the bucket's name in ways only botocore knows, so
    botocore signs a URL (offline, with a dummy key) and we keep its origin.
    """
    import boto3  # only with a store configured
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id="origin-only",
        aws_secret_access_key="origin-only",
        config=Config(
            s3={"addressing_style": options["addressing_style"]},
            signature_version=options["signature_version"],
        ),
    )
    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": options["bucket_name"], "Key": "origin"}
    )
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


S3_BUCKET = env_str("PONDER_S3_BUCKET", "")
UPLOADS_ORIGINS: list[str] = []
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": s3_storage_options(S3_BUCKET),
    }
    UPLOADS_ORIGINS = [s3_url_origin(DEFAULT_STORAGE["OPTIONS"])]
elif stray := [name for name in S3_VARIABLES if os.environ.get(name)]:
    raise ImproperlyConfigured(
        f"{', '.join(stray)} set without PONDER_S3_BUCKET: name the bucket to "
        "store uploads in the object store, or unset them to keep them on disk"
    )
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if not PRODUCTION
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Outside production, whitenoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Accounts: django-allauth, e-mail as the login, a username for the journal's URL.
ACCOUNT_ADAPTER = "programmes.adapter.JoiningAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# Adds "Your name" (the profile's display name) to allauth's sign-up form.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_USERNAME_BLACKLIST = [
    "about", "account", "accounts", "admin", "api", "c", "feed", "feeds", "help",
    "join", "login", "logout", "me", "new", "ponder", "root", "settings", "signup",
    "static", "studio", "support", "system", "www", "write",
]  # fmt: skip
# Robots: a sign-up form sent sooner than this after it was shown is refused
# (accounts/forms.py); 0 turns the check off.
PONDER_SIGNUP_MIN_SECONDS = env_float("PONDER_SIGNUP_MIN_SECONDS", 3)
# Sign-ups only for addresses at these domains (and their subdomains); empty
# for any address.
PONDER_SIGNUP_EMAIL_DOMAINS = [
    domain.lower().lstrip("@.")
    for domain in env_list("PONDER_SIGNUP_EMAIL_DOMAINS", "")
]
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ponder] "
ACCOUNT_USER_DISPLAY = "accounts.models.display_name"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_URL.split(":", 1)[0]
# allauth rate-limits sign-in and sign-up per client address. Behind N proxies
# of ours it takes the Nth address from the right of X-Forwarded-For; with 0 it
# ignores that header (anyone can forge it) and uses REMOTE_ADDR, which behind a
# proxy is the proxy's, so everyone would share one limit.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Two-factor sign-in (allauth.mfa): an authenticator app, with recovery codes.
# Wrong codes count as failed logins (ACCOUNT_RATE_LIMITS "login_failed").
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ponder"
# When on, facilitators and programme owners must turn it on before anything
# else (programmes.middleware.FacilitatorMFAMiddleware).
PONDER_REQUIRE_FACILITATOR_MFA = env_bool("PONDER_REQUIRE_FACILITATOR_MFA", False)

# Single sign-on: OpenID Connect providers through allauth.socialaccount,
# from PONDER_OIDC_PROVIDERS and PONDER_OIDC_<ID>_* (docs/DEPLOY.md). None
# configured: no sign-in buttons, no linked-accounts section.
OIDC_APPS = oidc_providers()
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": OIDC_APPS}}
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
# A first sign-in makes the account at once, named by the provider's `name`.
SOCIALACCOUNT_AUTO_SIGNUP = True
# An address the provider says is verified signs into the account that has it
# verified here, and links the provider to it (SocialAccountAdapter).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# The sign-in buttons POST (a GET would sign in from any page's link).
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("PONDER_OIDC_TIMEOUT_SECONDS", 10)
# With this on, only the providers sign people in: the password sign-in,
# sign-up and password pages are gone (accounts.middleware.SSOOnlyMiddleware).
# Not allauth's SOCIALACCOUNT_ONLY: that refuses to run with allauth.mfa and
# with mandatory e-mail verification, and removes its URLs when imported.
PONDER_SSO_ONLY = env_bool("PONDER_SSO_ONLY", False)
if PONDER_SSO_ONLY and not OIDC_APPS:
    raise ImproperlyConfigured(
        "PONDER_SSO_ONLY needs a provider in PONDER_OIDC_PROVIDERS, "
        "or nobody could sign in"
    )

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ponder <ponder@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Replies by e-mail (notifications/inbound.py, docs/DEPLOY.md): off while empty.
# Mail to this address must reach `manage.py receive_email` (an MTA's pipe) or
# `manage.py smtp_listener`. Each e-mail about a comment is sent with
# Reply-To: reply+<signed token>@mail.example.org, valid PONDER_REPLY_DAYS.
PONDER_REPLY_ADDRESS = env_str("PONDER_REPLY_ADDRESS", "")
PONDER_REPLY_DAYS = env_int("PONDER_REPLY_DAYS", 30)
# The authserv-id your MTA writes in Authentication-Results (RFC 8601), e.g.
# "mx.example.org": replies whose DMARC check it did not pass are refused.
PONDER_REPLY_AUTHSERV_ID = env_str("PONDER_REPLY_AUTHSERV_ID", "")
# Larger messages are refused unread (their pictures are ignored anyway).
PONDER_INBOUND_MAX_BYTES = env_int("PONDER_INBOUND_MAX_BYTES", 10 * 1024 * 1024)

# Background work: django-tasks; immediate in development and tests.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "PONDER_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if not PRODUCTION
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Production hardening; the switches let loopback runs use plain HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Scripts (autosave) get a 403 in JSON, people the usual page.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A load balancer probes /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script or style anywhere: JavaScript and CSS come from static/.
# htmx's own indicator <style> is switched off in base.html's htmx-config.
# TOTP QR codes are data: images. Uploaded images in an object store come
# from where the image view redirects (UPLOADS_ORIGINS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *UPLOADS_ORIGINS],
        # The sign-in buttons' forms lead on to the providers.
        "form-action": [
            SELF,
            *sorted({origin(app["settings"]["server_url"]) for app in OIDC_APPS}),
        ],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
