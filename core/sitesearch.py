"""The site search: every enabled plugin's public content, through one search backend.

Each plugin names what may be found in its ``PluginConfig.searchables`` (``core.plugins.
Searchable``); core imports no plugin. A search asks the backend (Chinese segmented, see
core/search_backend.py) once per kind for the ids of matching public rows, best first, then
loads only the rows of the page being shown: a constant number of queries per kind, whatever
the number of matches. Results are grouped by kind (in plugin order) and ranked within it.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.utils.module_loading import import_string
from django.utils.text import Truncator
from wagtail.models import Page

from core.plugins import Searchable, plugins
from core.search import query_words, search_ids

#: How many matches of one kind are ranked and counted; a reader refines a query beyond that.
MAX_PER_KIND = 200
PAGE_SIZE = 10
MAX_QUERY = 100


@dataclass(frozen=True)
class Source:
    """A searchable kind, resolved: its key (``app_label.model``, lower case), model and label."""

    key: str
    searchable: Searchable
    model: type

    @property
    def label(self):
        return self.searchable.label

    @property
    def is_page(self):
        return issubclass(self.model, Page)

    def public(self):
        if self.searchable.public:
            return import_string(self.searchable.public)()
        if not self.is_page:
            raise ImproperlyConfigured(f"Searchable {self.key} is not a page: it must name its public queryset.")
        return self.model.objects.live().public()


def sources() -> list[Source]:
    """Every enabled plugin's searchable kinds, in plugin order."""
    found = []
    for config in plugins():
        for searchable in config.searchables:
            model = apps.get_model(searchable.model)
            found.append(Source(model._meta.label_lower, searchable, model))
    return found


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    id: int
    title: str
    url: str
    summary: str


@dataclass
class Results:
    """The matches of one query: ``(source, id)`` pairs grouped by kind, and the count of each."""

    query: str
    kind: str | None
    matches: list = field(default_factory=list)
    counts: list = field(default_factory=list)  # [(source, count)] for every kind with a match

    @property
    def count(self):
        return len(self.matches)

    def page(self, number, per_page=PAGE_SIZE, request=None):
        """Django's paginator page of :class:`Hit` (a bad number is the first page, past the
        end the last), loading only that page's rows."""
        page = Paginator(self.matches, per_page).get_page(number)
        page.object_list = hits(page.object_list, request)
        return page

    def slice(self, offset, limit, request=None):
        return hits(self.matches[offset:offset + limit], request)


def search(query, kind=None) -> Results:
    """What the site search finds for ``query`` (limited to one ``kind`` key when given)."""
    query = (query or "").strip()[:MAX_QUERY]
    results = Results(query=query, kind=kind)
    if not query_words(query):
        return results
    for source in sources():
        # Only ids come back (what a listing shows is loaded for the page alone).
        candidates = source.public().select_related(None).prefetch_related(None).only("pk")
        ids = search_ids(candidates, query, limit=MAX_PER_KIND)
        if not ids:
            continue
        results.counts.append((source, len(ids)))
        if kind in (None, "", source.key):
            results.matches.extend((source, pk) for pk in ids)
    return results


def hits(matches, request=None) -> list[Hit]:
    """The rows behind ``(source, id)`` pairs as :class:`Hit`, in the same order; one query per
    kind on the list (pages: one more for their specific type's fields)."""
    by_source = {}
    for source, pk in matches:
        by_source.setdefault(source, []).append(pk)
    loaded = {}
    for source, pks in by_source.items():
        queryset = source.public().filter(pk__in=pks)
        if source.is_page:
            queryset = queryset.specific()
        for obj in queryset:
            loaded[(source, obj.pk)] = obj
    out = []
    for source, pk in matches:
        obj = loaded.get((source, pk))
        if obj is not None:
            out.append(_hit(source, obj, request))
    return out


def _hit(source, obj, request):
    summary = getattr(obj, source.searchable.summary, "") if source.searchable.summary else ""
    if source.is_page:
        summary = summary or obj.search_description
        url = obj.get_url(request)
        title = obj.title
    else:
        url = obj.get_absolute_url()
        title = str(obj)
    return Hit(kind=source.key, kind_label=str(source.label), id=obj.pk, title=title, url=url or "",
               summary=Truncator(str(summary or "")).chars(120))


class SearchPage:
    """What the ``/search/`` page shows, from the request's ``q``, ``kind`` and ``page``."""

    def __init__(self, request):
        self.request = request
        self.query = request.GET.get("q", "").strip()[:MAX_QUERY]
        self.kind = request.GET.get("kind", "").strip() or None

    @cached_property
    def results(self):
        return search(self.query, self.kind)

    @cached_property
    def page(self):
        return self.results.page(self.request.GET.get("page"), request=self.request)

    @cached_property
    def total(self):
        return sum(count for _, count in self.results.counts)

    def url(self, **changes):
        """This search's address with ``changes`` (``kind=None`` drops the kind)."""
        from django.utils.http import urlencode

        params = {"q": self.query, "kind": self.kind or "", "page": ""} | {k: v or "" for k, v in changes.items()}
        return "?" + urlencode({k: v for k, v in params.items() if v})

    @cached_property
    def kinds(self):
        """The kinds with a match, each with its count and address, for the filter links."""
        return [{"key": source.key, "label": source.label, "count": count,
                 "url": self.url(kind=source.key), "current": source.key == self.kind}
                for source, count in self.results.counts]

    @cached_property
    def all_url(self):
        return self.url(kind=None)

    @cached_property
    def previous_url(self):
        return self.url(page=self.page.previous_page_number()) if self.page.has_previous() else ""

    @cached_property
    def next_url(self):
        return self.url(page=self.page.next_page_number()) if self.page.has_next() else ""
