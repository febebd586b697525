"""Staff roles. Each is a Django group; plugins add permissions through ``group_permissions``."""

from django.utils.translation import gettext_lazy as _

EDITORS = "Editors"
MODERATORS = "Moderators"
PROGRAM_STAFF = "Program staff"
VOLUNTEER_COORDINATORS = "Volunteer coordinators"
GIG_STATION_OFFICERS = "Gig-station officers"
CANTEEN_STAFF = "Canteen staff"
GRID_WORKERS = "Grid workers"

STAFF_GROUPS = {
    EDITORS: _("Editors: write stories and submit them for review"),
    MODERATORS: _("Moderators: review and publish stories"),
    PROGRAM_STAFF: _("Program staff: run classes, registrations and check-in"),
    VOLUNTEER_COORDINATORS: _("Volunteer coordinators: approve volunteer hours"),
    GIG_STATION_OFFICERS: _("Gig-station officers: verify enterprises, match jobs"),
    CANTEEN_STAFF: _("Canteen staff: menus, phone bookings, kitchen and delivery"),
    GRID_WORKERS: _("Grid workers: follow up hazard reports and no-answer deliveries"),
}

_ADMIN = ["wagtailadmin.access_admin"]
_IMAGES = ["wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image"]

CORE_GROUP_PERMISSIONS = {
    EDITORS: _ADMIN + _IMAGES,
    MODERATORS: _ADMIN + _IMAGES,
    PROGRAM_STAFF: _ADMIN + ["members.view_user"],
    VOLUNTEER_COORDINATORS: _ADMIN + ["members.view_user"],
    GIG_STATION_OFFICERS: _ADMIN + [
        "members.view_organisation", "members.change_organisation", "members.verify_organisation",
    ],
    CANTEEN_STAFF: _ADMIN + ["members.view_user"],
    GRID_WORKERS: _ADMIN + ["core.view_community"],
}
