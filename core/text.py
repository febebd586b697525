"""Small text helpers shared by every plugin."""

from django.utils.translation import gettext_noop

# Strings Django 6 shows that its own zh_Hans catalogue does not translate yet; marking them here
# keeps them in ours when makemessages runs.
DJANGO_STRINGS_WE_TRANSLATE = [gettext_noop("- Select an option -")]


def mask_phone(phone: str | None) -> str:
    """138****5678: what other people may see of a phone number."""
    if not phone:
        return ""
    digits = phone[-11:] if len(phone) >= 11 else phone
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def local_iso(moment) -> str | None:
    """ISO 8601 with the local offset (Asia/Shanghai), as everywhere in the API."""
    from django.utils import timezone

    return timezone.localtime(moment).isoformat() if moment else None


def money(value) -> str | None:
    """CNY as a decimal string with two places: "12.50"."""
    return f"{value:.2f}" if value is not None else None
