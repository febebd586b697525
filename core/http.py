"""Request helpers shared by the plugins' pages."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request, default):
    """Back to the form's ``next`` when it points into this site, else to ``default`` (a URL or a
    URL name): a list that posts a form returns to itself, and nobody is sent off-site."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)
