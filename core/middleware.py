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
