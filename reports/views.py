"""Member and grid-worker pages, phone-first, for people without the app. Thin: reads from
queries, changes through services, refusals shown as the service's message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import maps
from core.api import api_url
from core.cache import cached
from core.errors import DomainError
from core.http import redirect_back
from reports import queries, services
from reports.forms import ListFilterForm, ReasonForm, ReportForm, ResolveForm
from reports.models import Channel, Meeting, ReportPhoto

PAGE_SIZE = 20


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


#: The most reports the public map draws (the newest of the list's filters); the list has them all.
MAP_LIMIT = 200


def public_map(data, count):
    """The public map above the list (core.maps): the same filters, from the GeoJSON endpoint."""
    params = [(name, value) for name, value in (
        ("category", data.get("category")), ("community", data["community"].code if data.get("community") else ""),
        ("status", data.get("status"))) if value] + [("limit", MAP_LIMIT)]
    return maps.map_context(
        f"{api_url('reports_geojson')}?{urlencode(params)}", id="report-map", css_class="report-map",
        label=_("Map of the reports in the list"), title=_("On the map"),
        partial_note=_("The map shows the newest %(n)s reports of the list.") % {"n": MAP_LIMIT}
        if count > MAP_LIMIT else "",
        data={"label-supporters": _('%(n)s say "me too"'), "label-photo": _("Photo of the problem")})


@require_GET
@maps.allow_tiles
@cached("reports")
def index(request):
    """The public list: public categories only, no personal data; the map of the same reports
    above it, drawn by script (without it, or for a screen reader, the list is the page)."""
    categories = list(queries.categories(active=False).filter(is_public=True))
    form = ListFilterForm(request.GET or None, categories=categories)
    data = form.cleaned_data if form.is_valid() else {}
    reports = queries.with_photos(queries.filter_reports(
        queries.public_reports(), category=data.get("category") or None, community=data.get("community"),
        status=data.get("status") or None))
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    count = page.paginator.count
    return render(request, "reports/index.html", {
        "filter_form": form, "page_obj": page, "filter_query": _query_without_page(request),
        "categories": categories, "is_grid_worker": queries.is_grid_worker(request.user),
        "map": public_map(data, count) if count and (form.is_valid() or not form.is_bound) else None})


def _point_of(report, user):
    return (report.latitude, report.longitude) if queries.may_see_personal(user, report) else queries.public_point(report)


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    """Report a problem: choose a category, then describe it, add a photo and the place. Open
    reports of the same category nearby are shown before it is sent, with "me too"."""
    categories = list(queries.categories())
    code = request.POST.get("category") or request.GET.get("category")
    category = next((c for c in categories if c.code == code), None)
    if category is None:
        return render(request, "reports/choose.html", {"categories": categories})
    nearby = []
    form = ReportForm(request.POST or None, request.FILES or None, category=category)
    if request.method == "POST" and form.is_valid():
        try:
            photo_ids = form.photo_id_list()
            upload = form.cleaned_data.get("photo")
            if upload:
                photo_ids.append(services.upload_photo(request.user, upload).pk)
            data = form.data.copy()
            data["photo_ids"] = ",".join(str(i) for i in photo_ids)
            lat, lng = form.cleaned_data.get("lat"), form.cleaned_data.get("lng")
            if not form.cleaned_data.get("confirm_new") and lat is not None and lng is not None:
                nearby = queries.nearby_open(category, lat, lng)
            if nearby:
                data["confirm_new"] = "1"
                form = ReportForm(data, category=category)
                form.is_valid()
            else:
                community = form.cleaned_data.get("community")
                report = services.submit(
                    request.user, category=category, description=form.cleaned_data["description"],
                    answers=form.answers(), lat=lat, lng=lng, address=form.cleaned_data.get("address", ""),
                    community=community, anonymous=form.cleaned_data.get("anonymous", False), photo_ids=photo_ids,
                    channel=Channel.PAGE, via="page")
                messages.success(request, _("Thank you. Your report #%(id)s is in; an answer is due by %(deadline)s.") % {
                    "id": report.pk, "deadline": report.deadline})
                return redirect("reports:detail", report.pk)
        except DomainError as exc:
            form.add_error(None, exc.message)
    photo_ids = form.data.get("photo_ids", "") if form.is_bound else ""
    return render(request, "reports/new.html", {
        "category": category, "form": form, "nearby": nearby, "photo_ids": photo_ids,
        "supported": queries.supported_ids(request.user, [n.report.pk for n in nearby])})


@require_GET
@cached("reports")
def detail(request, report_id):
    report = queries.report_for(request.user, report_id)
    if report is None:
        raise Http404
    lat, lng = _point_of(report, request.user)
    return render(request, "reports/detail.html", {
        "report": report, "lat": lat, "lng": lng, "timeline": queries.timeline(report, request.user),
        "personal": queries.may_see_personal(request.user, report),
        "supported": report.pk in queries.supported_ids(request.user, [report.pk]),
        "may_work": queries.may_work(request.user, report) or queries.may_accept(request.user, report),
        "is_reporter": request.user.is_authenticated and report.reporter_id == request.user.pk,
        "reason_form": ReasonForm()})


@login_required
@require_POST
def me_too(request, report_id):
    try:
        services.me_too(report_id, request.user, via="page")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: you will hear how it goes, as the first reporter does."))
    return redirect_back(request, reverse("reports:detail", args=[report_id]))


@login_required
@require_POST
def reopen(request, report_id):
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReportError("reason_required", status=422)
        services.reopen(report_id, request.user, reason=form.cleaned_data["reason"], via="page")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reopened: the grid worker has been told."))
    return redirect("reports:detail", report_id)


@login_required
@require_POST
def confirm_fixed(request, report_id):
    try:
        services.close(report_id, request.user, via="page")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for confirming."))
    return redirect("reports:detail", report_id)


@login_required
@require_GET
def mine(request):
    reports = queries.with_photos(queries.my_reports(request.user))
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/mine.html", {"page_obj": page})


def _grid_worker_only(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (queries.is_grid_worker(request.user) or queries.is_command_centre(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


@_grid_worker_only
@require_GET
def queue(request):
    """A grid worker's queue on the phone: soonest deadline first, overdue ones marked."""
    reports = queries.queue_for(request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/queue.html", {"page_obj": page})


@_grid_worker_only
@require_http_methods(["GET", "POST"])
def work(request, report_id):
    """One work order for its grid worker: accept, start, resolve with a photo, or reject."""
    report = queries.report_for(request.user, report_id)
    if report is None:
        raise Http404
    resolve_form = ResolveForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.accept(report.pk, request.user, via="page")
                messages.success(request, _("Accepted: this work order is yours."))
            elif action == "start":
                services.start(report.pk, request.user, via="page")
                messages.success(request, _("Marked as in progress."))
            elif action == "resolve":
                resolve_form = ResolveForm(request.POST, request.FILES)
                if not resolve_form.is_valid():
                    raise services.ReportError("note_required", status=422)
                upload = resolve_form.cleaned_data.get("photo")
                services.resolve(report.pk, request.user, note=resolve_form.cleaned_data["note"],
                                 public_note=resolve_form.cleaned_data.get("public_note", ""),
                                 uploads=[upload] if upload else [], via="page")
                messages.success(request, _("Resolved: the reporter has been told."))
            elif action == "reject":
                services.reject(report.pk, request.user, reason=request.POST.get("reason", ""), via="page")
                messages.success(request, _("Rejected: the reporter has been told why."))
            else:
                raise services.ReportError("not_open", _("Choose what to do."), status=422)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("reports:work", report.pk)
        report = queries.report_for(request.user, report_id)
    return render(request, "reports/work.html", {
        "report": report, "resolve_form": resolve_form, "timeline": queries.timeline(report, request.user),
        "may_accept": report.can_accept and queries.may_accept(request.user, report),
        "may_work": queries.may_work(request.user, report), "today_overdue": report.is_overdue()})


def _photo_for(request, photo_id):
    photo = get_object_or_404(ReportPhoto.objects.select_related("report"), pk=photo_id)
    if photo.report_id is None:
        allowed = request.user.is_authenticated and photo.uploaded_by_id == request.user.pk
    else:
        allowed = queries.visible_to(request.user).filter(pk=photo.report_id).exists()
    if not allowed:
        raise Http404
    return photo


def _jpeg(fieldfile):
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def photo(request, photo_id):
    """A report's photo, as re-encoded (no EXIF, no GPS), to whoever may see the report."""
    return _jpeg(_photo_for(request, photo_id).image)


@require_GET
def thumbnail(request, photo_id):
    """Its thumbnail (lists, map popups), to the same people; made now if it was stored before
    thumbnails were."""
    photo = _photo_for(request, photo_id)
    try:
        photo = services.ensure_thumbnail(photo)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return _jpeg(photo.thumbnail)


@require_GET
@cached("reports")
def meetings(request):
    page = Paginator(queries.meetings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/meetings.html", {"page_obj": page})


@require_GET
@cached("reports")
def meeting(request, meeting_id):
    """What was raised at a needs-gathering meeting, and what became of each (its answer)."""
    meeting = get_object_or_404(Meeting.objects.select_related("community"), pk=meeting_id)
    return render(request, "reports/meeting.html", {"meeting": meeting, "items": queries.meeting_items(meeting)})
