"""The notices programs sends (core.notices): one declaration per kind, with its parameters."""

from django.utils.translation import gettext_lazy as _

from core.notices import Notice

NOTICES = (
    Notice("programs.confirmed", params=("title", "when", "code"), subject="%(title)s",
           description=_("a member's registration is confirmed"),
           text=_("You are registered for %(title)s, %(when)s. Show your check-in code %(code)s at the door.")),
    Notice("programs.pending", params=("title", "when"), subject="%(title)s",
           description=_("a registration waits for staff approval"),
           text=_("We received your registration for %(title)s, %(when)s. Staff will confirm it soon.")),
    Notice("programs.waitlisted", params=("title", "position"), subject="%(title)s",
           description=_("a member is put on the waiting list"),
           text=_("%(title)s is full. You are number %(position)s on the waiting list; we will tell you if a place frees up.")),
    Notice("programs.promoted", params=("title", "when", "code"), subject="%(title)s",
           description=_("a place freed up: promoted from the waiting list"),
           text=_("Good news: a place freed up for %(title)s, %(when)s. You are now registered. Check-in code %(code)s.")),
    Notice("programs.promoted_pending", params=("title", "when"), subject="%(title)s",
           description=_("promoted from the waiting list, waiting for staff approval"),
           text=_("A place freed up for %(title)s, %(when)s. Staff will confirm your registration soon.")),
    Notice("programs.approved", params=("title", "when", "code"), subject="%(title)s",
           description=_("staff approved a registration"),
           text=_("Your registration for %(title)s, %(when)s is confirmed. Check-in code %(code)s.")),
    Notice("programs.cancelled_by_staff", params=("title", "when"), subject="%(title)s",
           description=_("staff cancelled a registration"),
           text=_("Staff cancelled your registration for %(title)s, %(when)s. Call the street office if this is unexpected.")),
    Notice("programs.reminder", params=("title", "when", "place", "code"), subject="%(title)s",
           description=_("the day before a session"),
           text=_("Reminder: %(title)s is tomorrow, %(when)s, at %(place)s. Check-in code %(code)s.")),
)
