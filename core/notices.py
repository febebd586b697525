"""The kinds of notice Fengchao sends, each declared once with its parameters.

In mainland China an SMS cannot carry free text: it must use a signature and a template
registered with the provider beforehand, filled with parameters. So a plugin never sends a body:
it declares each kind of notice it sends once, in its own ``notices.py``::

    NOTICES = (
        Notice("programs.confirmed", params=("title", "when", "code"), subject="%(title)s",
               text=_("You are registered for %(title)s, %(when)s. Show your check-in code %(code)s at the door.")),
    )

names that tuple on its AppConfig (``notices = "programs.notices.NOTICES"``; any installed app
may, members does) and sends a kind with its parameters::

    notify(member, kind="programs.confirmed", params={"title": ..., "when": ..., "code": ...})

The declaration gives everything else: the text (a gettext template rendered in the recipient's
language) for the log, the console and e-mail; the parameters a provider's template is filled
with (staff map each kind to a provider's template code in the admin, ``core.NoticeTemplate``);
and whether the notice is *urgent* (a login code, a welfare alert): urgent notices skip the
per-recipient rate limit and quiet hours.

Parameters are strings (numbers and lazy translations are turned into text when the notice is
queued, in the sender's language); a kind's text may use only its declared parameters, which
``registry()`` checks once when it is first read.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.module_loading import import_string

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Notice:
    """One kind of notice. ``kind`` is unique across apps and starts with the app's label
    ("programs.reminder"); ``text`` and ``subject`` are lazy translations with ``%(name)s``
    placeholders for the ``params``; ``description`` says who gets it and when (shown to staff
    who map it to a provider's template)."""

    kind: str
    text: str
    params: tuple[str, ...] = ()
    subject: str = ""
    urgent: bool = False
    description: str = ""

    def clean_params(self, params) -> dict[str, str]:
        """``params`` as the strings a notice stores; ValueError when one is missing or unknown."""
        params = dict(params or {})
        missing = [name for name in self.params if name not in params]
        unknown = [name for name in params if name not in self.params]
        if missing or unknown:
            raise ValueError(
                f"notice {self.kind!r} takes {list(self.params)}; missing {missing}, unknown {unknown}"
            )
        return {name: "" if params[name] is None else str(params[name]) for name in self.params}

    def pick(self, values) -> dict:
        """This kind's parameters out of a larger dict of values (a plugin that builds one dict
        for several kinds of notice)."""
        return {name: values[name] for name in self.params}

    def render(self, params, language=None) -> tuple[str, str]:
        """The (subject, body) in ``language`` (default: the site's), filled with ``params``."""
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = str(self.subject) % params if self.subject else ""
            return subject, str(self.text) % params

    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(str(self.text))) | set(_PLACEHOLDER.findall(str(self.subject)))


_registry: dict[str, Notice] | None = None


def _declared(config):
    declared = getattr(config, "notices", None)
    if isinstance(declared, str):
        declared = import_string(declared)
    if callable(declared):
        declared = declared()
    return tuple(declared or ())


def registry() -> dict[str, Notice]:
    """Every installed app's notices by kind, read once (INSTALLED_APPS order)."""
    global _registry
    if _registry is None:
        found = {}
        for config in apps.get_app_configs():
            for notice in _declared(config):
                if notice.kind in found:
                    raise ImproperlyConfigured(f"notice kind {notice.kind!r} is declared twice")
                if not notice.kind.startswith(f"{config.label}."):
                    raise ImproperlyConfigured(
                        f"notice kind {notice.kind!r} of app {config.label!r} must start with '{config.label}.'"
                    )
                with translation.override(None):
                    stray = notice.placeholders() - set(notice.params)
                if stray:
                    raise ImproperlyConfigured(
                        f"notice {notice.kind!r} uses {sorted(stray)}, which are not among its params"
                    )
                found[notice.kind] = notice
        _registry = found
    return _registry


def get(kind) -> Notice:
    """The declaration of ``kind``; LookupError for a kind no installed app declares."""
    try:
        return registry()[kind]
    except KeyError:
        raise LookupError(f"no installed app declares the notice kind {kind!r}") from None


def choices():
    """(kind, "kind: description") pairs for the admin's template mapping, sorted by kind."""
    return [(kind, f"{kind}: {notice.description}" if notice.description else kind)
            for kind, notice in sorted(registry().items())]


def forget():
    """Read the declarations again next time (tests that install a plugin of their own)."""
    global _registry
    _registry = None
