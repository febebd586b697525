"""The notifier: SMS, WeChat messages and e-mail through pluggable backends.

Plugins call :func:`notify` with a *kind* of notice declared once in their ``notices.py``
(:mod:`core.notices`) and its parameters; never with a body. After the sender's transaction
commits, one ``NotificationLog`` row per channel is written (with the text rendered in the
recipient's language and an idempotency key, unique in the database) and a task
(:func:`send_notification`) is queued for it; a rolled-back booking never texts anyone.

The task calls :func:`deliver`, which claims the row (one UPDATE from a waiting status to
``sending``: a task that runs twice, or beside the sweeper, finds nothing to claim and sends
nothing), then:

- defers a notice that is not urgent during quiet hours (``FENGCHAO_NOTIFY_QUIET_HOURS``) to
  their end;
- refuses, and records why, an SMS that is not urgent to a phone that has had
  ``FENGCHAO_SMS_PER_HOUR`` texts in the past hour (status ``rate_limited``);
- picks the channel's backend; a backend that sends through a provider's registered templates
  (``provider`` set: Aliyun, Tencent, WeChat) needs the kind mapped to a template in the admin
  (``core.NoticeTemplate``), and without one the notice goes to the console backend, the log
  saying so;
- stores the provider's answer (request id, message id, status code and message) on the row; a
  temporary failure (timeout, provider throttling) is retried with backoff up to
  ``FENGCHAO_NOTIFY_MAX_ATTEMPTS`` times, re-queued with ``run_after`` when the task backend can
  defer and in any case found again by :func:`send_due` (a job every minute, core.tasks). Every
  failure ends as a row staff see in the admin with its reason.

Backends are classes with ``send(message: Message) -> Outcome`` and a ``provider`` ("" for
one that sends the rendered text). Which one serves a channel:

- ``FENGCHAO_NOTIFY_BACKENDS = {"sms": "...", "wechat": "...", "email": "..."}`` if set,
- else ``FENGCHAO_SMS_BACKEND`` for SMS (``core.sms.AliyunSmsBackend``,
  ``core.sms.TencentSmsBackend``, default console), ``FENGCHAO_EMAIL_BACKEND`` (default
  :class:`EmailBackend`, i.e. Django's mailers) for e-mail and ``FENGCHAO_NOTIFY_BACKEND`` for
  the rest.
"""

import datetime
import hashlib
import logging
import sys
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from core import notices
from core.models import NoticeTemplate, NotificationLog

logger = logging.getLogger(__name__)

CHANNELS = tuple(NotificationLog.Channel.values)
DEFAULT_EMAIL_BACKEND = "core.notify.EmailBackend"
Status = NotificationLog.Status
#: The statuses a row waits in; :func:`deliver` claims a row only from one of them.
WAITING = (Status.QUEUED, Status.RETRY, Status.DEFERRED)


@dataclass
class Message:
    """What a backend is given: the rendered text, the notice's parameters and, for a backend
    that sends through a provider's templates, the mapping staff entered."""

    channel: str
    recipient: str
    subject: str
    body: str
    kind: str
    params: dict
    key: str
    template: NoticeTemplate | None = None
    sign_name: str = ""
    log_id: int | None = None


@dataclass
class Outcome:
    """A provider's answer. ``temporary``: worth trying again later (timeout, throttling).
    ``delivery``: "pending" when the provider will report delivery (receipt or query)."""

    ok: bool
    temporary: bool = False
    request_id: str = ""
    message_id: str = ""
    code: str = ""
    message: str = ""
    delivery: str = ""
    extra: dict = field(default_factory=dict)


class Backend:
    #: The ``NoticeTemplate.provider`` whose mappings this backend needs ("" = sends the text).
    provider = ""

    def send(self, message: Message) -> Outcome:
        raise NotImplementedError


class ConsoleAndLogBackend(Backend):
    """Writes each message to stdout (the log row is written by the notifier). Used in
    development, in tests, and for a kind no provider template is mapped for."""

    def send(self, message):
        sys.stdout.write(f"[{message.channel} → {message.recipient}] {message.subject} {message.body}\n")
        return Outcome(ok=True)


class EmailBackend(Backend):
    """Sends e-mail through Django's mailers (``MAILERS``, Django 6.1).

    ``FENGCHAO_MAILER`` names the mailer alias (default: the default mailer). What actually
    happens to the message (SMTP, console, in-memory outbox in tests) is the mailer's business.
    """

    def send(self, message):
        if message.channel != NotificationLog.Channel.EMAIL:
            raise ValueError(f"EmailBackend only sends e-mail, not {message.channel!r}")
        subject = " ".join((message.subject or settings.WAGTAIL_SITE_NAME).split())  # no header folding
        EmailMessage(subject=subject, body=message.body, to=[message.recipient]).send(
            using=getattr(settings, "FENGCHAO_MAILER", None))
        return Outcome(ok=True)


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


def language_for(user):
    """The language a notice to ``user`` is written in: theirs if the project knows it (an
    attribute ``language`` on the user), else the language active where the notice is sent (the
    request's: most notices answer the recipient's own request, and their parameters, such as a
    session's date, were worded in it), else the site's (zh-hans)."""
    return getattr(user, "language", "") or translation.get_language() or settings.LANGUAGE_CODE


# --- quiet hours, rate limit, backoff -------------------------------------------------------------

def _parse_quiet_hours(text):
    if not text:
        return None
    start, _sep, end = text.partition("-")
    return (datetime.time.fromisoformat(start.strip()), datetime.time.fromisoformat(end.strip()))


def quiet_until(now):
    """When the quiet hours around ``now`` end (an aware datetime), or None outside them.
    ``FENGCHAO_NOTIFY_QUIET_HOURS = "21:30-07:30"`` (site time; empty: none)."""
    hours = _parse_quiet_hours(getattr(settings, "FENGCHAO_NOTIFY_QUIET_HOURS", ""))
    if hours is None:
        return None
    start, end = hours
    local = timezone.localtime(now)
    clock = local.time()
    if start <= end:
        inside = start <= clock < end
    else:  # across midnight
        inside = clock >= start or clock < end
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, end))


def backoff(attempts):
    """Seconds to wait after the ``attempts``-th failed try: base, 2× base, 4× … at most an hour."""
    base = getattr(settings, "FENGCHAO_NOTIFY_RETRY_SECONDS", 60)
    return min(base * 2 ** max(attempts - 1, 0), 3600)


def _rate_limited(log, now):
    limit = getattr(settings, "FENGCHAO_SMS_PER_HOUR", 0)
    if not limit or log.urgent or log.channel != NotificationLog.Channel.SMS:
        return False
    recent = NotificationLog.objects.filter(
        channel=log.channel, recipient=log.recipient, status=Status.SENT,
        sent_at__gte=now - datetime.timedelta(hours=1)).exclude(pk=log.pk).count()
    return recent >= limit


# --- sending ----------------------------------------------------------------------------------------

def _schedule(log):
    """Re-queue ``log`` for its next attempt. A task backend that cannot defer (the immediate one)
    leaves it to :func:`send_due`, which the scheduler runs every minute."""
    backend = send_notification.get_backend()
    if backend.supports_defer:
        try:
            send_notification.using(run_after=log.next_attempt_at).enqueue(log_id=log.pk)
        except Exception:
            logger.exception("could not re-queue notification %s; the sweeper will find it", log.pk)


def deliver(log_id, *, now=None):
    """Attempt the queued notice ``log_id`` once (called by the task and by :func:`send_due`).
    Returns the row. Never raises: an unexpected error fails the row with its reason."""
    now = now or timezone.now()
    claimed = NotificationLog.objects.filter(pk=log_id, status__in=WAITING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
    ).update(status=Status.SENDING, attempts=F("attempts") + 1)
    log = NotificationLog.objects.filter(pk=log_id).first()
    if not claimed or log is None:
        return log  # sent already, or another worker has it: never twice
    try:
        # Reasons are written for the office's staff, in the site's language, whatever language
        # the process happens to have active (a request's, a test's).
        with translation.override(settings.LANGUAGE_CODE):
            _attempt(log, now)
    except Exception as exc:
        logger.exception("notification %s (%r to %s over %s) failed", log.pk, log.kind, log.recipient, log.channel)
        log.status, log.reason = Status.FAILED, f"{type(exc).__name__}: {exc}"[:1000]
        log.save(update_fields=["status", "reason"])
    return log


def _attempt(log, now):
    if not log.urgent and log.channel != NotificationLog.Channel.EMAIL:
        resume = quiet_until(now)
        if resume is not None:
            log.status, log.next_attempt_at, log.attempts = Status.DEFERRED, resume, log.attempts - 1
            log.reason = gettext("Quiet hours: deferred to %(time)s.") % {
                "time": f"{timezone.localtime(resume):%Y-%m-%d %H:%M}"}
            log.save(update_fields=["status", "next_attempt_at", "attempts", "reason"])
            _schedule(log)
            return
    if _rate_limited(log, now):
        log.status = Status.RATE_LIMITED
        log.reason = gettext("Not sent: this phone has had %(count)s texts in the past hour (the limit).") % {
            "count": settings.FENGCHAO_SMS_PER_HOUR}
        log.save(update_fields=["status", "reason"])
        return

    backend = get_backend(log.channel)
    template, reason = None, ""
    if backend.provider:
        template = NoticeTemplate.objects.filter(
            kind=log.kind, channel=log.channel, provider=backend.provider, enabled=True).first()
        if template is None:
            reason = gettext("No %(provider)s template is mapped for this kind of notice: written to the "
                             "console instead.") % {"provider": backend.provider}
            backend = ConsoleAndLogBackend()
    log.backend, log.provider = backend_path(backend), backend.provider
    if template is not None:
        log.template_code = template.template_code
        log.sign_name = template.sign_name or getattr(backend, "default_sign_name", "")
    message = Message(channel=log.channel, recipient=log.recipient, subject=log.subject, body=log.body,
                      kind=log.kind, params=log.params or {}, key=log.key or "", template=template,
                      sign_name=log.sign_name, log_id=log.pk)
    outcome = backend.send(message)

    log.request_id, log.message_id = outcome.request_id[:100], outcome.message_id[:100]
    log.provider_code, log.provider_message = outcome.code[:100], outcome.message[:500]
    if outcome.ok:
        log.status, log.sent_at, log.next_attempt_at, log.reason = Status.SENT, timezone.now(), None, reason
        log.delivery = outcome.delivery
    else:
        why = f"{outcome.code}: {outcome.message}" if outcome.code else outcome.message
        limit = getattr(settings, "FENGCHAO_NOTIFY_MAX_ATTEMPTS", 5)
        if outcome.temporary and log.attempts < limit:
            log.status = Status.RETRY
            log.next_attempt_at = now + datetime.timedelta(seconds=backoff(log.attempts))
            log.reason = gettext("Attempt %(n)s failed (%(why)s); trying again at %(time)s.") % {
                "n": log.attempts, "why": why,
                "time": f"{timezone.localtime(log.next_attempt_at):%H:%M:%S}"}
        else:
            log.status, log.next_attempt_at = Status.FAILED, None
            log.reason = why if not outcome.temporary else gettext(
                "Gave up after %(n)s attempts: %(why)s") % {"n": log.attempts, "why": why}
    log.save()
    if log.status == Status.RETRY:
        _schedule(log)


def send_due(now=None):
    """Attempt every notice whose retry or deferral time has come, and any queued more than ten
    minutes ago whose task was lost. Returns how many were attempted."""
    now = now or timezone.now()
    due = NotificationLog.objects.filter(
        Q(status__in=(Status.RETRY, Status.DEFERRED), next_attempt_at__lte=now)
        | Q(status=Status.QUEUED, created_at__lte=now - datetime.timedelta(minutes=10)),
    ).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    count = 0
    for pk in list(due[:500]):
        deliver(pk, now=now)
        count += 1
    return count


@task
def send_notification(*, log_id=None, channel=None, recipient=None, subject="", body="", user_id=None, kind=""):
    """Attempt one queued notice in the background (queued by :func:`notify` after commit).

    A task queued before notices had kinds carries the message itself (``channel``,
    ``recipient``, ``body``): it is logged as it stands and attempted the same way."""
    if log_id is None:
        log = NotificationLog.objects.create(
            channel=channel, recipient=str(recipient)[:200], subject=str(subject)[:200], body=body,
            user_id=user_id, kind=kind[:60], status=Status.QUEUED, key=f"legacy:{uuid.uuid4().hex}")
        log_id = log.pk
    log = deliver(log_id)
    return log.pk if log else None


def _key(kind, key, channel, address):
    if key is None:
        return f"{uuid.uuid4().hex}:{channel}"
    composite = f"{kind}:{key}:{channel}:{address}"
    return composite if len(composite) <= 120 else hashlib.sha256(composite.encode()).hexdigest()


def notify(user=None, *, kind, params=None, channels=("sms",), recipient=None, key=None, language=None):
    """Queue the notice ``kind`` (declared in core.notices) to ``user`` (or to a bare
    ``recipient`` address) after commit, filled with ``params``.

    ``channels`` lists the ways to try; each one the user has an address for is used. ``key``
    (optional) names the notice in the sender's terms ("registration 12"): the same kind, key,
    channel and address are then queued once only, however often notify is called. Returns how
    many messages were queued. Called outside a transaction, the notice is queued at once. An
    undeclared kind or wrong parameters are the caller's bug: LookupError / ValueError at once.
    """
    notice = notices.get(kind)
    params = notice.clean_params(params)
    language = language or language_for(user)
    sends = []
    for channel in channels:
        if channel not in CHANNELS:
            raise ValueError(f"unknown notification channel {channel!r}")
        address = recipient if recipient is not None else recipient_for(user, channel)
        if address:
            sends.append({"channel": channel, "recipient": str(address)[:200], "user_id": getattr(user, "pk", None),
                          "key": _key(kind, key, channel, str(address))})

    def enqueue():
        subject, body = notice.render(params, language)
        for send in sends:
            try:
                with transaction.atomic():
                    log = NotificationLog.objects.create(
                        **send, kind=kind, params=params, subject=subject[:200], body=body, language=language,
                        urgent=notice.urgent, status=Status.QUEUED, backend="")
            except IntegrityError:
                continue  # this very notice is queued already
            send_notification.enqueue(log_id=log.pk)

    if sends:
        # robust: the booking has committed by now; a queue hiccup must not turn it into a 500
        # (the row stays queued and core.tasks' sweeper sends it).
        transaction.on_commit(enqueue, robust=True)
    return len(sends)
