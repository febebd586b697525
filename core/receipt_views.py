"""Delivery receipts pushed by SMS providers (Tencent Cloud's status callback)."""

import hmac
import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import sms


@csrf_exempt
@require_POST
def tencent_receipts(request, token):
    """Tencent posts a JSON list of status reports here (configured in its console as
    https://<site>/notify/receipts/tencent/<TENCENT_SMS_CALLBACK_TOKEN>/). Tencent does not sign
    its callbacks, so the secret token in the address is what keeps others out, and a report only
    counts when its serial number and phone match a text we sent (core.sms)."""
    expected = (getattr(settings, "FENGCHAO_TENCENT_SMS", {}) or {}).get("callback_token", "")
    if not expected or not hmac.compare_digest(str(token), expected):
        raise Http404
    try:
        reports = json.loads(request.body or b"null")
        updated = sms.record_tencent_receipts(reports)
    except ValueError:
        return JsonResponse({"result": 1, "errmsg": "bad request"}, status=400)
    return JsonResponse({"result": 0, "errmsg": "OK", "updated": updated})
