"""The audit trail, on top of Wagtail's own log (``ModelLogEntry``), so the admin shows it.

Each entry says who acted, on whose behalf, what happened, when, and through which channel
(api, page, admin, command). Services call :func:`record` inside their transaction.
"""

from wagtail.log_actions import log

VIA_CHOICES = ("api", "page", "admin", "command", "system")


def record(instance, action: str, *, actor=None, on_behalf_of=None, via: str = "system", data=None):
    if via not in VIA_CHOICES:
        raise ValueError(f"unknown audit channel {via!r}")
    payload = {"via": via, **(data or {})}
    if on_behalf_of is not None and on_behalf_of != actor:
        payload["on_behalf_of"] = {"id": on_behalf_of.pk, "name": str(on_behalf_of)}
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return log(instance, action, user=actor, data=payload)
