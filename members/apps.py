from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")
    default_auto_field = "django.db.models.BigAutoField"
    demo = "members.demo.seed"
    #: The notices members sends (core.notices): login codes, organisation reviews.
    notices = "members.notices.NOTICES"

    def ready(self):
        from wagtail.api.v3.api import api

        from members.api import router

        api.add_router("/members/", router)
