"""The audit trail, on top of Wagtail's own log (``ModelLogEntry`` / ``PageLogEntry``).

Each entry says who acted (``user``), on whose behalf (``data["on_behalf_of"]``), what happened
(``action``), when (``timestamp``) and through which channel (``data["via"]``: api, page, admin,
command, system). Services call :func:`record` inside their transaction, so the entry commits or
rolls back with the change it describes. Because these are Wagtail log entries, staff read them
in the admin: the History view of each snippet / model viewset object and the site history
report, filtered by the permissions Wagtail already applies.

Actions must be registered (``register_log_actions`` hook). Register them with
:func:`register_action` so the admin message also says on whose behalf and through which
channel, e.g. "Took a place (on behalf of 王阿姨; via staff console)".
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, registry
from wagtail.log_actions import log as wagtail_log

VIA_LABELS = {
    "api": _("API"),
    "page": _("member pages"),
    "admin": _("admin"),
    "command": _("management command"),
    "system": _("system"),
}
VIA_CHOICES = tuple(VIA_LABELS)


def _person(user):
    name = getattr(user, "display_name", "") or str(user)
    return {"id": user.pk, "name": name}


def record(instance, action: str, *, actor=None, on_behalf_of=None, via: str = "system", data=None):
    """Write one audit entry for ``instance`` and return it.

    ``actor`` is who did it (None or an anonymous user for the system itself); ``on_behalf_of``
    the person it was done for when that is someone else (a resident booked by phone through
    canteen staff). ``data`` is any JSON-serialisable detail (quantities, old and new status).
    """
    if via not in VIA_CHOICES:
        raise ValueError(f"unknown audit channel {via!r}; use one of {', '.join(VIA_CHOICES)}")
    if not registry.action_exists(action):
        # Wagtail refuses it too (a ValidationError on save); say what to do about it.
        raise ValueError(
            f"audit action {action!r} is not registered: register it in your wagtail_hooks.py "
            "with a register_log_actions hook (core.audit.register_action)"
        )
    if not action.startswith("wagtail.") and not isinstance(registry.get_formatter(
            _Probe(action)), AuditFormatter):
        # Registered with Wagtail's plain registry: its history would drop "on behalf of …; via …".
        raise ValueError(
            f"audit action {action!r} is registered without the audit formatter: register it "
            "with core.audit.register_action(actions, action, label, message)"
        )
    actor = actor if getattr(actor, "is_authenticated", False) else None
    payload = {"via": via, **(data or {})}
    if on_behalf_of is not None and getattr(on_behalf_of, "pk", None) != getattr(actor, "pk", None):
        payload["on_behalf_of"] = _person(on_behalf_of)
    return wagtail_log(instance, action, user=actor, data=payload)


class _Probe:
    """Enough of a log entry for ``registry.get_formatter``."""

    def __init__(self, action):
        self.action = action


def entries_for(instance):
    """The audit entries of ``instance``, newest first, with their users (one query)."""
    return registry.get_logs_for_instance(instance).select_related("user").order_by("-timestamp", "-id")


class AuditFormatter(LogFormatter):
    """Adds "on behalf of …" and the channel to the admin message of an entry."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        details = []
        behalf = data.get("on_behalf_of")
        if isinstance(behalf, dict) and behalf.get("name"):
            details.append(_("on behalf of %(name)s") % {"name": behalf["name"]})
        via = data.get("via")
        if via:
            details.append(_("via %(channel)s") % {"channel": VIA_LABELS.get(via, via)})
        message = str(self.message)
        return f"{message} ({'; '.join(str(d) for d in details)})" if details else message


def register_action(actions, action, label, message):
    """Register ``action`` with the audit formatter (call from a ``register_log_actions`` hook)."""
    formatter = type("AuditFormatter", (AuditFormatter,), {"label": label, "message": message})
    actions.register_action(action)(formatter)


CORE_ACTIONS = (
    ("fengchao.claim", _("Capacity claimed"), _("Took a place")),
    ("fengchao.release", _("Capacity released"), _("Gave a place back")),
    ("fengchao.status_change", _("Status change"), _("Changed the status")),
    ("fengchao.profile_change", _("Profile change"), _("Changed the profile")),
    ("fengchao.account_delete", _("Account deleted"), _("Deleted the account")),
    ("fengchao.on_behalf", _("Action on behalf"), _("Acted on someone's behalf")),
)


def register_core_actions(actions):
    """The actions core services write; core's ``wagtail_hooks`` registers them."""
    for action, label, message in CORE_ACTIONS:
        register_action(actions, action, label, message)
