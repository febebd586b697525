"""Named date formats per language, beyond Django's own names.

Django's ``date`` filter resolves only its own format names (DATE_FORMAT, MONTH_DAY_FORMAT, …);
a page that shows "6月3日 星期一" needs a weekday format Django does not name. Those live with
the others in the language's format module (FORMAT_MODULE_PATH, config/formats/<locale>/) and
are read here, so no template or message spells a Chinese date format: the English pages get
"Monday 3 June" from the same template.
"""

from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language

#: Used when the active language's modules do not name a format (a language added later).
FALLBACKS = {
    "DAY_FORMAT": "l j F",
    "DAY_TIME_FORMAT": "l j F, H:i",
    "MONTH_DAY_TIME_FORMAT": "j F, H:i",
    "FULL_DAY_FORMAT": "l j F Y",
    "FULL_DAY_TIME_FORMAT": "l j F Y, H:i",
}


def local_format(name: str) -> str:
    """The active language's ``name`` format: Django's names as ``get_format`` reads them, ours
    from the same per-language modules."""
    if name in formats.FORMAT_SETTINGS:
        return formats.get_format(name)
    return _named(get_language() or "zh-hans", name)


@lru_cache(maxsize=64)
def _named(language, name):
    for module in formats.iter_format_modules(language):
        if hasattr(module, name):
            return getattr(module, name)
    return FALLBACKS.get(name, name)


def local_date(value, name: str) -> str:
    """``value`` (a date or datetime, already local) in the active language's ``name`` format."""
    return formats.date_format(value, local_format(name)) if value else ""
