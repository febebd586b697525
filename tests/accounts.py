"""Account helpers for tests: what a client does after signing up."""


def confirm_signup_email(client, base, email, headers=None):
    """POST the key of the confirmation mailed to ``email`` to allauth's headless ``email/verify``
    (``base`` is ``/_allauth/app/v1`` or ``/_allauth/browser/v1``), as the app would."""
    import re

    from django.core import mail

    body = next(m.body for m in reversed(mail.outbox) if email in m.to)
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", body).group(1)
    return client.post(f"{base}/auth/email/verify", {"key": key}, content_type="application/json",
                       headers=headers or {})
