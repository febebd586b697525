from django.contrib import messages
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from core import calendar, figures, impact, impact_views
from core.audit import register_core_actions
from core.impact_views import may_view_figures
from core.models import CalendarDay, Community, NoticeTemplate, NotificationLog


@hooks.register("register_actions")
def register_validating_actions(registry):
    from core import actions

    actions.register(registry)


@hooks.register("register_log_actions")
def register_core_log_actions(actions):
    """Actions the services write to Wagtail's audit log (core.audit.record), with a formatter
    that shows on whose behalf and through which channel."""
    register_core_actions(actions)


class CommunityViewSet(SnippetViewSet):
    model = Community
    icon = "site"
    menu_label = _("Communities")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "code", "kind", "address"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "address"]
    list_export = ["name", "code", "kind", "address", "latitude", "longitude"]


register_snippet(CommunityViewSet)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The notification log is a record of what was sent: staff read and export it, nobody edits."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


class NotificationLogViewSet(ModelViewSet):
    model = NotificationLog
    icon = "mail"
    menu_label = _("Notifications")
    menu_order = 900
    add_to_settings_menu = True
    inspect_view_enabled = True
    list_display = ["created_at", "channel", "recipient", "kind", "status", "reason", "provider", "delivery",
                    "attempts"]
    list_filter = ["status", "kind", "channel", "provider", "delivery"]
    search_fields = ["recipient", "subject", "body", "reason", "message_id", "request_id"]
    list_export = ["created_at", "sent_at", "channel", "recipient", "kind", "subject", "body", "status", "reason",
                   "attempts", "provider", "template_code", "sign_name", "request_id", "message_id",
                   "provider_code", "provider_message", "delivery", "delivery_code", "delivered_at"]
    form_fields = ["channel", "recipient", "subject", "body", "status"]


class NoticeTemplateViewSet(ModelViewSet):
    """Which provider template each kind of notice is sent with (core.notify reads it)."""

    model = NoticeTemplate
    icon = "form"
    menu_label = _("Notice templates")
    menu_order = 901
    add_to_settings_menu = True
    list_display = ["kind", "channel", "provider", "template_code", "sign_name", "enabled", "notice_params"]
    list_filter = ["provider", "channel", "enabled"]
    search_fields = ["kind", "template_code", "sign_name", "note"]
    # Panels, not form_fields: the form is then the model's base_form_class, which offers the
    # kinds the installed apps declare.
    panels = [FieldPanel(name) for name in
              ("kind", "channel", "provider", "template_code", "sign_name", "fields", "enabled", "note")]


@hooks.register("register_admin_viewset")
def register_notice_templates():
    return NoticeTemplateViewSet("notice_templates")


register_permission_policy(NotificationLog, ReadOnlyPolicy(NotificationLog))


@hooks.register("register_admin_viewset")
def register_notification_log():
    return NotificationLogViewSet("notifications")


def calendar_warning():
    """The text of the "next year missing" warning, or "" when this year and next are entered."""
    years = calendar.missing_years()
    if not years:
        return ""
    return ngettext(
        "The office calendar has no public holidays for %(years)s. Until they are entered, opening "
        "hours and working-day deadlines treat every weekday as a working day. Enter the year's "
        "arrangements under Settings → Office calendar once the State Council publishes them.",
        "The office calendar has no public holidays for %(years)s. Until they are entered, opening "
        "hours and working-day deadlines treat every weekday as a working day. Enter the years' "
        "arrangements under Settings → Office calendar once the State Council publishes them.",
        len(years),
    ) % {"years": ", ".join(str(y) for y in years)}


def may_keep_calendar(user):
    return user.has_perm("core.add_calendarday") or user.has_perm("core.change_calendarday")


class CalendarIndexView(SnippetIndexView):
    def get(self, request, *args, **kwargs):
        warning = calendar_warning()
        if warning:
            messages.warning(request, warning)
        return super().get(request, *args, **kwargs)


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    index_view_class = CalendarIndexView
    icon = "date"
    menu_label = _("Office calendar")
    menu_order = 310
    add_to_settings_menu = True
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind", "name"]
    search_fields = ["name", "source"]
    list_export = ["date", "kind", "name", "source"]
    ordering = ["-date"]


register_snippet(CalendarDayViewSet)


class CalendarWarningPanel(Component):
    """On the admin dashboard of whoever keeps the calendar, while next year is missing."""

    name = "office_calendar_warning"
    order = 50

    def __init__(self, message):
        self.message = message

    def render_html(self, parent_context=None):
        return format_html('<section class="help-block help-warning" role="status" aria-labelledby="calendar-warning">'
                           '<h2 id="calendar-warning">{}</h2><p>{}</p></section>', _("Office calendar"), self.message)


@hooks.register("construct_homepage_panels")
def add_calendar_warning(request, panels):
    if may_keep_calendar(request.user):
        warning = calendar_warning()
        if warning:
            panels.append(CalendarWarningPanel(warning))


# --- the office's live figures (issue 15) --------------------------------------------------------

class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_figures(request.user)


@hooks.register("register_admin_urls")
def impact_admin_urls():
    return [path("impact/", impact_views.dashboard, name="core_impact")]


@hooks.register("register_admin_menu_item")
def register_figures_menu():
    return FiguresMenuItem(_("Live figures"), reverse("core_impact"), icon_name="table", order=150)


class FiguresPanel(Component):
    """This month against last month and a year ago, on the admin home of office staff."""

    name = "impact_figures"
    order = 60
    template_name = "core/impact/panel.html"

    def __init__(self, data):
        self.data = data

    def get_context_data(self, parent_context=None):
        return {"rows": self.data["figures"], "month_label": impact.month_label(self.data["month"])}


@hooks.register("construct_homepage_panels")
def add_figures_panel(request, panels):
    if may_view_figures(request.user):
        panels.append(FiguresPanel(impact.office_view(figures.this_month())))
