"""Every state change of the reports plugin: photos, submitting, "me too", the work order's steps
(accept, dispatch, start, resolve, close, reject, merge, reopen), escalation past the deadline and
needs-gathering meeting items. Each locks the report, re-checks its status, writes, records its
audit entry (core.audit) and notifies after commit (core.notify). Pages, the API, Open311, the
admin and commands all call these."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import audit, calendar, credits, throttle
from core.errors import DomainError, NotAllowed
from core.models import Community
from core.notify import notify
from reports import photos, queries
from reports.models import (
    OPEN_STATUSES,
    Category,
    Channel,
    Escalation,
    Meeting,
    Question,
    Report,
    ReportPhoto,
    ReportUpdate,
    Status,
    Supporter,
)
from reports.roles import COMMAND_CENTRE

#: Tests switch this off to show that two grid workers accepting the same work order at once both
#: "win" without the row lock: the control of the race tests.
logger = logging.getLogger(__name__)

LOCKING = True
#: Minutes of service a verified report credits its reporter (core.credits): the office sets it.
CREDIT_MINUTES = getattr(settings, "REPORTS_CREDIT_MINUTES", 30)
#: Working days past the deadline before the community's escalation goes on to the command centre.
COMMAND_CENTRE_AFTER = getattr(settings, "REPORTS_COMMAND_CENTRE_AFTER_WORKING_DAYS", 2)
SUBMIT_RATE = getattr(settings, "REPORTS_SUBMIT_RATE", "20/h")
#: A photo uploaded ahead of a report that never came is deleted after this many hours.
ORPHAN_PHOTO_HOURS = getattr(settings, "REPORTS_ORPHAN_PHOTO_HOURS", 24)
STAFF_CHANNELS = (Channel.HOTLINE, Channel.WALK_IN, Channel.STAFF, Channel.MEETING)


def _race_window():
    """Hook for tests: widen the gap between re-reading a status and writing the new one."""


class ReportError(DomainError):
    messages = {
        "not_found": _("No such report."),
        "category_closed": _("This category does not take reports now."),
        "description_required": _("Say what the problem is."),
        "too_long": _("The description is too long (at most 2,000 characters)."),
        "location_required": _("Say where it is: share your location, give an address or choose a community."),
        "bad_point": _("This location is not a valid point (latitude and longitude, WGS-84)."),
        "photo_required": _("This category needs a photo of the problem."),
        "too_many_photos": _("At most 6 photos per report."),
        "bad_photo": _("A photo given is not one you uploaded, or is already used."),
        "anonymous_not_allowed": _("Reports of this category cannot be anonymous."),
        "login_required": _("Log in to report, or call the hotline."),
        "answer_required": _("Answer the question: %(question)s"),
        "bad_answer": _("This answer is not one of the choices: %(question)s"),
        "bad_number": _("This answer must be a number: %(question)s"),
        "bad_datetime": _("This answer must be a date and time: %(question)s"),
        "unknown_community": _("No such community."),
        "bad_bbox": _("bbox must be west,south,east,north in degrees (WGS-84), south not above north."),
        "throttled": _("You have sent many reports in a short time. Please wait a while."),
        "not_submitted": _("This work order has already been accepted."),
        "not_open": _("This work order is no longer open."),
        "not_assigned": _("Nobody has been given this work order yet: accept it or dispatch it first."),
        "not_resolvable": _("This work order cannot be resolved in its present state."),
        "note_required": _("Say what was done."),
        "reason_required": _("Give a reason."),
        "not_resolved": _("Only a resolved work order can be closed."),
        "not_grid_worker": _("This person is not a grid worker of any community."),
        "same_report": _("A report cannot be a duplicate of itself."),
        "target_closed": _("The report to merge into must be open."),
        "not_public": _("Reports of this category are not shown to others, so no one can join them."),
        "own_report": _("This is your own report."),
        "already_supported": _("You have already said this happens to you too."),
        "reopen_expired": _("This work order can no longer be reopened here: please call the hotline."),
        "not_reporter": _("Only the person who reported it can do this."),
        "bad_meeting": _("No such meeting."),
    }


def _locked(queryset):
    return queryset.select_for_update(of=("self",)) if LOCKING else queryset


def _get_locked(report_id) -> Report:
    if not str(report_id).isdigit() or len(str(report_id)) > 12:
        raise ReportError("not_found", status=404)
    report = _locked(Report.objects.select_related("category")).filter(pk=report_id).first()
    if report is None:
        raise ReportError("not_found", status=404)
    return report


def _step(report, status, actor, note="", *, public=True, now=None):
    ReportUpdate.objects.create(report=report, status=status, note=note, is_public=public,
                                actor=actor if getattr(actor, "is_authenticated", False) else None,
                                created_at=now or timezone.now())


def _tell_reporter(report, kind, params):
    """The reporter hears of every step (after commit), and so do those who said "me too"."""
    people = []
    if report.reporter_id:
        people.append(report.reporter)
    people += [s.member for s in Supporter.objects.filter(report=report).select_related("member")]
    for person in people:
        notify(person, kind=kind, params=params, channels=("sms",))
    if not report.reporter_id and report.contact_phone:
        notify(kind=kind, params=params, channels=("sms",), recipient=report.contact_phone)


def _tell_status(report):
    _tell_reporter(report, "reports.status", {
        "id": report.pk, "category": report.category.name, "status": report.get_status_display()})


def _command_centre_users():
    return get_user_model().objects.filter(groups__name=COMMAND_CENTRE, is_active=True).distinct()


def _grid_workers(community_id):
    if not community_id:
        return []
    return list(get_user_model().objects.filter(grid_communities=community_id, is_active=True))


# --- photos --------------------------------------------------------------------------------------

def upload_photo(member, upload, *, kind=ReportPhoto.Kind.REPORT) -> ReportPhoto:
    """A photo sent ahead of its report (a phone uploads before it submits): re-encoded without
    metadata and kept for its uploader only until a report takes it."""
    if not member.is_authenticated:
        raise ReportError("login_required", status=401)
    photo = ReportPhoto(kind=kind, uploaded_by=member)
    _store(photo, upload)
    return photo


def _store(photo, upload):
    """Clean ``upload`` into ``photo`` (no metadata), with its thumbnail, and save the row. The
    files go through the storage API (local disk or S3 alike)."""
    content, photo.width, photo.height = photos.clean_image(upload)
    thumb, photo.thumb_width, photo.thumb_height = photos.make_thumbnail(content.read())
    content.seek(0)
    photo.image.save("photo.jpg", content, save=False)
    photo.thumbnail.save("thumb.jpg", thumb, save=False)
    photo.save()


def ensure_thumbnail(photo) -> ReportPhoto:
    """The thumbnail of a photo stored before thumbnails were made: made once, from the stored
    (already cleaned) photo, and kept."""
    if photo.thumbnail:
        return photo
    with photo.image.open("rb") as stored:
        thumb, width, height = photos.make_thumbnail(stored.read())
    photo.thumb_width, photo.thumb_height = width, height
    photo.thumbnail.save("thumb.jpg", thumb, save=False)
    # A plain UPDATE of these columns only: no signal, so no cache namespace is made stale.
    ReportPhoto.objects.filter(pk=photo.pk, thumbnail="").update(
        thumbnail=photo.thumbnail.name, thumb_width=width, thumb_height=height)
    return photo


def delete_orphan_photos(now=None, *, hours=None) -> int:
    """Photos uploaded ahead of a report that was never sent, older than ``hours``
    (``REPORTS_ORPHAN_PHOTO_HOURS``, 24): their rows go, and their files (photo and thumbnail)
    after the commit, through the storage API. A submission taking one at the same moment holds
    its row lock; that row is skipped and stays with its report."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=ORPHAN_PHOTO_HOURS if hours is None else hours)
    with transaction.atomic():
        old = ReportPhoto.objects.filter(report__isnull=True, created_at__lt=cutoff).order_by("pk")
        if LOCKING and transaction.get_connection().features.has_select_for_update_skip_locked:
            old = old.select_for_update(skip_locked=True)
        doomed = list(old.values_list("pk", "image", "thumbnail")[:1000])
        if not doomed:
            return 0
        ReportPhoto.objects.filter(pk__in=[pk for pk, _image, _thumb in doomed], report__isnull=True).delete()
        names = [name for _pk, image, thumb in doomed for name in (image, thumb) if name]
        transaction.on_commit(lambda: _delete_files(names))
    return len(doomed)


def _delete_files(names):
    storage = ReportPhoto._meta.get_field("image").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("orphan photo file %s could not be deleted", name, exc_info=True)


def _take_photos(member, photo_ids, uploads, *, kind, report, limit=6):
    taken = []
    ids = [int(i) for i in (photo_ids or []) if str(i).isdigit() and len(str(i)) < 12]
    if len(ids) + len(uploads or ()) > limit:
        raise ReportError("too_many_photos", status=422)
    if ids:
        owned = list(ReportPhoto.objects.select_for_update().filter(
            pk__in=ids, report__isnull=True, uploaded_by=member if getattr(member, "is_authenticated", False) else None))
        if len(owned) != len(set(ids)):
            raise ReportError("bad_photo", status=422)
        for photo in owned:
            photo.report, photo.kind = report, kind
            photo.save(update_fields=["report", "kind"])
            taken.append(photo)
    for upload in uploads or ():
        photo = ReportPhoto(report=report, kind=kind,
                            uploaded_by=member if getattr(member, "is_authenticated", False) else None)
        _store(photo, upload)
        taken.append(photo)
    return taken


# --- submitting ------------------------------------------------------------------------------------

def clean_answers(category, answers) -> dict:
    """The answers to the category's questions, checked and in their types; unknown keys dropped."""
    answers = answers or {}
    cleaned = {}
    for question in category.questions.all():
        raw = answers.get(question.code)
        if isinstance(raw, str):
            raw = raw.strip()
        empty = raw in (None, "", []) or (isinstance(raw, list) and not any(raw))
        if empty:
            if question.required:
                raise ReportError("answer_required", ReportError.messages["answer_required"] % {
                    "question": question.label}, status=422)
            continue
        if question.datatype == Question.Datatype.NUMBER:
            try:
                cleaned[question.code] = float(raw) if "." in str(raw) else int(raw)
            except (TypeError, ValueError):
                raise ReportError("bad_number", ReportError.messages["bad_number"] % {"question": question.label},
                                  status=422) from None
        elif question.datatype == Question.Datatype.DATETIME:
            value = parse_datetime(str(raw))
            if value is None:
                raise ReportError("bad_datetime", ReportError.messages["bad_datetime"] % {"question": question.label},
                                  status=422)
            cleaned[question.code] = str(raw)[:40]
        elif question.is_choice:
            keys = {key for key, _label in question.choice_list()}
            values = raw if isinstance(raw, list) else [raw]
            values = [str(v) for v in values]
            if not values or any(v not in keys for v in values) or (
                    question.datatype == Question.Datatype.SINGLE and len(values) > 1):
                raise ReportError("bad_answer", ReportError.messages["bad_answer"] % {"question": question.label},
                                  status=422)
            cleaned[question.code] = values if question.datatype == Question.Datatype.MULTI else values[0]
        else:
            cleaned[question.code] = str(raw)[:500]
    return cleaned


def _point(lat, lng):
    if lat is None and lng is None:
        return None, None
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise ReportError("bad_point", status=422) from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or lat != lat or lng != lng:
        raise ReportError("bad_point", status=422)
    return lat, lng


def submit(member, *, category, description, answers=None, lat=None, lng=None, address="", community=None,
           anonymous=False, channel=Channel.PAGE, photo_ids=(), uploads=(), via="page", filed_by=None,
           meeting=None, contact_name="", contact_phone="", now=None) -> Report:
    """File a report. ``member`` is the reporter (None for a caller without an account: hotline,
    walk-in, an Open311 client); ``filed_by`` the staff member who typed it on their behalf. The
    community comes from ``community`` (a Community or its code) or else from the point; the
    deadline counts the category's working days from today by the office calendar. The
    community's grid workers are told at once."""
    now = now or timezone.now()
    if isinstance(category, str):
        category = queries.categories(active=False).filter(code=category).first()
    if category is None or not category.is_active:
        raise ReportError("category_closed", status=422)
    member = member if getattr(member, "is_authenticated", False) else None
    staff_channel = channel in STAFF_CHANNELS
    if member is None and not staff_channel and channel != Channel.OPEN311:
        raise ReportError("login_required", status=401)
    description = (description or "").strip()
    if not description:
        raise ReportError("description_required", status=422)
    if len(description) > 2000:
        raise ReportError("too_long", status=422)
    if anonymous and not category.allow_anonymous:
        raise ReportError("anonymous_not_allowed", status=422)
    cleaned = clean_answers(category, answers)
    lat, lng = _point(lat, lng)
    address = (address or "").strip()[:200]
    source = ""
    if community is not None and not isinstance(community, Community):
        found = Community.objects.filter(code=str(community)[:30]).first()
        if found is None:
            raise ReportError("unknown_community", status=422)
        community = found
    if community is not None:
        source = "chosen"
    elif lat is not None:
        community, source = queries.community_for_point(lat, lng), "point"
    if lat is None and not address and community is None:
        raise ReportError("location_required", status=422)
    if category.photo_required and not staff_channel and not (photo_ids or uploads):
        raise ReportError("photo_required", status=422)
    key = f"user{member.pk}" if member else f"filed{getattr(filed_by, 'pk', 'anon')}"
    if not staff_channel and not throttle.hit("reports.submit", key, SUBMIT_RATE):
        raise ReportError("throttled", status=429)
    deadline = calendar.add_working_days(timezone.localdate(now), category.deadline_working_days)
    with transaction.atomic():
        report = Report.objects.create(
            category=category, description=description, answers=cleaned, latitude=lat, longitude=lng,
            address=address, community=community, community_source=source, reporter=member,
            anonymous=bool(anonymous), channel=channel, filed_by=filed_by if filed_by is not None else member,
            meeting=meeting, contact_name=(contact_name or "")[:60], contact_phone=(contact_phone or "")[:30],
            submitted_at=now, deadline=deadline)
        _take_photos(member, photo_ids, uploads, kind=ReportPhoto.Kind.REPORT, report=report)
        _step(report, Status.SUBMITTED, member or filed_by, now=now)
        audit.record(report, "reports.submit", actor=filed_by or member, on_behalf_of=member, via=via,
                     data={"category": category.code, "channel": channel})
        if member:
            notify(member, kind="reports.submitted", channels=("sms",), params={
                "id": report.pk, "category": category.name, "deadline": deadline.isoformat()})
        for worker in _grid_workers(report.community_id):
            notify(worker, kind="reports.new_work_order", channels=("sms",), params={
                "id": report.pk, "community": community.name, "category": category.name,
                "where": address or gettext("see the map"), "deadline": deadline.isoformat()})
    return report


def me_too(report_id, member, *, via="page") -> Report:
    """``member`` has the same problem: they join the report (and hear of its progress) instead
    of filing a duplicate."""
    if not member.is_authenticated:
        raise ReportError("login_required", status=401)
    with transaction.atomic():
        report = _get_locked(report_id)
        if not report.category.is_public:
            raise ReportError("not_public", status=403)
        if not report.is_open:
            raise ReportError("not_open")
        if report.reporter_id == member.pk:
            raise ReportError("own_report")
        try:
            with transaction.atomic():
                Supporter.objects.create(report=report, member=member)
        except IntegrityError:
            raise ReportError("already_supported") from None
        Report.objects.filter(pk=report.pk).update(supporter_count=F("supporter_count") + 1)
        report.refresh_from_db(fields=["supporter_count"])
        audit.record(report, "reports.me_too", actor=member, via=via)
    return report


# --- the work order ----------------------------------------------------------------------------------

def _require(ok):
    if not ok:
        raise NotAllowed()


def accept(report_id, actor, *, via="page") -> Report:
    """Take a submitted work order: a grid worker of its community (who then holds it) or the
    command centre. Two at once: one wins, the other is told it has been accepted."""
    with transaction.atomic():
        report = _get_locked(report_id)
        _require(queries.may_accept(actor, report))
        _race_window()
        if not report.can_accept:
            raise ReportError("not_submitted" if report.is_open else "not_open")
        now = timezone.now()
        report.status, report.accepted_at = Status.ACCEPTED, now
        if actor.pk in {w.pk for w in _grid_workers(report.community_id)}:
            report.assignee = actor
        report.save(update_fields=["status", "accepted_at", "assignee", "updated_at"])
        _step(report, Status.ACCEPTED, actor, now=now)
        audit.record(report, "reports.accept", actor=actor, via=via)
        _tell_status(report)
    return report


def dispatch(report_id, actor, assignee, *, note="", via="admin") -> Report:
    """The command centre gives (or gives again) a work order to a grid worker."""
    _require(queries.is_command_centre(actor))
    if isinstance(assignee, int | str):
        assignee = get_user_model().objects.filter(pk=assignee).first() if str(assignee).isdigit() else None
    if assignee is None or not assignee.is_active or not Community.objects.filter(grid_workers=assignee).exists():
        raise ReportError("not_grid_worker", status=422)
    with transaction.atomic():
        report = _get_locked(report_id)
        if not report.can_dispatch:
            raise ReportError("not_open")
        now = timezone.now()
        before = report.assignee_id
        report.assignee, report.dispatched_at = assignee, now
        if report.status != Status.IN_PROGRESS:
            report.status = Status.DISPATCHED
        report.accepted_at = report.accepted_at or now
        report.save(update_fields=["assignee", "dispatched_at", "status", "accepted_at", "updated_at"])
        _step(report, report.status, actor, note=(note or "")[:500], public=False, now=now)
        audit.record(report, "reports.dispatch", actor=actor, via=via,
                     data={"from": before, "to": assignee.pk})
        notify(assignee, kind="reports.dispatched", channels=("sms",), params={
            "id": report.pk, "category": report.category.name, "deadline": report.deadline})
        if before is None:
            _tell_status(report)
    return report


def start(report_id, actor, *, via="page") -> Report:
    with transaction.atomic():
        report = _get_locked(report_id)
        _require(queries.may_work(actor, report))
        if not report.can_start:
            raise ReportError("not_assigned" if report.is_open else "not_open")
        now = timezone.now()
        report.status, report.started_at = Status.IN_PROGRESS, now
        report.save(update_fields=["status", "started_at", "updated_at"])
        _step(report, Status.IN_PROGRESS, actor, now=now)
        audit.record(report, "reports.start", actor=actor, via=via)
        _tell_status(report)
    return report


def resolve(report_id, actor, *, note, public_note="", photo_ids=(), uploads=(), via="page") -> Report:
    """The work is done: a note (what was done) and, where the category asks for photos, a photo
    of the result. The reporter is told, and credited for a report that proved real."""
    note = (note or "").strip()
    if not note:
        raise ReportError("note_required", status=422)
    with transaction.atomic():
        report = _get_locked(report_id)
        _require(queries.may_work(actor, report))
        if not report.can_resolve:
            raise ReportError("not_resolvable")
        if report.category.photo_required and report.channel not in STAFF_CHANNELS and not (photo_ids or uploads):
            raise ReportError("photo_required", status=422)
        _take_photos(actor, photo_ids, uploads, kind=ReportPhoto.Kind.RESOLUTION, report=report)
        now = timezone.now()
        report.status, report.resolved_at = Status.RESOLVED, now
        report.resolution_note = note[:2000]
        report.public_note = (public_note or note).strip()[:2000]
        report.assignee = report.assignee or (actor if actor.pk in {w.pk for w in _grid_workers(report.community_id)} else None)
        report.save(update_fields=["status", "resolved_at", "resolution_note", "public_note", "assignee", "updated_at"])
        _step(report, Status.RESOLVED, actor, note=report.public_note, now=now)
        audit.record(report, "reports.resolve", actor=actor, via=via)
        _credit(report, now)
        _tell_reporter(report, "reports.resolved", {
            "id": report.pk, "category": report.category.name, "note": report.public_note[:200]})
    return report


def _credit(report, now):
    """A report that proved real credits its reporter once, through core's service-rendered
    contract (whichever hours ledger is enabled; nothing when none is)."""
    if report.credited or not report.reporter_id:
        return
    start_at = report.submitted_at
    minutes = CREDIT_MINUTES
    credits.credit(member=report.reporter, activity=gettext("Hazard report · %(category)s") % {
        "category": report.category.name}, start=start_at, end=max(now, start_at + datetime.timedelta(minutes=minutes)),
        minutes=minutes, source_key=report.source_key, community=report.community_id,
        outputs={"hazard reports": 1})
    report.credited = True
    Report.objects.filter(pk=report.pk).update(credited=True)


def close(report_id, actor, *, via="page") -> Report:
    """Close a resolved work order: the command centre, or the reporter confirming it is fixed."""
    with transaction.atomic():
        report = _get_locked(report_id)
        _require(queries.is_command_centre(actor) or report.reporter_id == getattr(actor, "pk", None))
        if not report.can_close:
            raise ReportError("not_resolved")
        now = timezone.now()
        report.status, report.closed_at = Status.CLOSED, now
        report.save(update_fields=["status", "closed_at", "updated_at"])
        _step(report, Status.CLOSED, actor, now=now)
        audit.record(report, "reports.close", actor=actor, via=via)
        if report.reporter_id != actor.pk:
            _tell_status(report)
    return report


def reject(report_id, actor, *, reason, via="page") -> Report:
    reason = (reason or "").strip()
    if not reason:
        raise ReportError("reason_required", status=422)
    with transaction.atomic():
        report = _get_locked(report_id)
        _require(queries.may_work(actor, report))
        if not report.can_reject:
            raise ReportError("not_open")
        now = timezone.now()
        report.status, report.closed_at, report.reject_reason = Status.REJECTED, now, reason[:200]
        report.public_note = reason[:2000]
        report.save(update_fields=["status", "closed_at", "reject_reason", "public_note", "updated_at"])
        _step(report, Status.REJECTED, actor, note=reason, now=now)
        audit.record(report, "reports.reject", actor=actor, via=via, data={"reason": reason[:200]})
        _tell_reporter(report, "reports.rejected", {"id": report.pk, "reason": reason[:200]})
    return report


def merge(report_id, actor, into_id, *, via="admin") -> Report:
    """Fold a duplicate into the report it repeats: its reporter and supporters follow that one."""
    _require(queries.is_command_centre(actor))
    if str(report_id) == str(into_id):
        raise ReportError("same_report", status=422)
    with transaction.atomic():
        # A stable order: two staff merging A into B and B into A cannot deadlock.
        first, second = sorted([str(report_id), str(into_id)], key=lambda v: int(v) if v.isdigit() else -1)
        locked = {str(r.pk): r for r in (_get_locked(first), _get_locked(second))}
        report, target = locked[str(report_id)], locked[str(into_id)]
        if not report.can_merge:
            raise ReportError("not_open")
        if not target.is_open:
            raise ReportError("target_closed")
        now = timezone.now()
        report.status, report.merged_into, report.closed_at = Status.MERGED, target, now
        report.save(update_fields=["status", "merged_into", "closed_at", "updated_at"])
        joined = 0
        for member_id in ([report.reporter_id] if report.reporter_id else []) + list(
                report.supporters.values_list("member_id", flat=True)):
            if member_id != target.reporter_id and not Supporter.objects.filter(report=target, member_id=member_id).exists():
                Supporter.objects.create(report=target, member_id=member_id)
                joined += 1
        Report.objects.filter(pk=target.pk).update(supporter_count=F("supporter_count") + joined)
        _step(report, Status.MERGED, actor, note=gettext("Same as report #%(id)s.") % {"id": target.pk}, now=now)
        audit.record(report, "reports.merge", actor=actor, via=via, data={"into": target.pk})
        _tell_reporter(report, "reports.merged", {"id": report.pk, "other": target.pk})
    return report


def reopen(report_id, member, *, reason, via="page") -> Report:
    """The reporter says it is not fixed, within REOPEN_DAYS of the resolution: back to whoever
    held it, with a new deadline."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError("reason_required", status=422)
    with transaction.atomic():
        report = _get_locked(report_id)
        if report.reporter_id != getattr(member, "pk", None):
            raise ReportError("not_reporter", status=403)
        if not report.can_reopen():
            raise ReportError("reopen_expired")
        now = timezone.now()
        report.status = Status.IN_PROGRESS if report.assignee_id else Status.SUBMITTED
        report.resolved_at = report.closed_at = None
        report.escalation, report.escalated_at = Escalation.NONE, None
        report.deadline = calendar.add_working_days(timezone.localdate(now), report.category.deadline_working_days)
        report.save(update_fields=["status", "resolved_at", "closed_at", "escalation", "escalated_at", "deadline",
                                   "updated_at"])
        _step(report, report.status, member, note=reason[:500], now=now)
        audit.record(report, "reports.reopen", actor=member, via=via, data={"reason": reason[:200]})
        for person in ([report.assignee] if report.assignee_id else _grid_workers(report.community_id)):
            notify(person, kind="reports.reopened", channels=("sms",),
                   params={"id": report.pk, "reason": reason[:200]})
    return report


# --- escalation --------------------------------------------------------------------------------------

def escalate_overdue(today=None, *, via="system") -> list[Report]:
    """Work orders past their deadline go up one level: first to the whole community (all its grid
    workers hear of it), then, ``COMMAND_CENTRE_AFTER`` working days later, to the command centre.
    Idempotent: run it as often as you like."""
    today = today or timezone.localdate()
    escalated = []
    for report_id in list(queries.overdue_for_escalation(today).values_list("pk", flat=True)):
        with transaction.atomic():
            report = _get_locked(report_id)
            if not report.is_overdue(today):
                continue
            late = calendar.working_days_between(report.deadline, today)
            wanted = Escalation.COMMAND_CENTRE if late > COMMAND_CENTRE_AFTER else Escalation.COMMUNITY
            if report.escalation >= wanted or late < 1:
                continue
            report.escalation, report.escalated_at = wanted, timezone.now()
            report.save(update_fields=["escalation", "escalated_at", "updated_at"])
            _step(report, report.status, None, note=str(report.get_escalation_display()), public=False)
            audit.record(report, "reports.escalate", via=via, data={"level": int(wanted), "late_working_days": late})
            params = {"id": report.pk, "category": report.category.name, "days": late,
                      "deadline": report.deadline, "level": report.get_escalation_display()}
            people = {w.pk: w for w in _grid_workers(report.community_id)}
            if report.assignee_id:
                people[report.assignee_id] = report.assignee
            if wanted == Escalation.COMMAND_CENTRE:
                people.update({u.pk: u for u in _command_centre_users()})
            for person in people.values():
                notify(person, kind="reports.escalated", channels=("sms",), params=params)
            escalated.append(report)
    return escalated


def close_resolved(today=None, *, via="system") -> int:
    """Resolved work orders nobody reopened in REOPEN_DAYS are closed."""
    from reports.models import REOPEN_DAYS

    limit = timezone.now() - datetime.timedelta(days=REOPEN_DAYS)
    closed = 0
    for report_id in list(Report.objects.filter(status=Status.RESOLVED, resolved_at__lt=limit).values_list("pk", flat=True)):
        with transaction.atomic():
            report = _get_locked(report_id)
            if report.status != Status.RESOLVED:
                continue
            report.status, report.closed_at = Status.CLOSED, timezone.now()
            report.save(update_fields=["status", "closed_at", "updated_at"])
            _step(report, Status.CLOSED, None)
            audit.record(report, "reports.close", via=via)
            closed += 1
    return closed


# --- needs-gathering meetings -------------------------------------------------------------------------

def record_meeting_item(actor, meeting, *, category, description, via="admin") -> Report:
    """A difficulty or suggestion raised at a meeting, written down by staff: a report in the
    same flow, in the meeting's community, shown on the meeting's page with its answer."""
    _require(queries.is_command_centre(actor))
    if not isinstance(meeting, Meeting):
        meeting = Meeting.objects.filter(pk=meeting).first() if str(meeting).isdigit() else None
        if meeting is None:
            raise ReportError("bad_meeting", status=404)
    if isinstance(category, int):
        category = Category.objects.filter(pk=category).first()
    return submit(None, category=category, description=description, community=meeting.community,
                  address=meeting.community.address if meeting.community else "", channel=Channel.MEETING,
                  meeting=meeting, filed_by=actor, via=via)


def export_member_data(user) -> dict:
    """What a member's data export holds from this plugin: their reports and their "me too"s."""
    return {
        "reports": [{"id": r.pk, "category": r.category.name, "status": r.status, "description": r.description,
                     "address": r.address, "submitted_at": r.submitted_at.isoformat(), "public_note": r.public_note}
                    for r in queries.report_queryset().filter(reporter=user)],
        "me_too": list(Supporter.objects.filter(member=user).values_list("report_id", flat=True)),
    }


__all__ = ["OPEN_STATUSES", "ReportError"]
