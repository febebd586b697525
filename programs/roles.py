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
        # Full phone numbers on the attendance list, its exports and the API (everyone else sees
        # 138****5678): program staff are the ones who phone people. They take registrations
        # by phone, and call registrants when a session moves or is cancelled and when a
        # waiting-list place opens; the elderly audience often has no app to be told in. A
        # grant of its own, apart from seeing the list, so an administrator can let someone
        # read registrations (programs.view_registration) without their numbers.
        "programs.view_registrant_phone",
    )),
)
