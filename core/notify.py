"""The notifier: SMS, WeChat template messages and e-mail through one pluggable backend.

Plugins call :func:`notify`. Inside a transaction the message is only handed to the task queue
after commit, so a rolled-back booking never texts anyone. The default backend prints to the
console and writes ``NotificationLog``; a real gateway is a class with the same ``send``.
"""

import logging
import sys

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from core.models import NotificationLog

logger = logging.getLogger(__name__)


class ConsoleAndLogBackend:
    """Writes each message to stdout and to the database log. Used in development and tests."""

    def send(self, *, channel, recipient, subject, body, user_id=None, kind=""):
        sys.stdout.write(f"[{channel} → {recipient}] {subject} {body}\n")
        return NotificationLog.objects.create(
            channel=channel, recipient=recipient, subject=subject[:200], body=body,
            user_id=user_id, kind=kind, backend=f"{type(self).__module__}.{type(self).__name__}",
        )


def get_backend(channel):
    path = settings.FENGCHAO_SMS_BACKEND if channel == "sms" else settings.FENGCHAO_NOTIFY_BACKEND
    return import_string(path)()


def recipient_for(user, channel):
    if channel == "sms":
        return getattr(user, "phone", "") or ""
    if channel == "email":
        return user.email or ""
    if channel == "wechat":
        return getattr(user, "wechat_openid", "") or ""
    return ""


def deliver(*, channel, recipient, subject="", body, user_id=None, kind=""):
    """Send now (called by the task). Failures are logged, never raised into the caller."""
    backend = get_backend(channel)
    try:
        return backend.send(
            channel=channel, recipient=recipient, subject=subject, body=body, user_id=user_id, kind=kind,
        )
    except Exception:
        logger.exception("notification to %s over %s failed", recipient, channel)
        return NotificationLog.objects.create(
            channel=channel, recipient=recipient, subject=subject[:200], body=body, user_id=user_id,
            kind=kind, status=NotificationLog.Status.FAILED, backend=type(backend).__name__,
        )


def notify(user=None, *, body, subject="", kind="", channels=("sms",), recipient=None):
    """Queue a message to ``user`` (or to a bare ``recipient`` address) after commit.

    ``channels`` lists the ways to try; each one the user has an address for is used.
    """
    from core.tasks import send_notification

    sends = []
    for channel in channels:
        address = recipient if recipient is not None else recipient_for(user, channel)
        if address:
            sends.append(
                {"channel": channel, "recipient": address, "subject": str(subject), "body": str(body),
                 "user_id": getattr(user, "pk", None), "kind": kind}
            )

    def enqueue():
        for kwargs in sends:
            send_notification.enqueue(**kwargs)

    transaction.on_commit(enqueue)
    return len(sends)
