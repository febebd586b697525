"""Admin for volunteer coordinators: the approval queue, rosters, certificates, teams, reports.
Every button calls volunteers.services; nothing here changes a status or a place by itself."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from core.audit import register_action
from core.errors import DomainError
from core.exports import table_response
from core.http import redirect_back
from core.viewsets import ReadOnlyViewSet
from volunteers import queries, services
from volunteers.models import Certificate, HoursEntry, SignUp, Team, VolunteerProfile

ACTIONS = (
    ("volunteers.profile", _("Volunteer profile changed"), _("Changed the volunteer profile")),
    ("volunteers.places", _("Shift places changed"), _("Changed a shift's places")),
    ("volunteers.sign_up", _("Signed up"), _("Signed up for a shift")),
    ("volunteers.team_sign_up", _("Team sign-up"), _("Signed up with a team")),
    ("volunteers.withdraw", _("Withdrawn"), _("Withdrew from a shift")),
    ("volunteers.promote", _("Promoted from waiting list"), _("Moved up from the waiting list")),
    ("volunteers.check_in", _("Checked in"), _("Checked in at a shift")),
    ("volunteers.check_out", _("Checked out"), _("Checked out of a shift")),
    ("volunteers.auto_check_out", _("Checked out automatically"), _("Checked out automatically at the shift's end")),
    ("volunteers.no_show", _("No-show"), _("Did not come to a shift")),
    ("volunteers.entry", _("Hours recorded"), _("Recorded hours from a shift")),
    ("volunteers.self_report", _("Hours reported"), _("Reported volunteer hours")),
    ("volunteers.credit", _("Hours credited"), _("Credited hours from another service")),
    ("volunteers.approve", _("Hours approved"), _("Approved volunteer hours")),
    ("volunteers.decline", _("Hours declined"), _("Declined volunteer hours")),
    ("volunteers.correction_requested", _("Correction requested"), _("Asked for a correction")),
    ("volunteers.correction_decided", _("Correction decided"), _("Decided a correction")),
    ("volunteers.certificate_issued", _("Certificate issued"), _("Issued a certificate of volunteer service")),
    ("volunteers.certificate_revoked", _("Certificate revoked"), _("Revoked a certificate of volunteer service")),
)


@hooks.register("before_serve_page")
def serve_opportunity_pages(page, request, serve_args, serve_kwargs):
    from django.shortcuts import render

    from volunteers import views
    from volunteers.models import OpportunityPage

    if isinstance(page, OpportunityPage):
        return render(request, "volunteers/opportunity_page.html",
                      {"page": page, "self": page, **views.opportunity_context(request, page)})
    return None


@hooks.register("register_log_actions")
def register_volunteer_actions(actions):
    for action, label, message in ACTIONS:
        register_action(actions, action, label, message)


# --- the admin: approval queue, reports, rosters, certificates, teams -----------------------------




def _coordinator(request):
    if not services.is_coordinator(request.user):
        raise PermissionDenied


class QueueFilter(forms.Form):
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("All"))] + list(HoursEntry.Source.choices))
    flagged = forms.ChoiceField(label=_("Needs a look"), required=False,
                                choices=[("", _("All")), ("1", _("Only flagged")), ("0", _("Not flagged"))])
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def approval_queue(request):
    """Pending entries, filterable; approve or decline the ticked ones at once."""
    _coordinator(request)
    if request.method == "POST":
        ids = [v for v in request.POST.getlist("entry") if v.isascii() and v.isdigit()]
        try:
            if not ids:
                raise services.VolunteerError("reason_required", gettext("Tick at least one entry."), status=422)
            if request.POST.get("action") == "decline":
                result = services.decline(request.user, ids, reason=request.POST.get("reason", ""), via="admin")
                text = gettext("%(count)s entries declined.")
            else:
                result = services.approve(request.user, ids, via="admin")
                text = gettext("%(count)s entries approved.")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, text % {"count": len(result["decided"])})
            if result["skipped"]:
                messages.warning(request, gettext("%(count)s were already decided and left as they were.") % {
                    "count": len(result["skipped"])})
        return redirect_back(request, "volunteers_queue")
    form = QueueFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    flagged = {"1": True, "0": False}.get(data.get("flagged") or "")
    entries = queries.approval_queue(source=data.get("source") or None, flagged=flagged, since=data.get("since"),
                                     until=data.get("until"))
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return TemplateResponse(request, "volunteers/admin/queue.html", {
        "title": _("Hours to approve"), "form": form, "page_obj": page, "corrections": queries.open_corrections(),
        "next": request.get_full_path()})


def decide_correction(request, correction_id):
    _coordinator(request)
    if request.method != "POST":
        raise PermissionDenied
    try:
        services.decide_correction(request.user, correction_id, accept=request.POST.get("accept") == "1", via="admin")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The correction is decided."))
    return redirect_back(request, "volunteers_queue")


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hours by"), choices=[("person", _("Person")), ("team", _("Team")),
                                                           ("activity", _("Activity")), ("community", _("Community"))])
    since = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["until"] < cleaned["since"]:
            raise forms.ValidationError(_("The end must be after the start."))
        return cleaned


def reports(request):
    """Approved hours over any period by person, team, activity or community, with totals; the
    same rows as CSV or Excel."""
    _coordinator(request)
    today = timezone.localdate()
    form = ReportForm(request.GET or {"kind": "person", "since": today.replace(day=1), "until": today})
    rows = total = None
    if form.is_valid():
        kind, since, until = form.cleaned_data["kind"], form.cleaned_data["since"], form.cleaned_data["until"]
        rows, total = queries.report(kind, since, until)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            label = dict(form.fields["kind"].choices)[kind]
            header = [label, _("Hours"), _("Entries"), _("People")]
            body = [[r["label"], r["hours"], r["entries"], r["people"]] for r in rows]
            body.append([gettext("Total"), total["hours"], total["entries"], total["people"]])
            return table_response(fmt, f"volunteer-hours-{kind}-{since}-{until}", header, body,
                                  title=gettext("Volunteer hours %(since)s to %(until)s") % {"since": since, "until": until},
                                  widths=(30, 12, 10, 10))
    return TemplateResponse(request, "volunteers/admin/report.html", {
        "title": _("Volunteer hours report"), "form": form, "rows": rows, "total": total,
        "query": request.GET.urlencode() if form.is_bound and request.GET else ""})


def revoke_certificate(request, certificate_id):
    _coordinator(request)
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    if request.method == "POST":
        try:
            services.revoke_certificate(request.user, certificate.pk, reason=request.POST.get("reason", ""), via="admin")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Certificate %(number)s is revoked.") % {"number": certificate.number})
            return redirect("volunteer_certificates:index")
    return TemplateResponse(request, "volunteers/admin/revoke.html", {"title": _("Revoke certificate"),
                                                                      "certificate": certificate})


class IssueForm(forms.Form):
    phone = forms.CharField(label=_("Volunteer's phone"), max_length=20)
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


def issue_certificate(request):
    _coordinator(request)
    from members.models import User
    from members.phones import normalize_phone

    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = User.objects.filter(phone=normalize_phone(form.cleaned_data["phone"])).first()
        if member is None:
            form.add_error("phone", gettext("No member has this phone number."))
        else:
            try:
                certificate = services.issue_certificate(request.user, member, via="admin",
                                                         period_start=form.cleaned_data["period_start"],
                                                         period_end=form.cleaned_data["period_end"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, gettext("Certificate %(number)s is issued.") % {"number": certificate.number})
                return redirect(reverse("volunteers:certificate_pdf", args=[certificate.pk]))
    return TemplateResponse(request, "volunteers/admin/issue.html", {"title": _("Issue a certificate"), "form": form})


@hooks.register("register_admin_urls")
def volunteer_admin_urls():
    return [
        path("volunteers/queue/", approval_queue, name="volunteers_queue"),
        path("volunteers/corrections/<int:correction_id>/", decide_correction, name="volunteers_correction"),
        path("volunteers/reports/", reports, name="volunteers_reports"),
        path("volunteers/certificates/issue/", issue_certificate, name="volunteers_issue"),
        path("volunteers/certificates/<int:certificate_id>/revoke/", revoke_certificate, name="volunteers_revoke"),
    ]




class SignUpViewSet(ReadOnlyViewSet):
    model = SignUp
    icon = "group"
    menu_label = _("Sign-ups and no-shows")
    list_display = ["member", "shift", "status", "position", "team", "checked_in_at", "checked_out_at", "auto_checked_out"]
    list_filter = ["status", "auto_checked_out", "shift__opportunity"]
    search_fields = ["member__display_name", "member__username"]
    list_export = ["member", "shift", "status", "team", "checked_in_at", "checked_out_at", "auto_checked_out"]
    inspect_view_fields = ["member", "shift", "status", "position", "team", "signed_up_by", "created_at",
                           "checked_in_at", "checked_out_at", "auto_checked_out", "withdrawn_at"]


class HoursEntryViewSet(ReadOnlyViewSet):
    model = HoursEntry
    icon = "time"
    menu_label = _("Hours ledger")
    list_display = ["member", "activity", "start", "minutes", "source", "status", "flagged"]
    list_filter = ["status", "source", "flagged", "community"]
    search_fields = ["member__display_name", "member__username", "activity"]
    list_export = ["member", "activity", "start", "end", "minutes", "source", "status", "decided_by", "decline_reason"]
    inspect_view_fields = ["member", "activity", "opportunity", "shift", "team", "community", "start", "end", "minutes",
                           "source", "status", "evidence", "note", "flagged", "decided_by", "decided_at",
                           "decline_reason", "created_at"]


class CertificateViewSet(ReadOnlyViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    list_display = ["number", "member", "period_start", "period_end", "total_minutes", "issued_at", "revoked_at"]
    list_filter = ["issued_at", "revoked_at"]
    search_fields = ["number", "member__display_name"]
    inspect_view_fields = ["number", "member", "period_start", "period_end", "total_minutes", "issued_by", "issued_at",
                           "revoked_at", "revoked_by", "revoke_reason"]


class ProfileViewSet(ReadOnlyViewSet):
    model = VolunteerProfile
    icon = "user"
    menu_label = _("Volunteer profiles")
    list_display = ["member", "real_name", "volunteer_number", "leaderboard_consent"]
    search_fields = ["real_name", "volunteer_number", "member__display_name"]
    # The ID number and the emergency phone stay out of listings and exports (masked on inspect).
    inspect_view_fields = ["member", "real_name", "volunteer_number", "masked_id_number", "availability_text",
                           "emergency_contact_name", "masked_emergency_phone", "leaderboard_consent", "created_at"]


class TeamViewSet(ModelViewSet):
    model = Team
    icon = "group"
    menu_label = _("Teams")
    add_to_reference_index = False
    form_fields = ["name", "leader", "members", "organisation", "community"]
    list_display = ["name", "leader", "organisation", "community"]
    search_fields = ["name"]


class VolunteersAdminGroup(ViewSetGroup):
    menu_label = _("Volunteers")
    menu_icon = "user"
    menu_order = 260
    items = (HoursEntryViewSet("volunteer_hours"), SignUpViewSet("volunteer_signups"),
             CertificateViewSet("volunteer_certificates"), ProfileViewSet("volunteer_profiles"),
             TeamViewSet("volunteer_teams"))


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return services.is_coordinator(request.user)


@hooks.register("register_admin_menu_item")
def register_coordination_menu():
    return SubmenuMenuItem(_("Volunteer coordination"), Menu(items=[
        CoordinatorMenuItem(_("Hours to approve"), reverse("volunteers_queue"), icon_name="tick", order=1),
        CoordinatorMenuItem(_("Reports"), reverse("volunteers_reports"), icon_name="table", order=2),
        CoordinatorMenuItem(_("Issue a certificate"), reverse("volunteers_issue"), icon_name="doc-full", order=3),
    ]), icon_name="tick", order=255)


@hooks.register("register_admin_viewset")
def register_volunteers_admin():
    return VolunteersAdminGroup()


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def sync_places_after_edit(request, page):
    """A published edit has written the shifts: give new ones places, resize changed ones."""
    from volunteers.models import OpportunityPage

    if isinstance(page.specific, OpportunityPage) and page.live:
        services.sync_shift_places(page.specific, via="admin", actor=request.user)
