from django.utils.translation import gettext_lazy as _

from core.plugins import PluginConfig, Role

PROGRAM_STAFF = "Program staff"


class ProgramsConfig(PluginConfig):
    name = "programs"
    label = "programs"
    verbose_name = _("Programs")
    title = _("Classes and activities")
    description = _("Free public classes, health services and care activities: sign up, check in, certificates.")
    api_router = "programs.api.router"
    urls = "programs.urls"
    main_url_name = "programs:index"
    demo = "programs.demo.seed"
    member_export = "programs.services.export_member_data"
    roles = (
        Role(PROGRAM_STAFF, _("Program staff: run classes, registrations and check-in"), (
            "wagtailadmin.access_admin", "members.view_user",
            "programs.view_registration", "programs.change_registration", "programs.add_registration",
            "programs.view_session", "programs.change_session",
            "programs.check_in_registration",
        )),
    )

    def ready(self):
        super().ready()
        from programs import signals  # noqa: F401
