"""Member and coordinator pages for people without the app. Thin: reads from queries, changes
through services, refusals shown as the service's message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.cache import cached
from core.errors import DomainError
from core.formats import local_date
from core.http import redirect_back
from core.models import Community
from volunteers import documents, queries, services
from volunteers.forms import (
    CertificateForm,
    CodeForm,
    CorrectionForm,
    FilterForm,
    ProfileForm,
    SelfReportForm,
    availability_formset,
)
from volunteers.models import (
    STAR_THRESHOLDS_HOURS,
    Certificate,
    HoursEntry,
    OpportunityIndexPage,
    Shift,
    SignUp,
    Team,
    VolunteerProfile,
)

PAGE_SIZE = 12


def _coordinator_only(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not services.is_coordinator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


# --- public pages ---------------------------------------------------------------------------

@require_GET
@cached("volunteers", seconds=queries.LISTING_CACHE_SECONDS)
def index(request):
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    opportunities = queries.filter_opportunities(queries.opportunity_queryset(), community=filters.get("community") or None,
                                                 on=filters.get("date"))
    page = Paginator(opportunities, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "volunteers/index.html", {
        "filter_form": form, "opportunities_page": page, "filter_query": query.urlencode(),
        "index_page": OpportunityIndexPage.objects.live().first(), "is_coordinator": services.is_coordinator(request.user)})


def opportunity_context(request, opportunity):
    """What the opportunity page shows: its upcoming shifts, places left, and the visitor's own places."""
    opportunity = queries.opportunity_queryset().filter(pk=opportunity.pk).first() or opportunity
    shifts = queries.upcoming_shifts(opportunity)
    mine, teams = {}, []
    if request.user.is_authenticated:
        mine = {s.shift_id: s for s in SignUp.objects.filter(member=request.user, shift__in=shifts,
                                                              status__in=SignUp.ACTIVE_STATUSES)}
        teams = list(queries.teams_led_by(request.user))
    return {"opportunity": opportunity, "shifts": [{"shift": s, "mine": mine.get(s.pk)} for s in shifts],
            "teams": teams, "is_coordinator": services.is_coordinator(request.user)}


@require_GET
@cached("volunteers.hours", seconds=queries.LEADERBOARD_CACHE_SECONDS)
def leaderboard(request):
    period = request.GET.get("period", "month")
    if period not in ("month", "year", "all"):
        period = "month"
    community = request.GET.get("community") or None
    if community and not Community.objects.filter(code=community).exists():
        community = None
    return render(request, "volunteers/leaderboard.html", {
        "rows": queries.leaderboard(period=period, community=community), "period": period, "community": community,
        "communities": Community.objects.only("code", "name"), "thresholds": STAR_THRESHOLDS_HOURS})


@require_GET
def verify(request, number):
    certificate = queries.certificate_for_verification(number[:30], request.GET.get("code", "")[:20])
    status = 200 if certificate else 404
    return render(request, "volunteers/verify.html", {
        "found": certificate is not None, "number": number[:30],
        "proof": queries.public_verification(certificate) if certificate else None}, status=status)


@require_GET
def calendar_feed(request, token):
    profile = VolunteerProfile.objects.filter(calendar_token=token[:64]).first()
    if profile is None:
        raise Http404
    return documents.calendar_response(queries.calendar_signups(profile))


# --- signing up ----------------------------------------------------------------------------

def _back_to(shift):
    return shift.opportunity.url or reverse("volunteers:index")


@login_required
@require_POST
def sign_up(request, shift_id):
    shift = get_object_or_404(Shift.objects.select_related("opportunity"), pk=shift_id)
    try:
        signup = services.sign_up(request.user, shift, via="page")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back_to(shift))
    if signup.status == SignUp.Status.WAITLISTED:
        messages.success(request, _("The shift is full: you are number %(n)s on the waiting list.") % {"n": signup.position})
    else:
        messages.success(request, _("You are signed up. Your check-in code is %(code)s.") % {"code": signup.check_in_code})
    return redirect("volunteers:me")


@login_required
@require_http_methods(["GET", "POST"])
def team_sign_up(request, shift_id):
    shift = get_object_or_404(Shift.objects.select_related("opportunity", "capacity"), pk=shift_id)
    teams = list(queries.teams_led_by(request.user))
    if not teams:
        raise PermissionDenied
    team = next((t for t in teams if str(t.pk) == request.POST.get("team", request.GET.get("team", ""))), teams[0])
    if request.method == "POST":
        ids = [v for v in request.POST.getlist("members") if v.isascii() and v.isdigit()]
        try:
            signups = services.team_sign_up(request.user, team, shift, ids, via="page")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(count)s team members are signed up.") % {"count": len(signups)})
            return redirect(_back_to(shift))
    members = [team.leader] + [m for m in team.members.all() if m.pk != team.leader_id]
    return render(request, "volunteers/team_sign_up.html", {"shift": shift, "team": team, "teams": teams,
                                                             "members": members})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, signup_id):
    """Withdrawing asks first, on a page of its own (no JavaScript needed) that names the shift
    and its time: only that page's button (``confirm=yes``) withdraws."""
    signup = get_object_or_404(queries.member_signups(request.user), pk=signup_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.withdraw(request.user, signup.pk, via="page")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You have withdrawn from %(title)s.") % {"title": signup.shift.opportunity.title})
        return redirect_back(request, "volunteers:me")
    shift = signup.shift
    start, end = timezone.localtime(shift.start), timezone.localtime(shift.end)
    return render(request, "confirm.html", {
        "title": pgettext("volunteers", "Withdraw from the shift"),
        "facts": [(_("Opportunity"), shift.opportunity.title),
                  (_("When"), f"{local_date(start, 'DAY_TIME_FORMAT')}–{local_date(end, 'TIME_FORMAT')}"),
                  (_("Where"), shift.place_text()), (_("Status"), signup.get_status_display())],
        "question": _("Withdraw from this shift? The coordinator gives your place to someone else."),
        "button": pgettext("volunteers", "Yes, withdraw from the shift"),
        "back": reverse("volunteers:me"), "back_label": _("No, keep my place"),
        "refusal": None if signup.can_withdraw() else _("Too late to withdraw here: please call the coordinator."),
        "action": request.path, "next": "",
    })


@login_required
@require_GET
def signup_qr(request, signup_id):
    return documents.signup_qr_response(get_object_or_404(queries.member_signups(request.user), pk=signup_id),
                                        request.GET.get("format", "svg"))


# --- my pages ------------------------------------------------------------------------------

@login_required
@require_GET
def me(request):
    profile = services.profile_for(request.user)
    summary = queries.hours_summary(request.user)
    hours = summary["approved"] / 60
    return render(request, "volunteers/me.html", {
        "profile": profile, "summary": summary, "approved_hours": round(hours, 1),
        "pending_hours": round(summary["pending"] / 60, 1),
        "next_star": next((t for t in STAR_THRESHOLDS_HOURS if t > hours), None),
        "signups": list(queries.current_signups(request.user)),
        "calendar_url": documents.absolute(reverse("volunteers:calendar", args=[profile.calendar_token])),
        "teams": list(queries.teams_led_by(request.user)),
    })


@login_required
@require_GET
def my_hours(request):
    page = Paginator(queries.member_entries(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "volunteers/my_hours.html", {
        "entries_page": page, "months": queries.hours_by_month(request.user), "summary": queries.hours_summary(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def self_report(request):
    form = SelfReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.self_report(request.user, activity=data["activity"], start=data["start"], end=data["end"],
                                         evidence=data["evidence"], note=data["note"], via="page")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you. Your hours are recorded (%(status)s).") % {
                "status": entry.get_status_display()})
            return redirect("volunteers:my_hours")
    return render(request, "volunteers/form_page.html", {"form": form, "title": _("Report volunteer hours"),
                                                         "multipart": True, "back": reverse("volunteers:my_hours")})


@login_required
@require_http_methods(["GET", "POST"])
def correction(request, entry_id):
    entry = get_object_or_404(HoursEntry, pk=entry_id, member=request.user)
    initial = {"start": timezone.localtime(entry.start), "end": timezone.localtime(entry.end)}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_correction(request.user, entry.pk, via="page", **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your correction is waiting for the coordinator."))
            return redirect("volunteers:my_hours")
    return render(request, "volunteers/form_page.html", {
        "form": form, "title": _("Correct %(activity)s") % {"activity": entry.activity},
        "back": reverse("volunteers:my_hours")})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    instance = services.profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=instance,
                       initial={"skills": ", ".join(instance.skills.names())})
    availability = availability_formset(instance, request.POST or None)
    # Both validated (no short-circuit), so every error shows at once.
    if request.method == "POST" and all([form.is_valid(), availability.is_valid()]):
        data = form.cleaned_data
        fields = {name: data[name] for name in ("real_name", "volunteer_number", "emergency_contact_name",
                                                "emergency_contact_phone", "leaderboard_consent")}
        fields["id_number"] = data["id_number"].upper()
        fields["availability"] = availability.slots()
        skills = list(data["skills"].replace("，", ",").split(","))
        try:
            services.update_profile(request.user, request.user, via="page", skills=skills,
                                    communities=list(data["communities"]), **fields)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your volunteer profile is saved."))
            return redirect("volunteers:me")
    return render(request, "volunteers/profile.html", {"form": form, "availability": availability,
                                                       "title": _("My volunteer profile"),
                                                       "back": reverse("volunteers:me")})


@login_required
@require_http_methods(["GET", "POST"])
def certificates(request):
    form = CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.issue_certificate(request.user, request.user, via="page", **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Certificate %(number)s is ready.") % {"number": certificate.number})
            return redirect("volunteers:certificates")
    return render(request, "volunteers/certificates.html", {
        "form": form, "certificates": queries.member_certificates(request.user)})


@login_required
@require_GET
def certificate_pdf(request, certificate_id):
    queryset = Certificate.objects.all() if services.is_coordinator(request.user) else queries.member_certificates(request.user)
    certificate = get_object_or_404(queryset, pk=certificate_id)
    try:
        return documents.certificate_response(certificate)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("volunteers:certificates")


# --- check-in and check-out ----------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def shift_check_in(request, code):
    """What the QR posted at the shift's place opens: check in, or out with the outputs counted."""
    shift_id = Shift.pk_from_code(code)
    shift = get_object_or_404(Shift.objects.select_related("opportunity"), pk=shift_id or 0)
    signup = SignUp.objects.filter(shift=shift, member=request.user, status__in=SignUp.ACTIVE_STATUSES).first()
    if request.method == "POST":
        try:
            if signup is not None and signup.status == SignUp.Status.CHECKED_IN:
                entry = services.check_out(request.user, signup.pk, outputs=_outputs_from(request, shift),
                                           shift_code=code, via="page")
                messages.success(request, _("Checked out. %(minutes)s minutes are waiting for approval.") % {
                    "minutes": entry.minutes if entry else 0})
                return redirect("volunteers:my_hours")
            services.self_check_in(request.user, code, via="page")
            messages.success(request, _("You are checked in. Thank you for coming!"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(request.path)
    return render(request, "volunteers/check_in.html", {"shift": shift, "signup": signup,
                                                        "outputs": list(shift.opportunity.outputs.all())})


def _outputs_from(request, shift):
    outputs = {}
    for output in shift.opportunity.outputs.all():
        raw = (request.POST.get(f"output-{output.pk}") or "").strip()
        if raw:
            if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
                raise services.VolunteerError("unknown_output", _("Counts are whole numbers."), status=422)
            outputs[output.label] = int(raw)
    return outputs


@login_required
@require_POST
def check_out(request, signup_id):
    """A coordinator or team leader checks someone out from the roster page."""
    signup = get_object_or_404(SignUp.objects.select_related("shift__opportunity", "team"), pk=signup_id)
    try:
        entry = services.check_out(request.user, signup.pk, outputs=_outputs_from(request, signup.shift), via="page")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(who)s is checked out (%(minutes)s minutes).") % {
            "who": signup.member, "minutes": entry.minutes if entry else 0})
    return redirect_back(request, reverse("volunteers:staff_shift", args=[signup.shift_id]))


@login_required
@require_http_methods(["GET", "POST"])
def staff_shift(request, shift_id):
    """The roster of a shift, where a coordinator (or a team leader, for their team) checks
    people in by their code and out with the outputs counted."""
    shift = get_object_or_404(Shift.objects.select_related("opportunity", "capacity"), pk=shift_id)
    coordinator = services.is_coordinator(request.user)
    if not coordinator and not Team.objects.filter(leader=request.user, signups__shift=shift).exists():
        raise PermissionDenied
    form = CodeForm(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid():
        try:
            signup, created = services.check_in(request.user, shift, form.cleaned_data["code"], via="page")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            text = _("%(who)s is checked in.") if created else _("%(who)s was already checked in.")
            messages.success(request, text % {"who": signup.member})
        return redirect(request.path)
    rows = queries.roster(shift)
    if not coordinator:
        rows = [s for s in rows if s.team_id and s.team.leader_id == request.user.pk]
    return render(request, "volunteers/staff_shift.html", {
        "shift": shift, "rows": rows, "form": form, "outputs": list(shift.opportunity.outputs.all()),
        "is_coordinator": coordinator,
        "check_in_url": documents.absolute(reverse("volunteers:shift_check_in", args=[shift.check_in_code]))})


@_coordinator_only
@require_GET
def shift_poster_qr(request, shift_id):
    """The QR to post at the place: it opens the check-in page of this shift on a phone."""
    from core import qr

    shift = get_object_or_404(Shift.objects.select_related("opportunity"), pk=shift_id)
    return qr.svg_response(documents.absolute(reverse("volunteers:shift_check_in", args=[shift.check_in_code])),
                           title=str(shift))
