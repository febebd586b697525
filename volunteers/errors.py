"""The volunteers' domain error and its message catalogue (problem+json 409/422 in the API)."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class VolunteerError(DomainError):
    messages = {
        "full": _("No places are left on this shift."),
        "not_enough": _("Not enough places are left for the whole team."),
        "duplicate": _("You have already signed up for this shift."),
        "overlap": _("This overlaps another shift or entry of the same person."),
        "started": _("This shift has already started."),
        "ended": _("This shift has ended."),
        "not_published": _("This opportunity is not open for sign-up."),
        "cutoff": _("It is too late to withdraw yourself from this shift: please call the coordinator."),
        "not_withdrawable": _("This sign-up cannot be withdrawn."),
        "not_team_leader": _("Only the team's leader can sign the team up."),
        "not_in_team": _("Some of the people named are not members of this team."),
        "empty_team": _("Name at least one team member."),
        "invalid_code": _("This code is not valid."),
        "wrong_shift": _("This code is for another shift."),
        "not_signed_up": _("You are not signed up for this shift."),
        "check_in_closed": _("Check-in opens an hour before the shift and closes at its end."),
        "not_confirmed": _("Only a confirmed volunteer can be checked in."),
        "not_checked_in": _("This volunteer has not been checked in."),
        "unknown_output": _("This opportunity does not count that output."),
        "bad_period": _("The end must be after the start."),
        "future": _("Hours cannot be reported for a time that has not happened yet."),
        "too_many_minutes": _("More minutes than the time between start and end."),
        "not_pending": _("This entry has already been decided."),
        "reason_required": _("Give a reason."),
        "declined_entry": _("A declined entry cannot be corrected: report the hours again."),
        "open_correction": _("A correction of this entry is already waiting for the coordinator."),
        "not_open": _("This correction has already been decided."),
        "nothing_to_certify": _("There are no approved hours in this period."),
        "revoked": _("This certificate has already been revoked."),
        "invalid_profile": _("Some of the profile is not valid."),
        "no_font": _("Certificates cannot be produced on this server: no Chinese font is installed."),
    }
