"""Programs' staff role, declared in ProgramsConfig.roles (core creates the group after migrate).
Kept apart from apps.py so that services can name it without importing the app config, which
imports the signals, which import the services."""

from django.utils.translation import gettext_lazy as _

from core.plugins import Role

PROGRAM_STAFF = "Program staff"

ROLES = (
    Role(PROGRAM_STAFF, _("Program staff: run classes, registrations and check-in"), (
        "wagtailadmin.access_admin", "members.view_user",
        "programs.view_registration", "programs.change_registration", "programs.add_registration",
        "programs.view_session", "programs.change_session",
        "programs.check_in_registration",
    )),
)
