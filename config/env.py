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
