"""Wagtail's users app, pointed at our user viewset (members.admin_users). Kept free of model
imports because INSTALLED_APPS loads it before the app registry is ready."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "members.admin_users.UserViewSet"
