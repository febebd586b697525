"""Admin for the command centre: categories (snippets, with their questions), meetings and the
items raised at them, Open311 keys, the work-order list with filters and export, one work
order's buttons, and the dashboard. Every button calls reports.services."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.audit import entries_for, register_action
from core.errors import DomainError
from core.exports import table_response
from core.models import Community
from reports import queries, services
from reports.models import Category, Channel, Escalation, Meeting, Open311Key, Status

ACTIONS = (
    ("reports.submit", _("Report submitted"), _("Submitted a report")),
    ("reports.me_too", _("Me too"), _("Said this happens to them too")),
    ("reports.accept", _("Work order accepted"), _("Accepted the work order")),
    ("reports.dispatch", _("Work order dispatched"), _("Gave the work order to a grid worker")),
    ("reports.start", _("Work started"), _("Started work on the order")),
    ("reports.resolve", _("Work order resolved"), _("Resolved the work order")),
    ("reports.close", _("Work order closed"), _("Closed the work order")),
    ("reports.reject", _("Report rejected"), _("Rejected the report")),
    ("reports.merge", _("Report merged"), _("Merged the report into another")),
    ("reports.reopen", _("Work order reopened"), _("Reopened the work order")),
    ("reports.escalate", _("Work order escalated"), _("Escalated the overdue work order")),
)


@hooks.register("register_log_actions")
def register_report_actions(actions):
    for action, label, message in ACTIONS:
        register_action(actions, action, label, message)


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Categories")
    list_display = ["name", "code", "deadline_working_days", "department", "photo_required", "is_public", "is_active"]
    list_filter = ["is_public", "is_active", "photo_required"]
    search_fields = ["name", "code"]


class MeetingViewSet(SnippetViewSet):
    model = Meeting
    icon = "group"
    menu_label = _("Needs-gathering meetings")
    list_display = ["title", "date", "community", "attendees"]
    list_filter = ["community"]
    search_fields = ["title", "sector", "organisations"]


class Open311KeyViewSet(SnippetViewSet):
    model = Open311Key
    icon = "key"
    menu_label = _("Open311 API keys")
    list_display = ["name", "is_active", "created_at"]


class ReportsSnippets(SnippetViewSetGroup):
    menu_label = _("Reports setup")
    menu_icon = "tag"
    menu_order = 270
    items = (CategoryViewSet, MeetingViewSet, Open311KeyViewSet)


register_snippet(ReportsSnippets)


# --- the command centre ----------------------------------------------------------------------------

def _command_centre(request):
    if not queries.is_command_centre(request.user):
        raise PermissionDenied


class CommandFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), ("open", _("Open")), ("closed", pgettext_lazy("work orders", "Done"))] + list(Status.choices))
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=Category.objects.all())
    community = forms.ModelChoiceField(label=_("Community"), required=False, queryset=Community.objects.all())
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All"))] + list(Channel.choices))
    overdue = forms.ChoiceField(label=_("Deadline"), required=False,
                                choices=[("", _("All")), ("1", _("Past its deadline")), ("0", _("On time"))])
    escalation = forms.ChoiceField(label=_("Escalation"), required=False,
                                   choices=[("", _("All"))] + [(str(v), label) for v, label in Escalation.choices])
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


EXPORT_HEADER = (_("No."), _("Category"), _("Status"), _("Channel"), _("Community"), _("Address"), _("Description"),
                 _("Reporter"), _("Grid worker"), _("Submitted"), _("Deadline"), _("Escalation"), _("Resolved"),
                 _("Me too"), _("Public answer"))


def work_orders(request):
    """Every report, filterable, searchable, paginated; the same rows as CSV or Excel."""
    _command_centre(request)
    form = CommandFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    reports = queries.filter_reports(
        queries.report_queryset(), category=data.get("category"), community=data.get("community"),
        status=data.get("status") or None, channel=data.get("channel") or None,
        overdue={"1": True, "0": False}.get(data.get("overdue") or ""),
        escalation=int(data["escalation"]) if data.get("escalation") else None,
        since=data.get("since"), until=data.get("until"), search=data.get("q"))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return table_response(fmt, f"work-orders-{timezone.localdate()}", EXPORT_HEADER,
                              queries.export_rows(reports[:20000], request.user), title=gettext("Work orders"),
                              widths=(8, 14, 10, 10, 12, 24, 40, 12, 12, 16, 12, 14, 16, 8, 40))
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return TemplateResponse(request, "reports/admin/work_orders.html", {
        "title": _("Work orders"), "form": form, "page_obj": page, "query": query.urlencode(),
        "today": timezone.localdate()})


class DispatchForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Grid worker"), queryset=get_user_model().objects.none())
    note = forms.CharField(label=_("Note for the grid worker"), required=False, max_length=500)

    def __init__(self, *args, community=None, **kwargs):
        from django.db.models import Exists, OuterRef

        super().__init__(*args, **kwargs)
        workers = get_user_model().objects.filter(grid_communities__isnull=False, is_active=True).distinct()
        if community is not None:
            # The community's own grid workers first, then everyone else who works as one.
            own = Community.grid_workers.through.objects.filter(user_id=OuterRef("pk"), community_id=community.pk)
            workers = workers.annotate(own=Exists(own)).order_by("-own", "display_name")
        self.fields["assignee"].queryset = workers


def work_order(request, report_id):
    """One work order: its details, history and the command centre's buttons."""
    _command_centre(request)
    report = get_object_or_404(queries.with_photos(queries.report_queryset()), pk=report_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.accept(report.pk, request.user, via="admin")
            elif action == "dispatch":
                form = DispatchForm(request.POST)
                if not form.is_valid():
                    raise services.ReportError("not_grid_worker", status=422)
                services.dispatch(report.pk, request.user, form.cleaned_data["assignee"],
                                  note=form.cleaned_data["note"], via="admin")
            elif action == "reject":
                services.reject(report.pk, request.user, reason=request.POST.get("reason", ""), via="admin")
            elif action == "merge":
                services.merge(report.pk, request.user, request.POST.get("into", ""), via="admin")
            elif action == "close":
                services.close(report.pk, request.user, via="admin")
            elif action == "resolve":
                services.resolve(report.pk, request.user, note=request.POST.get("note", ""),
                                 public_note=request.POST.get("public_note", ""),
                                 uploads=request.FILES.getlist("photo")[:1], via="admin")
            else:
                raise services.ReportError("not_open", gettext("Choose what to do."), status=422)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Done."))
        return redirect("reports_work_order", report.pk)
    return TemplateResponse(request, "reports/admin/work_order.html", {
        "title": gettext("Work order #%(id)s") % {"id": report.pk}, "report": report,
        "dispatch_form": DispatchForm(community=report.community), "history": entries_for(report)[:50],
        "updates": queries.timeline(report, request.user), "nearby": queries.nearby_open(
            report.category, report.latitude, report.longitude, exclude_id=report.pk)})


class DashboardFilter(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def dashboard(request):
    """Open reports by age, community and category; time to resolve; deadlines missed; reporters
    credited. The same figures as CSV or Excel."""
    _command_centre(request)
    form = DashboardFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    figures = queries.dashboard(since=data.get("since"), until=data.get("until"))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = [[gettext("Open"), "", figures["open"]]]
        for bucket in figures["ages"]:
            label = (gettext("%(low)s–%(high)s working days") % bucket) if bucket["high"] is not None else \
                gettext("%(low)s working days or more") % bucket
            rows.append([gettext("Open by age"), label, bucket["n"]])
        rows += [[gettext("Open by community"), r["label"], r["n"]] for r in figures["by_community"]]
        rows += [[gettext("Open by category"), r["label"], r["n"]] for r in figures["by_category"]]
        rows += [[gettext("Resolved"), "", figures["resolved"]],
                 [gettext("Average hours to resolve"), "", figures["avg_hours_to_resolve"] or ""],
                 [gettext("Deadlines missed"), "", figures["missed"]], [gettext("Escalated"), "", figures["escalated"]],
                 [gettext("Reporters credited"), "", figures["credited"]]]
        return table_response(fmt, f"reports-dashboard-{timezone.localdate()}",
                              [gettext("Figure"), gettext("Group"), gettext("Count")], rows,
                              title=gettext("Reports dashboard"), widths=(24, 24, 10))
    return TemplateResponse(request, "reports/admin/dashboard.html", {
        "title": _("Reports dashboard"), "form": form, "figures": figures,
        "query": request.GET.urlencode()})


class MeetingItemForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    description = forms.CharField(label=_("Difficulty or suggestion raised"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


def meeting_items(request, meeting_id):
    """Record what was raised at a meeting: each item becomes a report in the usual flow."""
    _command_centre(request)
    meeting = get_object_or_404(Meeting.objects.select_related("community"), pk=meeting_id)
    form = MeetingItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting_item(request.user, meeting, category=form.cleaned_data["category"],
                                         description=form.cleaned_data["description"], via="admin")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("Recorded; it is now a work order."))
            return redirect("reports_meeting_items", meeting.pk)
    return TemplateResponse(request, "reports/admin/meeting_items.html", {
        "title": gettext("Items of %(meeting)s") % {"meeting": meeting}, "meeting": meeting, "form": form,
        "items": queries.meeting_items(meeting)})


@hooks.register("register_admin_urls")
def report_admin_urls():
    return [
        path("reports/work-orders/", work_orders, name="reports_work_orders"),
        path("reports/work-orders/<int:report_id>/", work_order, name="reports_work_order"),
        path("reports/dashboard/", dashboard, name="reports_dashboard"),
        path("reports/meetings/<int:meeting_id>/items/", meeting_items, name="reports_meeting_items"),
    ]


class CommandCentreMenuItem(MenuItem):
    def is_shown(self, request):
        return queries.is_command_centre(request.user)


@hooks.register("register_admin_menu_item")
def register_command_centre_menu():
    return SubmenuMenuItem(_("Command centre"), Menu(items=[
        CommandCentreMenuItem(_("Work orders"), reverse("reports_work_orders"), icon_name="list-ul", order=1),
        CommandCentreMenuItem(_("Dashboard"), reverse("reports_dashboard"), icon_name="table", order=2),
    ]), icon_name="warning", order=265)


@hooks.register("register_snippet_listing_buttons")
def meeting_items_button(snippet, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    if isinstance(snippet, Meeting) and queries.is_command_centre(user):
        yield ListingButton(_("Items raised"), reverse("reports_meeting_items", args=[snippet.pk]), priority=20)
