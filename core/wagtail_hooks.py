from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.models import Community, NotificationLog


@hooks.register("register_log_actions")
def register_core_actions(actions):
    """Actions the services write to Wagtail's audit log (core.audit.record)."""
    actions.register_action("fengchao.claim", _("Capacity claimed"), _("Took a place"))
    actions.register_action("fengchao.release", _("Capacity released"), _("Gave a place back"))
    actions.register_action("fengchao.status_change", _("Status change"), _("Changed the status"))
    actions.register_action("fengchao.profile_change", _("Profile change"), _("Changed the profile"))
    actions.register_action("fengchao.account_delete", _("Account deleted"), _("Deleted the account"))
    actions.register_action("fengchao.on_behalf", _("Action on behalf"), _("Acted on someone's behalf"))


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


class NotificationLogViewSet(ModelViewSet):
    model = NotificationLog
    icon = "mail"
    menu_label = _("Notifications")
    menu_order = 900
    add_to_settings_menu = True
    inspect_view_enabled = True
    list_display = ["created_at", "channel", "recipient", "kind", "subject", "status"]
    list_filter = ["channel", "status", "kind"]
    search_fields = ["recipient", "subject", "body"]
    list_export = ["created_at", "channel", "recipient", "kind", "subject", "body", "status"]
    form_fields = ["channel", "recipient", "subject", "body", "status"]


@hooks.register("register_admin_viewset")
def register_notification_log():
    return NotificationLogViewSet("notifications")
