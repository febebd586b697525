"""The plugin contract.

A plugin is a Django app whose AppConfig subclasses :class:`PluginConfig`. It declares what it
brings (title, description, API router, member-page urls, staff roles, what makes its cached
responses stale, demo content) and which other plugins it needs; ``ready()`` wires the router
into Wagtail's v3 API and checks the requirements. Plugins never import each other.

Caching (:mod:`core.cache`): a plugin caches pages and JSON responses under *namespaces*, and
declares which models make each namespace stale in ``cache_invalidation``, a dict of namespace
-> model labels::

    cache_invalidation = {
        "programs": ("programs.ProgramPage", "programs.Session", "programs.Registration"),
    }

Core connects the receivers once for every installed app (saves, deletes and many-to-many
changes of those models and their subclasses; publish, unpublish and move of pages and
snippets) and bumps the namespace's version after the transaction commits. Name namespaces after
the plugin (``"canteen"``, ``"canteen.menus"``); a namespace may list core's or Wagtail's models
(``"core.Community"``, ``"wagtailimages.Image"``, ``"wagtailcore.Page"`` for any page,
``"wagtailcore.PageViewRestriction"``), never another plugin's. Page caches also depend on
``core.cache.SITE``, the site frame (declared by ``home``). Then cache with
``core.cache.cached("programs")`` on a view (``decorate_view(cached("programs", everyone=True))``
on a public ninja operation), ``core.cache.CachedPageMixin`` with ``cache_namespaces`` on a page
model, or ``core.cache.cached_values`` for computed values; a change no signal reports
(``QuerySet.update()``) calls ``core.cache.mark_stale("programs")``.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Role:
    """A staff role: a Django group of this ``name`` that core creates after migrate and grants
    ``permissions`` ("app_label.codename"). ``description`` (a lazy translation) says what the role
    does; it is shown beside the group in the admin and in the demo's logins.

    An app that owns the role gives the description. Another app may add permissions to a role
    declared elsewhere by declaring it again with no description (news gives the site's Editors
    its snippets); a role nobody owns, or owned twice, is refused by ``manage.py check``.
    """

    name: str
    description: str = ""
    permissions: tuple[str, ...] = ()


@dataclass(frozen=True)
class HomeItem:
    """One thing coming up for a member (a meal booked, a class registered for), as the member
    home "我的" lists it: ``when`` (an aware datetime) orders the list, ``when_text`` shows it."""

    when: datetime.datetime
    when_text: str
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class HomeSection:
    """What one plugin adds to the member home: its coming-up items, and a link to its own full
    list ("my bookings", "my registrations")."""

    title: str
    items: Sequence[HomeItem] = ()
    link_url: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class Figure:
    """One of the office's live figures (issue 15), as a plugin declares it in ``figures``.

    ``key`` is unique across plugins ("canteen.meals_served": the plugin's label first) and is what
    the office's choice of public figures stores. ``name``, ``unit`` and ``description`` are lazy
    translations. ``compute`` (a callable or its dotted path) is ``compute(start, end) ->
    core.figures.Series``: the values by month and community for the months from ``start`` (a first
    of the month) up to ``end`` (the first of the month after the last), in a number of queries that
    does not grow with the months or communities (core.figures.grouped: one GROUP BY).

    ``additive``: a month's total is the sum of its communities and a year's the sum of its months
    (meals, hours); false for distinct people and rates. ``rate``: a percentage or a middle value
    such as a median (no sum, no bars stacked by community; nothing to measure is "no value", not
    zero). ``decimals``: places shown.
    ``may_be_public``: false for a figure the office must not publish even as a total.
    ``namespaces``: the core.cache namespaces (declared in the plugin's ``cache_invalidation``)
    whose change makes the figure stale; its values are then kept in core's cache until one is
    bumped. A figure with none is computed on every load.
    """

    key: str
    name: str
    unit: str
    description: str
    compute: object
    additive: bool = True
    rate: bool = False
    decimals: int = 0
    may_be_public: bool = True
    namespaces: tuple[str, ...] = ()
    plugin: str = ""
    plugin_title: str = ""

    def for_plugin(self, config):
        from dataclasses import replace

        return replace(self, plugin=config.label, plugin_title=config.title or config.verbose_name)


@dataclass(frozen=True)
class Searchable:
    """One kind of public content the site search (``/search/``, ``/api/v3/search/``) looks in.

    ``model`` is an indexed model's label ("news.StoryPage"); ``label`` names the kind for readers
    (a lazy plural: "Stories"). ``public`` is a dotted path to ``() -> QuerySet`` of the rows
    anyone may see, from the plugin's queries.py; a page model may leave it out, and then gets
    ``live().public()`` (never drafts, never pages behind a view restriction). A model that is not
    a page must name it (``manage.py check`` refuses one that does not). ``summary`` names the
    attribute shown under the title (pages: their search description when it is empty). Results
    link to ``get_url()`` for pages, ``get_absolute_url()`` otherwise: never to staff screens.
    """

    model: str
    label: str
    public: str | None = None
    summary: str = ""


class PluginConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    # Django picks the AppConfig of an apps.py automatically only when exactly one class there
    # has ``default`` true. Importing PluginConfig into a plugin's apps.py makes two candidates,
    # so the base opts out and every subclass opts in (see __init_subclass__).
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    #: Human title and one-line description (lazy translations), shown by /api/v3/plugins/.
    title = ""
    description = ""
    #: Dotted path to a ninja ``Router``; mounted at /api/v3/<label>/.
    api_router: str | None = None
    #: Dotted path to a url module for member pages; mounted at /<url_prefix>/.
    urls: str | None = None
    url_prefix: str | None = None
    #: More url modules at other prefixes, ``((prefix, dotted module), ...)``: for addresses a
    #: standard fixes outside the plugin's own prefix (Open311's ``/open311/v2/``).
    extra_urls: tuple[tuple[str, str], ...] = ()
    #: URL name of the plugin's main page, used for the home page's quick links.
    main_url_name: str | None = None
    #: Labels of plugins that must also be enabled.
    requires: tuple[str, ...] = ()
    #: Staff roles (:class:`Role`) this plugin brings: created with their permissions after migrate.
    roles: tuple[Role, ...] = ()
    #: Which models make which of this plugin's cache namespaces stale: {namespace: (model
    #: labels, ...)} (see the module docstring and :mod:`core.cache`). Read once, in core's ready().
    cache_invalidation: dict[str, tuple[str, ...]] = {}
    #: Dotted path to ``seed(stdout)`` called by ``manage.py seed_demo``.
    demo: str | None = None
    #: Dotted path to ``export(user) -> dict`` contributing to a member's data export.
    member_export: str | None = None
    #: Dotted path to ``home(user, now) -> HomeSection | None``: what is coming up for the member
    #: in this plugin, shown on the member home "我的" (None: nothing to show for this member).
    member_home: str | None = None
    #: Dotted path to the office's live figures this plugin counts (a tuple of :class:`Figure`, or
    #: a function returning them); read by core.figures for the impact dashboard, page and API.
    figures: str | None = None
    #: Dotted path to the kinds of notice this plugin sends (a tuple of core.notices.Notice, in
    #: its ``notices.py``); it calls ``core.notify.notify(user, kind=..., params=...)`` with them.
    notices: str | None = None
    #: What of this plugin's public content the site search looks in (:class:`Searchable`).
    searchables: tuple[Searchable, ...] = ()

    def ready(self):
        self.check_requirements()
        if self.api_router:
            from wagtail.api.v3.api import api

            api.add_router(f"/{self.label}/", import_string(self.api_router))

    def check_requirements(self):
        missing = [label for label in self.requires if label not in plugin_labels()]
        if missing:
            raise ImproperlyConfigured(
                f"Plugin '{self.label}' needs the plugin(s) {', '.join(missing)}, which are not "
                f"enabled. Add them to FENGCHAO_PLUGINS or remove '{self.label}'."
            )

    def get_url_prefix(self):
        return self.url_prefix or self.label

    def describe(self):
        return {
            "label": self.label,
            "title": str(self.title or self.verbose_name),
            "description": str(self.description),
            "api": f"/api/v3/{self.label}/" if self.api_router else None,
            "pages": f"/{self.get_url_prefix()}/" if self.urls else None,
            "requires": list(self.requires),
        }


def plugins() -> list[PluginConfig]:
    """The enabled plugins, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, PluginConfig)]


def plugin_labels() -> set[str]:
    return {config.label for config in plugins()}


def is_enabled(label: str) -> bool:
    return label in plugin_labels()


def home_when(value: datetime.datetime | datetime.date, *, with_time=True) -> str:
    """How the member home shows a moment, in the reader's language: "12月2日 星期三 09:00"."""
    from django.utils import formats, timezone

    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    text = f"{formats.date_format(value, 'MONTH_DAY_FORMAT')} {formats.date_format(value, 'l')}"
    if with_time and isinstance(value, datetime.datetime):
        text += f" {formats.time_format(value, 'TIME_FORMAT')}"
    return text


def member_home(user, now=None) -> list[HomeSection]:
    """Every enabled plugin's section of ``user``'s member home, in INSTALLED_APPS order."""
    from django.utils import timezone

    now = now or timezone.now()
    sections = []
    for config in plugins():
        if config.member_home:
            section = import_string(config.member_home)(user, now)
            if section is not None:
                sections.append(section)
    return sections


def coming_up(sections: Sequence[HomeSection], limit=10) -> list[HomeItem]:
    """The sections' items merged into one list, soonest first: the next thing a member can do
    or has to go to comes first, whichever plugin it belongs to."""
    return sorted((item for section in sections for item in section.items), key=lambda item: item.when)[:limit]


def all_figures() -> list[Figure]:
    """Every enabled plugin's figures (issue 15), in INSTALLED_APPS order, each knowing its plugin.

    A plugin's ``figures`` is the dotted path of a tuple of :class:`Figure` (imported only when
    asked, after the models are ready), or of a function returning them (figures that follow the
    data: volunteers counts each kind of output its opportunities ask for). core.figures computes
    them."""
    found = []
    for config in plugins():
        declared = config.figures
        if isinstance(declared, str):
            declared = import_string(declared)
        if callable(declared):
            declared = declared()
        for figure in declared or ():
            found.append(figure.for_plugin(config))
    return found
