import re

from allauth.core.exceptions import RateLimited
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class RateLimitedMiddleware:
    """Answer allauth's ``RateLimited`` with 429 wherever it escapes.

    Some allauth flows (e.g. re-sending a phone code during login) raise it without catching it,
    which Django would otherwise turn into a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        message = _("Too many attempts. Please wait a minute and try again.")
        if request.path.startswith(("/_allauth/", "/api/")):
            return JsonResponse({"status": 429, "errors": [{"message": message, "code": "rate_limited"}]},
                                status=429)
        return render(request, "429.html", {"message": message}, status=429)


class ApiInputGuardMiddleware:
    """Refuse malformed input to the JSON API before any view sees it.

    Two kinds of input made Wagtail's own v3 endpoints answer 500 in our bad-input walk
    (tests/core/test_openapi_bad_input.py): a NUL character in a query parameter (databases
    refuse it deep inside the search backend), and a JSON body that is valid but not an object
    (``[]``, ``null``) sent to the page write endpoints. Both are client errors: 400 / 422.
    A third: ``PATCH /api/v3/pages/<not a number>/`` looks the page type up from the raw path
    before ninja validates it, so a non-numeric page id is answered 404 here.
    """

    PAGE_ID = re.compile(r"^/api/v3/pages/(?P<id>[^/]+)/")
    INTEGER = re.compile(r"^-?\d{19,}$")
    BIGINT = 2**63 - 1

    def out_of_range(self, value):
        """A whole number no database column can hold (SQLite raises OverflowError on it)."""
        return bool(self.INTEGER.match(value)) and abs(int(value)) > self.BIGINT

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            refusal = self.check(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def check(self, request):
        from core.api import problem

        if request.method in {"POST", "PUT", "PATCH", "DELETE"} and self.is_anonymous(request):
            if not self.allow_anonymous_write(request):
                return problem(429, _("Too many requests. Please wait a minute and try again."),
                               code="rate_limited")
        match = self.PAGE_ID.match(request.path)
        if match and match["id"] != "find" and not match["id"].isdigit():
            return problem(404, _("No page has this id."), code="not_found")
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return problem(400, _("Query parameters must not contain NUL characters."), code="bad_query")
            if any(self.out_of_range(value) for value in values):
                return problem(400, _("A number in the query is out of range."), code="bad_query")
        if any(self.out_of_range(segment) for segment in request.path.split("/")):
            return problem(404, _("Not found."), code="not_found")
        if request.method in {"POST", "PUT", "PATCH"} and request.content_type == "application/json":
            import json

            try:
                body = json.loads(request.body or b"{}")
            except (ValueError, UnicodeDecodeError):
                return problem(400, _("The request body is not valid JSON."), code="bad_json")
            if not isinstance(body, dict):
                return problem(422, _("The request body must be a JSON object."), code="not_an_object")
        return None

    @staticmethod
    def is_anonymous(request):
        has_credentials = request.headers.get("X-Session-Token") or request.headers.get("Authorization")
        return not has_credentials and not request.user.is_authenticated

    @staticmethod
    def allow_anonymous_write(request):
        """Fixed-window count per client address (FENGCHAO_ANON_WRITE_RATE, e.g. "30/m")."""
        import time

        from django.conf import settings
        from django.core.cache import cache

        count, _, period = settings.FENGCHAO_ANON_WRITE_RATE.partition("/")
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[:1] or "m"]
        window = int(time.time() // seconds)
        address = request.META.get("REMOTE_ADDR", "")
        key = f"fengchao:anon-write:{address}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=seconds + 1)
            used = 1
        return used <= int(count)
