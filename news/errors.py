"""The newsroom's domain errors (problem+json in the API), apart so reads and services share them."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class NewsError(DomainError):
    messages = {
        "bad_month": _("Month must look like 2026-11."),
        "unknown_section": _("There is no such section."),
        "unknown_community": _("There is no such community."),
    }
