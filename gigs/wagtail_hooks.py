"""Admin for gig-station officers: the verification queue, needs waiting for review, flagged
needs, disputed work records, the station's figures (CSV/Excel with totals), and read-only lists
of employers, needs, applications, work records and worker profiles with search, filters and
export. Every button calls gigs.services; nothing here changes a status or a place by itself."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from core.audit import register_action
from core.errors import DomainError
from core.exports import table_response
from core.http import redirect_back
from core.viewsets import ReadOnlyViewSet
from gigs import queries, services
from gigs.errors import GigError
from gigs.models import (
    Application,
    Consultation,
    ConsultationSlot,
    Employer,
    JobNeed,
    WorkerProfile,
    WorkRecord,
)
from members.models import OrganisationMembership

ACTIONS = (
    ("gigs.employer_applied", _("Employer applied"), _("Applied to post job needs")),
    ("gigs.employer_verify", _("Employer verified"), _("Verified the employer")),
    ("gigs.employer_reject", _("Employer rejected"), _("Rejected the employer")),
    ("gigs.employer_suspend", _("Employer suspended"), _("Suspended the employer")),
    ("gigs.employer_staff", _("Employer staff added"), _("Added a member to the employer's staff")),
    ("gigs.employer_staff_removed", _("Employer staff removed"), _("Took a member off the employer's staff")),
    ("gigs.need_changed", _("Need changed"), _("Changed the job need")),
    ("gigs.need_submitted", _("Need submitted"), _("Sent the job need for review")),
    ("gigs.need_approved", _("Need opened"), _("Opened the job need after review")),
    ("gigs.need_returned", _("Need sent back"), _("Sent the job need back to its employer")),
    ("gigs.need_closed", _("Need closed"), _("Closed the job need")),
    ("gigs.need_renewed", _("Need renewed"), _("Renewed the job need")),
    ("gigs.need_expired", _("Need expired"), _("The job need expired")),
    ("gigs.match_pushed", _("Match suggested"), _("Suggested a worker and a need to each other")),
    ("gigs.flagged", _("Need flagged"), _("Flagged a job need")),
    ("gigs.flag_decided", _("Flag decided"), _("Decided a flag on a job need")),
    ("gigs.profile", _("Worker profile changed"), _("Changed the worker profile")),
    ("gigs.applied", _("Applied for a need"), _("Applied for a job need")),
    ("gigs.withdrawn", _("Application withdrawn"), _("Withdrew the application")),
    ("gigs.shortlisted", _("Shortlisted"), _("Shortlisted the worker")),
    ("gigs.interview", _("Interview"), _("Invited the worker to an interview")),
    ("gigs.offered", _("Offered"), _("Offered the job")),
    ("gigs.hired", _("Hired"), _("Hired the worker")),
    ("gigs.completed", _("Completed"), _("Marked the hire completed")),
    ("gigs.declined", _("Declined"), _("Declined the application")),
    ("gigs.no_show", _("No-show"), _("Recorded that the worker did not come")),
    ("gigs.work_recorded", _("Work recorded"), _("Recorded a day's work")),
    ("gigs.work_confirmed", _("Work confirmed"), _("Confirmed a day's work")),
    ("gigs.work_auto_confirmed", _("Work confirmed automatically"), _("Confirmed after 48 hours without an answer")),
    ("gigs.work_disputed", _("Work disputed"), _("Disputed a day's work")),
    ("gigs.dispute_resolved", _("Dispute settled"), _("Settled a disputed day's work")),
    ("gigs.rated", _("Rated"), _("Rated the other side")),
    ("gigs.consultation_booked", _("Consultation booked"), _("Booked an employment-guidance consultation")),
    ("gigs.consultation_cancelled", _("Consultation cancelled"), _("Cancelled a consultation")),
    ("gigs.consultation_outcome", _("Consultation outcome"), _("Recorded a consultation's outcome")),
)


@hooks.register("register_log_actions")
def register_gig_actions(actions):
    for action, label, message in ACTIONS:
        register_action(actions, action, label, message)


def _officer(request):
    if not queries.is_officer(request.user):
        raise PermissionDenied


def _run(request, call, success):
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


def open_items(request):
    """Everything waiting for an officer, oldest first: flagged needs and disputed work records
    (officers are told of each as it arrives), with the employers and needs waiting to be checked."""
    _officer(request)
    return TemplateResponse(request, "gigs/admin/open_items.html", {
        "title": _("Open items"), "items": queries.open_items(),
        "to_verify": queries.verification_queue().count(), "to_review": queries.review_queue().count()})


def verification_queue(request):
    """Employers waiting for verification; verify or reject (with a reason) each; suspend from the list."""
    _officer(request)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        employer_id = request.POST.get("employer", "")
        if employer_id.isascii() and employer_id.isdigit():
            _run(request, lambda: services.decide_employer(request.user, int(employer_id), decision,
                                                           reason=request.POST.get("reason", ""), via="admin"),
                 gettext("Decision recorded."))
        return redirect_back(request, "gigs_verification")
    page = Paginator(queries.verification_queue(), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "gigs/admin/verification.html", {
        "title": _("Employers to verify"), "page_obj": page, "next": request.get_full_path(),
        "verified": Employer.objects.filter(status=Employer.Status.VERIFIED).order_by("name")[:200]})


def review_queue(request):
    """Needs waiting for review: open them or send them back with a reason."""
    _officer(request)
    if request.method == "POST":
        need_id = request.POST.get("need", "")
        if need_id.isascii() and need_id.isdigit():
            approve = request.POST.get("approve") == "1"
            _run(request, lambda: services.review_need(request.user, int(need_id), approve=approve,
                                                       reason=request.POST.get("reason", ""), via="admin"),
                 gettext("The need is open.") if approve else gettext("The need was sent back."))
        return redirect_back(request, "gigs_review")
    page = Paginator(queries.review_queue(), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "gigs/admin/review.html", {
        "title": _("Needs to review"), "page_obj": page, "next": request.get_full_path()})


def flags_queue(request):
    """Flagged needs (fake, deposits, unlicensed agents): uphold (the need closes) or dismiss."""
    _officer(request)
    if request.method == "POST":
        flag_id = request.POST.get("flag", "")
        if flag_id.isascii() and flag_id.isdigit():
            uphold = request.POST.get("uphold") == "1"
            _run(request, lambda: services.decide_flag(request.user, int(flag_id), uphold=uphold,
                                                       note=request.POST.get("note", ""), via="admin"),
                 gettext("The flag is upheld and the need closed.") if uphold else gettext("The flag is dismissed."))
        return redirect_back(request, "gigs_flags")
    page = Paginator(queries.flagged_needs(), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "gigs/admin/flags.html", {
        "title": _("Flagged needs"), "page_obj": page, "next": request.get_full_path()})


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Decision"), max_length=300)
    hours = forms.DecimalField(label=_("Hours"), required=False, min_value=0.5, max_value=16, decimal_places=1)
    pieces = forms.IntegerField(label=_("Pieces"), required=False, min_value=0, max_value=100000)


def disputes_queue(request):
    """Disputed work records: settle each with the hours or pieces decided."""
    _officer(request)
    if request.method == "POST":
        record_id = request.POST.get("record", "")
        form = ResolveForm(request.POST)
        if record_id.isascii() and record_id.isdigit() and form.is_valid():
            _run(request, lambda: services.resolve_dispute(
                request.user, int(record_id), resolution=form.cleaned_data["resolution"],
                hours=form.cleaned_data["hours"], pieces=form.cleaned_data["pieces"], via="admin"),
                gettext("The dispute is settled."))
        else:
            messages.error(request, gettext("Give the decision, and the hours or pieces if they change."))
        return redirect_back(request, "gigs_disputes")
    page = Paginator(queries.disputes(), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "gigs/admin/disputes.html", {
        "title": _("Disputed work records"), "page_obj": page, "next": request.get_full_path()})


def push_need(request, need_id):
    """Send an open need to the workers who suit it best (its suggested candidates not yet told
    of it): GET shows who would be texted and asks to confirm; POST calls services.push_matches."""
    _officer(request)
    need = queries.need_queryset().filter(pk=need_id).first()
    if need is None:
        raise Http404
    inspect_url = reverse("gig_needs:inspect", args=[need.pk])
    if request.method == "POST":
        try:
            told = services.push_matches(request.user, need.pk, via="admin")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if told:
                messages.success(request, ngettext(
                    "%(count)s worker was told of “%(title)s”, and its employer was told who.",
                    "%(count)s workers were told of “%(title)s”, and its employer was told who.",
                    len(told)) % {"count": len(told), "title": need.title})
            else:
                messages.warning(request, gettext(
                    "Nobody was told: every worker who suits “%(title)s” has heard of it already.") % {
                    "title": need.title})
        return redirect(inspect_url)
    accepting = need.is_accepting()
    return TemplateResponse(request, "gigs/admin/push.html", {
        "title": _("Suggest a need to matching workers"), "need": need, "accepting": accepting,
        "matches": queries.matches_to_push(need, limit=services.PUSH_LIMIT) if accepting else [],
        "already": len(queries.pushed_workers(need)), "back_url": inspect_url})


class OutcomeForm(forms.Form):
    came = forms.TypedChoiceField(label=_("Did the member come?"), coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                  choices=[("1", _("Yes, the consultation took place")), ("0", _("No, they did not come"))])
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("What was advised or agreed (jobs suggested, training, next steps). The member "
                                          "can read it in their data export."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("came") and not (cleaned.get("outcome") or "").strip():
            self.add_error("outcome", str(GigError("outcome_required").message))
        return cleaned


def consultation_outcome(request, booking_id):
    """Record how a booked consultation went, or that the member did not come
    (services.record_outcome)."""
    _officer(request)
    booking = Consultation.objects.select_related("slot", "member").filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    form = OutcomeForm(request.POST or None, initial={"came": "1"})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(request.user, booking.pk, outcome=form.cleaned_data["outcome"],
                                    came=form.cleaned_data["came"], via="admin")
        except DomainError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, gettext("The outcome of %(member)s's consultation is recorded.") % {
                "member": booking.member})
            return redirect("gig_consultations:index")
    return TemplateResponse(request, "gigs/admin/outcome.html", {
        "title": _("Record a consultation's outcome"), "booking": booking, "form": form,
        "recordable": booking.status == Consultation.Status.BOOKED})


class AddStaffForm(forms.Form):
    phone = forms.CharField(label=_("The member's phone number"), max_length=20,
                            help_text=_("They must have signed up with it."))
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMembership.Role.choices,
                             initial=OrganisationMembership.Role.STAFF)


def employer_staff(request, employer_id):
    """An enterprise's staff: who acts for it; add a member by phone, or take one off
    (services.add_employer_staff / remove_employer_staff)."""
    _officer(request)
    employer = Employer.objects.select_related("organisation").filter(pk=employer_id).first()
    if employer is None:
        raise Http404
    form = AddStaffForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add" and form.is_valid():
            member = queries.member_by_phone(form.cleaned_data["phone"])
            try:
                services.add_employer_staff(request.user, employer.pk, member, role=form.cleaned_data["role"],
                                            via="admin")
            except DomainError as exc:
                field = exc.extra.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, gettext("%(member)s now acts for %(employer)s.") % {
                    "member": member, "employer": employer.name})
                return redirect("gigs_employer_staff", employer.pk)
        elif action == "remove":
            member_id = request.POST.get("member", "")
            member = (OrganisationMembership.objects.filter(organisation_id=employer.organisation_id, user_id=member_id)
                      .select_related("user").first() if member_id.isascii() and member_id.isdigit() else None)
            if member is None:
                messages.error(request, gettext("This member is not on the enterprise's staff."))
            else:
                _run(request, lambda: services.remove_employer_staff(request.user, employer.pk, member.user, via="admin"),
                     gettext("%(member)s no longer acts for %(employer)s.") % {"member": member.user,
                                                                           "employer": employer.name})
            return redirect("gigs_employer_staff", employer.pk)
    return TemplateResponse(request, "gigs/admin/staff.html", {
        "title": _("Enterprise staff"), "employer": employer, "form": form,
        "staff": list(queries.employer_staff_list(employer)),
        "back_url": reverse("gig_employers:inspect", args=[employer.pk])})


class FiguresForm(forms.Form):
    month = forms.CharField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}))
    by = forms.ChoiceField(label=_("By"), choices=[("employer", _("Employer")), ("community", _("Community"))])

    def clean_month(self):
        try:
            return datetime.date.fromisoformat(f"{self.cleaned_data['month'][:7]}-01")
        except ValueError as exc:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from exc


def figures(request):
    """Needs posted, filled, workers placed and days to fill in a month, by employer or
    community, with totals; the same rows as CSV or Excel."""
    _officer(request)
    today = timezone.localdate()
    form = FiguresForm(request.GET or {"month": f"{today:%Y-%m}", "by": "employer"})
    rows = total = None
    if form.is_valid():
        month, by = form.cleaned_data["month"], form.cleaned_data["by"]
        rows, total = queries.figures(month, by=by)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            label = dict(form.fields["by"].choices)[by]
            header = [label, _("Needs posted"), _("Places asked for"), _("Needs filled"), _("Workers placed"),
                      _("Days to fill (average)")]
            body = [[r["label"] or gettext("(none)"), r["posted"], r["places"], r["filled"], r["placed"],
                     r["days_to_fill"]] for r in rows]
            body.append([gettext("Total"), total["posted"], total["places"], total["filled"], total["placed"],
                         total["days_to_fill"]])
            return table_response(fmt, f"gig-station-{month:%Y-%m}-{by}", header, body,
                                  title=gettext("Gig station figures, %(month)s") % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
                                  widths=(30, 12, 12, 12, 12, 16))
    return TemplateResponse(request, "gigs/admin/figures.html", {
        "title": _("Gig station figures"), "form": form, "rows": rows, "total": total,
        "query": request.GET.urlencode() if request.GET else f"month={today:%Y-%m}&by=employer"})


@hooks.register("register_admin_urls")
def gig_admin_urls():
    return [
        path("gigs/open/", open_items, name="gigs_open_items"),
        path("gigs/verification/", verification_queue, name="gigs_verification"),
        path("gigs/review/", review_queue, name="gigs_review"),
        path("gigs/flags/", flags_queue, name="gigs_flags"),
        path("gigs/disputes/", disputes_queue, name="gigs_disputes"),
        path("gigs/figures/", figures, name="gigs_figures"),
        path("gigs/needs/<int:need_id>/push/", push_need, name="gigs_push"),
        path("gigs/consultations/<int:booking_id>/outcome/", consultation_outcome, name="gigs_outcome"),
        path("gigs/employers/<int:employer_id>/staff/", employer_staff, name="gigs_employer_staff"),
    ]




class EmployerIndexView(IndexView):
    @cached_property
    def _officer(self):
        return queries.is_officer(self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self._officer and instance.organisation_id:
            buttons.append(ListingMenuItem(_("Staff"), url=reverse("gigs_employer_staff", args=[instance.pk]),
                                           icon_name="group", priority=25))
        return buttons


class EmployerInspectView(InspectView):
    @cached_property
    def header_buttons(self):
        if queries.is_officer(self.request.user) and self.object.organisation_id:
            return [HeaderButton(_("Staff"), url=reverse("gigs_employer_staff", args=[self.object.pk]),
                                 icon_name="group")]
        return []

    def get_licence_display_value(self):
        """A link to the permission-checked view (the file itself has no public address)."""
        if not self.object.licence:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("gigs:licence", args=[self.object.pk]),
                           gettext("Business licence photo"))


class EmployerViewSet(ReadOnlyViewSet):
    model = Employer
    index_view_class = EmployerIndexView
    inspect_view_class = EmployerInspectView
    icon = "site"
    menu_label = _("Employers")
    list_display = ["name", "kind", "credit_code", "status", "contact_name", "masked_contact_phone", "created_at"]
    list_filter = ["status", "kind", "community"]
    search_fields = ["name", "credit_code", "contact_name"]
    list_export = ["name", "kind", "credit_code", "status", "reason", "contact_name", "created_at", "decided_at"]
    inspect_view_fields = ["name", "kind", "organisation", "credit_code", "licence", "contact_name", "contact_phone",
                           "community", "address", "status", "reason", "decided_by", "decided_at", "created_at"]


def _push_label():
    return _("Suggest to matching workers")


class NeedIndexView(IndexView):
    @cached_property
    def _officer(self):
        return queries.is_officer(self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self._officer and instance.is_accepting():
            buttons.append(ListingMenuItem(_push_label(), url=reverse("gigs_push", args=[instance.pk]),
                                           icon_name="mail", priority=25))
        return buttons


class NeedInspectView(InspectView):
    @cached_property
    def header_buttons(self):
        if queries.is_officer(self.request.user) and self.object.is_accepting():
            return [HeaderButton(_push_label(), url=reverse("gigs_push", args=[self.object.pk]), icon_name="mail")]
        return []


class NeedViewSet(ReadOnlyViewSet):
    model = JobNeed
    index_view_class = NeedIndexView
    inspect_view_class = NeedInspectView
    icon = "clipboard-list"
    menu_label = _("Job needs")
    list_display = ["title", "employer", "status", "headcount", "pay_text", "start_date", "end_date", "community"]
    list_filter = ["status", "category", "pay_unit", "community"]
    search_fields = ["title", "description", "employer__name", "address"]
    list_export = ["title", "employer", "status", "category", "headcount", "pay_amount", "pay_unit", "settlement",
                   "start_date", "end_date", "address", "community", "published_at", "filled_at"]
    inspect_view_fields = ["title", "employer", "status", "category", "description", "headcount", "pay_amount",
                           "pay_unit", "settlement", "start_date", "end_date", "shift_start", "shift_end", "address",
                           "community", "requires_health_certificate", "requires_ebike_licence", "min_age", "max_age",
                           "deadline", "review_note", "published_at", "filled_at", "closed_at"]


class ApplicationViewSet(ReadOnlyViewSet):
    model = Application
    icon = "group"
    menu_label = _("Applications")
    list_display = ["worker", "need", "status", "score", "created_at", "hired_at", "late_cancellation"]
    list_filter = ["status", "late_cancellation", "need__employer"]
    search_fields = ["worker__display_name", "worker__username", "need__title"]
    list_export = ["worker", "need", "status", "score", "created_at", "shortlisted_at", "hired_at", "ended_at",
                   "late_cancellation"]


class WorkRecordViewSet(ReadOnlyViewSet):
    model = WorkRecord
    icon = "time"
    menu_label = _("Work records")
    list_display = ["application", "date", "hours", "pieces", "status"]
    list_filter = ["status", "date"]
    search_fields = ["application__worker__display_name", "application__need__title"]
    list_export = ["application", "date", "hours", "pieces", "status", "worker_confirmed_at", "employer_confirmed_at",
                   "dispute_reason", "resolution"]


class WorkerProfileViewSet(ReadOnlyViewSet):
    model = WorkerProfile
    icon = "user"
    menu_label = _("Worker profiles")
    # No phone, no birth year in lists and exports: officers see them on the member's own record.
    list_display = ["member", "availability_text", "max_distance_km", "searchable", "subscribed"]
    list_filter = ["searchable", "subscribed", "has_health_certificate", "has_ebike_licence"]
    search_fields = ["member__display_name", "member__username"]
    list_export = ["member", "availability_text", "max_distance_km", "min_pay_amount", "min_pay_unit", "searchable"]


class SlotViewSet(ModelViewSet):
    """Consultation slots officers offer; saving one gives it its places (core.capacity)."""

    model = ConsultationSlot
    icon = "date"
    menu_label = _("Consultation slots")
    add_to_reference_index = False
    form_fields = ["topic", "start", "end", "place", "officer", "places"]
    list_display = ["__str__", "place", "officer", "places", "remaining"]
    list_filter = ["topic"]
    search_fields = ["place"]
    list_export = ["topic", "start", "end", "place", "officer", "places", "remaining"]


class ConsultationIndexView(IndexView):
    @cached_property
    def _officer(self):
        return queries.is_officer(self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self._officer and instance.status == Consultation.Status.BOOKED:
            buttons.append(ListingMenuItem(_("Record the outcome"), url=reverse("gigs_outcome", args=[instance.pk]),
                                           icon_name="edit", priority=5))
        return buttons


class ConsultationInspectView(InspectView):
    @cached_property
    def header_buttons(self):
        if queries.is_officer(self.request.user) and self.object.status == Consultation.Status.BOOKED:
            return [HeaderButton(_("Record the outcome"), url=reverse("gigs_outcome", args=[self.object.pk]),
                                 icon_name="edit")]
        return []


class ConsultationViewSet(ReadOnlyViewSet):
    model = Consultation
    icon = "help"
    menu_label = _("Consultations")
    index_view_class = ConsultationIndexView
    inspect_view_class = ConsultationInspectView
    list_display = ["member", "slot", "status", "question", "recorded_by"]
    list_filter = ["status", "slot__topic"]
    search_fields = ["member__display_name", "member__username", "question", "outcome"]
    list_export = ["member", "slot", "status", "question", "outcome", "recorded_by", "created_at"]


class GigsAdminGroup(ViewSetGroup):
    menu_label = _("Gig station")
    menu_icon = "site"
    menu_order = 270
    items = (EmployerViewSet("gig_employers"), NeedViewSet("gig_needs"), ApplicationViewSet("gig_applications"),
             WorkRecordViewSet("gig_work_records"), WorkerProfileViewSet("gig_workers"), SlotViewSet("gig_slots"),
             ConsultationViewSet("gig_consultations"))


class OfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return queries.is_officer(request.user)


@hooks.register("register_admin_menu_item")
def register_officer_menu():
    return SubmenuMenuItem(_("Gig-station work"), Menu(items=[
        OfficerMenuItem(_("Open items"), reverse("gigs_open_items"), icon_name="warning", order=0),
        OfficerMenuItem(_("Employers to verify"), reverse("gigs_verification"), icon_name="tick", order=1),
        OfficerMenuItem(_("Needs to review"), reverse("gigs_review"), icon_name="doc-full", order=2),
        OfficerMenuItem(_("Flagged needs"), reverse("gigs_flags"), icon_name="warning", order=3),
        OfficerMenuItem(_("Disputed work records"), reverse("gigs_disputes"), icon_name="time", order=4),
        OfficerMenuItem(_("Figures"), reverse("gigs_figures"), icon_name="table", order=5),
    ]), icon_name="site", order=265)


@hooks.register("register_admin_viewset")
def register_gigs_admin():
    return GigsAdminGroup()
