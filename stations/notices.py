"""The notices stations sends (core.notices)."""

from django.utils.translation import gettext_lazy as _

from core.notices import Notice

NOTICES = (
    Notice("stations.report_in", params=("branch", "month", "station"),
           description=_("a party member reported in at a station"),
           text=_("You have reported in to %(branch)s for %(month)s at %(station)s. Thank you.")),
)
