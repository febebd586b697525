"""Reading settings from the environment, with one prefix-free vocabulary (see README)."""

import os


def env(name, default=None):
    value = os.environ.get(name)
    return default if value is None else value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


#: The key a development machine runs with when SECRET_KEY is unset. It is in the public source,
#: so anything signed with it (e-mail confirmation keys, check-in codes, sessions) can be forged.
DEV_SECRET_KEY = "insecure-dev-key-do-not-use-in-production-0123456789abcdefghijklmnop"  # noqa: S105
#: Keys that are public knowledge: ours, and the prefix of Django's startproject keys.
KNOWN_KEY_PREFIXES = ("insecure-dev-key", "django-insecure-")
MIN_SECRET_KEY_LENGTH = 50


def secret_key_problem(key):
    """Why ``key`` cannot sign anything in production, or None when it can."""
    if not key or not key.strip():
        return "SECRET_KEY is not set."
    if key.startswith(KNOWN_KEY_PREFIXES):
        return "SECRET_KEY is a published development key."
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        return f"SECRET_KEY is too short (at least {MIN_SECRET_KEY_LENGTH} random characters)."
    return None
