"""The gig station's domain error and its message catalogue (problem+json 409/422 in the API)."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class GigError(DomainError):
    messages = {
        "full": _("Every place of this need is already filled."),
        "not_verified": _("Only a verified employer can do this."),
        "not_decidable": _("This employer cannot be given that decision in its present state."),
        "reason_required": _("Give a reason."),
        "duplicate_employer": _("This enterprise has already applied."),
        "not_editable": _("This need can no longer be changed."),
        "not_draft": _("Only a draft can be sent for review."),
        "not_pending": _("This need is not waiting for review."),
        "not_closable": _("This need is already closed."),
        "not_renewable": _("Only an expired or closed need can be renewed."),
        "not_open": _("This need is not open for applications."),
        "deadline": _("The deadline for applications has passed."),
        "duplicate": _("You have already applied for this need."),
        "own_need": _("You cannot apply for your own employer's need."),
        "bad_move": _("An application cannot go there from where it is now."),
        "no_profile": _("Fill in your worker profile first."),
        "bad_dates": _("The last day must not be before the first."),
        "bad_ages": _("The maximum age must not be below the minimum."),
        "headcount_below_hired": _("The headcount cannot be lower than the workers already hired."),
        "not_hired": _("Work can only be recorded for a hired worker."),
        "outside_dates": _("That day is outside the need's dates."),
        "future_day": _("Work cannot be recorded for a day that has not come yet."),
        "record_exists": _("That day is already recorded."),
        "hours_or_pieces": _("Give either the hours or the pieces."),
        "not_awaiting": _("Nothing is waiting for your confirmation on this record."),
        "not_disputed": _("This record is not disputed."),
        "not_completed": _("Ratings are given after the work is completed."),
        "already_rated": _("You have already rated this."),
        "already_flagged": _("You have already flagged this need."),
        "flag_decided": _("This flag has already been decided."),
        "slot_full": _("This consultation slot is fully booked."),
        "slot_past": _("This consultation slot has already begun."),
        "already_booked": _("You have already booked this slot."),
        "not_booked": _("This consultation is not booked any more."),
        "outcome_required": _("Write what was advised or agreed, or record that the member did not come."),
        "slot_not_begun": _("The outcome can be recorded once the consultation has begun."),
        "last_admin": _("The enterprise's last administrator cannot be removed: make someone else administrator first."),
        "bad_availability": _("Availability needs a weekday (0-6) and times as HH:MM."),
    }
