"""The staff roles this plugin brings (declared in apps.py, asked by queries and services).

The command centre (指挥中心) is this plugin's: it sees every report, dispatches, rejects, merges
and closes. Grid workers (网格员) are the site's own role, owned by core because more than one
plugin sends them to a door; this plugin only adds the permissions its work orders need. Which
communities a grid worker serves is ``core.Community.grid_workers``, not the group."""

from django.utils.translation import gettext_lazy as _

from core.plugins import Role
from core.roles import GRID_WORKERS

COMMAND_CENTRE = "Command centre"

_ADMIN = ("wagtailadmin.access_admin",)

ROLES = (
    Role(COMMAND_CENTRE, _("Command centre: every report and work order; dispatch, reject, merge, close; "
                           "categories, meetings, dashboards and Open311 keys"),
         _ADMIN + ("core.view_community", "reports.view_report", "reports.command_report", "reports.work_report",
                   "reports.add_category", "reports.change_category", "reports.view_category",
                   "reports.add_meeting", "reports.change_meeting", "reports.view_meeting",
                   "reports.add_open311key", "reports.change_open311key", "reports.view_open311key")),
    # No description: core owns the role; this adds what the grid worker's queue needs.
    Role(GRID_WORKERS, permissions=("reports.view_report", "reports.work_report")),
)
