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


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer, and the path-scoped Content-Security-Policy of
    ``FENGCHAO_CSP_BY_PATH`` (Wagtail's admin needs inline script) in place of ``SECURE_CSP``.

    It sits after Django's CSP middleware, so it sees the response first and Django's middleware
    then builds the header from the policy chosen here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        for prefix, policy in settings.FENGCHAO_CSP_BY_PATH.items():
            if request.path.startswith(prefix) and not hasattr(response, "_csp_config"):
                response._csp_config = policy
                break
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ApiInputGuardMiddleware:
    """Refuse malformed input to the JSON API before any view sees it.

    Each rule is input that made some endpoint (ours, Wagtail's or allauth's headless one) answer
    500 in a bad-input walk (tests/core/test_openapi_bad_input.py) or a tester's probe:

    - a NUL character in a query parameter, the path, a header or any body (databases refuse it
      deep inside the search backend; PostgreSQL can neither store nor look up a string with one);
    - a whole number no database column can hold (>= 2**63), in the query, the path or anywhere
      in a JSON body (SQLite raises OverflowError, PostgreSQL "out of range");
    - a JSON body nested deeper than any of our schemas (10,000 levels overflow Python's parser's
      recursion), or valid JSON that is not an object (``[]``, ``null``) to the write endpoints;
    - a ``search`` that is only blanks, or has an unbalanced double quote (the search backends
      build an empty or broken full-text query from them);
    - ``PATCH /api/v3/pages/<not a number>/`` looks the page type up from the raw path before
      ninja validates it, and the snippet endpoints pass ``<pk>`` to the ORM unchecked (every
      snippet here has a numeric key), so a non-numeric page id or snippet key is 404 here;
    - copying, moving or aliasing the tree's root page (it has no parent) fails inside Wagtail:
      409 ``root_page``.
    """

    PAGE_ID = re.compile(r"^/api/v3/pages/(?P<id>[^/]+)/")
    ROOT_ACTION = re.compile(r"^/api/v3/pages/(?P<id>\d{1,18})/actions/(copy|move|create_alias)/$")
    SNIPPET_PK = re.compile(r"^/api/v3/snippets/[^/]+/(?P<pk>[^/]+)/")
    INTEGER = re.compile(r"^-?\d{19,}$")
    BIGINT = 2**63 - 1
    #: Deeper than any request schema here (the deepest, a page body's StreamField, is ~10).
    MAX_JSON_DEPTH = 32
    GUARDED = ("/api/", "/_allauth/")

    def out_of_range(self, value):
        """A whole number no database column can hold (SQLite raises OverflowError on it)."""
        return bool(self.INTEGER.match(value)) and abs(int(value)) > self.BIGINT

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.GUARDED):
            refusal = self.check(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def check(self, request):
        from core.api import problem

        # Before anything reads the session or a token: PostgreSQL refuses a NUL in a query
        # parameter, so a made-up session cookie or X-Session-Token carrying one was a 500.
        if self.has_nul(request):
            return problem(400, _("The request must not contain NUL characters."), code="nul_character")
        body_refusal = self.check_body(request)
        if not request.path.startswith("/api/") or body_refusal is not None:
            return body_refusal
        if request.method in {"POST", "PUT", "PATCH", "DELETE"} and self.is_anonymous(request):
            if not self.allow_anonymous_write(request):
                return problem(429, _("Too many requests. Please wait a minute and try again."),
                               code="rate_limited")
        match = self.PAGE_ID.match(request.path)
        if match and match["id"] != "find" and not match["id"].isdigit():
            return problem(404, _("No page has this id."), code="not_found")
        snippet = self.SNIPPET_PK.match(request.path)
        if snippet and not snippet["pk"].isdigit():
            return problem(404, _("Not found."), code="not_found")
        root_action = self.ROOT_ACTION.match(request.path)
        # Only for callers who may act on pages at all (a Wagtail bearer token): anyone else is
        # told 401 by the view first, as for any other page (the schema walk saw 409 without it).
        if root_action and request.method == "POST" and self.has_valid_bearer(request):
            from wagtail.models import Page

            if Page.objects.filter(pk=root_action["id"], depth=1).exists():
                return problem(409, _("The root of the page tree cannot be copied, moved or aliased."),
                               code="root_page")
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return problem(400, _("Query parameters must not contain NUL characters."), code="bad_query")
            if any(self.out_of_range(value) for value in values):
                return problem(400, _("A number in the query is out of range."), code="bad_query")
        for search in request.GET.getlist("search"):
            if not search.strip():
                return problem(400, _("Type a word to search for."), code="bad_search")
            if search.count('"') % 2:
                return problem(400, _("The search has an unmatched double quote (\")."), code="bad_search")
        if any(self.out_of_range(segment) for segment in request.path.split("/")):
            return problem(404, _("Not found."), code="not_found")
        return None

    @staticmethod
    def has_nul(request):
        """A NUL in the path, a header (a cookie, a token) or a form body (the image and
        document uploads): the forms refuse it, PostgreSQL cannot store or even look it up."""
        if "\x00" in request.path or any("\x00" in str(value) for key, value in request.META.items()
                                         if key.startswith("HTTP_")):
            return True
        if request.method not in {"POST", "PUT", "PATCH"}:
            return False
        if request.content_type == "application/x-www-form-urlencoded":
            from django.http import QueryDict

            form = request.POST if request.method == "POST" else QueryDict(request.body)
        elif request.content_type == "multipart/form-data" and request.method == "POST":
            from django.http.multipartparser import MultiPartParserError

            try:
                form = request.POST
                if any("\x00" in (upload.name or "") for upload in request.FILES.values()):
                    return True
            except MultiPartParserError:
                return False  # a broken body is the view's (ninja's) to refuse, as before
        else:
            return False
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in form.lists())

    def check_body(self, request):
        from core.api import problem

        if request.method not in {"POST", "PUT", "PATCH"} or request.content_type != "application/json":
            return None
        import json

        try:
            body = json.loads(request.body or b"{}")
        except RecursionError:
            return problem(400, _("The request body is nested too deeply."), code="too_deep")
        except (ValueError, UnicodeDecodeError):
            return problem(400, _("The request body is not valid JSON."), code="bad_json")
        problem_found = self.scan(body)
        if problem_found == "too_deep":
            return problem(400, _("The request body is nested too deeply."), code="too_deep")
        if problem_found == "nul":
            return problem(422, _("Text must not contain NUL characters."), code="nul_character")
        if problem_found == "out_of_range":
            return problem(422, _("A number in the request body is out of range."), code="out_of_range")
        if request.path.startswith("/api/") and not isinstance(body, dict):
            return problem(422, _("The request body must be a JSON object."), code="not_an_object")
        return None

    def scan(self, body):
        """"too_deep", "out_of_range", "nul" or None, walking the parsed body without recursion.

        NUL: the forms refuse it, PostgreSQL cannot store it, SQLite stored it silently."""
        stack = [(body, 1)]
        while stack:
            value, depth = stack.pop()
            if depth > self.MAX_JSON_DEPTH:
                return "too_deep"
            if isinstance(value, dict):
                stack.extend((item, depth + 1) for item in value.values())
            elif isinstance(value, list):
                stack.extend((item, depth + 1) for item in value)
            elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > self.BIGINT:
                return "out_of_range"
            elif isinstance(value, str) and "\x00" in value:
                return "nul"
        return None

    @staticmethod
    def is_anonymous(request):
        """No valid credentials: any made-up X-Session-Token or bearer value used to skip the
        anonymous write throttle, so each is checked (one indexed lookup) before it counts."""
        if request.user.is_authenticated:
            return False
        token = request.headers.get("X-Session-Token")
        if token:
            from allauth.headless.internal.sessionkit import authenticate_by_x_session_token

            result = authenticate_by_x_session_token(token)
            # The API's own token check (core.api.XSessionTokenAuth) reuses this lookup.
            request._fengchao_x_session = (token, result)
            if result is not None and result.user is not None:
                return False
        return not ApiInputGuardMiddleware.has_valid_bearer(request)

    @staticmethod
    def has_valid_bearer(request):
        """A live Wagtail API token in ``Authorization: Bearer`` (one indexed lookup)."""
        authorization = request.headers.get("Authorization", "")
        scheme, _space, credential = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            return False
        from wagtail.models import APIToken

        return APIToken.objects.filter(key_hash__in=APIToken.candidate_key_hashes(credential.strip()),
                                       revoked_at__isnull=True, user__is_active=True).exists()

    @staticmethod
    def allow_anonymous_write(request):
        """Fixed-window count per client address (FENGCHAO_ANON_WRITE_RATE, e.g. "30/m")."""
        from django.conf import settings

        from core import throttle

        return throttle.hit("anon-write", request.META.get("REMOTE_ADDR", ""), settings.FENGCHAO_ANON_WRITE_RATE)
