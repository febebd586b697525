"""Domain errors and their problem+json form.

Services raise :class:`DomainError` subclasses with a machine-readable ``code``; the API turns
them into RFC 7807 responses (409 by default) and member pages show ``message``.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 409
    #: code -> default human message; subclasses extend it.
    messages: dict = {}

    def __init__(self, code: str, message=None, status: int | None = None, **extra):
        self.code = code
        self.message = message or self.messages.get(code) or code
        if status is not None:
            self.status = status
        self.extra = extra
        super().__init__(str(self.message))


class Busy(DomainError):
    """A lock could not be taken in time: the caller may retry."""

    status = 503
    messages = {"busy": _("The system is busy right now. Please try again in a moment.")}

    def __init__(self, message=None):
        super().__init__("busy", message)


class NotAllowed(DomainError):
    status = 403
    messages = {"not_allowed": _("You are not allowed to do this.")}

    def __init__(self, message=None, code="not_allowed"):
        super().__init__(code, message)
