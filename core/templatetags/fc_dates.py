"""``{{ value|local_date:"DAY_FORMAT" }}``: a date in the reader's language (core.formats)."""

from django import template
from django.utils import timezone

from core import formats

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value, name="DATE_FORMAT"):
    if value in (None, ""):
        return ""
    return formats.local_date(value, name)


@register.simple_tag
def local_now(name="DATE_FORMAT"):
    return formats.local_date(timezone.localtime(), name)
