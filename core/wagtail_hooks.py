from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.audit import register_core_actions
from core.models import Community, NotificationLog


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
    list_display = ["created_at", "channel", "recipient", "kind", "subject", "status"]
    list_filter = ["channel", "status", "kind"]
    search_fields = ["recipient", "subject", "body"]
    list_export = ["created_at", "channel", "recipient", "kind", "subject", "body", "status"]
    form_fields = ["channel", "recipient", "subject", "body", "status"]


register_permission_policy(NotificationLog, ReadOnlyPolicy(NotificationLog))


@hooks.register("register_admin_viewset")
def register_notification_log():
    return NotificationLogViewSet("notifications")
