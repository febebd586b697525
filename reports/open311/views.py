"""The Open311 GeoReport v2 endpoints (see the package docstring). Reads come from
reports.queries, the one write from reports.services.submit."""

import datetime
from xml.etree import ElementTree as ET  # noqa: S405 - we only write XML, never parse it

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.cache import cached
from core.errors import DomainError
from reports import queries
from reports import services as report_services
from reports.models import Channel, Open311Key, Question

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00+08:00"
#: The specification's longest date range for GET requests.
MAX_RANGE = datetime.timedelta(days=90)


class Open311Error(Exception):
    def __init__(self, status, description):
        self.status, self.description = status, str(description)
        super().__init__(self.description)


# --- output -------------------------------------------------------------------------------------

def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_element(parent, tag, value, item_tags):
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_element(element, key, inner, item_tags)
    elif isinstance(value, list):
        child = item_tags.get(tag, "item")
        for inner in value:
            _xml_element(element, child, inner, item_tags)
    else:
        element.text = _text(value)


#: The element each list's items are called in the specification's XML.
ITEM_TAGS = {"services": "service", "attributes": "attribute", "values": "value", "service_requests": "request",
             "errors": "error", "endpoints": "endpoint", "formats": "format", "keywords": "keyword"}


def render(fmt, root, data, status=200):
    """``data`` (a list or a dict) as JSON, or as XML under ``<root>``."""
    if fmt == "json":
        return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    element = ET.Element(root)
    if isinstance(data, list):
        child = ITEM_TAGS.get(root, "item")
        for item in data:
            _xml_element(element, child, item, ITEM_TAGS)
    else:
        for key, value in data.items():
            _xml_element(element, key, value, ITEM_TAGS)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error(fmt, status, description):
    return render(fmt, "errors", [{"code": status, "description": str(description)}], status=status)


def jurisdiction_id() -> str:
    """The jurisdiction this endpoint serves (``OPEN311_JURISDICTION_ID``), or "" when unnamed."""
    return (getattr(settings, "OPEN311_JURISDICTION_ID", "") or "").strip()


def check_jurisdiction(request):
    """GeoReport v2 lets every call name a ``jurisdiction_id`` (required only of servers with
    several). This server has one: a call without it, or with ours, is served; one naming
    another jurisdiction is the specification's 404 "jurisdiction_id not found"."""
    given = request.GET.get("jurisdiction_id", "")
    if not given and request.method == "POST":
        given = request.POST.get("jurisdiction_id", "")
    given, ours = given.strip(), jurisdiction_id()
    if given and ours and given.casefold() != ours.casefold():
        raise Open311Error(404, _("jurisdiction_id %(given)s is not served here; this endpoint serves %(ours)s.")
                           % {"given": given[:100], "ours": ours})


def handled(view):
    """Errors as the specification says: a list of {code, description}, never an HTML page."""

    def wrapped(request, *args, fmt, **kwargs):
        try:
            check_jurisdiction(request)
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)
        except DomainError as exc:
            status = exc.status if exc.status in (400, 401, 403, 404, 429) else 400
            return error(fmt, status, exc.message)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _w3c(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# --- discovery and services ---------------------------------------------------------------------------

@require_GET
@cached("reports", everyone=True)
@handled
def discovery(request, fmt):
    from home.models import OfficeSettings

    office = OfficeSettings.for_request(request)
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"})).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": " ".join(filter(None, [office.office_name, office.hotline])),
        "key_service": _("Ask the street office's command centre for an API key."),
        "endpoints": [{"specification": SPEC, "url": base, "changeset": CHANGESET, "type": "production",
                       "formats": ["application/json", "text/xml"]}],
    }
    if jurisdiction_id():
        # An addition to the discovery fields: what a client configured from this document sends.
        data["jurisdiction_id"] = jurisdiction_id()
    return render(fmt, "discovery", data)


def service_data(category):
    return {"service_code": category.code, "service_name": category.name, "description": category.description,
            "metadata": bool(category.questions.all()), "type": "realtime",
            "keywords": ", ".join(filter(None, [category.group, category.department])), "group": category.group}


def _public_categories():
    return queries.categories().filter(is_public=True)


@require_GET
@cached("reports", everyone=True)
@handled
def service_list(request, fmt):
    return render(fmt, "services", [service_data(c) for c in _public_categories()])


@require_GET
@cached("reports", everyone=True)
@handled
def service_definition(request, fmt, code):
    category = _public_categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("No service has this code."))
    attributes = []
    for order, question in enumerate(category.questions.all(), start=1):
        attribute = {"variable": True, "code": question.code, "datatype": question.datatype,
                     "required": question.required, "datatype_description": question.help_text,
                     "order": order, "description": question.label}
        if question.datatype in (Question.Datatype.SINGLE, Question.Datatype.MULTI):
            attribute["values"] = [{"key": k, "name": n} for k, n in question.choice_list()]
        attributes.append(attribute)
    return render(fmt, "service_definition", {"service_code": category.code, "attributes": attributes})


# --- requests ---------------------------------------------------------------------------------------

def request_data(request, report):
    lat, lng = queries.public_point(report)
    photo = next(iter(report.photos.all()), None)
    updated = report.resolved_at or report.closed_at or report.updated_at
    return {
        "service_request_id": str(report.pk), "status": report.open311_status,
        "status_notes": report.public_note, "service_name": report.category.name,
        "service_code": report.category.code, "description": report.description,
        "agency_responsible": report.category.department, "service_notice": "",
        "requested_datetime": _w3c(report.submitted_at), "updated_datetime": _w3c(updated),
        "expected_datetime": _w3c(datetime.datetime.combine(report.deadline, datetime.time(18, 0),
                                                            tzinfo=timezone.get_current_timezone()))
        if report.deadline else None,
        "address": report.address, "address_id": "", "zipcode": "", "lat": lat, "long": lng,
        "media_url": request.build_absolute_uri(reverse("reports:photo", args=[photo.pk])) if photo else "",
    }


def _date(value, name):
    if not value:
        return None
    moment = parse_datetime(value.replace(" ", "+")) if len(value) > 10 else None
    if moment is None:
        raise Open311Error(400, _("%(name)s must be a W3C date and time, e.g. 2026-12-01T00:00:00+08:00.") % {"name": name})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _list(value, limit=100):
    return [v.strip() for v in (value or "").split(",") if v.strip()][:limit]


@csrf_exempt
@require_http_methods(["GET", "POST"])
# The same for every caller; a minute at most, as the default window moves with the clock.
@cached("reports", everyone=True, seconds=60)
@handled
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    ids = _list(request.GET.get("service_request_id"))
    if any(not i.isdigit() or len(i) > 12 for i in ids):
        raise Open311Error(400, _("service_request_id must be numbers separated by commas."))
    start, end = _date(request.GET.get("start_date"), "start_date"), _date(request.GET.get("end_date"), "end_date")
    if start and end and end - start > MAX_RANGE:
        raise Open311Error(400, _("start_date and end_date may be at most 90 days apart."))
    if start and end and end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    status = _list(request.GET.get("status"))
    if any(s not in ("open", "closed") for s in status):
        raise Open311Error(400, _("status is open or closed."))
    found = queries.open311_requests(ids=[int(i) for i in ids], codes=_list(request.GET.get("service_code")),
                                     start=start, end=end, status=status)
    return render(fmt, "service_requests", [request_data(request, r) for r in found])


@require_GET
@cached("reports", everyone=True)
@handled
def request_detail(request, fmt, request_id):
    report = queries.open311_requests(ids=[int(request_id)]).first()
    if report is None:
        raise Open311Error(404, _("No service request has this id."))
    return render(fmt, "service_requests", [request_data(request, report)])


@require_GET
@handled
def token(request, fmt, token):
    from reports.models import Report

    report = Report.objects.filter(token=token).only("pk", "token").first()
    if report is None:
        raise Open311Error(404, _("No service request has this token."))
    return render(fmt, "service_requests", [{"service_request_id": str(report.pk), "token": report.token}])


def _attributes(post):
    """``attribute[code]=v`` and ``attribute[code][]=v`` (several choices) as {code: value(s)}."""
    answers = {}
    for key in post:
        if key.startswith("attribute[") and key.endswith("]"):
            inner = key[len("attribute["):-1]
            if inner.endswith("]["):
                answers[inner[:-2]] = post.getlist(key)
            else:
                answers[inner] = post.get(key)
    return answers


def _create(request, fmt):
    key = request.POST.get("api_key", "")
    if not key or not Open311Key.objects.filter(key=key[:64], is_active=True).exists():
        raise Open311Error(403, _("A valid api_key is required to submit a service request."))
    code = request.POST.get("service_code", "")
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = _public_categories().filter(code=code[:40]).first()
    if category is None:
        raise Open311Error(404, _("No service has this code."))
    lat, lng = request.POST.get("lat"), request.POST.get("long")
    address = request.POST.get("address_string", "")
    if (lat in (None, "") or lng in (None, "")) and not address and not request.POST.get("address_id"):
        raise Open311Error(400, _("A location is required: lat and long, or address_string."))
    if lat in (None, "") or lng in (None, ""):
        lat = lng = None
    name = " ".join(filter(None, [request.POST.get("last_name", ""), request.POST.get("first_name", "")])).strip()
    phone = request.POST.get("phone", "") or request.POST.get("email", "")
    report = report_services.submit(
        None, category=category, description=request.POST.get("description", ""), answers=_attributes(request.POST),
        lat=lat, lng=lng, address=address or request.POST.get("address_id", ""), channel=Channel.OPEN311,
        anonymous=not (name or phone), contact_name=name, contact_phone=phone,
        uploads=request.FILES.getlist("media")[:6], via="api")
    return render(fmt, "service_requests", [{"service_request_id": str(report.pk), "token": report.token,
                                              "service_notice": _("An answer is due by %(deadline)s.") % {
                                                  "deadline": report.deadline.isoformat()},
                                              "account_id": ""}], status=201)
