"""The bench URL configuration (``FENGCHAO_URLCONF=bench.urls``): the site plus two views that
exist only here, never in production: the bare Django JSON view every figure is compared with,
and a capacity claim endpoint for the core booking race."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as site_urlpatterns
from core import capacity
from core.errors import DomainError

BARE_BODY = {"ok": True, "service": "fengchao", "items": [{"id": i, "title": f"item {i}"} for i in range(3)]}


def bare(request):
    """The reference: Django's full middleware stack, no database, a small JSON body."""
    return JsonResponse(BARE_BODY)


@csrf_exempt
@require_POST
def claim(request, key):
    """Claim one place of ``bench:<key>`` the way a booking service does (bench only)."""
    try:
        with capacity.atomic():
            row = capacity.claim(f"bench:{key}")
    except DomainError as exc:
        return JsonResponse({"code": exc.code}, status=exc.status)
    return JsonResponse({"taken": row.taken, "total": row.total})


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("bench/claim/<slug:key>/", claim, name="bench-claim"),
    *site_urlpatterns,
]
