"""The gig station's staff role, declared in GigsConfig.roles (core creates the group after
migrate). Kept apart from apps.py so that services and queries can name it."""

from django.utils.translation import gettext_lazy as _

from core.plugins import Role

OFFICERS = "Gig-station officers"

ROLES = (
    Role(OFFICERS, _("Gig-station officers: verify employers, review needs and flags, settle disputes, guidance"), (
        "wagtailadmin.access_admin", "members.view_user",
        "members.view_organisation", "members.change_organisation", "members.verify_organisation",
        "gigs.view_employer", "gigs.verify_employer",
        "gigs.view_jobneed", "gigs.review_jobneed", "gigs.view_needflag",
        "gigs.view_workerprofile", "gigs.view_application", "gigs.view_workrecord",
        "gigs.view_consultationslot", "gigs.add_consultationslot", "gigs.change_consultationslot",
        "gigs.view_consultation",
    )),
)
