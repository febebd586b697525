"""The notices volunteers sends (core.notices): one declaration per kind, with its parameters."""

from django.utils.translation import gettext_lazy as _

from core.notices import Notice

_SERVICE = _("Volunteer service")

NOTICES = (
    Notice("volunteers.confirmed", params=("title", "when", "place", "code"), subject="%(title)s",
           description=_("a volunteer is signed up for a shift"),
           text=_("You are signed up for %(title)s, %(when)s, at %(place)s. Your check-in code is %(code)s.")),
    Notice("volunteers.waitlisted", params=("title", "when", "position"), subject="%(title)s",
           description=_("a volunteer is put on a shift's waiting list"),
           text=_("%(title)s, %(when)s is full. You are number %(position)s on the waiting list; we will tell you if a place frees up.")),
    Notice("volunteers.promoted", params=("title", "when", "place", "code"), subject="%(title)s",
           description=_("a place freed up on a shift: promoted from the waiting list"),
           text=_("Good news: a place freed up for %(title)s, %(when)s, at %(place)s. You are now signed up. Check-in code %(code)s.")),
    Notice("volunteers.cancelled", params=("title", "when"), subject="%(title)s",
           description=_("the coordinator cancelled a volunteer's place"),
           text=_("The coordinator cancelled your place on %(title)s, %(when)s. Call the street office if this is unexpected.")),
    Notice("volunteers.reminder", params=("title", "when", "place", "code"), subject="%(title)s",
           description=_("the day before a shift"),
           text=_("Reminder: %(title)s is tomorrow, %(when)s, at %(place)s. Check-in code %(code)s.")),
    Notice("volunteers.approved", params=("count", "hours"), subject=_SERVICE,
           description=_("volunteer hours approved"),
           text=_("%(count)s of your volunteer entries (%(hours)s hours) were approved. Thank you!")),
    Notice("volunteers.declined", params=("count", "hours", "reason"), subject=_SERVICE,
           description=_("volunteer hours declined"),
           text=_("%(count)s of your volunteer entries (%(hours)s hours) were declined: %(reason)s")),
    Notice("volunteers.correction", params=("activity", "outcome"), subject=_SERVICE,
           description=_("a correction of volunteer hours was decided"),
           text=_("Your correction of %(activity)s was %(outcome)s.")),
)
