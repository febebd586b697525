"""The notifier: SMS, WeChat template messages and e-mail through pluggable backends.

Plugins call :func:`notify`. Inside a transaction the message is only handed to the task queue
after commit, so a rolled-back booking never texts anyone; the task (``core.tasks``) then calls
:func:`deliver`, which picks the channel's backend and never raises into the queue: a failure is
logged and recorded as a FAILED ``NotificationLog`` row that staff see in the admin.

Backends are classes with ``send(*, channel, recipient, subject, body, user_id, kind)`` that
return the ``NotificationLog`` row they wrote. Which one serves a channel:

- ``FENGCHAO_NOTIFY_BACKENDS = {"sms": "...", "wechat": "...", "email": "..."}`` if set,
- else ``FENGCHAO_SMS_BACKEND`` for SMS, ``FENGCHAO_EMAIL_BACKEND`` (default
  :class:`EmailBackend`, i.e. Django's mailers) for e-mail and ``FENGCHAO_NOTIFY_BACKEND`` for
  the rest. The console backend is the default for SMS and WeChat: a real gateway is a class
  with the same ``send``.
"""

import logging
import sys

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils.module_loading import import_string

from core.models import NotificationLog

logger = logging.getLogger(__name__)

CHANNELS = tuple(NotificationLog.Channel.values)
DEFAULT_EMAIL_BACKEND = "core.notify.EmailBackend"


class LogBackend:
    """Base for backends: :meth:`log` writes the database record of a message."""

    def log(self, *, channel, recipient, subject, body, user_id=None, kind="", status=None):
        return NotificationLog.objects.create(
            channel=channel, recipient=recipient[:200], subject=subject[:200], body=body,
            user_id=user_id, kind=kind[:60], status=status or NotificationLog.Status.SENT,
            backend=backend_path(self),
        )

    def send(self, *, channel, recipient, subject, body, user_id=None, kind=""):
        raise NotImplementedError


class ConsoleAndLogBackend(LogBackend):
    """Writes each message to stdout and to the database log. Used in development and tests."""

    def send(self, *, channel, recipient, subject, body, user_id=None, kind=""):
        sys.stdout.write(f"[{channel} → {recipient}] {subject} {body}\n")
        return self.log(
            channel=channel, recipient=recipient, subject=subject, body=body, user_id=user_id, kind=kind,
        )


class EmailBackend(LogBackend):
    """Sends e-mail through Django's mailers (``MAILERS``, Django 6.1) and logs it.

    ``FENGCHAO_MAILER`` names the mailer alias (default: the default mailer). What actually
    happens to the message (SMTP, console, in-memory outbox in tests) is the mailer's business.
    """

    def send(self, *, channel, recipient, subject, body, user_id=None, kind=""):
        if channel != NotificationLog.Channel.EMAIL:
            raise ValueError(f"EmailBackend only sends e-mail, not {channel!r}")
        subject = " ".join((subject or settings.WAGTAIL_SITE_NAME).split())  # no header folding
        message = EmailMessage(subject=subject, body=body, to=[recipient])
        message.send(using=getattr(settings, "FENGCHAO_MAILER", None))
        return self.log(
            channel=channel, recipient=recipient, subject=subject, body=body, user_id=user_id, kind=kind,
        )


def backend_path(backend):
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def get_backend(channel):
    if channel not in CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}")
    configured = getattr(settings, "FENGCHAO_NOTIFY_BACKENDS", None) or {}
    if channel in configured:
        path = configured[channel]
    elif channel == NotificationLog.Channel.SMS:
        path = settings.FENGCHAO_SMS_BACKEND
    elif channel == NotificationLog.Channel.EMAIL:
        path = getattr(settings, "FENGCHAO_EMAIL_BACKEND", DEFAULT_EMAIL_BACKEND)
    else:
        path = settings.FENGCHAO_NOTIFY_BACKEND
    return import_string(path)()


def recipient_for(user, channel):
    """The user's address on ``channel``, or "" when they have none (the channel is skipped)."""
    if user is None:
        return ""
    if channel == NotificationLog.Channel.SMS:
        return getattr(user, "phone", "") or ""
    if channel == NotificationLog.Channel.EMAIL:
        return getattr(user, "email", "") or ""
    if channel == NotificationLog.Channel.WECHAT:
        return getattr(user, "wechat_openid", "") or ""
    return ""


def deliver(*, channel, recipient, subject="", body, user_id=None, kind=""):
    """Send now (called by the task). Failures are logged and recorded, never raised."""
    backend = None
    try:
        backend = get_backend(channel)
        return backend.send(
            channel=channel, recipient=recipient, subject=subject, body=body, user_id=user_id, kind=kind,
        )
    except Exception:
        logger.exception("notification %r to %s over %s failed", kind, recipient, channel)
        return NotificationLog.objects.create(
            channel=channel, recipient=recipient[:200], subject=subject[:200], body=body,
            user_id=user_id, kind=kind[:60], status=NotificationLog.Status.FAILED,
            backend=backend_path(backend) if backend is not None else "",
        )


@task
def send_notification(*, channel, recipient, subject, body, user_id=None, kind=""):
    """Deliver one message in the background (queued by :func:`notify` after commit). It lives
    beside what it delivers: core.tasks only names it, so the two modules import one way."""
    log = deliver(channel=channel, recipient=recipient, subject=subject, body=body, user_id=user_id, kind=kind)
    return log.pk if log else None


def notify(user=None, *, body, subject="", kind="", channels=("sms",), recipient=None):
    """Queue a message to ``user`` (or to a bare ``recipient`` address) after commit.

    ``channels`` lists the ways to try; each one the user has an address for is used. Returns
    how many messages were queued. Called outside a transaction, the message is queued at once.
    """
    sends = []
    for channel in channels:
        if channel not in CHANNELS:
            raise ValueError(f"unknown notification channel {channel!r}")
        address = recipient if recipient is not None else recipient_for(user, channel)
        if address:
            sends.append(
                {"channel": channel, "recipient": str(address), "subject": str(subject),
                 "body": str(body), "user_id": getattr(user, "pk", None), "kind": kind}
            )

    def enqueue():
        for kwargs in sends:
            send_notification.enqueue(**kwargs)

    if sends:
        # robust: the booking has committed by now; a queue hiccup must not turn it into a 500.
        transaction.on_commit(enqueue, robust=True)
    return len(sends)
