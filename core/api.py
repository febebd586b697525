"""API conventions shared by every router: authentication, errors, pagination, throttling.

All routers live on Wagtail's v3 ``api`` instance, so there is one OpenAPI document and one error
format (problem+json). Members authenticate with allauth's ``X-Session-Token`` (app clients) or
the browser session with CSRF; editor tooling with Wagtail's bearer tokens.
"""

import json
from typing import Literal

from allauth.headless.contrib.ninja import security as allauth_ninja
from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, include, path, reverse
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.security.base import AuthBase
from pydantic import field_validator
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import PROBLEM_JSON, _status_title
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination

from core.errors import Busy, DomainError
from core.plugins import plugins


def api_url(name, **kwargs):
    """The path of the API operation whose route has ``url_name=name``: resolvers link to
    operations by name, never by a path written out (a prefix or route change follows)."""
    return reverse(f"wagtailapi_v3:{name}", kwargs=kwargs)


def check_limit(limit: int):
    """Wagtail's page-size rule (``WAGTAILAPI_LIMIT_MAX``), answered in the caller's language; for
    endpoints that paginate by hand."""
    limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
    if limit_max is not None and limit > limit_max:
        raise HttpError(400, gettext("limit cannot be higher than %(max)s") % {"max": limit_max})


#: The namespace of Wagtail's own page listing (/api/v3/pages/): CoreConfig declares what makes it
#: stale (any page saved, published, unpublished, moved or deleted; view restrictions; sites;
#: locales), everything the listing's base fields show.
PAGES_CACHE = "pages"


def cache_page_listing():
    """Answer Wagtail's public page listing (``pages_list``) from core.cache.

    Only requests without an ``Authorization`` header: Wagtail's listing is then the anonymous
    one whoever asks (its ``AllowAnonymous`` ignores a session), the same for every reader, so
    the entry is ``everyone``'s. A bearer token (an editor's tooling, which sees drafts) and a
    ``search`` (answered from the search index, which a task may update later than the page's
    publish) always go to Wagtail. Called once from core's ``ready()``."""
    from functools import wraps

    from ninja.decorators import decorate_view
    from wagtail.api.v3.routers import pages

    from core import cache

    def anonymous_only(run):
        cached_run = cache.cached(PAGES_CACHE, everyone=True)(run)

        @wraps(run)
        def wrapper(request, *args, **kwargs):
            if "authorization" in request.headers or "search" in request.GET:
                return run(request, *args, **kwargs)
            return cached_run(request, *args, **kwargs)

        return wrapper

    decorate_view(anonymous_only)(pages.list_pages)


class Pagination(WagtailLimitOffsetPagination):
    """Wagtail's limit/offset pagination (``{"count", "items"}``), with its refusal translated."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        check_limit(pagination.limit)
        return super().paginate_queryset(queryset, pagination, request, **params)


class PublicAccess(AuthBase):
    """Last resort for public reads: lets anonymous requests through without touching
    ``request.user`` (unlike Wagtail's ``AllowAnonymous``, which would log a session user out)."""

    openapi_type = "http"
    openapi_scheme = "public"

    def __call__(self, request):
        return request.user


class XSessionTokenAuth(allauth_ninja.XSessionTokenAuth):
    """allauth's ``X-Session-Token``, reusing the lookup this request already made: the API
    guard middleware checks a token before a write counts as anonymous (its throttle), and
    looking it up again cost a second session read and user query on every app write (a
    booking race is all writes). Same name as allauth's, so the OpenAPI scheme is unchanged."""

    def __call__(self, request):
        token = self.get_session_token(request)
        memo = getattr(request, "_fengchao_x_session", None)
        if not token or memo is None or memo[0] != token:
            return super().__call__(request)
        result = memo[1]
        if result is None or result.user is None:
            return None
        allauth_ninja.usersessionkit.track_activity(request, user=result.user, session=result.session)
        request.user = result.user
        return result.user


class SessionAuth(NinjaSessionAuth):
    """Django's session with its CSRF check, checked only when the session is logged in.

    Ninja's ``SessionAuth`` checks CSRF first, so an app whose session token was missing or had
    expired got 403 "CSRF check failed" and could not tell it had to log in again. Without a
    logged-in session there is nothing a forged request could act as: the next scheme (or the
    401 when none is left) answers.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


#: A logged-in member, by app token, browser session (with CSRF) or editor bearer token.
member_auth = [XSessionTokenAuth(), SessionAuth(), BearerTokenAuth()]
#: Anyone; a member's identity is still recognised when they send it.
public_auth = [XSessionTokenAuth(), SessionAuth(), BearerTokenAuth(), PublicAccess()]


def choice_of(choices):
    """A Django ``TextChoices`` as an API field type, documented inline as its values.

    Pydantic names an enum's schema after its class, and every model here calls its choices
    ``Kind`` or ``Status``: in the one OpenAPI document they became one component, so members'
    kinds were documented as station kinds and the document did not validate.
    """
    return Literal[tuple(choices.values)]


class CommunityRef(Schema):
    """A community as other objects refer to it. One schema for every router: OpenAPI names
    components by class name, so five same-named copies of different shapes documented the wrong
    one for most of them."""

    id: int
    name: str
    code: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    code: str | None = None


def grouped_urls(urls):
    """Ninja's URL patterns (``api.urls``), grouped by their first path segment.

    Ninja lists every operation's path in one flat list (210 with every plugin), and Django
    tries them in order: a request for the last plugin's API matched some 200 patterns first,
    about a fifth of what a cached answer cost. Grouped, a request tries the ~25 group prefixes
    and then its own group's patterns, in their original order. Names and reversing are unchanged.
    Left flat if a pattern's first segment is itself a parameter (the order could then matter
    across groups)."""
    patterns, app_name, namespace = urls
    heads = [str(p.pattern).partition("/") for p in patterns]
    if any("<" in head for head, _, _ in heads) or not all(
            isinstance(p, URLPattern) and isinstance(p.pattern, RoutePattern) for p in patterns):
        return urls
    groups, layout = {}, []
    for pattern, (head, slash, rest) in zip(patterns, heads, strict=True):
        if not slash:
            layout.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            layout.append(head)
        groups[head].append(path(rest, pattern.callback, pattern.default_args, name=pattern.name))
    grouped = [path(f"{item}/", include(groups[item])) if isinstance(item, str) else item for item in layout]
    return grouped, app_name, namespace


def problem(status: int, detail: str = "", code: str | None = None, **extra) -> HttpResponse:
    body = Problem(title=_status_title(status), status=status, detail=str(detail), code=code)
    data = body.model_dump(exclude_none=True)
    data.update(extra)
    return HttpResponse(json.dumps(data, ensure_ascii=False, default=str), status=status, content_type=PROBLEM_JSON)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    return problem(404, gettext("There is no such API address."), code="not_found")


def register_error_handlers(api):
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return problem(exc.status, exc.message, code=exc.code, **exc.extra)

    @api.exception_handler(OperationalError)
    def database_busy(request, exc: OperationalError):
        """SQLite's "database is locked" when a write transaction starts is contention, not a
        bug: answer 503 busy like a capacity lock timeout. Anything else stays a server error."""
        from core.capacity import is_busy_error

        if not is_busy_error(exc):
            raise exc
        busy = Busy()
        return problem(busy.status, busy.message, code=busy.code)


# --- the core router: plugins and communities -------------------------------------------------

router = Router(tags=["core"])


class PluginOut(Schema):
    label: str
    title: str
    description: str
    api: str | None
    pages: str | None
    requires: list[str]


@router.get("/plugins/", response=list[PluginOut], auth=public_auth, operation_id="plugins_list",
            summary="List enabled plugins")
def list_plugins(request):
    return [config.describe() for config in plugins()]


class CommunityOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    address: str
    latitude: float | None
    longitude: float | None


@router.get("/communities/", response=list[CommunityOut], auth=public_auth,
            operation_id="communities_list", summary="List communities")
def list_communities(request):
    from core.models import Community

    return Community.objects.all()


@router.get("/communities/{community_id}/", response=CommunityOut, auth=public_auth,
            operation_id="communities_detail", summary="Community detail")
def get_community(request, community_id: int):
    from core.models import Community

    return get_object_or_404(Community, pk=community_id)


# --- the office's public figures (issue 15) ------------------------------------------------------

class ImpactMonthOut(Schema):
    month: str
    value: int | float | None


class ImpactCommunityOut(Schema):
    id: int
    name: str
    #: None when the count is below the office's threshold (see ``suppressed``).
    value: int | float | None
    suppressed: bool


class ImpactFigureOut(Schema):
    key: str
    plugin: str
    name: str
    unit: str
    description: str
    additive: bool
    rate: bool
    this: int | float | None
    last: int | float | None
    last_year: int | float | None
    year_total: int | float | None
    by_month: list[ImpactMonthOut]
    by_community: list[ImpactCommunityOut]


class ImpactOut(Schema):
    month: str
    months: list[str]
    threshold: int
    figures: list[ImpactFigureOut]


@router.get("/impact/", response=ImpactOut, auth=public_auth, operation_id="impact_public",
            summary="The office's public figures",
            description="Only the figures the office chose to publish: totals for the month, last month, "
                        "the same month last year and the twelve months to it; per-community counts below "
                        "the threshold are null with suppressed true. `month` is YYYY-MM (default: this month).")
def public_figures(request, month: str | None = None):
    from wagtail.models import Site

    from core import figures, impact

    asked = figures.parse_month(month) if month else figures.this_month()
    if asked is None:
        raise HttpError(422, gettext("The month must look like 2026-11."))
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    data = impact.public_view(site, asked)
    for row in data["figures"]:
        row["by_community"] = [{**c, "suppressed": c.get("suppressed", False)} for c in row["by_community"]]
    return data


# --- the site search ---------------------------------------------------------------------------


class SiteSearchParams(Schema):
    search: str = Field(..., min_length=1, max_length=100, description="words in Chinese or English")
    kind: str | None = Field(None, max_length=100, description="one kind's key, e.g. news.storypage")
    limit: int = Field(20, ge=1, le=2**31)
    offset: int = Field(0, ge=0, le=2**31)

    @field_validator("search", "kind")
    @classmethod
    def no_control_characters(cls, value):
        if value is not None and any(ord(ch) < 32 for ch in value):
            raise ValueError(gettext("Control characters are not allowed."))
        return value


class SearchKindOut(Schema):
    key: str
    label: str
    count: int


class SearchHitOut(Schema):
    kind: str
    kind_label: str
    id: int
    title: str
    url: str
    summary: str


class SiteSearchOut(Schema):
    count: int
    kinds: list[SearchKindOut]
    items: list[SearchHitOut]


@router.get("/search/", response=SiteSearchOut, auth=public_auth, operation_id="site_search",
            summary="Search every plugin's public content")
def site_search(request, params: SiteSearchParams = Query(...)):
    """What ``/search/`` shows, as JSON: published, public content only, grouped by kind (in
    plugin order) and ranked within it; ``kinds`` counts every kind with a match."""
    from core import sitesearch

    check_limit(params.limit)
    results = sitesearch.search(params.search, params.kind)
    return {
        "count": results.count,
        "kinds": [{"key": source.key, "label": str(source.label), "count": count}
                  for source, count in results.counts],
        "items": [vars(hit) for hit in results.slice(params.offset, params.limit, request)],
    }
